package rpc

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"slbcert"
	"slbcert/iam"
	"slbcert/sign"
)

// MaxClockSkew is how far a request's timestamp may be from the server's
// clock; nonces are remembered for as long, so a replay is always caught.
const MaxClockSkew = 15 * time.Minute

// Keys finds AccessKeys by id.
type Keys interface {
	AccessKey(id string) (*iam.AccessKey, bool)
}

// Sessions opens the security tokens of temporary credentials (package sts
// implements it). Authenticate returns the temporary AccessKey token
// carries for accessKeyID at now, or InvalidSecurityToken.Malformed (not a
// token of this server), .MismatchWithAccessKey (a token of another key)
// or .Expired, checked in that order.
type Sessions interface {
	Authenticate(token, accessKeyID string, now time.Time) (*iam.AccessKey, error)
}

// Nonces remembers signature nonces: the gateway's own store, which the
// server hands it apart from every product's.
type Nonces interface {
	// UseNonce records that nonce was used by accessKeyID, to be
	// remembered until expires. It returns false if the pair was already
	// recorded and has not expired (a replay). Expired records may be
	// purged at any time.
	UseNonce(ctx context.Context, accessKeyID, nonce string, expires time.Time) (bool, error)
}

// authenticate verifies the request's signature — V3 when the Authorization
// header says ACS3-…, V1 otherwise — and returns the AccessKey that signed
// it. Checks run in the gateway's order: signature fields, AccessKey (and
// security token), timestamp, signature, and last the nonce, so that a
// forged request cannot burn a real one.
func (s *Server) authenticate(r *http.Request, params url.Values, body []byte) (*iam.AccessKey, error) {
	if sign.SchemeOf(r) == sign.SchemeV1 && (params.Get("Signature") == "" || params.Get("AccessKeyId") == "") {
		// Not a signed request at all (a browser, curl): say so rather
		// than name one missing parameter.
		return nil, slbcert.Errorf(slbcert.EIncompleteSignature, "The request signature does not conform to Aliyun standards: it carries no AccessKeyId and Signature.")
	}
	claims, err := sign.Inspect(r, params)
	if err != nil {
		return nil, err
	}
	key, err := s.accessKey(claims)
	if err != nil {
		return nil, err
	}
	if d := time.Now().Sub(claims.Timestamp); d > MaxClockSkew || d < -MaxClockSkew {
		return nil, slbcert.Errorf(slbcert.ETimestampExpired, "Specified time stamp or date value is expired: %s is more than 15 minutes from the server's time.", claims.Timestamp.Format(sign.TimestampLayout))
	}
	if err := claims.Verify(r, params, body, key.Secret); err != nil {
		return nil, err
	}
	if len(claims.Nonce) > 128 || !cleanText(claims.Nonce) {
		return nil, slbcert.Errorf(slbcert.EInvalidParameter, "The SignatureNonce must be at most 128 characters of UTF-8 text.")
	}
	// A nonce is remembered until its request's timestamp leaves the
	// accepted window, so any replay that passes the clock check meets it.
	fresh, err := s.Nonces.UseNonce(r.Context(), key.ID, claims.Nonce, claims.Timestamp.Add(MaxClockSkew))
	if err != nil {
		return nil, err
	}
	if !fresh {
		return nil, slbcert.Errorf(slbcert.ESignatureNonceUsed, "Specified signature nonce was used already.")
	}
	return key, nil
}

// accessKey finds the key a request claims (docs/choices.md, "STS (temporary
// credentials)": the gateway's order): a temporary
// ("STS.") key is the one its security token carries — none sent is
// MissingSecurityToken; a long-term key is looked up (NotFound, Inactive),
// and a token sent with it is refused, as it cannot be that key's:
// Malformed if it is not a token of ours, MismatchWithAccessKey if it is.
func (s *Server) accessKey(c *sign.Claims) (*iam.AccessKey, error) {
	if strings.HasPrefix(c.AccessKeyID, iam.TemporaryKeyPrefix) {
		if c.SecurityToken == "" {
			return nil, slbcert.Errorf(slbcert.EMissingSecurityToken, "SecurityToken is mandatory for this action: %s is a temporary AccessKey.", c.AccessKeyID)
		}
		if s.Sessions == nil {
			return nil, malformedToken()
		}
		return s.Sessions.Authenticate(c.SecurityToken, c.AccessKeyID, s.Now())
	}
	key, ok := s.Keys.AccessKey(c.AccessKeyID)
	if !ok {
		return nil, slbcert.Errorf(slbcert.EAccessKeyNotFound, "Specified access key is not found.")
	}
	if key.Inactive {
		return nil, slbcert.Errorf(slbcert.EAccessKeyInactive, "Specified access key is disabled.")
	}
	if c.SecurityToken != "" {
		if s.Sessions == nil {
			return nil, malformedToken()
		}
		if _, err := s.Sessions.Authenticate(c.SecurityToken, c.AccessKeyID, s.Now()); err != nil {
			return nil, err
		}
		// Unreachable with package sts (a token's key is always a
		// temporary one), but a token is never ignored.
		return nil, slbcert.Errorf(slbcert.ESecurityTokenMismatch, "Specified SecurityToken mismatch with the AccessKey.")
	}
	return key, nil
}

func malformedToken() error {
	return slbcert.Errorf(slbcert.ESecurityTokenMalformed, "Specified SecurityToken is malformed.")
}
