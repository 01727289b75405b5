package ecsapi

import (
	"context"
	"strconv"

	"slbcert"
	"slbcert/ecs"
	"slbcert/rpc"
)

// ecsTags reads Tag.N.Key / Tag.N.Value.
func ecsTags(c *rpc.Call) []slbcert.Tag { return c.Tags("Tag") }

func tagsOf(tags []slbcert.Tag) tagList {
	out := tagList{Tag: make([]tagItem, 0, len(tags))}
	for _, t := range tags {
		out.Tag = append(out.Tag, tagItem{TagKey: t.Key, TagValue: t.Value})
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

type createSecurityGroupResponse struct {
	base
	SecurityGroupId string
}

func (a *API) createSecurityGroup(ctx context.Context, c *rpc.Call) (any, error) {
	g, err := a.ECS.CreateSecurityGroup(ctx, c.Principal, ecs.CreateSecurityGroupInput{
		RegionID: c.Get("RegionId"), VpcID: c.Get("VpcId"), Name: c.Get("SecurityGroupName"),
		Description: c.Get("Description"), Type: c.Get("SecurityGroupType"), ResourceGroupID: c.Get("ResourceGroupId"),
		ClientToken: c.Get("ClientToken"), DryRun: c.Get("DryRun"), Tags: ecsTags(c),
	})
	if err != nil {
		return nil, err
	}
	return &createSecurityGroupResponse{SecurityGroupId: g.ID}, nil
}

type securityGroupItem struct {
	SecurityGroupId, SecurityGroupName, Description, SecurityGroupType  string
	VpcId, CreationTime, ResourceGroupId                                string
	EcsCount, AvailableInstanceAmount, RuleCount, GroupToGroupRuleCount int
	ServiceManaged                                                      bool
	ServiceID                                                           int64
	Tags                                                                tagList
}

type describeSecurityGroupsResponse struct {
	base
	RegionId                         string
	PageNumber, PageSize, TotalCount int
	NextToken                        string
	SecurityGroups                   struct{ SecurityGroup []securityGroupItem }
}

func (a *API) describeSecurityGroups(ctx context.Context, c *rpc.Call) (any, error) {
	page, err := a.ECS.DescribeSecurityGroups(ctx, c.Principal, ecs.DescribeSecurityGroupsInput{
		RegionID: c.Get("RegionId"), SecurityGroupID: c.Get("SecurityGroupId"), SecurityGroupIDs: c.Get("SecurityGroupIds"),
		Name: c.Get("SecurityGroupName"), Type: c.Get("SecurityGroupType"), VpcID: c.Get("VpcId"),
		NetworkType: c.Get("NetworkType"), ResourceGroupID: c.Get("ResourceGroupId"), FuzzyQuery: c.Get("FuzzyQuery"),
		DryRun: c.Get("DryRun"), Tags: ecsTags(c), Page: pageOf(c),
	})
	if err != nil {
		return nil, err
	}
	out := &describeSecurityGroupsResponse{RegionId: c.Get("RegionId"), PageNumber: page.PageNumber, PageSize: page.PageSize,
		TotalCount: page.TotalCount, NextToken: page.NextToken}
	out.SecurityGroups.SecurityGroup = make([]securityGroupItem, 0, len(page.Items))
	for _, v := range page.Items {
		g := v.SecurityGroup
		groupRules := 0
		for _, r := range g.Permissions {
			if r.SourceGroupID != "" || r.DestGroupID != "" {
				groupRules++
			}
		}
		out.SecurityGroups.SecurityGroup = append(out.SecurityGroups.SecurityGroup, securityGroupItem{
			SecurityGroupId: g.ID, SecurityGroupName: g.Name, Description: g.Description, SecurityGroupType: g.Type,
			VpcId: g.VpcID, CreationTime: seconds(g.CreationTime), ResourceGroupId: g.ResourceGroupID,
			EcsCount: v.Instances, AvailableInstanceAmount: ecs.InstancesPerGroup(g.Type) - v.Instances,
			RuleCount: len(g.Permissions), GroupToGroupRuleCount: groupRules, Tags: tagsOf(g.Tags),
		})
	}
	return out, nil
}

// permissionItem is one rule: Priority is a string on the wire (Terraform
// converts it with Atoi).
type permissionItem struct {
	SecurityGroupRuleId, Direction, IpProtocol, PortRange, SourcePortRange string
	Policy, Priority, NicType                                              string
	SourceCidrIp, DestCidrIp, Ipv6SourceCidrIp, Ipv6DestCidrIp             string
	SourceGroupId, SourceGroupName, SourceGroupOwnerAccount                string
	DestGroupId, DestGroupName, DestGroupOwnerAccount                      string
	SourcePrefixListId, SourcePrefixListName                               string
	DestPrefixListId, DestPrefixListName                                   string
	Description, CreateTime                                                string
}

type describeSecurityGroupAttributeResponse struct {
	base
	RegionId, SecurityGroupId, SecurityGroupName, Description, VpcId string
	InnerAccessPolicy, NextToken                                     string
	Permissions                                                      struct{ Permission []permissionItem }
}

func (a *API) describeSecurityGroupAttribute(ctx context.Context, c *rpc.Call) (any, error) {
	attr, err := a.ECS.DescribeSecurityGroupAttribute(ctx, c.Principal, ecs.GroupAttributeInput{
		RegionID: c.Get("RegionId"), SecurityGroupID: c.Get("SecurityGroupId"), Direction: c.Get("Direction"),
		NicType: c.Get("NicType"), MaxResults: c.Get("MaxResults"), NextToken: c.Get("NextToken"),
	})
	if err != nil {
		return nil, err
	}
	g := attr.SecurityGroup
	out := &describeSecurityGroupAttributeResponse{RegionId: g.RegionID, SecurityGroupId: g.ID, SecurityGroupName: g.Name,
		Description: g.Description, VpcId: g.VpcID, InnerAccessPolicy: g.InnerAccessPolicy, NextToken: attr.NextToken}
	out.Permissions.Permission = make([]permissionItem, 0, len(attr.Rules))
	for _, r := range attr.Rules {
		out.Permissions.Permission = append(out.Permissions.Permission, permissionItem{
			SecurityGroupRuleId: r.ID, Direction: r.Direction, IpProtocol: r.IPProtocol, PortRange: r.PortRange,
			SourcePortRange: r.SourcePortRange, Policy: r.Policy, Priority: strconv.Itoa(r.Priority), NicType: r.NicType,
			SourceCidrIp: r.SourceCidrIP, DestCidrIp: r.DestCidrIP, Ipv6SourceCidrIp: r.IPv6SourceCidrIP, Ipv6DestCidrIp: r.IPv6DestCidrIP,
			SourceGroupId: r.SourceGroupID, SourceGroupOwnerAccount: r.SourceGroupOwnerAccount,
			DestGroupId: r.DestGroupID, DestGroupOwnerAccount: r.DestGroupOwnerAccount,
			SourcePrefixListId: r.SourcePrefixListID, DestPrefixListId: r.DestPrefixListID,
			Description: r.Description, CreateTime: seconds(r.CreateTime),
		})
	}
	return out, nil
}

// ruleFields are a rule's parameter names, Permissions.N.<name> or
// top-level.
var ruleFields = []string{"IpProtocol", "PortRange", "SourcePortRange", "Policy", "Priority", "NicType",
	"SourceCidrIp", "DestCidrIp", "Ipv6SourceCidrIp", "Ipv6DestCidrIp", "SourceGroupId", "DestGroupId",
	"SourceGroupOwnerAccount", "SourceGroupOwnerId", "DestGroupOwnerAccount", "DestGroupOwnerId",
	"SourcePrefixListId", "DestPrefixListId", "Description"}

// permissionOf reads one rule from get (a Permissions.N map, or the call).
func permissionOf(get func(string) (string, bool)) ecs.PermissionInput {
	v := func(name string) string { s, _ := get(name); return s }
	_, descGiven := get("Description")
	return ecs.PermissionInput{
		IPProtocol: v("IpProtocol"), PortRange: v("PortRange"), SourcePortRange: v("SourcePortRange"),
		Policy: v("Policy"), Priority: v("Priority"), NicType: v("NicType"),
		SourceCidrIP: v("SourceCidrIp"), DestCidrIP: v("DestCidrIp"),
		IPv6SourceCidrIP: v("Ipv6SourceCidrIp"), IPv6DestCidrIP: v("Ipv6DestCidrIp"),
		SourceGroupID: v("SourceGroupId"), DestGroupID: v("DestGroupId"),
		SourceGroupOwnerAccount: v("SourceGroupOwnerAccount"), SourceGroupOwnerID: v("SourceGroupOwnerId"),
		DestGroupOwnerAccount: v("DestGroupOwnerAccount"), DestGroupOwnerID: v("DestGroupOwnerId"),
		SourcePrefixListID: v("SourcePrefixListId"), DestPrefixListID: v("DestPrefixListId"),
		Description: v("Description"), DescriptionGiven: descGiven,
	}
}

// rulesInput reads the rules of a call: Permissions.N.*, or the top-level
// fields as one rule; Mixed when both forms are there.
func rulesInput(c *rpc.Call) ecs.RulesInput {
	in := ecs.RulesInput{RegionID: c.Get("RegionId"), SecurityGroupID: c.Get("SecurityGroupId"), RuleIDs: c.List("SecurityGroupRuleId")}
	if id := c.Get("SecurityGroupRuleId"); id != "" {
		in.RuleIDs = append(in.RuleIDs, id)
	}
	topLevel := false
	for _, f := range ruleFields {
		if f != "Description" && c.Get(f) != "" {
			topLevel = true
		}
	}
	perms := c.Indexed("Permissions")
	for _, m := range perms {
		in.Rules = append(in.Rules, permissionOf(func(k string) (string, bool) { v, ok := m[k]; return v, ok }))
	}
	switch {
	case len(perms) > 0 && topLevel:
		in.Mixed = true
	case topLevel || (len(perms) == 0 && len(in.RuleIDs) == 0 && c.Params.Has("Description")):
		in.Rules = []ecs.PermissionInput{permissionOf(func(k string) (string, bool) { return c.Get(k), c.Params.Has(k) })}
	}
	return in
}

func (a *API) authorize(direction string) rpc.Handler {
	return func(ctx context.Context, c *rpc.Call) (any, error) {
		return &base{}, a.ECS.Authorize(ctx, c.Principal, direction, rulesInput(c))
	}
}

func (a *API) revoke(direction string) rpc.Handler {
	return func(ctx context.Context, c *rpc.Call) (any, error) {
		return &base{}, a.ECS.Revoke(ctx, c.Principal, direction, rulesInput(c))
	}
}

func (a *API) modifyRule(direction string) rpc.Handler {
	return func(ctx context.Context, c *rpc.Call) (any, error) {
		in := rulesInput(c)
		if len(in.Rules) == 0 && len(in.RuleIDs) > 0 {
			in.Rules = []ecs.PermissionInput{permissionOf(func(k string) (string, bool) { return c.Get(k), c.Params.Has(k) })}
		}
		return &base{}, a.ECS.ModifyRule(ctx, c.Principal, direction, in)
	}
}

func (a *API) modifySecurityGroupAttribute(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.ECS.ModifySecurityGroupAttribute(ctx, c.Principal, c.Get("RegionId"), c.Get("SecurityGroupId"), c.Get("SecurityGroupName"), c.Get("Description"))
}

func (a *API) modifySecurityGroupPolicy(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.ECS.ModifySecurityGroupPolicy(ctx, c.Principal, c.Get("RegionId"), c.Get("SecurityGroupId"), c.Get("InnerAccessPolicy"))
}

func (a *API) deleteSecurityGroup(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.ECS.DeleteSecurityGroup(ctx, c.Principal, c.Get("RegionId"), c.Get("SecurityGroupId"))
}
