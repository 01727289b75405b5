package dataplane

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// tcpServer relays a TCP listener's connections to its backends: bytes
// both ways, zero-copy (io.Copy between two TCP connections splices on
// Linux), each half-close passed on.
type tcpServer struct {
	l  *listener
	ln *net.TCPListener

	mu     sync.Mutex
	relays map[*tcpRelay]struct{}
	wg     sync.WaitGroup // relays running
	closed bool
}

// noKeepAlive turns TCP keep-alives off on both sides of a relay: idle
// connections are EstablishedTimeout's business, and the probes' set-up
// is four system calls per connection that the connection rate pays.
var (
	tcpListenConfig = net.ListenConfig{KeepAlive: -1}
	tcpDialer       = net.Dialer{Timeout: dialTimeout, KeepAlive: -1}
)

func listenTCP(l *listener) (*tcpServer, error) {
	ln, err := tcpListenConfig.Listen(context.Background(), "tcp", l.bind)
	if err != nil {
		return nil, err
	}
	s := &tcpServer{l: l, ln: ln.(*net.TCPListener), relays: map[*tcpRelay]struct{}{}}
	go s.serve()
	return s, nil
}

func (s *tcpServer) addr() net.Addr { return s.ln.Addr() }

func (s *tcpServer) serve() {
	var delay time.Duration
	for {
		c, err := s.ln.AcceptTCP()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			time.Sleep(delay)
			continue
		}
		delay = 0
		client := c.RemoteAddr().(*net.TCPAddr).AddrPort()
		if !s.l.access.Load().admits(client.Addr()) {
			s.l.refusedConn(c)
			continue
		}
		// Tracked from its accept: a listener closing now drains it
		// like the connections already relaying.
		r := &tcpRelay{client: c}
		if !s.track(r) {
			c.Close()
			continue
		}
		s.l.mConns.Inc()
		s.l.mOpen.Inc()
		go s.relay(r, client)
	}
}

// relay connects a client to a backend and copies until both directions
// end, the connection idles past EstablishedTimeout, or it is closed.
func (s *tcpServer) relay(r *tcpRelay, client netip.AddrPort) {
	defer s.untrack(r)
	defer s.l.mOpen.Dec()
	c := r.client
	rt, set := s.l.route.Load(), s.l.l4.settings.Load()
	var up *net.TCPConn
	var b *backend
	for attempt := 0; attempt < 2 && up == nil; attempt++ {
		if b = s.l.choose(rt, set, client, nil, b); b == nil {
			break
		}
		conn, err := tcpDialer.Dial("tcp", b.address)
		if err != nil {
			s.l.rt.log.Debug("dataplane: backend refused a connection", "listener", s.l.id, "backend", b.address, "err", err)
			continue
		}
		up = conn.(*net.TCPConn)
	}
	if up == nil {
		c.SetLinger(0)
		c.Close()
		return
	}
	if set.proxyV2 {
		if _, err := up.Write(proxyHeader(client, set.local, false)); err != nil {
			up.Close()
			c.Close()
			return
		}
	}
	if !r.attach(up, b) {
		return // closed meanwhile (drained out, its listener gone)
	}
	b.active.Add(1)
	defer b.active.Add(-1)
	now := time.Now()
	s.l.l4.sessions.put(client.Addr(), b, now, set.persistence)
	r.last.Store(now.UnixNano())
	r.run(set.established, func() { s.l.l4.sessions.put(client.Addr(), b, time.Now(), set.persistence) })
	s.l.l4.sessions.put(client.Addr(), b, time.Now(), set.persistence)
}

func (s *tcpServer) track(r *tcpRelay) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.relays[r] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *tcpServer) untrack(r *tcpRelay) {
	s.mu.Lock()
	delete(s.relays, r)
	s.mu.Unlock()
	s.wg.Done()
}

// close frees the port, then lets the connections open finish for the
// runtime's drain timeout (or until its Shutdown ends) before closing
// them.
func (s *tcpServer) close() {
	s.ln.Close()
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	rt := s.l.rt
	rt.draining.Add(1)
	go func() {
		defer rt.draining.Done()
		done := make(chan struct{})
		go func() { s.wg.Wait(); close(done) }()
		t := time.NewTimer(rt.drainTimeout)
		defer t.Stop()
		select {
		case <-done:
			return
		case <-t.C:
		case <-rt.ctx.Done():
		}
		s.mu.Lock()
		for r := range s.relays {
			r.close()
		}
		s.mu.Unlock()
		<-done
	}()
}

func (s *tcpServer) closeBackend(b *backend, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for r := range s.relays {
		if r.backend() == b {
			r.closeAfter(d)
		}
	}
}

// tcpRelay is one client connection and its backend connection.
type tcpRelay struct {
	client *net.TCPConn
	last   atomic.Int64 // UnixNano of the last byte either way

	mu     sync.Mutex
	up     *net.TCPConn // nil until the backend answers
	b      *backend
	closed bool
}

// attach gives the relay its backend connection; false (and up closed)
// when the relay was closed meanwhile.
func (r *tcpRelay) attach(up *net.TCPConn, b *backend) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		up.Close()
		return false
	}
	r.up, r.b = up, b
	return true
}

// backend is the backend the relay is attached to (nil before).
func (r *tcpRelay) backend() *backend {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.b
}

func (r *tcpRelay) close() {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.closed = true
	up := r.up
	r.mu.Unlock()
	r.client.Close()
	if up != nil {
		up.Close()
	}
}

func (r *tcpRelay) closeAfter(d time.Duration) {
	if d <= 0 {
		r.close()
		return
	}
	time.AfterFunc(d, r.close)
}

// run copies both ways until both directions have ended (each end's EOF is
// passed on as a half-close), either side fails, or nothing moves for idle;
// touch is called when something moved since the last check.
func (r *tcpRelay) run(idle time.Duration, touch func()) {
	done := make(chan struct{})
	go func() {
		r.pipe(r.up, r.client, idle, touch)
		close(done)
	}()
	r.pipe(r.client, r.up, idle, touch)
	<-done
	r.close()
}

// relayBuffers lend pipe the buffer of its first reads.
var relayBuffers = sync.Pool{New: func() any { b := make([]byte, 16<<10); return &b }}

// pipe copies src to dst. It reads and writes through a buffer while what
// comes fits in one (a connection exchanging small messages costs no
// more system calls than that), and switches to splice(2) once a read
// fills the buffer (bulk data then never crosses user space). The read
// deadline is renewed every quarter of idle: a read that returns on it
// with nothing moved in either direction for idle ends the relay.
func (r *tcpRelay) pipe(dst, src *net.TCPConn, idle time.Duration, touch func()) {
	slice := max(idle/4, 10*time.Millisecond)
	bp := relayBuffers.Get().(*[]byte)
	defer func() {
		if bp != nil {
			relayBuffers.Put(bp)
		}
	}()
	for {
		src.SetReadDeadline(time.Now().Add(slice))
		var n int64
		var err error
		if bp != nil {
			var k int
			k, err = src.Read(*bp)
			if k > 0 {
				if _, werr := dst.Write((*bp)[:k]); werr != nil {
					r.close()
					return
				}
				if k == len(*bp) {
					relayBuffers.Put(bp) // bulk: splice from now on
					bp = nil
				}
			}
			if errors.Is(err, io.EOF) {
				err = nil
			}
			n = int64(k)
			if err == nil && k > 0 {
				r.last.Store(time.Now().UnixNano())
				touch()
				continue
			}
		} else {
			n, err = dst.ReadFrom(src) // splice(2); nil at EOF
		}
		now := time.Now()
		if n > 0 {
			r.last.Store(now.UnixNano())
			touch()
		}
		switch {
		case err == nil: // EOF: pass the half-close on
			dst.CloseWrite()
			return
		case errors.Is(err, os.ErrDeadlineExceeded):
			if now.Sub(time.Unix(0, r.last.Load())) >= idle {
				r.close()
				return
			}
		default:
			// A reset, a write to a closed peer, a close: both go.
			r.close()
			return
		}
	}
}

// refusedConn closes a connection its listener's access control refuses,
// before reading anything from it: a reset, so that the client knows at
// once.
func (l *listener) refusedConn(c net.Conn) {
	if !l.closed.Load() {
		l.mRefused.Inc() // before the reset, which the client may see at once
	}
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}
