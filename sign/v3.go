package sign

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"slbcert"
)

// V3Algorithm is the only ACS3 signature algorithm this server verifies.
const V3Algorithm = "ACS3-HMAC-SHA256"

// V3 headers this package reads. The signature must cover host, x-acs-date,
// x-acs-signature-nonce, x-acs-content-sha256 and every other x-acs-* header
// the request carries (darabonba signs them all), since the server acts on
// them (x-acs-action, x-acs-security-token). content-type is signed by
// darabonba but not required: HTTP libraries may add it after signing, and
// the body it describes is covered by x-acs-content-sha256 anyway.
const (
	HeaderDate          = "x-acs-date"
	HeaderNonce         = "x-acs-signature-nonce"
	HeaderContentSHA256 = "x-acs-content-sha256"
	HeaderSecurityToken = "x-acs-security-token"
	HeaderAccessKeyID   = "x-acs-accesskey-id"
)

// v3Required lists the headers that must be present and signed, in the order
// they are reported.
var v3Required = []string{"host", HeaderDate, HeaderNonce, HeaderContentSHA256}

// V3Authorization is a parsed
// "ACS3-HMAC-SHA256 Credential=AKID,SignedHeaders=a;b,Signature=hex" header.
type V3Authorization struct {
	AccessKeyID   string
	SignedHeaders []string // lowercase, in the order the client listed them
	Signature     string   // hex, as sent
}

// ParseV3Authorization parses an Authorization header. Spaces around the
// comma-separated parts are tolerated and the parts may come in any order;
// each must appear once. Errors:
//   - an algorithm other than ACS3-HMAC-SHA256 that starts with "ACS3-"
//     (ACS3-HMAC-SM3, ACS3-RSA-SHA256): InvalidParamater, naming the one
//     supported;
//   - anything else malformed (no ACS3- prefix, missing, repeated, unknown or
//     empty parts, header names that are not lowercase tokens or repeat, a
//     signature that is not 64 hex digits): IncompleteSignature.
func ParseV3Authorization(h string) (*V3Authorization, error) {
	alg, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
	if !strings.HasPrefix(alg, "ACS3-") {
		return nil, incomplete("The Authorization header must start with %s.", V3Algorithm)
	}
	if alg != V3Algorithm {
		return nil, slbcert.Errorf(slbcert.EInvalidSignatureMethod,
			"The specified signature algorithm %q is not supported; use %s.", clip(alg), V3Algorithm)
	}

	fields := map[string]string{}
	for part := range strings.SplitSeq(rest, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		switch {
		case !ok || value == "":
			return nil, incomplete("Malformed Authorization part %q.", clip(strings.TrimSpace(part)))
		case name != "Credential" && name != "SignedHeaders" && name != "Signature":
			return nil, incomplete("Unknown Authorization part %q.", clip(name))
		}
		if _, dup := fields[name]; dup {
			return nil, incomplete("Authorization part %s is repeated.", name)
		}
		fields[name] = value
	}
	for _, name := range []string{"Credential", "SignedHeaders", "Signature"} {
		if fields[name] == "" {
			return nil, incomplete("Authorization part %s is missing.", name)
		}
	}

	a := &V3Authorization{AccessKeyID: fields["Credential"], Signature: fields["Signature"]}
	if strings.ContainsAny(a.AccessKeyID, " \t/") {
		return nil, incomplete("Malformed Credential %q.", clip(a.AccessKeyID))
	}
	if len(a.Signature) != 2*sha256.Size {
		return nil, incomplete("Signature must be %d hex digits.", 2*sha256.Size)
	}
	if _, err := hex.DecodeString(a.Signature); err != nil {
		return nil, incomplete("Signature must be %d hex digits.", 2*sha256.Size)
	}
	for name := range strings.SplitSeq(fields["SignedHeaders"], ";") {
		if !lowerToken(name) {
			return nil, incomplete("SignedHeaders entry %q is not a lowercase header name.", clip(name))
		}
		if slices.Contains(a.SignedHeaders, name) {
			return nil, incomplete("SignedHeaders lists %s twice.", name)
		}
		a.SignedHeaders = append(a.SignedHeaders, name)
	}
	return a, nil
}

// lowerToken reports whether s is a non-empty HTTP token without uppercase
// letters.
func lowerToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

// inspectV3 checks the V3 headers of r against a without the secret: the
// required headers are present and signed, every x-acs-* header is signed,
// x-acs-date is well formed, and x-acs-accesskey-id (sent with STS) agrees
// with the Credential.
func inspectV3(r *http.Request, a *V3Authorization) (*Claims, error) {
	for _, name := range v3Required {
		if headerValue(r, name) == "" {
			return nil, incomplete("Header %s is missing.", name)
		}
		if !slices.Contains(a.SignedHeaders, name) {
			return nil, incomplete("Header %s must be signed.", name)
		}
	}
	for name := range r.Header {
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "x-acs-") && !slices.Contains(a.SignedHeaders, lower) {
			return nil, incomplete("Header %s must be signed.", clip(lower))
		}
	}
	if id := r.Header.Get(HeaderAccessKeyID); id != "" && id != a.AccessKeyID {
		return nil, incomplete("Header %s does not match the Credential.", HeaderAccessKeyID)
	}
	ts, err := ParseTimestamp(r.Header.Get(HeaderDate))
	if err != nil {
		return nil, err
	}
	return &Claims{
		Scheme:        SchemeV3,
		AccessKeyID:   a.AccessKeyID,
		Nonce:         r.Header.Get(HeaderNonce),
		Timestamp:     ts,
		SecurityToken: r.Header.Get(HeaderSecurityToken),
		V3:            a,
	}, nil
}

// headerValue returns the canonical value of a signed header: Host as sent
// for "host", otherwise the header's values trimmed, sorted and joined by a
// comma, as darabonba builds it.
func headerValue(r *http.Request, name string) string {
	if name == "host" {
		return strings.TrimSpace(r.Host)
	}
	vals := r.Header.Values(name)
	if len(vals) == 1 {
		return strings.TrimSpace(vals[0])
	}
	trimmed := make([]string, len(vals))
	for i, v := range vals {
		trimmed[i] = strings.TrimSpace(v)
	}
	slices.Sort(trimmed)
	return strings.Join(trimmed, ",")
}

// V3CanonicalQuery returns the query part of the canonical request:
// enc(key)=enc(value) joined by &, sorted by raw key, first value per key,
// an empty value written "key=".
func V3CanonicalQuery(query url.Values) string {
	keys := make([]string, 0, len(query))
	for k, vs := range query {
		if len(vs) > 0 {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b []byte
	for i, k := range keys {
		if i > 0 {
			b = append(b, '&')
		}
		b = appendEncoded(b, k)
		b = append(b, '=')
		b = appendEncoded(b, query[k][0])
	}
	return string(b)
}

// V3CanonicalRequest builds the canonical request of r over signedHeaders:
// METHOD, the escaped path ("/" when empty), the canonical query, one
// "name:value" line per signed header, the signed header list joined by ";",
// and payloadHash, separated by newlines. "host" is r.Host exactly as sent.
func V3CanonicalRequest(r *http.Request, signedHeaders []string, payloadHash string) string {
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(path)
	b.WriteByte('\n')
	b.WriteString(V3CanonicalQuery(r.URL.Query()))
	b.WriteByte('\n')
	for _, name := range signedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(headerValue(r, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// V3StringToSign returns "ACS3-HMAC-SHA256\n" + hex(SHA-256(canonicalRequest)).
func V3StringToSign(canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return V3Algorithm + "\n" + hex.EncodeToString(sum[:])
}

// V3Sign returns hex(HMAC-SHA256(key = secret, stringToSign)); unlike V1 the
// key has no "&" appended.
func V3Sign(stringToSign, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stringToSign))
	return hex.EncodeToString(mac.Sum(nil))
}

// VerifyV3 checks a V3-signed request: the headers as [Inspect] does, then
// x-acs-content-sha256 against the SHA-256 of body, then the signature over
// the canonical request (constant-time). Both mismatches give
// SignatureDoesNotMatch; a wrong signature's message is
// [MsgSignatureMismatch] followed by our string to sign.
func VerifyV3(r *http.Request, body []byte, a *V3Authorization, secret string) error {
	if a == nil {
		return incomplete("The Authorization header is missing.")
	}
	if _, err := inspectV3(r, a); err != nil {
		return err
	}
	claimed := r.Header.Get(HeaderContentSHA256)
	sum := sha256.Sum256(body)
	if got, err := hex.DecodeString(claimed); err != nil || !hmac.Equal(got, sum[:]) {
		return slbcert.Errorf(slbcert.ESignatureDoesNotMatch,
			"The %s header does not match the SHA-256 of the request body.", HeaderContentSHA256)
	}
	sts := V3StringToSign(V3CanonicalRequest(r, a.SignedHeaders, claimed))
	want, _ := hex.DecodeString(V3Sign(sts, secret))
	got, err := hex.DecodeString(a.Signature)
	if err != nil || !hmac.Equal(want, got) {
		return mismatch(sts)
	}
	return nil
}
