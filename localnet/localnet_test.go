package localnet

import (
	"net/netip"
	"testing"
)

func TestServed(t *testing.T) {
	for in, want := range map[string]string{
		"192.168.0.10": "127.168.0.10",
		"10.1.2.3":     "127.1.2.3",
		"172.16.5.6":   "127.16.5.6",
		"127.1.0.1":    "127.1.0.1",
		"fd00::1":      "fd00::1",
	} {
		if got := Served(netip.MustParseAddr(in)); got.String() != want {
			t.Errorf("Served(%s) = %s, want %s", in, got, want)
		}
	}
	if !HostReserved(netip.MustParseAddr("10.0.0.7")) || HostReserved(netip.MustParseAddr("10.0.1.7")) {
		t.Error("HostReserved: 10.0.0.7 maps into 127.0.0.0/24, 10.0.1.7 does not")
	}
}
