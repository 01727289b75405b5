package ecs

import (
	"context"
	"errors"
	"slices"
	"strings"

	"slbcert"
)

// CreateSecurityGroupInput carries CreateSecurityGroup's parameters.
type CreateSecurityGroupInput struct {
	RegionID, VpcID, Name, Description, Type string
	ResourceGroupID, ClientToken, DryRun     string
	Tags                                     []slbcert.Tag
}

// CreateSecurityGroup creates a group without rules in a VPC of the
// account. The checks, the first failure answering: region; RAM
// ecs:CreateSecurityGroup on securitygroup/*; VpcId missing (403
// InvalidVpcId.NotFound: every region here is VPC-only); name,
// description, type, resource group, tags; the VPC unknown (404); the
// account's groups in the region at their quota (403
// QuotaExceed.SecurityGroup). A ClientToken given before answers the
// group it created.
func (s *Service) CreateSecurityGroup(ctx context.Context, p *slbcert.Principal, in CreateSecurityGroupInput) (*SecurityGroup, error) {
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(p, "CreateSecurityGroup", ARN(reg.ID, p.Account.ID, "securitygroup", "*")); err != nil {
		return nil, err
	}
	if in.VpcID == "" {
		e := errorf(EVpcNotFound, "vpc id must not empty when only support vpc vm.")
		e.HTTPStatus = 403
		return nil, e
	}
	if err := checkName(ESecurityGroupName, "SecurityGroupName", in.Name); err != nil {
		return nil, err
	}
	if err := checkDescription(EDescription, "Description", in.Description); err != nil {
		return nil, err
	}
	groupType := in.Type
	switch groupType {
	case "":
		groupType = GroupTypeNormal
	case GroupTypeNormal, GroupTypeEnterprise:
	default:
		return nil, errorf(ESecurityGroupType, "The specified SecurityGroupType %q is not valid: normal or enterprise.", in.Type)
	}
	group, err := p.Account.ResourceGroup(in.ResourceGroupID)
	if err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	if len(in.ClientToken) > 64 {
		return nil, errorf(slbcert.EInvalidParameter, "The specified ClientToken is not valid: at most 64 ASCII characters.")
	}
	dryRun, err := parseBool("DryRun", in.DryRun, false)
	if err != nil {
		return nil, err
	}
	net, err := s.network()
	if err != nil {
		return nil, err
	}
	if err := net.CheckVPC(ctx, p.Account.ID, reg.ID, in.VpcID); err != nil {
		if errors.Is(err, slbcert.ErrNotFound) {
			return nil, errVpcNotFound(in.VpcID)
		}
		return nil, err
	}
	if dryRun {
		return nil, errDryRun()
	}
	if prev, err := s.byClientToken(ctx, p, reg.ID, in.ClientToken); err != nil || prev != nil {
		return prev, err
	}
	policy := "Accept"
	if groupType == GroupTypeEnterprise {
		policy = "Drop"
	}
	g := &SecurityGroup{
		ID: newSecurityGroupID(reg.ID), AccountID: p.Account.ID, RegionID: reg.ID,
		Name: in.Name, Description: in.Description, Type: groupType, VpcID: in.VpcID,
		ResourceGroupID: group, InnerAccessPolicy: policy, ClientToken: in.ClientToken,
		CreationTime: s.now(), Tags: orNoTags(in.Tags), Permissions: []Permission{},
	}
	err = s.Store.CreateSecurityGroup(ctx, g, p.Account.Quota(QuotaSecurityGroups, DefaultSecurityGroupsQuota))
	switch {
	case errors.Is(err, slbcert.ErrQuotaExceeded):
		return nil, errorf(ESecurityGroupQuota, "The maximum number of security groups is reached in region %s.", reg.ID)
	case errors.Is(err, slbcert.ErrAlreadyExists):
		// The same token, created meanwhile by another request.
		return s.byClientToken(ctx, p, reg.ID, in.ClientToken)
	}
	return g, storeError(err, nil)
}

// byClientToken returns the group an earlier CreateSecurityGroup with
// token made, or nil.
func (s *Service) byClientToken(ctx context.Context, p *slbcert.Principal, regionID, token string) (*SecurityGroup, error) {
	if token == "" {
		return nil, nil
	}
	list, err := s.Store.FindSecurityGroups(ctx, SecurityGroupFilter{AccountID: p.Account.ID, RegionID: regionID, ClientToken: token})
	if err != nil || len(list) == 0 {
		return nil, storeError(err, nil)
	}
	return list[0], nil
}

func orNoTags(tags []slbcert.Tag) []slbcert.Tag {
	if tags == nil {
		return []slbcert.Tag{}
	}
	return slices.Clone(tags)
}

// group returns the account's group id in the region (regionID "" for
// the group's own, which must be authorized), authorized for action on
// its ARN: 404 InvalidSecurityGroupId.NotFound for another account's,
// another region's or an unknown one.
func (s *Service) group(ctx context.Context, p *slbcert.Principal, action, regionID, id string) (*SecurityGroup, error) {
	if regionID != "" {
		reg, err := s.region(p, regionID)
		if err != nil {
			return nil, err
		}
		regionID = reg.ID
	}
	if err := s.authorize(p, action, ARN(orStar(regionID), p.Account.ID, "securitygroup", orStar(id))); err != nil {
		return nil, err
	}
	if id == "" {
		return nil, slbcert.MissingParameter("SecurityGroupId")
	}
	list, err := s.Store.FindSecurityGroups(ctx, SecurityGroupFilter{AccountID: p.Account.ID, RegionID: regionID, IDs: []string{id}})
	if err != nil {
		return nil, storeError(err, nil)
	}
	if len(list) == 0 {
		return nil, errSecurityGroupNotFound(id)
	}
	if _, err := s.knownRegion(p, list[0].RegionID); err != nil {
		return nil, err
	}
	return list[0], nil
}

// DescribeSecurityGroupsInput carries DescribeSecurityGroups's parameters.
type DescribeSecurityGroupsInput struct {
	RegionID, SecurityGroupID, SecurityGroupIDs, Name, Type string
	VpcID, NetworkType, ResourceGroupID, FuzzyQuery, DryRun string
	Tags                                                    []slbcert.Tag
	Page                                                    Page
}

// SecurityGroupView is a group as DescribeSecurityGroups reports it.
type SecurityGroupView struct {
	*SecurityGroup
	// Instances is how many instances are in the group.
	Instances int
}

// InstancesPerGroup is how many instances a group may hold: Alibaba's
// limits for normal and enterprise groups (AvailableInstanceAmount).
func InstancesPerGroup(groupType string) int {
	if groupType == GroupTypeEnterprise {
		return 65536
	}
	return 2000
}

// DescribeSecurityGroups lists the account's groups in the region that
// match every filter given, oldest first: SecurityGroupId (Terraform's
// singular form), SecurityGroupIds (a JSON array, up to 100),
// SecurityGroupName (exact, or a substring with FuzzyQuery), type, VpcId,
// NetworkType (vpc; classic matches none), ResourceGroupId, Tag.N. Pages
// of PageSize (1–50, default 10), or MaxResults (1–100, default 10) with
// NextToken.
func (s *Service) DescribeSecurityGroups(ctx context.Context, p *slbcert.Principal, in DescribeSecurityGroupsInput) (Paged[SecurityGroupView], error) {
	var none Paged[SecurityGroupView]
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return none, err
	}
	if err := s.authorize(p, "DescribeSecurityGroups", ARN(reg.ID, p.Account.ID, "securitygroup", "*")); err != nil {
		return none, err
	}
	w, err := in.Page.window(10, 50, 10, 100)
	if err != nil {
		return none, err
	}
	ids, err := parseIDList("SecurityGroupIds", in.SecurityGroupIDs, 100)
	if err != nil {
		return none, err
	}
	if in.SecurityGroupID != "" {
		ids = append(ids, in.SecurityGroupID)
	}
	if in.NetworkType != "" && in.NetworkType != "vpc" && in.NetworkType != "classic" {
		return none, errorf(ENetworkType, "The specified NetworkType %q is not valid: vpc or classic.", in.NetworkType)
	}
	if err := slbcert.CheckResourceGroupID("ResourceGroupId", in.ResourceGroupID); err != nil {
		return none, err
	}
	if err := checkTagFilters(in.Tags); err != nil {
		return none, err
	}
	fuzzy, err := parseBool("FuzzyQuery", in.FuzzyQuery, false)
	if err != nil {
		return none, err
	}
	if dry, err := parseBool("DryRun", in.DryRun, false); err != nil || dry {
		return none, orDryRun(err)
	}
	groups, err := s.Store.FindSecurityGroups(ctx, SecurityGroupFilter{AccountID: p.Account.ID, RegionID: reg.ID, IDs: ids})
	if err != nil {
		return none, storeError(err, nil)
	}
	var groupIDs []string
	for _, g := range groups {
		groupIDs = append(groupIDs, g.ID)
	}
	members, err := s.Store.GroupMembers(ctx, p.Account.ID, reg.ID, groupIDs)
	if err != nil {
		return none, storeError(err, nil)
	}
	list := []SecurityGroupView{}
	for _, g := range groups {
		switch {
		case len(ids) > 0 && !slices.Contains(ids, g.ID),
			in.Name != "" && !fuzzy && g.Name != in.Name,
			in.Name != "" && fuzzy && !strings.Contains(g.Name, in.Name),
			in.Type != "" && g.Type != in.Type,
			in.VpcID != "" && g.VpcID != in.VpcID,
			in.NetworkType == "classic",
			in.ResourceGroupID != "" && g.ResourceGroupID != in.ResourceGroupID && g.ResourceGroupID != p.Account.DefaultResourceGroupID(),
			!hasTags(g.Tags, in.Tags):
			continue
		}
		list = append(list, SecurityGroupView{SecurityGroup: g, Instances: members[g.ID]})
	}
	return paginate(list, w), nil
}

// orDryRun is err, or the DryRun answer when there is none.
func orDryRun(err error) error {
	if err != nil {
		return err
	}
	return errDryRun()
}

// GroupAttributeInput carries DescribeSecurityGroupAttribute's parameters.
type GroupAttributeInput struct {
	RegionID, SecurityGroupID, Direction, NicType string
	MaxResults, NextToken                         string
}

// GroupAttribute is DescribeSecurityGroupAttribute's answer: the group and
// one page of its rules.
type GroupAttribute struct {
	*SecurityGroup
	Rules     []Permission
	NextToken string
}

// DescribeSecurityGroupAttribute returns the group and its rules of
// Direction (ingress, egress, or all: the default) and NicType. An
// unknown NicType filters nothing: Terraform's rule resource sends the
// literal "<nil>" when nic_type is not configured, and Alibaba Cloud
// answers it (spec-neighbourhood.md §3.2). Rules come MaxResults
// (10–1000, default 500) a page.
func (s *Service) DescribeSecurityGroupAttribute(ctx context.Context, p *slbcert.Principal, in GroupAttributeInput) (*GroupAttribute, error) {
	g, err := s.group(ctx, p, "DescribeSecurityGroupAttribute", in.RegionID, in.SecurityGroupID)
	if err != nil {
		return nil, err
	}
	switch in.Direction {
	case "", "all", Ingress, Egress:
	default:
		return nil, errorf(slbcert.EInvalidParameter, "The specified Direction %q is not valid: ingress, egress or all.", in.Direction)
	}
	w, err := Page{MaxResults: in.MaxResults, NextToken: in.NextToken}.window(500, 1000, 500, 1000)
	if err != nil {
		return nil, err
	}
	nic := in.NicType
	if nic != "intranet" && nic != "internet" {
		nic = ""
	}
	rules := []Permission{}
	for _, r := range g.Permissions {
		if (in.Direction == Ingress || in.Direction == Egress) && r.Direction != in.Direction {
			continue
		}
		if nic != "" && r.NicType != nic {
			continue
		}
		rules = append(rules, r)
	}
	page := paginate(rules, w)
	return &GroupAttribute{SecurityGroup: g, Rules: page.Items, NextToken: page.NextToken}, nil
}

// ModifySecurityGroupAttribute renames a group or changes its
// description; "" keeps either.
func (s *Service) ModifySecurityGroupAttribute(ctx context.Context, p *slbcert.Principal, regionID, id, name, description string) error {
	g, err := s.group(ctx, p, "ModifySecurityGroupAttribute", regionID, id)
	if err != nil {
		return err
	}
	if err := checkName(ESecurityGroupName, "SecurityGroupName", name); err != nil {
		return err
	}
	if err := checkDescription(EDescription, "Description", description); err != nil {
		return err
	}
	_, err = s.Store.UpdateSecurityGroup(ctx, p.Account.ID, g.ID, func(g *SecurityGroup) error {
		if name != "" {
			g.Name = name
		}
		if description != "" {
			g.Description = description
		}
		return nil
	})
	return storeError(err, errSecurityGroupNotFound(id))
}

// ModifySecurityGroupPolicy sets whether the group's instances reach each
// other (InnerAccessPolicy Accept or Drop, any case). An enterprise group's
// policy is always Drop.
func (s *Service) ModifySecurityGroupPolicy(ctx context.Context, p *slbcert.Principal, regionID, id, policy string) error {
	g, err := s.group(ctx, p, "ModifySecurityGroupPolicy", regionID, id)
	if err != nil {
		return err
	}
	var value string
	switch {
	case policy == "":
		return slbcert.MissingParameter("InnerAccessPolicy")
	case strings.EqualFold(policy, "Accept"):
		value = "Accept"
	case strings.EqualFold(policy, "Drop"):
		value = "Drop"
	default:
		return errorf(EInnerAccessPolicy, "The specified InnerAccessPolicy %q is not valid: Accept or Drop.", policy)
	}
	if g.Type == GroupTypeEnterprise && value != "Drop" {
		return errorf(EOperationDenied, "The InnerAccessPolicy of an enterprise security group is always Drop.")
	}
	_, err = s.Store.UpdateSecurityGroup(ctx, p.Account.ID, g.ID, func(g *SecurityGroup) error {
		g.InnerAccessPolicy = value
		return nil
	})
	return storeError(err, errSecurityGroupNotFound(id))
}

// DeleteSecurityGroup deletes a group that no instance is in and no other
// group's rule names: else 403 DependencyViolation (DeleteSecurityGroup
// page); unknown: 404 InvalidSecurityGroupId.NotFound.
func (s *Service) DeleteSecurityGroup(ctx context.Context, p *slbcert.Principal, regionID, id string) error {
	g, err := s.group(ctx, p, "DeleteSecurityGroup", regionID, id)
	if err != nil {
		return err
	}
	err = s.Store.DeleteSecurityGroup(ctx, p.Account.ID, g.ID)
	switch {
	case errors.Is(err, ErrGroupHasInstances):
		return errorf(EDependencyViolation, "There is still instance(s) in the specified security group.")
	case errors.Is(err, ErrGroupReferenced):
		return errorf(EDependencyViolation, "The specified security group has been authorized in another one.")
	}
	return storeError(err, errSecurityGroupNotFound(id))
}
