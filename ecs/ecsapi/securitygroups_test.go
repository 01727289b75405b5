package ecsapi_test

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	sdk "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"slbcert/iam"
	"slbcert/slbcerttest"
)

// TestSecurityGroups: a group and its rules through every call Terraform's
// alicloud_security_group and alicloud_security_group_rule make, on both
// stores.
func TestSecurityGroups(t *testing.T) {
	onBothStores(t, func(t *testing.T, opts ...slbcerttest.Option) {
		f := newFixture(t, opts...)
		c := f.client()

		// The SDK keeps a parameter once set on a request: a fresh one each time.
		create := func(edit func(*sdk.CreateSecurityGroupRequest)) (*sdk.CreateSecurityGroupResponse, error) {
			r := sdk.CreateCreateSecurityGroupRequest()
			r.RegionId, r.VpcId, r.SecurityGroupName = region, vpcID, "web"
			edit(r)
			return c.CreateSecurityGroup(r)
		}
		_, err := create(func(r *sdk.CreateSecurityGroupRequest) { r.VpcId = "" })
		wantError(t, "a group without VpcId", err, "InvalidVpcId.NotFound", 403)
		_, err = create(func(r *sdk.CreateSecurityGroupRequest) { r.VpcId = "vpc-bp1none" })
		wantError(t, "a group in an unknown VPC", err, "InvalidVpcId.NotFound", 404)
		_, err = create(func(r *sdk.CreateSecurityGroupRequest) { r.SecurityGroupName = "1bad" })
		wantError(t, "a name starting with a digit", err, "InvalidSecurityGroupName.Malformed", 400)
		_, err = create(func(r *sdk.CreateSecurityGroupRequest) { r.SecurityGroupType = "huge" })
		wantError(t, "an unknown type", err, "InvalidSecurityGroupType.ValueNotSupported", 400)
		_, err = create(func(r *sdk.CreateSecurityGroupRequest) { r.Description = "http://no" })
		wantError(t, "a description starting http://", err, "InvalidDescription.Malformed", 400)
		resp, err := create(func(r *sdk.CreateSecurityGroupRequest) {
			r.Description, r.Tag = "the web tier", &[]sdk.CreateSecurityGroupTag{{Key: "env", Value: "test"}}
		})
		must(t, err)
		sg := resp.SecurityGroupId
		other := f.group(c, vpcID)
		elsewhere := f.group(c, vpc2)

		list := func(edit func(*sdk.DescribeSecurityGroupsRequest)) (*sdk.DescribeSecurityGroupsResponse, error) {
			r := sdk.CreateDescribeSecurityGroupsRequest()
			r.RegionId = region
			edit(r)
			return c.DescribeSecurityGroups(r)
		}
		lr, err := list(func(r *sdk.DescribeSecurityGroupsRequest) { r.SecurityGroupId = sg })
		must(t, err)
		if len(lr.SecurityGroups.SecurityGroup) != 1 {
			t.Fatalf("DescribeSecurityGroups by id: %+v", lr)
		}
		if g := lr.SecurityGroups.SecurityGroup[0]; g.SecurityGroupName != "web" || g.Description != "the web tier" ||
			g.VpcId != vpcID || g.SecurityGroupType != "normal" || g.ResourceGroupId == "" || g.CreationTime == "" ||
			len(g.Tags.Tag) != 1 || g.Tags.Tag[0].TagKey != "env" {
			t.Errorf("group: %+v", g)
		}
		if lr, err := list(func(r *sdk.DescribeSecurityGroupsRequest) { r.VpcId = vpcID }); err != nil || lr.TotalCount != 2 {
			t.Errorf("the VPC's groups: %+v, %v", lr, err)
		}
		if lr, err := list(func(r *sdk.DescribeSecurityGroupsRequest) { r.SecurityGroupId = "sg-bp1none" }); err != nil || len(lr.SecurityGroups.SecurityGroup) != 0 {
			t.Errorf("an unknown id lists nothing (not an error): %+v, %v", lr, err)
		}

		// Rules, as Terraform's rule resource sends them.
		authorize := func(perms ...sdk.AuthorizeSecurityGroupPermissions) error {
			r := sdk.CreateAuthorizeSecurityGroupRequest()
			r.RegionId, r.SecurityGroupId, r.Permissions = region, sg, &perms
			_, err := c.AuthorizeSecurityGroup(r)
			return err
		}
		ssh := sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "tcp", PortRange: "22/22", SourceCidrIp: "0.0.0.0/0", Policy: "accept", Priority: "1", Description: "ssh"}
		must(t, authorize(ssh))
		must(t, authorize(ssh)) // the same rule again adds nothing
		must(t, authorize(sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "tcp", PortRange: "80/80", SourceGroupId: other, NicType: "intranet"}))
		egress := sdk.CreateAuthorizeSecurityGroupEgressRequest()
		egress.RegionId, egress.SecurityGroupId = region, sg
		egress.Permissions = &[]sdk.AuthorizeSecurityGroupEgressPermissions{{IpProtocol: "all", PortRange: "-1/-1", DestCidrIp: "0.0.0.0/0", Policy: "drop", Priority: "100"}}
		must(t, mustOK(c.AuthorizeSecurityGroupEgress(egress)))

		for _, bad := range []struct {
			what   string
			p      sdk.AuthorizeSecurityGroupPermissions
			code   string
			status int
		}{
			{"protocol", sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "sctp", PortRange: "1/1", SourceCidrIp: "0.0.0.0/0"}, "InvalidIpProtocol.ValueNotSupported", 400},
			{"tcp on -1/-1", sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "tcp", PortRange: "-1/-1", SourceCidrIp: "0.0.0.0/0"}, "InvalidIpPortRange.Malformed", 400},
			{"icmp on a port", sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "icmp", PortRange: "8/8", SourceCidrIp: "0.0.0.0/0"}, "InvalidIpPortRange.Malformed", 400},
			{"port text", sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "tcp", PortRange: "ssh", SourceCidrIp: "0.0.0.0/0"}, "InvalidParam.PortRange", 400},
			{"no port range", sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "tcp", SourceCidrIp: "0.0.0.0/0"}, "InvalidPortRange.Malformed", 400},
			{"no source", sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "tcp", PortRange: "1/1"}, "MissingParameter.Source", 400},
			{"bad CIDR", sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "tcp", PortRange: "1/1", SourceCidrIp: "10.0.0.0/33"}, "InvalidSourceCidrIp.Malformed", 400},
			{"IPv6 for icmp", sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "icmp", PortRange: "-1/-1", Ipv6SourceCidrIp: "::/0"}, "InvalidParam.Ipv4ProtocolConflictWithIpv6Address", 400},
			{"policy", sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "tcp", PortRange: "1/1", SourceCidrIp: "0.0.0.0/0", Policy: "allow"}, "InvalidPolicy.Malformed", 400},
			{"priority", sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "tcp", PortRange: "1/1", SourceCidrIp: "0.0.0.0/0", Priority: "101"}, "InvalidPriority.ValueNotSupported", 400},
			{"nic type", sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "tcp", PortRange: "1/1", SourceCidrIp: "0.0.0.0/0", NicType: "internet"}, "InvalidNicType.Mismatch", 403},
			{"itself", sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "tcp", PortRange: "1/1", SourceGroupId: sg}, "InvalidParamter.Conflict", 400},
			{"unknown group", sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "tcp", PortRange: "1/1", SourceGroupId: "sg-bp1none"}, "InvalidSourceGroupId.NotFound", 404},
			{"another VPC's group", sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "tcp", PortRange: "1/1", SourceGroupId: elsewhere}, "InvalidSourceGroupId.Mismatch", 400},
			{"prefix list", sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "tcp", PortRange: "1/1", SourcePrefixListId: "pl-1"}, "InvalidPrefixListId.NotFound", 404},
		} {
			wantError(t, "a rule with a bad "+bad.what, authorize(bad.p), bad.code, bad.status)
		}
		dns := sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "udp", PortRange: "53/53", SourceCidrIp: "10.0.0.0/8"}
		wantError(t, "a rule twice in one call", authorize(dns, dns), "InvalidParam.DuplicatePermissions", 400)

		// Terraform reads a rule with NicType "<nil>" when it has none: ignored.
		attribute := func(direction, nicType string) (*sdk.DescribeSecurityGroupAttributeResponse, error) {
			r := sdk.CreateDescribeSecurityGroupAttributeRequest()
			r.RegionId, r.SecurityGroupId, r.Direction, r.NicType = region, sg, direction, nicType
			return c.DescribeSecurityGroupAttribute(r)
		}
		ar, err := attribute("ingress", "<nil>")
		must(t, err)
		if len(ar.Permissions.Permission) != 2 {
			t.Fatalf("ingress rules: %+v", ar.Permissions.Permission)
		}
		if r := ar.Permissions.Permission[0]; r.IpProtocol != "TCP" || r.PortRange != "22/22" || r.SourceCidrIp != "0.0.0.0/0" || r.Policy != "Accept" ||
			r.Priority != "1" || r.NicType != "intranet" || r.Description != "ssh" || r.Direction != "ingress" || r.SecurityGroupRuleId == "" {
			t.Errorf("the ssh rule: %+v", r)
		}
		if r := ar.Permissions.Permission[1]; r.SourceGroupId != other || r.SourceGroupOwnerAccount != "" {
			t.Errorf("the group rule: %+v", r)
		}
		if ar.InnerAccessPolicy != "Accept" || ar.VpcId != vpcID || ar.SecurityGroupName != "web" {
			t.Errorf("group attribute: %+v", ar)
		}
		if ar, err := attribute("egress", ""); err != nil || len(ar.Permissions.Permission) != 1 || ar.Permissions.Permission[0].Priority != "100" {
			t.Errorf("egress rules: %+v, %v", ar, err)
		}

		// A group another's rule names cannot be deleted.
		deleteGroup := func(id string) error {
			r := sdk.CreateDeleteSecurityGroupRequest()
			r.RegionId, r.SecurityGroupId = region, id
			_, err := c.DeleteSecurityGroup(r)
			return err
		}
		wantError(t, "deleting a group named by a rule", deleteGroup(other), "DependencyViolation", 403)

		// Modify the ssh rule's description (Terraform: top-level fields, twice).
		modify := func(ports string) error {
			r := sdk.CreateModifySecurityGroupRuleRequest()
			r.RegionId, r.SecurityGroupId, r.IpProtocol, r.PortRange = region, sg, "tcp", ports
			r.SourceCidrIp, r.Policy, r.Priority, r.NicType, r.Description = "0.0.0.0/0", "accept", "1", "intranet", "ssh in"
			_, err := c.ModifySecurityGroupRule(r)
			return err
		}
		must(t, modify("22/22"))
		must(t, modify("22/22"))
		if ar, err := attribute("ingress", ""); err != nil || ar.Permissions.Permission[0].Description != "ssh in" {
			t.Errorf("after ModifySecurityGroupRule: %+v, %v", ar, err)
		}
		wantError(t, "modifying a rule the group lacks", modify("2222/2222"), "InvalidSecurityGroupRule.RuleNotExist", 400)

		// Revoke by fields (description ignored), by id, and one that is gone.
		revoke := func(edit func(*sdk.RevokeSecurityGroupRequest)) error {
			r := sdk.CreateRevokeSecurityGroupRequest()
			r.RegionId, r.SecurityGroupId = region, sg
			edit(r)
			_, err := c.RevokeSecurityGroup(r)
			return err
		}
		bySSH := func(r *sdk.RevokeSecurityGroupRequest) {
			r.IpProtocol, r.PortRange, r.SourceCidrIp, r.Policy, r.Priority, r.NicType, r.Description = "tcp", "22/22", "0.0.0.0/0", "accept", "1", "intranet", "whatever"
		}
		must(t, revoke(bySSH))
		must(t, revoke(bySSH)) // already gone: still a success
		ar, err = attribute("ingress", "")
		must(t, err)
		if len(ar.Permissions.Permission) != 1 {
			t.Fatalf("after revoking ssh: %+v", ar.Permissions.Permission)
		}
		ruleID := ar.Permissions.Permission[0].SecurityGroupRuleId
		must(t, revoke(func(r *sdk.RevokeSecurityGroupRequest) { r.SecurityGroupRuleId = &[]string{ruleID} }))
		err = revoke(func(r *sdk.RevokeSecurityGroupRequest) { r.SecurityGroupRuleId = &[]string{"sgr-bp1none"} })
		wantError(t, "revoking an unknown rule id", err, "InvalidSecurityGroupRuleId.NotFound", 404)
		must(t, deleteGroup(other)) // no longer named

		// Attribute and policy.
		ma := sdk.CreateModifySecurityGroupAttributeRequest()
		ma.RegionId, ma.SecurityGroupId, ma.SecurityGroupName, ma.Description = region, sg, "web-2", "renamed"
		must(t, mustOK(c.ModifySecurityGroupAttribute(ma)))
		policy := func(p string) error {
			r := sdk.CreateModifySecurityGroupPolicyRequest()
			r.RegionId, r.SecurityGroupId, r.InnerAccessPolicy = region, sg, p
			_, err := c.ModifySecurityGroupPolicy(r)
			return err
		}
		must(t, policy("drop"))
		wantError(t, "an unknown policy", policy("maybe"), "InvalidInnerAccessPolicy.Malformed", 400)
		if ar, err := attribute("", ""); err != nil || ar.InnerAccessPolicy != "Drop" || ar.SecurityGroupName != "web-2" || ar.Description != "renamed" {
			t.Errorf("after modify: %+v, %v", ar, err)
		}

		// A group with an instance cannot be deleted; then it can.
		id := f.run(c, vswH, sg)
		wantError(t, "deleting a group with an instance", deleteGroup(sg), "DependencyViolation", 403)
		if lr, err := list(func(r *sdk.DescribeSecurityGroupsRequest) { r.SecurityGroupId = sg }); err != nil || lr.SecurityGroups.SecurityGroup[0].EcsCount != 1 {
			t.Errorf("EcsCount with one instance: %+v, %v", lr, err)
		}
		rm := sdk.CreateDeleteInstanceRequest()
		rm.InstanceId, rm.Force = id, requests.NewBoolean(true)
		must(t, mustOK(c.DeleteInstance(rm)))
		must(t, deleteGroup(sg))
		wantError(t, "deleting it again", deleteGroup(sg), "InvalidSecurityGroupId.NotFound", 404)
		_, err = attribute("", "")
		wantError(t, "describing a deleted group", err, "InvalidSecurityGroupId.NotFound", 404)
	})
}

// TestSecurityGroupQuotas: the IAM file's quotas bound groups per region
// and rules per group.
func TestSecurityGroupQuotas(t *testing.T) {
	f := newFixture(t, slbcerttest.WithIAM(iam.File{Accounts: []iam.FileAccount{{
		ID: tenantID, AccessKeys: []iam.FileKey{{ID: tenantKey, Secret: tenantSecret}},
		Quotas: iam.FileQuotas{"securityGroupsPerRegion": 1, "rulesPerSecurityGroup": 2},
	}}}))
	f.net.AddVPC(tenantID, region, vpcID)
	c := f.clientWithKey(tenantKey, tenantSecret)
	sg := f.group(c, vpcID)
	create := sdk.CreateCreateSecurityGroupRequest()
	create.RegionId, create.VpcId = region, vpcID
	_, err := c.CreateSecurityGroup(create)
	wantError(t, "a second group with a quota of 1", err, "QuotaExceed.SecurityGroup", 403)
	authorize := func(perms ...sdk.AuthorizeSecurityGroupPermissions) error {
		r := sdk.CreateAuthorizeSecurityGroupRequest()
		r.RegionId, r.SecurityGroupId, r.Permissions = region, sg, &perms
		_, err := c.AuthorizeSecurityGroup(r)
		return err
	}
	must(t, authorize(sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "tcp", PortRange: "22/22", SourceCidrIp: "0.0.0.0/0"},
		sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "tcp", PortRange: "80/80", SourceCidrIp: "0.0.0.0/0"}))
	err = authorize(sdk.AuthorizeSecurityGroupPermissions{IpProtocol: "tcp", PortRange: "443/443", SourceCidrIp: "0.0.0.0/0"})
	wantError(t, "a third rule with a quota of 2", err, "AuthorizationLimitExceed", 403)
}
