package vpc

import (
	"net/netip"

	"slbcert"
)

// Address rules of VPCs and vSwitches (the CreateVpc and CreateVSwitch API
// pages; docs/choices.md, "VPC", says which reading was chosen where old
// and current pages differ).
const (
	// MinVPCMask and MaxVPCMask bound a VPC's prefix length, on create and
	// on modify.
	MinVPCMask, MaxVPCMask = 8, 28
	// MinVSwitchMask and MaxVSwitchMask bound a vSwitch's prefix length.
	MinVSwitchMask, MaxVSwitchMask = 16, 29
)

// DefaultVPCCidr is a VPC's CIDR block when CreateVpc names none.
var DefaultVPCCidr = netip.MustParsePrefix("172.16.0.0/12")

// forbidden are the ranges no VPC may overlap: shared (carrier-grade NAT),
// multicast, loopback and link-local addresses.
var forbidden = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("224.0.0.0/4"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
}

// errVPCCidr is the answer to a VPC CIDR block that breaks a rule.
func errVPCCidr(text, why string) error {
	return slbcert.Errorf(slbcert.EInvalidParameter, "Specified CIDR block is not valid: %q %s.", text, why)
}

// ParseVPCCidr reads a VPC's CidrBlock: an IPv4 prefix without host bits,
// of MinVPCMask to MaxVPCMask bits, overlapping none of the forbidden
// ranges; else 400 InvalidParameter.
func ParseVPCCidr(text string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(text)
	switch {
	case err != nil || !p.Addr().Is4():
		return netip.Prefix{}, errVPCCidr(text, "is not an IPv4 CIDR block")
	case p.Masked() != p:
		return netip.Prefix{}, errVPCCidr(text, "has host bits set (did you mean "+p.Masked().String()+"?)")
	case p.Bits() < MinVPCMask || p.Bits() > MaxVPCMask:
		return netip.Prefix{}, errVPCCidr(text, "must have a mask of 8 to 28 bits")
	}
	for _, f := range forbidden {
		if f.Overlaps(p) {
			return netip.Prefix{}, errVPCCidr(text, "overlaps "+f.String()+", which a VPC may not use")
		}
	}
	return p, nil
}

// ParseVSwitchCidr reads a vSwitch's CidrBlock: an IPv4 prefix without
// host bits (else InvalidCidrBlock.Malformed) of MinVSwitchMask to
// MaxVSwitchMask bits (else InvalidCirdrBlock.MaskLength).
func ParseVSwitchCidr(text string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(text)
	if err != nil || !p.Addr().Is4() || p.Masked() != p {
		return netip.Prefix{}, slbcert.Errorf(ECidrMalformed, "Specified CIDR block is not valid: %q is not an IPv4 CIDR block without host bits.", text)
	}
	if p.Bits() < MinVSwitchMask || p.Bits() > MaxVSwitchMask {
		return netip.Prefix{}, slbcert.Errorf(ECidrMaskLength, "Specified CIDR block is not valid: the mask of %q must be 16 to 29 bits.", text)
	}
	return p, nil
}

// Contains reports whether prefix inner lies wholly inside outer.
func Contains(outer, inner netip.Prefix) bool {
	return outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}

// checkVSwitchCidr checks a new vSwitch's block against its VPC and its
// siblings: inside the VPC's block (InvalidParameter), overlapping none of
// theirs (InvalidCidrBlock.Overlapped).
func checkVSwitchCidr(v *VPC, siblings []*VSwitch, cidr netip.Prefix) error {
	if !Contains(v.CidrBlock, cidr) {
		return slbcert.Errorf(slbcert.EInvalidParameter, "Specified CIDR block is not valid in VPC: %s is not inside %s's %s.", cidr, v.ID, v.CidrBlock)
	}
	for _, s := range siblings {
		if s.CidrBlock.Overlaps(cidr) {
			return slbcert.Errorf(ECidrOverlapped, "Specified CIDR block overlapped with other subnets: %s overlaps %s of %s.", cidr, s.CidrBlock, s.ID)
		}
	}
	return nil
}

// checkVPCResize checks a VPC's new block against its vSwitches: each must
// still lie inside it.
func checkVPCResize(cidr netip.Prefix, vswitches []*VSwitch) error {
	for _, s := range vswitches {
		if !Contains(cidr, s.CidrBlock) {
			return slbcert.Errorf(slbcert.EInvalidParameter, "Specified CIDR block is not valid: vSwitch %s (%s) would no longer be inside %s.", s.ID, s.CidrBlock, cidr)
		}
	}
	return nil
}
