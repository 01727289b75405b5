package vpc

import (
	"context"
	"errors"
	"net/netip"
	"strings"

	"slbcert"
)

// CreateVPCInput is CreateVpc's parameters, parsed.
type CreateVPCInput struct {
	RegionID string
	// CidrBlock "" takes DefaultVPCCidr.
	CidrBlock         string
	Name              string
	Description       string
	ResourceGroupID   string
	UserCidr          string // comma-separated
	ClientToken       string
	Tags              []slbcert.Tag
	EnableIPv6        bool
	EnableDNSHostname bool
	DryRun            bool
}

// maxUserCidrs bounds UserCidr.
const maxUserCidrs = 3

// CreateVPC creates a VPC with its vRouter and system route table,
// Available at once (CreateVpc). Checks, in order, the first failure
// answering: the region; RAM vpc:CreateVpc on vpc/*; ClientToken;
// CidrBlock (InvalidParameter); VpcName, Description (their Malformed
// codes); ResourceGroupId; UserCidr; tags; EnableIpv6 (not served); DryRun;
// the quota (QuotaExceeded.Vpc). A repeated ClientToken answers the VPC it
// created.
func (s *Service) CreateVPC(ctx context.Context, p *slbcert.Principal, in CreateVPCInput) (*VPC, error) {
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(p, "CreateVpc", ARN(reg.ID, p.Account.ID, kindVPC, "*")); err != nil {
		return nil, err
	}
	if err := checkClientToken(in.ClientToken); err != nil {
		return nil, err
	}
	cidr := DefaultVPCCidr
	if in.CidrBlock != "" {
		if cidr, err = ParseVPCCidr(in.CidrBlock); err != nil {
			return nil, err
		}
	}
	if err := checkText(EVpcName, "VpcName", in.Name, 128); err != nil {
		return nil, err
	}
	if err := checkText(EVpcDescription, "Description", in.Description, 256); err != nil {
		return nil, err
	}
	group, err := p.Account.ResourceGroup(in.ResourceGroupID)
	if err != nil {
		return nil, err
	}
	userCidrs, err := parseUserCidrs(in.UserCidr)
	if err != nil {
		return nil, err
	}
	if err := slbcert.CheckTagsToWrite(in.Tags, "Tag"); err != nil {
		return nil, err
	}
	if in.EnableIPv6 {
		return nil, errIPv6("EnableIpv6")
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	v := &VPC{
		ID:              newID("vpc", reg.ID, 18),
		AccountID:       p.Account.ID,
		RegionID:        reg.ID,
		Name:            in.Name,
		Description:     in.Description,
		CidrBlock:       cidr,
		UserCidrs:       userCidrs,
		VRouterID:       newID("vrt", reg.ID, 18),
		RouteTable:      RouteTable{ID: newID("vtb", reg.ID, 15), RoutePropagation: true},
		ResourceGroupID: group,
		Status:          StatusAvailable,
		DNSHostname:     in.EnableDNSHostname,
		ClientToken:     in.ClientToken,
		CreateTime:      s.now(),
		Tags:            slbcert.DedupeTags(in.Tags),
	}
	got, err := s.Store.CreateVPC(ctx, v, p.Account.Quota(QuotaVPCs, DefaultVPCQuota))
	if errors.Is(err, slbcert.ErrQuotaExceeded) {
		return nil, slbcert.Errorf(EVpcQuota, "The number of VPCs in region %s has reached the quota (%d).", reg.ID, p.Account.Quota(QuotaVPCs, DefaultVPCQuota))
	}
	return got, storeError(err, nil)
}

// parseUserCidrs reads UserCidr: up to three IPv4 CIDR blocks, comma
// separated, kept as given.
func parseUserCidrs(text string) ([]string, error) {
	list := splitIDs(text)
	if len(list) > maxUserCidrs {
		return nil, slbcert.Errorf(EUserCidrQuota, "At most %d UserCidr blocks may be given; got %d.", maxUserCidrs, len(list))
	}
	for _, c := range list {
		p, err := netip.ParsePrefix(c)
		if err != nil || !p.Addr().Is4() || p.Masked() != p {
			return nil, slbcert.Errorf(EUserCidrInvalid, "Specified UserCidr invalid format: %q.", c)
		}
		for _, f := range forbidden {
			if f.Overlaps(p) {
				return nil, slbcert.Errorf(EUserCidrInvalid, "Specified UserCidr invalid format: %q overlaps %s.", c, f)
			}
		}
	}
	return list, nil
}

// VPCView is a VPC as the Describe operations show it, with its vSwitches.
type VPCView struct {
	*VPC
	VSwitchIDs []string
}

// DescribeVPCsInput is DescribeVpcs' parameters, parsed.
type DescribeVPCsInput struct {
	RegionID        string
	VPCIDs          string // comma-separated, at most 20
	Name            string
	ResourceGroupID string
	Tags            []slbcert.Tag
	// IsDefault and EnableIPv6, when given true, match nothing: no VPC
	// here is a default VPC or has IPv6.
	IsDefault, EnableIPv6 *bool
	// DhcpOptionsSetID matches nothing; VpcOwnerID matches only the
	// caller's account id.
	DhcpOptionsSetID string
	VpcOwnerID       string
	Paging
	DryRun bool
}

// VPCPage is one page of DescribeVpcs.
type VPCPage struct {
	VPCs  []VPCView
	Total int
	Paging
}

// maxFilterIDs bounds a comma-separated id filter.
const maxFilterIDs = 20

// DescribeVPCs lists the account's VPCs in the region, oldest first
// (DescribeVpcs): region; RAM vpc:DescribeVpcs on vpc/*; the filters; the
// page (PageSize 1–50, default 10).
func (s *Service) DescribeVPCs(ctx context.Context, p *slbcert.Principal, in DescribeVPCsInput) (*VPCPage, error) {
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(p, "DescribeVpcs", ARN(reg.ID, p.Account.ID, kindVPC, "*")); err != nil {
		return nil, err
	}
	page, err := in.Paging.resolve(defaultPageSize, maxPageSize)
	if err != nil {
		return nil, err
	}
	ids := splitIDs(in.VPCIDs)
	if len(ids) > maxFilterIDs {
		return nil, slbcert.Errorf(slbcert.EInvalidParameter, "At most %d VpcId may be given; got %d.", maxFilterIDs, len(ids))
	}
	if err := slbcert.CheckResourceGroupID("ResourceGroupId", in.ResourceGroupID); err != nil {
		return nil, err
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	out := &VPCPage{VPCs: []VPCView{}, Paging: page}
	if isTrue(in.IsDefault) || isTrue(in.EnableIPv6) || in.DhcpOptionsSetID != "" || (in.VpcOwnerID != "" && in.VpcOwnerID != p.Account.ID) {
		return out, nil
	}
	list, total, vsw, err := s.Store.FindVPCs(ctx, VPCFilter{AccountID: p.Account.ID, RegionID: reg.ID, IDs: ids, Name: in.Name,
		ResourceGroupID: in.ResourceGroupID, Tags: in.Tags, Offset: page.offset(), Limit: page.PageSize})
	if err != nil {
		return nil, storeError(err, nil)
	}
	out.Total = total
	for _, v := range list {
		out.VPCs = append(out.VPCs, VPCView{VPC: v, VSwitchIDs: orEmpty(vsw[v.ID])})
	}
	return out, nil
}

func isTrue(b *bool) bool { return b != nil && *b }

func orEmpty(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// CloudResource counts the resources of one type inside a VPC or vSwitch
// (CloudResources.CloudResourceSetType).
type CloudResource struct {
	Type  string
	Count int
}

// VPCDetail is DescribeVpcAttribute's answer.
type VPCDetail struct {
	VPCView
	CloudResources []CloudResource
}

// DescribeVPCAttribute returns one VPC with its vSwitches and what lives
// in it (DescribeVpcAttribute): region; VpcId; RAM
// vpc:DescribeVpcAttribute on vpc/{id}; 404 InvalidVpcId.NotFound.
func (s *Service) DescribeVPCAttribute(ctx context.Context, p *slbcert.Principal, regionID, id string, dryRun bool) (*VPCDetail, error) {
	if _, err := s.region(p, regionID); err != nil {
		return nil, err
	}
	v, err := s.getVPC(ctx, p, "DescribeVpcAttribute", regionID, id)
	if err != nil {
		return nil, err
	}
	if dryRun {
		return nil, errDryRun()
	}
	vsw, _, err := s.Store.FindVSwitches(ctx, VSwitchFilter{AccountID: p.Account.ID, RegionID: v.RegionID, VPCID: v.ID})
	if err != nil {
		return nil, storeError(err, nil)
	}
	d := &VPCDetail{VPCView: VPCView{VPC: v, VSwitchIDs: []string{}}, CloudResources: []CloudResource{}}
	ids := make([]string, 0, len(vsw))
	for _, sw := range vsw {
		ids = append(ids, sw.ID)
	}
	d.VSwitchIDs = ids
	if len(ids) > 0 {
		d.CloudResources = append(d.CloudResources, CloudResource{Type: "VSwitch", Count: len(ids)})
		res, err := s.cloudResources(ctx, p.Account.ID, ids)
		if err != nil {
			return nil, err
		}
		d.CloudResources = append(d.CloudResources, res...)
	}
	return d, nil
}

// cloudResources counts the holders of the vSwitches' addresses by kind,
// as their id prefixes tell: load balancers (SLB), instances (ECS), ENIs
// (NetworkInterface).
func (s *Service) cloudResources(ctx context.Context, accountID string, vswitchIDs []string) ([]CloudResource, error) {
	addrs, err := s.Store.FindAddresses(ctx, AddressFilter{AccountID: accountID, VSwitchIDs: vswitchIDs})
	if err != nil {
		return nil, storeError(err, nil)
	}
	counts := map[string]map[string]bool{}
	for _, a := range addrs {
		kind := "Other"
		switch {
		case strings.HasPrefix(a.Owner, "lb-"):
			kind = "SLB"
		case strings.HasPrefix(a.Owner, "i-"):
			kind = "ECS"
		case strings.HasPrefix(a.Owner, "eni-"):
			kind = "NetworkInterface"
		}
		if counts[kind] == nil {
			counts[kind] = map[string]bool{}
		}
		counts[kind][a.Owner] = true
	}
	var out []CloudResource
	for _, kind := range []string{"ECS", "NetworkInterface", "SLB", "Other"} {
		if n := len(counts[kind]); n > 0 {
			out = append(out, CloudResource{Type: kind, Count: n})
		}
	}
	return out, nil
}

// ModifyVPCInput is ModifyVpcAttribute's parameters, parsed: "" and nil
// leave a value as it is.
type ModifyVPCInput struct {
	RegionID, VPCID   string
	Name, Description string
	CidrBlock         string
	EnableIPv6        *bool
	EnableDNSHostname *bool
}

// ModifyVPCAttribute renames, redescribes and resizes a VPC
// (ModifyVpcAttribute): the VPC (see getVPC; RegionId optional); VpcName,
// Description; CidrBlock (the VPC rules, and every vSwitch still inside);
// EnableIPv6=true is not served.
func (s *Service) ModifyVPCAttribute(ctx context.Context, p *slbcert.Principal, in ModifyVPCInput) error {
	v, err := s.getVPC(ctx, p, "ModifyVpcAttribute", in.RegionID, in.VPCID)
	if err != nil {
		return err
	}
	if err := checkText(EVpcName, "VpcName", in.Name, 128); err != nil {
		return err
	}
	if err := checkText(EVpcDescription, "Description", in.Description, 256); err != nil {
		return err
	}
	var cidr netip.Prefix
	if in.CidrBlock != "" {
		if cidr, err = ParseVPCCidr(in.CidrBlock); err != nil {
			return err
		}
	}
	if isTrue(in.EnableIPv6) {
		return errIPv6("EnableIPv6")
	}
	_, err = s.Store.UpdateVPC(ctx, p.Account.ID, v.ID, func(v *VPC, vswitches []*VSwitch) error {
		if cidr.IsValid() {
			if err := checkVPCResize(cidr, vswitches); err != nil {
				return err
			}
			v.CidrBlock = cidr
		}
		if in.Name != "" {
			v.Name = in.Name
		}
		if in.Description != "" {
			v.Description = in.Description
		}
		if in.EnableDNSHostname != nil {
			v.DNSHostname = *in.EnableDNSHostname
		}
		return nil
	})
	return storeError(err, errVPCNotFound(v.ID))
}

// DeleteVPC deletes a VPC with its route table (DeleteVpc): the VPC (see
// getVPC; RegionId optional); DryRun; 400 DependencyViolation.VSwitch while
// it has a vSwitch (ForceDelete does not change that: it removes gateways,
// of which there are none here).
func (s *Service) DeleteVPC(ctx context.Context, p *slbcert.Principal, regionID, id string, dryRun bool) error {
	v, err := s.getVPC(ctx, p, "DeleteVpc", regionID, id)
	if err != nil {
		return err
	}
	if dryRun {
		return errDryRun()
	}
	err = s.Store.DeleteVPC(ctx, p.Account.ID, v.ID)
	if errors.Is(err, slbcert.ErrInUse) {
		return slbcert.Errorf(EDependencyVSw, "Specified object has dependent resources[ VSwitch]: VPC %s still has vSwitches.", v.ID)
	}
	return storeError(err, errVPCNotFound(v.ID))
}

// MoveResourceGroup moves a VPC, its route table and its vSwitches to
// another resource group (MoveResourceGroup, ResourceType Vpc in any
// case): region; ResourceType, ResourceId, NewResourceGroupId required;
// ResourceType other than Vpc (InvalidResourceType.NotFound); the group
// well-formed; the VPC (404 InvalidVpcId.NotFound); RAM
// vpc:MoveResourceGroup on vpc/{id}.
func (s *Service) MoveResourceGroup(ctx context.Context, p *slbcert.Principal, regionID, resourceType, id, group string) error {
	if _, err := s.region(p, regionID); err != nil {
		return err
	}
	switch {
	case resourceType == "":
		return slbcert.MissingParameter("ResourceType")
	case id == "":
		return slbcert.MissingParameter("ResourceId")
	case group == "":
		return slbcert.MissingParameter("NewResourceGroupId")
	case !strings.EqualFold(resourceType, "Vpc"):
		return slbcert.Errorf(EResourceType, "The specified ResourceType %q is not supported: Vpc.", resourceType)
	}
	if err := slbcert.CheckResourceGroupID("NewResourceGroupId", group); err != nil {
		return err
	}
	v, err := s.getVPC(ctx, p, "MoveResourceGroup", regionID, id)
	if err != nil {
		return err
	}
	_, err = s.Store.UpdateVPC(ctx, p.Account.ID, v.ID, func(v *VPC, _ []*VSwitch) error {
		v.ResourceGroupID = group
		return nil
	})
	return storeError(err, errVPCNotFound(v.ID))
}
