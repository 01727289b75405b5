package vpc

import (
	"errors"
	"net/netip"
	"testing"

	"slbcert"
)

var pool = []netip.Prefix{netip.MustParsePrefix("127.1.0.0/16")}

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

func TestReserved(t *testing.T) {
	c := netip.MustParsePrefix("192.168.1.0/24")
	for _, a := range []string{"192.168.1.0", "192.168.1.253", "192.168.1.254", "192.168.1.255"} {
		if !Reserved(c, addr(a)) {
			t.Errorf("%s not reserved", a)
		}
	}
	for _, a := range []string{"192.168.1.1", "192.168.1.252"} {
		if Reserved(c, addr(a)) {
			t.Errorf("%s reserved", a)
		}
	}
	if n := AvailableAddresses(c, nil, pool); n != 252 {
		t.Errorf("a fresh /24 has %d addresses, want 252 (256 less 4 reserved)", n)
	}
	if n := AvailableAddresses(netip.MustParsePrefix("192.168.1.8/29"), nil, pool); n != 4 {
		t.Errorf("a fresh /29 has %d addresses, want 4", n)
	}
}

func TestPickAddress(t *testing.T) {
	c := netip.MustParsePrefix("192.168.1.0/24")
	for _, tc := range []struct {
		name  string
		cidr  netip.Prefix
		want  string
		taken []string
		got   string
		err   error
	}{
		{"ok/lowest", c, "", nil, "192.168.1.1", nil},
		{"ok/lowest skips taken images", c, "", []string{"127.168.1.1", "127.168.1.2"}, "192.168.1.3", nil},
		{"ok/wanted", c, "192.168.1.50", nil, "192.168.1.50", nil},
		{"error/wanted taken", c, "192.168.1.50", []string{"127.168.1.50"}, "", slbcert.ErrAlreadyExists},
		{"error/wanted outside", c, "192.168.2.1", nil, "", slbcert.ErrInvalidReference},
		{"error/wanted network", c, "192.168.1.0", nil, "", slbcert.ErrInvalidReference},
		{"error/wanted last three", c, "192.168.1.253", nil, "", slbcert.ErrInvalidReference},
		{"error/wanted broadcast", c, "192.168.1.255", nil, "", slbcert.ErrInvalidReference},
		{"error/wanted ipv6", c, "fd00::1", nil, "", slbcert.ErrInvalidReference},
		// 10.0.0.x is served at 127.0.0.x: the host's own range.
		{"error/host range", netip.MustParsePrefix("10.0.0.0/24"), "", nil, "", slbcert.ErrQuotaExceeded},
		{"error/host range wanted", netip.MustParsePrefix("10.0.0.0/24"), "10.0.0.5", nil, "", slbcert.ErrAlreadyExists},
		// 10.1.x.x is served at 127.1.x.x: the load balancers' pool.
		{"error/pool image", netip.MustParsePrefix("10.1.2.0/24"), "", nil, "", slbcert.ErrQuotaExceeded},
		{"ok/host range skipped in a /16", netip.MustParsePrefix("10.0.0.0/16"), "", nil, "10.0.1.0", nil},
		{"error/full", netip.MustParsePrefix("192.168.1.8/29"), "", []string{"127.168.1.9", "127.168.1.10", "127.168.1.11", "127.168.1.12"}, "", slbcert.ErrQuotaExceeded},
		{"ok/last usable", netip.MustParsePrefix("192.168.1.8/29"), "", []string{"127.168.1.9", "127.168.1.10", "127.168.1.11"}, "192.168.1.12", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want netip.Addr
			if tc.want != "" {
				want = addr(tc.want)
			}
			var taken []netip.Addr
			for _, s := range tc.taken {
				taken = append(taken, addr(s))
			}
			got, err := PickAddress(tc.cidr, want, taken, pool)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil || got != addr(tc.got) {
				t.Fatalf("got %v, %v; want %s", got, err, tc.got)
			}
		})
	}
}

func TestAvailableAddresses(t *testing.T) {
	c := netip.MustParsePrefix("172.16.0.0/24")
	taken := []netip.Addr{addr("127.16.0.1"), addr("127.16.0.7"), addr("127.16.0.255")} // .255 is reserved anyway
	if n := AvailableAddresses(c, taken, pool); n != 250 {
		t.Errorf("available %d, want 250", n)
	}
	if n := AvailableAddresses(netip.MustParsePrefix("10.0.0.0/24"), nil, pool); n != 0 {
		t.Errorf("10.0.0.0/24 (served at 127.0.0.0/24) has %d, want 0", n)
	}
	// a /16 whose first /24 is the host's: 65536 - 4 reserved - 256 host
	// (of which .0.0 is reserved already)
	if n := AvailableAddresses(netip.MustParsePrefix("10.0.0.0/16"), nil, pool); n != 65536-4-255 {
		t.Errorf("10.0.0.0/16 has %d, want %d", n, 65536-4-255)
	}
	if got := ImagePrefix(netip.MustParsePrefix("192.168.4.0/22")); got != netip.MustParsePrefix("127.168.4.0/22") {
		t.Errorf("ImagePrefix %s", got)
	}
}

func BenchmarkAvailableAddresses16(b *testing.B) {
	c := netip.MustParsePrefix("172.16.0.0/16")
	for i := 0; i < b.N; i++ {
		AvailableAddresses(c, nil, pool)
	}
}

// TestAvailableAgreesWithHostExcluded: the span arithmetic counts what an
// address-by-address walk with HostExcluded counts, and the lowest pick is
// the walk's first.
func TestAvailableAgreesWithHostExcluded(t *testing.T) {
	excluded := []netip.Prefix{netip.MustParsePrefix("127.1.0.0/16"), netip.MustParsePrefix("10.9.8.0/22")}
	taken := []netip.Addr{addr("127.9.8.200"), addr("127.9.12.1"), addr("127.168.0.1"), addr("127.0.1.7")}
	for _, c := range []string{"10.0.0.0/16", "10.1.0.0/16", "10.9.0.0/16", "10.9.8.0/24", "192.168.0.0/24", "172.16.0.0/20", "10.0.0.0/23", "10.0.0.248/29"} {
		cidr := netip.MustParsePrefix(c)
		held := heldAddresses(cidr, taken)
		var want int64
		var first netip.Addr
		for a := cidr.Addr(); cidr.Contains(a); a = a.Next() {
			if Reserved(cidr, a) || HostExcluded(a, excluded) || held[u32(a)] {
				continue
			}
			if !first.IsValid() {
				first = a
			}
			want++
		}
		if got := AvailableAddresses(cidr, taken, excluded); got != want {
			t.Errorf("%s: AvailableAddresses %d, walk %d", c, got, want)
		}
		got, err := PickAddress(cidr, netip.Addr{}, taken, excluded)
		if first.IsValid() != (err == nil) || got != first {
			t.Errorf("%s: PickAddress %v, %v; walk %v", c, got, err, first)
		}
	}
}
