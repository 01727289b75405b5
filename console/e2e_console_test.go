package console_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
	"slbcert/server"
)

// TestSignInRefusals: a key the API would refuse is refused with the
// API's code on the form, and no session starts.
func TestSignInRefusals(t *testing.T) {
	f := &fixture{srv: startWithIAM(t)}
	f.base = "http://" + f.srv.Addr()
	for _, tc := range []struct{ name, id, secret, code string }{
		{"unknown key", "LTAI5tNoSuchKey000001", "whatever", "InvalidAccessKeyId.NotFound"},
		{"wrong secret", e2e.AccessKeyID, "not-the-secret", "SignatureDoesNotMatch"},
		{"inactive key", formerID, formerSecret, "InvalidAccessKeyId.Inactive"},
		{"temporary key without its token", "STS.NotAToken000001", "temporary-secret-value", "MissingSecurityToken"},
		{"no key", "", "some-secret-value", "MissingParameter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := f.client(t)
			status, body := c.trySignIn(tc.id, tc.secret, "")
			if status != http.StatusForbidden || !strings.Contains(body, tc.code) {
				t.Fatalf("%d, want 403 showing %s:\n%s", status, tc.code, body)
			}
			if tc.secret != "" && strings.Contains(body, tc.secret) {
				t.Fatal("the page shows the secret")
			}
			if status, _ := c.get("/console/certificates"); status != http.StatusOK {
				t.Fatalf("GET after a refusal: %d", status)
			}
			if _, body := c.get("/console/certificates"); !strings.Contains(body, "AccessKey Secret") {
				t.Fatal("a refused sign-in reached a page")
			}
		})
	}
	if strings.Contains(f.srv.Log.String(), "not-the-secret") {
		t.Fatal("the log holds a secret")
	}
}

// TestSessionCookie: HttpOnly, SameSite=Strict, scoped to /console/,
// expiring, Secure over HTTPS, and never the secret.
func TestSessionCookie(t *testing.T) {
	f := &fixture{srv: startWithIAM(t)}
	f.base = "http://" + f.srv.Addr()
	c := f.client(t)
	c.get("/console/signin")
	c.http.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, _ := http.NewRequest(http.MethodPost, f.base+"/console/signin", strings.NewReader(url.Values{
		"csrf": {c.csrf}, "accessKeyId": {e2e.AccessKeyID}, "accessKeySecret": {e2e.AccessKeySecret}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", f.base)
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", resp.StatusCode)
	}
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "slbcert_console" {
			session = ck
		}
		if strings.Contains(ck.Value, e2e.AccessKeySecret) || strings.Contains(ck.Raw, e2e.AccessKeySecret) {
			t.Fatalf("a cookie holds the secret: %s", ck.Raw)
		}
	}
	if session == nil {
		t.Fatalf("no session cookie: %v", resp.Header["Set-Cookie"])
	}
	if !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || session.Path != "/console/" || session.Secure {
		t.Fatalf("session cookie over HTTP: %s", session.Raw)
	}
	if session.MaxAge <= 0 || session.MaxAge > int((8*time.Hour).Seconds()) {
		t.Fatalf("session cookie Max-Age %d", session.MaxAge)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Frame-Options"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("no %s", h)
		}
	}
	if strings.Contains(f.srv.Log.String(), e2e.AccessKeySecret) {
		t.Fatal("the log holds the secret")
	}
}

// TestSessionCookieSecureOverHTTPS: the same sign-in over HTTPS sets
// Secure.
func TestSessionCookieSecureOverHTTPS(t *testing.T) {
	srv, base, hc := startTLS(t)
	_ = srv
	c := newClient(t, base)
	c.http = hc
	c.get("/console/signin")
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, _ := http.NewRequest(http.MethodPost, base+"/console/signin", strings.NewReader(url.Values{
		"csrf": {c.csrf}, "accessKeyId": {e2e.AccessKeyID}, "accessKeySecret": {e2e.AccessKeySecret}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == "slbcert_console" {
			if !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode {
				t.Fatalf("session cookie over HTTPS: %s", ck.Raw)
			}
			return
		}
	}
	t.Fatalf("no session cookie (%d): %v", resp.StatusCode, resp.Header["Set-Cookie"])
}

// TestCrossSitePostRefused: a form posted from another origin, or
// without the session's token, changes nothing.
func TestCrossSitePostRefused(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn(e2e.AccessKeyID, e2e.AccessKeySecret)
	path := "/console/certificates/server/" + f.certB + "/rename"

	c.origin = "http://evil.example"
	if status, body := c.post(path, url.Values{"name": {"pwned"}}); status != http.StatusForbidden || !strings.Contains(body, "Cross-site request refused") {
		t.Fatalf("another Origin: %d\n%s", status, body)
	}
	c.origin = ""
	req, _ := http.NewRequest(http.MethodPost, f.base+path, strings.NewReader(url.Values{"csrf": {c.csrf}, "name": {"pwned"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", "http://evil.example/page")
	if status, _ := c.do(req); status != http.StatusForbidden {
		t.Fatalf("another Referer: %d", status)
	}
	c.origin = f.base
	if status, _ := c.post(path, url.Values{"name": {"pwned"}, "csrf": {"not-the-token"}}); status != http.StatusForbidden {
		t.Fatalf("a wrong token: %d", status)
	}
	if got := e2e.ServerCertificate(t, f.c, region, f.certB).ServerCertificateName; got != "www-renewed" {
		t.Fatalf("renamed to %q by a refused request", got)
	}
	// The same form from the console itself works.
	if status, body := c.post(path, url.Values{"name": {"www-next"}}); status != http.StatusOK || !strings.Contains(body, "Renamed") {
		t.Fatalf("rename: %d\n%s", status, body)
	}
	if got := e2e.ServerCertificate(t, f.c, region, f.certB).ServerCertificateName; got != "www-next" {
		t.Fatalf("name %q", got)
	}
}

// TestCertificatesPage: the certificates uploaded through the API appear
// with their expiry, days left, badge and the listener and domain
// extension that use them; an upload through the form appears too.
func TestCertificatesPage(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn(e2e.AccessKeyID, e2e.AccessKeySecret)
	_, body := c.get("/console/certificates?region=" + region)
	for _, want := range []string{f.certA, f.certB, f.expireA.UTC().Format("2006-01-02"), f.expireB.UTC().Format("2006-01-02"),
		f.lb + ":443", "api.example.com", "badge expiring", "badge valid", e2e.Fingerprint(f.pkiA.Leaf)} {
		if !strings.Contains(body, want) {
			t.Errorf("the certificates page lacks %q", want)
		}
	}
	fresh := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "shop.example.com", DNSNames: []string{"shop.example.com"}})
	status, body := c.postMultipart("/console/certificates", url.Values{"kind": {"server"}, "name": {"shop"}, "region": {region}},
		map[string]string{"certificateFile": fresh.ChainPEM, "privateKeyFile": fresh.KeyPEM})
	if status != http.StatusOK || !strings.Contains(body, "Uploaded server certificate") {
		t.Fatalf("upload: %d\n%s", status, body)
	}
	if strings.Contains(body, "PRIVATE KEY") {
		t.Fatal("a page shows the private key")
	}
	list := e2e.ServerCertificates(t, f.c, region, "")
	if len(list) != 3 {
		t.Fatalf("%d certificates after the upload", len(list))
	}
	// Pasted text works too, and a refusal is the API's code.
	status, body = c.post("/console/certificates", url.Values{"kind": {"server"}, "name": {"bad"}, "certificate": {"not a pem"}, "privateKey": {fresh.KeyPEM}, "region": {region}})
	if status != http.StatusBadRequest || !strings.Contains(body, "ServerCertificate") || strings.Contains(body, "PRIVATE KEY") {
		t.Fatalf("a malformed upload: %d\n%s", status, body)
	}
}

// TestDeleteInUse: the API's refusal, and what uses the certificate.
func TestDeleteInUse(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn(e2e.AccessKeyID, e2e.AccessKeySecret)
	_, body := c.post("/console/certificates/server/"+f.certA+"/delete", url.Values{"region": {region}})
	if !strings.Contains(body, "CertificateAndPrivateKeyIsRefered") || !strings.Contains(body, f.lb+":443") || !strings.Contains(body, "api.example.com") {
		t.Fatalf("delete in use:\n%s", body)
	}
}

// TestReplaceEverywhere: one action switches the listener and the domain
// extension to the new certificate, the probe then sees it served, and
// the old one may be deleted.
func TestReplaceEverywhere(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn(e2e.AccessKeyID, e2e.AccessKeySecret)
	probe := "/console/loadbalancers/" + f.lb + "/listeners/https/443?region=" + region + "&probe=1&sni=api.example.com"
	_, body := c.get(probe)
	if !strings.Contains(body, e2e.Fingerprint(f.pkiA.Leaf)) || !strings.Contains(body, f.certA) {
		t.Fatalf("probe before:\n%s", section(body, "probe-result"))
	}
	status, body := c.post("/console/certificates/server/"+f.certA+"/replace", url.Values{"replacement": {f.certB}, "region": {region}})
	if status != http.StatusOK || !strings.Contains(body, "now uses "+f.certB) || !strings.Contains(body, "offer-delete") {
		t.Fatalf("replace: %d\n%s", status, body)
	}
	if f.listenerCert(t) != f.certB || f.extensionCert(t) != f.certB {
		t.Fatalf("after the replace: listener %s, extension %s", f.listenerCert(t), f.extensionCert(t))
	}
	for _, sni := range []string{"api.example.com", "www.example.com"} {
		_, body = c.get("/console/loadbalancers/" + f.lb + "/listeners/https/443?region=" + region + "&probe=1&sni=" + sni)
		if !strings.Contains(body, e2e.Fingerprint(f.pkiB.Leaf)) || strings.Contains(section(body, "probe-result"), e2e.Fingerprint(f.pkiA.Leaf)) {
			t.Fatalf("probe %s after:\n%s", sni, section(body, "probe-result"))
		}
	}
	if status, body := c.post("/console/certificates/server/"+f.certA+"/delete", url.Values{"region": {region}}); status != http.StatusOK || !strings.Contains(body, "Deleted") {
		t.Fatalf("delete after the replace: %d\n%s", status, body)
	}
	if l := e2e.ServerCertificates(t, f.c, region, f.certA); len(l) != 0 {
		t.Fatalf("still there: %+v", l)
	}
}

// TestRAMUserRefused: a RAM user sees what its policy lets it read, and
// the upload it may not do is the API's NoPermission; another account's
// resources never appear.
func TestRAMUserRefused(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn(viewerID, viewerSecret)
	_, body := c.get("/console/certificates?region=" + region)
	if strings.Contains(body, f.certA) || strings.Contains(body, "The API refused") {
		t.Fatalf("account B's viewer sees:\n%s", body)
	}
	fresh := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "b.example.com", DNSNames: []string{"b.example.com"}})
	status, body := c.post("/console/certificates", url.Values{"kind": {"server"}, "name": {"b"}, "certificate": {fresh.ChainPEM}, "privateKey": {fresh.KeyPEM}, "region": {region}})
	if status != http.StatusForbidden || !strings.Contains(body, "NoPermission") {
		t.Fatalf("viewer upload: %d\n%s", status, body)
	}
	if !strings.Contains(f.srv.Log.String(), `"action":"UploadServerCertificate","code":"NoPermission"`) {
		t.Fatal("the refused upload is not in the request log")
	}
}

// TestCallsLoggedAndShown: the console's calls are the gateway's log
// lines (via=console, principal, code) and metrics; the calls page lists
// the account's API calls and the console's apart.
func TestCallsLoggedAndShown(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn(e2e.AccessKeyID, e2e.AccessKeySecret)
	c.get("/console/certificates?region=" + region)
	log := f.srv.Log.String()
	line := e2e.GrepLines(log, `"action":"DescribeServerCertificates"`)
	if !strings.Contains(line, `"via":"console"`) || !strings.Contains(line, `"principal":"root"`) {
		t.Fatalf("no console line for DescribeServerCertificates:\n%s", line)
	}
	_, metrics := f.srv.Get(t, "/metrics")
	if !strings.Contains(metrics, `slbcert_requests_total{action="DescribeDomainExtensions",code=""}`) {
		t.Fatal("the console's calls are not counted")
	}
	_, body := c.get("/console/calls")
	api, con := section(body, "api-calls"), section(body, "console-calls")
	if !strings.Contains(api, "UploadServerCertificate") || !strings.Contains(api, "StartLoadBalancerListener") {
		t.Fatalf("API calls:\n%s", api)
	}
	if !strings.Contains(con, "DescribeDomainExtensions") {
		t.Fatalf("console calls:\n%s", con)
	}
	if strings.Contains(body, e2e.AccessKeySecret) || strings.Contains(body, "BEGIN") {
		t.Fatal("the calls page shows a secret or a PEM")
	}
	// A RAM user sees its own calls only.
	v := f.client(t)
	v.signIn(viewerID, viewerSecret)
	_, body = v.get("/console/calls")
	if strings.Contains(body, "UploadServerCertificate") || !strings.Contains(body, "user/viewer") {
		t.Fatalf("the viewer's calls page:\n%s", section(body, "api-calls"))
	}
}

// TestListenerStartStop: the listener's page stops and starts it.
func TestListenerStartStop(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn(e2e.AccessKeyID, e2e.AccessKeySecret)
	base := "/console/loadbalancers/" + f.lb + "/listeners/https/443"
	if _, body := c.post(base+"/stop", url.Values{"region": {region}}); !strings.Contains(body, "Stopped") {
		t.Fatalf("stop:\n%s", body)
	}
	out := e2e.MustCommon(t, f.c, "DescribeLoadBalancerHTTPSListenerAttribute", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "443"})
	if out["Status"] != "stopped" {
		t.Fatalf("status %v", out["Status"])
	}
	_, body := c.get("/console/certificates?region=" + region)
	if !strings.Contains(body, f.lb+":443") {
		t.Fatal("a stopped listener is not in used by")
	}
	if _, body := c.post(base+"/start", url.Values{"region": {region}, "back": {"loadbalancer"}}); !strings.Contains(body, "Started") || !strings.Contains(body, "Default backend servers") {
		t.Fatalf("start:\n%s", body)
	}
}

// TestLoadBalancerPages: the load balancer's listeners, the data plane's
// view and the backends' health as DescribeHealthStatus reports it.
func TestLoadBalancerPages(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn(e2e.AccessKeyID, e2e.AccessKeySecret)
	_, body := c.get("/console/loadbalancers?region=" + region)
	if !strings.Contains(body, f.lb) || !strings.Contains(body, "HTTPS:443") || !strings.Contains(body, "serving") {
		t.Fatalf("load balancers:\n%s", body)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, body = c.get("/console/loadbalancers/" + f.lb + "?region=" + region)
		if strings.Contains(section(body, "health"), "health-normal") || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !strings.Contains(section(body, "health"), "i-web1") || !strings.Contains(section(body, "health"), "health-normal") {
		t.Fatalf("health:\n%s", section(body, "health"))
	}
	_, body = c.get("/console/?region=" + region)
	if !strings.Contains(body, "www-2026") || !strings.Contains(section(body, "problems"), "None") {
		t.Fatalf("overview:\n%s", body)
	}
}

// section is the part of a page from the element with id on, to the end
// of its section.
func section(body, id string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		return rest[:j]
	}
	return rest
}

// TestSignInWithSTS: temporary credentials sign in as the role session;
// once the token expires the session ends, with the API's code.
func TestSignInWithSTS(t *testing.T) {
	var offset atomic.Int64
	path := filepath.Join(t.TempDir(), "iam.json")
	if err := os.WriteFile(path, []byte(e2e.STSIAM), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := e2e.Start(t, func(c *server.Config) {
		c.IAMFile = path
		c.Clock = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	})
	req := e2e.AssumeRequest("CertManager", "console-test")
	req.DurationSeconds = "900"
	creds := srv.Assume(t, "AKS-ci", "s-ci", req).Credentials
	c := newClient(t, "http://"+srv.Addr())
	status, body := c.trySignIn(creds.AccessKeyId, creds.AccessKeySecret, creds.SecurityToken)
	if status != http.StatusOK || !strings.Contains(body, "assumed-role/CertManager/console-test") {
		t.Fatalf("sign-in with STS: %d\n%s", status, body)
	}
	if strings.Contains(body, creds.SecurityToken) || strings.Contains(body, creds.AccessKeySecret) {
		t.Fatal("the page shows the token or the secret")
	}
	// A wrong token is the API's code.
	d := newClient(t, "http://"+srv.Addr())
	if _, body := d.trySignIn(creds.AccessKeyId, creds.AccessKeySecret, "not-a-token"); !strings.Contains(body, "InvalidSecurityToken.Malformed") {
		t.Fatalf("a malformed token:\n%s", body)
	}
	offset.Store(int64(20 * time.Minute)) // past the token's 15 minutes, within the session's idle 30
	_, body = c.get("/console/certificates")
	if !strings.Contains(body, "InvalidSecurityToken.Expired") || !strings.Contains(body, "AccessKey Secret") {
		t.Fatalf("after the token expired:\n%s", body)
	}
	log := srv.Log.String()
	if strings.Contains(log, creds.SecurityToken) || strings.Contains(log, creds.AccessKeySecret) {
		t.Fatal("the log holds the token or the secret")
	}
}

// TestCAAndCatalogForms: CA certificates and catalog entries are
// uploaded, renamed and deleted through the same forms, with their own
// API actions.
func TestCAAndCatalogForms(t *testing.T) {
	f := &fixture{srv: startWithIAM(t)}
	f.base = "http://" + f.srv.Addr()
	c := f.client(t)
	c.signIn(e2e.AccessKeyID, e2e.AccessKeySecret)
	root := testpki.NewRoot("Console Test CA", testpki.NewKey("p256"))
	entry := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "cat.example.com", DNSNames: []string{"cat.example.com"}})
	for _, tc := range []struct{ kind, name, cert, key, rename, action string }{
		{"ca", "clients", testpki.ChainPEM(root.Cert), "", "clients-2", "SetCACertificateName"},
		{"catalog", "cat", entry.ChainPEM, entry.KeyPEM, "cat-2", "CreateCertificateName"},
	} {
		status, body := c.post("/console/certificates", url.Values{"kind": {tc.kind}, "name": {tc.name}, "certificate": {tc.cert}, "privateKey": {tc.key}, "region": {region}})
		if status != http.StatusOK || !strings.Contains(body, "Uploaded "+kindName(tc.kind)) {
			t.Fatalf("%s upload: %d\n%s", tc.kind, status, body)
		}
		id := between(body, "Uploaded "+kindName(tc.kind)+" ", ".")
		path := "/console/certificates/" + tc.kind + "/" + id
		if _, body := c.post(path+"/rename", url.Values{"name": {tc.rename}, "region": {region}}); !strings.Contains(body, "Renamed") || !strings.Contains(body, tc.rename) {
			t.Fatalf("%s rename:\n%s", tc.kind, body)
		}
		if !strings.Contains(f.srv.Log.String(), `"action":"`+tc.action+`","code":""`) {
			t.Fatalf("no %s in the log", tc.action)
		}
		if _, body := c.post(path+"/delete", url.Values{"region": {region}}); !strings.Contains(body, "Deleted") {
			t.Fatalf("%s delete:\n%s", tc.kind, body)
		}
		if _, body := c.get(path + "?region=" + region); strings.Contains(body, tc.rename) {
			t.Fatalf("%s still listed", tc.kind)
		}
	}
}

func kindName(kind string) string {
	return map[string]string{"server": "server certificate", "ca": "CA certificate", "catalog": "catalog certificate"}[kind]
}

func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, to)
	return v
}
