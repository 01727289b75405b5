package dataplane_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pires/go-proxyproto"

	"slbcert/dataplane"
)

// tcpEcho is a TCP backend that echoes what it reads, prefixed by its
// name line when greet is set, and half-closes when its client does.
type tcpEcho struct {
	name  string
	ln    net.Listener
	conns atomic.Int64 // accepted, health probes included
	// proxy, when set, reads a PROXY header first and records it.
	proxy   atomic.Bool
	headers chan *proxyproto.Header
	greet   atomic.Bool

	mu   sync.Mutex
	open map[net.Conn]bool
}

func newTCPEcho(t testing.TB, name string) *tcpEcho {
	t.Helper()
	ln, err := net.Listen("tcp", loopback(t)+":0")
	if err != nil {
		t.Fatal(err)
	}
	e := &tcpEcho{name: name, ln: ln, open: map[net.Conn]bool{}, headers: make(chan *proxyproto.Header, 16)}
	go e.serve()
	t.Cleanup(e.stop)
	return e
}

func (e *tcpEcho) serve() {
	for {
		c, err := e.ln.Accept()
		if err != nil {
			return
		}
		e.conns.Add(1)
		e.mu.Lock()
		e.open[c] = true
		e.mu.Unlock()
		go func() {
			defer func() {
				e.mu.Lock()
				delete(e.open, c)
				e.mu.Unlock()
				c.Close()
			}()
			var r io.Reader = c
			if e.proxy.Load() {
				br := bufio.NewReader(c)
				h, err := proxyproto.Read(br)
				if err != nil {
					return
				}
				e.headers <- h
				r = br
			}
			if e.greet.Load() {
				io.WriteString(c, e.name+"\n")
			}
			io.Copy(c, r)
			c.(*net.TCPConn).CloseWrite()
			// Wait for the peer's close.
			io.Copy(io.Discard, c)
		}()
	}
}

// stop closes the listener and every connection: the backend goes away.
func (e *tcpEcho) stop() {
	e.ln.Close()
	e.mu.Lock()
	defer e.mu.Unlock()
	for c := range e.open {
		c.Close()
	}
}

func (e *tcpEcho) addr() string { return e.ln.Addr().String() }

func (e *tcpEcho) backend(weight int) dataplane.Backend {
	return dataplane.Backend{ServerID: "i-" + e.name, Address: e.addr(), Weight: weight}
}

// tcpListener is a TCP listener on a fresh loopback address with a
// system-chosen port.
func tcpListener(t testing.TB, id string, backends ...dataplane.Backend) dataplane.Listener {
	return dataplane.Listener{ID: id, LoadBalancerID: "lb-test", Address: "198.51.100.7", Bind: loopback(t) + ":0",
		Protocol: dataplane.ProtocolTCP, ListenerPort: 80, Backends: backends}
}

// dialFrom connects to addr from the local address src ("" for any).
func dialFrom(network, src, addr string) (net.Conn, error) {
	d := &net.Dialer{Timeout: 5 * time.Second}
	if src != "" {
		ip := net.ParseIP(src)
		if network == "udp" {
			d.LocalAddr = &net.UDPAddr{IP: ip}
		} else {
			d.LocalAddr = &net.TCPAddr{IP: ip}
		}
	}
	return d.Dial(network, addr)
}

// greeting connects to a greeting listener and returns the backend's name,
// or an error when the connection is refused or closed first.
func greeting(src, addr string) (string, error) {
	c, err := dialFrom("tcp", src, addr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

// udpEcho is a UDP backend that answers each datagram with its name, a
// space and the datagram; health probes ("ping") get "pong".
type udpEcho struct {
	name string
	conn *net.UDPConn
	got  atomic.Int64 // datagrams other than probes
	// proxy, when set, parses a PROXY header off every datagram.
	proxy   atomic.Bool
	headers chan *proxyproto.Header
}

func newUDPEcho(t testing.TB, name string) *udpEcho {
	t.Helper()
	pc, err := net.ListenPacket("udp", loopback(t)+":0")
	if err != nil {
		t.Fatal(err)
	}
	e := &udpEcho{name: name, conn: pc.(*net.UDPConn), headers: make(chan *proxyproto.Header, 64)}
	go func() {
		buf := make([]byte, 65536)
		for {
			n, from, err := e.conn.ReadFromUDPAddrPort(buf)
			if err != nil {
				if errors.Is(err, net.ErrClosed) {
					return
				}
				continue
			}
			d := buf[:n]
			if e.proxy.Load() {
				h, rest, err := proxyproto.ParseUDPDatagram(d)
				if err != nil {
					continue
				}
				select {
				case e.headers <- h:
				default:
				}
				d = rest
			}
			if string(d) == "ping" {
				e.conn.WriteToUDPAddrPort([]byte("pong"), from)
				continue
			}
			e.got.Add(1)
			e.conn.WriteToUDPAddrPort(append([]byte(e.name+" "), d...), from)
		}
	}()
	t.Cleanup(func() { e.conn.Close() })
	return e
}

func (e *udpEcho) addr() string { return e.conn.LocalAddr().String() }

func (e *udpEcho) backend(weight int) dataplane.Backend {
	return dataplane.Backend{ServerID: "i-" + e.name, Address: e.addr(), Weight: weight}
}

func udpListener(t testing.TB, id string, backends ...dataplane.Backend) dataplane.Listener {
	return dataplane.Listener{ID: id, LoadBalancerID: "lb-test", Address: "198.51.100.7", Bind: loopback(t) + ":0",
		Protocol: dataplane.ProtocolUDP, ListenerPort: 53, Backends: backends}
}

// exchange sends payload on c and returns the reply ("" after timeout).
func exchange(t testing.TB, c net.Conn, payload string, timeout time.Duration) string {
	t.Helper()
	if _, err := c.Write([]byte(payload)); err != nil {
		return ""
	}
	c.SetReadDeadline(time.Now().Add(timeout))
	buf := make([]byte, 65536)
	n, err := c.Read(buf)
	if err != nil {
		return ""
	}
	return string(buf[:n])
}
