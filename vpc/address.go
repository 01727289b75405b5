package vpc

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"slbcert"
	"slbcert/localnet"
)

// The addresses of vSwitches, handed out to what other products place in
// them: load balancers (SLB) and instances and their ENIs (ECS). These
// methods are the contract server/ wires those products to; each declares
// the subset it needs as its own interface (docs/choices.md, "VPC
// addresses on this machine").

// Reserved reports whether a is one of the addresses of cidr Alibaba Cloud
// keeps for the system: the first and the last three (the CreateVSwitch
// API page: 192.168.1.0, .253, .254 and .255 of 192.168.1.0/24).
func Reserved(cidr netip.Prefix, a netip.Addr) bool {
	first := cidr.Addr()
	last := lastAddr(cidr)
	return a == first || a == last || a == last.Prev() || a == last.Prev().Prev()
}

// lastAddr returns the highest address of an IPv4 prefix.
func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().As4()
	n := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	n |= 1<<(32-p.Bits()) - 1
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
}

// ImagePrefix returns where the addresses of cidr are served on this host:
// the prefix of their localnet images (an IPv4 prefix of at least 8 bits
// keeps its bits below the first octet).
func ImagePrefix(cidr netip.Prefix) netip.Prefix {
	return netip.PrefixFrom(localnet.Served(cidr.Addr()), cidr.Bits())
}

// HostExcluded reports whether a is never handed out on this host, whatever
// its vSwitch: its image is in localnet's host range (127.0.0.0/24), or it
// or its image is in one of excluded (the load balancers' address pool).
func HostExcluded(a netip.Addr, excluded []netip.Prefix) bool {
	if localnet.HostReserved(a) {
		return true
	}
	image := localnet.Served(a)
	for _, p := range excluded {
		if p.Contains(a) || p.Contains(image) {
			return true
		}
	}
	return false
}

// span is an inclusive range of IPv4 addresses as numbers.
type span struct{ lo, hi uint32 }

func u32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func fromU32(n uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
}

func spanOf(p netip.Prefix) span {
	return span{u32(p.Masked().Addr()), u32(lastAddr(p))}
}

// usableSpan is cidr less its reserved addresses.
func usableSpan(cidr netip.Prefix) span {
	s := spanOf(cidr)
	return span{s.lo + 1, s.hi - 3}
}

// hostRange is localnet's host range (localnet.HostReserved).
var hostRange = netip.MustParsePrefix("127.0.0.0/24")

// excludedSpans are the addresses of cidr HostExcluded refuses, as sorted,
// merged spans: the preimages under localnet.Served of the host range and
// of each excluded prefix within 127.0.0.0/8 (a vSwitch's block has one
// first octet, so each is a prefix too), and the excluded prefixes
// themselves.
func excludedSpans(cidr netip.Prefix, excluded []netip.Prefix) []span {
	own := spanOf(cidr)
	first := own.lo &^ 0xffffff
	var out []span
	add := func(s span) {
		s.lo, s.hi = max(s.lo, own.lo), min(s.hi, own.hi)
		if s.lo <= s.hi {
			out = append(out, s)
		}
	}
	for _, p := range append([]netip.Prefix{hostRange}, excluded...) {
		if !p.Addr().Is4() {
			continue
		}
		ps := spanOf(p)
		add(ps)
		if p.Bits() >= 8 && ps.lo>>24 == 127 {
			add(span{first | ps.lo&0xffffff, first | ps.hi&0xffffff})
		}
	}
	slices.SortFunc(out, func(a, b span) int { return cmp.Compare(a.lo, b.lo) })
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.lo <= merged[n-1].hi+1 {
			merged[n-1].hi = max(merged[n-1].hi, s.hi)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// heldAddresses maps taken images back to the addresses of cidr's first
// octet they are the images of.
func heldAddresses(cidr netip.Prefix, taken []netip.Addr) map[uint32]bool {
	first := u32(cidr.Addr()) &^ 0xffffff
	held := make(map[uint32]bool, len(taken))
	for _, t := range taken {
		if t.Is4() {
			held[first|u32(t)&0xffffff] = true
		}
	}
	return held
}

// PickAddress chooses an address of cidr for a new allocation, given the
// images already taken (by any allocation anywhere): want when it is
// valid and free, else, with want the zero Addr, the lowest free address.
// want outside cidr or reserved: slbcert.ErrInvalidReference; want taken
// (its image held by another allocation, or excluded on this host):
// slbcert.ErrAlreadyExists; nothing free: slbcert.ErrQuotaExceeded.
func PickAddress(cidr netip.Prefix, want netip.Addr, taken []netip.Addr, excluded []netip.Prefix) (netip.Addr, error) {
	held := heldAddresses(cidr, taken)
	if want.IsValid() {
		switch {
		case !want.Is4() || !cidr.Contains(want) || Reserved(cidr, want):
			return netip.Addr{}, fmt.Errorf("address %s is not a usable address of %s: %w", want, cidr, slbcert.ErrInvalidReference)
		case HostExcluded(want, excluded) || held[u32(want)]:
			return netip.Addr{}, fmt.Errorf("address %s is taken: %w", want, slbcert.ErrAlreadyExists)
		}
		return want, nil
	}
	use := usableSpan(cidr)
	skip := excludedSpans(cidr, excluded)
	for a := uint64(use.lo); a <= uint64(use.hi); a++ {
		for len(skip) > 0 && uint64(skip[0].hi) < a {
			skip = skip[1:]
		}
		if len(skip) > 0 && uint64(skip[0].lo) <= a {
			a = uint64(skip[0].hi) // the loop steps past the span
			continue
		}
		if !held[uint32(a)] {
			return fromU32(uint32(a)), nil
		}
	}
	return netip.Addr{}, fmt.Errorf("no free address in %s: %w", cidr, slbcert.ErrQuotaExceeded)
}

// AvailableAddresses counts the addresses of cidr PickAddress could still
// hand out: AvailableIpAddressCount.
func AvailableAddresses(cidr netip.Prefix, taken []netip.Addr, excluded []netip.Prefix) int64 {
	use := usableSpan(cidr)
	n := int64(use.hi-use.lo) + 1
	skip := excludedSpans(cidr, excluded)
	for _, s := range skip {
		if lo, hi := max(s.lo, use.lo), min(s.hi, use.hi); lo <= hi {
			n -= int64(hi-lo) + 1
		}
	}
	for a := range heldAddresses(cidr, taken) {
		if a < use.lo || a > use.hi || slices.ContainsFunc(skip, func(s span) bool { return s.lo <= a && a <= s.hi }) {
			continue
		}
		n--
	}
	return n
}

// availableIn counts vs's available addresses, reading the images taken.
func (s *Service) availableIn(ctx context.Context, vs *VSwitch) (int64, error) {
	taken, err := s.Store.TakenImages(ctx, ImagePrefix(vs.CidrBlock))
	if err != nil {
		return 0, err
	}
	return AvailableAddresses(vs.CidrBlock, taken, s.Excluded), nil
}

// VSwitchOf returns the VPC, zone and CIDR block of the account's vSwitch
// in the region, or slbcert.ErrNotFound.
func (s *Service) VSwitchOf(ctx context.Context, accountID, regionID, vswitchID string) (vpcID, zoneID string, cidr netip.Prefix, err error) {
	vs, err := s.Store.GetVSwitch(ctx, accountID, vswitchID)
	if err != nil {
		return "", "", netip.Prefix{}, err
	}
	if vs.RegionID != regionID {
		return "", "", netip.Prefix{}, slbcert.ErrNotFound
	}
	return vs.VPCID, vs.ZoneID, vs.CidrBlock, nil
}

// CheckVPC returns nil when the account has VPC vpcID in the region, else
// slbcert.ErrNotFound.
func (s *Service) CheckVPC(ctx context.Context, accountID, regionID, vpcID string) error {
	v, err := s.Store.GetVPC(ctx, accountID, vpcID)
	if err != nil {
		return err
	}
	if v.RegionID != regionID {
		return slbcert.ErrNotFound
	}
	return nil
}

// AllocateAddress hands out an address of the account's vSwitch to owner
// (the id of what holds it: "i-…", "eni-…", "lb-…"): want if it is valid
// and free, or with want the zero Addr the lowest free one. It never hands
// out an address excluded on this host or whose image another allocation
// holds. Errors: slbcert.ErrNotFound (no such vSwitch),
// slbcert.ErrInvalidReference (want outside the block or reserved),
// slbcert.ErrAlreadyExists (want taken), slbcert.ErrQuotaExceeded (none
// free).
func (s *Service) AllocateAddress(ctx context.Context, accountID, vswitchID, owner string, want netip.Addr) (netip.Addr, error) {
	if owner == "" {
		return netip.Addr{}, errors.New("vpc: an address needs an owner")
	}
	a, err := s.Store.AllocateAddress(ctx, Address{AccountID: accountID, VSwitchID: vswitchID, Owner: owner, CreateTime: s.now()}, func(vs *VSwitch, taken []netip.Addr) (netip.Addr, error) {
		return PickAddress(vs.CidrBlock, want, taken, s.Excluded)
	})
	if err != nil {
		return netip.Addr{}, err
	}
	return a.Address, nil
}

// ReleaseAddresses frees every address the account's owner holds (none is
// fine).
func (s *Service) ReleaseAddresses(ctx context.Context, accountID, owner string) error {
	return s.Store.ReleaseAddresses(ctx, accountID, owner)
}
