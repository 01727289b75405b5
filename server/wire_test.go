package server

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
	"github.com/google/uuid"

	"slbcert/internal/testpki"
	"slbcert/sign"
	slbsvc "slbcert/slb"
)

func TestHealthz(t *testing.T) {
	s := startServer(t)
	if code, body := s.get(t, "/healthz"); code != 200 || body != "ok\n" {
		t.Fatalf("healthz: %d %q", code, body)
	}
}

func TestSignatureErrors(t *testing.T) {
	s := startServer(t)
	req := func() *slb.DescribeServerCertificatesRequest {
		r := slb.CreateDescribeServerCertificatesRequest()
		r.Scheme = "http"
		return r
	}
	_, err := s.client(t, "cn-hangzhou", testAccessKeyID, "wrong-secret").DescribeServerCertificates(req())
	se := serverError(t, err, "SignatureDoesNotMatch", 400)
	if !strings.Contains(se.Message(), "server string to sign is:POST&%2F&") {
		t.Errorf("message %q lacks the string to sign", se.Message())
	}
	_, err = s.client(t, "cn-hangzhou", "LTAIunknown", "x").DescribeServerCertificates(req())
	serverError(t, err, "InvalidAccessKeyId.NotFound", 404)

	// The right key works, from the same server.
	if _, err := s.client(t, "cn-hangzhou").DescribeServerCertificates(req()); err != nil {
		t.Fatal(err)
	}

	// An unsigned request.
	resp, err := http.Post(s.url()+"?Action=DescribeServerCertificates&Version=2014-05-15&RegionId=cn-hangzhou", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	checkErrorBody(t, resp, "IncompleteSignature", 400)
	if strings.Contains(s.log.String(), "wrong-secret") || strings.Contains(s.log.String(), testAccessKeySecret) {
		t.Error("a secret reached the log")
	}
}

// checkErrorBody asserts a raw error response has the gateway envelope.
func checkErrorBody(t *testing.T, resp *http.Response, code string, status int) map[string]any {
	t.Helper()
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != status || body["Code"] != code {
		t.Fatalf("got %d %v, want %d %s", resp.StatusCode, body, status, code)
	}
	for _, k := range []string{"RequestId", "HostId", "Code", "Message", "Recommend"} {
		if _, ok := body[k].(string); !ok {
			t.Errorf("%s is %T, want a string", k, body[k])
		}
	}
	if resp.Header.Get("x-acs-request-id") != body["RequestId"] {
		t.Errorf("header request id %q, body %q", resp.Header.Get("x-acs-request-id"), body["RequestId"])
	}
	return body
}

func TestActionAndVersion(t *testing.T) {
	s := startServer(t)
	c := s.client(t, "cn-hangzhou")
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
	serverError(t, err, "InvalidAction.NotFound", 404)
	_, err = c.ProcessCommonRequest(common("DescribeServerCertificates", "2099-01-01"))
	serverError(t, err, "InvalidVersion", 400)
	resp, err := c.ProcessCommonRequest(common("DescribeServerCertificates", "2014-05-15"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(resp.GetHttpContentString(), `"ServerCertificates":{"ServerCertificate":[]}`) {
		t.Errorf("empty list body %s", resp.GetHttpContentString())
	}
}

// TestXMLFormat drives upload and describe with Format=XML through the SDK,
// which then parses the XML bodies into its typed responses.
func TestXMLFormat(t *testing.T) {
	s := startServer(t)
	c := s.client(t, "cn-hangzhou")
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "xml.example.com", DNSNames: []string{"a.example.com", "b.example.com"}})
	req := uploadRequest("cn-hangzhou", srv.ChainPEM, srv.KeyPEM)
	req.AcceptFormat = "XML"
	req.Tag = &[]slb.UploadServerCertificateTag{{Key: "k", Value: "v"}}
	up, err := c.UploadServerCertificate(req)
	if err != nil {
		t.Fatal(err)
	}
	body := up.GetHttpContentString()
	if !strings.HasPrefix(body, `<?xml version="1.0" encoding="UTF-8"?>`) || !strings.Contains(body, "<UploadServerCertificateResponse>") {
		t.Fatalf("upload body %s", body)
	}
	if up.GetHttpHeaders()["Content-Type"][0] != "text/xml;charset=utf-8" {
		t.Errorf("content type %v", up.GetHttpHeaders()["Content-Type"])
	}
	if up.ServerCertificateId == "" || up.Fingerprint != fingerprint(srv.Leaf) || len(up.SubjectAlternativeNames.SubjectAlternativeName) != 2 || up.RequestId == "" {
		t.Errorf("parsed %+v", up)
	}
	dreq := slb.CreateDescribeServerCertificatesRequest()
	dreq.Scheme = "http"
	dreq.AcceptFormat = "XML"
	dreq.ServerCertificateId = up.ServerCertificateId
	d, err := c.DescribeServerCertificates(dreq)
	if err != nil {
		t.Fatal(err)
	}
	list := d.ServerCertificates.ServerCertificate
	if len(list) != 1 || list[0].ServerCertificateId != up.ServerCertificateId || list[0].EncryptionKeyLength != 2048 ||
		len(list[0].Tags.Tag) != 1 || list[0].Tags.Tag[0].TagKey != "k" ||
		len(list[0].SubjectAlternativeNames.SubjectAlternativeName) != 2 {
		t.Errorf("parsed %+v from %s", list, d.GetHttpContentString())
	}
	if !strings.Contains(d.GetHttpContentString(), "<ServerCertificates><ServerCertificate><ServerCertificateId>") {
		t.Errorf("list nesting: %s", d.GetHttpContentString())
	}

	// An XML error is <Error>…</Error>, with the code's status.
	q := signedQuery("GET", slbsvc.APIVersion, testAccessKeyID, testAccessKeySecret, "", url.Values{"Action": {"UploadServerCertificate"}, "RegionId": {"xx-nowhere-1"}, "Format": {"XML"}})
	resp, err := http.Get(s.url() + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct {
		XMLName   xml.Name `xml:"Error"`
		RequestID string   `xml:"RequestId"`
		Code      string   `xml:"Code"`
		Message   string   `xml:"Message"`
	}
	raw, _ := io.ReadAll(resp.Body)
	if err := xml.Unmarshal(raw, &e); err != nil || resp.StatusCode != 404 || e.Code != "InvalidRegionId.NotFound" || e.RequestID == "" {
		t.Errorf("xml error %d %s (%v)", resp.StatusCode, raw, err)
	}
}

// signedQuery returns a copy of v signed as a V1 call by AccessKey (id,
// secret): with Version, AccessKeyId and, when token is not empty, the STS
// SecurityToken; unless v has them, Format=JSON, a fresh SignatureNonce, the
// Timestamp and the signature method; then the Signature for method.
func signedQuery(method, version, id, secret, token string, v url.Values) url.Values {
	q := cloneValues(v)
	q.Set("Version", version)
	q.Set("AccessKeyId", id)
	if token != "" {
		q.Set("SecurityToken", token)
	}
	defaults := map[string]string{
		"Format": "JSON", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
		"SignatureNonce": uuid.NewString(), "Timestamp": time.Now().UTC().Format("2006-01-02T15:04:05Z"),
	}
	for k, d := range defaults {
		if _, ok := q[k]; !ok {
			q.Set(k, d)
		}
	}
	q.Set("Signature", sign.V1Sign(sign.V1StringToSign(method, q), secret))
	return q
}

// sendV1 sends a V1 call signed by (id, secret): query as signedQuery
// completes it and form, unless nil, as a form body, the signature over
// both merged as the gateway merges them (a key in both: the body's value).
// Errors are returned, not fatal: hostile sweeps call it from workers.
func (s *testServer) sendV1(method, version string, query, form url.Values, id, secret string) (*http.Response, error) {
	signed := signedQuery(method, version, id, secret, "", sign.MergeParams(form, query))
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, s.url()+"?"+withoutKeys(signed, form).Encode(), body)
	if err != nil {
		return nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return http.DefaultClient.Do(req)
}

// withoutKeys returns all without the keys of drop: the query part of a
// request whose body carries drop.
func withoutKeys(all, drop url.Values) url.Values {
	out := url.Values{}
	for k, v := range all {
		if _, ok := drop[k]; !ok {
			out[k] = v
		}
	}
	return out
}

// TestFormBodyAndGET: parameters may come in a form body (signed together
// with the query) or in a GET query string; Format is case-insensitive.
func TestFormBodyAndGET(t *testing.T) {
	s := startServer(t)
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "form.example.com"})
	// Common parameters in the query, business parameters in the body.
	resp, err := s.sendV1("POST", slbsvc.APIVersion, url.Values{"Action": {"UploadServerCertificate"}, "Format": {"json"}},
		url.Values{"RegionId": {"cn-hangzhou"}, "ServerCertificate": {srv.ChainPEM}, "PrivateKey": {srv.KeyPEM}},
		testAccessKeyID, testAccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	var up struct{ ServerCertificateId, Fingerprint string }
	json.NewDecoder(resp.Body).Decode(&up)
	resp.Body.Close()
	if resp.StatusCode != 200 || up.Fingerprint != fingerprint(srv.Leaf) {
		t.Fatalf("form upload: %d %+v", resp.StatusCode, up)
	}

	q := signedQuery("GET", slbsvc.APIVersion, testAccessKeyID, testAccessKeySecret, "", url.Values{"Action": {"DescribeServerCertificates"}, "RegionId": {"cn-hangzhou"}, "ServerCertificateId": {up.ServerCertificateId}})
	code, body := s.get(t, "/?"+q.Encode())
	if code != 200 || !strings.Contains(body, up.ServerCertificateId) {
		t.Fatalf("GET describe: %d %s", code, body)
	}

	// A replayed request (same nonce) is refused.
	code, body = s.get(t, "/?"+q.Encode())
	if code != 400 || !strings.Contains(body, `"SignatureNonceUsed"`) {
		t.Fatalf("replay: %d %s", code, body)
	}
}

// TestLimits: an oversized body is refused with a 4xx and the server keeps serving.
func TestLimits(t *testing.T) {
	s := startServer(t)
	resp, err := http.Post(s.url(), "application/x-www-form-urlencoded", strings.NewReader("PrivateKey="+strings.Repeat("A", 2<<20)))
	if err != nil {
		t.Fatal(err)
	}
	checkErrorBody(t, resp, "InvalidParameter.RequestTooLarge", 413)
	resp, err = http.Get(s.url() + "?Action=" + strings.Repeat("A", 2<<20))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 400 || resp.StatusCode > 499 {
		t.Fatalf("oversized query: %d", resp.StatusCode)
	}
	if code, _ := s.get(t, "/healthz"); code != 200 {
		t.Fatalf("healthz after oversized requests: %d", code)
	}
	req, _ := http.NewRequest(http.MethodDelete, s.url(), nil)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	checkErrorBody(t, resp, "UnsupportedHTTPMethod", 403)
}

// TestPersistence: an acknowledged upload survives a restart on the same directory.
func TestPersistence(t *testing.T) {
	dir := t.TempDir()
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "persist.example.com"})
	s := startServer(t, func(c *Config) { c.DataDir = dir })
	up, err := s.client(t, "cn-hangzhou").UploadServerCertificate(uploadRequest("cn-hangzhou", srv.ChainPEM, srv.KeyPEM))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := startServer(t, func(c *Config) { c.DataDir = dir })
	list := describe(t, s2.client(t, "cn-hangzhou"), "cn-hangzhou", up.ServerCertificateId)
	if len(list) != 1 || list[0].Fingerprint != up.Fingerprint || list[0].CreateTime != up.CreateTime {
		t.Fatalf("after restart: %+v", list)
	}
}
