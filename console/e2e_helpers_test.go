package console_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
	"slbcert/server"
	"slbcert/slbcerttest"
)

// The console tests' tenants, beside the default account (e2e's root
// key): account B with its root and a RAM user who may only read.
const (
	accountB     = "1000000000000002"
	rootBID      = "LTAI5tConsoleRootB001"
	rootBSecret  = "console-root-b-secret-0123456789"
	viewerID     = "LTAI5tConsoleViewer01"
	viewerSecret = "console-viewer-secret-0123456789"
	formerID     = "LTAI5tConsoleFormer01"
	formerSecret = "console-former-secret-0123456789"
	region       = "cn-hangzhou"
	portOffset   = 21000
)

const iamDoc = `{"accounts": [{
  "id": "` + accountB + `",
  "accessKeys": [{"id": "` + rootBID + `", "secret": "` + rootBSecret + `"}],
  "policies": [{"name": "ReadOnly", "document": {"Version": "1", "Statement": [
    {"Effect": "Allow", "Action": ["slb:Describe*", "slb:List*", "yundun-cert:List*", "yundun-cert:Get*"], "Resource": "*"}]}}],
  "users": [
    {"name": "viewer", "accessKeys": [{"id": "` + viewerID + `", "secret": "` + viewerSecret + `"}], "policies": ["ReadOnly"]},
    {"name": "former", "accessKeys": [{"id": "` + formerID + `", "secret": "` + formerSecret + `", "status": "Inactive"}], "policies": ["ReadOnly"]}
  ]
}]}`

var pools atomic.Int32

// testAddressPool gives each test server load-balancer addresses of its
// own (127.211.x.0/24), apart from other packages' tests running at once.
func testAddressPool() string {
	n := pools.Add(1)
	return fmt.Sprintf("127.%d.%d.0/24", 211+n/250, 1+n%250)
}

// fixture is a server with the IAM tenants above and, in the default
// account: certificate A (www.example.com, expiring in 20 days) on an
// HTTPS listener 443 with a domain extension for api.example.com, a
// healthy backend, and certificate B (a renewal, a year) unused.
type fixture struct {
	srv              *e2e.Server
	c                *slb.Client
	base             string
	lb, lbAddr       string
	certA, certB     string
	pkiA, pkiB       *testpki.Server
	ext              string
	backend          *httptest.Server
	backendIP        string
	backendPort      int
	expireA, expireB time.Time
}

func newFixture(t *testing.T, edit ...func(*server.Config)) *fixture {
	t.Helper()
	f := &fixture{}
	edits := append([]func(*server.Config){func(c *server.Config) {
		c.LBAddressPool, c.LBPortOffset = testAddressPool(), portOffset
	}}, edit...)
	f.srv = startWithIAM(t, edits...)
	f.base = "http://" + f.srv.Addr()
	f.c = f.srv.Client(t, region)
	f.expireA = time.Now().Add(20 * 24 * time.Hour).Truncate(time.Second)
	f.expireB = time.Now().AddDate(1, 0, 0).Truncate(time.Second)
	f.pkiA = testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "www.example.com", DNSNames: []string{"www.example.com", "api.example.com"}, NotAfter: f.expireA})
	f.pkiB = testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "www.example.com", DNSNames: []string{"www.example.com", "api.example.com"}, NotAfter: f.expireB})
	f.certA = f.upload(t, f.pkiA, "www-2026")
	f.certB = f.upload(t, f.pkiB, "www-renewed")

	f.backend = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello\n") }))
	t.Cleanup(f.backend.Close)
	host, port, _ := net.SplitHostPort(f.backend.Listener.Addr().String())
	f.backendIP, f.backendPort = host, atoi(port)

	lb := e2e.CreateLB(t, f.c, func(r *slb.CreateLoadBalancerRequest) { r.LoadBalancerName = "web" })
	f.lb, f.lbAddr = lb.LoadBalancerId, lb.Address
	e2e.MustCommon(t, f.c, "AddBackendServers", map[string]string{"LoadBalancerId": f.lb,
		"BackendServers": `[{"ServerId":"i-web1","ServerIp":"` + host + `","Weight":100}]`})
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "443",
		"BackendServerPort": port, "Bandwidth": "-1", "StickySession": "off", "ServerCertificateId": f.certA,
		"HealthCheck": "on", "HealthCheckURI": "/", "HealthCheckInterval": "1", "HealthCheckTimeout": "1",
		"HealthyThreshold": "2", "UnhealthyThreshold": "2"})
	ext := e2e.MustCommon(t, f.c, "CreateDomainExtension", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "443",
		"Domain": "api.example.com", "ServerCertificateId": f.certA})
	f.ext, _ = ext["DomainExtensionId"].(string)
	e2e.MustCommon(t, f.c, "StartLoadBalancerListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "443"})
	return f
}

// startWithIAM starts a server with the console tests' IAM file.
func startWithIAM(t *testing.T, edit ...func(*server.Config)) *e2e.Server {
	t.Helper()
	path := t.TempDir() + "/iam.json"
	if err := os.WriteFile(path, []byte(iamDoc), 0o600); err != nil {
		t.Fatal(err)
	}
	return e2e.Start(t, append([]func(*server.Config){func(c *server.Config) { c.IAMFile = path }}, edit...)...)
}

func (f *fixture) upload(t *testing.T, p *testpki.Server, name string) string {
	t.Helper()
	req := e2e.UploadRequest(region, p.ChainPEM, p.KeyPEM)
	req.ServerCertificateName = name
	resp, err := f.c.UploadServerCertificate(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp.ServerCertificateId
}

// listenerCert is the listener's ServerCertificateId, through the API.
func (f *fixture) listenerCert(t *testing.T) string {
	t.Helper()
	out := e2e.MustCommon(t, f.c, "DescribeLoadBalancerHTTPSListenerAttribute", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "443"})
	id, _ := out["ServerCertificateId"].(string)
	return id
}

// extensionCert is the domain extension's certificate, through the API.
func (f *fixture) extensionCert(t *testing.T) string {
	t.Helper()
	out := e2e.MustCommon(t, f.c, "DescribeDomainExtensionAttribute", map[string]string{"DomainExtensionId": f.ext})
	id, _ := out["ServerCertificateId"].(string)
	return id
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// client is a browser without a browser: a cookie jar, the last page's
// form token, and an Origin header on every POST, as a browser sends.
type client struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
	// origin is the Origin header POSTs carry ("" sends none).
	origin string
}

func (f *fixture) client(t *testing.T) *client { return newClient(t, f.base) }

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, origin: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

var csrfPattern = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) keep(resp *http.Response) (int, string) {
	c.t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	body := string(b)
	if m := csrfPattern.FindStringSubmatch(body); m != nil {
		c.csrf = m[1]
	}
	return resp.StatusCode, body
}

func (c *client) get(path string) (int, string) {
	c.t.Helper()
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.keep(resp)
}

// post sends a form with the last page's token (unless form has one).
func (c *client) post(path string, form url.Values) (int, string) {
	c.t.Helper()
	if form.Get("csrf") == "" {
		form.Set("csrf", c.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// postMultipart sends a multipart form (the upload), files by field.
func (c *client) postMultipart(path string, form url.Values, files map[string]string) (int, string) {
	c.t.Helper()
	if form.Get("csrf") == "" {
		form.Set("csrf", c.csrf)
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	for field, content := range files {
		fw, _ := w.CreateFormFile(field, field+".pem")
		io.WriteString(fw, content)
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

func (c *client) do(req *http.Request) (int, string) {
	c.t.Helper()
	if c.origin != "" {
		req.Header.Set("Origin", c.origin)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.keep(resp)
}

// signIn signs in through the form and fails the test unless the
// console's overview follows.
func (c *client) signIn(id, secret string) string {
	c.t.Helper()
	status, body := c.trySignIn(id, secret, "")
	if status != http.StatusOK || !strings.Contains(body, "<h1>Overview") {
		c.t.Fatalf("sign-in as %s: %d\n%s", id, status, body)
	}
	return body
}

func (c *client) trySignIn(id, secret, token string) (int, string) {
	c.t.Helper()
	c.get("/console/signin")
	return c.post("/console/signin", url.Values{"accessKeyId": {id}, "accessKeySecret": {secret}, "securityToken": {token}})
}

// startTLS starts a server over HTTPS (its local CA) and returns its base
// URL and a client trusting it, with a cookie jar.
func startTLS(t *testing.T) (*slbcerttest.Server, string, *http.Client) {
	t.Helper()
	srv := slbcerttest.NewServer(t, slbcerttest.WithTLS(), slbcerttest.WithConfig(func(c *server.Config) {
		c.AccessKeyID, c.AccessKeySecret = e2e.AccessKeyID, e2e.AccessKeySecret
	}))
	jar, _ := cookiejar.New(nil)
	return srv, strings.TrimSuffix(srv.URL, "/"), &http.Client{Transport: srv.Transport(), Jar: jar, Timeout: 30 * time.Second}
}
