// Package rpc is the gateway: it speaks the Alibaba Cloud RPC wire for every
// product served on the endpoint — parameters from the query string and a
// form body, V1 and V3 signatures, nonces, throttling, dispatch on
// (Version, Action) to the product that serves it, and JSON or XML answers
// in the gateway's envelopes. It knows no product: each brings its action
// tables and the HTTP statuses of its codes (Product); errors become
// statuses in one place (status.go).
package rpc

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"slbcert"
)

// Server is the HTTP face of the products: one endpoint for all of them.
type Server struct {
	// Products are served on (Version, Action); no two may share a version.
	Products []*Product
	Keys     Keys
	// Sessions opens security tokens; nil refuses every token as malformed.
	Sessions Sessions
	Nonces   Nonces
	// Ready reports whether the server can serve (the database answers).
	Ready func(context.Context) error
	Log   *slog.Logger
	// Now is the rules' clock: security-token expiry, throttling. Request
	// timestamps are judged against the wall clock, which clients sign with.
	Now func() time.Time
	// Limiter throttles each AccessKey; nil means no limit.
	Limiter *Limiter
	// Observer is told of every answered API request; nil means nobody.
	Observer Observer
	// Metrics serves /metrics; nil means no such route.
	Metrics http.Handler
	// Mounts are other handlers served on the API's address, by
	// http.ServeMux pattern ("/console/"): they share its listener, TLS
	// and timeouts, and add nothing to the API's routes.
	Mounts map[string]http.Handler
	// Calls is told of every answered call whose caller authenticated
	// (the console's recent calls); nil means nobody.
	Calls CallRecorder

	draining atomic.Bool
	router   *router
}

// Observer is told of every answered API request (the metrics).
type Observer interface {
	// ObserveRequest: known tells an implemented Action from any other text.
	ObserveRequest(action, code string, known bool, d time.Duration)
}

// Drain makes /readyz answer 503 so that load balancers stop sending new
// requests, while requests keep being served until the server shuts down.
func (s *Server) Drain() { s.draining.Store(true) }

// Handler returns every route the server answers. It panics if two
// products claim one version: a wiring mistake, found at start.
func (s *Server) Handler() http.Handler {
	r, err := newRouter(s.Products)
	if err != nil {
		panic(err)
	}
	s.router = r
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	if s.Metrics != nil {
		mux.Handle("GET /metrics", s.Metrics)
	}
	for pattern, h := range s.Mounts {
		mux.Handle(pattern, h)
	}
	mux.HandleFunc("/{$}", s.api)
	mux.HandleFunc("/", s.unknownPath)
	return mux
}

// unknownPath answers a request for any other path — a ROA-style API (path
// /pop/…, /api/v1/…) or a typo — with the gateway's JSON error envelope, 404
// InvalidAction.NotFound: clients parse every error body as JSON, and a
// plain-text 404 crashes some of them (Terraform's provider).
func (s *Server) unknownPath(w http.ResponseWriter, r *http.Request) {
	requestID := strings.ToUpper(uuid.NewString())
	w.Header().Set("x-acs-request-id", requestID)
	path := r.URL.Path
	if len(path) > 64 {
		path = path[:64] + "…"
	}
	e := slbcert.Errorf(slbcert.EInvalidActionNotFound, "No API is served at path %q: this endpoint serves RPC-style APIs at /.", path)
	renderError(w, false, requestID, r.Host, nil, e)
	s.Log.Info("request", "request_id", requestID, "action", "", "path", path, "code", e.Code, "status", http.StatusNotFound)
}

// readyz is healthz, and 503 once the server drains for shutdown.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		http.Error(w, "draining\n", http.StatusServiceUnavailable)
		return
	}
	s.healthz(w, r)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if s.Ready != nil {
		if err := s.Ready(ctx); err != nil {
			s.Log.Warn("not ready", "err", err)
			http.Error(w, "not ready\n", http.StatusServiceUnavailable)
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// api serves "/": every API request.
func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	requestID := strings.ToUpper(uuid.NewString())
	w.Header().Set("x-acs-request-id", requestID)

	var (
		action    string
		version   string
		principal *slbcert.Principal
		asXML     bool
		rt        *route
		known     bool
	)
	result, err := func() (result any, err error) {
		defer func() {
			if v := recover(); v != nil {
				err = fmt.Errorf("panic: %v", v)
			}
		}()
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			return nil, slbcert.Errorf(slbcert.EUnsupportedHTTPMethod, "The HTTP method %s is not supported; use GET or POST.", r.Method)
		}
		params, body, mediaType, err := readParams(w, r)
		if err != nil {
			return nil, err
		}
		asXML = strings.EqualFold(params.Get("Format"), "XML")
		action = firstNonEmpty(params.Get("Action"), r.Header.Get("x-acs-action"))
		version = firstNonEmpty(params.Get("Version"), r.Header.Get("x-acs-version"))
		if action == "" {
			return nil, slbcert.MissingParameter("Action")
		}
		if version == "" {
			return nil, slbcert.MissingParameter("Version")
		}
		if rt = s.router.version(version); rt == nil {
			return nil, slbcert.Errorf(slbcert.EInvalidVersion, "Specified parameter Version %q is not valid; this endpoint serves versions %s.", version, strings.Join(s.router.served(), ", "))
		}
		handle, ok := rt.actions[action]
		known = ok
		key, err := s.authenticate(r, params, body)
		if err != nil {
			return nil, err
		}
		principal = requestPrincipal(key.Principal, r)
		if wait, err := s.throttle(key.ID); err != nil {
			throttled(w, s.Limiter.PerSecond(), wait)
			return nil, err
		}
		if !known {
			return nil, unknownAction(action)
		}
		return handle(r.Context(), &Call{Principal: principal, Params: params, Action: action, Version: version, ContentType: mediaType})
	}()

	if !known && len(action) > 64 {
		action = action[:64] + "…" // client text: keep log lines bounded
	}
	code, status := "", http.StatusOK
	if err != nil {
		e := publicError(err)
		var product *Product
		if rt != nil {
			product = rt.product
		}
		code, status = e.Code, errorStatus(e, product)
		if code == slbcert.EInternal {
			s.Log.Error("request failed", "request_id", requestID, "action", action, "err", err)
		}
		// Before a product is known, HostId is the host the request named.
		renderError(w, asXML, requestID, r.Host, product, e)
	} else {
		setRequestID(result, requestID)
		renderOK(w, asXML, action, result)
	}
	s.answered(answered{start: start, requestID: requestID, action: action, version: version, code: code,
		status: status, principal: principal, known: known})
}

// answered is what the gateway logs, counts and records of one answered
// call, from the API or from within the process (Invoke).
type answered struct {
	start                      time.Time
	requestID, action, version string
	code                       string
	status                     int
	principal                  *slbcert.Principal // nil before authentication
	known                      bool
	via                        string // "" for the API; Invocation.Via
}

// answered logs one line for the call, counts it and records it.
func (s *Server) answered(a answered) {
	elapsed := time.Since(a.start)
	attrs := []any{"request_id", a.requestID, "action", a.action, "code", a.code, "status", a.status, "duration_ms", float64(elapsed.Microseconds()) / 1000}
	var name string
	if a.principal != nil {
		name = principalName(a.principal)
		attrs = append(attrs, "account", a.principal.Account.ID, "access_key_id", a.principal.AccessKeyID, "principal", name)
	}
	if a.via != "" {
		attrs = append(attrs, "via", a.via)
	}
	s.Log.Info("request", attrs...)
	if s.Observer != nil {
		s.Observer.ObserveRequest(a.action, a.code, a.known, elapsed)
	}
	if s.Calls != nil && a.principal != nil {
		s.Calls.RecordCall(CallRecord{Time: a.start, RequestID: a.requestID, Version: a.version, Action: a.action,
			Code: a.code, Status: a.status, AccountID: a.principal.Account.ID, Principal: name,
			AccessKeyID: a.principal.AccessKeyID, Via: a.via, Duration: elapsed})
	}
}

// throttle takes a token of keyID's bucket; when there is none it returns
// Throttling.User and how long until there is one.
func (s *Server) throttle(keyID string) (time.Duration, error) {
	if s.Limiter == nil {
		return 0, nil
	}
	if ok, wait := s.Limiter.Allow(keyID, s.Now()); !ok {
		return wait, slbcert.Errorf(slbcert.EThrottlingUser, "Request was denied due to user flow control: at most %d requests per second per AccessKey.", s.Limiter.PerSecond())
	}
	return 0, nil
}

func unknownAction(action string) error {
	return slbcert.Errorf(slbcert.EInvalidActionNotFound, "Specified api %q is not found, please check your url and method.", action)
}

// throttled sets the headers darabonba reads to wait before retrying
// (x-ratelimit-user: …,TimeLeft:<ms>), and Retry-After for everyone else.
func throttled(w http.ResponseWriter, perSecond int, wait time.Duration) {
	ms := wait.Milliseconds() + 1
	w.Header().Set("x-ratelimit-user", "Limit:"+strconv.Itoa(perSecond)+",TimeLeft:"+strconv.FormatInt(ms, 10))
	w.Header().Set("Retry-After", strconv.FormatInt((ms+999)/1000, 10))
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// requestPrincipal copies the key's principal with what policy conditions
// need to know of this request: where it came from and over what.
func requestPrincipal(p *slbcert.Principal, r *http.Request) *slbcert.Principal {
	cp := *p
	cp.SourceIP = r.RemoteAddr
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		cp.SourceIP = host
	}
	cp.SecureTransport = r.TLS != nil
	return &cp
}

// PrincipalName names p as the request log does: "root", "user/<name>" or
// "assumed-role/<role>/<session>".
func PrincipalName(p *slbcert.Principal) string { return principalName(p) }

// principalName names who signed in the request log: "root", "user/<name>"
// or "assumed-role/<role>/<session>" — never a secret or a token.
func principalName(p *slbcert.Principal) string {
	switch p.Type() {
	case slbcert.PrincipalAssumedRoleUser:
		return "assumed-role/" + p.RoleName + "/" + p.SessionName
	case slbcert.PrincipalSubUser:
		return "user/" + p.UserName
	}
	return "root"
}
