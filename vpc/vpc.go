// Package vpc is the VPC product (Vpc 2016-04-28): its nouns (VPC, VSwitch,
// the system RouteTable, Address), its codes and their HTTP statuses, the
// store interface it needs (Store) and its rules (Service): the CIDR rules
// Alibaba Cloud documents, a vSwitch inside its VPC and apart from its
// siblings, zones from the region table, quotas, tags, resource groups,
// vpc:* authorization, and the address allocator the products that place
// resources in vSwitches (SLB, ECS) call through server/'s wiring
// (VSwitchOf, CheckVPC, AllocateAddress, ReleaseAddresses). Changes are
// synchronous: a VPC or vSwitch is Available when Create answers
// (docs/choices.md, "VPC"). Its wire is package vpcapi.
package vpc

import (
	"net/netip"
	"strings"
	"time"

	"slbcert"
	"slbcert/region"
)

// Version is the VPC API's version on the shared endpoint.
const Version = "2016-04-28"

// StatusAvailable is the one state VPCs, vSwitches and route tables are
// in: Alibaba Cloud's Pending and Deleting pass before the call answers.
const StatusAvailable = "Available"

// Service implements VPC's operations for authenticated principals, and
// the address allocator for the other products.
type Service struct {
	Store   Store
	Regions *region.Table
	// Now is the clock of CreationTime and acs:CurrentTime.
	Now func() time.Time
	// Excluded are ranges no VPC address may be (or be served at) on this
	// host besides localnet's own (docs/choices.md, "VPC addresses on this
	// machine"): the load balancers' address pool.
	Excluded []netip.Prefix
}

// New returns a service over store and regions, on the wall clock.
func New(store Store, regions *region.Table) *Service {
	return &Service{Store: store, Regions: regions, Now: time.Now}
}

// now returns the clock's time in UTC at millisecond precision, as stored.
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Millisecond) }

// region runs the checks every region-scoped operation starts with:
// MissingParameter, InvalidRegionId.NotFound, UnauthorizedRegion.
func (s *Service) region(p *slbcert.Principal, id string) (*region.Region, error) {
	if id == "" {
		return nil, slbcert.MissingParameter("RegionId")
	}
	r := s.Regions.Lookup(id)
	if r == nil {
		return nil, slbcert.Errorf(slbcert.ERegionNotFound, "Specified value of \"regionId\" is not supported: %q.", id)
	}
	return r, s.regionAuthorized(p, id)
}

// regionAuthorized refuses a region outside the account's authorized ones.
func (s *Service) regionAuthorized(p *slbcert.Principal, id string) error {
	if !p.Account.RegionAuthorized(id) {
		return slbcert.Errorf(slbcert.EUnauthorizedRegion, "The account is not authorized to use region %q.", id)
	}
	return nil
}

// RAM: actions are "vpc:" and the API name; resources are named
// acs:vpc:{region}:{account}:{kind}/{id}, "*" for a kind's collection
// (docs/choices.md, "VPC").
const actionPrefix = "vpc:"

// Resource kinds of VPC's ARNs.
const (
	kindVPC        = "vpc"
	kindVSwitch    = "vswitch"
	kindRouteTable = "routetable"
)

// ARN names a VPC resource of kind ("vpc", "vswitch", "routetable") as RAM
// policies see it; id "*" names the collection.
func ARN(regionID, accountID, kind, id string) string {
	return "acs:vpc:" + regionID + ":" + accountID + ":" + kind + "/" + id
}

// authorize asks p's policies whether it may perform action on resource,
// with the request's common condition keys.
func (s *Service) authorize(p *slbcert.Principal, action, resource string) error {
	if p.Permissions == nil {
		return nil
	}
	return p.Authorize(slbcert.AccessRequest{
		Action:   actionPrefix + action,
		Resource: resource,
		Context:  p.ConditionContext(s.Now()),
	})
}

// splitIDs splits a comma-separated id list, dropping empty parts.
func splitIDs(s string) []string {
	var ids []string
	for _, id := range strings.Split(s, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}
