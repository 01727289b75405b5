package slb_test

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/server"
)

// TestDataPlaneForwards: requests reach VServer group members and default
// backends (ServerIp, or the instance map, reloaded), with the forwarding
// headers the listener asks for; an HTTP listener with ListenerForward
// redirects to the HTTPS one where it is really bound.
func TestDataPlaneForwards(t *testing.T) {
	instances := filepath.Join(t.TempDir(), "instances.json")
	if err := os.WriteFile(instances, []byte(`{"i-mapped": {"ip": "127.0.0.1"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	f := newDPFixture(t, func(c *server.Config) { c.InstancesFile = instances })
	member := newEchoBackend(t, "i-member")
	f.httpsListener(t, 443, map[string]string{"VServerGroupId": f.vserverGroup(t, member),
		"XForwardedFor_SLBIP": "on", "XForwardedFor_SLBID": "on", "XForwardedFor_proto": "on", "XForwardedFor_SLBPORT": "on"})

	t.Run("ok/a VServer group member, with the forwarding headers", func(t *testing.T) {
		c := clientTo(f.at(443), tlsTo("www.example.com"))
		_, e := getEcho(t, c, "https://www.example.com/path?q=1")
		if e.Backend != "i-member" || e.Host != "www.example.com" || e.URI != "/path?q=1" {
			t.Fatalf("echo %+v", e)
		}
		for k, want := range map[string]string{"X-Forwarded-For": "127.0.0.1", "Slb-Ip": f.addr, "Slb-Id": f.lb,
			"X-Forwarded-Proto": "https", "X-Forwarded-Port": "443"} {
			if got := e.Header.Get(k); got != want {
				t.Errorf("%s: %q, want %q", k, got, want)
			}
		}
		// A client's own X-Forwarded-For is kept, the client's address appended.
		req, _ := http.NewRequest("GET", "https://www.example.com/path?q=1", nil)
		req.Header.Set("X-Forwarded-For", "203.0.113.9")
		resp, e := doEcho(t, c, req)
		if resp.StatusCode != http.StatusOK || e.Backend != "i-member" {
			t.Fatalf("%d %+v", resp.StatusCode, e)
		}
		if got, want := e.Header.Get("X-Forwarded-For"), "203.0.113.9, 127.0.0.1"; got != want {
			t.Errorf("X-Forwarded-For: %q, want %q", got, want)
		}
	})

	// Default backends: one by ServerIp, one through the instance map, on
	// the listener's BackendServerPort — two servers on one port.
	byIP, mappedLn := echoBackendAlsoOn(t, "i-ip", "127.0.0.2")
	mapped := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"Backend":"i-mapped"}`)) })}
	go mapped.Serve(mappedLn)
	t.Cleanup(func() { mapped.Close() })
	add := slb.CreateAddBackendServersRequest()
	add.LoadBalancerId, add.BackendServers = f.lb, `[{"ServerId":"i-ip","ServerIp":"127.0.0.2"},{"ServerId":"i-mapped","Weight":"100"}]`
	if _, err := f.c.AddBackendServers(add); err != nil {
		t.Fatal(err)
	}
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "80",
		"BackendServerPort": byIP.port(), "HealthCheck": "off", "StickySession": "off", "Scheduler": "rr"})
	if err := startListener(t, f.c, f.lb, 80, "http"); err != nil {
		t.Fatal(err)
	}
	plain := clientTo(f.at(80), nil)
	t.Run("ok/default backends by ServerIp and by the instance map", func(t *testing.T) {
		seen := map[string]int{}
		for range 4 {
			_, e := getEcho(t, plain, "http://www.example.com/")
			seen[e.Backend]++
		}
		// i-ip's ServerIp is 127.0.0.2, where the mapped server listens;
		// i-mapped maps to 127.0.0.1, where byIP listens.
		if seen["i-mapped"] != 2 || seen["i-ip"] != 2 {
			t.Fatalf("round robin over the default backends: %v", seen)
		}
	})
	t.Run("ok/a reloaded instance map moves the traffic", func(t *testing.T) {
		os.WriteFile(instances, []byte(`{"i-mapped": {"ip": "127.0.0.2"}}`), 0o600)
		if err := f.s.ReloadInstances(); err != nil {
			t.Fatal(err)
		}
		for range 4 {
			if _, e := getEcho(t, plain, "http://www.example.com/"); e.Backend != "i-mapped" {
				t.Fatalf("after the reload: %+v", e)
			}
		}
	})

	t.Run("ok/the HTTP listener redirects to the HTTPS one", func(t *testing.T) {
		e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "8080",
			"ListenerForward": "on", "ForwardPort": "443", "HealthCheck": "off", "StickySession": "off"})
		if err := startListener(t, f.c, f.lb, 8080, "http"); err != nil {
			t.Fatal(err)
		}
		resp, err := clientTo(f.at(8080), nil).Get("http://" + f.at(8080) + "/a/b?c=d")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := "https://" + f.at(443) + "/a/b?c=d"
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != want {
			t.Fatalf("%d Location %q, want %q", resp.StatusCode, resp.Header.Get("Location"), want)
		}
		// … and the Location is where the HTTPS listener answers.
		if _, e := getEcho(t, clientTo(f.at(443), tlsTo("www.example.com")), want); e.Backend != "i-member" {
			t.Fatalf("following the redirect: %+v", e)
		}
	})
}

// echoBackendAlsoOn starts an echo backend on 127.0.0.1 whose port is
// also free on host, and listens there: a default backend's port is the
// listener's BackendServerPort, the same for every server. A port taken on
// host is retried with another.
func echoBackendAlsoOn(t *testing.T, id, host string) (*echoBackend, net.Listener) {
	t.Helper()
	var err error
	for range 5 {
		b := newEchoBackend(t, id)
		var ln net.Listener
		if ln, err = net.Listen("tcp", net.JoinHostPort(host, b.port())); err == nil {
			return b, ln
		}
		b.srv.Close()
	}
	t.Fatalf("no port free on both 127.0.0.1 and %s: %v", host, err)
	return nil, nil
}

// TestDataPlaneHealthChecks: a dead backend turns abnormal in
// DescribeHealthStatus and gets no more traffic; the live one stays normal.
func TestDataPlaneHealthChecks(t *testing.T) {
	f := newDPFixture(t)
	live, dead := newEchoBackend(t, "i-live"), newEchoBackend(t, "i-dead")
	f.httpsListener(t, 443, map[string]string{"VServerGroupId": f.vserverGroup(t, live, dead),
		"HealthCheck": "on", "HealthCheckURI": "/health", "HealthCheckInterval": "1", "HealthCheckTimeout": "1",
		"HealthyThreshold": "2", "UnhealthyThreshold": "2"})
	status := func() map[string]string {
		rows := healthRows(t, f.c, f.lb, 443)
		if len(rows) != 2 {
			t.Fatalf("rows %v", rows)
		}
		out := map[string]string{}
		for _, b := range rows {
			out[b.ServerId] = b.ServerHealthStatus
		}
		return out
	}
	eventually(t, 5*time.Second, "both backends normal", func() bool {
		s := status()
		return s["i-live"] == "normal" && s["i-dead"] == "normal"
	})
	dead.srv.Close()
	eventually(t, 5*time.Second, "the dead backend abnormal", func() bool { return status()["i-dead"] == "abnormal" })
	if s := status(); s["i-live"] != "normal" {
		t.Fatalf("the live backend: %v", s)
	}
	c := clientTo(f.at(443), tlsTo("www.example.com"))
	before := live.hits.Load()
	for range 6 {
		if resp, e := getEcho(t, c, "https://www.example.com/"); resp.StatusCode != 200 || e.Backend != "i-live" {
			t.Fatalf("%d %+v", resp.StatusCode, e)
		}
	}
	if live.hits.Load()-before != 6 {
		t.Fatalf("the live backend got %d of 6", live.hits.Load()-before)
	}
}
