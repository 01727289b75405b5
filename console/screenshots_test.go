package console_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
	"github.com/chromedp/chromedp"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
)

// updateScreenshots rewrites the README's pictures of the console:
//
//	go test ./console -run TestScreenshots -update-screenshots
var updateScreenshots = flag.Bool("update-screenshots", false, "write the console's screenshots to docs/console/")

// TestScreenshots pictures the console in the browser the tests drive, at
// a desktop's and a phone's width, over a small estate: certificates valid,
// expiring and expired, a CA, a catalog entry, two load balancers, one of
// whose backends is down. Without -update-screenshots the pictures go to
// a temporary directory (the pages must still render).
func TestScreenshots(t *testing.T) {
	out := t.TempDir()
	if *updateScreenshots {
		out = filepath.Join("..", "docs", "console")
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	f := newFixture(t)
	f.estate(t)
	shots := []struct {
		name, path    string
		width, height int64
		probe         string
		full          bool // the whole page, not the window
	}{
		{"overview", "/console/", wideWidth, wideHeight, "", true},
		{"certificates", "/console/certificates", wideWidth, wideHeight, "", true},
		{"timeline", "/console/timeline", wideWidth, wideHeight, "", true},
		{"loadbalancer", "/console/loadbalancers/" + f.lb, wideWidth, wideHeight, "", true},
		{"listener-probe", "/console/loadbalancers/" + f.lb + "/listeners/https/443", wideWidth, wideHeight, "api.example.com", true},
		{"calls", "/console/calls", wideWidth, wideHeight, "", false},
		{"overview-narrow", "/console/", narrowWidth, narrowHeight, "", false},
		{"loadbalancer-narrow", "/console/loadbalancers/" + f.lb, narrowWidth, narrowHeight, "", false},
	}
	wide := tab(t, wideWidth, wideHeight, true)
	narrow := tab(t, narrowWidth, narrowHeight, true)
	signInBrowser(t, wide, f.base, e2e.AccessKeyID, e2e.AccessKeySecret)
	signInBrowser(t, narrow, f.base, e2e.AccessKeyID, e2e.AccessKeySecret)
	for _, s := range shots {
		ctx := wide
		if s.width == narrowWidth {
			ctx = narrow
		}
		do(t, ctx, chromedp.Navigate(f.base+s.path+"?region="+region))
		if s.probe != "" {
			do(t, ctx, chromedp.SendKeys(chromedp.ID("sni"), s.probe))
			submit(t, ctx, "section[aria-labelledby=probe] button[type=submit]")
		}
		shot := chromedp.CaptureScreenshot()
		if s.full {
			shot = chromedp.FullScreenshot(100)
		}
		png, err := chromedp.Run(ctx, shot)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if len(png) < 1000 {
			t.Fatalf("%s: %d bytes", s.name, len(png))
		}
		if err := os.WriteFile(filepath.Join(out, s.name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if *updateScreenshots {
		t.Logf("wrote %d screenshots to %s", len(shots), out)
	}
}

// estate adds to the fixture what the pictures show: an expired and a
// long-lived certificate, a CA, a catalog entry, an HTTP redirect, a dead
// backend, and a second load balancer with a stopped listener.
func (f *fixture) estate(t *testing.T) {
	t.Helper()
	expired := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "legacy.example.com", DNSNames: []string{"legacy.example.com"},
		NotBefore: time.Now().AddDate(-1, 0, 0), NotAfter: time.Now().Add(-9 * 24 * time.Hour)})
	legacy := f.upload(t, expired, "legacy-2025")
	shop := f.upload(t, testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "shop.example.com", DNSNames: []string{"shop.example.com"},
		NotAfter: time.Now().AddDate(0, 7, 0)}), "shop")
	root := testpki.NewRoot("Example Clients CA", testpki.NewKey("p256"))
	ca := e2e.MustCommon(t, f.c, "UploadCACertificate", map[string]string{"RegionId": region, "CACertificateName": "clients-ca",
		"CACertificate": testpki.ChainPEM(root.Cert)})
	caID, _ := ca["CACertificateId"].(string)
	cat := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "*.example.com", DNSNames: []string{"*.example.com", "example.com"},
		NotAfter: time.Now().AddDate(0, 3, 0)})
	e2e.UploadUserCertificate(t, f.srv.CASClient(t), "wildcard-2027", cat.ChainPEM, cat.KeyPEM)

	e2e.MustCommon(t, f.c, "CreateDomainExtension", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "443",
		"Domain": "legacy.example.com", "ServerCertificateId": legacy})
	// i-web2 is on 127.0.0.3, where nothing answers the backends' port.
	e2e.MustCommon(t, f.c, "AddBackendServers", map[string]string{"LoadBalancerId": f.lb,
		"BackendServers": `[{"ServerId":"i-web2","ServerIp":"127.0.0.3","Weight":50}]`})
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "80",
		"Bandwidth": "-1", "StickySession": "off", "HealthCheck": "off", "ListenerForward": "on", "ForwardPort": "443"})
	e2e.MustCommon(t, f.c, "StartLoadBalancerListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "80"})

	lb := e2e.CreateLB(t, f.c, func(r *slb.CreateLoadBalancerRequest) { r.LoadBalancerName = "shop-internal" })
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", map[string]string{"LoadBalancerId": lb.LoadBalancerId, "ListenerPort": "8443",
		"BackendServerPort": "8080", "Bandwidth": "-1", "StickySession": "off", "HealthCheck": "off", "ServerCertificateId": shop,
		"CACertificateId": caID})
	// Let the health checks see the dead backend.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		out := e2e.MustCommon(t, f.c, "DescribeHealthStatus", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "443"})
		if s, _ := out["BackendServers"].(map[string]any); s != nil {
			abnormal := 0
			for _, b := range s["BackendServer"].([]any) {
				if b.(map[string]any)["ServerHealthStatus"] == "abnormal" {
					abnormal++
				}
			}
			if abnormal > 0 {
				break
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
}
