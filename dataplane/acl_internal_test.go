package dataplane

import (
	"net/netip"
	"testing"
)

func TestAccessListMatching(t *testing.T) {
	pfx := func(ss ...string) []netip.Prefix {
		var out []netip.Prefix
		for _, s := range ss {
			out = append(out, netip.MustParsePrefix(s))
		}
		return out
	}
	white := []AccessControl{{Type: AccessWhite, Entries: pfx("10.0.0.0/8", "10.1.0.0/16", "192.168.1.7/32", "192.168.1.8/32",
		"0.0.0.0/32", "255.255.255.255/32", "2001:db8::/32", "2001:db8:1::/48", "fe80::1/128", "::/128", "ff00::/8")}}
	for _, c := range []struct {
		name, ip string
		want     bool
	}{
		{"ok/inside a /8", "10.200.3.4", true},
		{"ok/inside a nested /16", "10.1.2.3", true},
		{"ok/a /32", "192.168.1.7", true},
		{"ok/the adjacent /32, merged", "192.168.1.8", true},
		{"ok/past the merged range", "192.168.1.9", false},
		{"ok/just below a /8", "9.255.255.255", false},
		{"ok/just above a /8", "11.0.0.0", false},
		{"ok/the lowest address", "0.0.0.0", true},
		{"ok/the highest address", "255.255.255.255", true},
		{"ok/v4-mapped v6 is v4", "::ffff:10.9.9.9", true},
		{"ok/v6 inside", "2001:db8:ffff::1", true},
		{"ok/v6 outside", "2001:db9::1", false},
		{"ok/v6 host", "fe80::1", true},
		{"ok/v6 neighbour of a host", "fe80::2", false},
		{"ok/v6 unspecified", "::", true},
		{"ok/v6 upper block", "ff02::1", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := compileAccess(white)
			if err != nil {
				t.Fatal(err)
			}
			if got := a.admits(netip.MustParseAddr(c.ip)); got != c.want {
				t.Fatalf("white list admits %s: %v", c.ip, got)
			}
			black := []AccessControl{{Type: AccessBlack, Entries: white[0].Entries}}
			b, _ := compileAccess(black)
			if got := b.admits(netip.MustParseAddr(c.ip)); got == c.want {
				t.Fatalf("black list admits %s: %v", c.ip, got)
			}
		})
	}
	t.Run("ok/every filter must admit", func(t *testing.T) {
		a, _ := compileAccess([]AccessControl{{Type: AccessWhite, Entries: pfx("10.0.0.0/8")}, {Type: AccessBlack, Entries: pfx("10.0.0.0/24")}})
		if !a.admits(netip.MustParseAddr("10.0.1.1")) || a.admits(netip.MustParseAddr("10.0.0.1")) || a.admits(netip.MustParseAddr("11.0.0.1")) {
			t.Fatal("white AND black")
		}
	})
	t.Run("ok/an empty white list admits nothing, no list everything", func(t *testing.T) {
		a, _ := compileAccess([]AccessControl{{Type: AccessWhite}})
		if a.admits(netip.MustParseAddr("10.0.0.1")) {
			t.Fatal("empty white list admitted")
		}
		n, _ := compileAccess(nil)
		if !n.admits(netip.MustParseAddr("10.0.0.1")) {
			t.Fatal("no list refused")
		}
	})
	t.Run("error/unknown type", func(t *testing.T) {
		if _, err := compileAccess([]AccessControl{{Type: "grey"}}); err == nil {
			t.Fatal("accepted")
		}
	})
}

// BenchmarkAccessList300 is the lookup of a listener with an ACL of 300
// entries (the per-ACL limit).
func BenchmarkAccessList300(b *testing.B) {
	var entries []netip.Prefix
	for i := range 300 {
		entries = append(entries, netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 4), byte(i << 4), 0}), 24))
	}
	a, _ := compileAccess([]AccessControl{{Type: AccessWhite, Entries: entries}})
	ip := netip.MustParseAddr("10.9.16.77")
	b.ReportAllocs()
	for b.Loop() {
		if !a.admits(ip) {
			b.Fatal("refused")
		}
	}
}
