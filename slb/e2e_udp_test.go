package slb_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
)

func createUDP(e *l4Env, port int, edit ...func(*slb.CreateLoadBalancerUDPListenerRequest)) error {
	req := slb.CreateCreateLoadBalancerUDPListenerRequest()
	req.LoadBalancerId, req.ListenerPort = e.lb, requests.NewInteger(port)
	for _, f := range edit {
		f(req)
	}
	_, err := e.c.CreateLoadBalancerUDPListener(req)
	return err
}

func describeUDP(e *l4Env, port int) (*slb.DescribeLoadBalancerUDPListenerAttributeResponse, error) {
	req := slb.CreateDescribeLoadBalancerUDPListenerAttributeRequest()
	req.LoadBalancerId, req.ListenerPort = e.lb, requests.NewInteger(port)
	return e.c.DescribeLoadBalancerUDPListenerAttribute(req)
}

func TestUDPListenerAPI(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *l4Env) {
		must(t, createUDP(e, 53, func(r *slb.CreateLoadBalancerUDPListenerRequest) {
			r.BackendServerPort, r.Scheduler = requests.NewInteger(5353), "qch"
			r.HealthCheckReq, r.HealthCheckExp = "ping", "pong" // healthCheckReq, healthCheckExp on the wire
			r.HealthCheckInterval = requests.NewInteger(3)      // healthCheckInterval
			r.PersistenceTimeout, r.ProxyProtocolV2Enabled = requests.NewInteger(100), requests.NewBoolean(true)
		}))
		d, err := describeUDP(e, 53)
		must(t, err)
		if d.Scheduler != "qch" || d.HealthCheckReq != "ping" || d.HealthCheckExp != "pong" || d.HealthCheckInterval != 3 ||
			d.HealthCheckSwitch != "on" || d.HealthCheck != "on" || d.PersistenceTimeout != 100 || !d.ProxyProtocolV2Enabled ||
			d.Bandwidth != -1 || d.BackendServerPort != 5353 || d.Status != "stopped" || d.HealthCheckConnectTimeout != 5 {
			t.Fatalf("%+v", d)
		}
		raw := e.mustCall(t, "DescribeLoadBalancerUDPListenerAttribute", map[string]string{"LoadBalancerId": e.lb, "ListenerPort": "53"})
		checkJSONTypes(t, "UDP attribute", raw, map[string]string{"HealthCheckReq": "s", "HealthCheckExp": "s", "HealthCheckSwitch": "s",
			"PersistenceTimeout": "n", "ProxyProtocolV2Enabled": "b", "AclIds": "o", "Bandwidth": "n", "HealthCheckInterval": "n"})
		if _, ok := raw["EstablishedTimeout"]; ok {
			t.Error("a UDP listener answers EstablishedTimeout")
		}
		// Set: healthCheckReq/Exp stay lower camel, HealthCheckInterval upper;
		// HealthCheckSwitch off; EstablishedTimeout (TCP's) ignored.
		e.mustCall(t, "SetLoadBalancerUDPListenerAttribute", map[string]string{"LoadBalancerId": e.lb, "ListenerPort": "53",
			"healthCheckReq": "hello", "healthCheckExp": "world", "HealthCheckInterval": "4", "HealthCheckSwitch": "off",
			"EstablishedTimeout": "5"})
		d, _ = describeUDP(e, 53)
		if d.HealthCheckReq != "hello" || d.HealthCheckExp != "world" || d.HealthCheckInterval != 4 || d.HealthCheckSwitch != "off" || d.HealthCheck != "off" {
			t.Fatalf("after Set %+v", d)
		}
		for _, c := range []struct {
			name   string
			params map[string]string
			code   string
			status int
		}{
			{"a request of 65 characters", map[string]string{"healthCheckReq": strings.Repeat("a", 65)}, "InvalidParameter", 400},
			{"a request with a space", map[string]string{"healthCheckExp": "a b"}, "InvalidParameter", 400},
			{"switching from hash to non-hash", map[string]string{"Scheduler": "wrr"}, "InvalidParameter", 400},
			{"health switch not on/off", map[string]string{"HealthCheckSwitch": "maybe"}, "InvalidParameter", 400},
			{"bandwidth out of range", map[string]string{"Bandwidth": "6000"}, "InvalidParameter", 400},
		} {
			t.Run("error/set/"+c.name, func(t *testing.T) {
				p := map[string]string{"LoadBalancerId": e.lb, "ListenerPort": "53"}
				for k, v := range c.params {
					p[k] = v
				}
				_, err := e.call(t, "SetLoadBalancerUDPListenerAttribute", p)
				wantErr(t, err, c.code, c.status)
			})
		}
		_, err = describeTCP(e, 53)
		wantErr(t, err, "InvalidParameter", 400)
		_, err = describeUDP(e, 54)
		wantErr(t, err, "InvalidParameter", 400)
	})
}

// TestUDPListenerTraffic echoes datagrams through a running UDP listener
// and follows its health checks with HealthCheckReq/HealthCheckExp.
func TestUDPListenerTraffic(t *testing.T) {
	e := newL4Env(t, "sqlite")
	pa, pb := udpEchoBackend(t, "a:"), udpEchoBackend(t, "b:")
	g := e.vserverGroup(t, pa, pb)
	must(t, createUDP(e, 53, func(r *slb.CreateLoadBalancerUDPListenerRequest) {
		r.VServerGroupId, r.Scheduler = g, "rr"
		r.HealthCheckReq, r.HealthCheckExp = "ping", "pong"
		r.HealthCheckInterval, r.HealthCheckConnectTimeout = requests.NewInteger(1), requests.NewInteger(1)
		r.HealthyThreshold, r.UnhealthyThreshold = requests.NewInteger(2), requests.NewInteger(2)
	}))
	e.start(t, 53, "udp")
	addr := e.bound(53)
	seen := map[string]bool{}
	for i := range 8 {
		r := udpFrom("", addr, "hello "+strconv.Itoa(i))
		name, rest, _ := strings.Cut(r, ":")
		if rest != "hello "+strconv.Itoa(i) {
			t.Fatalf("reply %q", r)
		}
		seen[name] = true
	}
	if !seen["a"] || !seen["b"] {
		t.Fatalf("rr over two flows each: %v", seen)
	}
	health := func() map[string]string {
		req := slb.CreateDescribeHealthStatusRequest()
		req.LoadBalancerId, req.ListenerPort = e.lb, requests.NewInteger(53)
		resp, err := e.c.DescribeHealthStatus(req)
		must(t, err)
		m := map[string]string{}
		for _, b := range resp.BackendServers.BackendServer {
			if b.Protocol != "udp" {
				t.Fatalf("row %+v", b)
			}
			m[strconv.Itoa(b.Port)] = b.ServerHealthStatus
		}
		return m
	}
	eventually(t, 5*time.Second, "both normal (they answer pong)", func() bool {
		h := health()
		return h[strconv.Itoa(pa)] == "normal" && h[strconv.Itoa(pb)] == "normal"
	})
	e.mustCall(t, "SetLoadBalancerUDPListenerAttribute", map[string]string{"LoadBalancerId": e.lb, "ListenerPort": "53", "healthCheckExp": "PONG"})
	eventually(t, 10*time.Second, "abnormal once the expected answer changes", func() bool {
		h := health()
		return h[strconv.Itoa(pa)] == "abnormal" && h[strconv.Itoa(pb)] == "abnormal"
	})
	if r := udpFrom("", addr, "nobody"); r != "" {
		t.Fatalf("relayed to abnormal backends: %q", r)
	}
}
