package dataplane

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Forwarding header names (the XForwardedFor_* parameters of
// https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-createloadbalancerhttpslistener;
// docs/choices.md, "Data plane (listeners that serve)"). The client source
// port's header is not documented by name; this is the spelling of
// Alibaba's parameter (XForwardedFor_ClientSrcPort).
const (
	HeaderSLBIP         = "SLB-IP"
	HeaderSLBID         = "SLB-ID"
	HeaderProto         = "X-Forwarded-Proto"
	HeaderPort          = "X-Forwarded-Port"
	HeaderClientSrcPort = "X-Forwarded-Client-Srcport"
)

// RedirectStatus is the status of an HTTP listener's redirect to HTTPS:
// permanent, as browsers and caches should remember it.
const RedirectStatus = http.StatusMovedPermanently

// route is how a listener forwards, swapped whole on each configuration.
type route struct {
	loadBalancerID, address string
	scheme                  string
	listenerPort            int
	headers                 ForwardedHeaders
	gzip                    bool
	sticky                  StickySession
	redirectPort            int
	pool                    *pool
	// transport carries the requests to the backends; its
	// ResponseHeaderTimeout is the listener's RequestTimeout.
	transport *http.Transport
	// all are the configured backends in order, weight 0 included.
	all []*backend
}

// exchange is one request on its way through the proxy, with its response
// writer: one allocation per request for both.
type exchange struct {
	rw        responseWriter
	l         *listener
	rt        *route
	b         *backend
	start     time.Time
	setCookie string // insert sticky sessions: the SERVERID to set
}

type exchangeKey struct{}

// ServeHTTP forwards a request on the listener, or redirects it.
func (l *listener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt := l.route.Load()
	x := &exchange{rw: responseWriter{ResponseWriter: w, gzip: rt.gzip && r.Method != http.MethodHead && acceptsGzip(r)}, l: l, rt: rt}
	rw := &x.rw
	defer func() {
		rw.finish()
		if !l.closed.Load() {
			l.requests(rw.statusCode()).Inc()
		}
	}()
	if rt.redirectPort != 0 {
		redirect(rw, r, rt)
		return
	}
	x.start = time.Now()
	x.b = rt.choose(r, x)
	if x.b == nil {
		http.Error(rw, "503 Service Unavailable: no healthy backend server", http.StatusServiceUnavailable)
		return
	}
	x.b.active.Add(1)
	defer x.b.active.Add(-1)
	l.rt.proxy.ServeHTTP(rw, r.WithContext(context.WithValue(r.Context(), exchangeKey{}, x)))
}

// choose returns the backend for r: the one its sticky cookie names when
// that one is routable, else the scheduler's.
func (rt *route) choose(r *http.Request, x *exchange) *backend {
	switch rt.sticky.Type {
	case StickyInsert:
		if c, err := r.Cookie(StickyCookie); err == nil {
			if b := rt.pool.byToken(c.Value); b != nil {
				return b
			}
		}
		b := rt.pool.pick()
		if b != nil {
			x.setCookie = b.token
		}
		return b
	case StickyServer:
		if c, err := r.Cookie(rt.sticky.Cookie); err == nil {
			if token, _, ok := strings.Cut(c.Value, stickySeparator); ok {
				if b := rt.pool.byToken(token); b != nil {
					return b
				}
			}
		}
	}
	return rt.pool.pick()
}

// newProxy returns the reverse proxy every listener forwards through.
func newProxy(log *slog.Logger) *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite:        rewrite,
		Transport:      routeTransport{},
		BufferPool:     bufferPool{},
		ModifyResponse: modifyResponse,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			x := r.Context().Value(exchangeKey{}).(*exchange)
			var ne net.Error
			switch {
			case errors.As(err, &ne) && ne.Timeout():
				http.Error(w, "504 Gateway Timeout: the backend server did not answer in time", http.StatusGatewayTimeout)
			default:
				log.Debug("dataplane: backend error", "listener", x.l.id, "backend", x.b.address, "err", err)
				http.Error(w, "502 Bad Gateway: the backend server failed", http.StatusBadGateway)
			}
		},
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
}

// rewrite addresses the request to its backend, keeping the client's Host,
// and adds the forwarding headers. ReverseProxy has already removed the
// incoming X-Forwarded-* and Forwarded headers from r.Out.
func rewrite(pr *httputil.ProxyRequest) {
	x := pr.In.Context().Value(exchangeKey{}).(*exchange)
	rt := x.rt
	pr.Out.URL.Scheme = "http"
	pr.Out.URL.Host = x.b.address
	clientIP, clientPort, err := net.SplitHostPort(pr.In.RemoteAddr)
	if err != nil {
		clientIP = pr.In.RemoteAddr
	}
	h := pr.Out.Header
	if prior := pr.In.Header["X-Forwarded-For"]; len(prior) > 0 {
		h.Set("X-Forwarded-For", strings.Join(prior, ", ")+", "+clientIP)
	} else {
		h.Set("X-Forwarded-For", clientIP)
	}
	if rt.headers.Proto {
		h.Set(HeaderProto, rt.scheme)
	}
	if rt.headers.SLBIP {
		h.Set(HeaderSLBIP, rt.address)
	}
	if rt.headers.SLBID {
		h.Set(HeaderSLBID, rt.loadBalancerID)
	}
	if rt.headers.SLBPort {
		h.Set(HeaderPort, strconv.Itoa(rt.listenerPort))
	}
	if rt.headers.ClientSrcPort {
		h.Set(HeaderClientSrcPort, clientPort)
	}
	if rt.sticky.Type == StickyServer {
		unmarkServerCookie(h, rt.sticky.Cookie, x.b.token)
	}
}

// modifyResponse runs once the backend's headers are in.
func modifyResponse(resp *http.Response) error {
	x := resp.Request.Context().Value(exchangeKey{}).(*exchange)
	x.l.mLatency.Observe(time.Since(x.start).Seconds())
	switch x.rt.sticky.Type {
	case StickyInsert:
		if x.setCookie != "" {
			resp.Header.Add("Set-Cookie", insertCookie(x.setCookie, x.rt.sticky.CookieTimeout))
		}
	case StickyServer:
		markServerCookie(resp.Header, x.rt.sticky.Cookie, x.b.token)
	}
	return nil
}

// routeTransport sends a request through its listener's transport.
type routeTransport struct{}

func (routeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return r.Context().Value(exchangeKey{}).(*exchange).rt.transport.RoundTrip(r)
}

// redirect answers an HTTP listener's request with the same URL on https
// and the listener's redirect port.
func redirect(w http.ResponseWriter, r *http.Request, rt *route) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if host == "" {
		host = rt.address
	}
	authority := net.JoinHostPort(host, strconv.Itoa(rt.redirectPort))
	if rt.redirectPort == 443 {
		authority = host
		if strings.Contains(host, ":") {
			authority = "[" + host + "]"
		}
	}
	w.Header().Set("Location", "https://"+authority+r.URL.RequestURI())
	w.WriteHeader(RedirectStatus)
}

// bufferPool lends the proxy its copy buffers.
type bufferPool struct{}

var buffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

func (bufferPool) Get() []byte  { return *buffers.Get().(*[]byte) }
func (bufferPool) Put(b []byte) { buffers.Put(&b) }
