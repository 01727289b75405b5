package dataplane

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Options configure a Runtime.
type Options struct {
	// Log receives the data plane's events (binds, bind failures, refused
	// configurations, health changes). Nil discards them.
	Log *slog.Logger
	// Registerer receives the data plane's metrics. Nil keeps them in a
	// registry of their own.
	Registerer prometheus.Registerer
	// DrainTimeout is how long a listener that is removed, or whose
	// server is replaced, lets its requests in flight finish (default 30 s).
	DrainTimeout time.Duration
	// BindRetry is how often a listener that could not bind tries again
	// (default 5 s).
	BindRetry time.Duration
}

// Runtime runs listeners as a Config says: Apply reconciles the running
// listeners with a new Config, Shutdown drains them all. It never calls
// back into the API; Watch feeds it from a Source.
type Runtime struct {
	log          *slog.Logger
	metrics      *listenerMetrics
	keyPairs     *keyPairs
	proxy        *httputil.ReverseProxy
	transports   map[time.Duration]*http.Transport // by ResponseHeaderTimeout
	probeClient  *http.Client
	drainTimeout time.Duration
	bindRetry    time.Duration

	ctx    context.Context // ended by Shutdown
	cancel context.CancelFunc

	watching atomic.Bool
	syncs    chan chan error // Sync → Watch

	mu        sync.RWMutex
	listeners map[string]*listener
	closed    bool
	retrying  *time.Timer
	draining  sync.WaitGroup
}

// New returns a Runtime serving nothing yet.
func New(o Options) *Runtime {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.DrainTimeout <= 0 {
		o.DrainTimeout = 30 * time.Second
	}
	if o.BindRetry <= 0 {
		o.BindRetry = 5 * time.Second
	}
	r := &Runtime{
		log:          o.Log,
		metrics:      newListenerMetrics(o.Registerer),
		keyPairs:     newKeyPairs(),
		probeClient:  newProbeClient(),
		drainTimeout: o.DrainTimeout,
		bindRetry:    o.BindRetry,
		listeners:    map[string]*listener{},
		transports:   map[time.Duration]*http.Transport{},
		syncs:        make(chan chan error),
	}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	r.proxy = newProxy(r.log)
	go r.rotateTickets()
	return r
}

// ErrShutdown is returned by Apply after Shutdown.
var ErrShutdown = errors.New("dataplane: runtime shut down")

// Apply makes the running listeners those of cfg: listeners absent from
// cfg close their ports (their requests in flight drain), new ones bind,
// the others take their new certificates, backends and settings at once,
// for new handshakes and requests; connections already open keep
// working. A listener whose configuration is refused or whose address
// cannot be bound is reported in its status, logged and counted, and
// does not stop the others; Apply returns those problems joined.
func (r *Runtime) Apply(cfg Config) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return ErrShutdown
	}
	want := make(map[string]*Listener, len(cfg.Listeners))
	for i := range cfg.Listeners {
		want[cfg.Listeners[i].ID] = &cfg.Listeners[i]
	}
	// Close first, so that a port moving to another listener is free.
	for id, l := range r.listeners {
		if c, ok := want[id]; !ok || c.Bind != l.bind || c.Protocol != l.protocol {
			l.close()
			delete(r.listeners, id)
		}
	}
	r.keyPairs.begin()
	now := time.Now()
	var errs []error
	ids := make([]string, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		c := want[id]
		l := r.listeners[id]
		if l == nil {
			l = newListener(r, c)
			r.listeners[id] = l
		}
		if l.applied != nil && reflect.DeepEqual(l.applied, c) {
			// Unchanged: its TLS state (session tickets), balancer
			// positions and probers stay as they are. A Config is applied
			// after every change anywhere, so this is the common case.
			l.keepKeyPairs()
			if st := l.status.Load(); st.Err != "" {
				errs = append(errs, errors.New(st.Err))
			}
			continue
		}
		err := l.update(c, now)
		applied := *c
		l.applied = &applied
		if err != nil {
			errs = append(errs, err)
		}
	}
	r.keyPairs.sweep()
	r.sweepTransports()
	r.scheduleRetry()
	return errors.Join(errs...)
}

// transport returns the backend transport whose response-header timeout is
// d: listeners with the same RequestTimeout share their backend
// connections. Called with r.mu held.
func (r *Runtime) transport(d time.Duration) *http.Transport {
	if t, ok := r.transports[d]; ok {
		return t
	}
	t := &http.Transport{
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConnsPerHost:   1024,
		IdleConnTimeout:       60 * time.Second,
		ExpectContinueTimeout: time.Second,
		ResponseHeaderTimeout: d,
		// The client's Accept-Encoding goes to the backend as it is, and
		// the backend's encoding back.
		DisableCompression: true,
	}
	r.transports[d] = t
	return t
}

// sweepTransports drops the transports no listener uses any more; their
// requests in flight finish. Called with r.mu held.
func (r *Runtime) sweepTransports() {
	used := map[*http.Transport]bool{}
	for _, l := range r.listeners {
		if rt := l.route.Load(); rt != nil {
			used[rt.transport] = true
		}
	}
	for d, t := range r.transports {
		if !used[t] {
			t.CloseIdleConnections()
			delete(r.transports, d)
		}
	}
}

// scheduleRetry arms the bind retry when a listener that wants to serve is
// not bound. Called with r.mu held.
func (r *Runtime) scheduleRetry() {
	if r.retrying != nil {
		return
	}
	for _, l := range r.listeners {
		if !l.bound() && l.route.Load() != nil {
			r.retrying = time.AfterFunc(r.bindRetry, r.retryBinds)
			return
		}
	}
}

func (r *Runtime) retryBinds() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.retrying = nil
	if r.closed {
		return
	}
	for _, l := range r.listeners {
		if !l.bound() && l.route.Load() != nil {
			if err := l.listen(); err != nil {
				l.setStatus(false, err.Error(), l.status.Load().Warning)
				continue
			}
			l.setStatus(true, "", l.status.Load().Warning)
		}
	}
	r.scheduleRetry()
}

// rotateTickets rotates each HTTPS listener's session ticket keys.
func (r *Runtime) rotateTickets() {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-r.ctx.Done():
			return
		case now := <-t.C:
			r.mu.RLock()
			for _, l := range r.listeners {
				if st := l.tls.Load(); st != nil {
					st.rotate(now)
				}
			}
			r.mu.RUnlock()
		}
	}
}

// Shutdown closes every listener's port, then waits until their requests
// in flight are done or ctx ends, when it closes what is left. Apply
// fails afterwards.
func (r *Runtime) Shutdown(ctx context.Context) error {
	r.mu.Lock()
	if !r.closed {
		r.closed = true
		if r.retrying != nil {
			r.retrying.Stop()
		}
		for id, l := range r.listeners {
			l.close()
			delete(r.listeners, id)
		}
	}
	r.mu.Unlock()
	done := make(chan struct{})
	go func() { r.draining.Wait(); close(done) }()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	r.cancel() // forces the drains still running to close their connections
	<-done
	r.mu.Lock()
	for d, t := range r.transports {
		t.CloseIdleConnections()
		delete(r.transports, d)
	}
	r.mu.Unlock()
	return err
}

// Status returns the status of the listener id, if the last Config had it.
func (r *Runtime) Status(id string) (ListenerStatus, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	l, ok := r.listeners[id]
	if !ok {
		return ListenerStatus{}, false
	}
	return *l.status.Load(), true
}

// BackendHealth is one backend's health on a listener.
type BackendHealth struct {
	ServerID string
	// Address is the backend's host:port ("" when unresolved).
	Address string
	Health  Health
}

// BackendHealth returns the health of the listener's backends, in the
// configured order (each backend once), or false when the listener is
// not in the last Config.
func (r *Runtime) BackendHealth(id string) ([]BackendHealth, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	l, ok := r.listeners[id]
	if !ok {
		return nil, false
	}
	rt := l.route.Load()
	if rt == nil {
		return nil, true
	}
	seen := map[*backend]bool{}
	var out []BackendHealth
	for _, b := range rt.all {
		if seen[b] {
			continue
		}
		seen[b] = true
		out = append(out, BackendHealth{ServerID: b.serverID, Address: b.address, Health: Health(b.health.Load())})
	}
	return out, true
}
