package dataplane

import (
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pires/go-proxyproto"
)

// l4Server is a bound TCP or UDP listener: its socket and the connections
// (flows) it relays.
type l4Server interface {
	addr() net.Addr
	// close frees the port at once; TCP connections open then get the
	// runtime's drain timeout, UDP flows end.
	close()
	// closeBackend closes the connections (flows) to b after d (at once
	// when d is 0).
	closeBackend(b *backend, d time.Duration)
}

// l4State is what a TCP or UDP listener keeps across configurations.
type l4State struct {
	srv      l4Server // nil while not bound
	settings atomic.Pointer[l4Settings]
	sessions persistence
}

// l4Settings are a TCP or UDP listener's settings as its connections read
// them, swapped whole on each configuration.
type l4Settings struct {
	scheduler   string
	persistence time.Duration
	established time.Duration
	drain       time.Duration
	flowIdle    time.Duration
	proxyV2     bool
	// local is the listener's own address as clients know it
	// (Address:ListenerPort): the destination in PROXY headers and tch.
	local netip.AddrPort
}

func l4SettingsOf(c *Listener, bound net.Addr) *l4Settings {
	s := &l4Settings{scheduler: c.Scheduler, persistence: c.PersistenceTimeout, established: c.EstablishedTimeout,
		drain: c.ConnectionDrain, flowIdle: c.UDPFlowTimeout, proxyV2: c.ProxyProtocolV2}
	if s.scheduler == "" {
		s.scheduler = SchedulerWRR
	}
	if s.established <= 0 {
		s.established = DefaultEstablishedTimeout
	}
	if s.flowIdle <= 0 {
		s.flowIdle = DefaultUDPFlowTimeout
	}
	if a, err := netip.ParseAddr(c.Address); err == nil && c.ListenerPort > 0 {
		s.local = netip.AddrPortFrom(a, uint16(c.ListenerPort))
	} else if bound != nil {
		s.local = addrPortOf(bound)
	}
	return s
}

func addrPortOf(a net.Addr) netip.AddrPort {
	switch a := a.(type) {
	case *net.TCPAddr:
		return a.AddrPort()
	case *net.UDPAddr:
		return a.AddrPort()
	}
	ap, _ := netip.ParseAddrPort(a.String())
	return ap
}

// isL4 reports whether a protocol is relayed at layer 4.
func isL4(protocol string) bool { return protocol == ProtocolTCP || protocol == ProtocolUDP }

// updateL4 makes a TCP or UDP listener serve c: new backends, scheduler,
// access control and settings reach new connections at once; the
// connections to a backend that is gone close (after the drain timeout
// when there is one). Called with the runtime's lock held.
func (l *listener) updateL4(c *Listener, access *accessList) error {
	old := l.backends
	l.reconcileBackends(c)
	members := l.members(c)
	all := make([]*backend, len(members))
	for i, m := range members {
		all[i] = m.b
	}
	l.route.Store(&route{all: all, pool: l.pool(c.Scheduler, members)})
	l.access.Store(access)
	var bound net.Addr
	if l.l4.srv != nil {
		bound = l.l4.srv.addr()
	}
	set := l4SettingsOf(c, bound)
	l.l4.settings.Store(set)
	if l.l4.srv != nil {
		for k, b := range old {
			if l.backends[k] == nil {
				l.l4.srv.closeBackend(b, set.drain)
			}
		}
	} else if err := l.listen(); err != nil {
		l.setStatus(false, err.Error(), "")
		return err
	}
	l.setStatus(true, "", "")
	return nil
}

// listenL4 binds a TCP or UDP listener's address and starts relaying.
func (l *listener) listenL4() error {
	var srv l4Server
	var err error
	if l.protocol == ProtocolTCP {
		srv, err = listenTCP(l)
	} else {
		srv, err = listenUDP(l)
	}
	if err != nil {
		return err
	}
	l.l4.srv = srv
	if set := l.l4.settings.Load(); set != nil && !set.local.IsValid() {
		cp := *set
		cp.local = addrPortOf(srv.addr())
		l.l4.settings.Store(&cp)
	}
	return nil
}

// l4HealthChanged closes, after the drain timeout, the connections to a
// backend that turned abnormal, when the listener drains.
func (l *listener) l4HealthChanged(b *backend, h Health) {
	if l.l4 == nil || h != Abnormal {
		return
	}
	set := l.l4.settings.Load()
	l.rt.mu.RLock()
	srv := l.l4.srv
	l.rt.mu.RUnlock()
	if set != nil && set.drain > 0 && srv != nil {
		srv.closeBackend(b, set.drain)
	}
}

// choose returns the backend for a new connection or flow from client:
// the one persistence remembers for its address while it is routable,
// else the scheduler's (never skip, a backend that just failed). payload
// is a UDP flow's first datagram (qch).
func (l *listener) choose(rt *route, set *l4Settings, client netip.AddrPort, payload []byte, skip *backend) *backend {
	if set.persistence > 0 && skip == nil {
		if b := l.l4.sessions.get(client.Addr(), time.Now()); b != nil && b.routable() && rt.pool.has(b) {
			return b
		}
	}
	switch set.scheduler {
	case SchedulerSCH:
		return rt.pool.pickHash(addrKey(client.Addr()), skip)
	case SchedulerTCH:
		return rt.pool.pickHash(tupleKey(client, set.local), skip)
	case SchedulerQCH:
		k, ok := quicKey(payload)
		if !ok {
			k = addrKey(client.Addr())
		}
		return rt.pool.pickHash(k, skip)
	}
	b := rt.pool.pick()
	if b != nil && b == skip {
		b = rt.pool.pick()
	}
	if b == skip {
		return nil
	}
	return b
}

// has reports whether b is one of the pool's members.
func (p *pool) has(b *backend) bool {
	for _, m := range p.members {
		if m.b == b {
			return true
		}
	}
	return false
}

// persistence remembers which backend each client address used last and
// until when it keeps it (PersistenceTimeout after its last use).
type persistence struct {
	mu    sync.Mutex
	m     map[netip.Addr]persisted
	swept time.Time
}

type persisted struct {
	b     *backend
	until time.Time
}

func (p *persistence) get(a netip.Addr, now time.Time) *backend {
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.m[a]
	if !ok || now.After(e.until) {
		return nil
	}
	return e.b
}

// put keeps a on b for d from now; old entries are swept once a minute.
func (p *persistence) put(a netip.Addr, b *backend, now time.Time, d time.Duration) {
	if d <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[netip.Addr]persisted{}
	}
	if now.Sub(p.swept) > time.Minute {
		for k, e := range p.m {
			if now.After(e.until) {
				delete(p.m, k)
			}
		}
		p.swept = now
	}
	p.m[a] = persisted{b: b, until: now.Add(d)}
}

// proxyHeader is the PROXY protocol v2 header of a connection or flow from
// client to the listener's local address.
func proxyHeader(client, local netip.AddrPort, udp bool) []byte {
	var src, dst net.Addr
	c, d := netip.AddrPortFrom(client.Addr().Unmap(), client.Port()), netip.AddrPortFrom(local.Addr().Unmap(), local.Port())
	if c.Addr().Is4() != d.Addr().Is4() {
		// One family for both ends: v4-mapped when they differ.
		c = netip.AddrPortFrom(netip.AddrFrom16(c.Addr().As16()), c.Port())
		d = netip.AddrPortFrom(netip.AddrFrom16(d.Addr().As16()), d.Port())
	}
	if udp {
		src, dst = net.UDPAddrFromAddrPort(c), net.UDPAddrFromAddrPort(d)
	} else {
		src, dst = net.TCPAddrFromAddrPort(c), net.TCPAddrFromAddrPort(d)
	}
	h := proxyproto.HeaderProxyFromAddrs(2, src, dst)
	b, err := h.Format()
	if err != nil {
		// Only an address family the header cannot carry; the addresses
		// here are IP, so this does not happen. A LOCAL header then.
		b, _ = (&proxyproto.Header{Version: 2, Command: proxyproto.LOCAL, TransportProtocol: proxyproto.UNSPEC}).Format()
	}
	return b
}

// dialTimeout bounds a connection to a TCP backend.
const dialTimeout = 5 * time.Second
