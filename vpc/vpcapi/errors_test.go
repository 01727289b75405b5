package vpcapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"slbcert/iam"
	"slbcert/slbcerttest"
)

const version = "2016-04-28"

// setup creates a VPC 192.168.0.0/16 with a vSwitch 192.168.1.0/24.
func setup(t *testing.T, srv *slbcerttest.Server, c *vpc.Client) (vpcID, vswID string) {
	t.Helper()
	create := vpc.CreateCreateVpcRequest()
	create.CidrBlock = "192.168.0.0/16"
	v, err := c.CreateVpc(create)
	must(t, err)
	sw := vpc.CreateCreateVSwitchRequest()
	sw.VpcId, sw.ZoneId, sw.CidrBlock = v.VpcId, "cn-hangzhou-h", "192.168.1.0/24"
	s, err := c.CreateVSwitch(sw)
	must(t, err)
	return v.VpcId, s.VSwitchId
}

// TestVPCErrors: each refusal's code and status, on the wire Terraform
// uses (form parameters), on both stores.
func TestVPCErrors(t *testing.T) {
	stores(t, func(t *testing.T, srv *slbcerttest.Server) {
		c := vpcClient(t, srv)
		vpcID, vswID := setup(t, srv, c)
		R := func(kv ...string) map[string]string {
			m := map[string]string{"RegionId": region}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i]] = kv[i+1]
			}
			return m
		}
		for _, tc := range []struct {
			name, action string
			params       map[string]string
			code         string
			status       int
		}{
			{"CreateVpc/no region", "CreateVpc", map[string]string{"RegionId": ""}, "MissingParameter", 400}, // the SDK adds its region; an empty one in the body wins
			{"CreateVpc/unknown region", "CreateVpc", map[string]string{"RegionId": "mars-1"}, "InvalidRegionId.NotFound", 404},
			{"CreateVpc/bad cidr", "CreateVpc", R("CidrBlock", "10.0.0.0"), "InvalidParameter", 400},
			{"CreateVpc/mask 29", "CreateVpc", R("CidrBlock", "10.0.0.0/29"), "InvalidParameter", 400},
			{"CreateVpc/mask 7", "CreateVpc", R("CidrBlock", "10.0.0.0/7"), "InvalidParameter", 400},
			{"CreateVpc/host bits", "CreateVpc", R("CidrBlock", "10.0.0.1/16"), "InvalidParameter", 400},
			{"CreateVpc/loopback", "CreateVpc", R("CidrBlock", "127.0.0.0/16"), "InvalidParameter", 400},
			{"CreateVpc/shared range", "CreateVpc", R("CidrBlock", "100.64.0.0/16"), "InvalidParameter", 400},
			{"CreateVpc/name http", "CreateVpc", R("VpcName", "http://x"), "InvalidVpcName.Malformed", 400},
			{"CreateVpc/name too long", "CreateVpc", R("VpcName", strings.Repeat("n", 129)), "InvalidVpcName.Malformed", 400},
			{"CreateVpc/description too long", "CreateVpc", R("Description", strings.Repeat("d", 257)), "InvalidVpcDiscription.Malformed", 400},
			{"CreateVpc/bad group", "CreateVpc", R("ResourceGroupId", "group"), "InvalidParameter.ResourceGroupId", 400},
			{"CreateVpc/bad user cidr", "CreateVpc", R("UserCidr", "10.0.0.0"), "InvalidUserCidr.Malformed", 400},
			{"CreateVpc/four user cidrs", "CreateVpc", R("UserCidr", "10.1.0.0/16,10.2.0.0/16,10.3.0.0/16,10.4.0.0/16"), "InvalidUserCidr.Quota", 400},
			{"CreateVpc/tag without key", "CreateVpc", R("Tag.1.Value", "v"), "MissingParam.TagKey", 400},
			{"CreateVpc/tag aliyun", "CreateVpc", R("Tag.1.Key", "aliyun:x", "Tag.1.Value", "v"), "InvalidParam.TagKey", 400},
			{"CreateVpc/bad boolean", "CreateVpc", R("DryRun", "yes"), "InvalidParameter", 400},
			{"CreateVpc/ipv6", "CreateVpc", R("EnableIpv6", "true"), "OperationUnsupported.Ipv6", 400},
			{"CreateVpc/dry run", "CreateVpc", R("DryRun", "true"), "DryRunOperation", 400},
			{"CreateVpc/token too long", "CreateVpc", R("ClientToken", strings.Repeat("t", 65)), "InvalidParameter", 400},

			{"DescribeVpcs/page size 51", "DescribeVpcs", R("PageSize", "51"), "InvalidParameter", 400},
			{"DescribeVpcs/page 0", "DescribeVpcs", R("PageNumber", "0"), "InvalidParameter", 400},
			{"DescribeVpcs/page x", "DescribeVpcs", R("PageNumber", "x"), "InvalidParameter", 400},
			{"DescribeVpcs/21 ids", "DescribeVpcs", R("VpcId", strings.Repeat("vpc-x,", 21)), "InvalidParameter", 400},
			{"DescribeVpcAttribute/no id", "DescribeVpcAttribute", R(), "MissingParameter", 400},
			{"DescribeVpcAttribute/no region", "DescribeVpcAttribute", map[string]string{"RegionId": "", "VpcId": vpcID}, "MissingParameter", 400},
			{"DescribeVpcAttribute/unknown", "DescribeVpcAttribute", R("VpcId", "vpc-none"), "InvalidVpcId.NotFound", 404},
			{"DescribeVpcAttribute/other region", "DescribeVpcAttribute", map[string]string{"RegionId": "cn-shanghai", "VpcId": vpcID}, "InvalidVpcId.NotFound", 404},
			{"ModifyVpcAttribute/unknown without region", "ModifyVpcAttribute", map[string]string{"RegionId": "", "VpcId": "vpc-none"}, "InvalidVpcId.NotFound", 404},
			{"ModifyVpcAttribute/shrink past a vSwitch", "ModifyVpcAttribute", R("VpcId", vpcID, "CidrBlock", "192.168.8.0/24"), "InvalidParameter", 400},
			{"ModifyVpcAttribute/bad cidr", "ModifyVpcAttribute", R("VpcId", vpcID, "CidrBlock", "192.168.0.0/7"), "InvalidParameter", 400},
			{"ModifyVpcAttribute/ipv6", "ModifyVpcAttribute", R("VpcId", vpcID, "EnableIPv6", "true"), "OperationUnsupported.Ipv6", 400},
			{"DeleteVpc/in use", "DeleteVpc", R("VpcId", vpcID), "DependencyViolation.VSwitch", 400},
			{"DeleteVpc/dry run", "DeleteVpc", R("VpcId", vpcID, "DryRun", "true"), "DryRunOperation", 400},
			{"DeleteVpc/no id", "DeleteVpc", R(), "MissingParameter", 400},

			{"CreateVSwitch/no vpc", "CreateVSwitch", R("ZoneId", "cn-hangzhou-h", "CidrBlock", "192.168.2.0/24"), "MissingParameter", 400},
			{"CreateVSwitch/no zone", "CreateVSwitch", R("VpcId", vpcID, "CidrBlock", "192.168.2.0/24"), "MissingParameter", 400},
			{"CreateVSwitch/no cidr", "CreateVSwitch", R("VpcId", vpcID, "ZoneId", "cn-hangzhou-h"), "MissingParameter", 400},
			{"CreateVSwitch/unknown vpc", "CreateVSwitch", R("VpcId", "vpc-none", "ZoneId", "cn-hangzhou-h", "CidrBlock", "192.168.2.0/24"), "InvalidVpcId.NotFound", 404},
			{"CreateVSwitch/unknown zone", "CreateVSwitch", R("VpcId", vpcID, "ZoneId", "cn-hangzhou-z", "CidrBlock", "192.168.2.0/24"), "InvalidZoneId.NotFound", 404},
			{"CreateVSwitch/another region's zone", "CreateVSwitch", R("VpcId", vpcID, "ZoneId", "cn-shanghai-b", "CidrBlock", "192.168.2.0/24"), "InvalidZoneId.NotFound", 404},
			{"CreateVSwitch/malformed", "CreateVSwitch", R("VpcId", vpcID, "ZoneId", "cn-hangzhou-h", "CidrBlock", "192.168.2.1/24"), "InvalidCidrBlock.Malformed", 400},
			{"CreateVSwitch/mask 30", "CreateVSwitch", R("VpcId", vpcID, "ZoneId", "cn-hangzhou-h", "CidrBlock", "192.168.2.0/30"), "InvalidCirdrBlock.MaskLength", 400},
			{"CreateVSwitch/mask 15", "CreateVSwitch", R("VpcId", vpcID, "ZoneId", "cn-hangzhou-h", "CidrBlock", "192.168.0.0/15"), "InvalidCirdrBlock.MaskLength", 400},
			{"CreateVSwitch/outside", "CreateVSwitch", R("VpcId", vpcID, "ZoneId", "cn-hangzhou-h", "CidrBlock", "10.0.0.0/24"), "InvalidParameter", 400},
			{"CreateVSwitch/overlap", "CreateVSwitch", R("VpcId", vpcID, "ZoneId", "cn-hangzhou-h", "CidrBlock", "192.168.0.0/23"), "InvalidCidrBlock.Overlapped", 400},
			{"CreateVSwitch/ipv6", "CreateVSwitch", R("VpcId", vpcID, "ZoneId", "cn-hangzhou-h", "CidrBlock", "192.168.2.0/24", "Ipv6CidrBlock", "1"), "OperationUnsupported.Ipv6", 400},
			{"CreateVSwitch/dry run", "CreateVSwitch", R("VpcId", vpcID, "ZoneId", "cn-hangzhou-h", "CidrBlock", "192.168.2.0/24", "DryRun", "true"), "DryRunOperation", 400},
			{"CreateVSwitch/name", "CreateVSwitch", R("VpcId", vpcID, "ZoneId", "cn-hangzhou-h", "CidrBlock", "192.168.2.0/24", "VSwitchName", "https://x"), "InvalidVSwitchName.Malformed", 400},
			{"DescribeVSwitches/neither region nor vpc", "DescribeVSwitches", map[string]string{"RegionId": ""}, "MissingParameter", 400},
			{"DescribeVSwitches/page size 0", "DescribeVSwitches", R("PageSize", "0"), "InvalidParameter", 400},
			{"DescribeVSwitchAttributes/unknown", "DescribeVSwitchAttributes", R("VSwitchId", "vsw-none"), "InvalidVSwitchId.NotFound", 404},
			{"DescribeVSwitchAttributes/no id", "DescribeVSwitchAttributes", R(), "MissingParameter", 400},
			{"ModifyVSwitchAttribute/unknown", "ModifyVSwitchAttribute", R("VSwitchId", "vsw-none"), "InvalidVSwitchId.NotFound", 404},
			{"ModifyVSwitchAttribute/description", "ModifyVSwitchAttribute", R("VSwitchId", vswID, "Description", "http://x"), "InvalidVSwitchDiscription.Malformed", 400},
			{"DeleteVSwitch/unknown", "DeleteVSwitch", map[string]string{"RegionId": "", "VSwitchId": "vsw-none"}, "InvalidVSwitchId.NotFound", 404},

			{"DescribeRouteTableList/bad router type", "DescribeRouteTableList", R("RouterType", "Router"), "InvalidParameter", 400},
			{"DescribeRouteTableList/bad table type", "DescribeRouteTableList", R("RouteTableType", "system"), "InvalidParameter", 400},
			{"ModifyRouteTableAttributes/unknown", "ModifyRouteTableAttributes", R("RouteTableId", "vtb-none"), "InvalidRouteTableId.NotFound", 404},
			{"ModifyRouteTableAttributes/no id", "ModifyRouteTableAttributes", R(), "MissingParameter", 400},

			{"TagResources/bad type", "TagResources", R("ResourceType", "EIP", "ResourceId.1", vpcID, "Tag.1.Key", "k"), "InvalidResourceType.NotFound", 400},
			{"TagResources/no type", "TagResources", R("ResourceId.1", vpcID, "Tag.1.Key", "k"), "MissingParameter", 400},
			{"TagResources/no ids", "TagResources", R("ResourceType", "VPC", "Tag.1.Key", "k"), "MissingParameter", 400},
			{"TagResources/no tags", "TagResources", R("ResourceType", "VPC", "ResourceId.1", vpcID), "MissingParameter", 400},
			{"TagResources/unknown id", "TagResources", R("ResourceType", "VPC", "ResourceId.1", vpcID, "ResourceId.2", "vpc-none", "Tag.1.Key", "k"), "InvalidResourceId.NotFound", 404},
			{"TagResources/vSwitch as VPC", "TagResources", R("ResourceType", "VPC", "ResourceId.1", vswID, "Tag.1.Key", "k"), "InvalidResourceId.NotFound", 404},
			{"UnTagResources/neither keys nor all", "UnTagResources", R("ResourceType", "VPC", "ResourceId.1", vpcID), "MissingParameter", 400},
			{"ListTagResources/max 51", "ListTagResources", R("ResourceType", "VPC", "MaxResults", "51"), "InvalidParameter", 400},
			{"ListTagResources/bad token", "ListTagResources", R("ResourceType", "VPC", "NextToken", "x"), "InvalidParameter.NextToken", 400},
			{"MoveResourceGroup/vswitch", "MoveResourceGroup", R("ResourceType", "VSwitch", "ResourceId", vswID, "NewResourceGroupId", "rg-x"), "InvalidResourceType.NotFound", 400},
			{"MoveResourceGroup/unknown", "MoveResourceGroup", R("ResourceType", "Vpc", "ResourceId", "vpc-none", "NewResourceGroupId", "rg-x"), "InvalidVpcId.NotFound", 404},
			{"MoveResourceGroup/bad group", "MoveResourceGroup", R("ResourceType", "Vpc", "ResourceId", vpcID, "NewResourceGroupId", "x"), "InvalidParameter.ResourceGroupId", 400},
			{"MoveResourceGroup/no group", "MoveResourceGroup", R("ResourceType", "Vpc", "ResourceId", vpcID), "MissingParameter", 400},
			{"unknown action", "CreateNatGateway", R(), "InvalidAction.NotFound", 404},
		} {
			t.Run(tc.name, func(t *testing.T) {
				status, body := common(t, srv, c, version, tc.action, tc.params)
				if status != tc.status || body["Code"] != tc.code {
					t.Fatalf("%d %v %v; want %d %s", status, body["Code"], body["Message"], tc.status, tc.code)
				}
			})
		}
		// nothing failed left a trace
		vpcs, err := c.DescribeVpcs(vpc.CreateDescribeVpcsRequest())
		must(t, err)
		if vpcs.TotalCount != 1 {
			t.Errorf("%d VPCs after the refusals, want 1", vpcs.TotalCount)
		}
	})
}

// TestVPCQuotas: vpcsPerRegion and vSwitchesPerVpc from the IAM file.
func TestVPCQuotas(t *testing.T) {
	f := iam.File{Accounts: []iam.FileAccount{{ID: "1000000000000002", AccessKeys: []iam.FileKey{{ID: "LTAIquota", Secret: "s"}},
		Quotas: iam.FileQuotas{"vpcsPerRegion": 1, "vSwitchesPerVpc": 2}}}}
	srv := slbcerttest.NewServer(t, slbcerttest.WithIAM(f))
	c := vpcClient(t, srv, "LTAIquota", "s")
	v, err := c.CreateVpc(vpc.CreateCreateVpcRequest())
	must(t, err)
	if _, err := c.CreateVpc(vpc.CreateCreateVpcRequest()); err != nil {
		wantError(t, err, "QuotaExceeded.Vpc", http.StatusBadRequest)
	} else {
		t.Fatal("a second VPC past the quota")
	}
	for i := 0; i < 3; i++ {
		sw := vpc.CreateCreateVSwitchRequest()
		sw.VpcId, sw.ZoneId, sw.CidrBlock = v.VpcId, "cn-hangzhou-h", fmt.Sprintf("172.16.%d.0/24", i)
		_, err := c.CreateVSwitch(sw)
		if i < 2 {
			must(t, err)
			continue
		}
		wantError(t, err, "QuotaExceeded.VSwitch", http.StatusBadRequest)
	}
	// the default account's quota is its own
	if _, err := vpcClient(t, srv).CreateVpc(vpc.CreateCreateVpcRequest()); err != nil {
		t.Errorf("another account's quota: %v", err)
	}
}

// TestVPCClientToken: a repeated token answers the first VPC and vSwitch.
func TestVPCClientToken(t *testing.T) {
	srv := slbcerttest.NewServer(t)
	c := vpcClient(t, srv)
	r := vpc.CreateCreateVpcRequest()
	r.ClientToken = "tf-1"
	a, err := c.CreateVpc(r)
	must(t, err)
	r2 := vpc.CreateCreateVpcRequest()
	r2.ClientToken = "tf-1"
	b, err := c.CreateVpc(r2)
	must(t, err)
	if a.VpcId != b.VpcId || a.RouteTableId != b.RouteTableId {
		t.Errorf("a repeated ClientToken created %s beside %s", b.VpcId, a.VpcId)
	}
	sw := vpc.CreateCreateVSwitchRequest()
	sw.VpcId, sw.ZoneId, sw.CidrBlock, sw.ClientToken = a.VpcId, "cn-hangzhou-h", "172.16.0.0/24", "tf-2"
	s1, err := c.CreateVSwitch(sw)
	must(t, err)
	sw2 := vpc.CreateCreateVSwitchRequest()
	sw2.VpcId, sw2.ZoneId, sw2.CidrBlock, sw2.ClientToken = a.VpcId, "cn-hangzhou-h", "172.16.0.0/24", "tf-2"
	s2, err := c.CreateVSwitch(sw2)
	must(t, err)
	if s1.VSwitchId != s2.VSwitchId {
		t.Errorf("a repeated ClientToken created vSwitch %s beside %s", s2.VSwitchId, s1.VSwitchId)
	}
}
