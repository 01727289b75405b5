package slb_test

import (
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/server"
)

// TestDataPlaneReplicas: two replicas on one PostgreSQL both serve a
// listener created and started through one of them, each on its own port
// offset (one host cannot bind one address:port twice), and both follow a
// certificate swap made through the other within a second.
func TestDataPlaneReplicas(t *testing.T) {
	schema := e2e.FreshPGSchema(t)
	iamFile := filepath.Join(t.TempDir(), "iam.json")
	if err := os.WriteFile(iamFile, []byte(e2e.ReplicaIAM), 0o600); err != nil {
		t.Fatal(err)
	}
	key, pool := e2e.NewMasterKey(), testAddressPool()
	replica := func(offset int) func(*server.Config) {
		return func(c *server.Config) {
			c.DatabaseURL, c.MasterKey, c.IAMFile = schema.URL, key, iamFile
			c.LBAddressPool, c.LBPortOffset = pool, offset
		}
	}
	a, b := e2e.Start(t, replica(20000)), e2e.Start(t, replica(30000))
	ca, cb := a.Client(t, "cn-hangzhou"), b.Client(t, "cn-hangzhou")
	onA := a.Calls(t, "cn-hangzhou", "")
	first, second := e2e.NewServerCert(), e2e.NewServerCert()
	firstID := onA.Upload(first.ChainPEM, first.KeyPEM, "first").ServerCertificateId
	secondID := onA.Upload(second.ChainPEM, second.KeyPEM, "second").ServerCertificateId
	created := e2e.CreateLB(t, ca)
	e2e.MustCommon(t, ca, "CreateLoadBalancerHTTPSListener", map[string]string{"LoadBalancerId": created.LoadBalancerId,
		"ListenerPort": "443", "BackendServerPort": "80", "HealthCheck": "off", "ServerCertificateId": firstID})
	if err := startListener(t, ca, created.LoadBalancerId, 443, "https"); err != nil {
		t.Fatal(err)
	}
	onAAt, onBAt := net.JoinHostPort(created.Address, "20443"), net.JoinHostPort(created.Address, "30443")
	if got := served(t, onAAt, "www.example.com"); got != first.ChainPEM {
		t.Fatal("the replica that took the call does not serve the listener")
	}
	eventually(t, time.Second, "the other replica serves the listener", func() bool {
		cs, err := handshakeAt(onBAt, tlsTo("www.example.com"))
		return err == nil && chainPEM(cs.PeerCertificates) == first.ChainPEM
	})

	set := slb.CreateSetLoadBalancerHTTPSListenerAttributeRequest()
	set.LoadBalancerId, set.ListenerPort, set.ServerCertificateId = created.LoadBalancerId, port(443), secondID
	if _, err := cb.SetLoadBalancerHTTPSListenerAttribute(set); err != nil {
		t.Fatal(err)
	}
	if got := served(t, onBAt, "www.example.com"); got != second.ChainPEM {
		t.Fatal("the replica that took the swap does not serve it when it answers")
	}
	start := time.Now()
	eventually(t, time.Second, "the other replica follows the swap", func() bool {
		return served(t, onAAt, "www.example.com") == second.ChainPEM
	})
	t.Logf("the other replica followed in %v", time.Since(start))

	stop := slb.CreateStopLoadBalancerListenerRequest()
	stop.LoadBalancerId, stop.ListenerPort = created.LoadBalancerId, port(443)
	if _, err := cb.StopLoadBalancerListener(stop); err != nil {
		t.Fatal(err)
	}
	eventually(t, time.Second, "both replicas close the port", func() bool { return closed(onAAt) && closed(onBAt) })
}
