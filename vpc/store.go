package vpc

import (
	"context"
	"net/netip"
	"time"

	"slbcert"
)

// VPC is a virtual private cloud of one account in one region, with its
// vRouter and its system route table (created with it, deleted with it).
// Times are UTC at millisecond precision.
type VPC struct {
	ID        string // "vpc-" and the region's prefix and 18 characters
	AccountID string
	RegionID  string
	Name      string
	// Description is "" when none was given.
	Description string
	CidrBlock   netip.Prefix
	// UserCidrs are the user CIDR blocks as given (at most 3).
	UserCidrs       []string
	VRouterID       string // "vrt-…"
	RouteTable      RouteTable
	ResourceGroupID string
	Status          string // StatusAvailable
	// DNSHostname is EnableDnsHostname: DnsHostnameStatus ENABLED.
	DNSHostname bool
	// ClientToken is "" when none was given; one per account.
	ClientToken string
	CreateTime  time.Time
	Tags        []slbcert.Tag
}

// RouteTable is a VPC's system route table: its id and what
// ModifyRouteTableAttributes changes. Its VPC's region, resource group,
// creation time and vSwitches are its own.
type RouteTable struct {
	ID          string // "vtb-…", unique in the store
	Name        string
	Description string
	// RoutePropagation is RoutePropagationEnable (true unless turned off).
	RoutePropagation bool
}

// VSwitch is a subnet of a VPC in one zone. ResourceGroupID and
// RouteTableID are its VPC's (read with it, never written).
type VSwitch struct {
	ID          string // "vsw-…"
	AccountID   string
	RegionID    string
	VPCID       string
	ZoneID      string
	Name        string
	Description string
	CidrBlock   netip.Prefix
	Status      string
	ClientToken string
	CreateTime  time.Time
	Tags        []slbcert.Tag

	ResourceGroupID string
	RouteTableID    string
}

// Address is one VPC address handed out in a vSwitch: to an instance, an
// ENI, a load balancer (Owner is its id: "i-…", "eni-…", "lb-…").
type Address struct {
	Address    netip.Addr
	AccountID  string
	VSwitchID  string
	Owner      string
	CreateTime time.Time
}

// VPCFilter selects and pages an account's VPCs in one region. Zero
// fields do not filter.
type VPCFilter struct {
	AccountID string // required
	RegionID  string // required
	IDs       []string
	// Name matches exactly.
	Name            string
	ResourceGroupID string
	// RouteTableID and VRouterID select by the VPC's route table and router.
	RouteTableID string
	VRouterID    string
	// Tags must all be carried, with equal values.
	Tags []slbcert.Tag
	// Offset skips that many matches, oldest first (creation time, then
	// id); Limit caps the page (0: no cap).
	Offset, Limit int
}

// VSwitchFilter selects and pages an account's vSwitches in one region.
type VSwitchFilter struct {
	AccountID       string // required
	RegionID        string // required
	IDs             []string
	VPCID           string
	ZoneID          string
	Name            string // exact
	ResourceGroupID string // the VPC's
	RouteTableID    string // the VPC's system route table
	Tags            []slbcert.Tag
	Offset, Limit   int
}

// AddressFilter selects an account's addresses.
type AddressFilter struct {
	AccountID  string // required
	VSwitchIDs []string
	Owner      string
}

// Store keeps VPCs, vSwitches and the addresses handed out in them. It is
// dumb: every rule is package vpc's, run before the store is called or,
// where a rule must hold atomically with the write, inside the store's
// transaction by a function the rules pass (CreateVSwitch's check,
// UpdateVPC's fn, AllocateAddress's pick). A write that returns nil is
// durable; one that returns an error changed nothing. Records of another
// account are not found. Lists come back non-nil; stores keep no
// reference to values passed in or handed out.
type Store interface {
	// CreateVPC inserts v, unless v's account already holds limit VPCs in
	// v's region (ErrQuotaExceeded). When v.ClientToken is one the
	// account used before, nothing is inserted and the VPC created with
	// it is returned. The count and the insert are atomic across servers.
	CreateVPC(ctx context.Context, v *VPC, limit int) (*VPC, error)

	// GetVPC returns one VPC of the account, in any region, or ErrNotFound.
	GetVPC(ctx context.Context, accountID, id string) (*VPC, error)

	// FindVPCs returns one page of the matching VPCs, oldest first, with
	// how many match in all, and each page VPC's vSwitch ids (oldest
	// first) by VPC id.
	FindVPCs(ctx context.Context, f VPCFilter) (page []*VPC, total int, vswitches map[string][]string, err error)

	// UpdateVPC reads one VPC of the account and its vSwitches under the
	// VPC's lock, lets fn change the VPC (its name, description, CIDR,
	// DNSHostname, resource group, route table attributes; nothing else is
	// written) and writes it, unless fn returns an error, which UpdateVPC
	// returns unchanged. ErrNotFound for an unknown VPC.
	UpdateVPC(ctx context.Context, accountID, id string, fn func(v *VPC, vswitches []*VSwitch) error) (*VPC, error)

	// DeleteVPC deletes one VPC of the account with its route table:
	// ErrNotFound, or ErrInUse while it has a vSwitch.
	DeleteVPC(ctx context.Context, accountID, id string) error

	// CreateVSwitch inserts s into its VPC: under the VPC's lock it reads
	// the VPC (ErrNotFound when the account has none of that id in s's
	// region) and its vSwitches, refuses when they are limit already
	// (ErrQuotaExceeded), then calls check, whose error it returns
	// unchanged, and inserts. A repeated ClientToken answers the vSwitch
	// created with it, inserting nothing (and calling nothing).
	CreateVSwitch(ctx context.Context, s *VSwitch, limit int, check func(v *VPC, siblings []*VSwitch) error) (*VSwitch, error)

	// GetVSwitch returns one vSwitch of the account, in any region, or
	// ErrNotFound.
	GetVSwitch(ctx context.Context, accountID, id string) (*VSwitch, error)

	// FindVSwitches returns one page of the matching vSwitches, oldest
	// first, and how many match in all.
	FindVSwitches(ctx context.Context, f VSwitchFilter) (page []*VSwitch, total int, err error)

	// UpdateVSwitch reads one vSwitch of the account under its lock, lets
	// fn change its name and description, and writes it (fn's error is
	// returned unchanged). ErrNotFound for an unknown vSwitch.
	UpdateVSwitch(ctx context.Context, accountID, id string, fn func(*VSwitch) error) (*VSwitch, error)

	// DeleteVSwitch deletes one vSwitch of the account: ErrNotFound, or
	// ErrInUse while an address of it is handed out.
	DeleteVSwitch(ctx context.Context, accountID, id string) error

	// UpdateVPCTags changes the tags of the account's VPCs (kind "vpc") or
	// vSwitches ("vswitch") ids in regionID as slbcert.ApplyTags does:
	// all or nothing. ErrNotFound when one is not the account's in the
	// region; ErrTagLimit when one would carry more than max.
	UpdateVPCTags(ctx context.Context, accountID, regionID, kind string, ids []string, set []slbcert.Tag, remove []string, removeAll bool, max int) error

	// AllocateAddress hands out an address of the account's vSwitch
	// a.VSwitchID (ErrNotFound when it has none of that id) to a.Owner,
	// recorded with a's other fields, and returns it. Under one lock for
	// every allocation in the store it reads the vSwitch and the images
	// (localnet.Served) of every address handed out whose image is within
	// the image of the vSwitch's CIDR, in any vSwitch of any account,
	// ascending; pick chooses the address (its error is returned
	// unchanged). No two addresses in the store ever share an image: a
	// pick that would is ErrAlreadyExists.
	AllocateAddress(ctx context.Context, a Address, pick func(vs *VSwitch, taken []netip.Addr) (netip.Addr, error)) (*Address, error)

	// ReleaseAddresses frees every address of the account that owner holds
	// (none is fine).
	ReleaseAddresses(ctx context.Context, accountID, owner string) error

	// TakenImages returns the images of every address handed out, in any
	// account, within images, ascending.
	TakenImages(ctx context.Context, images netip.Prefix) ([]netip.Addr, error)

	// FindAddresses returns the account's matching addresses, by vSwitch
	// then address.
	FindAddresses(ctx context.Context, f AddressFilter) ([]*Address, error)
}
