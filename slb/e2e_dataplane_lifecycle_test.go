package slb_test

import (
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
)

// TestDataPlaneFollowsStates: a port is open exactly while its listener
// runs on an active load balancer — Stop, SetLoadBalancerStatus inactive
// and DeleteLoadBalancer close it by the time they answer.
func TestDataPlaneFollowsStates(t *testing.T) {
	f := newDPFixture(t)
	f.httpsListener(t, 443, nil)
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "80",
		"BackendServerPort": "80", "HealthCheck": "off", "StickySession": "off"})
	if closed(f.at(80)) != true {
		t.Fatal("a listener that was never started serves")
	}
	if err := startListener(t, f.c, f.lb, 80, "http"); err != nil {
		t.Fatal(err)
	}
	open := func(t *testing.T, want bool, ports ...int) {
		t.Helper()
		for _, p := range ports {
			if closed(f.at(p)) == want {
				t.Errorf("port %d: open %v, want %v", p, !want, want)
			}
		}
	}
	open(t, true, 443, 80)
	t.Run("ok/Stop closes the port, Start opens it", func(t *testing.T) {
		stop := slb.CreateStopLoadBalancerListenerRequest()
		stop.LoadBalancerId, stop.ListenerPort = f.lb, port(443)
		if _, err := f.c.StopLoadBalancerListener(stop); err != nil {
			t.Fatal(err)
		}
		open(t, false, 443)
		open(t, true, 80)
		if err := startListener(t, f.c, f.lb, 443, "https"); err != nil {
			t.Fatal(err)
		}
		open(t, true, 443)
	})
	t.Run("ok/an inactive load balancer serves nothing", func(t *testing.T) {
		set := func(status string) {
			req := slb.CreateSetLoadBalancerStatusRequest()
			req.LoadBalancerId, req.LoadBalancerStatus = f.lb, status
			if _, err := f.c.SetLoadBalancerStatus(req); err != nil {
				t.Fatal(err)
			}
		}
		set("inactive")
		open(t, false, 443, 80)
		set("active")
		open(t, true, 443, 80)
	})
	t.Run("ok/DeleteLoadBalancerListener closes the port", func(t *testing.T) {
		del := slb.CreateDeleteLoadBalancerListenerRequest()
		del.LoadBalancerId, del.ListenerPort = f.lb, port(80)
		if _, err := f.c.DeleteLoadBalancerListener(del); err != nil {
			t.Fatal(err)
		}
		open(t, false, 80)
	})
	t.Run("ok/DeleteLoadBalancer closes everything", func(t *testing.T) {
		e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "80",
			"BackendServerPort": "80", "HealthCheck": "off", "StickySession": "off"})
		if err := startListener(t, f.c, f.lb, 80, "http"); err != nil {
			t.Fatal(err)
		}
		open(t, true, 443, 80)
		del := slb.CreateDeleteLoadBalancerRequest()
		del.LoadBalancerId = f.lb
		if _, err := f.c.DeleteLoadBalancer(del); err != nil {
			t.Fatal(err)
		}
		open(t, false, 443, 80)
	})
}

// TestDataPlaneBindFailure: a listener whose address is taken is not
// silent — its backends are abnormal in DescribeHealthStatus, the log
// says why, and /metrics counts it.
func TestDataPlaneBindFailure(t *testing.T) {
	f := newDPFixture(t)
	taken, err := net.Listen("tcp", f.at(443))
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	be := newEchoBackend(t, "i-web")
	f.httpsListener(t, 443, map[string]string{"VServerGroupId": f.vserverGroup(t, be)})
	rows := healthRows(t, f.c, f.lb, 443)
	if b := rows["i-web@443"]; b.ServerHealthStatus != "abnormal" {
		t.Errorf("a backend of a listener that could not bind: %+v", b)
	}
	if log := f.s.Log.String(); !strings.Contains(log, "cannot bind") || !strings.Contains(log, f.at(443)) {
		t.Errorf("no bind failure in the log:\n%s", log)
	}
	_, metrics := f.s.Get(t, "/metrics")
	id := f.lb + "_https_443"
	for _, want := range []string{`slbcert_listener_bind_errors_total{listener="` + id + `"} `, `slbcert_listener_up{listener="` + id + `"} 0`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestDataPlaneMetrics: the listeners' series are on the server's /metrics.
func TestDataPlaneMetrics(t *testing.T) {
	f := newDPFixture(t)
	f.httpsListener(t, 443, nil)
	resp, err := clientTo(f.at(443), tlsTo("www.example.com")).Get("https://www.example.com/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("no backend: %d", resp.StatusCode)
	}
	_, metrics := f.s.Get(t, "/metrics")
	id := f.lb + "_https_443"
	for _, want := range []string{
		`slbcert_listener_up{listener="` + id + `"} 1`,
		`slbcert_listener_requests_total{code="503",listener="` + id + `"} 1`,
		`slbcert_listener_tls_handshakes_total{listener="` + id + `",result="ok",version="TLS 1.2"} 1`,
		`slbcert_listener_certificate_expiry_timestamp_seconds{certificate="` + f.cert + `",domain="",listener="` + id + `"}`,
		`slbcert_dataplane_snapshots_total{result="ok"}`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestDataPlaneReadsEachChangeOnce: a write that changes what is served
// makes the data plane read one snapshot (the API's Sync), not one for
// the commit's notification and another for the Sync; writes that serve
// nothing new make it read none.
func TestDataPlaneReadsEachChangeOnce(t *testing.T) {
	f := newDPFixture(t)
	f.httpsListener(t, 443, nil)
	snapshots := func() int {
		_, metrics := f.s.Get(t, "/metrics")
		for _, line := range strings.Split(metrics, "\n") {
			if v, ok := strings.CutPrefix(line, `slbcert_dataplane_snapshots_total{result="ok"} `); ok {
				n, err := strconv.Atoi(v)
				if err != nil {
					t.Fatalf("snapshots: %q", line)
				}
				return n
			}
		}
		t.Fatal("/metrics lacks slbcert_dataplane_snapshots_total")
		return 0
	}
	before := snapshots()
	for i := 0; i < 5; i++ {
		f.setHTTPS(t, 443, map[string]string{"Description": "round-" + itoa(i)})
	}
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", f.terraformHTTPSCreate(f.lb, 8443)) // stopped: serves nothing
	if got := snapshots() - before; got != 5 {
		t.Fatalf("5 served changes and a stopped listener's creation read %d snapshots, want 5", got)
	}
}

// TestDataPlaneCloseDrains: Close (what SIGTERM runs) closes the listeners'
// ports at once and lets a request in flight finish.
func TestDataPlaneCloseDrains(t *testing.T) {
	f := newDPFixture(t)
	be := newEchoBackend(t, "i-slow")
	release := make(chan struct{})
	be.hold.Store(&release)
	f.httpsListener(t, 443, map[string]string{"VServerGroupId": f.vserverGroup(t, be)})
	type answer struct {
		status int
		body   string
		err    error
	}
	done := make(chan answer, 1)
	go func() {
		resp, err := clientTo(f.at(443), tlsTo("www.example.com")).Get("https://www.example.com/slow")
		if err != nil {
			done <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		done <- answer{status: resp.StatusCode, body: string(b)}
	}()
	select {
	case <-be.got:
	case <-time.After(5 * time.Second):
		t.Fatal("the request did not reach the backend")
	}
	closeErr := make(chan error, 1)
	go func() { closeErr <- f.s.Close() }()
	eventually(t, 5*time.Second, "the port closed", func() bool { return closed(f.at(443)) })
	select {
	case a := <-done:
		t.Fatalf("the request in flight ended before its backend answered: %+v", a)
	default:
	}
	close(release)
	a := <-done
	if a.err != nil || a.status != 200 || !strings.Contains(a.body, "i-slow") {
		t.Fatalf("the request in flight: %+v", a)
	}
	if err := <-closeErr; err != nil {
		t.Fatal(err)
	}
}
