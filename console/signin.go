package console

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"slbcert"
	"slbcert/rpc"
)

// signInPageData is the sign-in form: the token of its cookie, the code
// of the last refusal, and the AccessKey ID to fill in again (never the
// secret or the token).
type signInPageData struct {
	basePage
	Token       string
	Err         *apiError
	AccessKeyID string
	Next        string
}

// codeSessionEnded is the console's own code for a session that timed
// out or was signed out elsewhere.
const codeSessionEnded = "Console.SessionEnded"

// codeMessages explain the codes a session can end with, on the sign-in
// page it is sent back to.
var codeMessages = map[string]string{
	slbcert.EAccessKeyNotFound:     "The AccessKey you signed in with no longer exists.",
	slbcert.EAccessKeyInactive:     "The AccessKey you signed in with was disabled.",
	slbcert.ESignatureDoesNotMatch: "The AccessKey Secret changed since you signed in.",
	"InvalidSecurityToken.Expired": "Your temporary credentials expired.",
	codeSessionEnded:               "Your session ended: sign in again.",
}

func (c *Console) signInPage(w http.ResponseWriter, r *http.Request) {
	d := &signInPageData{basePage: basePage{Title: "Sign in"}, Next: safeNext(r.FormValue("next"))}
	if code := r.FormValue("code"); code != "" {
		msg, ok := codeMessages[code]
		if !ok {
			msg = "Your session ended."
		}
		d.Err = &apiError{Code: code, Message: msg}
	}
	c.showSignIn(w, r, http.StatusOK, d)
}

// showSignIn renders the form with a fresh token in its cookie.
func (c *Console) showSignIn(w http.ResponseWriter, r *http.Request, status int, d *signInPageData) {
	d.Token = randomToken()
	setCookie(w, r, signInCookie, d.Token, time.Hour)
	c.render(w, r, status, "signin", d)
}

// signIn checks the form as the gateway checks a request's key and, when
// the API accepts it, starts a session. A refusal shows the API's code.
// The secret and the token go no further than SignIn: they are in no
// cookie, page or log line.
func (c *Console) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if !sameOrigin(r) {
		c.log.Warn("console: cross-site sign-in refused", "origin", r.Header.Get("Origin"))
		c.refuse(w, r, http.StatusForbidden, "Cross-site request refused: this form was not sent from the console.")
		return
	}
	if err := r.ParseForm(); err != nil {
		c.refuse(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	id := strings.TrimSpace(r.PostFormValue("accessKeyId"))
	logID := id
	if len(logID) > 64 {
		logID = logID[:64] + "…" // client text: keep log lines bounded
	}
	d := &signInPageData{basePage: basePage{Title: "Sign in"}, AccessKeyID: id, Next: safeNext(r.PostFormValue("next"))}
	ck, err := r.Cookie(signInCookie)
	if err != nil || !sameToken(r.PostFormValue("csrf"), ck.Value) {
		d.Err = &apiError{Code: "Console.FormExpired", Message: "The sign-in form expired or was not sent from the console: try again."}
		c.showSignIn(w, r, http.StatusForbidden, d)
		return
	}
	ip := clientIP(r)
	if !c.signIns.allow(ip, c.now()) {
		c.log.Warn("console: sign-in throttled", "source_ip", ip, "access_key_id", logID)
		d.Err = &apiError{Code: slbcert.EThrottlingUser, Message: "Too many failed sign-ins from your address: wait a minute."}
		c.showSignIn(w, r, http.StatusTooManyRequests, d)
		return
	}
	cred, principal, err := c.gateway.SignIn(id, r.PostFormValue("accessKeySecret"), strings.TrimSpace(r.PostFormValue("securityToken")))
	if err != nil {
		e := toAPIError("SignIn", "", err)
		c.signIns.failed(ip, c.now())
		c.log.Info("console: sign-in refused", "access_key_id", logID, "code", e.Code, "source_ip", ip)
		d.Err = e
		c.showSignIn(w, r, http.StatusForbidden, d)
		return
	}
	name := rpc.PrincipalName(principal)
	s := c.sessions.create(cred, name, principal.Account.ID)
	c.log.Info("console: signed in", "access_key_id", id, "account", principal.Account.ID, "principal", name, "source_ip", ip)
	setCookie(w, r, signInCookie, "", -1)
	setCookie(w, r, sessionCookie, s.id, MaxLifetime)
	next := d.Next
	if next == "" {
		next = "/console/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (c *Console) signOut(w http.ResponseWriter, r *http.Request, p *page) {
	c.sessions.end(p.s.id)
	setCookie(w, r, sessionCookie, "", -1)
	c.log.Info("console: signed out", "principal", p.s.principal, "account", p.s.accountID)
	http.Redirect(w, r, "/console/signin", http.StatusSeeOther)
}

// safeNext keeps a redirect after sign-in inside the console.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/console/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return ""
	}
	return next
}

func clientIP(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// signInLimiter slows guessing: each source address may fail to sign in
// signInBurst times, then once every signInEvery. Successes cost nothing.
type signInLimiter struct {
	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

const (
	signInBurst   = 10
	signInEvery   = 6 * time.Second
	signInSources = 10000 // addresses remembered; past it the map starts again
)

func newSignInLimiter() *signInLimiter { return &signInLimiter{buckets: map[string]*rate.Limiter{}} }

func (l *signInLimiter) bucket(ip string) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[ip]
	if !ok {
		if len(l.buckets) >= signInSources {
			l.buckets = map[string]*rate.Limiter{}
		}
		b = rate.NewLimiter(rate.Every(signInEvery), signInBurst)
		l.buckets[ip] = b
	}
	return b
}

// allow reports whether ip has a failure left to spend.
func (l *signInLimiter) allow(ip string, now time.Time) bool {
	return l.bucket(ip).TokensAt(now) >= 1
}

// failed spends one of ip's failures.
func (l *signInLimiter) failed(ip string, now time.Time) {
	l.bucket(ip).AllowN(now, 1)
}
