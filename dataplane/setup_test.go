package dataplane_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"slbcert/dataplane"
	"slbcert/internal/testpki"
)

// pki is one root and intermediate for a test binary: leaves issued under
// it verify against roots().
var pki = sync.OnceValue(func() *testpki.Issuer {
	root := testpki.NewRoot("dataplane test root", testpki.NewKey("p256"))
	return root.Intermediate("dataplane test intermediate", testpki.NewKey("p256"))
})

// issued is a certificate the tests configure and then look for in
// handshakes.
type issued struct {
	leaf  *x509.Certificate
	chain []*x509.Certificate
	cert  dataplane.Certificate
}

var issuedSerial atomic.Int64

// issue returns a server certificate for names with a key of kind
// ("rsa2048", "p256"), chained to the shared intermediate.
func issue(t testing.TB, kind string, names ...string) issued {
	t.Helper()
	key := testpki.Key(kind)
	mid := pki()
	cn := "no-name"
	if len(names) > 0 {
		cn = names[0]
	}
	leaf := mid.Issue(testpki.Leaf{CommonName: cn, DNSNames: names}, key.Public())
	id := fmt.Sprintf("%d-%s", issuedSerial.Add(1), cn)
	return issued{
		leaf:  leaf,
		chain: []*x509.Certificate{leaf, mid.Cert},
		cert:  dataplane.Certificate{ID: id, Chain: []byte(testpki.ChainPEM(leaf, mid.Cert)), Key: []byte(testpki.KeyPEM(key))},
	}
}

// roots trusts the shared intermediate (as an anchor: the tests check
// chains as served, not path building to the root).
func roots() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(pki().Cert)
	return p
}

// loopback returns a loopback address of its own for a test: 127.x.y.z,
// the whole 127/8 being loopback here.
func loopback(t testing.TB) string {
	t.Helper()
	for range 100 {
		n, _ := rand.Int(rand.Reader, big.NewInt(200*250*250))
		v := n.Int64()
		ip := fmt.Sprintf("127.%d.%d.%d", 20+v/(250*250), 1+(v/250)%250, 1+v%250)
		ln, err := net.Listen("tcp", ip+":0")
		if err == nil {
			ln.Close()
			return ip
		}
	}
	t.Fatal("no free loopback address")
	return ""
}

// runtime returns a Runtime with metrics on reg (nil: its own registry),
// shut down when t ends.
func runtime(t testing.TB, reg prometheus.Registerer) *dataplane.Runtime {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	rt := dataplane.New(dataplane.Options{Log: log, Registerer: reg, DrainTimeout: 5 * time.Second, BindRetry: 50 * time.Millisecond})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := rt.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return rt
}

// apply applies cfg and fails t on any error.
func apply(t testing.TB, rt *dataplane.Runtime, cfg dataplane.Config) {
	t.Helper()
	if err := rt.Apply(cfg); err != nil {
		t.Fatalf("Apply: %v", err)
	}
}

// addr returns where the listener id serves.
func addr(t testing.TB, rt *dataplane.Runtime, id string) string {
	t.Helper()
	st, ok := rt.Status(id)
	if !ok || !st.Serving {
		t.Fatalf("listener %s does not serve: %+v", id, st)
	}
	return st.Addr
}

// echo is what a test backend answers: its name and what it received.
type echo struct {
	Backend string
	Method  string
	Host    string
	URI     string
	Header  http.Header
}

// backendServer is a test backend that answers with an echo, or as its
// handler says.
type backendServer struct {
	name string
	srv  *httptest.Server
	hits atomic.Int64
	// handle, when set, answers instead of the echo.
	handle atomic.Pointer[http.HandlerFunc]
}

func newBackend(t testing.TB, name string) *backendServer {
	t.Helper()
	b := &backendServer{name: name}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") != "slbcert-health-check" {
			b.hits.Add(1)
		}
		if h := b.handle.Load(); h != nil {
			(*h)(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(echo{Backend: name, Method: r.Method, Host: r.Host, URI: r.RequestURI, Header: r.Header})
	}))
	t.Cleanup(b.srv.Close)
	return b
}

func (b *backendServer) setHandler(h http.HandlerFunc) { b.handle.Store(&h) }

func (b *backendServer) addr() string { return b.srv.Listener.Addr().String() }

func (b *backendServer) backend(weight int) dataplane.Backend {
	return dataplane.Backend{ServerID: "i-" + b.name, Address: b.addr(), Weight: weight}
}

// httpsListener is an HTTPS listener on a fresh loopback address with a
// system-chosen port.
func httpsListener(t testing.TB, id string, cert issued, backends ...dataplane.Backend) dataplane.Listener {
	return dataplane.Listener{
		ID: id, LoadBalancerID: "lb-test", Address: "198.51.100.7", Bind: loopback(t) + ":0",
		Protocol: dataplane.ProtocolHTTPS, ListenerPort: 443, Certificate: &cert.cert, Backends: backends,
		HTTP2: true,
	}
}

// handshake makes a TLS connection to addr with cfg (ServerName and roots
// set by the caller or defaulted) and returns its state.
func handshake(t testing.TB, addr string, cfg *tls.Config) (tls.ConnectionState, error) {
	t.Helper()
	if cfg == nil {
		cfg = &tls.Config{}
	}
	if cfg.RootCAs == nil && !cfg.InsecureSkipVerify {
		cfg.RootCAs = roots()
	}
	d := &net.Dialer{Timeout: 5 * time.Second}
	c, err := tls.DialWithDialer(d, "tcp", addr, cfg)
	if err != nil {
		return tls.ConnectionState{}, err
	}
	defer c.Close()
	// A TLS 1.3 server refuses a client certificate after the client's
	// Finished: a request's answer (503 without backends) surfaces it.
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if c.ConnectionState().NegotiatedProtocol == "h2" {
		return c.ConnectionState(), nil
	}
	if _, err := io.WriteString(c, "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); err != nil {
		return c.ConnectionState(), err
	}
	if _, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil {
		return c.ConnectionState(), err
	}
	return c.ConnectionState(), nil
}

// client returns an HTTP client for HTTPS listeners that dials addr for
// every host, trusting the test roots; h2 chooses HTTP/2 over ALPN.
func client(addr string, h2 bool) *http.Client {
	tr := &http.Transport{
		TLSClientConfig:    &tls.Config{RootCAs: roots()},
		DisableCompression: true,
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
		ForceAttemptHTTP2: h2,
	}
	if !h2 {
		tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// get sends GET url through c and returns the response with its body read.
func get(t testing.TB, c *http.Client, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", url, err)
	}
	return resp, body
}

// echoOf decodes a backend's echo.
func echoOf(t testing.TB, body []byte) echo {
	t.Helper()
	var e echo
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("not an echo: %v: %q", err, body)
	}
	return e
}

// rawRequest sends one HTTP/1.1 request on an open connection and reads
// the response: the tests' way to keep one connection across changes.
func rawRequest(t testing.TB, c net.Conn, br *bufio.Reader, host, path string) *http.Response {
	t.Helper()
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path, host)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("request on the open connection: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// eventually retries cond until it holds or d passes.
func eventually(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
