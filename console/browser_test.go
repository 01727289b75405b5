package console_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
)

// TestBrowserCertificates: signed in, the certificates page shows the
// uploaded certificate with its expiry and the listener that uses it;
// an upload through the form (PEM files) appears.
func TestBrowserCertificates(t *testing.T) {
	f := newFixture(t)
	ctx := tab(t, wideWidth, wideHeight, true)
	signInBrowser(t, ctx, f.base, e2e.AccessKeyID, e2e.AccessKeySecret)
	mustContain(t, "the overview", text(t, ctx, "main"), "Overview", "www-2026")

	do(t, ctx, chromedp.Navigate(f.base+"/console/certificates?region="+region))
	server := text(t, ctx, "section[aria-labelledby=server]")
	mustContain(t, "the server certificates", server, f.certA, f.expireA.UTC().Format("2006-01-02"), f.lb+":443", "api.example.com", "expiring", f.certB, "valid")

	dir := t.TempDir()
	fresh := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "shop.example.com", DNSNames: []string{"shop.example.com"}})
	certFile, keyFile := filepath.Join(dir, "shop.pem"), filepath.Join(dir, "shop.key")
	os.WriteFile(certFile, []byte(fresh.ChainPEM), 0o600)
	os.WriteFile(keyFile, []byte(fresh.KeyPEM), 0o600)
	do(t, ctx,
		chromedp.SendKeys(chromedp.ID("up-name"), "shop"),
		chromedp.SetUploadFiles(chromedp.ID("up-cert-file"), []string{certFile}),
		chromedp.SetUploadFiles(chromedp.ID("up-key-file"), []string{keyFile}))
	submit(t, ctx, "form.upload button[type=submit]")
	main := text(t, ctx, "main")
	mustContain(t, "the uploaded certificate's page", main, "Uploaded server certificate", "shop.example.com", e2e.Fingerprint(fresh.Leaf))
	if strings.Contains(main, "PRIVATE KEY") {
		t.Fatal("the page shows the key")
	}
}

// TestBrowserReplaceEverywhere: replace everywhere switches the listener
// and its domain extension; the probe then shows the new certificate
// served for both names; the old one is deleted from the offer.
func TestBrowserReplaceEverywhere(t *testing.T) {
	f := newFixture(t)
	ctx := tab(t, wideWidth, wideHeight, true)
	acceptDialogs(ctx)
	signInBrowser(t, ctx, f.base, e2e.AccessKeyID, e2e.AccessKeySecret)
	listener := f.base + "/console/loadbalancers/" + f.lb + "/listeners/https/443?region=" + region
	probe := func(sni string) string {
		do(t, ctx, chromedp.Navigate(listener), chromedp.SendKeys(chromedp.ID("sni"), sni))
		submit(t, ctx, "section[aria-labelledby=probe] button[type=submit]")
		return text(t, ctx, "#probe-result")
	}
	mustContain(t, "the probe before", probe("api.example.com"), f.certA, e2e.Fingerprint(f.pkiA.Leaf))

	do(t, ctx, chromedp.Navigate(f.base+"/console/certificates/server/"+f.certA+"?region="+region),
		chromedp.SetValue(chromedp.ID("replacement"), f.certB))
	submit(t, ctx, "section[aria-labelledby=replace] button[type=submit]")
	mustContain(t, "the replacement's answer", text(t, ctx, "main"), "now uses "+f.certB, "SetLoadBalancerHTTPSListenerAttribute", "SetDomainExtensionAttribute", "it may be deleted")
	if f.listenerCert(t) != f.certB || f.extensionCert(t) != f.certB {
		t.Fatalf("listener %s, extension %s", f.listenerCert(t), f.extensionCert(t))
	}
	for _, sni := range []string{"api.example.com", "www.example.com"} {
		got := probe(sni)
		mustContain(t, "the probe of "+sni+" after", got, f.certB, e2e.Fingerprint(f.pkiB.Leaf))
		if strings.Contains(got, e2e.Fingerprint(f.pkiA.Leaf)) {
			t.Fatalf("the old certificate is still served for %s:\n%s", sni, got)
		}
	}
	do(t, ctx, chromedp.Navigate(f.base+"/console/certificates/server/"+f.certA+"?region="+region))
	submit(t, ctx, "#delete")
	mustContain(t, "the delete", text(t, ctx, "main"), "Deleted server certificate "+f.certA)
}

// TestBrowserRAMUserRefused: a RAM user without
// slb:UploadServerCertificate sees the upload refused with NoPermission.
func TestBrowserRAMUserRefused(t *testing.T) {
	f := newFixture(t)
	ctx := tab(t, wideWidth, wideHeight, true)
	signInBrowser(t, ctx, f.base, viewerID, viewerSecret)
	mustContain(t, "the header", text(t, ctx, "header"), "user/viewer", accountB)
	fresh := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "b.example.com", DNSNames: []string{"b.example.com"}})
	do(t, ctx, chromedp.Navigate(f.base+"/console/certificates?region="+region),
		chromedp.SetValue(chromedp.ID("up-cert"), fresh.ChainPEM),
		chromedp.SetValue(chromedp.ID("up-key"), fresh.KeyPEM))
	submit(t, ctx, "form.upload button[type=submit]")
	mustContain(t, "the refused upload", text(t, ctx, "#upload-error"), "NoPermission", "UploadServerCertificate")
	if strings.Contains(text(t, ctx, "main"), f.certA) {
		t.Fatal("account B's viewer sees the default account's certificate")
	}
}

// TestBrowserWrongKey: a key the API does not know is refused with its
// code on the form.
func TestBrowserWrongKey(t *testing.T) {
	srv := startWithIAM(t)
	base := "http://" + srv.Addr()
	ctx := tab(t, narrowWidth, narrowHeight, true)
	signInBrowser(t, ctx, base, "LTAI5tNoSuchKey000001", "some-secret")
	mustContain(t, "the sign-in page", text(t, ctx, "#signin-error"), "InvalidAccessKeyId.NotFound")
	signInBrowser(t, ctx, base, e2e.AccessKeyID, "not-the-secret")
	mustContain(t, "the sign-in page", text(t, ctx, "#signin-error"), "SignatureDoesNotMatch")
}

// TestBrowserCrossSitePost: a page of another origin that posts a
// console form — the browser sends the session cookie, as the two are one
// site — is refused, and nothing changes.
func TestBrowserCrossSitePost(t *testing.T) {
	f := newFixture(t)
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><form id="f" method="post" action="%s/console/certificates/server/%s/rename">
<input name="name" value="pwned"><input name="csrf" value="guessed"><input name="region" value="%s"></form>
<script>document.getElementById("f").submit()</script>`, f.base, f.certB, region)
	}))
	t.Cleanup(evil.Close)
	ctx := tab(t, wideWidth, wideHeight, true)
	signInBrowser(t, ctx, f.base, e2e.AccessKeyID, e2e.AccessKeySecret)
	do(t, ctx, chromedp.Navigate(evil.URL), chromedp.WaitVisible(chromedp.CSS("main h1")))
	mustContain(t, "the cross-site post's answer", text(t, ctx, "main"), "Cross-site request refused")
	if got := e2e.ServerCertificate(t, f.c, region, f.certB).ServerCertificateName; got != "www-renewed" {
		t.Fatalf("renamed to %q", got)
	}
}

// TestBrowserKeyboard: the sign-in form, the navigation and an action are
// reachable with the keyboard alone; the skip link comes first.
func TestBrowserKeyboard(t *testing.T) {
	f := newFixture(t)
	ctx := tab(t, wideWidth, wideHeight, true)
	// The ID field has the focus on arrival; Tab moves to the secret.
	do(t, ctx, chromedp.Navigate(f.base+"/console/signin"), chromedp.KeyEvent(e2e.AccessKeyID), chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(e2e.AccessKeySecret))
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(pageLoad, nil, chromedp.KeyEvent(kb.Enter))); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "after a keyboard sign-in", text(t, ctx, "main"), "Overview")
	do(t, ctx, chromedp.KeyEvent(kb.Tab))
	if first, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.textContent`)); first != "Skip to content" {
		t.Fatalf("the first stop is %q", first)
	}
	// Tab to the Certificates link and follow it with Enter.
	for range 10 {
		do(t, ctx, chromedp.KeyEvent(kb.Tab))
		if at, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.textContent`)); at == "Certificates" {
			if _, err := chromedp.Run(ctx, chromedp.WaitEvent(pageLoad, nil, chromedp.KeyEvent(kb.Enter))); err != nil {
				t.Fatal(err)
			}
			mustContain(t, "the certificates page", text(t, ctx, "main"), f.certA)
			return
		}
	}
	t.Fatal("no Certificates link within 10 tabs")
}

// TestBrowserWidths: every page fits a phone's width (nothing scrolls
// sideways but the timeline's figure) and a desktop's, and fetches nothing
// from elsewhere; without JavaScript, sign-in, upload and the probe still
// work.
func TestBrowserWidths(t *testing.T) {
	f := newFixture(t)
	pages := []string{"/console/", "/console/certificates", "/console/certificates/server/" + f.certA, "/console/timeline",
		"/console/loadbalancers", "/console/loadbalancers/" + f.lb, "/console/loadbalancers/" + f.lb + "/listeners/https/443", "/console/calls"}
	for _, w := range []struct {
		name          string
		width, height int64
	}{{"narrow", narrowWidth, narrowHeight}, {"wide", wideWidth, wideHeight}} {
		t.Run(w.name, func(t *testing.T) {
			ctx := tab(t, w.width, w.height, false)
			signInBrowser(t, ctx, f.base, e2e.AccessKeyID, e2e.AccessKeySecret)
			for _, p := range pages {
				do(t, ctx, chromedp.Navigate(f.base+p+"?region="+region))
				overflow, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
				if err != nil {
					t.Fatal(err)
				}
				if overflow > 0 {
					t.Errorf("%s at %dpx: %dpx wider than the window", p, w.width, overflow)
				}
				// Nothing is fetched from anywhere but the console.
				resources, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`performance.getEntriesByType("resource").map(e => e.name)`))
				if err != nil {
					t.Fatal(err)
				}
				if len(resources) == 0 {
					t.Errorf("%s: no resources seen", p)
				}
				for _, r := range resources {
					if !strings.HasPrefix(r, f.base+"/console/") {
						t.Errorf("%s fetched %s", p, r)
					}
				}
			}
		})
	}
	t.Run("no JavaScript", func(t *testing.T) {
		ctx := tab(t, narrowWidth, narrowHeight, false)
		signInBrowser(t, ctx, f.base, e2e.AccessKeyID, e2e.AccessKeySecret)
		fresh := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "nojs.example.com", DNSNames: []string{"nojs.example.com"}})
		do(t, ctx, chromedp.Navigate(f.base+"/console/certificates?region="+region),
			chromedp.SetValue(chromedp.ID("up-cert"), fresh.ChainPEM), chromedp.SetValue(chromedp.ID("up-key"), fresh.KeyPEM))
		submit(t, ctx, "form.upload button[type=submit]")
		mustContain(t, "the upload without scripts", text(t, ctx, "main"), "Uploaded server certificate", "nojs.example.com")
		do(t, ctx, chromedp.Navigate(f.base+"/console/loadbalancers/"+f.lb+"/listeners/https/443?region="+region), chromedp.SendKeys(chromedp.ID("sni"), "www.example.com"))
		submit(t, ctx, "section[aria-labelledby=probe] button[type=submit]")
		mustContain(t, "the probe without scripts", text(t, ctx, "#probe-result"), f.certA)
	})
}
