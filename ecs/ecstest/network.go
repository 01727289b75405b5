// Package ecstest gives ECS's tests what the VPC product gives the real
// server: an ecs.Network of VPCs and vSwitches declared by the test, in
// memory, with an address allocator that follows Alibaba's rules (the
// first address and the last three of a vSwitch are reserved; lowest free
// first).
package ecstest

import (
	"context"
	"net/netip"
	"sync"

	"slbcert"
	"slbcert/localnet"
)

// Network is an in-memory ecs.Network. The zero value has no VPC.
type Network struct {
	mu       sync.Mutex
	vpcs     map[string]vpc          // accountID/vpcID → its region
	vswitchs map[string]*vswitch     // accountID/vswitchID
	owners   map[string][]netip.Addr // accountID/owner → addresses
}

type vpc struct{ regionID string }

type vswitch struct {
	regionID, vpcID, zoneID string
	cidr                    netip.Prefix
	used                    map[netip.Addr]string // → owner
}

// AddVPC declares the account's VPC in a region.
func (n *Network) AddVPC(accountID, regionID, vpcID string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.vpcs == nil {
		n.vpcs = map[string]vpc{}
	}
	n.vpcs[accountID+"/"+vpcID] = vpc{regionID}
}

// AddVSwitch declares the account's vSwitch of a VPC (declared too if it
// is not), in a zone, with a CIDR.
func (n *Network) AddVSwitch(accountID, regionID, vpcID, zoneID, vswitchID, cidr string) {
	n.AddVPC(accountID, regionID, vpcID)
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.vswitchs == nil {
		n.vswitchs = map[string]*vswitch{}
	}
	n.vswitchs[accountID+"/"+vswitchID] = &vswitch{regionID: regionID, vpcID: vpcID, zoneID: zoneID,
		cidr: netip.MustParsePrefix(cidr), used: map[netip.Addr]string{}}
}

// Owner returns the addresses owner holds in the account, lowest first.
func (n *Network) Owner(accountID, owner string) []netip.Addr {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]netip.Addr(nil), n.owners[accountID+"/"+owner]...)
}

// VSwitchOf implements ecs.Network.
func (n *Network) VSwitchOf(ctx context.Context, accountID, regionID, vswitchID string) (string, string, netip.Prefix, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	v, ok := n.vswitchs[accountID+"/"+vswitchID]
	if !ok || v.regionID != regionID {
		return "", "", netip.Prefix{}, slbcert.ErrNotFound
	}
	return v.vpcID, v.zoneID, v.cidr, nil
}

// CheckVPC implements ecs.Network.
func (n *Network) CheckVPC(ctx context.Context, accountID, regionID, vpcID string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if v, ok := n.vpcs[accountID+"/"+vpcID]; !ok || v.regionID != regionID {
		return slbcert.ErrNotFound
	}
	return nil
}

// usable reports whether a is a host address of the vSwitch: not the
// first nor one of the last three, and not one whose loopback image is
// the host's own (localnet.HostReserved).
func usable(cidr netip.Prefix, a netip.Addr) bool {
	if !cidr.Contains(a) || !a.Is4() || localnet.HostReserved(a) {
		return false
	}
	first := cidr.Masked().Addr().As4()
	b := a.As4()
	offset := uint32(b[0]-first[0])<<24 | uint32(b[1]-first[1])<<16 | uint32(b[2]-first[2])<<8 | uint32(b[3]-first[3])
	size := uint32(1) << (32 - cidr.Bits())
	return offset != 0 && offset < size-3
}

// AllocateAddress implements ecs.Network.
func (n *Network) AllocateAddress(ctx context.Context, accountID, vswitchID, owner string, want netip.Addr) (netip.Addr, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	v, ok := n.vswitchs[accountID+"/"+vswitchID]
	if !ok {
		return netip.Addr{}, slbcert.ErrNotFound
	}
	if want.IsValid() {
		switch {
		case !usable(v.cidr, want):
			return netip.Addr{}, slbcert.ErrInvalidReference
		case v.used[want] != "":
			return netip.Addr{}, slbcert.ErrAlreadyExists
		}
		return n.take(accountID, owner, v, want), nil
	}
	for a := v.cidr.Masked().Addr(); v.cidr.Contains(a); a = a.Next() {
		if usable(v.cidr, a) && v.used[a] == "" {
			return n.take(accountID, owner, v, a), nil
		}
	}
	return netip.Addr{}, slbcert.ErrQuotaExceeded
}

func (n *Network) take(accountID, owner string, v *vswitch, a netip.Addr) netip.Addr {
	v.used[a] = owner
	if n.owners == nil {
		n.owners = map[string][]netip.Addr{}
	}
	n.owners[accountID+"/"+owner] = append(n.owners[accountID+"/"+owner], a)
	return a
}

// ReleaseAddresses implements ecs.Network.
func (n *Network) ReleaseAddresses(ctx context.Context, accountID, owner string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, a := range n.owners[accountID+"/"+owner] {
		for key, v := range n.vswitchs {
			if len(key) > len(accountID) && key[:len(accountID)+1] == accountID+"/" && v.used[a] == owner {
				delete(v.used, a)
			}
		}
	}
	delete(n.owners, accountID+"/"+owner)
	return nil
}
