package sign_test

import (
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert"
	"slbcert/sign"
)

const (
	testAK     = "LTAI5tTestAccessKey"
	testSecret = "s3cr3t/With+Odd=Chars"
	testToken  = "CAIS+sts/token==" // an STS token, opaque to the server
)

// awkward is a value with every character class the encodings disagree on.
const awkward = "my cert *~ 证书 +/=&%?#\t'\"\n"

// stringToSigner is what every Go SDK v1 request exposes after signing.
type stringToSigner interface{ GetStringToSign() string }

// sdkV1Client is an SLB client of the official Go SDK v1 aimed at srv.
func sdkV1Client(t *testing.T, srv *capture, secret string, sts bool) *slb.Client {
	t.Helper()
	var (
		c   *slb.Client
		err error
	)
	if sts {
		c, err = slb.NewClientWithStsToken("cn-hangzhou", testAK, secret, testToken)
	} else {
		c, err = slb.NewClientWithAccessKey("cn-hangzhou", testAK, secret)
	}
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = srv.host()
	return c
}

// v1Cases send real SDK requests with awkward values.
var v1Cases = []struct {
	name string
	sts  bool
	send func(t *testing.T, c *slb.Client) stringToSigner
}{
	{name: "describe/tags and commas", send: func(t *testing.T, c *slb.Client) stringToSigner {
		req := slb.CreateDescribeServerCertificatesRequest()
		req.Scheme = "http"
		req.ServerCertificateId = "1231579085529123_166f8204689_1714763408_709818798,a b"
		req.ResourceGroupId = "rg-acfm 1"
		req.Tag = &[]slb.DescribeServerCertificatesTag{{Key: "k 1", Value: "v*~"}, {Key: "环境", Value: "生产/测试+="}}
		if _, err := c.DescribeServerCertificates(req); err != nil {
			t.Fatal(err)
		}
		return req
	}},
	{name: "upload/pem in query", send: func(t *testing.T, c *slb.Client) stringToSigner {
		req := slb.CreateUploadServerCertificateRequest()
		req.Scheme = "http"
		req.ServerCertificate = fixture(t, "server-cert.pem")
		req.PrivateKey = fixture(t, "server-key.pem")
		req.ServerCertificateName = awkward
		req.Tag = &[]slb.UploadServerCertificateTag{{Key: "owner", Value: "a+b@example.com"}}
		if _, err := c.UploadServerCertificate(req); err != nil {
			t.Fatal(err)
		}
		return req
	}},
	{name: "common/GET with empty values", send: func(t *testing.T, c *slb.Client) stringToSigner {
		req := requests.NewCommonRequest()
		req.Method = "GET"
		req.Scheme = "http"
		req.Product = "Slb"
		req.Version = "2014-05-15"
		req.ApiName = "DescribeServerCertificates"
		req.QueryParams["ServerCertificateId"] = ""
		req.QueryParams["ResourceGroupId"] = "rg 1"
		req.QueryParams["Tag.1.Key"] = "a=b&c"
		req.QueryParams["Tag.1.Value"] = ""
		if _, err := c.ProcessCommonRequest(req); err != nil {
			t.Fatal(err)
		}
		return req
	}},
	{name: "common/POST with form body", send: func(t *testing.T, c *slb.Client) stringToSigner {
		req := requests.NewCommonRequest()
		req.Method = "POST"
		req.Scheme = "http"
		req.Product = "Slb"
		req.Version = "2014-05-15"
		req.ApiName = "UploadServerCertificate"
		// The signer adds RegionId=cn-hangzhou to the query; the body's
		// value overrides it in what the SDK signs.
		req.FormParams["RegionId"] = "cn-shanghai"
		req.FormParams["ServerCertificate"] = fixture(t, "server-cert.pem")
		req.FormParams["PrivateKey"] = fixture(t, "server-key.pem")
		req.FormParams["ServerCertificateName"] = awkward
		req.FormParams["Empty"] = ""
		if _, err := c.ProcessCommonRequest(req); err != nil {
			t.Fatal(err)
		}
		return req
	}},
	{name: "sts/describe", sts: true, send: func(t *testing.T, c *slb.Client) stringToSigner {
		req := slb.CreateDescribeServerCertificatesRequest()
		req.Scheme = "http"
		if _, err := c.DescribeServerCertificates(req); err != nil {
			t.Fatal(err)
		}
		return req
	}},
}

func TestVerifyV1_GoSDK(t *testing.T) {
	srv := newCapture(t)
	for _, tc := range v1Cases {
		t.Run(tc.name, func(t *testing.T) {
			sent := tc.send(t, sdkV1Client(t, srv, testSecret, tc.sts))
			got := srv.last(t)
			params := got.params(t)
			r := got.request()

			c, err := sign.Inspect(r, params)
			if err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			if c.Scheme != sign.SchemeV1 || c.AccessKeyID != testAK || len(c.Nonce) != 32 || c.V3 != nil {
				t.Errorf("claims = %+v", c)
			}
			if d := time.Since(c.Timestamp); d < -time.Minute || d > time.Minute {
				t.Errorf("Timestamp = %v, %v from now", c.Timestamp, d)
			}
			if tc.sts && c.SecurityToken != testToken || !tc.sts && c.SecurityToken != "" {
				t.Errorf("SecurityToken = %q", c.SecurityToken)
			}

			if sts := sign.V1StringToSign(r.Method, params); sts != sent.GetStringToSign() {
				t.Errorf("string to sign:\n ours %s\n SDK  %s", sts, sent.GetStringToSign())
			}
			if err := c.Verify(r, params, got.body, testSecret); err != nil {
				t.Errorf("Verify with the right secret: %v", err)
			}

			e := wantCode(t, sign.VerifyV1(r.Method, params, "wrong"), slbcert.ESignatureDoesNotMatch)
			// Split the message as sdk/errors/signature_does_not_match_wrapper.go does:
			// the SDK's string to sign, the values of secrets redacted.
			want := sent.GetStringToSign()
			for _, name := range sign.SecretParams {
				if v := params.Get(name); v != "" {
					enc := func(s string) string { return sign.PercentEncode(sign.PercentEncode(s)) }
					want = strings.Replace(want, name+"%3D"+enc(v), name+"%3D"+enc(sign.Redacted), 1)
				}
			}
			parts := strings.Split(e.Message, sdkerrors.MessageContain)
			if len(parts) != 2 || parts[1] != want {
				t.Errorf("message %q does not end with the SDK's string to sign, secrets redacted: %q", e.Message, want)
			}
			if want == sent.GetStringToSign() && (params.Has("PrivateKey") || params.Has("SecurityToken")) {
				t.Errorf("a secret was not redacted")
			}
		})
	}
}

func TestVerifyV1_FormOverridesQuery(t *testing.T) {
	srv := newCapture(t)
	v1Cases[3].send(t, sdkV1Client(t, srv, testSecret, false))
	got := srv.last(t)
	if q := got.req.URL.Query().Get("RegionId"); q != "cn-hangzhou" {
		t.Fatalf("query RegionId = %q; the case no longer sends two values", q)
	}
	params := got.params(t)
	if v := params["RegionId"]; !reflect.DeepEqual(v, []string{"cn-shanghai", "cn-hangzhou"}) {
		t.Fatalf("Form RegionId = %q", v)
	}
	body := mustParseQuery(t, string(got.body))
	if m := sign.MergeParams(body, got.req.URL.Query()); !reflect.DeepEqual(m, params) {
		t.Errorf("MergeParams = %v\nnet/http Form = %v", m, params)
	}
	if err := sign.VerifyV1("POST", params, testSecret); err != nil {
		t.Fatal(err)
	}
	// The other order signs what the SDK did not sign.
	swapped := sign.MergeParams(got.req.URL.Query(), body)
	wantCode(t, sign.VerifyV1("POST", swapped, testSecret), slbcert.ESignatureDoesNotMatch)
}

// TestVerifyV1_SDKRecommend runs the verification in the server and checks
// that the Go SDK v1 reads our message the way it reads the gateway's.
func TestVerifyV1_SDKRecommend(t *testing.T) {
	srv := newCapture(t)
	var method string // the method the server signs with; "" means as received
	srv.respond = func(w http.ResponseWriter, c captured) {
		params, err := c.form()
		if err == nil {
			m := c.req.Method
			if method != "" {
				m = method
			}
			err = sign.VerifyV1(m, params, testSecret)
		}
		if err != nil {
			writeError(w, err)
			return
		}
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.Write([]byte(`{"RequestId":"5E5C5D3B-0000-4000-8000-000000000000"}`))
	}
	call := func(secret string) *sdkerrors.ServerError {
		t.Helper()
		req := slb.CreateUploadServerCertificateRequest()
		req.Scheme = "http"
		// No PrivateKey: its value is redacted from the quoted string to
		// sign, which then differs from the SDK's (TestVerifyV1_GoSDK).
		req.ServerCertificate = fixture(t, "server-cert.pem")
		req.ServerCertificateName = awkward
		_, err := sdkV1Client(t, srv, secret, false).UploadServerCertificate(req)
		if err == nil {
			return nil
		}
		var se *sdkerrors.ServerError
		if !errors.As(err, &se) {
			t.Fatalf("err = %T %v", err, err)
		}
		return se
	}

	if se := call(testSecret); se != nil {
		t.Fatalf("right secret: %v", se)
	}
	se := call("wrong")
	if se == nil || se.ErrorCode() != slbcert.ESignatureDoesNotMatch {
		t.Fatalf("wrong secret: %v", se)
	}
	if want := "InvalidAccessKeySecret: Please check you AccessKeySecret"; se.Recommend() != want {
		t.Errorf("Recommend = %q, want %q", se.Recommend(), want)
	}

	// Control: a server string to sign that differs from the SDK's makes the
	// SDK suspect itself, so the check above does compare the strings.
	method = "GET"
	se = call(testSecret)
	if se == nil || !strings.Contains(se.Recommend(), "bug with the SDK") {
		t.Errorf("control: %v", se)
	}
}

// TestVerifyV1_HandBuiltFormPost builds a request the way Terraform's RpcPost
// and older cores do (signature parameters in the query, business parameters
// in the body), cross-checks our string to sign and signature against the
// SDK's sdk/auth signer, and verifies it as received over the wire.
func TestVerifyV1_HandBuiltFormPost(t *testing.T) {
	sdkReq := requests.NewCommonRequest()
	sdkReq.Method = "POST"
	sdkReq.Product = "Slb"
	sdkReq.Version = "2014-05-15"
	sdkReq.ApiName = "UploadServerCertificate"
	sdkReq.QueryParams["RegionId"] = "cn-hangzhou"
	sdkReq.FormParams["ServerCertificate"] = fixture(t, "server-cert.pem")
	sdkReq.FormParams["PrivateKey"] = fixture(t, "server-key.pem")
	sdkReq.FormParams["ServerCertificateName"] = awkward
	sdkReq.FormParams["Tag.1.Key"] = "k*~"
	sdkReq.FormParams["Tag.1.Value"] = ""
	sdkReq.TransToAcsRequest()
	provider := credentials.NewStaticAKCredentialsProvider(testAK, testSecret)
	if err := auth.Sign(sdkReq.Ontology, nil, "cn-hangzhou", provider); err != nil {
		t.Fatal(err)
	}

	// Our own request from the same values (the SDK chose Timestamp and
	// SignatureNonce).
	query, form := url.Values{}, url.Values{}
	for k, v := range sdkReq.GetQueryParams() {
		if k != "Signature" {
			query.Set(k, v)
		}
	}
	for k, v := range sdkReq.GetFormParams() {
		form.Set(k, v)
	}
	sts := sign.V1StringToSign("POST", sign.MergeParams(form, query))
	if sts != sdkReq.GetStringToSign() {
		t.Fatalf("string to sign:\n ours %s\n SDK  %s", sts, sdkReq.GetStringToSign())
	}
	sig := sign.V1Sign(sts, testSecret)
	if sdkSig := sdkReq.GetQueryParams()["Signature"]; sig != sdkSig {
		t.Fatalf("signature %s, SDK %s", sig, sdkSig)
	}
	query.Set("Signature", sig)

	srv := newCapture(t)
	post := func(body string) captured {
		t.Helper()
		resp, err := http.Post(srv.ts.URL+"/?"+query.Encode(), "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return srv.last(t)
	}

	got := post(form.Encode())
	params := got.params(t)
	if params.Get("ServerCertificateName") != awkward {
		t.Fatalf("body not merged: %v", params)
	}
	if m := sign.MergeParams(mustParseQuery(t, string(got.body)), got.req.URL.Query()); !reflect.DeepEqual(m, params) {
		t.Errorf("MergeParams = %v\nnet/http Form = %v", m, params)
	}
	if err := sign.VerifyV1("POST", params, testSecret); err != nil {
		t.Fatalf("VerifyV1: %v", err)
	}

	form.Set("ServerCertificateName", "tampered")
	got = post(form.Encode())
	wantCode(t, sign.VerifyV1("POST", got.params(t), testSecret), slbcert.ESignatureDoesNotMatch)
}

// TestVerifyV1_FirstValueCounts pins the rule for a key given twice.
func TestVerifyV1_FirstValueCounts(t *testing.T) {
	base := signedV1(t, url.Values{"ServerCertificateName": {"first"}})
	raw := base.Encode() + "&ServerCertificateName=second"
	params := mustParseQuery(t, raw)
	if err := sign.VerifyV1("POST", params, testSecret); err != nil {
		t.Errorf("first value signed: %v", err)
	}

	base = signedV1(t, url.Values{"ServerCertificateName": {"second"}})
	base.Del("ServerCertificateName")
	params = mustParseQuery(t, "ServerCertificateName=first&"+base.Encode()+"&ServerCertificateName=second")
	wantCode(t, sign.VerifyV1("POST", params, testSecret), slbcert.ESignatureDoesNotMatch)
}

func TestInspectV1_Errors(t *testing.T) {
	tests := []struct {
		name   string
		change func(url.Values)
		code   string
		inMsg  string
	}{
		{"ok/as signed", func(url.Values) {}, "", ""},
		{"ok/lowercase method", func(p url.Values) { p.Set("SignatureMethod", "hmac-sha1") }, "", ""},
		{"ok/milliseconds", func(p url.Values) { p.Set("Timestamp", "2026-11-28T01:48:33.123Z") }, "", ""},
		{"missing/AccessKeyId", func(p url.Values) { p.Del("AccessKeyId") }, slbcert.EMissingParameter, `"AccessKeyId"`},
		{"missing/Signature", func(p url.Values) { p.Del("Signature") }, slbcert.EMissingParameter, `"Signature"`},
		{"missing/SignatureMethod", func(p url.Values) { p.Del("SignatureMethod") }, slbcert.EMissingParameter, `"SignatureMethod"`},
		{"missing/SignatureVersion", func(p url.Values) { p.Del("SignatureVersion") }, slbcert.EMissingParameter, `"SignatureVersion"`},
		{"missing/SignatureNonce", func(p url.Values) { p.Del("SignatureNonce") }, slbcert.EMissingParameter, `"SignatureNonce"`},
		{"missing/Timestamp", func(p url.Values) { p.Del("Timestamp") }, slbcert.EMissingParameter, `"Timestamp"`},
		{"missing/empty Signature", func(p url.Values) { p.Set("Signature", "") }, slbcert.EMissingParameter, `"Signature"`},
		{"missing/first of several", func(p url.Values) { p.Del("Timestamp"); p.Del("AccessKeyId") }, slbcert.EMissingParameter, `"AccessKeyId"`},
		{"invalid/SignatureMethod", func(p url.Values) { p.Set("SignatureMethod", "HMAC-SHA256") }, slbcert.EInvalidSignatureMethod, `"SignatureMethod"`},
		{"invalid/SignatureVersion", func(p url.Values) { p.Set("SignatureVersion", "2.0") }, slbcert.EInvalidSignatureMethod, `"SignatureVersion"`},
		{"format/space", func(p url.Values) { p.Set("Timestamp", "2026-11-28 01:48:33") }, slbcert.ETimestampFormat, ""},
		{"format/offset", func(p url.Values) { p.Set("Timestamp", "2026-11-28T09:48:33+08:00") }, slbcert.ETimestampFormat, ""},
	}
	r := httptestRequest("POST")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := signedV1(t, url.Values{"RegionId": {"cn-hangzhou"}})
			tt.change(p)
			c, err := sign.Inspect(r, p)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("Inspect: %v", err)
				}
				if c.AccessKeyID != testAK || c.Nonce != p.Get("SignatureNonce") {
					t.Errorf("claims = %+v", c)
				}
				return
			}
			e := wantCode(t, err, tt.code)
			if !strings.Contains(e.Message, tt.inMsg) {
				t.Errorf("message %q does not name %s", e.Message, tt.inMsg)
			}
			// VerifyV1 checks the same before the signature.
			wantCode(t, sign.VerifyV1("POST", p, testSecret), tt.code)
		})
	}
}

func TestParseTimestamp(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time // zero: an error
	}{
		{"2026-11-28T01:48:33Z", time.Date(2026, 11, 28, 1, 48, 33, 0, time.UTC)},
		{"2026-11-28T01:48:33.123Z", time.Date(2026, 11, 28, 1, 48, 33, 123e6, time.UTC)},
		{"2024-02-29T23:59:59Z", time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC)},
		{"2026-11-28T01:48:33", time.Time{}},
		{"2026-11-28T09:48:33+08:00", time.Time{}},
		{"2026-11-28 01:48:33Z", time.Time{}},
		{"2026-11-28t01:48:33z", time.Time{}},
		{"2026-11-28T01:48Z", time.Time{}},
		{"2025-02-29T00:00:00Z", time.Time{}},
		{"Sat, 28 Nov 2026 01:48:33 GMT", time.Time{}},
		{"1795830513", time.Time{}},
		{"", time.Time{}},
	}
	for _, tt := range tests {
		got, err := sign.ParseTimestamp(tt.in)
		if tt.want.IsZero() {
			if err == nil {
				t.Errorf("ParseTimestamp(%q) = %v, want an error", tt.in, got)
			} else {
				wantCode(t, err, slbcert.ETimestampFormat)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseTimestamp(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

// signedV1 returns params plus the signature parameters, signed by the SDK's
// sdk/auth signer with testSecret.
func signedV1(t testing.TB, params url.Values) url.Values {
	t.Helper()
	req := requests.NewCommonRequest()
	req.Method = "POST"
	req.Product = "Slb"
	req.Version = "2014-05-15"
	req.ApiName = "UploadServerCertificate"
	for k := range params {
		req.QueryParams[k] = params.Get(k)
	}
	req.TransToAcsRequest()
	if err := auth.Sign(req.Ontology, nil, "cn-hangzhou", credentials.NewStaticAKCredentialsProvider(testAK, testSecret)); err != nil {
		t.Fatal(err)
	}
	out := url.Values{}
	for k, v := range req.GetQueryParams() {
		out.Set(k, v)
	}
	return out
}

func mustParseQuery(t testing.TB, s string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// httptestRequest is a bare V1 request: no Authorization header.
func httptestRequest(method string) *http.Request {
	r, _ := http.NewRequest(method, "http://127.0.0.1/", nil)
	return r
}
