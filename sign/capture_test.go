package sign_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"slbcert"
)

// captured is one request as the server received it.
type captured struct {
	req  *http.Request // Body is nil; use request()
	body []byte
}

// request returns a fresh copy of the captured request with its body.
func (c captured) request() *http.Request {
	r := c.req.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(c.body))
	return r
}

// form returns the merged parameters the way the server sees them:
// net/http's own ParseForm over query and form body.
func (c captured) form() (url.Values, error) {
	r := c.request()
	err := r.ParseForm()
	return r.Form, err
}

// params is form for the test goroutine.
func (c captured) params(t *testing.T) url.Values {
	t.Helper()
	p, err := c.form()
	if err != nil {
		t.Fatalf("ParseForm: %v", err)
	}
	return p
}

// capture is an httptest server that records every request and answers with
// respond, or with a bare JSON success.
type capture struct {
	ts      *httptest.Server
	mu      sync.Mutex
	got     []captured
	respond func(w http.ResponseWriter, c captured)
}

func newCapture(t *testing.T) *capture {
	t.Helper()
	c := &capture{}
	c.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		got := captured{req: r.Clone(context.Background()), body: body}
		got.req.Body = nil
		c.mu.Lock()
		c.got = append(c.got, got)
		respond := c.respond
		c.mu.Unlock()
		if respond != nil {
			respond(w, got)
			return
		}
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		io.WriteString(w, `{"RequestId":"5E5C5D3B-0000-4000-8000-000000000000"}`)
	}))
	t.Cleanup(c.ts.Close)
	return c
}

// host is the server's host:port, what clients take as their endpoint.
func (c *capture) host() string { return strings.TrimPrefix(c.ts.URL, "http://") }

// last returns the one request captured since the last call.
func (c *capture) last(t *testing.T) captured {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.got) != 1 {
		t.Fatalf("captured %d requests, want 1", len(c.got))
	}
	got := c.got[0]
	c.got = nil
	return got
}

// writeError answers with an API error body as the real gateway does.
func writeError(w http.ResponseWriter, err error) {
	var e *slbcert.Error
	if !errors.As(err, &e) {
		e = &slbcert.Error{Code: slbcert.EInternal, Message: err.Error()}
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	json.NewEncoder(w).Encode(map[string]string{
		"RequestId": "5E5C5D3B-0000-4000-8000-000000000001",
		"HostId":    "slb.aliyuncs.com",
		"Code":      e.Code,
		"Message":   e.Message,
		"Recommend": "",
	})
}

// wantCode fails unless err is an *slbcert.Error with the given code.
func wantCode(t *testing.T, err error, code string) *slbcert.Error {
	t.Helper()
	var e *slbcert.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want *slbcert.Error %s", err, code)
	}
	if e.Code != code {
		t.Fatalf("code = %s (%s), want %s", e.Code, e.Message, code)
	}
	return e
}

// fixture reads a file from testdata.
func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
