package slb_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/server"
)

// dpPortOffset is the --lb-port-offset of the data-plane tests: listener
// port 443 is bound on 20443, so that the tests need no privilege.
const dpPortOffset = 20000

// dpFixture is a server whose data plane binds in an address pool of its
// own, with two uploaded server certificates, a CA and a load balancer
// (lbFixture's), and the load balancer's address.
type dpFixture struct {
	*lbFixture
	addr string
}

func newDPFixture(t *testing.T, edit ...func(*server.Config)) *dpFixture {
	t.Helper()
	edits := append([]func(*server.Config){func(c *server.Config) {
		c.LBAddressPool, c.LBPortOffset = testAddressPool(), dpPortOffset
	}}, edit...)
	f := &dpFixture{lbFixture: newLBFixture(t, edits...)}
	lb, err := describeLB(t, f.c, f.lb)
	if err != nil {
		t.Fatal(err)
	}
	f.addr = lb.Address
	return f
}

// at is where the data plane binds listener port on the fixture's load
// balancer.
func (f *dpFixture) at(port int) string { return net.JoinHostPort(f.addr, itoa(port+dpPortOffset)) }

// httpsListener creates and starts an HTTPS listener on port with the
// fixture's first certificate and the given parameters (over the
// defaults: no health check, the default backends on port 80).
func (f *dpFixture) httpsListener(t *testing.T, port int, params map[string]string) {
	t.Helper()
	p := map[string]string{"LoadBalancerId": f.lb, "ListenerPort": itoa(port), "BackendServerPort": "80",
		"HealthCheck": "off", "StickySession": "off", "ServerCertificateId": f.cert}
	for k, v := range params {
		p[k] = v
	}
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", p)
	if err := startListener(t, f.c, f.lb, port, "https"); err != nil {
		t.Fatal(err)
	}
}

// vserverGroup creates a VServer group of the fixture's load balancer with
// the backends given (ServerIp members) and returns its id.
func (f *dpFixture) vserverGroup(t *testing.T, backends ...*echoBackend) string {
	t.Helper()
	var members []map[string]any
	for _, b := range backends {
		host, p, _ := net.SplitHostPort(b.addr())
		members = append(members, map[string]any{"ServerId": b.id, "ServerIp": host, "Port": p, "Weight": 100})
	}
	req := slb.CreateCreateVServerGroupRequest()
	req.LoadBalancerId, req.VServerGroupName, req.BackendServers = f.lb, "web", jsonText(members)
	resp, err := f.c.CreateVServerGroup(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp.VServerGroupId
}

// echoBackend is a backend server answering with what it received.
type echoBackend struct {
	id   string
	srv  *httptest.Server
	hits atomic.Int64 // requests other than health checks
	// hold, when set, is waited for before answering.
	hold atomic.Pointer[chan struct{}]
	got  chan struct{} // a request arrived (buffered)
}

// echoAnswer is an echoBackend's answer.
type echoAnswer struct {
	Backend string
	Host    string
	URI     string
	Header  http.Header
}

func newEchoBackend(t *testing.T, id string) *echoBackend {
	t.Helper()
	b := &echoBackend{id: id, got: make(chan struct{}, 16)}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") != "slbcert-health-check" {
			b.hits.Add(1)
			select {
			case b.got <- struct{}{}:
			default:
			}
			if h := b.hold.Load(); h != nil {
				<-*h
			}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(echoAnswer{Backend: id, Host: r.Host, URI: r.RequestURI, Header: r.Header})
	}))
	t.Cleanup(b.srv.Close)
	return b
}

func (b *echoBackend) addr() string { return b.srv.Listener.Addr().String() }

func (b *echoBackend) port() string { _, p, _ := net.SplitHostPort(b.addr()); return p }

// tlsTo returns a TLS client configuration for serverName that accepts any
// server certificate: the tests compare what is served with what was
// uploaded instead.
func tlsTo(serverName string) *tls.Config {
	return &tls.Config{ServerName: serverName, InsecureSkipVerify: true}
}

// handshakeAt makes a TLS connection to addr and returns its state.
func handshakeAt(addr string, cfg *tls.Config) (tls.ConnectionState, error) {
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr, cfg)
	if err != nil {
		return tls.ConnectionState{}, err
	}
	defer c.Close()
	return c.ConnectionState(), nil
}

// served returns the chain a fresh handshake with addr for serverName
// presents, as PEM (what UploadServerCertificate took).
func served(t *testing.T, addr, serverName string) string {
	t.Helper()
	cs, err := handshakeAt(addr, tlsTo(serverName))
	if err != nil {
		t.Fatalf("handshake with %s for %q: %v", addr, serverName, err)
	}
	return chainPEM(cs.PeerCertificates)
}

func chainPEM(certs []*x509.Certificate) string {
	var b strings.Builder
	for _, c := range certs {
		pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	return b.String()
}

// clientTo returns an HTTP client whose connections all go to addr, over
// TLS with cfg when it is not nil; requests name the host they like.
func clientTo(addr string, cfg *tls.Config) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		DialContext:     func(ctx context.Context, _, _ string) (net.Conn, error) { return d.DialContext(ctx, "tcp", addr) },
		TLSClientConfig: cfg,
	}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// getEcho makes a GET through c and decodes the backend's echo.
func getEcho(t *testing.T, c *http.Client, url string) (*http.Response, echoAnswer) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return doEcho(t, c, req)
}

// doEcho sends req through c and decodes the backend's echo (zero unless
// the answer is 200).
func doEcho(t *testing.T, c *http.Client, req *http.Request) (*http.Response, echoAnswer) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var e echoAnswer
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, &e); err != nil {
			t.Fatalf("%s %s: %v\n%s", req.Method, req.URL, err, body)
		}
	}
	return resp, e
}

// closed reports whether nothing listens on addr any more.
func closed(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err == nil {
		c.Close()
		return false
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// eventually waits up to d for cond, failing t with what otherwise.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// setHTTPS sends SetLoadBalancerHTTPSListenerAttribute with params.
func (f *dpFixture) setHTTPS(t *testing.T, port int, params map[string]string) {
	t.Helper()
	p := map[string]string{"LoadBalancerId": f.lb, "ListenerPort": itoa(port)}
	for k, v := range params {
		p[k] = v
	}
	e2e.MustCommon(t, f.c, "SetLoadBalancerHTTPSListenerAttribute", p)
}

var testPools atomic.Int64

// testAddressPool returns a load-balancer address pool of its own for a
// test server, 127.100.1.0/24 onwards: the data plane binds its listeners
// there, and test servers running in parallel must not take each other's
// ports (the others keep the default pool and run one at a time).
func testAddressPool() string {
	n := testPools.Add(1)
	return fmt.Sprintf("127.%d.%d.0/24", 100+n/250, 1+n%250)
}
