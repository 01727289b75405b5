package ecsapi_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	sdk "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/server"
	"slbcert/slbcerttest"
)

// syncBuffer is a log sink tests read while the server writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestBackendIsAnInstance: an SLB listener whose backend names an ECS
// instance (no ServerIp) forwards, for real, to an HTTP server bound where
// this machine serves the instance's private address (192.168.240.1 →
// 127.168.240.1), says so in the log, and stops forwarding once the
// instance is released.
func TestBackendIsAnInstance(t *testing.T) {
	const offset = 21000
	log := &syncBuffer{}
	f := newFixture(t, slbcerttest.WithLog(log), slbcerttest.WithConfig(func(c *server.Config) {
		c.LBAddressPool, c.LBPortOffset = "127.240.1.0/24", offset
	}))
	f.net.AddVSwitch(slbcerttest.DefaultAccountID, region, vpcID, zoneH, "vsw-bp1traffic", "192.168.240.0/24")
	c := f.client()
	id := f.run(c, "vsw-bp1traffic", f.group(c, vpcID))
	ip := f.describe(c, id).VpcAttributes.PrivateIpAddress.IpAddress[0]
	if ip != "192.168.240.1" {
		t.Fatalf("the instance's address is %s", ip)
	}

	// The user's backend, bound where the instance is served.
	ln, err := net.Listen("tcp", "127.168.240.1:0")
	if err != nil {
		t.Skipf("cannot bind 127.168.240.1 (127/8 is not all loopback here?): %v", err)
	}
	backend := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello from %s via %s", id, r.Header.Get("X-Forwarded-For"))
	})}
	go backend.Serve(ln)
	t.Cleanup(func() { backend.Close() })
	_, port, _ := net.SplitHostPort(ln.Addr().String())

	lbc, err := f.srv.SLBClient(region)
	must(t, err)
	create := slb.CreateCreateLoadBalancerRequest()
	create.RegionId, create.LoadBalancerName, create.AddressType = region, "web", "internet"
	lb, err := lbc.CreateLoadBalancer(create)
	must(t, err)
	add := slb.CreateAddBackendServersRequest()
	add.LoadBalancerId, add.BackendServers = lb.LoadBalancerId, `[{"ServerId":"`+id+`","Weight":"100"}]`
	must(t, mustOK(lbc.AddBackendServers(add)))
	listener := slb.CreateCreateLoadBalancerHTTPListenerRequest()
	listener.LoadBalancerId, listener.ListenerPort, listener.BackendServerPort = lb.LoadBalancerId, requests.NewInteger(80), requests.Integer(port)
	listener.Bandwidth, listener.StickySession, listener.HealthCheck = requests.NewInteger(-1), "off", "off"
	must(t, mustOK(lbc.CreateLoadBalancerHTTPListener(listener)))
	start := slb.CreateStartLoadBalancerListenerRequest()
	start.LoadBalancerId, start.ListenerPort = lb.LoadBalancerId, requests.NewInteger(80)
	must(t, mustOK(lbc.StartLoadBalancerListener(start)))

	url := "http://" + net.JoinHostPort(lb.Address, strconv.Itoa(80+offset)) + "/"
	body, status := get(t, url)
	if status != 200 || !strings.HasPrefix(body, "hello from "+id) {
		t.Fatalf("GET %s: %d %q", url, status, body)
	}
	if !strings.Contains(log.String(), `"served_ip":"127.168.240.1"`) || !strings.Contains(log.String(), `"instance":"`+id+`"`) {
		t.Errorf("the log does not say where the instance is served:\n%s", log.String())
	}
	health := slb.CreateDescribeHealthStatusRequest()
	health.LoadBalancerId = lb.LoadBalancerId
	if h, err := lbc.DescribeHealthStatus(health); err != nil || len(h.BackendServers.BackendServer) != 1 ||
		h.BackendServers.BackendServer[0].ServerIp != "127.168.240.1" {
		t.Errorf("DescribeHealthStatus: %+v, %v", h, err)
	}

	// Released: the data plane follows at once, and sends it nothing.
	del := sdk.CreateDeleteInstanceRequest()
	del.InstanceId, del.Force = id, requests.NewBoolean(true)
	must(t, mustOK(c.DeleteInstance(del)))
	deadline := time.Now().Add(5 * time.Second)
	for {
		body, status = get(t, url)
		if status != 200 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if status == 200 {
		t.Errorf("a released instance still gets traffic: %q", body)
	}
}

func get(t *testing.T, url string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err.Error(), 0
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b), resp.StatusCode
}
