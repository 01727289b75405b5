package ecs

import (
	"context"
	"net/netip"
)

// Network is what ECS needs of the VPC product (package vpc implements
// it; server/ wires it): where a vSwitch is, whether a VPC exists, and the
// addresses of a vSwitch. Every method is scoped to an account; another
// account's VPC or vSwitch is not found.
type Network interface {
	// VSwitchOf returns the VPC, zone and CIDR of the account's vSwitch,
	// or slbcert.ErrNotFound.
	VSwitchOf(ctx context.Context, accountID, regionID, vswitchID string) (vpcID, zoneID string, cidr netip.Prefix, err error)
	// CheckVPC returns nil when the account has the VPC in the region,
	// else slbcert.ErrNotFound.
	CheckVPC(ctx context.Context, accountID, regionID, vpcID string) error
	// AllocateAddress reserves an address of the vSwitch for owner (an
	// instance "i-…" or a network interface "eni-…"): want when valid,
	// else (zero want) the lowest free one. Errors: slbcert.ErrNotFound
	// (no such vSwitch), slbcert.ErrInvalidReference (want outside the
	// CIDR or reserved), slbcert.ErrAlreadyExists (want taken),
	// slbcert.ErrQuotaExceeded (the vSwitch is full).
	AllocateAddress(ctx context.Context, accountID, vswitchID, owner string, want netip.Addr) (netip.Addr, error)
	// ReleaseAddresses frees every address owner holds; none is no error.
	ReleaseAddresses(ctx context.Context, accountID, owner string) error
}
