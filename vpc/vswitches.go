package vpc

import (
	"context"
	"errors"

	"slbcert"
)

// CreateVSwitchInput is CreateVSwitch's parameters, parsed.
type CreateVSwitchInput struct {
	// RegionID is optional: the VPC's region when "".
	RegionID    string
	VPCID       string
	ZoneID      string
	CidrBlock   string
	Name        string
	Description string
	ClientToken string
	Tags        []slbcert.Tag
	// IPv6 is true when an Ipv6CidrBlock or VpcIpv6CidrBlock was given.
	IPv6   bool
	DryRun bool
}

// CreateVSwitch creates a vSwitch, Available at once (CreateVSwitch).
// Checks, in order: the region when given; VpcId, ZoneId, CidrBlock
// present; the VPC (404 InvalidVpcId.NotFound; RAM vpc:CreateVSwitch on
// vswitch/* and on the VPC); the zone in the VPC's region (404
// InvalidZoneId.NotFound); the block (InvalidCidrBlock.Malformed,
// InvalidCirdrBlock.MaskLength); name, description, tags, ClientToken;
// IPv6 (not served); DryRun; then atomically with the insert: the quota
// (QuotaExceeded.VSwitch), the block inside the VPC's (InvalidParameter),
// apart from every sibling's (InvalidCidrBlock.Overlapped).
func (s *Service) CreateVSwitch(ctx context.Context, p *slbcert.Principal, in CreateVSwitchInput) (*VSwitch, error) {
	if in.RegionID != "" {
		if _, err := s.region(p, in.RegionID); err != nil {
			return nil, err
		}
	}
	switch {
	case in.VPCID == "":
		return nil, slbcert.MissingParameter("VpcId")
	case in.ZoneID == "":
		return nil, slbcert.MissingParameter("ZoneId")
	case in.CidrBlock == "":
		return nil, slbcert.MissingParameter("CidrBlock")
	}
	v, err := s.getVPC(ctx, p, "CreateVSwitch", in.RegionID, in.VPCID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(p, "CreateVSwitch", ARN(v.RegionID, p.Account.ID, kindVSwitch, "*")); err != nil {
		return nil, err
	}
	if s.Regions.Lookup(v.RegionID).Zone(in.ZoneID) == nil {
		return nil, slbcert.Errorf(EZoneNotFound, "%s (ZoneId %q in %s)", MsgZoneNotFound, in.ZoneID, v.RegionID)
	}
	cidr, err := ParseVSwitchCidr(in.CidrBlock)
	if err != nil {
		return nil, err
	}
	if err := checkText(EVSwitchName, "VSwitchName", in.Name, 128); err != nil {
		return nil, err
	}
	if err := checkText(EVSwitchDesc, "Description", in.Description, 256); err != nil {
		return nil, err
	}
	if err := slbcert.CheckTagsToWrite(in.Tags, "Tag"); err != nil {
		return nil, err
	}
	if err := checkClientToken(in.ClientToken); err != nil {
		return nil, err
	}
	if in.IPv6 {
		return nil, errIPv6("Ipv6CidrBlock")
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	sw := &VSwitch{
		ID:          newID("vsw", v.RegionID, 18),
		AccountID:   p.Account.ID,
		RegionID:    v.RegionID,
		VPCID:       v.ID,
		ZoneID:      in.ZoneID,
		Name:        in.Name,
		Description: in.Description,
		CidrBlock:   cidr,
		Status:      StatusAvailable,
		ClientToken: in.ClientToken,
		CreateTime:  s.now(),
		Tags:        slbcert.DedupeTags(in.Tags),
	}
	limit := p.Account.Quota(QuotaVSwitches, DefaultVSwitchQuota)
	got, err := s.Store.CreateVSwitch(ctx, sw, limit, func(v *VPC, siblings []*VSwitch) error {
		return checkVSwitchCidr(v, siblings, cidr)
	})
	if errors.Is(err, slbcert.ErrQuotaExceeded) {
		return nil, slbcert.Errorf(EVSwitchQuota, "The number of vSwitches in VPC %s has reached the quota (%d).", v.ID, limit)
	}
	return got, storeError(err, errVPCNotFound(v.ID))
}

// VSwitchView is a vSwitch as the Describe operations show it, with how
// many of its addresses can still be handed out.
type VSwitchView struct {
	*VSwitch
	AvailableIPAddressCount int64
}

// DescribeVSwitchesInput is DescribeVSwitches' parameters, parsed.
type DescribeVSwitchesInput struct {
	// RegionID or VPCID is required; without RegionID, the VPC's region.
	RegionID        string
	VPCID           string
	VSwitchIDs      string // comma-separated
	ZoneID          string
	Name            string
	ResourceGroupID string
	RouteTableID    string
	Tags            []slbcert.Tag
	// IsDefault and EnableIPv6 true match nothing; VSwitchOwnerID only
	// the caller's account id.
	IsDefault, EnableIPv6 *bool
	VSwitchOwnerID        string
	Paging
	DryRun bool
}

// VSwitchPage is one page of DescribeVSwitches.
type VSwitchPage struct {
	VSwitches []VSwitchView
	Total     int
	Paging
}

// DescribeVSwitches lists the account's vSwitches, oldest first
// (DescribeVSwitches): RegionId or VpcId (MissingParameter RegionId); RAM
// vpc:DescribeVSwitches on vswitch/*; the filters; the page (1–50,
// default 10). Filters that match nothing are an empty list, never an
// error.
func (s *Service) DescribeVSwitches(ctx context.Context, p *slbcert.Principal, in DescribeVSwitchesInput) (*VSwitchPage, error) {
	regionID := in.RegionID
	if regionID == "" && in.VPCID != "" {
		v, err := s.Store.GetVPC(ctx, p.Account.ID, in.VPCID)
		switch {
		case err == nil:
			regionID = v.RegionID
		case !errors.Is(err, slbcert.ErrNotFound):
			return nil, storeError(err, nil)
		}
	}
	page, err := in.Paging.resolve(defaultPageSize, maxPageSize)
	if err != nil {
		return nil, err
	}
	out := &VSwitchPage{VSwitches: []VSwitchView{}, Paging: page}
	if regionID == "" && in.VPCID != "" {
		// an unknown VPC, and no region to look in: nothing matches
		if err := s.authorize(p, "DescribeVSwitches", ARN("*", p.Account.ID, kindVSwitch, "*")); err != nil {
			return nil, err
		}
		return out, nil
	}
	reg, err := s.region(p, regionID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(p, "DescribeVSwitches", ARN(reg.ID, p.Account.ID, kindVSwitch, "*")); err != nil {
		return nil, err
	}
	if err := slbcert.CheckResourceGroupID("ResourceGroupId", in.ResourceGroupID); err != nil {
		return nil, err
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	if isTrue(in.IsDefault) || isTrue(in.EnableIPv6) || (in.VSwitchOwnerID != "" && in.VSwitchOwnerID != p.Account.ID) {
		return out, nil
	}
	list, total, err := s.Store.FindVSwitches(ctx, VSwitchFilter{AccountID: p.Account.ID, RegionID: reg.ID,
		IDs: splitIDs(in.VSwitchIDs), VPCID: in.VPCID, ZoneID: in.ZoneID, Name: in.Name,
		ResourceGroupID: in.ResourceGroupID, RouteTableID: in.RouteTableID, Tags: in.Tags,
		Offset: page.offset(), Limit: page.PageSize})
	if err != nil {
		return nil, storeError(err, nil)
	}
	out.Total = total
	for _, sw := range list {
		n, err := s.availableIn(ctx, sw)
		if err != nil {
			return nil, storeError(err, nil)
		}
		out.VSwitches = append(out.VSwitches, VSwitchView{VSwitch: sw, AvailableIPAddressCount: n})
	}
	return out, nil
}

// VSwitchDetail is DescribeVSwitchAttributes' answer.
type VSwitchDetail struct {
	VSwitchView
	CloudResources []CloudResource
}

// DescribeVSwitchAttributes returns one vSwitch (DescribeVSwitchAttributes):
// see getVSwitch (RegionId optional; 404 InvalidVSwitchId.NotFound).
func (s *Service) DescribeVSwitchAttributes(ctx context.Context, p *slbcert.Principal, regionID, id string, dryRun bool) (*VSwitchDetail, error) {
	sw, err := s.getVSwitch(ctx, p, "DescribeVSwitchAttributes", regionID, id)
	if err != nil {
		return nil, err
	}
	if dryRun {
		return nil, errDryRun()
	}
	n, err := s.availableIn(ctx, sw)
	if err != nil {
		return nil, storeError(err, nil)
	}
	res, err := s.cloudResources(ctx, p.Account.ID, []string{sw.ID})
	if err != nil {
		return nil, err
	}
	if res == nil {
		res = []CloudResource{}
	}
	return &VSwitchDetail{VSwitchView: VSwitchView{VSwitch: sw, AvailableIPAddressCount: n}, CloudResources: res}, nil
}

// ModifyVSwitchInput is ModifyVSwitchAttribute's parameters: "" leaves a
// value as it is.
type ModifyVSwitchInput struct {
	RegionID, VSwitchID string
	Name, Description   string
	EnableIPv6          *bool
}

// ModifyVSwitchAttribute renames and redescribes a vSwitch
// (ModifyVSwitchAttribute): see getVSwitch; VSwitchName, Description;
// EnableIPv6=true is not served.
func (s *Service) ModifyVSwitchAttribute(ctx context.Context, p *slbcert.Principal, in ModifyVSwitchInput) error {
	sw, err := s.getVSwitch(ctx, p, "ModifyVSwitchAttribute", in.RegionID, in.VSwitchID)
	if err != nil {
		return err
	}
	if err := checkText(EVSwitchName, "VSwitchName", in.Name, 128); err != nil {
		return err
	}
	if err := checkText(EVSwitchDesc, "Description", in.Description, 256); err != nil {
		return err
	}
	if isTrue(in.EnableIPv6) {
		return errIPv6("EnableIPv6")
	}
	_, err = s.Store.UpdateVSwitch(ctx, p.Account.ID, sw.ID, func(sw *VSwitch) error {
		if in.Name != "" {
			sw.Name = in.Name
		}
		if in.Description != "" {
			sw.Description = in.Description
		}
		return nil
	})
	return storeError(err, errVSwitchNotFound(sw.ID))
}

// DeleteVSwitch deletes a vSwitch (DeleteVSwitch): see getVSwitch; DryRun;
// 400 DependencyViolation while an address of it is handed out (a load
// balancer, an instance, an ENI).
func (s *Service) DeleteVSwitch(ctx context.Context, p *slbcert.Principal, regionID, id string, dryRun bool) error {
	sw, err := s.getVSwitch(ctx, p, "DeleteVSwitch", regionID, id)
	if err != nil {
		return err
	}
	if dryRun {
		return errDryRun()
	}
	err = s.Store.DeleteVSwitch(ctx, p.Account.ID, sw.ID)
	if errors.Is(err, slbcert.ErrInUse) {
		return slbcert.Errorf(EDependency, "Specified object has dependent resources: vSwitch %s still holds the addresses of instances or load balancers.", sw.ID)
	}
	return storeError(err, errVSwitchNotFound(sw.ID))
}
