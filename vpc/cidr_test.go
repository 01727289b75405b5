package vpc

import (
	"net/netip"
	"testing"

	"slbcert"
)

func TestParseVPCCidr(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		ok       bool
	}{
		{"ok/rfc1918 10", "10.0.0.0/8", true},
		{"ok/rfc1918 172", "172.16.0.0/12", true},
		{"ok/rfc1918 192", "192.168.0.0/16", true},
		{"ok/custom public range", "47.0.0.0/16", true},
		{"ok/smallest", "192.168.1.0/28", true},
		{"error/mask too short", "10.0.0.0/7", false},
		{"error/mask too long", "192.168.1.0/29", false},
		{"error/host bits", "10.0.0.1/16", false},
		{"error/loopback", "127.0.0.0/16", false},
		{"error/shared", "100.64.0.0/16", false},
		{"error/covers shared", "100.0.0.0/8", false},
		{"error/multicast", "224.0.0.0/8", false},
		{"error/link local", "169.254.0.0/16", false},
		{"error/ipv6", "fd00::/48", false},
		{"error/garbage", "10.0.0.0", false},
		{"error/empty mask", "10.0.0.0/", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseVPCCidr(tc.in)
			if tc.ok != (err == nil) {
				t.Fatalf("ParseVPCCidr(%q) = %v", tc.in, err)
			}
			if err != nil && slbcert.ErrorCode(err) != slbcert.EInvalidParameter {
				t.Errorf("code %s", slbcert.ErrorCode(err))
			}
		})
	}
}

func TestParseVSwitchCidr(t *testing.T) {
	for _, tc := range []struct{ name, in, code string }{
		{"ok/24", "192.168.1.0/24", ""},
		{"ok/16", "10.1.0.0/16", ""},
		{"ok/29", "10.1.0.8/29", ""},
		{"error/15", "10.0.0.0/15", ECidrMaskLength},
		{"error/30", "10.0.0.4/30", ECidrMaskLength},
		{"error/host bits", "10.0.0.1/24", ECidrMalformed},
		{"error/not a cidr", "ten", ECidrMalformed},
		{"error/ipv6", "fd00::/64", ECidrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseVSwitchCidr(tc.in)
			if got := slbcert.ErrorCode(err); got != tc.code {
				t.Fatalf("ParseVSwitchCidr(%q) code %q (%v), want %q", tc.in, got, err, tc.code)
			}
		})
	}
}

func TestCheckVSwitchCidr(t *testing.T) {
	v := &VPC{ID: "vpc-1", CidrBlock: netip.MustParsePrefix("192.168.0.0/16")}
	sib := []*VSwitch{{ID: "vsw-a", CidrBlock: netip.MustParsePrefix("192.168.1.0/24")}}
	for _, tc := range []struct{ name, in, code string }{
		{"ok/beside", "192.168.2.0/24", ""},
		{"ok/whole vpc without siblings", "192.168.0.0/16", ECidrOverlapped},
		{"error/outside", "10.0.0.0/24", slbcert.EInvalidParameter},
		{"error/larger than vpc", "192.168.0.0/15", slbcert.EInvalidParameter},
		{"error/same as sibling", "192.168.1.0/24", ECidrOverlapped},
		{"error/inside sibling", "192.168.1.128/25", ECidrOverlapped},
		{"error/covers sibling", "192.168.0.0/23", ECidrOverlapped},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkVSwitchCidr(v, sib, netip.MustParsePrefix(tc.in))
			if got := slbcert.ErrorCode(err); got != tc.code {
				t.Fatalf("code %q (%v), want %q", got, err, tc.code)
			}
		})
	}
	if err := checkVSwitchCidr(v, nil, v.CidrBlock); err != nil {
		t.Errorf("a vSwitch may span its VPC's whole block when alone: %v", err)
	}
	if err := checkVPCResize(netip.MustParsePrefix("192.168.0.0/20"), sib); err != nil {
		t.Errorf("shrinking around the vSwitch: %v", err)
	}
	if err := checkVPCResize(netip.MustParsePrefix("192.168.2.0/24"), sib); slbcert.ErrorCode(err) != slbcert.EInvalidParameter {
		t.Errorf("shrinking past the vSwitch: %v", err)
	}
}
