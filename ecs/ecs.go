// Package ecs is the ECS product (Elastic Compute Service, Ecs
// 2014-05-26) as far as CLB configurations and controllers use it: the
// built-in catalogue of instance types, images and disk categories, read
// against the shared region table's zones; security groups and their rules
// (recorded and answered, never enforced on traffic); and instances, each
// with its primary network interface and system disk, an address of its
// vSwitch, and the states clients wait for (docs/choices.md, "ECS"). Its
// nouns, codes, store interface and rules live here; its wire is package
// ecsapi. VPCs and vSwitches belong to the VPC product, reached through
// the Network interface that server/ wires: products never import each
// other.
package ecs

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"slbcert"
	"slbcert/region"
)

// Version is the ECS API version served.
const Version = "2014-05-26"

// Service implements ECS's operations for authenticated principals.
type Service struct {
	Store   Store
	Regions *region.Table
	// Catalogue is what every zone offers: instance types, images, disk
	// categories.
	Catalogue *Catalogue
	// Network is the VPC product: vSwitches and their addresses. Nil
	// refuses everything that needs a vSwitch or a VPC.
	Network Network
	// Now is the clock; tests inject one.
	Now func() time.Time
	// AddressesChanged, when set, is called after a write that adds or
	// removes instance addresses has committed, and waited for: server/
	// points it at the data plane, which serves SLB backends naming
	// instances at their addresses (docs/choices.md, "ECS instances as
	// backends").
	AddressesChanged func(ctx context.Context)
}

// addressesChanged tells the data plane, if any, that instance addresses
// changed.
func (s *Service) addressesChanged(ctx context.Context) {
	if s.AddressesChanged != nil {
		s.AddressesChanged(ctx)
	}
}

// New returns ECS over store, the region table, a catalogue (nil: the
// built-in one) and a network, on the wall clock.
func New(store Store, regions *region.Table, catalogue *Catalogue, network Network) *Service {
	if catalogue == nil {
		catalogue = Builtin()
	}
	return &Service{Store: store, Regions: regions, Catalogue: catalogue, Network: network, Now: time.Now}
}

// now returns the clock in UTC at millisecond precision, as stored.
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Millisecond) }

// region runs the checks every region-scoped operation starts with:
// MissingParameter, InvalidRegionId.NotFound, UnauthorizedRegion.
func (s *Service) region(p *slbcert.Principal, id string) (*region.Region, error) {
	if id == "" {
		return nil, slbcert.MissingParameter("RegionId")
	}
	return s.knownRegion(p, id)
}

// knownRegion is region for an id known to be given (the region of an
// object found by its id).
func (s *Service) knownRegion(p *slbcert.Principal, id string) (*region.Region, error) {
	r := s.Regions.Lookup(id)
	if r == nil {
		return nil, slbcert.Errorf(slbcert.ERegionNotFound, "The specified RegionId %q does not exist.", id)
	}
	if !p.Account.RegionAuthorized(id) {
		return nil, slbcert.Errorf(slbcert.EUnauthorizedRegion, "The account is not authorized to use region %q.", id)
	}
	return r, nil
}

// ramService prefixes ECS's RAM actions.
const ramService = "ecs:"

// ARN returns the RAM resource name of an ECS resource: kind is
// "instance", "securitygroup", "image", "disk", "networkinterface"; id may
// be "*" (Alibaba's ECS "Authorization rules" page).
func ARN(regionID, accountID, kind, id string) string {
	return "acs:ecs:" + regionID + ":" + accountID + ":" + kind + "/" + id
}

// authorize asks whether p may perform action on resource.
func (s *Service) authorize(p *slbcert.Principal, action, resource string) error {
	return p.Authorize(slbcert.AccessRequest{
		Action:   ramService + action,
		Resource: resource,
		Context:  p.ConditionContext(s.Now()),
	})
}

// network returns the VPC product, or the refusal of a server that
// serves none.
func (s *Service) network() (Network, error) {
	if s.Network == nil {
		return nil, slbcert.Errorf(EOperationDenied, "This server does not serve VPCs: instances and security groups need the Vpc API.")
	}
	return s.Network, nil
}

// storeError turns a store failure into the API's answer: the store's
// sentinels become the operation's codes, anything else stays an
// internal error.
func storeError(err error, notFound *slbcert.Error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, slbcert.ErrNotFound) && notFound != nil:
		return notFound
	default:
		var e *slbcert.Error
		if errors.As(err, &e) {
			return e // a rule refused inside the store's transaction
		}
		return fmt.Errorf("ecs store: %w", err)
	}
}

// PrivateAddress returns the private address of the account's instance
// id, or ErrNotFound: what the data plane forwards to for an SLB backend
// naming the instance (server/instances.go). It is not an API operation
// and asks no permission.
func (s *Service) PrivateAddress(ctx context.Context, accountID, instanceID string) (netip.Addr, error) {
	list, err := s.Store.FindInstances(ctx, InstanceFilter{AccountID: accountID, IDs: []string{instanceID}})
	if err != nil {
		return netip.Addr{}, err
	}
	if len(list) == 0 {
		return netip.Addr{}, slbcert.ErrNotFound
	}
	return list[0].PrivateIP, nil
}
