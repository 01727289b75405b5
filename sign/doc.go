// Package sign verifies the two request signatures Alibaba Cloud RPC clients
// send: V1 (HMAC-SHA1, carried in the parameters; the Go SDK v1, the aliyun
// CLI, Terraform's RpcPost) and V3 (ACS3-HMAC-SHA256 in the Authorization
// header; darabonba-openapi and the generated V3 SDKs).
//
// The package is pure: it knows nothing of AccessKeys, clocks or nonce stores.
// The rpc layer drives it in this order, so that a request is rejected with
// the most useful code first:
//
//	c, err := sign.Inspect(r, params)     // fields present and well formed
//	secret := lookup(c.AccessKeyID)       // InvalidAccessKeyId.NotFound/Inactive
//	check skew of c.Timestamp             // InvalidTimeStamp.Expired
//	err = c.Verify(r, params, body, secret)
//	record c.Nonce for c.AccessKeyID      // SignatureNonceUsed
//
// Recording the nonce only after the signature verified keeps unsigned
// requests from filling the nonce store.
//
// # Which values are signed
//
// The server merges the query string and a form body into one parameter set.
// When a key occurs more than once, the first value is the one that counts,
// both for the signature and for the operation; callers must read parameters
// with url.Values.Get and pass the same url.Values here. Body
// values come before query values (see [MergeParams]; net/http's Request.Form
// has the same order), which matches the Go SDK v1: it signs query and form
// parameters as one map in which a form value overwrites a query value of the
// same name.
//
// V1 covers every parameter except Signature, empty values included. Only
// parameters are covered: a body that is not a form is not signed in V1, and
// the rpc layer must not act on it. V3 covers the query string (first value per
// key), the signed headers and the body through x-acs-content-sha256.
//
// Parameter names are sorted by their raw bytes before encoding, as the Go SDK
// (url.Values.Encode), the Python core (sorted) and the Java core (TreeMap)
// do. For the ASCII names this API uses, that is the same as sorting the
// encoded names.
//
// # Error codes
//
//   - A V1 parameter that is absent or empty (AccessKeyId, Signature,
//     SignatureMethod, SignatureVersion, SignatureNonce, Timestamp):
//     MissingParameter naming it, in that order. The gateway's wording tells
//     the user exactly what to add, which IncompleteSignature would not.
//   - SignatureMethod other than HMAC-SHA1 or SignatureVersion other than 1.0:
//     InvalidParamater (sic) naming the parameter.
//   - A V3 Authorization header that cannot be parsed, a required V3 header
//     that is absent, or a header that should be signed and is not:
//     IncompleteSignature, with the reason appended to the gateway's message.
//   - An ACS3 algorithm other than ACS3-HMAC-SHA256 (ACS3-HMAC-SM3,
//     ACS3-RSA-SHA256): InvalidParamater, like an unsupported V1
//     SignatureMethod, naming the one that is supported.
//   - Timestamp or x-acs-date not in ISO 8601 UTC: InvalidTimeStamp.Format.
//   - A body whose SHA-256 differs from x-acs-content-sha256, or a signature
//     that differs from ours: SignatureDoesNotMatch. The signature message ends
//     with "server string to sign is:" and our string to sign, which the Go SDK
//     v1 compares with its own to tell a wrong secret from an SDK bug.
package sign
