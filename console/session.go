package console

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"sync"
	"time"

	"slbcert/rpc"
)

// Session lifetimes (docs/choices.md, "Console"): a session ends after
// IdleTimeout without a request, and MaxLifetime after sign-in whatever
// happens; a temporary credential's session ends with its token, when the
// gateway refuses the token as expired.
const (
	IdleTimeout = 30 * time.Minute
	MaxLifetime = 8 * time.Hour
	// MaxSessions bounds the sessions one process keeps; signing in past
	// it ends the session idle the longest.
	MaxSessions = 10000
)

const (
	sessionCookie = "slbcert_console"
	// signInCookie carries the sign-in form's token, before any session:
	// a cross-site page cannot read it, so it cannot post the form.
	signInCookie = "slbcert_console_signin"
	cookiePath   = "/console/"
)

// session is one signed-in browser. It holds the credential the console
// invokes calls with — an AccessKey id, a security token for temporary
// credentials, and a digest of the secret — never the secret itself.
type session struct {
	id        string
	csrf      string
	cred      rpc.Credential
	principal string // as the request log names it
	accountID string
	created   time.Time

	mu       sync.Mutex
	lastSeen time.Time
	flash    *flash
	region   string // the last page's
}

// flash is a message for the next page the session sees: the outcome of
// an action, shown once after its redirect.
type flash struct {
	OK      string
	Err     *apiError
	Results []stepResult
	// Offer is a follow-up action the page offers (the delete after a
	// replacement).
	Offer string
}

func (s *session) setFlash(f *flash) {
	s.mu.Lock()
	s.flash = f
	s.mu.Unlock()
}

func (s *session) takeFlash() *flash {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.flash
	s.flash = nil
	return f
}

// sessions are kept in memory, per process: with replicas behind a load
// balancer, a browser sent to another replica signs in again.
type sessions struct {
	now func() time.Time

	mu   sync.Mutex
	byID map[string]*session
}

func newSessions(now func() time.Time) *sessions {
	return &sessions{now: now, byID: map[string]*session{}}
}

// create starts a session for a credential that signed in.
func (ss *sessions) create(cred rpc.Credential, principal, accountID string) *session {
	now := ss.now()
	s := &session{id: randomToken(), csrf: randomToken(), cred: cred, principal: principal, accountID: accountID, created: now, lastSeen: now}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.sweepLocked(now)
	if len(ss.byID) >= MaxSessions {
		var oldest *session
		for _, o := range ss.byID {
			if oldest == nil || o.seen().Before(oldest.seen()) {
				oldest = o
			}
		}
		delete(ss.byID, oldest.id)
	}
	ss.byID[s.id] = s
	return s
}

func (s *session) seen() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastSeen
}

// get returns the live session id names, marking it seen; nil when there
// is none or it expired.
func (ss *sessions) get(id string) *session {
	now := ss.now()
	ss.mu.Lock()
	s, ok := ss.byID[id]
	ss.mu.Unlock()
	if !ok {
		return nil
	}
	s.mu.Lock()
	expired := now.Sub(s.lastSeen) > IdleTimeout || now.Sub(s.created) > MaxLifetime
	if !expired {
		s.lastSeen = now
	}
	s.mu.Unlock()
	if expired {
		ss.end(id)
		return nil
	}
	return s
}

func (ss *sessions) end(id string) {
	ss.mu.Lock()
	delete(ss.byID, id)
	ss.mu.Unlock()
}

func (ss *sessions) sweepLocked(now time.Time) {
	for id, s := range ss.byID {
		seen := s.seen()
		if now.Sub(seen) > IdleTimeout || now.Sub(s.created) > MaxLifetime {
			delete(ss.byID, id)
		}
	}
}

// randomToken is 256 random bits, URL-safe.
func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// setCookie writes a console cookie: HttpOnly, SameSite=Strict, Secure
// over HTTPS, scoped to /console/, expiring after maxAge (negative: now).
func setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge time.Duration) {
	c := &http.Cookie{Name: name, Value: value, Path: cookiePath, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil}
	if maxAge < 0 {
		c.MaxAge = -1
	} else {
		c.MaxAge = int(maxAge / time.Second)
		c.Expires = time.Now().Add(maxAge)
	}
	http.SetCookie(w, c)
}

func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// sameOrigin reports whether a state-changing request came from the
// console's own pages: an Origin header, when sent, must be this host's
// (Referer, when there is no Origin); a request naming neither relies on
// the form token alone (docs/choices.md, "Console").
func sameOrigin(r *http.Request) bool {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	want := scheme + "://" + r.Host
	if o := r.Header.Get("Origin"); o != "" {
		return o == want
	}
	if ref := r.Header.Get("Referer"); ref != "" {
		u, err := url.Parse(ref)
		return err == nil && u.Scheme+"://"+u.Host == want
	}
	return true
}
