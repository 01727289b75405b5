package server_test

import (
	"crypto/tls"
	"crypto/x509"
	"io"
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

// TestOnePortTLSAndHTTP: with TLS configured, one port serves HTTPS
// (verified against the server's certificate, HTTP/1.1 and HTTP/2) and
// plain HTTP; Terraform's GET CommonRequest over HTTPS works beside a
// plain typed request; a silent client holds up nobody.
func TestOnePortTLSAndHTTP(t *testing.T) {
	dir := t.TempDir()
	s := e2e.Start(t, func(c *server.Config) { c.DataDir = dir; c.TLSSelfSigned = true })
	pem, err := os.ReadFile(filepath.Join(dir, "tls", "self-signed.crt"))
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)

	// A client that sends nothing must not delay the others.
	silent, err := net.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()

	c := s.Client(t, "cn-hangzhou")
	c.SetTransport(&http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}})
	lb := e2e.CreateLB(t, c).LoadBalancerId // plain HTTP, typed POST
	out, err := e2e.Common(t, c, "GET", "HTTPS", "DescribeLoadBalancerAttribute", map[string]string{"LoadBalancerId": lb})
	if err != nil {
		t.Fatalf("GET over HTTPS: %v", err)
	}
	e2e.JSONString(t, "LoadBalancerId", out["LoadBalancerId"], lb)
	req := slb.CreateDescribeLoadBalancerAttributeRequest()
	req.Scheme, req.LoadBalancerId = "https", lb
	if _, err := c.DescribeLoadBalancerAttribute(req); err != nil {
		t.Fatalf("typed over HTTPS: %v", err)
	}

	for _, h2 := range []bool{false, true} {
		tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: h2}
		if !h2 {
			tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
		}
		resp, err := (&http.Client{Transport: tr, Timeout: 5 * time.Second}).Get("https://" + s.Addr() + "/healthz")
		if err != nil {
			t.Fatalf("h2=%v: %v", h2, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if want := map[bool]int{false: 1, true: 2}[h2]; resp.ProtoMajor != want || resp.TLS == nil {
			t.Errorf("h2=%v: %s over TLS %v", h2, resp.Proto, resp.TLS != nil)
		}
	}
	if code, _ := s.Get(t, "/healthz"); code != http.StatusOK {
		t.Errorf("plain HTTP: %d", code)
	}
	// A handshake that fails is that connection's problem only.
	bad, err := tls.Dial("tcp", s.Addr(), &tls.Config{RootCAs: x509.NewCertPool(), ServerName: "localhost"})
	if err == nil {
		bad.Close()
		t.Error("an untrusted certificate was accepted")
	}
	if code, _ := s.Get(t, "/healthz"); code != http.StatusOK {
		t.Errorf("after a failed handshake: %d", code)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := net.DialTimeout("tcp", s.Addr(), time.Second); err == nil {
		t.Error("the port still accepts after Close")
	}
}

// TestOnePortSecureTransport: acs:SecureTransport follows each connection
// on the shared port.
func TestOnePortSecureTransport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "iam.json")
	os.WriteFile(path, []byte(testIAM), 0o600)
	s := e2e.Start(t, func(c *server.Config) { c.IAMFile = path; c.TLSSelfSigned = true })
	c := s.Client(t, "cn-hangzhou", "AKA-tls", "s-tls")
	c.SetHTTPSInsecure(true)
	req := slb.CreateDescribeLoadBalancersRequest()
	_, err := c.DescribeLoadBalancers(req)
	e2e.ServerError(t, err, "NoPermission", 403)
	req = slb.CreateDescribeLoadBalancersRequest()
	req.Scheme = "https"
	if _, err := c.DescribeLoadBalancers(req); err != nil {
		t.Fatalf("over TLS: %v", err)
	}
}
