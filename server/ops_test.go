package server_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
	"slbcert/localca"
	"slbcert/server"
	slbsvc "slbcert/slb"
)

func TestTLSSelfSigned(t *testing.T) {
	dir := t.TempDir()
	s := e2e.Start(t, func(c *server.Config) { c.DataDir = dir; c.TLSSelfSigned = true })
	c := s.Client(t, "cn-hangzhou")
	c.SetHTTPSInsecure(true)
	req := slb.CreateDescribeRegionsRequest()
	req.Scheme = "https"
	if _, err := c.DescribeRegions(req); err != nil {
		t.Fatalf("over HTTPS: %v", err)
	}
	// The same port also speaks plain HTTP (docs/choices.md, "Load balancers,
	// listeners and certificates in use (CLB)": Serving; sniff_test.go).
	if code, _ := s.Get(t, "/healthz"); code != http.StatusOK {
		t.Fatalf("plain HTTP answered %d", code)
	}
	first, _ := os.ReadFile(filepath.Join(dir, "tls", "self-signed.crt"))
	s.Close()
	s = e2e.Start(t, func(c *server.Config) { c.DataDir = dir; c.TLSSelfSigned = true })
	again, _ := os.ReadFile(filepath.Join(dir, "tls", "self-signed.crt"))
	if len(first) == 0 || string(first) != string(again) {
		t.Fatal("the self-signed certificate was not kept")
	}
	// The file is the local CA's certificate (localca_test.go); its key is
	// sealed in the database, never in a file.
	if _, err := localca.ParseCertificate(first); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "tls", "self-signed.key")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a key file beside the certificate: %v", err)
	}
}

func TestTLSCertificate(t *testing.T) {
	dir := t.TempDir()
	srv := testpki.NewServer("p256", testpki.Leaf{CommonName: "localhost", DNSNames: []string{"localhost"}})
	certFile, keyFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	os.WriteFile(certFile, []byte(srv.ChainPEM), 0o600)
	os.WriteFile(keyFile, []byte(srv.KeyPEM), 0o600)
	s := e2e.Start(t, func(c *server.Config) { c.TLSCert, c.TLSKey = certFile, keyFile })
	roots := x509.NewCertPool()
	roots.AddCert(srv.Intermediate)
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	port := s.Addr()[strings.LastIndex(s.Addr(), ":"):]
	resp, err := hc.Get("https://localhost" + port + "/healthz")
	if err != nil {
		t.Fatalf("verified HTTPS: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.TLS == nil {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

func TestMetrics(t *testing.T) {
	s := e2e.Start(t)
	k := s.Calls(t, "cn-hangzhou", "")
	soon := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "soon.example.com", NotAfter: time.Now().AddDate(0, 0, 10)})
	later := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "later.example.com"})
	k.Upload(soon.ChainPEM, soon.KeyPEM, "")
	k.Upload(later.ChainPEM, later.KeyPEM, "")
	_, err := s.Client(t, "xx-nowhere-1").UploadServerCertificate(e2e.UploadRequest("xx-nowhere-1", later.ChainPEM, later.KeyPEM))
	e2e.ServerError(t, err, "InvalidRegionId.NotFound", 404)
	code, body := s.Get(t, "/metrics")
	if code != 200 {
		t.Fatalf("/metrics: %d", code)
	}
	for _, want := range []string{
		`slbcert_requests_total{action="UploadServerCertificate",code=""} 2`,
		`slbcert_requests_total{action="UploadServerCertificate",code="InvalidRegionId.NotFound"} 1`,
		`slbcert_request_duration_seconds_count{action="UploadServerCertificate"} 3`,
		`slbcert_certificates{kind="server"} 2`,
		`slbcert_certificates{kind="ca"} 0`,
		`slbcert_certificates_expiring 1`,
		`slbcert_store_duration_seconds_count{op="create"} 2`,
		`slbcert_store_duration_seconds_count{op="use_nonce"} 3`,
		`process_cpu_seconds_total`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// Unknown actions do not grow the label set.
	common := e2e.SignedQuery("GET", slbsvc.APIVersion, e2e.AccessKeyID, e2e.AccessKeySecret, "", map[string][]string{"Action": {"Random" + time.Now().Format("150405.000")}})
	s.Get(t, "/?"+common.Encode())
	_, body = s.Get(t, "/metrics")
	if !strings.Contains(body, `slbcert_requests_total{action="",code="InvalidAction.NotFound"} 1`) || strings.Contains(body, `action="Random`) {
		t.Errorf("unknown action in metrics:\n%s", e2e.GrepLines(body, "slbcert_requests_total"))
	}
}

// TestLogs: one JSON line per request with the fields operators need, and
// never a secret: no AccessKeySecret, no key material, no Signature.
func TestLogs(t *testing.T) {
	s := e2e.Start(t)
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "log.example.com"})
	k := s.Calls(t, "cn-hangzhou", "")
	k.Upload(srv.ChainPEM, srv.KeyPEM, "")
	_, err := s.Client(t, "cn-hangzhou", e2e.AccessKeyID, "a-wrong-secret-value").DescribeServerCertificates(slb.CreateDescribeServerCertificatesRequest())
	e2e.ServerError(t, err, "SignatureDoesNotMatch", 400)
	q := e2e.SignedQuery("GET", slbsvc.APIVersion, e2e.AccessKeyID, e2e.AccessKeySecret, "", map[string][]string{"Action": {"DescribeRegions"}})
	s.Get(t, "/?"+q.Encode())
	log := s.Log.String()
	line := regexp.MustCompile(`\{[^\n]*"msg":"request"[^\n]*"action":"UploadServerCertificate"[^\n]*\}`).FindString(log)
	for _, field := range []string{`"request_id":"`, `"account":"1000000000000001"`, `"code":""`, `"status":200`, `"duration_ms":`, `"access_key_id":"` + e2e.AccessKeyID + `"`} {
		if !strings.Contains(line, field) {
			t.Errorf("request log line %q lacks %s", line, field)
		}
	}
	secrets := []string{e2e.AccessKeySecret, "a-wrong-secret-value", q.Get("Signature")}
	for _, l := range strings.Split(srv.KeyPEM, "\n") {
		if len(l) >= 16 {
			secrets = append(secrets, l)
		}
	}
	for _, secret := range secrets {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds a secret: %q", secret)
		}
	}
}

func TestThrottling(t *testing.T) {
	s := e2e.Start(t, func(c *server.Config) { c.RateLimit, c.RateBurst = 1, 3 })
	c := s.Client(t, "cn-hangzhou")
	var throttled error
	for i := 0; i < 6 && throttled == nil; i++ {
		_, throttled = c.DescribeRegions(slb.CreateDescribeRegionsRequest())
	}
	se := e2e.ServerError(t, throttled, "Throttling.User", 400)
	left := regexp.MustCompile(`TimeLeft:(\d+)`).FindStringSubmatch(strings.Join(se.RespHeaders["X-Ratelimit-User"], ""))
	if left == nil || left[1] == "0" {
		t.Fatalf("x-ratelimit-user header: %v", se.RespHeaders)
	}
	// darabonba reads it as a ThrottlingError with a wait.
	dc, _ := openapi.NewClient(&openapiutil.Config{AccessKeyId: dara.String(e2e.AccessKeyID), AccessKeySecret: dara.String(e2e.AccessKeySecret),
		Endpoint: dara.String(s.Addr()), Protocol: dara.String("http"), RegionId: dara.String("cn-hangzhou")})
	dc.DisableSDKError = dara.Bool(true) // keep darabonba's own error types
	_, err := dc.CallApi(e2e.OpenAPIParams(slbsvc.APIVersion, "DescribeRegions", "POST"), &openapiutil.OpenApiRequest{}, &dara.RuntimeOptions{})
	var te *openapi.ThrottlingError
	if !errors.As(err, &te) || dara.Int64Value(te.RetryAfter) <= 0 {
		t.Fatalf("darabonba: %T %v", err, err)
	}
	// Other keys are not throttled, and the server keeps serving.
	if code, _ := s.Get(t, "/healthz"); code != 200 {
		t.Fatal("healthz while throttling")
	}
}

func TestReadyzDrain(t *testing.T) {
	s := e2e.Start(t)
	if code, _ := s.Get(t, "/readyz"); code != 200 {
		t.Fatalf("readyz %d", code)
	}
	s.API().Drain()
	if code, _ := s.Get(t, "/readyz"); code != 503 {
		t.Fatalf("readyz while draining %d", code)
	}
	if code, _ := s.Get(t, "/healthz"); code != 200 {
		t.Fatalf("healthz while draining %d", code)
	}
}

func TestConfigSources(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "slbcert.json")
	os.WriteFile(file, []byte(`{"listen": "127.0.0.1:9000", "data": "/from/file", "rateLimit": 7, "tlsSelfSigned": true}`), 0o600)
	env := map[string]string{"SLBCERT_CONFIG": file, "SLBCERT_DATA": "/from/env", "SLBCERT_RATE_BURST": "9"}
	getenv := func(k string) string { return env[k] }
	cfg, err := server.LoadConfig([]string{"--rate-limit", "5"}, getenv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != "127.0.0.1:9000" || cfg.DataDir != "/from/env" || cfg.RateLimit != 5 || cfg.RateBurst != 9 || !cfg.TLSSelfSigned {
		t.Fatalf("precedence: %+v", cfg)
	}
	for _, tc := range []struct {
		name, file string
		env        map[string]string
		args       []string
		want       string
	}{
		{"error/unknown key", `{"lisen": "x"}`, nil, nil, "unknown field"},
		{"error/secret in file", `{"AccessKeySecret": "x"}`, nil, nil, "unknown field"},
		{"error/bad env number", `{}`, map[string]string{"SLBCERT_RATE_LIMIT": "fast"}, nil, "not a number"},
		{"error/half a key pair", `{}`, map[string]string{"SLBCERT_ACCESS_KEY_ID": "x"}, nil, "together"},
		{"error/half a tls pair", `{}`, nil, []string{"--tls-cert", "x"}, "together"},
		{"error/postgres without master key", `{}`, map[string]string{"SLBCERT_DATABASE_URL": "postgres://x/y", "SLBCERT_ACCESS_KEY_ID": "a", "SLBCERT_ACCESS_KEY_SECRET": "b"}, nil, "master key"},
		{"error/not postgres", `{}`, nil, []string{"--database", "mysql://x"}, "postgres://"},
		{"error/account id", `{"accountId": "12"}`, nil, nil, "16-digit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "c.json")
			os.WriteFile(p, []byte(tc.file), 0o600)
			_, err := server.LoadConfig(append([]string{"--config", p}, tc.args...), func(k string) string { return tc.env[k] }, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
