package sign

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"slices"
	"strings"

	"slbcert"
)

// The V1 SignatureMethod and SignatureVersion this server accepts.
const (
	V1SignatureMethod  = "HMAC-SHA1"
	V1SignatureVersion = "1.0"
)

// v1Required lists the V1 signature parameters in the order they are reported
// when absent.
var v1Required = []string{"AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp"}

// V1StringToSign returns METHOD&%2F&enc(canonical query) over every parameter
// except Signature, empty values included. The canonical query is
// enc(key)=enc(value) joined by &, sorted by raw key, with the first value of
// each key (the one the server acts on).
func V1StringToSign(method string, params url.Values) string {
	keys := make([]string, 0, len(params))
	size := len(method) + 5
	for k, vs := range params {
		if k == "Signature" || len(vs) == 0 {
			continue
		}
		keys = append(keys, k)
		size += 3*len(k) + 3*len(vs[0]) + 6
	}
	slices.Sort(keys)

	b := make([]byte, 0, size)
	b = append(b, method...)
	b = append(b, "&%2F&"...)
	for i, k := range keys {
		if i > 0 {
			b = append(b, "%26"...) // &
		}
		b = appendEncodedTwice(b, k)
		b = append(b, "%3D"...) // =
		b = appendEncodedTwice(b, params[k][0])
	}
	return string(b)
}

// V1Sign returns base64(HMAC-SHA1(key = secret + "&", stringToSign)).
func V1Sign(stringToSign, secret string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// VerifyV1 checks a V1-signed parameter set: the signature parameters are
// present and well formed (see [Inspect] for the codes), and Signature equals
// ours, compared in constant time. A wrong signature gives
// SignatureDoesNotMatch with [MsgSignatureMismatch] followed by our string to
// sign. method is the HTTP method as received.
func VerifyV1(method string, params url.Values, secret string) error {
	if _, err := inspectV1(params); err != nil {
		return err
	}
	sts := V1StringToSign(method, params)
	want := V1Sign(sts, secret)
	if !hmac.Equal([]byte(want), []byte(params.Get("Signature"))) {
		return mismatch(V1StringToSign(method, redacted(params)))
	}
	return nil
}

// SecretParams are the parameters whose values never leave the server, not
// even in the string to sign a SignatureDoesNotMatch answer quotes: clients
// print that message (Terraform's error output, CI logs). Private keys of
// SLB and CAS uploads, and the session token.
var SecretParams = []string{"PrivateKey", "Key", "EncryptPrivateKey", "SignPrivateKey", "SecurityToken"}

// Redacted is what the quoted string to sign shows for a secret's value.
const Redacted = "***"

// redacted returns params with the values of SecretParams replaced by
// Redacted. The Go SDK compares the quoted string with its own to tell a
// wrong secret from a wrong string; with a secret in the request it now
// suspects the string: a lesser hint, and no leaked key.
func redacted(params url.Values) url.Values {
	var out url.Values
	for _, name := range SecretParams {
		if len(params[name]) == 0 {
			continue
		}
		if out == nil {
			out = make(url.Values, len(params))
			for k, v := range params {
				out[k] = v
			}
		}
		out[name] = []string{Redacted}
	}
	if out == nil {
		return params
	}
	return out
}

// inspectV1 checks the V1 signature parameters without the secret.
func inspectV1(params url.Values) (*Claims, error) {
	for _, name := range v1Required {
		if params.Get(name) == "" {
			return nil, slbcert.MissingParameter(name)
		}
	}
	if !strings.EqualFold(params.Get("SignatureMethod"), V1SignatureMethod) {
		return nil, invalidSignatureMethod("SignatureMethod")
	}
	if params.Get("SignatureVersion") != V1SignatureVersion {
		return nil, invalidSignatureMethod("SignatureVersion")
	}
	ts, err := ParseTimestamp(params.Get("Timestamp"))
	if err != nil {
		return nil, err
	}
	return &Claims{
		Scheme:        SchemeV1,
		AccessKeyID:   params.Get("AccessKeyId"),
		Nonce:         params.Get("SignatureNonce"),
		Timestamp:     ts,
		SecurityToken: params.Get("SecurityToken"),
	}, nil
}
