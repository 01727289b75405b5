package dataplane_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"slbcert/dataplane"
)

// slowBackend answers /slow once release is closed, after telling started.
func slowBackend(t *testing.T) (be *backendServer, started chan struct{}, release chan struct{}) {
	be = newBackend(t, "slow")
	started, release = make(chan struct{}, 10), make(chan struct{})
	be.setHandler(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-release
		io.WriteString(w, "finished")
	})
	return be, started, release
}

func refused(a string) bool {
	c, err := net.DialTimeout("tcp", a, time.Second)
	if err == nil {
		c.Close()
		return false
	}
	return true
}

func TestRemovingAListenerClosesItsPortAndDrains(t *testing.T) {
	rt := runtime(t, nil)
	be, started, release := slowBackend(t)
	cert := issue(t, "rsa2048", "www.example.com")
	l := httpsListener(t, "lb-test/https/443", cert, be.backend(100))
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	a := addr(t, rt, l.ID)
	c := client(a, false)
	done := make(chan string, 1)
	go func() {
		resp, err := c.Get("https://www.example.com/slow")
		if err != nil {
			done <- err.Error()
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		done <- resp.Status + " " + string(body)
	}()
	<-started

	apply(t, rt, dataplane.Config{})
	if !refused(a) {
		t.Fatal("the removed listener's port still accepts")
	}
	if _, ok := rt.Status(l.ID); ok {
		t.Fatal("the removed listener has a status")
	}
	close(release)
	if got := <-done; got != "200 OK finished" {
		t.Fatalf("the request in flight: %s", got)
	}

	t.Run("ok/the port is free for another listener", func(t *testing.T) {
		l2 := l
		l2.ID = "lb-other/https/443"
		l2.Bind = a
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l2}})
		if addr(t, rt, l2.ID) != a {
			t.Fatal("not rebound")
		}
	})
}

func TestShutdownDrains(t *testing.T) {
	rt := dataplane.New(dataplane.Options{DrainTimeout: 5 * time.Second})
	be, started, release := slowBackend(t)
	cert := issue(t, "rsa2048", "www.example.com")
	l := httpsListener(t, "lb-test/https/443", cert, be.backend(100))
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	a := addr(t, rt, l.ID)
	done := make(chan string, 1)
	go func() {
		resp, err := client(a, true).Get("https://www.example.com/slow")
		if err != nil {
			done <- err.Error()
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		done <- string(body)
	}()
	<-started
	shut := make(chan error, 1)
	go func() { shut <- rt.Shutdown(context.Background()) }()
	eventually(t, 2*time.Second, "the port closes at once", func() bool { return refused(a) })
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned (%v) with a request in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if got := <-done; got != "finished" {
		t.Fatalf("the request in flight: %s", got)
	}
	if err := <-shut; err != nil {
		t.Fatal(err)
	}
	if err := rt.Apply(dataplane.Config{Listeners: []dataplane.Listener{l}}); !errors.Is(err, dataplane.ErrShutdown) {
		t.Fatalf("Apply after Shutdown: %v", err)
	}

	t.Run("ok/a deadline cuts what is left", func(t *testing.T) {
		rt := dataplane.New(dataplane.Options{})
		be, started, release := slowBackend(t)
		defer close(release)
		l := httpsListener(t, "lb-test/https/443", cert, be.backend(100))
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		go client(addr(t, rt, l.ID), false).Get("https://www.example.com/slow")
		<-started
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		if err := rt.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Shutdown: %v", err)
		}
	})
}

func TestBindFailureIsReportedAndRetried(t *testing.T) {
	reg := prometheus.NewRegistry()
	rt := runtime(t, reg)
	taken, err := net.Listen("tcp", loopback(t)+":0")
	if err != nil {
		t.Fatal(err)
	}
	cert := issue(t, "rsa2048", "www.example.com")
	l := httpsListener(t, "lb-test/https/443", cert)
	l.Bind = taken.Addr().String()
	err = rt.Apply(dataplane.Config{Listeners: []dataplane.Listener{l}})
	if err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("Apply: %v", err)
	}
	st, ok := rt.Status(l.ID)
	if !ok || st.Serving || !strings.Contains(st.Err, "address already in use") {
		t.Fatalf("status %+v", st)
	}
	if v := testutil.ToFloat64(metric(t, reg, "slbcert_listener_up", l.ID)); v != 0 {
		t.Fatalf("slbcert_listener_up %v", v)
	}
	eventually(t, 2*time.Second, "retries counted", func() bool {
		return testutil.ToFloat64(metric(t, reg, "slbcert_listener_bind_errors_total", l.ID)) >= 2
	})

	taken.Close()
	eventually(t, 2*time.Second, "the listener binds once the port is free", func() bool {
		st, _ := rt.Status(l.ID)
		return st.Serving && st.Err == "" && st.Addr == l.Bind
	})
	if _, err := handshake(t, l.Bind, &tls.Config{ServerName: "www.example.com"}); err != nil {
		t.Fatal(err)
	}
	if v := testutil.ToFloat64(metric(t, reg, "slbcert_listener_up", l.ID)); v != 1 {
		t.Fatalf("slbcert_listener_up %v", v)
	}
}

// metric returns the collector of name with the given listener label,
// ready for testutil.ToFloat64: a gauge or counter with that label only.
func metric(t *testing.T, reg *prometheus.Registry, name, listener string) prometheus.Collector {
	t.Helper()
	return collectorFunc(func(ch chan<- prometheus.Metric) {
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, mf := range mfs {
			if mf.GetName() != name {
				continue
			}
			for _, m := range mf.GetMetric() {
				for _, lp := range m.GetLabel() {
					if lp.GetName() == "listener" && lp.GetValue() == listener {
						v := m.GetGauge().GetValue() + m.GetCounter().GetValue()
						ch <- prometheus.MustNewConstMetric(prometheus.NewDesc(name, "", nil, nil), prometheus.GaugeValue, v)
						return
					}
				}
			}
		}
	})
}

type collectorFunc func(chan<- prometheus.Metric)

func (f collectorFunc) Describe(chan<- *prometheus.Desc)    {}
func (f collectorFunc) Collect(ch chan<- prometheus.Metric) { f(ch) }

func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	rt := runtime(t, reg)
	be := newBackend(t, "a")
	cert := issue(t, "rsa2048", "www.example.com")
	l := httpsListener(t, "lb-test/https/443", cert, be.backend(100))
	l.TLSCipherPolicy = "tls_cipher_policy_1_2_strict_with_1_3"
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	a := addr(t, rt, l.ID)
	c := client(a, false)
	for range 3 {
		get(t, c, "https://www.example.com/")
	}
	if _, err := handshake(t, a, &tls.Config{ServerName: "www.example.com", MaxVersion: tls.VersionTLS11}); err == nil {
		t.Fatal("TLS 1.1 accepted")
	}
	c.CloseIdleConnections()
	want := `
# HELP slbcert_listener_requests_total Requests answered, by HTTP status.
# TYPE slbcert_listener_requests_total counter
slbcert_listener_requests_total{code="200",listener="lb-test/https/443"} 3
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "slbcert_listener_requests_total"); err != nil {
		t.Fatal(err)
	}
	eventually(t, 2*time.Second, "handshakes counted", func() bool {
		return testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP slbcert_listener_tls_handshakes_total TLS handshakes, by result (ok, error) and negotiated version ("" for failures).
# TYPE slbcert_listener_tls_handshakes_total counter
slbcert_listener_tls_handshakes_total{listener="lb-test/https/443",result="error",version=""} 1
slbcert_listener_tls_handshakes_total{listener="lb-test/https/443",result="ok",version="TLS 1.3"} 1
`), "slbcert_listener_tls_handshakes_total") == nil
	})
	eventually(t, 2*time.Second, "connections closed", func() bool {
		return testutil.ToFloat64(metric(t, reg, "slbcert_listener_connections_open", l.ID)) == 0 &&
			testutil.ToFloat64(metric(t, reg, "slbcert_listener_connections_total", l.ID)) == 2
	})
	if got := testutil.ToFloat64(metric(t, reg, "slbcert_listener_certificate_expiry_timestamp_seconds", l.ID)); got != float64(cert.leaf.NotAfter.Unix()) {
		t.Fatalf("expiry %v, want %v", got, cert.leaf.NotAfter.Unix())
	}
	if n := testutil.CollectAndCount(reg, "slbcert_listener_backend_duration_seconds"); n != 1 {
		t.Fatalf("%d latency series", n)
	}

	// A connection open when the listener goes closes after its series
	// are dropped: it must not bring them back.
	get(t, c, "https://www.example.com/")
	apply(t, rt, dataplane.Config{})
	c.CloseIdleConnections()
	time.Sleep(100 * time.Millisecond)
	if n := testutil.CollectAndCount(reg, "slbcert_listener_requests_total", "slbcert_listener_up",
		"slbcert_listener_connections_open", "slbcert_listener_tls_handshakes_total"); n != 0 {
		t.Fatalf("%d series left for a removed listener", n)
	}
}

func TestIdleTimeoutChangeKeepsThePort(t *testing.T) {
	rt := runtime(t, nil)
	be := newBackend(t, "a")
	cert := issue(t, "rsa2048", "www.example.com")
	l := httpsListener(t, "lb-test/https/443", cert, be.backend(100))
	l.IdleTimeout = 300 * time.Millisecond
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	a := addr(t, rt, l.ID)

	// Dial continuously while the server is replaced: never refused.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var refusals int
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if refused(a) {
				refusals++
			}
		}
	}()
	l.IdleTimeout = 5 * time.Second
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	time.Sleep(50 * time.Millisecond)
	close(stop)
	wg.Wait()
	if refusals > 0 {
		t.Fatalf("%d connections refused while the server was replaced", refusals)
	}
	// The new server keeps idle connections 5 s, beyond the old 300 ms.
	conn, err := tls.Dial("tcp", a, &tls.Config{ServerName: "www.example.com", RootCAs: roots(), NextProtos: []string{"http/1.1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	br := bufio.NewReader(conn)
	rawRequest(t, conn, br, "www.example.com", "/")
	time.Sleep(600 * time.Millisecond)
	if resp := rawRequest(t, conn, br, "www.example.com", "/"); resp.StatusCode != 200 {
		t.Fatal(resp.Status)
	}
}

// source is a Source the tests change by hand.
type source struct {
	mu      sync.Mutex
	cfg     dataplane.Config
	err     error
	changes chan struct{}
}

func (s *source) Snapshot(context.Context) (dataplane.Config, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg, s.err
}

func (s *source) Changes() <-chan struct{} { return s.changes }

func (s *source) set(cfg dataplane.Config, err error) {
	s.mu.Lock()
	s.cfg, s.err = cfg, err
	s.mu.Unlock()
	select {
	case s.changes <- struct{}{}:
	default:
	}
}

func TestWatch(t *testing.T) {
	rt := runtime(t, nil)
	first := issue(t, "rsa2048", "www.example.com")
	second := issue(t, "rsa2048", "www.example.com")
	l := httpsListener(t, "lb-test/https/443", first)
	src := &source{changes: make(chan struct{}, 1), cfg: dataplane.Config{Listeners: []dataplane.Listener{l}}}
	ctx, cancel := context.WithCancel(context.Background())
	watched := make(chan error, 1)
	go func() { watched <- rt.Watch(ctx, src, time.Hour) }()
	defer func() {
		cancel()
		if err := <-watched; !errors.Is(err, context.Canceled) {
			t.Errorf("Watch: %v", err)
		}
	}()
	var a string
	eventually(t, time.Second, "the first snapshot is served", func() bool {
		st, _ := rt.Status(l.ID)
		a = st.Addr
		return st.Serving
	})
	served := func(want issued) func() bool {
		return func() bool {
			cs, err := handshake(t, a, &tls.Config{ServerName: "www.example.com"})
			return err == nil && string(cs.PeerCertificates[0].Raw) == string(want.leaf.Raw)
		}
	}

	// A failed read keeps the last configuration serving.
	src.set(dataplane.Config{}, errors.New("database unreachable"))
	time.Sleep(50 * time.Millisecond)
	if !served(first)() {
		t.Fatal("a failed snapshot stopped the listener")
	}

	l.Certificate = &second.cert
	l.Bind = a
	src.set(dataplane.Config{Listeners: []dataplane.Listener{l}}, nil)
	eventually(t, time.Second, "a change is served within a second", served(second))

	// Sync: a change the watch was not told of is served when Sync returns.
	third := issue(t, "rsa2048", "www.example.com")
	l.Certificate = &third.cert
	src.mu.Lock()
	src.cfg = dataplane.Config{Listeners: []dataplane.Listener{l}}
	src.mu.Unlock()
	if err := rt.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !served(third)() {
		t.Fatal("Sync returned before the change was served")
	}

	src.set(dataplane.Config{}, nil)
	eventually(t, time.Second, "a removed listener closes", func() bool { return refused(a) })
}

func TestSyncWithoutWatch(t *testing.T) {
	rt := runtime(t, nil)
	if err := rt.Sync(context.Background()); !errors.Is(err, dataplane.ErrNotWatching) {
		t.Fatalf("Sync: %v", err)
	}
}
