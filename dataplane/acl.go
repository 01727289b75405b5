package dataplane

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"slices"
)

// Access control types (AclType).
const (
	// AccessWhite admits only the sources in the list's entries.
	AccessWhite = "white"
	// AccessBlack refuses the sources in the list's entries.
	AccessBlack = "black"
)

// AccessControl is one source filter of a listener: an access control
// list's entries, or the legacy whitelist's items (docs/choices.md, "Data
// plane": access control). A white list with no entries admits nothing;
// whoever builds the Config leaves out the lists that should admit
// everyone (Alibaba's empty ACL).
type AccessControl struct {
	// Type is AccessWhite or AccessBlack.
	Type string
	// Entries are the networks the list names, IPv4 or IPv6; a single
	// address is a /32 (/128).
	Entries []netip.Prefix
}

// accessList is a listener's access control compiled for lookups: every
// filter must admit a source. A lookup is a binary search over the merged
// address ranges of each filter, so 300 entries cost about what 3 do.
type accessList struct {
	filters []accessFilter
}

type accessFilter struct {
	white bool
	v4    []range32
	v6    []range128
}

type range32 struct{ lo, hi uint32 }

type u128 struct{ hi, lo uint64 }

func (a u128) cmp(b u128) int {
	if c := cmp.Compare(a.hi, b.hi); c != 0 {
		return c
	}
	return cmp.Compare(a.lo, b.lo)
}

type range128 struct{ lo, hi u128 }

// compileAccess checks and compiles a listener's filters; nil when there
// are none (everyone admitted).
func compileAccess(acs []AccessControl) (*accessList, error) {
	if len(acs) == 0 {
		return nil, nil
	}
	out := &accessList{}
	for _, ac := range acs {
		var f accessFilter
		switch ac.Type {
		case AccessWhite:
			f.white = true
		case AccessBlack:
		default:
			return nil, fmt.Errorf("unknown access control type %q (white, black)", ac.Type)
		}
		for _, p := range ac.Entries {
			if !p.IsValid() {
				return nil, fmt.Errorf("invalid access control entry %v", p)
			}
			p = p.Masked()
			a := p.Addr()
			if a.Is4() {
				lo := binary.BigEndian.Uint32(a.AsSlice())
				hi := lo | uint32(uint64(1)<<(32-p.Bits())-1)
				f.v4 = append(f.v4, range32{lo, hi})
				continue
			}
			b := a.As16()
			lo := u128{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
			hi := lo
			if host := 128 - p.Bits(); host >= 64 {
				hi.lo = ^uint64(0)
				if host > 64 {
					hi.hi |= uint64(1)<<(host-64) - 1
				}
				if host == 128 {
					hi.hi = ^uint64(0)
				}
			} else if host > 0 {
				hi.lo |= uint64(1)<<host - 1
			}
			f.v6 = append(f.v6, range128{lo, hi})
		}
		f.v4 = merge32(f.v4)
		f.v6 = merge128(f.v6)
		out.filters = append(out.filters, f)
	}
	return out, nil
}

func merge32(rs []range32) []range32 {
	slices.SortFunc(rs, func(a, b range32) int { return cmp.Compare(a.lo, b.lo) })
	out := rs[:0]
	for _, r := range rs {
		if n := len(out); n > 0 && (r.lo <= out[n-1].hi || out[n-1].hi != ^uint32(0) && r.lo == out[n-1].hi+1) {
			out[n-1].hi = max(out[n-1].hi, r.hi)
			continue
		}
		out = append(out, r)
	}
	return out
}

func merge128(rs []range128) []range128 {
	slices.SortFunc(rs, func(a, b range128) int { return a.lo.cmp(b.lo) })
	out := rs[:0]
	for _, r := range rs {
		if n := len(out); n > 0 && r.lo.cmp(out[n-1].hi) <= 0 {
			if r.hi.cmp(out[n-1].hi) > 0 {
				out[n-1].hi = r.hi
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

// admits reports whether every filter lets ip in. A nil list admits all.
func (a *accessList) admits(ip netip.Addr) bool {
	if a == nil {
		return true
	}
	ip = ip.Unmap()
	for i := range a.filters {
		if a.filters[i].contains(ip) != a.filters[i].white {
			return false
		}
	}
	return true
}

func (f *accessFilter) contains(ip netip.Addr) bool {
	if ip.Is4() {
		b := ip.As4()
		x := binary.BigEndian.Uint32(b[:])
		// The last range starting at or below x is the only one that can
		// hold it: the ranges are merged, so they do not overlap.
		i, found := slices.BinarySearchFunc(f.v4, x, func(r range32, x uint32) int { return cmp.Compare(r.lo, x) })
		if found {
			return true
		}
		return i > 0 && x <= f.v4[i-1].hi
	}
	b := ip.As16()
	x := u128{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
	i, found := slices.BinarySearchFunc(f.v6, x, func(r range128, x u128) int { return r.lo.cmp(x) })
	if found {
		return true
	}
	return i > 0 && x.cmp(f.v6[i-1].hi) <= 0
}

// remoteIP is a connection's peer address; the zero Addr (which no list
// holds) when it is not IP.
func remoteIP(c net.Conn) netip.Addr {
	switch a := c.RemoteAddr().(type) {
	case *net.TCPAddr:
		return a.AddrPort().Addr()
	case *net.UDPAddr:
		return a.AddrPort().Addr()
	}
	return netip.Addr{}
}
