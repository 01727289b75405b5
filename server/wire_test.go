package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
	"slbcert/server"
	slbsvc "slbcert/slb"
)

func TestHealthz(t *testing.T) {
	s := e2e.Start(t)
	if code, body := s.Get(t, "/healthz"); code != 200 || body != "ok\n" {
		t.Fatalf("healthz: %d %q", code, body)
	}
}

func TestSignatureErrors(t *testing.T) {
	s := e2e.Start(t)
	req := func() *slb.DescribeServerCertificatesRequest {
		r := slb.CreateDescribeServerCertificatesRequest()
		r.Scheme = "http"
		return r
	}
	_, err := s.Client(t, "cn-hangzhou", e2e.AccessKeyID, "wrong-secret").DescribeServerCertificates(req())
	se := e2e.ServerError(t, err, "SignatureDoesNotMatch", 400)
	if !strings.Contains(se.Message(), "server string to sign is:POST&%2F&") {
		t.Errorf("message %q lacks the string to sign", se.Message())
	}
	_, err = s.Client(t, "cn-hangzhou", "LTAIunknown", "x").DescribeServerCertificates(req())
	e2e.ServerError(t, err, "InvalidAccessKeyId.NotFound", 404)

	// The right key works, from the same server.
	if _, err := s.Client(t, "cn-hangzhou").DescribeServerCertificates(req()); err != nil {
		t.Fatal(err)
	}

	// An unsigned request.
	resp, err := http.Post(s.URL()+"?Action=DescribeServerCertificates&Version=2014-05-15&RegionId=cn-hangzhou", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	e2e.CheckErrorBody(t, resp, "IncompleteSignature", 400)
	if strings.Contains(s.Log.String(), "wrong-secret") || strings.Contains(s.Log.String(), e2e.AccessKeySecret) {
		t.Error("a secret reached the log")
	}
}

func TestActionAndVersion(t *testing.T) {
	s := e2e.Start(t)
	c := s.Client(t, "cn-hangzhou")
	common := func(action, version string) *requests.CommonRequest {
		r := requests.NewCommonRequest()
		r.Scheme = "http"
		r.Domain = s.Addr()
		r.Product = "Slb"
		r.Version = version
		r.ApiName = action
		r.QueryParams["RegionId"] = "cn-hangzhou"
		return r
	}
	_, err := c.ProcessCommonRequest(common("NoSuchAction", "2014-05-15"))
	e2e.ServerError(t, err, "InvalidAction.NotFound", 404)
	_, err = c.ProcessCommonRequest(common("DescribeServerCertificates", "2099-01-01"))
	e2e.ServerError(t, err, "InvalidVersion", 400)
	resp, err := c.ProcessCommonRequest(common("DescribeServerCertificates", "2014-05-15"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(resp.GetHttpContentString(), `"ServerCertificates":{"ServerCertificate":[]}`) {
		t.Errorf("empty list body %s", resp.GetHttpContentString())
	}
}

// TestFormBodyAndGET: parameters may come in a form body (signed together
// with the query) or in a GET query string; Format is case-insensitive.
func TestFormBodyAndGET(t *testing.T) {
	s := e2e.Start(t)
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "form.example.com"})
	// Common parameters in the query, business parameters in the body.
	resp, err := s.SendV1("POST", slbsvc.APIVersion, url.Values{"Action": {"UploadServerCertificate"}, "Format": {"json"}},
		url.Values{"RegionId": {"cn-hangzhou"}, "ServerCertificate": {srv.ChainPEM}, "PrivateKey": {srv.KeyPEM}},
		e2e.AccessKeyID, e2e.AccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	var up struct{ ServerCertificateId, Fingerprint string }
	json.NewDecoder(resp.Body).Decode(&up)
	resp.Body.Close()
	if resp.StatusCode != 200 || up.Fingerprint != e2e.Fingerprint(srv.Leaf) {
		t.Fatalf("form upload: %d %+v", resp.StatusCode, up)
	}

	q := e2e.SignedQuery("GET", slbsvc.APIVersion, e2e.AccessKeyID, e2e.AccessKeySecret, "", url.Values{"Action": {"DescribeServerCertificates"}, "RegionId": {"cn-hangzhou"}, "ServerCertificateId": {up.ServerCertificateId}})
	code, body := s.Get(t, "/?"+q.Encode())
	if code != 200 || !strings.Contains(body, up.ServerCertificateId) {
		t.Fatalf("GET describe: %d %s", code, body)
	}

	// A replayed request (same nonce) is refused.
	code, body = s.Get(t, "/?"+q.Encode())
	if code != 400 || !strings.Contains(body, `"SignatureNonceUsed"`) {
		t.Fatalf("replay: %d %s", code, body)
	}
}

// TestLimits: an oversized body is refused with a 4xx and the server keeps serving.
func TestLimits(t *testing.T) {
	s := e2e.Start(t)
	resp, err := http.Post(s.URL(), "application/x-www-form-urlencoded", strings.NewReader("PrivateKey="+strings.Repeat("A", 2<<20)))
	if err != nil {
		t.Fatal(err)
	}
	e2e.CheckErrorBody(t, resp, "InvalidParameter.RequestTooLarge", 413)
	resp, err = http.Get(s.URL() + "?Action=" + strings.Repeat("A", 2<<20))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 400 || resp.StatusCode > 499 {
		t.Fatalf("oversized query: %d", resp.StatusCode)
	}
	if code, _ := s.Get(t, "/healthz"); code != 200 {
		t.Fatalf("healthz after oversized requests: %d", code)
	}
	req, _ := http.NewRequest(http.MethodDelete, s.URL(), nil)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	e2e.CheckErrorBody(t, resp, "UnsupportedHTTPMethod", 403)
}

// TestPersistence: an acknowledged upload survives a restart on the same directory.
func TestPersistence(t *testing.T) {
	dir := t.TempDir()
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "persist.example.com"})
	s := e2e.Start(t, func(c *server.Config) { c.DataDir = dir })
	up, err := s.Client(t, "cn-hangzhou").UploadServerCertificate(e2e.UploadRequest("cn-hangzhou", srv.ChainPEM, srv.KeyPEM))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := e2e.Start(t, func(c *server.Config) { c.DataDir = dir })
	list := e2e.ServerCertificates(t, s2.Client(t, "cn-hangzhou"), "cn-hangzhou", up.ServerCertificateId)
	if len(list) != 1 || list[0].Fingerprint != up.Fingerprint || list[0].CreateTime != up.CreateTime {
		t.Fatalf("after restart: %+v", list)
	}
}
