package dataplane_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"io"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"slbcert/dataplane"
)

func TestTCPRelay(t *testing.T) {
	rt := runtime(t, nil)
	be := newTCPEcho(t, "a")
	l := tcpListener(t, "lb-test_tcp_80", be.backend(100))
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	a := addr(t, rt, l.ID)

	t.Run("ok/large transfer both ways", func(t *testing.T) {
		c, err := net.Dial("tcp", a)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		const size = 64 << 20
		sent := sha256.New()
		go func() {
			buf := make([]byte, 1<<20)
			for n := 0; n < size; n += len(buf) {
				rand.Read(buf)
				sent.Write(buf)
				if _, err := c.Write(buf); err != nil {
					return
				}
			}
			c.(*net.TCPConn).CloseWrite()
		}()
		got := sha256.New()
		n, err := io.Copy(got, c)
		if err != nil || n != size {
			t.Fatalf("echoed %d bytes of %d: %v", n, size, err)
		}
		if !bytes.Equal(got.Sum(nil), sent.Sum(nil)) {
			t.Fatal("the echo differs from what was sent")
		}
	})
	t.Run("ok/half-close passed on both ways", func(t *testing.T) {
		c, err := net.Dial("tcp", a)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "hello")
		c.(*net.TCPConn).CloseWrite()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		// The backend sees our EOF only through the relay's half-close;
		// its own half-close after echoing is our EOF.
		b, err := io.ReadAll(c)
		if err != nil || string(b) != "hello" {
			t.Fatalf("%q, %v", b, err)
		}
	})
	t.Run("ok/a backend going away closes its connections; others take new ones", func(t *testing.T) {
		other := newTCPEcho(t, "b")
		l.Backends = []dataplane.Backend{be.backend(100), other.backend(100)}
		l.Scheduler = dataplane.SchedulerRR
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		var open []net.Conn
		for range 4 {
			c, err := net.Dial("tcp", a)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			io.WriteString(c, "x")
			buf := make([]byte, 1)
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, err := io.ReadFull(c, buf); err != nil {
				t.Fatal(err)
			}
			open = append(open, c)
		}
		be.stop()
		closed := 0
		for _, c := range open {
			c.SetReadDeadline(time.Now().Add(2 * time.Second))
			if _, err := c.Read(make([]byte, 1)); err != nil && !isTimeout(err) {
				closed++
			}
		}
		if closed != 2 {
			t.Fatalf("%d of 4 connections ended with their backend, want 2", closed)
		}
		// The health check is off: the dead backend is still picked, and
		// the relay tries the other.
		for range 4 {
			c, err := net.Dial("tcp", a)
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(c, "y")
			c.(*net.TCPConn).CloseWrite()
			c.SetDeadline(time.Now().Add(5 * time.Second))
			if b, err := io.ReadAll(c); string(b) != "y" {
				t.Fatalf("%q, %v", b, err)
			}
			c.Close()
		}
	})
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// greeters returns n greeting TCP backends.
func greeters(t *testing.T, n int) []*tcpEcho {
	var out []*tcpEcho
	for i := range n {
		e := newTCPEcho(t, string(rune('a'+i)))
		e.greet.Store(true)
		out = append(out, e)
	}
	return out
}

func TestTCPSchedulers(t *testing.T) {
	rt := runtime(t, nil)
	bs := greeters(t, 3)
	l := tcpListener(t, "lb-test_tcp_80", bs[0].backend(100), bs[1].backend(100), bs[2].backend(100))
	count := func(src string, n int) map[string]int {
		a := addr(t, rt, l.ID)
		m := map[string]int{}
		for range n {
			name, err := greeting(src, a)
			if err != nil {
				t.Fatal(err)
			}
			m[name]++
		}
		return m
	}
	srcA, srcB := loopback(t), loopback(t)
	t.Run("ok/rr takes each in turn", func(t *testing.T) {
		l.Scheduler = dataplane.SchedulerRR
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		if m := count(srcA, 9); m["a"] != 3 || m["b"] != 3 || m["c"] != 3 {
			t.Fatalf("%v", m)
		}
	})
	t.Run("ok/wrr follows the weights", func(t *testing.T) {
		l.Scheduler = dataplane.SchedulerWRR
		l.Backends = []dataplane.Backend{bs[0].backend(300), bs[1].backend(100)}
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		if m := count(srcA, 8); m["a"] != 6 || m["b"] != 2 {
			t.Fatalf("%v", m)
		}
	})
	t.Run("ok/sch keeps a client address on one backend, and moves only the removed backend's", func(t *testing.T) {
		l.Scheduler = dataplane.SchedulerSCH
		l.Backends = []dataplane.Backend{bs[0].backend(100), bs[1].backend(100), bs[2].backend(100)}
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		owner := map[string]string{}
		for range 12 {
			src := loopback(t)
			m := count(src, 4)
			if len(m) != 1 {
				t.Fatalf("%s spread over %v", src, m)
			}
			for k := range m {
				owner[src] = k
			}
		}
		l.Backends = []dataplane.Backend{bs[0].backend(100), bs[1].backend(100)}
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		for src, was := range owner {
			m := count(src, 1)
			if was != "c" && m[was] != 1 {
				t.Fatalf("%s moved from %s to %v though %s stayed", src, was, m, was)
			}
		}
	})
	t.Run("ok/tch spreads one address's connections", func(t *testing.T) {
		l.Scheduler = dataplane.SchedulerTCH
		l.Backends = []dataplane.Backend{bs[0].backend(100), bs[1].backend(100), bs[2].backend(100)}
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		if m := count(srcB, 30); len(m) < 2 {
			t.Fatalf("30 connections from one address all went to %v", m)
		}
	})
	t.Run("ok/persistence pins a client address under rr", func(t *testing.T) {
		l.Scheduler = dataplane.SchedulerRR
		l.PersistenceTimeout = time.Minute
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		if m := count(srcA, 6); len(m) != 1 {
			t.Fatalf("persistence: %v", m)
		}
		if m := count(srcB, 6); len(m) != 1 {
			t.Fatalf("persistence: %v", m)
		}
		l.PersistenceTimeout = 50 * time.Millisecond
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		m := map[string]int{}
		for range 6 {
			for k, v := range count(srcA, 1) {
				m[k] += v
			}
			time.Sleep(80 * time.Millisecond)
		}
		if len(m) == 1 {
			t.Fatalf("the persistence did not expire: %v", m)
		}
	})
	t.Run("ok/wlc prefers the backend with fewer connections", func(t *testing.T) {
		l.Scheduler = dataplane.SchedulerWLC
		l.PersistenceTimeout = 0
		l.Backends = []dataplane.Backend{bs[0].backend(100), bs[1].backend(100)}
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		a := addr(t, rt, l.ID)
		// Three connections held open: a b a or b a b; the next goes to
		// the one with fewer.
		held := map[string]int{}
		for range 3 {
			c, err := net.Dial("tcp", a)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			buf := make([]byte, 2)
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			io.ReadFull(c, buf)
			held[string(buf[:1])]++
		}
		fewer := "a"
		if held["a"] > held["b"] {
			fewer = "b"
		}
		if m := count("", 1); m[fewer] != 1 {
			t.Fatalf("held %v, next went to %v", held, m)
		}
	})
}

func TestEstablishedTimeout(t *testing.T) {
	rt := runtime(t, nil)
	be := newTCPEcho(t, "a")
	l := tcpListener(t, "lb-test_tcp_80", be.backend(100))
	l.EstablishedTimeout = 400 * time.Millisecond
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	a := addr(t, rt, l.ID)

	idle, err := net.Dial("tcp", a)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	busy, err := net.Dial("tcp", a)
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	start := time.Now()
	// The busy connection sends a byte every 150 ms for 1.2 s: never idle
	// for 400 ms, so it lives on.
	for range 8 {
		busy.SetDeadline(time.Now().Add(2 * time.Second))
		if _, err := busy.Write([]byte{'.'}); err != nil {
			t.Fatalf("the busy connection was closed after %v: %v", time.Since(start), err)
		}
		if _, err := io.ReadFull(busy, make([]byte, 1)); err != nil {
			t.Fatalf("the busy connection was closed after %v: %v", time.Since(start), err)
		}
		time.Sleep(150 * time.Millisecond)
	}
	idle.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := idle.Read(make([]byte, 1)); err == nil || isTimeout(err) {
		t.Fatalf("the idle connection is still open: %v", err)
	}
}

func TestConnectionDrain(t *testing.T) {
	for _, drain := range []time.Duration{0, 500 * time.Millisecond} {
		name := "ok/without drain a removed backend's connections close at once"
		if drain > 0 {
			name = "ok/with drain they live until its timeout"
		}
		t.Run(name, func(t *testing.T) {
			rt := runtime(t, nil)
			be, other := newTCPEcho(t, "a"), newTCPEcho(t, "b")
			l := tcpListener(t, "lb-test_tcp_80", be.backend(100))
			l.ConnectionDrain = drain
			apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
			c, err := net.Dial("tcp", addr(t, rt, l.ID))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ping := func() error {
				c.SetDeadline(time.Now().Add(time.Second))
				if _, err := c.Write([]byte{'.'}); err != nil {
					return err
				}
				_, err := io.ReadFull(c, make([]byte, 1))
				return err
			}
			if err := ping(); err != nil {
				t.Fatal(err)
			}
			l.Backends = []dataplane.Backend{other.backend(100)}
			apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
			removed := time.Now()
			if drain == 0 {
				time.Sleep(50 * time.Millisecond)
				if err := ping(); err == nil {
					t.Fatal("the connection to the removed backend still works")
				}
				return
			}
			time.Sleep(drain / 2)
			if err := ping(); err != nil {
				t.Fatalf("closed %v after the removal, within the drain: %v", time.Since(removed), err)
			}
			time.Sleep(drain)
			if err := ping(); err == nil {
				t.Fatal("the connection outlived the drain")
			}
		})
	}
}

func TestProxyProtocolV2(t *testing.T) {
	rt := runtime(t, nil)
	be := newTCPEcho(t, "a")
	be.proxy.Store(true)
	ube := newUDPEcho(t, "u")
	ube.proxy.Store(true)
	l := tcpListener(t, "lb-test_tcp_80", be.backend(100))
	l.ProxyProtocolV2 = true
	u := udpListener(t, "lb-test_udp_53", ube.backend(100))
	u.ProxyProtocolV2 = true
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l, u}})
	src := loopback(t)

	c, err := dialFrom("tcp", src, addr(t, rt, l.ID))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "after the header")
	c.(*net.TCPConn).CloseWrite()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if b, _ := io.ReadAll(c); string(b) != "after the header" {
		t.Fatalf("echo %q", b)
	}
	h := <-be.headers
	got, _ := netip.ParseAddrPort(h.SourceAddr.String())
	if got.String() != c.LocalAddr().String() || h.DestinationAddr.String() != "198.51.100.7:80" || h.Version != 2 {
		t.Fatalf("header %+v (client %s)", h, c.LocalAddr())
	}

	uc, err := dialFrom("udp", src, addr(t, rt, u.ID))
	if err != nil {
		t.Fatal(err)
	}
	defer uc.Close()
	for i := range 2 {
		if r := exchange(t, uc, "datagram", 2*time.Second); r != "u datagram" {
			t.Fatalf("reply %d: %q", i, r)
		}
		h := <-ube.headers
		if h.SourceAddr.String() != uc.LocalAddr().String() || h.DestinationAddr.String() != "198.51.100.7:53" {
			t.Fatalf("datagram %d: header %+v (client %s)", i, h, uc.LocalAddr())
		}
	}
}

func TestTCPHealthCheck(t *testing.T) {
	rt := runtime(t, nil)
	bs := greeters(t, 2)
	l := tcpListener(t, "lb-test_tcp_80", bs[0].backend(100), bs[1].backend(100))
	l.HealthCheck = dataplane.HealthCheck{Enabled: true, Interval: 20 * time.Millisecond, Timeout: 20 * time.Millisecond,
		HealthyThreshold: 2, UnhealthyThreshold: 2}
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	health := healthOf(rt, l.ID)
	eventually(t, 2*time.Second, "both normal", func() bool {
		h := health()
		return h["i-a"] == "normal" && h["i-b"] == "normal" && bs[1].conns.Load() > 2
	})
	bs[1].stop()
	eventually(t, 2*time.Second, "the stopped backend turns abnormal", func() bool { return health()["i-b"] == "abnormal" })
	for range 6 {
		if name, err := greeting("", addr(t, rt, l.ID)); err != nil || name != "a" {
			t.Fatalf("%q, %v: an abnormal backend got a connection", name, err)
		}
	}
}

// healthOf returns a function reading a listener's backend health by
// ServerId.
func healthOf(rt *dataplane.Runtime, id string) func() map[string]string {
	return func() map[string]string {
		hs, _ := rt.BackendHealth(id)
		m := map[string]string{}
		for _, h := range hs {
			m[h.ServerID] = h.Health.String()
		}
		return m
	}
}

func TestTCPListenerStopDrainsItsConnections(t *testing.T) {
	rt := runtime(t, nil)
	be := newTCPEcho(t, "a")
	l := tcpListener(t, "lb-test_tcp_80", be.backend(100))
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	a := addr(t, rt, l.ID)
	c, err := net.Dial("tcp", a)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// One byte through first: the connection is relaying, not still in
	// the kernel's backlog (which the closing port resets).
	io.WriteString(c, "s")
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(c, make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	apply(t, rt, dataplane.Config{})
	if _, err := net.DialTimeout("tcp", a, time.Second); err == nil {
		t.Fatal("the stopped listener's port still accepts")
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		io.WriteString(c, "still here")
		c.(*net.TCPConn).CloseWrite()
	}()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	b, _ := io.ReadAll(c)
	wg.Wait()
	if string(b) != "still here" {
		t.Fatalf("the open connection did not finish: %q", b)
	}
}
