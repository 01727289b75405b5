package slb

import (
	"context"
	"errors"
	"net/netip"

	"slbcert"
)

// Network is what SLB needs of the VPC product to place a load balancer in
// a vSwitch (a subset of vpc.Service's methods; products never import each
// other, server/ wires them). Errors are the store sentinels:
// slbcert.ErrNotFound for an unknown vSwitch or VPC, and for
// AllocateAddress slbcert.ErrInvalidReference (want outside the vSwitch's
// block or reserved), slbcert.ErrAlreadyExists (want taken),
// slbcert.ErrQuotaExceeded (no address free).
type Network interface {
	VSwitchOf(ctx context.Context, accountID, regionID, vswitchID string) (vpcID, zoneID string, cidr netip.Prefix, err error)
	AllocateAddress(ctx context.Context, accountID, vswitchID, owner string, want netip.Addr) (netip.Addr, error)
	ReleaseAddresses(ctx context.Context, accountID, owner string) error
}

// Codes of CreateLoadBalancer in a vSwitch (the CreateLoadBalancer API
// page's error table; docs/choices.md, "VPC addresses on this machine").
const (
	EVSwitchNotExist           = "VSwitchNotExist"
	EVSwitchAvailableIPNotExit = "VSwitchAvailableIpNotExist"
	EVpcNotExist               = "InvalidVpcId.NotExist"
)

// inVSwitch reports whether lb takes its address from its vSwitch: an
// intranet load balancer with a VSwitchId, when a Network is wired. An
// internet-facing one in a VPC takes a pool address, as before.
func (s *Service) inVSwitch(lb *LoadBalancer) bool {
	return s.LoadBalancing.Network != nil && lb.VSwitchID != "" && lb.AddressType == "intranet"
}

// placeInVSwitch gives lb, whose VSwitchId is set, its vSwitch's VPC and
// zone and, when intranet, an address of the vSwitch's block handed out to
// lb.ID (Address, when given, is the one wanted). It returns what undoes
// the allocation. Errors: VSwitchNotExist (an unknown vSwitch, or one of
// another region), InvalidVpcId.NotExist (a VpcId that is not the
// vSwitch's), InvalidParameter (a MasterZoneId that is not the vSwitch's
// zone; an Address outside its block, reserved or taken),
// VSwitchAvailableIpNotExist (no address free).
func (s *Service) placeInVSwitch(ctx context.Context, p *slbcert.Principal, address string, lb *LoadBalancer) (release func(), err error) {
	net := s.LoadBalancing.Network
	release = func() {}
	if net == nil || lb.VSwitchID == "" {
		return release, nil
	}
	vpcID, zoneID, cidr, err := net.VSwitchOf(ctx, p.Account.ID, lb.RegionID, lb.VSwitchID)
	if errors.Is(err, slbcert.ErrNotFound) {
		return release, slbcert.Errorf(EVSwitchNotExist, "The specified VSwitch does not exist: %s.", lb.VSwitchID)
	}
	if err != nil {
		return release, storeError(err, nil)
	}
	switch {
	case lb.VpcID != "" && lb.VpcID != vpcID:
		return release, slbcert.Errorf(EVpcNotExist, "The specified VPC not exist: %s is not the VPC of vSwitch %s.", lb.VpcID, lb.VSwitchID)
	case lb.MasterZoneID != "" && lb.MasterZoneID != zoneID:
		return release, slbcert.Errorf(slbcert.EInvalidParameter, "The specified MasterZoneId %s is not the zone of vSwitch %s (%s).", lb.MasterZoneID, lb.VSwitchID, zoneID)
	}
	lb.VpcID, lb.MasterZoneID = vpcID, zoneID
	if !s.inVSwitch(lb) {
		return release, nil
	}
	var want netip.Addr
	if address != "" {
		if want, err = netip.ParseAddr(address); err != nil {
			return release, slbcert.Errorf(slbcert.EInvalidParameter, "Illegal parameter. The IP address is not in subnet: %q is not an address of %s.", address, cidr)
		}
	}
	got, err := net.AllocateAddress(ctx, p.Account.ID, lb.VSwitchID, lb.ID, want)
	switch {
	case errors.Is(err, slbcert.ErrInvalidReference):
		return release, slbcert.Errorf(slbcert.EInvalidParameter, "Illegal parameter. The IP address is not in subnet: %s is not a usable address of %s.", address, cidr)
	case errors.Is(err, slbcert.ErrAlreadyExists):
		return release, slbcert.Errorf(slbcert.EInvalidParameter, "The specified Address %s is already used in vSwitch %s.", address, lb.VSwitchID)
	case errors.Is(err, slbcert.ErrQuotaExceeded):
		return release, slbcert.Errorf(EVSwitchAvailableIPNotExit, "The specified VSwitch has no available ip: %s (%s) has no free address on this server.", lb.VSwitchID, cidr)
	case errors.Is(err, slbcert.ErrNotFound):
		return release, slbcert.Errorf(EVSwitchNotExist, "The specified VSwitch does not exist: %s.", lb.VSwitchID)
	case err != nil:
		return release, storeError(err, nil)
	}
	lb.Address = got.String()
	return func() { _ = net.ReleaseAddresses(context.WithoutCancel(ctx), p.Account.ID, lb.ID) }, nil
}

// releaseAddress frees what a deleted load balancer held in its vSwitch.
func (s *Service) releaseAddress(ctx context.Context, p *slbcert.Principal, lb *LoadBalancer) error {
	if s.LoadBalancing.Network == nil || lb.VSwitchID == "" {
		return nil
	}
	if err := s.LoadBalancing.Network.ReleaseAddresses(ctx, p.Account.ID, lb.ID); err != nil {
		return storeError(err, nil)
	}
	return nil
}
