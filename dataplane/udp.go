package dataplane

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// UDP relay limits (docs/choices.md, "Data plane": TCP and UDP listeners).
const (
	// udpMaxDatagram is the largest datagram relayed from clients.
	udpMaxDatagram = 64 << 10
	// udpMaxReply is the largest reply relayed from a backend; larger
	// ones are dropped (a flow's buffer is held while it waits, so it is
	// kept smaller than a client datagram's).
	udpMaxReply = 16 << 10
	// proxyRoom is the space kept before a datagram for its PROXY v2
	// header (52 bytes for IPv6).
	proxyRoom = 64
)

// udpServer relays a UDP listener's datagrams: each client address is a
// flow with a connected socket to the backend chosen for it, whose replies
// go back to the client from the listener's address. A flow idle in both
// directions for the flow timeout is forgotten.
type udpServer struct {
	l    *listener
	conn *net.UDPConn

	mu     sync.Mutex
	flows  map[netip.AddrPort]*udpFlow
	closed bool
	done   chan struct{}
}

func listenUDP(l *listener) (*udpServer, error) {
	pc, err := net.ListenPacket("udp", l.bind)
	if err != nil {
		return nil, err
	}
	s := &udpServer{l: l, conn: pc.(*net.UDPConn), flows: map[netip.AddrPort]*udpFlow{}, done: make(chan struct{})}
	go s.serve()
	return s, nil
}

func (s *udpServer) addr() net.Addr { return s.conn.LocalAddr() }

func (s *udpServer) serve() {
	defer close(s.done)
	buf := make([]byte, proxyRoom+udpMaxDatagram)
	for {
		n, client, err := s.conn.ReadFromUDPAddrPort(buf[proxyRoom:])
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue // an ICMP error of an earlier send, and the like
		}
		client = netip.AddrPortFrom(client.Addr().Unmap(), client.Port())
		if !s.l.access.Load().admits(client.Addr()) {
			if !s.l.closed.Load() {
				s.l.mRefused.Inc()
			}
			continue
		}
		payload := buf[proxyRoom : proxyRoom+n]
		f := s.flow(client, payload)
		if f == nil {
			continue
		}
		out := payload
		if f.header != nil {
			out = buf[proxyRoom-len(f.header) : proxyRoom+n]
			copy(out, f.header)
		}
		f.touch()
		// A refusal reported for an earlier datagram (ICMP port
		// unreachable) is the backend's business: the flow stays.
		f.up.Write(out)
	}
}

// flow returns client's flow, opening one to a backend chosen now; nil
// when no backend is routable.
func (s *udpServer) flow(client netip.AddrPort, payload []byte) *udpFlow {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.flows[client]; f != nil {
		return f
	}
	if s.closed {
		return nil
	}
	rt, set := s.l.route.Load(), s.l.l4.settings.Load()
	var b *backend
	var up *net.UDPConn
	for attempt := 0; attempt < 2 && up == nil; attempt++ {
		if b = s.l.choose(rt, set, client, payload, b); b == nil {
			return nil
		}
		ap, err := netip.ParseAddrPort(b.address)
		if err != nil {
			continue
		}
		if up, err = net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(ap)); err != nil {
			up = nil
		}
	}
	if up == nil {
		return nil
	}
	f := &udpFlow{s: s, client: client, b: b, up: up}
	if set.proxyV2 {
		f.header = proxyHeader(client, set.local, true)
	}
	f.last.Store(time.Now().UnixNano())
	s.flows[client] = f
	s.l.mConns.Inc()
	s.l.mOpen.Inc()
	b.active.Add(1)
	s.l.l4.sessions.put(client.Addr(), b, time.Now(), set.persistence)
	go f.replies(set)
	return f
}

// close frees the port and ends every flow.
func (s *udpServer) close() {
	s.conn.Close()
	s.mu.Lock()
	s.closed = true
	flows := make([]*udpFlow, 0, len(s.flows))
	for _, f := range s.flows {
		flows = append(flows, f)
	}
	s.mu.Unlock()
	for _, f := range flows {
		f.close()
	}
}

func (s *udpServer) closeBackend(b *backend, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.flows {
		if f.b == b {
			if d <= 0 {
				go f.close()
			} else {
				time.AfterFunc(d, f.close)
			}
		}
	}
}

// udpFlow is one client address and its socket to the backend.
type udpFlow struct {
	s      *udpServer
	client netip.AddrPort
	b      *backend
	up     *net.UDPConn
	header []byte       // PROXY v2 header of each datagram, or nil
	last   atomic.Int64 // UnixNano of the last datagram either way
	once   sync.Once
}

func (f *udpFlow) touch() { f.last.Store(time.Now().UnixNano()) }

// replies relays the backend's datagrams to the client until the flow
// idles past its timeout or is closed.
func (f *udpFlow) replies(set *l4Settings) {
	buf := make([]byte, udpMaxReply+1)
	slice := max(set.flowIdle/4, 10*time.Millisecond)
	for {
		f.up.SetReadDeadline(time.Now().Add(slice))
		n, err := f.up.Read(buf)
		if err != nil {
			switch {
			case errors.Is(err, os.ErrDeadlineExceeded):
				last := time.Unix(0, f.last.Load())
				if time.Since(last) >= set.flowIdle {
					f.close()
					return
				}
				f.s.l.l4.sessions.put(f.client.Addr(), f.b, last, set.persistence)
				continue
			case errors.Is(err, syscall.ECONNREFUSED):
				continue // the backend's port is closed now; it may open again
			}
			f.close()
			return
		}
		if n > udpMaxReply {
			continue
		}
		f.touch()
		f.s.conn.WriteToUDPAddrPort(buf[:n], f.client)
	}
}

func (f *udpFlow) close() {
	f.once.Do(func() {
		f.up.Close()
		s := f.s
		s.mu.Lock()
		if s.flows[f.client] == f {
			delete(s.flows, f.client)
		}
		s.mu.Unlock()
		f.b.active.Add(-1)
		s.l.mOpen.Dec()
		if set := s.l.l4.settings.Load(); set != nil {
			s.l.l4.sessions.put(f.client.Addr(), f.b, time.Unix(0, f.last.Load()), set.persistence)
		}
	})
}
