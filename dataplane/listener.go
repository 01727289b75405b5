package dataplane

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// readHeaderTimeout bounds a TLS handshake and the reading of a request's
// headers once its first byte came: slow clients cannot hold a
// connection open for free.
const readHeaderTimeout = 30 * time.Second

// ListenerStatus is what the data plane reports of a listener, for
// DescribeHealthStatus and operators.
type ListenerStatus struct {
	// ID and Bind are the listener's, as last configured.
	ID, Bind string
	// Addr is the address bound while serving: Bind, with the port the
	// system chose when Bind's is 0.
	Addr string
	// Serving is true when the listener is bound and accepts connections.
	Serving bool
	// Err says why the listener does not serve (its address could not be
	// bound, its configuration is refused) or, when Serving, why the last
	// configuration was refused while the previous one still serves.
	Err string
	// Warning is a configuration served that fails some handshakes.
	Warning string
}

// listener is a running listener: a bound socket, its current http.Server
// and its current TLS state and route, each swapped whole.
type listener struct {
	rt       *Runtime
	id       string
	bind     string
	protocol string

	acc    *acceptor     // nil while not bound
	srv    *http.Server  // the server accepting now
	handle *handle       // srv's view of acc
	idle   time.Duration // srv's IdleTimeout
	want   time.Duration // the configured IdleTimeout
	base   *tls.Config   // GetConfigForClient → tls.Load().forClient

	tls    atomic.Pointer[tlsState]
	route  atomic.Pointer[route]
	status atomic.Pointer[ListenerStatus]

	backends map[string]*backend
	probers  map[string]*prober
	// applied is the configuration last applied, served or refused.
	applied *Listener

	// closed is set when the listener is removed: its connections and
	// requests still draining then count no more, lest they bring back
	// the series forget dropped. The cached series below are detached
	// from the registry by then, and harmless.
	closed   atomic.Bool
	mCodes   sync.Map // status code → its requests counter
	mConns   prometheus.Counter
	mOpen    prometheus.Gauge
	mLatency prometheus.Observer

	// Access control (every protocol) and the layer-4 relay (TCP, UDP).
	access   atomic.Pointer[accessList] // nil: everyone admitted
	mRefused prometheus.Counter
	l4       *l4State // nil for HTTP and HTTPS
}

func newListener(rt *Runtime, c *Listener) *listener {
	l := &listener{rt: rt, id: c.ID, bind: c.Bind, protocol: c.Protocol,
		backends: map[string]*backend{}, probers: map[string]*prober{},
		mConns:   rt.metrics.connections.WithLabelValues(c.ID),
		mOpen:    rt.metrics.open.WithLabelValues(c.ID),
		mLatency: rt.metrics.latency.WithLabelValues(c.ID),
		mRefused: rt.metrics.refused.WithLabelValues(c.ID)}
	if isL4(c.Protocol) {
		l.l4 = &l4State{}
	}
	if c.Protocol == ProtocolHTTPS {
		l.base = &tls.Config{GetConfigForClient: func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
			return l.tls.Load().forClient(hello), nil
		}}
	}
	l.status.Store(&ListenerStatus{ID: c.ID, Bind: c.Bind})
	return l
}

// update makes l serve c; on a refused configuration a serving listener
// keeps its previous one. Called with the runtime's lock held.
func (l *listener) update(c *Listener, now time.Time) error {
	if err := c.Validate(); err != nil {
		return l.refuse(err)
	}
	access, _ := compileAccess(c.AccessControl) // Validate compiled it once
	if isL4(c.Protocol) {
		return l.updateL4(c, access)
	}
	var st *tlsState
	if c.Protocol == ProtocolHTTPS {
		var err error
		if st, err = buildTLS(c, l.rt.keyPairs, now); err != nil {
			return l.refuse(fmt.Errorf("listener %s: %w", c.ID, err))
		}
	}
	l.reconcileBackends(c)
	l.access.Store(access)
	l.route.Store(l.newRoute(c, l.members(c)))
	if st != nil {
		l.tls.Store(st)
		l.rt.metrics.certificates(l.id, st)
	}
	l.want = c.idleTimeout()
	warning := ""
	if st != nil {
		warning = st.warning
	}
	if l.acc == nil {
		if err := l.listen(); err != nil {
			l.setStatus(false, err.Error(), warning)
			return err
		}
	} else if l.idle != l.want {
		l.retire()
		l.serve()
	}
	l.setStatus(true, "", warning)
	return nil
}

// requests returns the listener's counter of requests answered with code,
// looked up once per code: a label lookup per request would cost more than
// the rest of the listener's own work on a request.
func (l *listener) requests(code int) prometheus.Counter {
	if c, ok := l.mCodes.Load(code); ok {
		return c.(prometheus.Counter)
	}
	c := l.rt.metrics.requests.WithLabelValues(l.id, strconv.Itoa(code))
	l.mCodes.Store(code, c)
	return c
}

// keepKeyPairs marks the key pairs the listener serves as in use, so that
// the cache keeps them for its next change: its configuration is
// unchanged, and hashing its PEM again on every Apply would only find
// them.
func (l *listener) keepKeyPairs() {
	if st := l.tls.Load(); st != nil {
		l.rt.keyPairs.keep(st.pairs)
	}
}

// refuse reports a configuration that cannot be served.
func (l *listener) refuse(err error) error {
	old := l.status.Load()
	if old.Err != err.Error() {
		l.rt.log.Warn("dataplane: listener configuration refused", "listener", l.id, "err", err, "serving", l.bound())
	}
	l.setStatus(l.bound(), err.Error(), old.Warning)
	return err
}

func (l *listener) setStatus(serving bool, err, warning string) {
	st := &ListenerStatus{ID: l.id, Bind: l.bind, Serving: serving, Err: err, Warning: warning}
	if l.acc != nil {
		st.Addr = l.acc.ln.Addr().String()
	} else if l.l4 != nil && l.l4.srv != nil {
		st.Addr = l.l4.srv.addr().String()
	}
	l.status.Store(st)
	v := 0.0
	if serving {
		v = 1
	}
	l.rt.metrics.up.WithLabelValues(l.id).Set(v)
}

// bound reports whether the listener holds its address.
func (l *listener) bound() bool {
	return l.acc != nil || l.l4 != nil && l.l4.srv != nil
}

// listen binds the listener's address and starts serving.
func (l *listener) listen() error {
	var acc *acceptor
	var err error
	if l.l4 != nil {
		err = l.listenL4()
	} else {
		acc, err = bind(l.bind)
	}
	if err != nil {
		l.rt.metrics.bindErrors.WithLabelValues(l.id).Inc()
		if old := l.status.Load(); old.Err != err.Error() {
			l.rt.log.Error("dataplane: listener cannot bind its address", "listener", l.id, "bind", l.bind, "err", err)
		}
		return fmt.Errorf("listener %s: %w", l.id, err)
	}
	if acc != nil {
		l.acc = acc
		l.serve()
	}
	l.rt.log.Info("dataplane: listener serving", "listener", l.id, "bind", l.bind, "protocol", l.protocol)
	return nil
}

// serve starts a server on the acceptor with the wanted IdleTimeout.
func (l *listener) serve() {
	h := l.acc.handle()
	srv := &http.Server{
		Handler:           l,
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       l.want,
		ConnState:         l.connState,
		ErrorLog:          slog.NewLogLogger(l.rt.log.Handler(), slog.LevelDebug),
	}
	ln := &connListener{handle: h, l: l, tls: l.base}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			l.rt.log.Error("dataplane: listener stopped serving", "listener", l.id, "err", err)
		}
	}()
	l.srv, l.handle, l.idle = srv, h, l.want
}

// retire stops the current server's accepting and drains it in the
// background.
func (l *listener) retire() {
	if l.srv == nil {
		return
	}
	l.handle.Close()
	l.rt.drain(l.srv)
	l.srv, l.handle = nil, nil
}

// close frees the port at once, stops the probers and drains the requests
// in flight in the background.
func (l *listener) close() {
	if l.acc != nil {
		l.acc.close()
		l.retire()
		l.acc = nil
		l.rt.log.Info("dataplane: listener closed", "listener", l.id, "bind", l.bind)
	}
	if l.l4 != nil && l.l4.srv != nil {
		l.l4.srv.close()
		l.l4.srv = nil
		l.rt.log.Info("dataplane: listener closed", "listener", l.id, "bind", l.bind)
	}
	for k, p := range l.probers {
		p.halt()
		delete(l.probers, k)
	}
	l.closed.Store(true)
	l.rt.metrics.forget(l.id)
}

// connState counts connections and their handshakes.
func (l *listener) connState(c net.Conn, state http.ConnState) {
	cc, _ := c.(*countedConn)
	tc, isTLS := c.(*tls.Conn)
	if isTLS {
		cc, _ = tc.NetConn().(*countedConn)
	}
	if cc == nil {
		return
	}
	switch state {
	case http.StateActive, http.StateClosed, http.StateHijacked:
		if isTLS && !cc.reported.Swap(true) && !l.closed.Load() {
			cs := tc.ConnectionState()
			l.rt.metrics.handshake(l.id, cs.HandshakeComplete, cs.Version)
		}
	}
	if (state == http.StateClosed || state == http.StateHijacked) && !cc.gone.Swap(true) {
		l.mOpen.Dec()
	}
}

// drain shuts srv down in the background: its requests in flight get
// the drain timeout, then (or at Shutdown's end) it is closed.
func (r *Runtime) drain(srv *http.Server) {
	r.draining.Add(1)
	go func() {
		defer r.draining.Done()
		ctx, cancel := context.WithTimeout(r.ctx, r.drainTimeout)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			srv.Close()
		}
	}()
}

// newRoute builds a listener's forwarding.
func (l *listener) newRoute(c *Listener, members []member) *route {
	all := make([]*backend, len(members))
	for i, m := range members {
		all[i] = m.b
	}
	return &route{all: all,
		loadBalancerID: c.LoadBalancerID, address: c.Address, scheme: c.Protocol,
		listenerPort: c.ListenerPort, headers: c.Headers, gzip: c.Gzip, sticky: c.StickySession,
		redirectPort: c.RedirectPort, transport: l.rt.transport(c.requestTimeout()),
		pool: l.pool(c.Scheduler, members),
	}
}

// pool returns the current balancer when the scheduler and the members
// are the same, so that a change elsewhere in the listener does not
// restart the round robin; else a new one.
func (l *listener) pool(scheduler string, members []member) *pool {
	p := newPool(scheduler, members)
	if old := l.route.Load(); old != nil && old.pool.scheduler == p.scheduler && slices.Equal(old.pool.members, p.members) {
		return old.pool
	}
	return p
}

// members returns the configured backends with their weights.
func (l *listener) members(c *Listener) []member {
	ms := make([]member, 0, len(c.Backends))
	for _, b := range c.Backends {
		ms = append(ms, member{b: l.backends[backendKey(b)], weight: b.Weight})
	}
	return ms
}

// reconcileBackends keeps the backends that stay (their health and their
// requests in flight), adds the new ones and (re)starts their probers.
func (l *listener) reconcileBackends(c *Listener) {
	next := make(map[string]*backend, len(c.Backends))
	for _, bc := range c.Backends {
		k := backendKey(bc)
		if b, ok := l.backends[k]; ok {
			next[k] = b
		} else if next[k] == nil {
			next[k] = newBackend(bc)
		}
	}
	settings := settingsFor(c)
	for k, p := range l.probers {
		if next[k] == nil || !c.HealthCheck.Enabled || p.s != settings {
			p.halt()
			delete(l.probers, k)
		}
	}
	for k, b := range l.backends {
		if next[k] == nil {
			l.rt.metrics.backends.DeleteLabelValues(l.id, b.serverID, b.address)
		}
	}
	for k, b := range next {
		switch {
		case b.address == "":
			b.health.Store(int32(Abnormal))
		case !c.HealthCheck.Enabled:
			b.health.Store(int32(Unavailable))
			b.checked.Store(false)
		case l.probers[k] == nil:
			if Health(b.health.Load()) == Unavailable {
				b.health.Store(int32(Normal))
			}
			l.probers[k] = startProber(b, settings, l.rt.probeClient, l.healthChanged)
		}
		l.rt.metrics.backend(l.id, b, Health(b.health.Load()))
	}
	l.backends = next
}

func (l *listener) healthChanged(b *backend, h Health) {
	l.rt.log.Info("dataplane: backend health changed", "listener", l.id, "server", b.serverID, "address", b.address, "health", h.String())
	l.rt.metrics.backend(l.id, b, h)
	l.l4HealthChanged(b, h)
}
