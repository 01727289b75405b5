package ecs

import (
	"context"
	"net/netip"
	"time"

	"slbcert"
)

// SecurityGroup is one security group with its rules. Rules are recorded
// and answered; nothing filters traffic by them (docs/choices.md, "ECS").
type SecurityGroup struct {
	ID, AccountID, RegionID string
	Name, Description       string
	Type                    string // GroupTypeNormal or GroupTypeEnterprise
	VpcID                   string
	ResourceGroupID         string
	InnerAccessPolicy       string // Accept or Drop
	ClientToken             string // "" when none was given
	CreationTime            time.Time
	Tags                    []slbcert.Tag
	// Permissions are the rules, both directions, in the order authorized.
	Permissions []Permission
}

// Security group types.
const (
	GroupTypeNormal     = "normal"
	GroupTypeEnterprise = "enterprise"
)

// Permission is one rule of a security group, its fields as
// DescribeSecurityGroupAttribute reports them: CIDRs exactly as sent,
// IpProtocol upper-case, Policy capitalised.
type Permission struct {
	ID                      string // sgr-…
	Direction               string // ingress or egress
	IPProtocol              string // TCP, UDP, ICMP, ICMPV6, GRE, ALL
	PortRange               string // "22/22", "-1/-1"
	SourcePortRange         string
	Policy                  string // Accept or Drop
	Priority                int    // 1–100
	NicType                 string // intranet or internet
	SourceCidrIP            string
	DestCidrIP              string
	IPv6SourceCidrIP        string
	IPv6DestCidrIP          string
	SourceGroupID           string
	DestGroupID             string
	SourceGroupOwnerAccount string
	DestGroupOwnerAccount   string
	SourcePrefixListID      string
	DestPrefixListID        string
	Description             string
	CreateTime              time.Time
}

// Directions of a rule.
const (
	Ingress = "ingress"
	Egress  = "egress"
)

// Instance is one ECS instance with its primary network interface and its
// system disk, which live and die with it.
type Instance struct {
	ID, AccountID, RegionID, ZoneID string
	Name, Description, HostName     string
	InstanceType, ImageID           string
	Status                          string
	VpcID, VSwitchID                string
	// PrivateIP is the primary private address, from the vSwitch.
	PrivateIP netip.Addr
	// SecurityGroupIDs are the groups the instance is in, in the order given.
	SecurityGroupIDs   []string
	InstanceChargeType string
	UserData           string // base64, exactly as sent; "" for none
	DeletionProtection bool
	ResourceGroupID    string
	StoppedMode        string // StoppedModeNotApplicable while running
	ClientToken        string // "" when none was given
	CreationTime       time.Time
	StartTime          time.Time
	Tags               []slbcert.Tag
	ENI                NetworkInterface
	SystemDisk         Disk
	// Settings are what the instance was created or modified with and is
	// only reported back.
	Settings InstanceSettings
}

// Instance statuses (Alibaba's "Instance states" page). Changes are
// synchronous here: an instance is Running when RunInstances answers and
// Stopped when StopInstance does (docs/choices.md, "ECS").
const (
	StatusPending  = "Pending"
	StatusStarting = "Starting"
	StatusRunning  = "Running"
	StatusStopping = "Stopping"
	StatusStopped  = "Stopped"
)

// StoppedMode values.
const (
	StoppedModeNotApplicable = "Not-applicable"
	StoppedModeKeepCharging  = "KeepCharging"
	StoppedModeStopCharging  = "StopCharging"
)

// NetworkInterface is an instance's primary network interface: its
// address is the instance's PrivateIP, its vSwitch and groups the
// instance's.
type NetworkInterface struct {
	ID         string // eni-…
	MacAddress string
	Tags       []slbcert.Tag
}

// Disk is an instance's system disk.
type Disk struct {
	ID               string // d-…
	Category         string
	SizeGiB          int
	Name             string
	Description      string
	PerformanceLevel string // ESSDs only
	Tags             []slbcert.Tag
}

// InstanceSettings are an instance's settings that nothing acts on here
// and that are reported as set, with what the catalogue said of its type
// and image at creation (so that a later catalogue does not change them).
type InstanceSettings struct {
	InstanceTypeFamily          string
	CPU                         int
	MemoryMiB                   int
	OSName, OSNameEn, OSType    string
	InternetChargeType          string
	InternetMaxBandwidthIn      int
	InternetMaxBandwidthOut     int
	SpotStrategy                string
	SpotPriceLimit              float64
	SpotDuration                int
	SpotInterruptionBehavior    string
	CreditSpecification         string
	AutoReleaseTime             string
	RAMRoleName                 string
	HTTPEndpoint, HTTPTokens    string
	HTTPPutResponseHopLimit     int
	SecurityEnhancementStrategy string
	EnableJumboFrame            bool
	DeploymentSetID             string
	HpcClusterID                string
}

// SecurityGroupFilter selects security groups. Zero fields do not filter.
type SecurityGroupFilter struct {
	AccountID   string // required
	RegionID    string
	IDs         []string
	ClientToken string
}

// InstanceFilter selects instances. Zero fields do not filter.
type InstanceFilter struct {
	AccountID string // required
	RegionID  string
	IDs       []string
	// ClientTokens selects the instances created with one of these tokens.
	ClientTokens []string
	// DiskIDs and ENIIDs select the instances owning those disks and
	// network interfaces.
	DiskIDs, ENIIDs []string
}

// Tag targets: the resources whose tags UpdateECSTags changes.
const (
	ResourceInstance      = "instance"
	ResourceSecurityGroup = "securitygroup"
	ResourceDisk          = "disk"
	ResourceENI           = "eni"
	ResourceImage         = "image"
)

// ErrGroupHasInstances and ErrGroupReferenced are returned by
// DeleteSecurityGroup for a group still in use: by an instance, or by
// another group's rule. Both are slbcert.ErrInUse.
var (
	ErrGroupHasInstances = inUse("security group has instances")
	ErrGroupReferenced   = inUse("security group is referenced by another group's rule")
)

type inUseError string

func (e inUseError) Error() string        { return string(e) }
func (e inUseError) Is(target error) bool { return target == slbcert.ErrInUse }

func inUse(msg string) error { return inUseError(msg) }

// Store keeps ECS's security groups and instances. Like every store here
// it is dumb: validation and authorization happen in Service. Writes that
// return nil are durable; writes that return an error changed nothing.
// Every read and write is scoped to one account: another account's
// records are not found. Lists come back in creation order (then id).
type Store interface {
	// CreateSecurityGroup inserts g unless the account holds limit
	// groups in g's region (ErrQuotaExceeded) or already has a group with
	// g's non-empty ClientToken (ErrAlreadyExists). Count and insert are
	// atomic across servers sharing the database.
	CreateSecurityGroup(ctx context.Context, g *SecurityGroup, limit int) error

	// FindSecurityGroups returns the account's groups matching f.
	FindSecurityGroups(ctx context.Context, f SecurityGroupFilter) ([]*SecurityGroup, error)

	// UpdateSecurityGroup locks the account's group id, calls fn on a
	// copy and, if fn returns nil, writes the copy back and returns it;
	// fn's error is returned as it is. ErrNotFound for an unknown group;
	// ErrInvalidReference when a rule of the result names a group
	// (SourceGroupID, DestGroupID) the account does not have in the region.
	UpdateSecurityGroup(ctx context.Context, accountID, id string, fn func(*SecurityGroup) error) (*SecurityGroup, error)

	// DeleteSecurityGroup removes the account's group id: ErrNotFound;
	// ErrGroupHasInstances while an instance is in it; ErrGroupReferenced
	// while another group's rule names it.
	DeleteSecurityGroup(ctx context.Context, accountID, id string) error

	// CreateInstances inserts every instance of list (one account, one
	// region) or none: ErrQuotaExceeded when the account would hold more
	// than limit instances in the region; ErrAlreadyExists when one's
	// non-empty ClientToken is taken; ErrInvalidReference when a security
	// group named is not the account's in the region. Count and insert
	// are atomic across servers sharing the database.
	CreateInstances(ctx context.Context, list []*Instance, limit int) error

	// FindInstances returns the account's instances matching f.
	FindInstances(ctx context.Context, f InstanceFilter) ([]*Instance, error)

	// UpdateInstance locks the account's instance id, calls fn on a copy
	// and, if fn returns nil, writes the copy back and returns it; fn's
	// error is returned as it is. ErrNotFound; ErrInvalidReference when a
	// security group of the result is not the account's in the region.
	UpdateInstance(ctx context.Context, accountID, id string, fn func(*Instance) error) (*Instance, error)

	// GroupMembers counts the account's instances in the region that are
	// in each of groupIDs (absent from the map: none).
	GroupMembers(ctx context.Context, accountID, regionID string, groupIDs []string) (map[string]int, error)

	// ImagesInUse lists the images the account's instances in the region
	// run, each once.
	ImagesInUse(ctx context.Context, accountID, regionID string) ([]string, error)

	// DeleteInstance removes the account's instance id, with its network
	// interface and system disk: ErrNotFound.
	DeleteInstance(ctx context.Context, accountID, id string) error

	// UpdateECSTags replaces, in one transaction, the tags of the account's
	// resources ids of kind (ResourceInstance, ResourceSecurityGroup,
	// ResourceDisk, ResourceENI) in region with what fn returns for each;
	// fn's error aborts it all and is returned. ErrNotFound when an id is
	// not the account's in the region.
	UpdateECSTags(ctx context.Context, accountID, regionID, kind string, ids []string, fn func(id string, tags []slbcert.Tag) ([]slbcert.Tag, error)) error
}
