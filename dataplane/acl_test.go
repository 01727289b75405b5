package dataplane_test

import (
	"crypto/tls"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"slbcert/dataplane"
)

// TestAccessControlOnRealConnections admits and refuses connections from
// two loopback source addresses on a TCP, a UDP and an HTTPS listener, and
// changes the lists under them.
func TestAccessControlOnRealConnections(t *testing.T) {
	reg := prometheus.NewRegistry()
	rt := runtime(t, reg)
	te, ue, he := greeters(t, 1)[0], newUDPEcho(t, "u"), newBackend(t, "h")
	cert := issue(t, "rsa2048", "www.example.com")
	allowed, other := loopback(t), loopback(t)
	only := func(typ string, ip string) []dataplane.AccessControl {
		return []dataplane.AccessControl{{Type: typ, Entries: []netip.Prefix{netip.PrefixFrom(netip.MustParseAddr(ip), 32)}}}
	}
	tl := tcpListener(t, "lb_tcp_80", te.backend(100))
	ul := udpListener(t, "lb_udp_53", ue.backend(100))
	hl := httpsListener(t, "lb_https_443", cert, he.backend(100))
	set := func(acs []dataplane.AccessControl) {
		tl.AccessControl, ul.AccessControl, hl.AccessControl = acs, acs, acs
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{tl, ul, hl}})
	}
	set(only(dataplane.AccessWhite, allowed))
	ta, ua, ha := addr(t, rt, tl.ID), addr(t, rt, ul.ID), addr(t, rt, hl.ID)

	admitted := func(src string) (tcp, udp, https bool) {
		name, err := greeting(src, ta)
		tcp = err == nil && name == "a"
		if c, err := dialFrom("udp", src, ua); err == nil {
			udp = exchange(t, c, "hi", 300*time.Millisecond) == "u hi"
			c.Close()
		}
		if c, err := dialFrom("tcp", src, ha); err == nil {
			tc := tls.Client(c, &tls.Config{ServerName: "www.example.com", RootCAs: roots()})
			tc.SetDeadline(time.Now().Add(2 * time.Second))
			https = tc.Handshake() == nil
			tc.Close()
		}
		return
	}
	expect := func(src string, want bool) {
		t.Helper()
		if tcp, udp, https := admitted(src); tcp != want || udp != want || https != want {
			t.Fatalf("from %s: tcp %v udp %v https %v, want %v", src, tcp, udp, https, want)
		}
	}
	t.Run("ok/white list admits its entries only", func(t *testing.T) {
		expect(allowed, true)
		expect(other, false)
	})
	t.Run("ok/a refused connection is closed before anything is read", func(t *testing.T) {
		// The reset may come before the dial returns.
		if c, err := dialFrom("tcp", other, ta); err == nil {
			defer c.Close()
			c.SetDeadline(time.Now().Add(2 * time.Second))
			if n, err := c.Read(make([]byte, 1)); n != 0 || err == nil || isTimeout(err) {
				t.Fatalf("read %d, %v: want a closed connection", n, err)
			}
		}
		eventually(t, 2*time.Second, "refusals counted on the TCP and UDP listeners", func() bool {
			return testutil.ToFloat64(metric(t, reg, "slbcert_listener_refused_total", tl.ID)) >= 2 &&
				testutil.ToFloat64(metric(t, reg, "slbcert_listener_refused_total", ul.ID)) >= 1
		})
	})
	t.Run("ok/black list refuses its entries only, changed live", func(t *testing.T) {
		// A UDP flow open from the allowed address must obey the change
		// on its next datagram.
		c, err := dialFrom("udp", allowed, ua)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if r := exchange(t, c, "before", time.Second); r != "u before" {
			t.Fatalf("%q", r)
		}
		set(only(dataplane.AccessBlack, allowed))
		if addr(t, rt, tl.ID) != ta || addr(t, rt, ul.ID) != ua || addr(t, rt, hl.ID) != ha {
			t.Fatal("a listener moved: the change restarted it")
		}
		expect(allowed, false)
		expect(other, true)
		if r := exchange(t, c, "after", 300*time.Millisecond); r != "" {
			t.Fatalf("a black-listed flow's datagram was relayed: %q", r)
		}
	})
	t.Run("ok/no list admits everyone", func(t *testing.T) {
		set(nil)
		expect(allowed, true)
		expect(other, true)
	})
	t.Run("ok/a listener's port is not refused wholesale: the port stays bound", func(t *testing.T) {
		if _, err := net.Dial("tcp", ta); err != nil {
			t.Fatal(err)
		}
	})
}
