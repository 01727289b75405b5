// Package console is slbcert's web console, served at /console/ on the
// API's address (docs/choices.md, "Console"): certificates with their
// expiry and what uses them, load balancers, listeners and their health, a
// live TLS probe of the data plane, and the account's recent calls.
//
// The console holds no rules of its own. A user signs in with an AccessKey
// (or temporary STS credentials), checked as the gateway checks a request's
// key; every read and action is then an API call invoked through the
// gateway's own dispatch (rpc.Server.Invoke) as that principal — the same
// product handlers, RAM policies, log line and metrics as a signed request,
// tagged via=console — and the console shows what the API answered,
// refusals included. It reads the answers as an SDK does, by their JSON
// names, and imports no product.
//
// Pages are rendered on the server (html/template) from files embedded in
// the binary; every form is a plain HTML form, and the one script only
// enhances. Nothing is fetched from elsewhere.
package console

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"slbcert"
	"slbcert/rpc"
)

//go:embed assets
var assets embed.FS

// Gateway is the API as the console uses it; *rpc.Server implements it.
type Gateway interface {
	// SignIn checks an AccessKey pair (and security token) as the gateway
	// checks a request's key, and returns the credential to call with.
	SignIn(accessKeyID, secret, securityToken string) (rpc.Credential, *slbcert.Principal, error)
	// Verify checks a signed-in credential again, on every page.
	Verify(rpc.Credential) (*slbcert.Principal, error)
	// Invoke runs one call as the credential's principal.
	Invoke(context.Context, rpc.Invocation) rpc.Result
}

// DataPlane tells how this process's data plane serves a listener: what
// the overview's "not serving" and the TLS probe need. server/ implements
// it over the data plane's runtime.
type DataPlane interface {
	// Listener reports the listener (protocol as the API names it:
	// "https", "http", …) or false when the data plane does not run it
	// (stopped, or its load balancer inactive).
	Listener(loadBalancerID, protocol string, port int) (ListenerState, bool)
}

// ListenerState is one listener as the data plane runs it.
type ListenerState struct {
	// Addr is where the listener is bound (host:port): what the probe
	// dials.
	Addr string
	// Serving is true while the listener accepts connections.
	Serving bool
	// Err says why it does not serve (its port did not bind, its
	// configuration was refused); Warning names a served configuration
	// that fails some handshakes.
	Err, Warning string
}

// Console serves the web console. Build it with New.
type Console struct {
	gateway   Gateway
	dataPlane DataPlane
	calls     *CallLog
	log       *slog.Logger
	now       func() time.Time
	sessions  *sessions
	signIns   *signInLimiter
	pages     map[string]*template.Template
	static    http.Handler
	assetHash string
}

// Options are what New needs beside the gateway.
type Options struct {
	// DataPlane, nil when the process runs none: no serving status, no
	// probe.
	DataPlane DataPlane
	// Calls is the log the gateway records calls in (rpc.Server.Calls);
	// nil shows no recent calls.
	Calls *CallLog
	// Log receives the console's own events (sign-in, sign-out, probes,
	// refused cross-site requests); its calls are in the gateway's log.
	Log *slog.Logger
	// Now is the business clock (days left, expiry badges, sessions);
	// nil is time.Now.
	Now func() time.Time
}

// New returns the console over gw.
func New(gw Gateway, o Options) *Console {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	c := &Console{gateway: gw, dataPlane: o.DataPlane, calls: o.Calls, log: o.Log, now: o.Now,
		sessions: newSessions(o.Now), signIns: newSignInLimiter()}
	static, err := fs.Sub(assets, "assets/static")
	if err != nil {
		panic(err)
	}
	c.static = http.StripPrefix("/console/static/", http.FileServerFS(static))
	c.assetHash = hashAssets(static)
	c.pages = parsePages(c.assetHash)
	return c
}

// hashAssets names the static files' version, so that their URLs change
// with them and may be cached.
func hashAssets(static fs.FS) string {
	h := sha256.New()
	fs.WalkDir(static, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(static, path)
			h.Write([]byte(path))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// Handler returns every route of the console, under /console/.
func (c *Console) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /console/static/", c.serveStatic)
	mux.HandleFunc("GET /console/signin", c.signInPage)
	mux.HandleFunc("POST /console/signin", c.signIn)
	mux.HandleFunc("POST /console/signout", c.signedIn(c.signOut))
	mux.HandleFunc("GET /console/{$}", c.signedIn(c.overview))
	mux.HandleFunc("GET /console/certificates", c.signedIn(c.certificates))
	mux.HandleFunc("POST /console/certificates", c.signedIn(c.upload))
	mux.HandleFunc("GET /console/certificates/{kind}/{id}", c.signedIn(c.certificate))
	mux.HandleFunc("POST /console/certificates/{kind}/{id}/rename", c.signedIn(c.rename))
	mux.HandleFunc("POST /console/certificates/{kind}/{id}/delete", c.signedIn(c.deleteCertificate))
	mux.HandleFunc("POST /console/certificates/{kind}/{id}/replace", c.signedIn(c.replace))
	mux.HandleFunc("GET /console/timeline", c.signedIn(c.timeline))
	mux.HandleFunc("GET /console/loadbalancers", c.signedIn(c.loadBalancers))
	mux.HandleFunc("GET /console/loadbalancers/{id}", c.signedIn(c.loadBalancer))
	mux.HandleFunc("GET /console/loadbalancers/{id}/listeners/{protocol}/{port}", c.signedIn(c.listener))
	mux.HandleFunc("POST /console/loadbalancers/{id}/listeners/{protocol}/{port}/{op}", c.signedIn(c.listenerStatus))
	mux.HandleFunc("GET /console/calls", c.signedIn(c.recentCalls))
	mux.HandleFunc("/console/", c.notFound)
	return securityHeaders(mux)
}

// securityHeaders: nothing but the console's own files, no framing, no
// caching of pages that show an account's resources.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		if !strings.HasPrefix(r.URL.Path, "/console/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

func (c *Console) serveStatic(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("v") == c.assetHash {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	c.static.ServeHTTP(w, r)
}

// handler is a page or action of a signed-in session.
type handler func(w http.ResponseWriter, r *http.Request, p *page)

// signedIn checks the session — the cookie names a live session whose
// credential the gateway still accepts — and, for every POST, the form's
// token and the request's origin; then runs h. Without a session it
// redirects to the sign-in page (a POST is refused).
func (c *Console) signedIn(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && !sameOrigin(r) {
			c.log.Warn("console: cross-site request refused", "path", r.URL.Path, "origin", r.Header.Get("Origin"), "referer", r.Header.Get("Referer"))
			c.refuse(w, r, http.StatusForbidden, "Cross-site request refused: this form was not sent from the console.")
			return
		}
		var s *session
		ck, err := r.Cookie(sessionCookie)
		if err == nil {
			s = c.sessions.get(ck.Value)
		}
		if s == nil {
			if r.Method == http.MethodPost {
				c.refuse(w, r, http.StatusForbidden, "Your session has ended: sign in again.")
				return
			}
			code := ""
			if ck != nil {
				code = codeSessionEnded
			}
			c.toSignIn(w, r, code)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, rpc.MaxBodyBytes)
			if err := parseForm(r); err != nil {
				c.refuse(w, r, http.StatusRequestEntityTooLarge, "The form is too large.")
				return
			}
			if !sameToken(r.PostFormValue("csrf"), s.csrf) {
				c.log.Warn("console: form token refused", "path", r.URL.Path, "principal", s.principal)
				c.refuse(w, r, http.StatusForbidden, "Cross-site request refused: the form's token does not match your session.")
				return
			}
		}
		principal, err := c.gateway.Verify(s.cred)
		if err != nil {
			c.sessions.end(s.id)
			setCookie(w, r, sessionCookie, "", -1)
			e := toAPIError("", "", err)
			c.log.Info("console: session ended", "principal", s.principal, "code", e.Code)
			c.toSignIn(w, r, e.Code)
			return
		}
		p := &page{c: c, w: w, r: r, s: s, principal: principal}
		p.Now, p.SignedIn = c.now(), true
		p.Session = sessionView{Principal: s.principal, AccountID: s.accountID, AccessKeyID: s.cred.AccessKeyID, CSRF: s.csrf, Temporary: s.cred.SecurityToken != ""}
		h(w, r, p)
	}
}

// parseForm reads a urlencoded or multipart form (the upload's files).
func parseForm(r *http.Request) error {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return r.ParseMultipartForm(rpc.MaxBodyBytes)
	}
	return r.ParseForm()
}

func (c *Console) toSignIn(w http.ResponseWriter, r *http.Request, code string) {
	q := url.Values{}
	if code != "" {
		q.Set("code", code)
	}
	if r.Method == http.MethodGet && r.URL.Path != "/console/" {
		q.Set("next", r.URL.RequestURI())
	}
	target := "/console/signin"
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// refuse answers a request the console will not serve with a page saying
// why.
func (c *Console) refuse(w http.ResponseWriter, r *http.Request, status int, message string) {
	c.render(w, r, status, "refused", &basePage{Title: "Refused", Message: message})
}

func (c *Console) notFound(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusNotFound, "refused", &basePage{Title: "Not found", Message: "There is no such page in the console."})
}
