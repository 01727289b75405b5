package console

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"slbcert"
	"slbcert/rpc"
)

// stubGateway answers the console as a gateway would, from a table of
// answers by action; it counts the calls it was asked.
type stubGateway struct {
	mu       sync.Mutex
	answers  map[string]any
	errs     map[string]*slbcert.Error
	calls    []string
	verifyOK bool
}

func (g *stubGateway) SignIn(id, secret, token string) (rpc.Credential, *slbcert.Principal, error) {
	if id != "LTAIstub" {
		return rpc.Credential{}, nil, slbcert.Errorf(slbcert.EAccessKeyNotFound, "Specified access key is not found.")
	}
	if secret != "stub-secret" {
		return rpc.Credential{}, nil, slbcert.Errorf(slbcert.ESignatureDoesNotMatch, "no")
	}
	return rpc.Credential{AccessKeyID: id}, &slbcert.Principal{Account: &slbcert.Account{ID: "1000000000000001"}, AccessKeyID: id}, nil
}

func (g *stubGateway) Verify(rpc.Credential) (*slbcert.Principal, error) {
	if !g.verifyOK {
		return nil, slbcert.Errorf(slbcert.EAccessKeyInactive, "disabled")
	}
	return &slbcert.Principal{Account: &slbcert.Account{ID: "1000000000000001"}}, nil
}

func (g *stubGateway) Invoke(_ context.Context, in rpc.Invocation) rpc.Result {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls = append(g.calls, in.Action)
	if e := g.errs[in.Action]; e != nil {
		return rpc.Result{RequestID: "REQ-" + in.Action, Err: e, Status: rpc.Status(e.Code)}
	}
	v, ok := g.answers[in.Action]
	if !ok {
		v = map[string]any{}
	}
	return rpc.Result{RequestID: "REQ-" + in.Action, Value: v, Status: 200}
}

func newStub(t *testing.T) (*Console, *stubGateway, *httptest.Server) {
	t.Helper()
	g := &stubGateway{verifyOK: true, answers: map[string]any{
		"DescribeRegions": map[string]any{"Regions": map[string]any{"Region": []any{
			map[string]any{"RegionId": "cn-hangzhou", "LocalName": "China (Hangzhou)"},
			map[string]any{"RegionId": "lab-1", "LocalName": "Lab"}}}},
	}, errs: map[string]*slbcert.Error{}}
	c := New(g, Options{})
	srv := httptest.NewServer(c.Handler())
	t.Cleanup(srv.Close)
	return c, g, srv
}

// signedInCookie signs in through the form and returns the session
// cookie and the page's form token.
func signedInCookie(t *testing.T, srv *httptest.Server) (*http.Cookie, string) {
	t.Helper()
	resp, err := http.Get(srv.URL + "/console/signin")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	token := between(string(body), `name="csrf" value="`, `"`)
	var pre *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == signInCookie {
			pre = ck
		}
	}
	if pre == nil || !pre.HttpOnly || pre.SameSite != http.SameSiteStrictMode {
		t.Fatalf("sign-in cookie %v", resp.Header["Set-Cookie"])
	}
	req, _ := http.NewRequest("POST", srv.URL+"/console/signin", strings.NewReader(url.Values{"csrf": {token}, "accessKeyId": {"LTAIstub"}, "accessKeySecret": {"stub-secret"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(pre)
	resp, err = http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", resp.StatusCode)
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie {
			req, _ := http.NewRequest("GET", srv.URL+"/console/calls", nil)
			req.AddCookie(ck)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return ck, between(string(body), `name="csrf" value="`, `"`)
		}
	}
	t.Fatal("no session cookie")
	return nil, ""
}

func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, to)
	return v
}

func TestUnsignedRequests(t *testing.T) {
	_, g, srv := newStub(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(srv.URL + "/console/certificates?region=lab-1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/console/signin?next=") {
		t.Fatalf("GET without a session: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, err = client.Post(srv.URL+"/console/certificates", "application/x-www-form-urlencoded", strings.NewReader("kind=server"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("POST without a session: %d", resp.StatusCode)
	}
	// A sign-in form posted without its cookie's token is refused before
	// the key is looked at.
	resp, err = client.Post(srv.URL+"/console/signin", "application/x-www-form-urlencoded", strings.NewReader("accessKeyId=LTAIstub&accessKeySecret=stub-secret"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "Console.FormExpired") {
		t.Fatalf("sign-in without the token: %d", resp.StatusCode)
	}
	if len(g.calls) != 0 {
		t.Fatalf("calls without a session: %v", g.calls)
	}
	resp, err = client.Get(srv.URL + "/console/nothing/here")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Security-Policy") == "" {
		t.Fatalf("unknown page: %d", resp.StatusCode)
	}
}

func TestStaticAssets(t *testing.T) {
	c, _, srv := newStub(t)
	for _, name := range []string{"console.css", "console.js", "favicon.svg"} {
		resp, err := http.Get(srv.URL + "/console/static/" + name + "?v=" + c.assetHash)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: %d %q", name, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
	}
}

// TestSignedInPages: each page asks the gateway for what it shows, keeps
// the region asked for, and shows a refused read's code.
func TestSignedInPages(t *testing.T) {
	_, g, srv := newStub(t)
	g.errs["DescribeCACertificates"] = slbcert.Errorf(slbcert.ENoPermission, "You are not authorized to do this action.")
	ck, token := signedInCookie(t, srv)
	if token == "" {
		t.Fatal("no form token on the page")
	}
	get := func(path string) (int, string) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.AddCookie(ck)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(b)
	}
	for _, path := range []string{"/console/", "/console/certificates", "/console/timeline", "/console/loadbalancers", "/console/calls"} {
		status, body := get(path + "?region=lab-1")
		if status != 200 {
			t.Fatalf("%s: %d\n%s", path, status, body)
		}
		if !strings.Contains(body, `<option value="lab-1" selected>`) {
			t.Errorf("%s does not keep the region", path)
		}
		if path != "/console/calls" && path != "/console/loadbalancers" && !strings.Contains(body, "NoPermission") {
			t.Errorf("%s hides the refusal", path)
		}
	}
	// An action the endpoint does not serve leaves its part out.
	g.errs["DescribeVpcs"] = slbcert.Errorf(slbcert.EInvalidVersion, "no")
	if _, body := get("/console/"); strings.Contains(body, "InvalidVersion") {
		t.Error("the overview shows an unserved product's refusal")
	}
	// A credential the gateway no longer accepts ends the session.
	g.verifyOK = false
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("GET", srv.URL+"/console/certificates", nil)
	req.AddCookie(ck)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "code=InvalidAccessKeyId.Inactive") {
		t.Fatalf("after the key was disabled: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestSessionsExpire(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	ss := newSessions(func() time.Time { return now })
	s := ss.create(rpc.Credential{AccessKeyID: "k"}, "root", "1")
	if ss.get(s.id) != s {
		t.Fatal("a fresh session is not found")
	}
	now = now.Add(IdleTimeout - time.Second)
	if ss.get(s.id) == nil {
		t.Fatal("a session used within its idle time ended")
	}
	now = now.Add(IdleTimeout + time.Second)
	if ss.get(s.id) != nil {
		t.Fatal("an idle session lives on")
	}
	s = ss.create(rpc.Credential{AccessKeyID: "k"}, "root", "1")
	for now.Sub(s.created) <= MaxLifetime {
		now = now.Add(IdleTimeout / 2)
		ss.get(s.id)
	}
	if ss.get(s.id) != nil {
		t.Fatal("a session lives past MaxLifetime")
	}
	if len(s.id) < 40 || s.id == s.csrf {
		t.Fatalf("weak tokens: %q %q", s.id, s.csrf)
	}
}

func TestSameOrigin(t *testing.T) {
	for _, tc := range []struct {
		origin, referer string
		tls, want       bool
	}{
		{"http://console.test", "", false, true},
		{"https://console.test", "", true, true},
		{"https://console.test", "", false, false},
		{"http://evil.test", "", false, false},
		{"null", "", false, false},
		{"", "http://console.test/console/certificates", false, true},
		{"", "http://evil.test/console/", false, false},
		{"", "", false, true}, // neither: the form token decides
	} {
		r := httptest.NewRequest("POST", "http://console.test/console/signout", nil)
		if tc.tls {
			r = httptest.NewRequest("POST", "https://console.test/console/signout", nil)
		}
		if tc.origin != "" {
			r.Header.Set("Origin", tc.origin)
		}
		if tc.referer != "" {
			r.Header.Set("Referer", tc.referer)
		}
		if got := sameOrigin(r); got != tc.want {
			t.Errorf("Origin %q Referer %q TLS %v: %v", tc.origin, tc.referer, tc.tls, got)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for next, want := range map[string]string{
		"/console/certificates?region=x": "/console/certificates?region=x",
		"//evil.test/console/":           "",
		"https://evil.test/console/":     "",
		"/elsewhere":                     "",
		"/console/\\evil":                "",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q", next, got)
		}
	}
}

func TestCallLog(t *testing.T) {
	l := NewCallLog()
	for i := range CallsPerAccount + 5 {
		l.RecordCall(rpc.CallRecord{AccountID: "a", RequestID: string(rune('A' + i%26)), Action: "Describe"})
	}
	l.RecordCall(rpc.CallRecord{AccountID: "a", Action: "FromConsole", Via: "console"})
	l.RecordCall(rpc.CallRecord{AccountID: "b", Action: "Other"})
	api, con := l.Recent("a")
	if len(api) != CallsPerAccount || len(con) != 1 || con[0].Action != "FromConsole" {
		t.Fatalf("%d API calls, console %+v", len(api), con)
	}
	if want := string(rune('A' + (CallsPerAccount+4)%26)); api[0].RequestID != want {
		t.Fatalf("newest first: %q, want %q", api[0].RequestID, want)
	}
	if api, _ := l.Recent("c"); api != nil {
		t.Fatal("an account without calls has some")
	}
}

func BenchmarkRecordCall(b *testing.B) {
	l := NewCallLog()
	rec := rpc.CallRecord{AccountID: "1000000000000001", RequestID: "R", Action: "DescribeServerCertificates", Principal: "root"}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			l.RecordCall(rec)
		}
	})
}

func TestSignInLimiter(t *testing.T) {
	l := newSignInLimiter()
	now := time.Now()
	for range signInBurst {
		if !l.allow("1.2.3.4", now) {
			t.Fatal("throttled within the burst")
		}
		l.failed("1.2.3.4", now)
	}
	if l.allow("1.2.3.4", now) {
		t.Fatal("not throttled past the burst")
	}
	if !l.allow("5.6.7.8", now) {
		t.Fatal("another address throttled")
	}
	if !l.allow("1.2.3.4", now.Add(signInEvery)) {
		t.Fatal("still throttled after signInEvery")
	}
}

func TestTimeline(t *testing.T) {
	now := time.Date(2030, 6, 15, 0, 0, 0, 0, time.UTC)
	mk := func(name string, d time.Duration) *certificate {
		c := &certificate{Kind: kindServer, ID: name, Name: name}
		c.setExpiry(now.Add(d), now)
		return c
	}
	certs := []*certificate{mk("gone", -10*24*time.Hour), mk("soon", 5*24*time.Hour), mk("later", 400*24*time.Hour), mk("far", 20*365*24*time.Hour)}
	v := drawTimeline(certs, now)
	if len(v.Rows) != 4 || len(v.Ticks) == 0 || len(v.Ticks) > 14 {
		t.Fatalf("%d rows, %d ticks", len(v.Rows), len(v.Ticks))
	}
	gone, soon, later, far := v.Rows[0], v.Rows[1], v.Rows[2], v.Rows[3]
	if !(gone.X < v.TodayX && v.TodayX < soon.X && soon.X < later.X && later.X <= far.X) {
		t.Fatalf("order on the axis: %d %d %d %d (today %d)", gone.X, soon.X, later.X, far.X, v.TodayX)
	}
	if !far.Clamped || far.X != v.AxisX1 {
		t.Fatalf("a far expiry is not at the axis' end: %+v", far)
	}
	if certs[0].State != "expired" || certs[1].State != "expiring" || certs[2].State != "valid" || certs[1].DaysLeft != 5 {
		t.Fatalf("states %s %s %s, days %d", certs[0].State, certs[1].State, certs[2].State, certs[1].DaysLeft)
	}
}

func TestWithRegion(t *testing.T) {
	for _, tc := range []struct{ path, region, want string }{
		{"/console/x", "cn-hangzhou", "/console/x?region=cn-hangzhou"},
		{"/console/x#ext-1", "cn-hangzhou", "/console/x?region=cn-hangzhou#ext-1"},
		{"/console/x", "", "/console/x"},
	} {
		if got := withRegion(tc.path, tc.region); got != tc.want {
			t.Errorf("withRegion(%q, %q) = %q", tc.path, tc.region, got)
		}
	}
	if got := colonHex([]byte{0xab, 0x01}); got != "ab:01" {
		t.Errorf("colonHex = %q", got)
	}
}
