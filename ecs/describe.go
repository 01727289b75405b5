package ecs

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"slbcert"
)

// DescribeInstancesInput carries DescribeInstances's filters.
type DescribeInstancesInput struct {
	RegionID string
	// InstanceIDs, PrivateIPAddresses, InnerIPAddresses, PublicIPAddresses
	// and EipAddresses are JSON arrays, as sent.
	InstanceIDs, PrivateIPAddresses, InnerIPAddresses    string
	PublicIPAddresses, EipAddresses                      string
	VpcID, VSwitchID, ZoneID, SecurityGroupID            string
	InstanceName, InstanceType, InstanceTypeFamily       string
	ImageID, Status, InstanceChargeType                  string
	InternetChargeType, InstanceNetworkType, KeyPairName string
	ResourceGroupID, HpcClusterID, LockReason            string
	IoOptimized, DryRun                                  string
	Tags                                                 []slbcert.Tag
	Page                                                 Page
}

// instanceStatuses are the statuses an instance can have.
var instanceStatuses = []string{StatusPending, StatusStarting, StatusRunning, StatusStopping, StatusStopped}

// DescribeInstances lists the account's instances in the region matching
// every filter, oldest first; a filter nothing matches answers an empty
// list. InstanceName takes '*' as a wildcard; a ResourceGroupId filter
// shows the default group's instances too (the DescribeInstances page).
// Pages of PageSize (1–100, default 10), or MaxResults (1–100, default 10)
// with NextToken, "" on the last page.
func (s *Service) DescribeInstances(ctx context.Context, p *slbcert.Principal, in DescribeInstancesInput) (Paged[*Instance], error) {
	var none Paged[*Instance]
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return none, err
	}
	if err := s.authorize(p, "DescribeInstances", ARN(reg.ID, p.Account.ID, "instance", "*")); err != nil {
		return none, err
	}
	w, err := in.Page.window(10, 100, 10, 100)
	if err != nil {
		return none, err
	}
	ids, err := parseIDList("InstanceIds", in.InstanceIDs, 100)
	if err != nil {
		return none, err
	}
	var ips []string
	for name, v := range map[string]string{"PrivateIpAddresses": in.PrivateIPAddresses, "InnerIpAddresses": in.InnerIPAddresses} {
		list, err := parseIDList(name, v, 100)
		if err != nil {
			return none, err
		}
		ips = append(ips, list...)
	}
	public := false
	for name, v := range map[string]string{"PublicIpAddresses": in.PublicIPAddresses, "EipAddresses": in.EipAddresses} {
		list, err := parseIDList(name, v, 100)
		if err != nil {
			return none, err
		}
		public = public || len(list) > 0
	}
	if in.Status != "" && !slices.Contains(instanceStatuses, in.Status) {
		return none, errorf(EInstanceStatus, "The specified Status %q does not exist.", in.Status)
	}
	if err := checkChargeType(EInstanceChargeType, in.InstanceChargeType); err != nil {
		return none, err
	}
	if in.InstanceNetworkType != "" && in.InstanceNetworkType != "vpc" && in.InstanceNetworkType != "classic" {
		return none, errorf(ENetworkType, "The specified InstanceNetworkType %q does not exist: vpc or classic.", in.InstanceNetworkType)
	}
	if in.LockReason != "" && !slices.Contains([]string{"financial", "security", "recycling", "dedicatedhostfinancial", "refunded"}, in.LockReason) {
		return none, errorf("InvalidLockReason.NotFound", "The specified LockReason %q does not exist.", in.LockReason)
	}
	if err := slbcert.CheckResourceGroupID("ResourceGroupId", in.ResourceGroupID); err != nil {
		return none, err
	}
	if err := checkTagFilters(in.Tags); err != nil {
		return none, err
	}
	io, err := parseBool("IoOptimized", in.IoOptimized, true)
	if err != nil {
		return none, err
	}
	if dry, err := parseBool("DryRun", in.DryRun, false); err != nil || dry {
		return none, orDryRun(err)
	}
	name := wildcard(in.InstanceName)
	all, err := s.Store.FindInstances(ctx, InstanceFilter{AccountID: p.Account.ID, RegionID: reg.ID, IDs: ids})
	if err != nil {
		return none, storeError(err, nil)
	}
	list := []*Instance{}
	for _, i := range all {
		switch {
		case in.VpcID != "" && i.VpcID != in.VpcID,
			in.VSwitchID != "" && i.VSwitchID != in.VSwitchID,
			in.ZoneID != "" && i.ZoneID != in.ZoneID,
			in.SecurityGroupID != "" && !slices.Contains(i.SecurityGroupIDs, in.SecurityGroupID),
			name != nil && !name.MatchString(i.Name),
			in.InstanceType != "" && i.InstanceType != in.InstanceType,
			in.InstanceTypeFamily != "" && i.Settings.InstanceTypeFamily != in.InstanceTypeFamily,
			in.ImageID != "" && i.ImageID != in.ImageID,
			in.Status != "" && i.Status != in.Status,
			in.InstanceChargeType != "" && i.InstanceChargeType != in.InstanceChargeType,
			in.InternetChargeType != "" && i.Settings.InternetChargeType != in.InternetChargeType,
			in.InstanceNetworkType == "classic",
			len(ips) > 0 && !slices.Contains(ips, i.PrivateIP.String()),
			public, // instances have no public address here
			in.KeyPairName != "", in.LockReason != "",
			in.HpcClusterID != "" && i.Settings.HpcClusterID != in.HpcClusterID,
			!io,
			in.ResourceGroupID != "" && i.ResourceGroupID != in.ResourceGroupID && i.ResourceGroupID != p.Account.DefaultResourceGroupID(),
			!hasTags(i.Tags, in.Tags):
			continue
		}
		list = append(list, i)
	}
	return paginate(list, w), nil
}

// wildcard compiles an InstanceName filter: '*' matches any text; without
// one the name must be equal. nil for no filter.
func wildcard(pattern string) *regexp.Regexp {
	if pattern == "" {
		return nil
	}
	parts := strings.Split(pattern, "*")
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	return regexp.MustCompile("^" + strings.Join(parts, ".*") + "$")
}

// DescribeInstanceAttribute returns one instance (no RegionId needed).
func (s *Service) DescribeInstanceAttribute(ctx context.Context, p *slbcert.Principal, regionID, id string) (*Instance, error) {
	return s.instance(ctx, p, "DescribeInstanceAttribute", regionID, id)
}

// DescribeUserData returns one instance, for its user data.
func (s *Service) DescribeUserData(ctx context.Context, p *slbcert.Principal, regionID, id string) (*Instance, error) {
	if _, err := s.region(p, regionID); err != nil {
		return nil, err
	}
	return s.instance(ctx, p, "DescribeUserData", regionID, id)
}

// InstancesByID returns the account's instances of the region among ids
// (all of them when ids is nil), for the read helpers Terraform calls
// (DescribeInstanceRamRole, DescribeInstanceMaintenanceAttributes,
// DescribeInstanceAttachmentAttributes, DescribeInstanceStatus): an id
// that is not found is left out. action names the RAM action.
func (s *Service) InstancesByID(ctx context.Context, p *slbcert.Principal, action, regionID string, ids []string, page Page) (Paged[*Instance], error) {
	var none Paged[*Instance]
	reg, err := s.region(p, regionID)
	if err != nil {
		return none, err
	}
	if err := s.authorize(p, action, ARN(reg.ID, p.Account.ID, "instance", "*")); err != nil {
		return none, err
	}
	if len(ids) > 100 {
		return none, errorf(EIDList, "At most 100 instance ids may be given; got %d.", len(ids))
	}
	w, err := page.window(10, 100, 10, 100)
	if err != nil {
		return none, err
	}
	list, err := s.Store.FindInstances(ctx, InstanceFilter{AccountID: p.Account.ID, RegionID: reg.ID, IDs: ids})
	if err != nil {
		return none, storeError(err, nil)
	}
	return paginate(list, w), nil
}

// ParseIDs reads a JSON array of ids (InstanceIds), for the wire.
func ParseIDs(param, v string) ([]string, error) { return parseIDList(param, v, 100) }

// DescribeNetworkInterfacesInput carries DescribeNetworkInterfaces's filters.
type DescribeNetworkInterfacesInput struct {
	RegionID                                string
	IDs, PrivateIPAddresses                 []string
	InstanceID, VpcID, VSwitchID            string
	SecurityGroupID, Type, Status           string
	PrimaryIPAddress, Name, ResourceGroupID string
	IPv6                                    bool
	Tags                                    []slbcert.Tag
	Page                                    Page
}

// DescribeNetworkInterfaces lists the account's network interfaces in the
// region matching every filter: each instance's primary one (Type Primary,
// Status InUse). Ids that match nothing answer an empty list, which
// Terraform and the cloud controller read as not found.
func (s *Service) DescribeNetworkInterfaces(ctx context.Context, p *slbcert.Principal, in DescribeNetworkInterfacesInput) (Paged[*Instance], error) {
	var none Paged[*Instance]
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return none, err
	}
	if err := s.authorize(p, "DescribeNetworkInterfaces", ARN(reg.ID, p.Account.ID, "networkinterface", "*")); err != nil {
		return none, err
	}
	if len(in.IDs) > 100 || len(in.PrivateIPAddresses) > 100 {
		return none, errorf(slbcert.EInvalidParameter, "At most 100 NetworkInterfaceId.N and PrivateIpAddress.N may be given.")
	}
	w, err := in.Page.window(10, 1000, 10, 500)
	if err != nil {
		return none, err
	}
	switch in.Type {
	case "", "Primary", "Secondary", "Trunk", "Member":
	default:
		return none, errorf(slbcert.EInvalidParameter, "The specified Type %q is not valid: Primary or Secondary.", in.Type)
	}
	switch in.Status {
	case "", "Available", "Attaching", "InUse", "Detaching", "Deleting":
	default:
		return none, errorf(slbcert.EInvalidParameter, "The specified Status %q is not valid.", in.Status)
	}
	if err := checkTagFilters(in.Tags); err != nil {
		return none, err
	}
	f := InstanceFilter{AccountID: p.Account.ID, RegionID: reg.ID, ENIIDs: in.IDs}
	if in.InstanceID != "" {
		f.IDs = []string{in.InstanceID} // Terraform's and the cloud controller's lookup: one row read
	}
	all, err := s.Store.FindInstances(ctx, f)
	if err != nil {
		return none, storeError(err, nil)
	}
	list := []*Instance{}
	for _, i := range all {
		ip := i.PrivateIP.String()
		switch {
		case in.InstanceID != "" && i.ID != in.InstanceID,
			in.VpcID != "" && i.VpcID != in.VpcID,
			in.VSwitchID != "" && i.VSwitchID != in.VSwitchID,
			in.SecurityGroupID != "" && !slices.Contains(i.SecurityGroupIDs, in.SecurityGroupID),
			in.Type != "" && in.Type != "Primary",
			in.Status != "" && in.Status != "InUse",
			in.PrimaryIPAddress != "" && in.PrimaryIPAddress != ip,
			len(in.PrivateIPAddresses) > 0 && !slices.Contains(in.PrivateIPAddresses, ip),
			in.IPv6,
			in.Name != "", // primary interfaces have no name
			in.ResourceGroupID != "" && i.ResourceGroupID != in.ResourceGroupID && i.ResourceGroupID != p.Account.DefaultResourceGroupID(),
			!hasTags(i.ENI.Tags, in.Tags):
			continue
		}
		list = append(list, i)
	}
	return paginate(list, w), nil
}

// DescribeDisksInput carries DescribeDisks's filters.
type DescribeDisksInput struct {
	RegionID, InstanceID, DiskType, DiskIDs, ZoneID, Category string
	Status, DiskName, ResourceGroupID, Portable               string
	Tags                                                      []slbcert.Tag
	Page                                                      Page
}

// DescribeDisks lists the account's disks in the region matching every
// filter: each instance's system disk (In_use). A DiskType of data finds
// none: data disks are not served.
func (s *Service) DescribeDisks(ctx context.Context, p *slbcert.Principal, in DescribeDisksInput) (Paged[*Instance], error) {
	var none Paged[*Instance]
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return none, err
	}
	if err := s.authorize(p, "DescribeDisks", ARN(reg.ID, p.Account.ID, "disk", "*")); err != nil {
		return none, err
	}
	w, err := in.Page.window(10, 100, 10, 500)
	if err != nil {
		return none, err
	}
	ids, err := parseIDList("DiskIds", in.DiskIDs, 100)
	if err != nil {
		return none, err
	}
	switch in.DiskType {
	case "", "all", "system", "data":
	default:
		return none, errorf("InvalidDiskType.ValueNotSupported", "The specified DiskType %q is not valid: all, system or data.", in.DiskType)
	}
	if err := checkTagFilters(in.Tags); err != nil {
		return none, err
	}
	portable, err := parseBool("Portable", in.Portable, false)
	if err != nil {
		return none, err
	}
	f := InstanceFilter{AccountID: p.Account.ID, RegionID: reg.ID, DiskIDs: ids}
	if in.InstanceID != "" {
		f.IDs = []string{in.InstanceID} // Terraform's lookup of a system disk: one row read
	}
	all, err := s.Store.FindInstances(ctx, f)
	if err != nil {
		return none, storeError(err, nil)
	}
	list := []*Instance{}
	for _, i := range all {
		switch {
		case in.InstanceID != "" && i.ID != in.InstanceID,
			in.DiskType == "data", in.Portable != "" && portable,
			in.ZoneID != "" && i.ZoneID != in.ZoneID,
			in.Category != "" && i.SystemDisk.Category != in.Category,
			in.Status != "" && in.Status != "In_use",
			in.DiskName != "" && i.SystemDisk.Name != in.DiskName,
			in.ResourceGroupID != "" && i.ResourceGroupID != in.ResourceGroupID && i.ResourceGroupID != p.Account.DefaultResourceGroupID(),
			!hasTags(i.SystemDisk.Tags, in.Tags):
			continue
		}
		list = append(list, i)
	}
	return paginate(list, w), nil
}
