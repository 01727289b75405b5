package vpcapi_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"slbcert/slbcerttest"
)

// TestVPCBadInputNever5xx sends every VPC and Resource Manager action
// hostile values in every parameter it reads: each answer is a 2xx or a
// 4xx with a code, never a 5xx.
func TestVPCBadInputNever5xx(t *testing.T) {
	srv := slbcerttest.NewServer(t)
	c := vpcClient(t, srv)
	vpcID, vswID := setup(t, srv, c)
	values := []string{"", "x", "-1", "0", "99999999999999999999", "1.5", "true", "TRUE", "null", "[]", "{}", "%00",
		"10.0.0.0/33", "::/0", "0.0.0.0/0", "255.255.255.255/32", "192.168.1.0/24", "192.168.0.0/16", vpcID, vswID,
		"vpc-" + strings.Repeat("a", 300), strings.Repeat("é", 200), "http://x", "rg-", "Tag", ",,,", "a,b", "\t"}
	actions := map[string][]string{
		"CreateVpc":                  {"CidrBlock", "VpcName", "Description", "ResourceGroupId", "UserCidr", "ClientToken", "EnableIpv6", "EnableDnsHostname", "DryRun", "Tag.1.Key", "Tag.1.Value"},
		"DescribeVpcs":               {"VpcId", "VpcName", "ResourceGroupId", "IsDefault", "EnableIpv6", "PageNumber", "PageSize", "DryRun", "VpcOwnerId", "Tag.1.Key"},
		"DescribeVpcAttribute":       {"VpcId", "DryRun", "IsDefault"},
		"ModifyVpcAttribute":         {"VpcId", "VpcName", "Description", "CidrBlock", "EnableIPv6", "EnableDnsHostname"},
		"DeleteVpc":                  {"VpcId", "DryRun", "ForceDelete"},
		"CreateVSwitch":              {"VpcId", "ZoneId", "CidrBlock", "VSwitchName", "Description", "ClientToken", "Ipv6CidrBlock", "DryRun"},
		"DescribeVSwitches":          {"VpcId", "VSwitchId", "ZoneId", "VSwitchName", "ResourceGroupId", "RouteTableId", "PageNumber", "PageSize", "IsDefault", "VSwitchOwnerId"},
		"DescribeVSwitchAttributes":  {"VSwitchId", "DryRun"},
		"ModifyVSwitchAttribute":     {"VSwitchId", "VSwitchName", "Description", "EnableIPv6"},
		"DeleteVSwitch":              {"VSwitchId", "DryRun"},
		"DescribeRouteTableList":     {"VpcId", "RouterId", "RouterType", "RouteTableId", "RouteTableName", "RouteTableType", "ResourceGroupId", "PageNumber", "PageSize"},
		"ModifyRouteTableAttributes": {"RouteTableId", "RouteTableName", "Description", "RoutePropagationEnable"},
		"TagResources":               {"ResourceType", "ResourceId.1", "Tag.1.Key", "Tag.1.Value"},
		"UnTagResources":             {"ResourceType", "ResourceId.1", "TagKey.1", "All"},
		"ListTagResources":           {"ResourceType", "ResourceId.1", "Tag.1.Key", "NextToken", "MaxResults"},
		"MoveResourceGroup":          {"ResourceType", "ResourceId", "NewResourceGroupId"},
	}
	rm := map[string][]string{
		"ListResourceGroups":  {"Status", "Name", "DisplayName", "ResourceGroupId", "ResourceGroupIds.1", "PageNumber", "PageSize", "Tag.1.Key"},
		"GetResourceGroup":    {"ResourceGroupId", "IncludeTags"},
		"CreateResourceGroup": {"Name", "DisplayName"},
	}
	rng := rand.New(rand.NewPCG(19, 2016))
	try := func(version, action string, names []string) {
		for round := 0; round < 40; round++ {
			params := map[string]string{"RegionId": region}
			if round%7 == 0 {
				params["RegionId"] = values[rng.IntN(len(values))]
			}
			for _, n := range names {
				if rng.IntN(3) > 0 {
					params[n] = values[rng.IntN(len(values))]
				}
			}
			status, body := common(t, srv, c, version, action, params)
			if status >= 500 || (status >= 400 && body["Code"] == "") {
				t.Fatalf("%s %v: %d %v", action, params, status, body)
			}
		}
	}
	for action, names := range actions {
		try(version, action, names)
	}
	for action, names := range rm {
		try("2020-03-31", action, names)
	}
}
