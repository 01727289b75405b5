// Package localnet says where this machine serves the private addresses of
// emulated VPCs. A load balancer in a vSwitch, or an ECS instance, has an
// address of its VPC (192.168.0.10), which no interface of this host
// carries; the data plane binds, and forwards to, its loopback image
// instead: the first octet becomes 127 (192.168.0.10 → 127.168.0.10,
// 10.1.2.3 → 127.1.2.3, 172.16.5.6 → 127.16.5.6). On Linux the whole of
// 127.0.0.0/8 is loopback, so the image needs no configuration; a user
// can compute it from the address the API reports (docs/choices.md,
// "VPC addresses on this machine").
package localnet

import "net/netip"

// Served returns the address on this host where a is served: its loopback
// image for an IPv4 address outside 127.0.0.0/8, a itself otherwise (a
// loopback address, or IPv6).
func Served(a netip.Addr) netip.Addr {
	if !a.Is4() || a.IsLoopback() {
		return a
	}
	b := a.As4()
	b[0] = 127
	return netip.AddrFrom4(b)
}

// HostReserved reports whether a's image falls in 127.0.0.0/24, where the
// host's own services (the API, backends bound to 127.0.0.1) live: an
// allocator of VPC addresses skips such addresses.
func HostReserved(a netip.Addr) bool {
	return hostNet.Contains(Served(a))
}

var hostNet = netip.MustParsePrefix("127.0.0.0/24")
