package dataplane_test

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"slbcert/dataplane"
)

func TestUDPRelay(t *testing.T) {
	reg := prometheus.NewRegistry()
	rt := runtime(t, reg)
	a, b := newUDPEcho(t, "a"), newUDPEcho(t, "b")
	l := udpListener(t, "lb-test_udp_53", a.backend(100), b.backend(100))
	l.Scheduler = dataplane.SchedulerRR
	l.UDPFlowTimeout = 300 * time.Millisecond
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	la := addr(t, rt, l.ID)

	t.Run("ok/a client's datagrams stay on its flow's backend, and the replies come back", func(t *testing.T) {
		c1, err := net.Dial("udp", la)
		if err != nil {
			t.Fatal(err)
		}
		defer c1.Close()
		c2, err := net.Dial("udp", la)
		if err != nil {
			t.Fatal(err)
		}
		defer c2.Close()
		r1, r2 := exchange(t, c1, "one", 2*time.Second), exchange(t, c2, "two", 2*time.Second)
		n1, _, _ := strings.Cut(r1, " ")
		n2, _, _ := strings.Cut(r2, " ")
		if r1 != n1+" one" || r2 != n2+" two" || n1 == n2 {
			t.Fatalf("replies %q, %q: want both backends, one each", r1, r2)
		}
		for i := range 20 {
			if r := exchange(t, c1, "again", 2*time.Second); r != n1+" again" {
				t.Fatalf("datagram %d: %q, want %s's", i, r, n1)
			}
		}
		big := strings.Repeat("x", 8000)
		if r := exchange(t, c2, big, 2*time.Second); r != n2+" "+big {
			t.Fatalf("an 8000-byte datagram came back as %d bytes", len(r))
		}
		if v := testutil.ToFloat64(metric(t, reg, "slbcert_listener_connections_open", l.ID)); v != 2 {
			t.Fatalf("%v flows open, want 2", v)
		}
	})
	t.Run("ok/an idle flow is forgotten", func(t *testing.T) {
		eventually(t, 2*time.Second, "the flows expire", func() bool {
			return testutil.ToFloat64(metric(t, reg, "slbcert_listener_connections_open", l.ID)) == 0
		})
	})
	t.Run("ok/qch keeps a QUIC connection id on one backend", func(t *testing.T) {
		l.Scheduler = dataplane.SchedulerQCH
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		// A long-header packet: flags 0xc0, version, DCID length 8, DCID.
		initial := string([]byte{0xc0, 0, 0, 0, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0})
		owner := ""
		for range 8 {
			c, err := net.Dial("udp", la) // a new source port each time
			if err != nil {
				t.Fatal(err)
			}
			r := exchange(t, c, initial, 2*time.Second)
			c.Close()
			name, _, _ := strings.Cut(r, " ")
			if owner == "" {
				owner = name
			}
			if name != owner || name == "" {
				t.Fatalf("the same connection id went to %q and %q", owner, name)
			}
		}
	})
	t.Run("ok/a removed backend's flows end", func(t *testing.T) {
		l.Scheduler = dataplane.SchedulerRR
		l.UDPFlowTimeout = time.Minute
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		c, err := net.Dial("udp", la)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		first, _, _ := strings.Cut(exchange(t, c, "x", 2*time.Second), " ")
		keep := b
		if first == "b" {
			keep = a
		}
		l.Backends = []dataplane.Backend{keep.backend(100)}
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		if r := exchange(t, c, "y", 2*time.Second); r != keep.name+" y" {
			t.Fatalf("after %s was removed: %q", first, r)
		}
	})
}

func TestUDPHealthCheck(t *testing.T) {
	rt := runtime(t, nil)
	a, b := newUDPEcho(t, "a"), newUDPEcho(t, "b")
	// A port nothing listens on: ICMP port unreachable.
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := pc.LocalAddr().String()
	pc.Close()
	hc := dataplane.HealthCheck{Enabled: true, Interval: 20 * time.Millisecond, Timeout: 100 * time.Millisecond,
		HealthyThreshold: 2, UnhealthyThreshold: 2}
	t.Run("ok/without a request: port unreachable is abnormal, silence normal", func(t *testing.T) {
		l := udpListener(t, "lb-test_udp_53", a.backend(100), dataplane.Backend{ServerID: "i-dead", Address: dead, Weight: 100})
		l.HealthCheck = hc
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		health := healthOf(rt, l.ID)
		eventually(t, 3*time.Second, "the dead port turns abnormal", func() bool { return health()["i-dead"] == "abnormal" })
		time.Sleep(300 * time.Millisecond)
		if h := health(); h["i-a"] != "normal" {
			t.Fatalf("%v", h)
		}
	})
	t.Run("ok/with request and expect: only the expected answer is normal", func(t *testing.T) {
		l := udpListener(t, "lb-test_udp_54", a.backend(100), b.backend(100))
		l.HealthCheck = hc
		l.HealthCheck.UDPRequest, l.HealthCheck.UDPExpect = "ping", "pong"
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		health := healthOf(rt, l.ID)
		time.Sleep(300 * time.Millisecond)
		if h := health(); h["i-a"] != "normal" || h["i-b"] != "normal" {
			t.Fatalf("%v", h)
		}
		l.HealthCheck.UDPExpect = "PONG"
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		eventually(t, 3*time.Second, "a wrong answer turns them abnormal", func() bool {
			h := health()
			return h["i-a"] == "abnormal" && h["i-b"] == "abnormal"
		})
		c, err := net.Dial("udp", addr(t, rt, l.ID))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if r := exchange(t, c, "x", 300*time.Millisecond); r != "" {
			t.Fatalf("relayed to an abnormal backend: %q", r)
		}
	})
}

func TestTCPAndUDPShareAPort(t *testing.T) {
	rt := runtime(t, nil)
	te, ue := newTCPEcho(t, "t"), newUDPEcho(t, "u")
	te.greet.Store(true)
	ip := loopback(t)
	// A free port for both.
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatal(err)
	}
	bind := ln.Addr().String()
	ln.Close()
	tl := dataplane.Listener{ID: "lb_tcp_9", Bind: bind, Protocol: dataplane.ProtocolTCP, Backends: []dataplane.Backend{te.backend(100)}}
	ul := dataplane.Listener{ID: "lb_udp_9", Bind: bind, Protocol: dataplane.ProtocolUDP, Backends: []dataplane.Backend{ue.backend(100)}}
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{tl, ul}})
	if name, err := greeting("", bind); name != "t" {
		t.Fatalf("tcp: %q %v", name, err)
	}
	c, err := net.Dial("udp", bind)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if r := exchange(t, c, "d", 2*time.Second); r != "u d" {
		t.Fatalf("udp: %q", r)
	}
}
