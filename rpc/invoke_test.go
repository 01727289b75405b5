package rpc

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"slbcert"
	"slbcert/iam"
)

type recorder struct {
	mu    sync.Mutex
	calls []CallRecord
}

func (r *recorder) RecordCall(c CallRecord) {
	r.mu.Lock()
	r.calls = append(r.calls, c)
	r.mu.Unlock()
}

type echo struct {
	Response
	Who, Value string
	Secure     bool
}

// invokeServer serves one product with an action echoing its principal
// and parameter, over a directory of one account root key.
func invokeServer(t *testing.T) (*Server, *iam.Live, *bytes.Buffer, *recorder) {
	t.Helper()
	account := &slbcert.Account{ID: "1000000000000009"}
	key := &iam.AccessKey{ID: "LTAIinvoke", Secret: "invoke-secret", Principal: &slbcert.Principal{Account: account, AccessKeyID: "LTAIinvoke"}}
	dir, err := iam.NewDirectory(key)
	if err != nil {
		t.Fatal(err)
	}
	keys := iam.NewLive(dir)
	var log bytes.Buffer
	rec := &recorder{}
	s := &Server{Keys: keys, Log: slog.New(slog.NewJSONHandler(&log, nil)), Now: time.Now, Calls: rec,
		Products: []*Product{{Code: "Test", HostID: "test", Versions: map[string]Actions{"2000-01-01": {
			"Echo": func(ctx context.Context, c *Call) (any, error) {
				return &echo{Who: c.Principal.Account.ID, Value: c.Get("Value"), Secure: c.Principal.SecureTransport}, nil
			},
			"Refuse": func(ctx context.Context, c *Call) (any, error) {
				return nil, slbcert.Errorf(slbcert.ENoPermission, "no")
			},
		}}}}}
	s.Handler()
	return s, keys, &log, rec
}

func TestSignIn(t *testing.T) {
	s, _, _, _ := invokeServer(t)
	for _, tc := range []struct{ id, secret, token, code string }{
		{"LTAInone", "x", "", slbcert.EAccessKeyNotFound},
		{"LTAIinvoke", "wrong", "", slbcert.ESignatureDoesNotMatch},
		{"STS.abc", "x", "", slbcert.EMissingSecurityToken},
		{"STS.abc", "x", "token", slbcert.ESecurityTokenMalformed},
		{"LTAIinvoke", "invoke-secret", "token", slbcert.ESecurityTokenMalformed},
		{"", "x", "", slbcert.EMissingParameter},
	} {
		_, _, err := s.SignIn(tc.id, tc.secret, tc.token)
		if e, ok := err.(*slbcert.Error); !ok || e.Code != tc.code {
			t.Errorf("SignIn(%q, %q, %q) = %v, want %s", tc.id, tc.secret, tc.token, err, tc.code)
		}
	}
	cred, p, err := s.SignIn("LTAIinvoke", "invoke-secret", "")
	if err != nil || p.Account.ID != "1000000000000009" || cred.AccessKeyID != "LTAIinvoke" {
		t.Fatalf("SignIn: %+v %+v %v", cred, p, err)
	}
}

// TestInvoke: an invoked call runs the product's handler as the
// credential's principal, is logged with via and recorded; a key gone or
// changed since sign-in is refused with the API's code.
func TestInvoke(t *testing.T) {
	s, keys, log, rec := invokeServer(t)
	cred, _, err := s.SignIn("LTAIinvoke", "invoke-secret", "")
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "https://console.test/console/", nil)
	res := s.Invoke(context.Background(), Invocation{Credential: cred, Request: r, Version: "2000-01-01", Action: "Echo", Params: url.Values{"Value": {"v"}}, Via: "console"})
	if res.Err != nil || res.RequestID == "" {
		t.Fatalf("Invoke: %+v", res)
	}
	if e, ok := res.Value.(*echo); !ok || e.Who != "1000000000000009" || e.Value != "v" || !e.Secure || e.RequestID != res.RequestID {
		t.Fatalf("answer %+v", res.Value)
	}
	line := log.String()
	if !strings.Contains(line, `"action":"Echo"`) || !strings.Contains(line, `"via":"console"`) || !strings.Contains(line, `"principal":"root"`) || strings.Contains(line, "invoke-secret") {
		t.Fatalf("log: %s", line)
	}
	if len(rec.calls) != 1 || rec.calls[0].Via != "console" || rec.calls[0].AccountID != "1000000000000009" || rec.calls[0].RequestID != res.RequestID {
		t.Fatalf("recorded %+v", rec.calls)
	}
	for _, tc := range []struct{ version, action, code string }{
		{"1999-01-01", "Echo", slbcert.EInvalidVersion},
		{"2000-01-01", "Nope", slbcert.EInvalidActionNotFound},
		{"2000-01-01", "Refuse", slbcert.ENoPermission},
	} {
		res := s.Invoke(context.Background(), Invocation{Credential: cred, Request: r, Version: tc.version, Action: tc.action})
		if res.Err == nil || res.Err.Code != tc.code {
			t.Errorf("%s/%s: %+v", tc.version, tc.action, res.Err)
		}
	}
	if res := s.Invoke(context.Background(), Invocation{Credential: cred, Request: r, Version: "2000-01-01", Action: "Echo", Params: url.Values{"Value": {"a\x00b"}}}); res.Err == nil || res.Err.Code != slbcert.EInvalidParameter {
		t.Errorf("NUL in a parameter: %+v", res.Err)
	}
	// The secret changes under the same id: the credential no longer serves.
	changed := &iam.AccessKey{ID: "LTAIinvoke", Secret: "rotated", Principal: &slbcert.Principal{Account: &slbcert.Account{ID: "1000000000000009"}, AccessKeyID: "LTAIinvoke"}}
	dir, _ := iam.NewDirectory(changed)
	keys.Replace(dir)
	if _, err := s.Verify(cred); err == nil || err.(*slbcert.Error).Code != slbcert.ESignatureDoesNotMatch {
		t.Fatalf("Verify after rotation: %v", err)
	}
	dir, _ = iam.NewDirectory()
	keys.Replace(dir)
	if res := s.Invoke(context.Background(), Invocation{Credential: cred, Request: r, Version: "2000-01-01", Action: "Echo"}); res.Err == nil || res.Err.Code != slbcert.EAccessKeyNotFound {
		t.Fatalf("Invoke after the key's removal: %+v", res.Err)
	}
}
