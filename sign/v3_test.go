package sign_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"

	"slbcert"
	"slbcert/sign"
	"slbcert/slb"
)

// darabonbaCall sends one RPC call through darabonba-openapi v2 (signature V3)
// to srv and returns what the server received.
func darabonbaCall(t *testing.T, srv *capture, sts bool, method string, query map[string]*string, body map[string]any) captured {
	t.Helper()
	cfg := &openapiutil.Config{
		AccessKeyId:     dara.String(testAK),
		AccessKeySecret: dara.String(testSecret),
		Endpoint:        dara.String(srv.host()),
		Protocol:        dara.String("http"),
		RegionId:        dara.String("cn-hangzhou"),
	}
	if sts {
		cfg.SecurityToken = dara.String(testToken)
	}
	client, err := openapi.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	params := &openapiutil.Params{
		Action:      dara.String("UploadServerCertificate"),
		Version:     dara.String(slb.APIVersion),
		Protocol:    dara.String("HTTP"),
		Pathname:    dara.String("/"),
		Method:      dara.String(method),
		AuthType:    dara.String("AK"),
		Style:       dara.String("RPC"),
		ReqBodyType: dara.String("formData"),
		BodyType:    dara.String("json"),
	}
	req := &openapiutil.OpenApiRequest{Query: query}
	if body != nil {
		req.Body = body
	}
	if _, err := client.CallApi(params, req, &dara.RuntimeOptions{}); err != nil {
		t.Fatal(err)
	}
	return srv.last(t)
}

// v3Cases are real darabonba requests with awkward values.
func v3Cases(t *testing.T, srv *capture) map[string]captured {
	pemBody := map[string]any{
		"ServerCertificate": fixture(t, "server-cert.pem"),
		"PrivateKey":        fixture(t, "server-key.pem"),
		"Tag":               []any{map[string]any{"Key": "k 1", "Value": "v*~"}, map[string]any{"Key": "环境", "Value": "生产/测试+="}},
	}
	query := map[string]*string{
		"RegionId":              dara.String("cn-hangzhou"),
		"ServerCertificateName": dara.String(awkward),
		"ResourceGroupId":       dara.String(""),
	}
	return map[string]captured{
		"post/form body":  darabonbaCall(t, srv, false, "POST", query, pemBody),
		"post/query only": darabonbaCall(t, srv, false, "POST", query, nil),
		"get/query only":  darabonbaCall(t, srv, false, "GET", query, nil),
		"sts/form body":   darabonbaCall(t, srv, true, "POST", query, pemBody),
	}
}

func TestVerifyV3_Darabonba(t *testing.T) {
	srv := newCapture(t)
	for name, got := range v3Cases(t, srv) {
		t.Run(name, func(t *testing.T) {
			r := got.request()
			if sign.SchemeOf(r) != sign.SchemeV3 {
				t.Fatalf("Authorization = %q", r.Header.Get("Authorization"))
			}
			params := got.params(t)
			c, err := sign.Inspect(r, params)
			if err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			if c.Scheme != sign.SchemeV3 || c.AccessKeyID != testAK || len(c.Nonce) != 32 || c.V3 == nil {
				t.Errorf("claims = %+v", c)
			}
			if d := time.Since(c.Timestamp); d < -time.Minute || d > time.Minute {
				t.Errorf("Timestamp = %v, %v from now", c.Timestamp, d)
			}
			sts := strings.HasPrefix(name, "sts/")
			if sts && c.SecurityToken != testToken || !sts && c.SecurityToken != "" {
				t.Errorf("SecurityToken = %q", c.SecurityToken)
			}
			// darabonba signs content-type when it sends one, every x-acs-*
			// header and host; the check for unsigned x-acs-* must pass.
			for _, h := range []string{"host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"} {
				if !contains(c.V3.SignedHeaders, h) {
					t.Errorf("SignedHeaders %v lacks %s", c.V3.SignedHeaders, h)
				}
			}

			if err := c.Verify(r, params, got.body, testSecret); err != nil {
				t.Errorf("Verify with the right secret: %v", err)
			}
			e := wantCode(t, sign.VerifyV3(r, got.body, c.V3, "wrong"), slbcert.ESignatureDoesNotMatch)
			want := sign.MsgSignatureMismatch + sign.V3StringToSign(sign.V3CanonicalRequest(r, c.V3.SignedHeaders, r.Header.Get("x-acs-content-sha256")))
			if e.Message != want || !strings.Contains(e.Message, "is:ACS3-HMAC-SHA256\n") {
				t.Errorf("message = %q", e.Message)
			}
		})
	}
}

func TestVerifyV3_Tampered(t *testing.T) {
	srv := newCapture(t)
	got := v3Cases(t, srv)["post/form body"]
	if len(got.body) < 2000 || !strings.Contains(got.req.URL.RawQuery, "ServerCertificateName=") {
		t.Fatalf("unexpected capture: query %q, body %d bytes", got.req.URL.RawQuery, len(got.body))
	}
	a, err := sign.ParseV3Authorization(got.req.Header.Get("Authorization"))
	if err != nil {
		t.Fatal(err)
	}
	flip := func(b []byte) []byte {
		c := append([]byte(nil), b...)
		c[len(c)/2] ^= 1
		return c
	}
	without := func(name string) *sign.V3Authorization {
		b := *a
		b.SignedHeaders = nil
		for _, h := range a.SignedHeaders {
			if h != name {
				b.SignedHeaders = append(b.SignedHeaders, h)
			}
		}
		return &b
	}
	tests := []struct {
		name   string
		change func(r *http.Request, body []byte) (*http.Request, []byte, *sign.V3Authorization)
		code   string
		inMsg  string
	}{
		{"ok/untouched", func(r *http.Request, b []byte) (*http.Request, []byte, *sign.V3Authorization) { return r, b, a }, "", ""},
		{"ok/repeated query key, first value unchanged", func(r *http.Request, b []byte) (*http.Request, []byte, *sign.V3Authorization) {
			r.URL.RawQuery += "&RegionId=cn-shanghai"
			return r, b, a
		}, "", ""},
		{"body/hash mismatch", func(r *http.Request, b []byte) (*http.Request, []byte, *sign.V3Authorization) {
			return r, flip(b), a
		}, slbcert.ESignatureDoesNotMatch, "x-acs-content-sha256"},
		{"body/with fresh hash", func(r *http.Request, b []byte) (*http.Request, []byte, *sign.V3Authorization) {
			b = flip(b)
			sum := sha256.Sum256(b)
			r.Header.Set("x-acs-content-sha256", hex.EncodeToString(sum[:]))
			return r, b, a
		}, slbcert.ESignatureDoesNotMatch, sign.MsgSignatureMismatch},
		{"body/empty", func(r *http.Request, b []byte) (*http.Request, []byte, *sign.V3Authorization) { return r, nil, a }, slbcert.ESignatureDoesNotMatch, "x-acs-content-sha256"},
		{"query/value changed", func(r *http.Request, b []byte) (*http.Request, []byte, *sign.V3Authorization) {
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "RegionId=cn-hangzhou", "RegionId=cn-shanghai", 1)
			return r, b, a
		}, slbcert.ESignatureDoesNotMatch, sign.MsgSignatureMismatch},
		{"query/parameter added", func(r *http.Request, b []byte) (*http.Request, []byte, *sign.V3Authorization) {
			r.URL.RawQuery += "&OwnerId=1"
			return r, b, a
		}, slbcert.ESignatureDoesNotMatch, sign.MsgSignatureMismatch},
		{"query/empty value dropped", func(r *http.Request, b []byte) (*http.Request, []byte, *sign.V3Authorization) {
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "ResourceGroupId=&", "", 1)
			return r, b, a
		}, slbcert.ESignatureDoesNotMatch, sign.MsgSignatureMismatch},
		{"host/changed", func(r *http.Request, b []byte) (*http.Request, []byte, *sign.V3Authorization) {
			r.Host = "slb.aliyuncs.com"
			return r, b, a
		}, slbcert.ESignatureDoesNotMatch, sign.MsgSignatureMismatch},
		{"method/changed", func(r *http.Request, b []byte) (*http.Request, []byte, *sign.V3Authorization) {
			r.Method = "PUT"
			return r, b, a
		}, slbcert.ESignatureDoesNotMatch, sign.MsgSignatureMismatch},
		{"header/signed one changed", func(r *http.Request, b []byte) (*http.Request, []byte, *sign.V3Authorization) {
			r.Header.Set("x-acs-action", "DeleteServerCertificate")
			return r, b, a
		}, slbcert.ESignatureDoesNotMatch, sign.MsgSignatureMismatch},
		{"header/unsigned x-acs added", func(r *http.Request, b []byte) (*http.Request, []byte, *sign.V3Authorization) {
			r.Header.Set("X-Acs-Security-Token", "injected")
			return r, b, a
		}, slbcert.EIncompleteSignature, "x-acs-security-token"},
		{"header/nonce missing", func(r *http.Request, b []byte) (*http.Request, []byte, *sign.V3Authorization) {
			r.Header.Del("x-acs-signature-nonce")
			return r, b, a
		}, slbcert.EIncompleteSignature, "x-acs-signature-nonce"},
		{"header/date not signed", func(r *http.Request, b []byte) (*http.Request, []byte, *sign.V3Authorization) {
			return r, b, without("x-acs-date")
		}, slbcert.EIncompleteSignature, "x-acs-date"},
		{"header/host not signed", func(r *http.Request, b []byte) (*http.Request, []byte, *sign.V3Authorization) {
			return r, b, without("host")
		}, slbcert.EIncompleteSignature, "host"},
		{"header/date malformed", func(r *http.Request, b []byte) (*http.Request, []byte, *sign.V3Authorization) {
			r.Header.Set("x-acs-date", "Sat, 28 Nov 2026 01:48:33 GMT")
			return r, b, a
		}, slbcert.ETimestampFormat, ""},
		{"header/accesskey-id disagrees", func(r *http.Request, b []byte) (*http.Request, []byte, *sign.V3Authorization) {
			r.Header.Set("x-acs-accesskey-id", "LTAIsomeoneelse")
			return r, b, a
		}, slbcert.EIncompleteSignature, "x-acs-accesskey-id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, body, auth := tt.change(got.request(), got.body)
			err := sign.VerifyV3(r, body, auth, testSecret)
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e := wantCode(t, err, tt.code)
			if !strings.Contains(e.Message, tt.inMsg) {
				t.Errorf("message %q lacks %q", e.Message, tt.inMsg)
			}
		})
	}
}

func TestParseV3Authorization(t *testing.T) {
	const sig = "2cd9f0fd2bbf2a9a6b6ff3a4b1bbd6de3f2fc6b2f0b1cba1e0ad7d5d5b5c6f10"
	ok := &sign.V3Authorization{AccessKeyID: "AKID", SignedHeaders: []string{"host", "x-acs-date"}, Signature: sig}
	tests := []struct {
		name string
		in   string
		want *sign.V3Authorization
		code string
	}{
		{"ok/darabonba", "ACS3-HMAC-SHA256 Credential=AKID,SignedHeaders=host;x-acs-date,Signature=" + sig, ok, ""},
		{"ok/spaces after commas", "ACS3-HMAC-SHA256 Credential=AKID, SignedHeaders=host;x-acs-date, Signature=" + sig, ok, ""},
		{"ok/parts reordered", "ACS3-HMAC-SHA256 Signature=" + sig + ",SignedHeaders=host;x-acs-date,Credential=AKID", ok, ""},
		{"ok/uppercase hex kept", "ACS3-HMAC-SHA256 Credential=AKID,SignedHeaders=host;x-acs-date,Signature=" + strings.ToUpper(sig),
			&sign.V3Authorization{AccessKeyID: "AKID", SignedHeaders: []string{"host", "x-acs-date"}, Signature: strings.ToUpper(sig)}, ""},
		{"algorithm/SM3", "ACS3-HMAC-SM3 Credential=AKID,SignedHeaders=host,Signature=" + sig, nil, slbcert.EInvalidSignatureMethod},
		{"algorithm/RSA", "ACS3-RSA-SHA256 Credential=AKID,SignedHeaders=host,Signature=" + sig, nil, slbcert.EInvalidSignatureMethod},
		{"algorithm/lowercase", "acs3-hmac-sha256 Credential=AKID,SignedHeaders=host,Signature=" + sig, nil, slbcert.EIncompleteSignature},
		{"algorithm/not ACS3", "Bearer abc", nil, slbcert.EIncompleteSignature},
		{"algorithm/alone", "ACS3-HMAC-SHA256", nil, slbcert.EIncompleteSignature},
		{"empty", "", nil, slbcert.EIncompleteSignature},
		{"part/missing Signature", "ACS3-HMAC-SHA256 Credential=AKID,SignedHeaders=host", nil, slbcert.EIncompleteSignature},
		{"part/empty Credential", "ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature=" + sig, nil, slbcert.EIncompleteSignature},
		{"part/repeated", "ACS3-HMAC-SHA256 Credential=AKID,Credential=B,SignedHeaders=host,Signature=" + sig, nil, slbcert.EIncompleteSignature},
		{"part/unknown", "ACS3-HMAC-SHA256 Credential=AKID,SignedHeaders=host,Signature=" + sig + ",Scope=x", nil, slbcert.EIncompleteSignature},
		{"part/no equals", "ACS3-HMAC-SHA256 Credential=AKID,SignedHeaders,Signature=" + sig, nil, slbcert.EIncompleteSignature},
		{"part/trailing comma", "ACS3-HMAC-SHA256 Credential=AKID,SignedHeaders=host,Signature=" + sig + ",", nil, slbcert.EIncompleteSignature},
		{"part/AWS-style credential scope", "ACS3-HMAC-SHA256 Credential=AKID/20261128/cn-hangzhou,SignedHeaders=host,Signature=" + sig, nil, slbcert.EIncompleteSignature},
		{"headers/uppercase", "ACS3-HMAC-SHA256 Credential=AKID,SignedHeaders=Host;x-acs-date,Signature=" + sig, nil, slbcert.EIncompleteSignature},
		{"headers/empty entry", "ACS3-HMAC-SHA256 Credential=AKID,SignedHeaders=host;;x-acs-date,Signature=" + sig, nil, slbcert.EIncompleteSignature},
		{"headers/repeated", "ACS3-HMAC-SHA256 Credential=AKID,SignedHeaders=host;host,Signature=" + sig, nil, slbcert.EIncompleteSignature},
		{"headers/space inside", "ACS3-HMAC-SHA256 Credential=AKID,SignedHeaders=host; x-acs-date,Signature=" + sig, nil, slbcert.EIncompleteSignature},
		{"signature/short", "ACS3-HMAC-SHA256 Credential=AKID,SignedHeaders=host,Signature=" + sig[:62], nil, slbcert.EIncompleteSignature},
		{"signature/not hex", "ACS3-HMAC-SHA256 Credential=AKID,SignedHeaders=host,Signature=" + sig[:63] + "g", nil, slbcert.EIncompleteSignature},
		{"signature/base64", "ACS3-HMAC-SHA256 Credential=AKID,SignedHeaders=host,Signature=LNnw/Su/KppraP86SxvW3j8vxrLwscuh4K19XVtcbxA=", nil, slbcert.EIncompleteSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sign.ParseV3Authorization(tt.in)
			if tt.code != "" {
				wantCode(t, err, tt.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.AccessKeyID != tt.want.AccessKeyID || got.Signature != tt.want.Signature ||
				strings.Join(got.SignedHeaders, ";") != strings.Join(tt.want.SignedHeaders, ";") {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseV3Authorization_UnsupportedAlgorithmMessage(t *testing.T) {
	_, err := sign.ParseV3Authorization("ACS3-HMAC-SM3 Credential=AKID,SignedHeaders=host,Signature=00")
	e := wantCode(t, err, slbcert.EInvalidSignatureMethod)
	if !strings.Contains(e.Message, "ACS3-HMAC-SM3") || !strings.Contains(e.Message, sign.V3Algorithm) {
		t.Errorf("message %q should name the algorithm sent and the one supported", e.Message)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
