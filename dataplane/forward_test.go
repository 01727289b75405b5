package dataplane_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"slbcert/dataplane"
)

func TestForwardingHeaders(t *testing.T) {
	rt := runtime(t, nil)
	be := newBackend(t, "a")
	cert := issue(t, "rsa2048", "www.example.com")
	l := httpsListener(t, "lb-test/https/443", cert, be.backend(100))
	l.LoadBalancerID = "lb-bp1headers"
	l.Address = "198.51.100.7"
	for _, h2 := range []bool{false, true} {
		proto := "http1"
		if h2 {
			proto = "h2"
		}
		t.Run("ok/all on/"+proto, func(t *testing.T) {
			l.Headers = dataplane.ForwardedHeaders{SLBIP: true, SLBID: true, Proto: true, SLBPort: true, ClientSrcPort: true}
			apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
			a := addr(t, rt, l.ID)
			// The client's own address, to compare with what the
			// backend is told.
			var local net.Addr
			c := client(a, h2)
			c.Transport.(*http.Transport).DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
				conn, err := (&net.Dialer{}).DialContext(ctx, network, a)
				if err == nil {
					local = conn.LocalAddr()
				}
				return conn, err
			}
			resp, body := get(t, c, "https://www.example.com/path?q=1",
				"X-Forwarded-For", "203.0.113.9", "SLB-ID", "spoofed", "X-Forwarded-Proto", "spoofed")
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %s", resp.Status, body)
			}
			e := echoOf(t, body)
			host, port, _ := net.SplitHostPort(local.String())
			want := map[string]string{
				"X-Forwarded-For":            "203.0.113.9, " + host,
				"X-Forwarded-Proto":          "https",
				"Slb-Ip":                     "198.51.100.7",
				"Slb-Id":                     "lb-bp1headers",
				"X-Forwarded-Port":           "443",
				"X-Forwarded-Client-Srcport": port,
			}
			for k, v := range want {
				if got := strings.Join(e.Header.Values(k), ","); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			if e.Host != "www.example.com" || e.URI != "/path?q=1" || e.Backend != "a" {
				t.Errorf("the backend saw %+v", e)
			}
		})
		t.Run("ok/only X-Forwarded-For/"+proto, func(t *testing.T) {
			l.Headers = dataplane.ForwardedHeaders{}
			apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
			_, body := get(t, client(addr(t, rt, l.ID), h2), "https://www.example.com/", "X-Forwarded-Proto", "spoofed")
			e := echoOf(t, body)
			if e.Header.Get("X-Forwarded-For") == "" {
				t.Error("no X-Forwarded-For")
			}
			for _, k := range []string{"Slb-Ip", "Slb-Id", "X-Forwarded-Port", "X-Forwarded-Client-Srcport", "X-Forwarded-Proto"} {
				if v := e.Header.Get(k); v != "" {
					t.Errorf("%s: %q though off", k, v)
				}
			}
		})
	}
}

// hits sends n requests and counts them by backend.
func hits(t *testing.T, c *http.Client, url string, n int) map[string]int {
	t.Helper()
	got := map[string]int{}
	for range n {
		resp, body := get(t, c, url)
		if resp.StatusCode != 200 {
			got[resp.Status]++
			continue
		}
		got[echoOf(t, body).Backend]++
	}
	return got
}

func TestSchedulers(t *testing.T) {
	rt := runtime(t, nil)
	a, b, z := newBackend(t, "a"), newBackend(t, "b"), newBackend(t, "z")
	cert := issue(t, "rsa2048", "www.example.com")
	l := httpsListener(t, "lb-test/https/443", cert, a.backend(75), b.backend(25), z.backend(0))
	for _, tc := range []struct {
		scheduler string
		want      map[string]int
	}{
		{"wrr", map[string]int{"a": 300, "b": 100}},
		{"", map[string]int{"a": 300, "b": 100}},
		{"rr", map[string]int{"a": 200, "b": 200}},
	} {
		t.Run("ok/"+tc.scheduler, func(t *testing.T) {
			l.Scheduler = tc.scheduler
			apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
			got := hits(t, client(addr(t, rt, l.ID), false), "https://www.example.com/", 400)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("%v, want %v", got, tc.want)
			}
		})
	}
	t.Run("ok/wlc sends to the least busy", func(t *testing.T) {
		l.Scheduler = "wlc"
		l.Backends = []dataplane.Backend{a.backend(50), b.backend(50)}
		release := make(chan struct{})
		arrived := make(chan string, 2)
		for _, be := range []*backendServer{a, b} {
			name := be.name
			be.setHandler(func(w http.ResponseWriter, r *http.Request) {
				arrived <- name
				<-release
				io.WriteString(w, name)
			})
		}
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		c := client(addr(t, rt, l.ID), true)
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, err := c.Get("https://www.example.com/")
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}()
			<-arrived // one in flight before the next is sent
		}
		close(release)
		wg.Wait()
		if a.hits.Load() == 0 || b.hits.Load() == 0 {
			t.Fatalf("hits a=%d b=%d: the second request did not go to the idle backend", a.hits.Load(), b.hits.Load())
		}
	})
}

func TestHealthCheck(t *testing.T) {
	rt := runtime(t, nil)
	good, sick := newBackend(t, "good"), newBackend(t, "sick")
	var probes sync.Map // what the probes looked like
	sickStatus := make(chan int, 1)
	sickStatus <- 500
	status := func() int { s := <-sickStatus; sickStatus <- s; return s }
	for _, be := range []*backendServer{good, sick} {
		be := be
		be.setHandler(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("User-Agent") == "slbcert-health-check" {
				probes.Store(be.name, r.Method+" "+r.Host+" "+r.RequestURI)
				if be == sick {
					w.WriteHeader(status())
				}
				return
			}
			io.WriteString(w, `{"Backend":"`+be.name+`"}`)
		})
	}
	cert := issue(t, "rsa2048", "www.example.com")
	l := httpsListener(t, "lb-test/https/443", cert, good.backend(50), sick.backend(50),
		dataplane.Backend{ServerID: "i-unresolved", Weight: 50})
	l.HealthCheck = dataplane.HealthCheck{Enabled: true, URI: "/health?deep=1", Domain: "check.example.com",
		Interval: 20 * time.Millisecond, HealthyThreshold: 2, UnhealthyThreshold: 2, Method: "get"}
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	health := func() map[string]string {
		hs, _ := rt.BackendHealth(l.ID)
		m := map[string]string{}
		for _, h := range hs {
			m[h.ServerID] = h.Health.String()
		}
		return m
	}
	eventually(t, 2*time.Second, "the sick backend turns abnormal", func() bool { return health()["i-sick"] == "abnormal" })
	if h := health(); h["i-good"] != "normal" || h["i-unresolved"] != "abnormal" {
		t.Fatalf("health %v", h)
	}
	if v, _ := probes.Load("good"); v != "GET check.example.com /health?deep=1" {
		t.Fatalf("probe %q", v)
	}
	c := client(addr(t, rt, l.ID), false)
	if got := hits(t, c, "https://www.example.com/", 20); got["good"] != 20 {
		t.Fatalf("traffic %v: abnormal backends got some", got)
	}

	<-sickStatus
	sickStatus <- 204
	eventually(t, 2*time.Second, "the backend recovers", func() bool { return health()["i-sick"] == "normal" })
	if got := hits(t, c, "https://www.example.com/", 20); got["sick"] == 0 {
		t.Fatalf("traffic %v: the recovered backend got none", got)
	}

	t.Run("ok/codes and head", func(t *testing.T) {
		<-sickStatus
		sickStatus <- 404
		l.HealthCheck.HTTPCodes = []string{"http_2xx", "http_4xx"}
		l.HealthCheck.Method = ""
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		time.Sleep(200 * time.Millisecond)
		if h := health(); h["i-sick"] != "normal" {
			t.Fatalf("404 with http_4xx: %v", h)
		}
		if v, _ := probes.Load("sick"); !strings.HasPrefix(v.(string), "HEAD ") {
			t.Fatalf("probe %q", v)
		}
	})
	t.Run("ok/a dead backend", func(t *testing.T) {
		sick.srv.Close()
		eventually(t, 2*time.Second, "the closed backend turns abnormal", func() bool { return health()["i-sick"] == "abnormal" })
	})
	t.Run("error/no healthy backend is 503", func(t *testing.T) {
		l.Backends = []dataplane.Backend{sick.backend(100)}
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		if resp, _ := get(t, c, "https://www.example.com/"); resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("%s", resp.Status)
		}
	})
	t.Run("ok/health check off: unavailable, used", func(t *testing.T) {
		l.Backends = []dataplane.Backend{good.backend(100)}
		l.HealthCheck.Enabled = false
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		if h := health(); h["i-good"] != "unavailable" || len(h) != 1 {
			t.Fatalf("health %v", h)
		}
		if resp, _ := get(t, c, "https://www.example.com/"); resp.StatusCode != 200 {
			t.Fatalf("%s", resp.Status)
		}
	})
}

func TestRequestTimeout(t *testing.T) {
	rt := runtime(t, nil)
	be := newBackend(t, "slow")
	be.setHandler(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/silent":
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
		case "/streaming":
			w.WriteHeader(200)
			for i := range 4 {
				fmt.Fprintf(w, "part %d\n", i)
				w.(http.Flusher).Flush()
				time.Sleep(100 * time.Millisecond)
			}
		}
	})
	cert := issue(t, "rsa2048", "www.example.com")
	l := httpsListener(t, "lb-test/https/443", cert, be.backend(100))
	l.RequestTimeout = 200 * time.Millisecond
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	c := client(addr(t, rt, l.ID), false)
	start := time.Now()
	if resp, body := get(t, c, "https://www.example.com/silent"); resp.StatusCode != http.StatusGatewayTimeout {
		t.Fatalf("silent backend: %s %s", resp.Status, body)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Fatalf("504 after %v", d)
	}
	// Headers in time, then a body longer than the timeout: not a timeout.
	if resp, body := get(t, c, "https://www.example.com/streaming"); resp.StatusCode != 200 || strings.Count(string(body), "part") != 4 {
		t.Fatalf("streaming backend: %s %q", resp.Status, body)
	}
	t.Run("error/backend refuses connections: 502", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		dead := ln.Addr().String()
		ln.Close()
		l.Backends = []dataplane.Backend{{ServerID: "i-dead", Address: dead, Weight: 100}}
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		if resp, _ := get(t, c, "https://www.example.com/"); resp.StatusCode != http.StatusBadGateway {
			t.Fatalf("%s", resp.Status)
		}
	})
}

func TestGzip(t *testing.T) {
	rt := runtime(t, nil)
	be := newBackend(t, "a")
	big := strings.Repeat("compress me please ", 200)
	be.setHandler(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		w.Header().Set("Content-Type", q.Get("type"))
		if q.Get("encoded") != "" {
			w.Header().Set("Content-Encoding", "br")
		}
		w.Header().Set("Etag", `"v1"`)
		n, _ := strconv.Atoi(q.Get("n"))
		io.WriteString(w, big[:n])
	})
	cert := issue(t, "rsa2048", "www.example.com")
	l := httpsListener(t, "lb-test/https/443", cert, be.backend(100))
	for _, tc := range []struct {
		name     string
		gzip     bool
		accept   string
		query    string
		compress bool
	}{
		{"ok/text", true, "gzip, deflate", "type=text/plain%3B+charset=utf-8&n=2000", true},
		{"ok/json", true, "br;q=1.0, gzip;q=0.8", "type=application/json&n=3000", true},
		{"ok/not below 1 KiB", true, "gzip", "type=text/plain&n=100", false},
		{"ok/not images", true, "gzip", "type=image/png&n=2000", false},
		{"ok/not already encoded", true, "gzip", "type=text/plain&n=2000&encoded=1", false},
		{"ok/not for a client without gzip", true, "identity", "type=text/plain&n=2000", false},
		{"ok/not for gzip;q=0", true, "gzip;q=0", "type=text/plain&n=2000", false},
		{"ok/Gzip off", false, "gzip", "type=text/plain&n=2000", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l.Gzip = tc.gzip
			apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
			for _, h2 := range []bool{false, true} {
				resp, body := get(t, client(addr(t, rt, l.ID), h2), "https://www.example.com/?"+tc.query, "Accept-Encoding", tc.accept)
				compressed := resp.Header.Get("Content-Encoding") == "gzip"
				if compressed != tc.compress {
					t.Fatalf("h2=%v: Content-Encoding %q", h2, resp.Header.Get("Content-Encoding"))
				}
				if !compressed {
					continue
				}
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				plain, err := io.ReadAll(zr)
				if err != nil {
					t.Fatal(err)
				}
				n, _ := strconv.Atoi(strings.Split(strings.Split(tc.query, "n=")[1], "&")[0])
				if string(plain) != big[:n] || len(body) >= n {
					t.Fatalf("h2=%v: %d bytes compressed to %d, decompressed to %d", h2, n, len(body), len(plain))
				}
				if resp.Header.Get("Etag") != `W/"v1"` || resp.Header.Get("Vary") != "Accept-Encoding" {
					t.Fatalf("h2=%v: headers %v", h2, resp.Header)
				}
			}
		})
	}
}

func TestStickySessions(t *testing.T) {
	rt := runtime(t, nil)
	a, b := newBackend(t, "a"), newBackend(t, "b")
	cert := issue(t, "rsa2048", "www.example.com")
	l := httpsListener(t, "lb-test/https/443", cert, a.backend(50), b.backend(50))

	t.Run("ok/insert", func(t *testing.T) {
		l.StickySession = dataplane.StickySession{Type: dataplane.StickyInsert, CookieTimeout: 500 * time.Second}
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		c := client(addr(t, rt, l.ID), false)
		resp, body := get(t, c, "https://www.example.com/")
		first := echoOf(t, body).Backend
		var cookie *http.Cookie
		for _, ck := range resp.Cookies() {
			if ck.Name == "SERVERID" {
				cookie = ck
			}
		}
		if cookie == nil || cookie.MaxAge != 500 || cookie.Path != "/" {
			t.Fatalf("Set-Cookie %q", resp.Header.Values("Set-Cookie"))
		}
		for range 10 {
			resp, body := get(t, c, "https://www.example.com/", "Cookie", "SERVERID="+cookie.Value)
			if got := echoOf(t, body).Backend; got != first {
				t.Fatalf("pinned to %s, served by %s", first, got)
			}
			if len(resp.Header.Values("Set-Cookie")) != 0 {
				t.Fatalf("set again: %q", resp.Header.Values("Set-Cookie"))
			}
		}
		if got := hits(t, c, "https://www.example.com/", 10); got["a"] != 5 {
			t.Fatalf("without the cookie %v", got)
		}
		// The pinned backend leaves: another takes the client, with a new cookie.
		var rest dataplane.Backend
		for _, be := range []*backendServer{a, b} {
			if be.name != first {
				rest = be.backend(50)
			}
		}
		l2 := l
		l2.Backends = []dataplane.Backend{rest}
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l2}})
		resp, body = get(t, c, "https://www.example.com/", "Cookie", "SERVERID="+cookie.Value)
		if echoOf(t, body).Backend == first || !strings.HasPrefix(resp.Header.Get("Set-Cookie"), "SERVERID=") {
			t.Fatalf("re-pinned: %s, Set-Cookie %q", body, resp.Header.Get("Set-Cookie"))
		}
	})

	t.Run("ok/server", func(t *testing.T) {
		for _, be := range []*backendServer{a, b} {
			name := be.name
			be.setHandler(func(w http.ResponseWriter, r *http.Request) {
				seen := ""
				if ck, err := r.Cookie("JSESSIONID"); err == nil {
					seen = ck.Value
				}
				http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: "sess-" + name, Path: "/"})
				io.WriteString(w, `{"Backend":"`+name+`","URI":"`+seen+`"}`)
			})
		}
		l.StickySession = dataplane.StickySession{Type: dataplane.StickyServer, Cookie: "JSESSIONID"}
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		c := client(addr(t, rt, l.ID), false)
		resp, body := get(t, c, "https://www.example.com/")
		first := echoOf(t, body).Backend
		set := resp.Header.Get("Set-Cookie")
		value := strings.TrimPrefix(strings.Split(set, ";")[0], "JSESSIONID=")
		if !strings.HasSuffix(value, "~sess-"+first) {
			t.Fatalf("Set-Cookie %q", set)
		}
		for range 10 {
			_, body := get(t, c, "https://www.example.com/", "Cookie", "other=1; JSESSIONID="+value)
			e := echoOf(t, body)
			if e.Backend != first || e.URI != "sess-"+first {
				t.Fatalf("pinned to %s: %+v (the backend must see its own value)", first, e)
			}
		}
	})
}

func TestRedirectToHTTPS(t *testing.T) {
	rt := runtime(t, nil)
	ip := loopback(t)
	for _, tc := range []struct {
		port     int
		host     string
		location string
	}{
		{8443, "www.example.com", "https://www.example.com:8443/a/b?c=d&e"},
		{443, "www.example.com:80", "https://www.example.com/a/b?c=d&e"},
		{443, "[2001:db8::1]:80", "https://[2001:db8::1]/a/b?c=d&e"},
	} {
		l := dataplane.Listener{ID: "lb-test/http/80", Bind: ip + ":0", Protocol: dataplane.ProtocolHTTP, ListenerPort: 80, RedirectPort: tc.port}
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		a := addr(t, rt, l.ID)
		req, _ := http.NewRequest("POST", "http://"+a+"/a/b?c=d&e", nil)
		req.Host = tc.host
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != dataplane.RedirectStatus || resp.Header.Get("Location") != tc.location {
			t.Fatalf("%s Location %q, want %q", resp.Status, resp.Header.Get("Location"), tc.location)
		}
	}
	t.Run("ok/plain HTTP forwards", func(t *testing.T) {
		be := newBackend(t, "a")
		l := dataplane.Listener{ID: "lb-test/http/80", Bind: ip + ":0", Protocol: dataplane.ProtocolHTTP, ListenerPort: 80,
			Backends: []dataplane.Backend{be.backend(100)}, Headers: dataplane.ForwardedHeaders{Proto: true}}
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		resp, err := http.Get("http://" + addr(t, rt, l.ID) + "/x")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if e := echoOf(t, body); e.Header.Get("X-Forwarded-Proto") != "http" || e.URI != "/x" {
			t.Fatalf("%+v", e)
		}
	})
}

func TestHealthCheckConnectPort(t *testing.T) {
	rt := runtime(t, nil)
	be := newBackend(t, "a")
	// The backend's own port fails every probe; the check port passes.
	be.setHandler(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") == "slbcert-health-check" {
			w.WriteHeader(500)
			return
		}
		io.WriteString(w, `{"Backend":"a"}`)
	})
	var checked atomic.Int64
	check := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { checked.Add(1) }))
	defer check.Close()
	_, port, _ := net.SplitHostPort(check.Listener.Addr().String())
	cert := issue(t, "rsa2048", "www.example.com")
	l := httpsListener(t, "lb-test/https/443", cert, be.backend(100))
	l.HealthCheck = dataplane.HealthCheck{Enabled: true, Interval: 20 * time.Millisecond, HealthyThreshold: 2, UnhealthyThreshold: 2}
	l.HealthCheck.ConnectPort, _ = strconv.Atoi(port)
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	eventually(t, 2*time.Second, "probes reach the check port", func() bool { return checked.Load() >= 3 })
	if hs, _ := rt.BackendHealth(l.ID); len(hs) != 1 || hs[0].Health != dataplane.Normal {
		t.Fatalf("health %+v", hs)
	}
}
