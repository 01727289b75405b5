package slb_test

import (
	"sync"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
)

// TestReplicasSwapAndDelete: two replicas on one PostgreSQL — one swaps a
// listener's certificate while the other deletes the certificate swapped
// away from; the database's foreign key decides, whatever the order: a
// delete succeeds only once no listener holds the certificate.
func TestReplicasSwapAndDelete(t *testing.T) {
	a, b := e2e.StartReplicas(t)
	ca, cb := a.Client(t, "cn-hangzhou"), b.Client(t, "cn-hangzhou")
	onA := a.Calls(t, "cn-hangzhou", "")
	srv := e2e.NewServerCert()
	current := onA.Upload(srv.ChainPEM, srv.KeyPEM, "first").ServerCertificateId
	lb := e2e.CreateLB(t, ca).LoadBalancerId
	e2e.MustCommon(t, cb, "CreateLoadBalancerHTTPSListener", map[string]string{"LoadBalancerId": lb, "ListenerPort": "443",
		"BackendServerPort": "80", "ServerCertificateId": current})
	for i := 0; i < 6; i++ {
		next := onA.Upload(srv.ChainPEM, srv.KeyPEM, "n").ServerCertificateId
		var wg sync.WaitGroup
		var setErr, delErr error
		wg.Add(2)
		go func() {
			defer wg.Done()
			set := slb.CreateSetLoadBalancerHTTPSListenerAttributeRequest()
			set.LoadBalancerId, set.ListenerPort, set.ServerCertificateId = lb, port(443), next
			_, setErr = ca.SetLoadBalancerHTTPSListenerAttribute(set)
		}()
		go func() {
			defer wg.Done()
			del := slb.CreateDeleteServerCertificateRequest()
			del.ServerCertificateId = current
			_, delErr = cb.DeleteServerCertificate(del)
		}()
		wg.Wait()
		if setErr != nil {
			t.Fatalf("round %d: swap: %v", i, setErr)
		}
		if delErr != nil {
			e2e.ServerError(t, delErr, "CertificateAndPrivateKeyIsRefered", 400)
		}
		raw := e2e.MustCommon(t, cb, "DescribeLoadBalancerHTTPSListenerAttribute", map[string]string{"LoadBalancerId": lb, "ListenerPort": "443"})
		e2e.JSONString(t, "ServerCertificateId on the other replica", raw["ServerCertificateId"], next)
		current = next
	}
}
