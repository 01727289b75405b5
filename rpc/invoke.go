package rpc

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"slbcert"
	"slbcert/iam"
	"slbcert/sign"
)

// Credential is who signed in to the console (docs/choices.md, "Console"):
// an AccessKey id and, for temporary credentials, the security token. It
// holds no secret, only a digest of the one given at sign-in, so that a
// key whose secret changed since (an IAM reload) no longer serves it.
type Credential struct {
	AccessKeyID   string
	SecurityToken string
	secretDigest  [sha256.Size]byte
}

// SignIn checks an AccessKey pair (and, for an STS key, its security
// token) exactly as the gateway checks a signed request's key — AccessKey
// unknown (InvalidAccessKeyId.NotFound), inactive, a temporary key without
// its token, a token malformed, of another key or expired — and then the
// secret, whose mismatch is the API's SignatureDoesNotMatch. It returns
// the credential to invoke calls with and whom it authenticates.
func (s *Server) SignIn(accessKeyID, secret, securityToken string) (Credential, *slbcert.Principal, error) {
	if accessKeyID == "" {
		return Credential{}, nil, slbcert.MissingParameter("AccessKeyId")
	}
	if !cleanText(accessKeyID) || !cleanText(secret) || !cleanText(securityToken) {
		return Credential{}, nil, slbcert.Errorf(slbcert.EInvalidParameter, "The AccessKey ID, Secret and SecurityToken must be UTF-8 text without NUL.")
	}
	key, err := s.accessKey(&sign.Claims{AccessKeyID: accessKeyID, SecurityToken: securityToken})
	if err != nil {
		return Credential{}, nil, err
	}
	given := sha256.Sum256([]byte(secret))
	want := sha256.Sum256([]byte(key.Secret))
	if subtle.ConstantTimeCompare(given[:], want[:]) != 1 {
		return Credential{}, nil, slbcert.Errorf(slbcert.ESignatureDoesNotMatch, "The AccessKey Secret does not match AccessKey %s.", accessKeyID)
	}
	return Credential{AccessKeyID: accessKeyID, SecurityToken: securityToken, secretDigest: given}, key.Principal, nil
}

// Verify looks a signed-in credential up again, as the gateway looks up a
// request's key: it fails with the API's code once the key is unknown or
// inactive, its token expired, or its secret changed since sign-in
// (SignatureDoesNotMatch). It returns whom the credential authenticates.
func (s *Server) Verify(c Credential) (*slbcert.Principal, error) {
	key, err := s.verify(c)
	if err != nil {
		return nil, err
	}
	return key.Principal, nil
}

func (s *Server) verify(c Credential) (*iam.AccessKey, error) {
	key, err := s.accessKey(&sign.Claims{AccessKeyID: c.AccessKeyID, SecurityToken: c.SecurityToken})
	if err != nil {
		return nil, err
	}
	digest := sha256.Sum256([]byte(key.Secret))
	if subtle.ConstantTimeCompare(digest[:], c.secretDigest[:]) != 1 {
		return nil, slbcert.Errorf(slbcert.ESignatureDoesNotMatch, "The AccessKey Secret of %s changed since sign-in.", c.AccessKeyID)
	}
	return key, nil
}

// Invocation is one call made within the process on behalf of a
// principal that signed in: the console's reads and actions.
type Invocation struct {
	Credential Credential
	// Request is the HTTP request the call serves: its source address and
	// transport are the principal's acs:SourceIp and acs:SecureTransport.
	Request *http.Request
	// Version and Action route the call as a request's would; Params are
	// its parameters, as a request's query string would carry them.
	Version, Action string
	Params          url.Values
	// Via names the caller in the log line and the call's record
	// ("console").
	Via string
}

// Result is what an invoked call answered.
type Result struct {
	// RequestID is the call's RequestId, as an API answer carries it.
	RequestID string
	// Value is the product's answer (a struct embedding Response), nil
	// when Err is set.
	Value any
	// Err is the answer's error with the API's code, nil on success. An
	// error of no product is InternalError, its cause hidden and logged.
	Err *slbcert.Error
	// Status is the HTTP status the API would have answered with.
	Status int
}

// Invoke runs one call through the gateway's own dispatch, after the
// signature: the credential is looked up again as the gateway looks up a
// request's key (so a key disabled or a token expired since sign-in is
// refused with the API's code), then throttling, routing on (Version,
// Action), the product's handler with its RAM checks, and the same log
// line, metrics and call record as an API request, tagged with Via. The
// Handler must have been built first.
func (s *Server) Invoke(ctx context.Context, in Invocation) Result {
	start := time.Now()
	requestID := strings.ToUpper(uuid.NewString())
	var (
		principal *slbcert.Principal
		rt        *route
		known     bool
	)
	value, err := func() (value any, err error) {
		defer func() {
			if v := recover(); v != nil {
				err = fmt.Errorf("panic: %v", v)
			}
		}()
		if s.router == nil {
			return nil, errors.New("rpc: Invoke before Handler")
		}
		if in.Action == "" {
			return nil, slbcert.MissingParameter("Action")
		}
		if rt = s.router.version(in.Version); rt == nil {
			return nil, slbcert.Errorf(slbcert.EInvalidVersion, "Specified parameter Version %q is not valid; this endpoint serves versions %s.", in.Version, strings.Join(s.router.served(), ", "))
		}
		handle, ok := rt.actions[in.Action]
		known = ok
		key, err := s.verify(in.Credential)
		if err != nil {
			return nil, err
		}
		principal = requestPrincipal(key.Principal, in.Request)
		if _, err := s.throttle(key.ID); err != nil {
			return nil, err
		}
		if !known {
			return nil, unknownAction(in.Action)
		}
		if err := checkText(in.Params); err != nil {
			return nil, err
		}
		params := in.Params
		if params == nil {
			params = url.Values{}
		}
		return handle(ctx, &Call{Principal: principal, Params: params, Action: in.Action, Version: in.Version})
	}()
	res := Result{RequestID: requestID, Status: http.StatusOK}
	code := ""
	if err != nil {
		e := publicError(err)
		var product *Product
		if rt != nil {
			product = rt.product
		}
		code, res.Status, res.Err = e.Code, errorStatus(e, product), e
		if code == slbcert.EInternal {
			s.Log.Error("request failed", "request_id", requestID, "action", in.Action, "via", in.Via, "err", err)
		}
	} else {
		setRequestID(value, requestID)
		res.Value = value
	}
	action := in.Action
	if !known && len(action) > 64 {
		action = action[:64] + "…"
	}
	s.answered(answered{start: start, requestID: requestID, action: action, version: in.Version, code: code,
		status: res.Status, principal: principal, known: known, via: in.Via})
	return res
}

// CallRecorder is told of every answered call whose caller authenticated,
// from the API or through Invoke. RecordCall runs on the request's
// goroutine before the next request of its connection: it must be cheap
// and must not block.
type CallRecorder interface {
	RecordCall(CallRecord)
}

// CallRecord is one answered call as the request log has it: never a
// parameter, a secret or a token.
type CallRecord struct {
	Time                 time.Time
	RequestID            string
	Version, Action      string
	Code                 string // "" on success
	Status               int
	AccountID, Principal string // Principal as PrincipalName says
	AccessKeyID          string
	Via                  string // "" for the API, else Invocation.Via
	Duration             time.Duration
}
