package cas_test

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"slbcert/internal/e2e"
)

// noCodeOrSuccess fails when a success body carries Code or Success,
// which Terraform would take for an error.
func noCodeOrSuccess(t testing.TB, body map[string]any) {
	t.Helper()
	for _, k := range []string{"Code", "Success"} {
		if _, ok := body[k]; ok {
			t.Errorf("success body carries %s: %v", k, body)
		}
	}
}

// upperSHA1 and upperSHA256 are the catalog's fingerprints of c.
func upperSHA1(c *x509.Certificate) string {
	s := sha1.Sum(c.Raw)
	return strings.ToUpper(hex.EncodeToString(s[:]))
}

func upperSHA256(c *x509.Certificate) string {
	s := sha256.Sum256(c.Raw)
	return strings.ToUpper(hex.EncodeToString(s[:]))
}

// siteDate is a time's date on the China site's clock (UTC+8).
func siteDate(t time.Time) string {
	return t.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
}

// teaRPC sends what Terraform's tea-rpc helper sends, signed with the
// root key: POST /, the common parameters (Format=json) in the query, the
// business parameters in a form body.
func teaRPC(t testing.TB, s *e2e.Server, version, action string, body map[string]string) *http.Response {
	t.Helper()
	form := url.Values{}
	for k, v := range body {
		form.Set(k, v)
	}
	resp, err := s.SendV1("POST", version, url.Values{"Action": {action}, "Format": {"json"}}, form, e2e.AccessKeyID, e2e.AccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// teaRPCJSON is teaRPC for a call that must succeed: its decoded body.
func teaRPCJSON(t testing.TB, s *e2e.Server, version, action string, body map[string]string) map[string]any {
	t.Helper()
	resp := teaRPC(t, s, version, action, body)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", action, resp.StatusCode, raw)
	}
	out := e2e.DecodeJSON(t, string(raw))
	noCodeOrSuccess(t, out)
	return out
}
