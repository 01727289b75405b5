package sign

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"slbcert"
)

// Scheme names the way a request is signed.
type Scheme string

// The signature schemes.
const (
	SchemeV1 Scheme = "V1" // HMAC-SHA1 in the parameters
	SchemeV3 Scheme = "V3" // ACS3-HMAC-SHA256 in the Authorization header
)

// SchemeOf tells the scheme of r: V3 when its Authorization header starts
// with "ACS3-", V1 otherwise.
func SchemeOf(r *http.Request) Scheme {
	if strings.HasPrefix(r.Header.Get("Authorization"), "ACS3-") {
		return SchemeV3
	}
	return SchemeV1
}

// Claims is what a request says about its signer before the signature is
// checked: everything the caller needs to find the secret and to check the
// timestamp and the nonce.
type Claims struct {
	Scheme        Scheme
	AccessKeyID   string
	Nonce         string    // SignatureNonce or x-acs-signature-nonce
	Timestamp     time.Time // Timestamp or x-acs-date, UTC
	SecurityToken string    // SecurityToken or x-acs-security-token; "" without STS

	// V3 is the parsed Authorization header of a V3 request, nil for V1.
	V3 *V3Authorization
}

// Inspect reads the signature fields of r, without any secret: the V1
// parameters from params (the merged query and form body), or the V3
// Authorization and x-acs-* headers. It fails with MissingParameter,
// InvalidParamater, IncompleteSignature or InvalidTimeStamp.Format as the
// package documentation lists.
func Inspect(r *http.Request, params url.Values) (*Claims, error) {
	if SchemeOf(r) == SchemeV1 {
		return inspectV1(params)
	}
	a, err := ParseV3Authorization(r.Header.Get("Authorization"))
	if err != nil {
		return nil, err
	}
	return inspectV3(r, a)
}

// Verify checks the signature of r with the secret of c.AccessKeyID. params
// are the merged parameters (V1), body the raw request body (V3). It does not
// look at the timestamp's age or the nonce's freshness.
func (c *Claims) Verify(r *http.Request, params url.Values, body []byte, secret string) error {
	if c.Scheme == SchemeV3 {
		return VerifyV3(r, body, c.V3, secret)
	}
	return VerifyV1(r.Method, params, secret)
}

// TimestampLayout is the form SDKs send Timestamp and x-acs-date in.
const TimestampLayout = slbcert.TimeLayout

// ParseTimestamp parses a V1 Timestamp or a V3 x-acs-date: ISO 8601 in UTC,
// as TimestampLayout, also with fractional seconds (some SDKs send
// milliseconds). Local offsets are refused, as the documentation asks for UTC.
// A bad value gives InvalidTimeStamp.Format.
func ParseTimestamp(s string) (time.Time, error) {
	if strings.HasSuffix(s, "Z") {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, slbcert.Errorf(slbcert.ETimestampFormat,
		"Specified time stamp or date value is not well formatted; use UTC in the form %s.", TimestampLayout)
}

// MergeParams merges the form body parameters and the query parameters into
// one set in the order net/http's Request.Form has them: for each key, body
// values first. With the server acting on the first value of each key, a form
// value wins over a query value, as it does in what the Go SDK v1 signs.
func MergeParams(body, query url.Values) url.Values {
	m := make(url.Values, len(body)+len(query))
	for k, vs := range body {
		m[k] = append(m[k], vs...)
	}
	for k, vs := range query {
		m[k] = append(m[k], vs...)
	}
	return m
}
