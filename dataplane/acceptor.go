package dataplane

import (
	"crypto/tls"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// acceptor owns a bound socket and hands its connections to whichever
// http.Server serves the listener now. A server's IdleTimeout is fixed
// for its life, so a change of it starts a new server on the same socket
// while the old one drains: the port never closes.
type acceptor struct {
	ln     net.Listener
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func bind(addr string) (*acceptor, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	a := &acceptor{ln: ln, conns: make(chan net.Conn), closed: make(chan struct{})}
	go a.loop()
	return a, nil
}

func (a *acceptor) loop() {
	var delay time.Duration
	for {
		c, err := a.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors and the like: wait, as
			// http.Server does, rather than spin.
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			select {
			case <-time.After(delay):
				continue
			case <-a.closed:
				return
			}
		}
		delay = 0
		select {
		case a.conns <- c:
		case <-a.closed:
			c.Close()
			return
		}
	}
}

// close closes the socket: the port is free when it returns.
func (a *acceptor) close() {
	a.once.Do(func() {
		close(a.closed)
		a.ln.Close()
	})
}

// handle is one server's view of the acceptor; closing it stops that
// server's accepting only.
type handle struct {
	a    *acceptor
	done chan struct{}
	once sync.Once
}

func (a *acceptor) handle() *handle { return &handle{a: a, done: make(chan struct{})} }

func (h *handle) Accept() (net.Conn, error) {
	select {
	case <-h.done:
		return nil, net.ErrClosed
	case <-h.a.closed:
		return nil, net.ErrClosed
	default:
	}
	select {
	case c := <-h.a.conns:
		return c, nil
	case <-h.done:
		return nil, net.ErrClosed
	case <-h.a.closed:
		return nil, net.ErrClosed
	}
}

func (h *handle) Close() error {
	h.once.Do(func() { close(h.done) })
	return nil
}

func (h *handle) Addr() net.Addr { return h.a.ln.Addr() }

// countedConn is a client connection as the metrics follow it.
type countedConn struct {
	net.Conn
	// reported is set once its handshake (or, without TLS, its start)
	// has been counted.
	reported atomic.Bool
	// gone is set once it was counted out of the open connections.
	gone atomic.Bool
}

// connListener wraps a handle's connections for the metrics and, for
// HTTPS, in TLS with the listener's base configuration, which picks the
// current TLS state at each handshake.
type connListener struct {
	*handle
	l   *listener
	tls *tls.Config // nil for HTTP
}

func (cl *connListener) Accept() (net.Conn, error) {
	c, err := cl.handle.Accept()
	for err == nil && !cl.l.access.Load().admits(remoteIP(c)) {
		// Refused by access control before any byte is read.
		cl.l.refusedConn(c)
		c, err = cl.handle.Accept()
	}
	if err != nil {
		return nil, err
	}
	cl.l.mConns.Inc()
	cl.l.mOpen.Inc()
	cc := &countedConn{Conn: c}
	if cl.tls == nil {
		return cc, nil
	}
	return tls.Server(cc, cl.tls), nil
}
