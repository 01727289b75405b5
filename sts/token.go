package sts

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"slbcert/iam"
)

// Session is what a security token carries: everything needed to
// authenticate and authorize its requests without a database.
type Session struct {
	AccessKeyID     string `json:"k"`
	AccessKeySecret string `json:"s"`
	// AccountID owns the role; the session acts in this account.
	AccountID string `json:"a"`
	// RoleName is the role's name as declared when the session began.
	RoleName    string `json:"r"`
	SessionName string `json:"n"`
	// Policy is the session policy (AssumeRole's Policy), compacted; ""
	// for none.
	Policy         string `json:"p,omitempty"`
	SourceIdentity string `json:"i,omitempty"`
	// Expiration is when the session ends, in Unix seconds.
	Expiration int64 `json:"e"`
}

// Expires returns Expiration as a time.
func (s *Session) Expires() time.Time { return time.Unix(s.Expiration, 0).UTC() }

// tokenVersion is the first byte of every token; a new layout gets a new
// version, and older servers refuse it as malformed rather than misread it.
const tokenVersion = 1

// MaxTokenBytes bounds the token text a request may carry: a token with the
// largest session policy (2048 bytes, JSON-escaped at worst ×6) and every
// other field stays well under it.
const MaxTokenBytes = 32 << 10

// tokenAAD binds the sealed blob to its use: a sealed private key, whose
// associated data differs, never opens as a token, nor a token as a key.
var tokenAAD = []byte("slbcert/sts/token/v1")

var errMalformed = errors.New("sts: not a token of this server")

// Seal turns a session into its token: base64url (no padding) of the
// version byte and the keyring's sealed JSON.
func (s *Service) Seal(sess *Session) (string, error) {
	plain, err := json.Marshal(sess)
	if err != nil {
		return "", err
	}
	blob, err := s.Keyring.Seal(plain, tokenAAD)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(append([]byte{tokenVersion}, blob...)), nil
}

// Open reads a token back into its session, expired or not. Anything that
// is not a whole, untampered token of this server (under any key the
// keyring holds) is errMalformed.
func (s *Service) Open(token string) (*Session, error) {
	if len(token) == 0 || len(token) > MaxTokenBytes {
		return nil, errMalformed
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(raw) < 2 || raw[0] != tokenVersion {
		return nil, errMalformed
	}
	plain, err := s.Keyring.Open(raw[1:], tokenAAD)
	if err != nil {
		return nil, errMalformed
	}
	dec := json.NewDecoder(bytes.NewReader(plain))
	dec.DisallowUnknownFields()
	var sess Session
	if err := dec.Decode(&sess); err != nil || dec.More() {
		return nil, errMalformed
	}
	if !strings.HasPrefix(sess.AccessKeyID, iam.TemporaryKeyPrefix) || sess.AccessKeySecret == "" ||
		sess.AccountID == "" || sess.RoleName == "" || sess.SessionName == "" || sess.Expiration <= 0 {
		return nil, errMalformed
	}
	return &sess, nil
}

// alphanumerics make up temporary AccessKeyIds and secrets: safe in any
// shell, config file or URL without quoting.
const alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomText returns n characters of alphanumerics from crypto/rand.
func randomText(n int) string {
	b := make([]byte, n)
	out := make([]byte, n)
	for i := 0; i < n; {
		rand.Read(b)
		for _, c := range b {
			// 248 = 4×62: rejecting larger bytes keeps every character equally likely.
			if c < 248 && i < n {
				out[i] = alphanumerics[int(c)%len(alphanumerics)]
				i++
			}
		}
	}
	return string(out)
}

// newAccessKey returns a temporary AccessKeyId ("STS." and 25
// alphanumerics, as Alibaba's look) and its secret (44 alphanumerics).
func newAccessKey() (id, secret string) {
	return iam.TemporaryKeyPrefix + randomText(25), randomText(44)
}
