package e2e

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/google/uuid"

	"slbcert/sign"
)

// cloneValues returns a deep copy of v.
func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Darabonba returns a darabonba-openapi v2 client (signature V3), as the
// generated SDKs and Terraform use, pointed at the server.
func (s *Server) Darabonba(t *testing.T, secret string) *openapi.Client {
	t.Helper()
	c, err := openapi.NewClient(&openapiutil.Config{
		AccessKeyId:     dara.String(AccessKeyID),
		AccessKeySecret: dara.String(secret),
		Endpoint:        dara.String(s.Addr()),
		Protocol:        dara.String("http"),
		RegionId:        dara.String("cn-hangzhou"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// OpenAPIParams is a darabonba-openapi RPC call of action in version, as
// the generated SDKs make it (over plain HTTP).
func OpenAPIParams(version, action, method string) *openapiutil.Params {
	return &openapiutil.Params{
		Action: dara.String(action), Version: dara.String(version), Protocol: dara.String("HTTP"),
		Pathname: dara.String("/"), Method: dara.String(method), AuthType: dara.String("AK"),
		Style: dara.String("RPC"), ReqBodyType: dara.String("formData"), BodyType: dara.String("json"),
	}
}

// SignedQuery returns a copy of v signed as a V1 call by AccessKey (id,
// secret): with Version, AccessKeyId and, when token is not empty, the STS
// SecurityToken; unless v has them, Format=JSON, a fresh SignatureNonce, the
// Timestamp and the signature method; then the Signature for method.
func SignedQuery(method, version, id, secret, token string, v url.Values) url.Values {
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

// SendV1 sends a V1 call signed by (id, secret): query as SignedQuery
// completes it and form, unless nil, as a form body, the signature over
// both merged as the gateway merges them (a key in both: the body's value).
// Errors are returned, not fatal: hostile sweeps call it from workers.
func (s *Server) SendV1(method, version string, query, form url.Values, id, secret string) (*http.Response, error) {
	signed := SignedQuery(method, version, id, secret, "", sign.MergeParams(form, query))
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, s.URL()+"?"+withoutKeys(signed, form).Encode(), body)
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
