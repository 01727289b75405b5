package server

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"sync"
	"time"
)

// firstByteTimeout bounds how long a new connection may stay silent before
// its first byte tells TLS from plain HTTP.
const firstByteTimeout = 10 * time.Second

// tlsRecordHandshake is the first byte of every TLS connection: the record
// type of the ClientHello. No HTTP request line starts with it.
const tlsRecordHandshake = 0x16

// sniffListener serves TLS and plain HTTP on one port (docs/choices.md,
// "Load balancers, listeners and certificates in use (CLB)": Serving): it
// reads each connection's first byte and hands a TLS connection over
// wrapped in tls.Server, any other as it is. net/http's Server completes
// the handshake of a *tls.Conn itself (and sets Request.TLS), so one
// Server serves both. Connections are classified concurrently, so a
// silent client delays nobody's Accept.
type sniffListener struct {
	net.Listener
	config *tls.Config

	conns     chan net.Conn
	errs      chan error
	done      chan struct{}
	closeOnce sync.Once
}

// newSniffListener starts classifying l's connections, TLS ones under config.
func newSniffListener(l net.Listener, config *tls.Config) *sniffListener {
	s := &sniffListener{Listener: l, config: config, conns: make(chan net.Conn), errs: make(chan error), done: make(chan struct{})}
	go s.acceptLoop()
	return s
}

func (s *sniffListener) acceptLoop() {
	for {
		c, err := s.Listener.Accept()
		if err != nil {
			select {
			case s.errs <- err:
			case <-s.done:
				return
			}
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(5 * time.Millisecond) // a transient error (out of descriptors): do not spin
			continue
		}
		go s.classify(c)
	}
}

// classify reads the first byte of c and queues c for Accept.
func (s *sniffListener) classify(c net.Conn) {
	var first [1]byte
	c.SetReadDeadline(time.Now().Add(firstByteTimeout))
	if _, err := io.ReadFull(c, first[:]); err != nil {
		c.Close()
		return
	}
	c.SetReadDeadline(time.Time{})
	var out net.Conn = &peekedConn{Conn: c, first: first[0], pending: true}
	if first[0] == tlsRecordHandshake {
		out = tls.Server(out, s.config)
	}
	select {
	case s.conns <- out:
	case <-s.done:
		out.Close()
	}
}

// Accept returns the next classified connection.
func (s *sniffListener) Accept() (net.Conn, error) {
	select {
	case c := <-s.conns:
		return c, nil
	case err := <-s.errs:
		return nil, err
	case <-s.done:
		return nil, net.ErrClosed
	}
}

// Close stops accepting; connections being classified are closed.
func (s *sniffListener) Close() error {
	err := net.ErrClosed
	s.closeOnce.Do(func() {
		close(s.done)
		err = s.Listener.Close()
	})
	return err
}

// peekedConn gives back the byte read to classify the connection.
type peekedConn struct {
	net.Conn
	first   byte
	pending bool
}

func (c *peekedConn) Read(p []byte) (int, error) {
	if c.pending && len(p) > 0 {
		p[0], c.pending = c.first, false
		return 1, nil
	}
	return c.Conn.Read(p)
}
