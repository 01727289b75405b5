package vpcapi_test

import (
	"net/http"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"slbcert"
	"slbcert/slbcerttest"
)

// TestVPCLifecycle drives a VPC and a vSwitch through every VPC action
// with the official Go SDK, as Terraform's resources use them, on both
// stores.
func TestVPCLifecycle(t *testing.T) {
	stores(t, func(t *testing.T, srv *slbcerttest.Server) {
		c := vpcClient(t, srv)

		create := vpc.CreateCreateVpcRequest()
		create.CidrBlock, create.VpcName, create.Description = "192.168.0.0/16", "web", "the web tier"
		create.Tag = &[]vpc.CreateVpcTag{{Key: "env", Value: "test"}}
		created, err := c.CreateVpc(create)
		must(t, err)
		if created.VpcId == "" || created.VRouterId == "" || created.RouteTableId == "" || created.ResourceGroupId != slbcert.DefaultResourceGroupID(srv.AccountID) {
			t.Fatalf("CreateVpc answered %+v", created)
		}
		id := created.VpcId

		attr := vpc.CreateDescribeVpcAttributeRequest()
		attr.VpcId = id
		got, err := c.DescribeVpcAttribute(attr)
		must(t, err)
		if got.Status != "Available" || got.CidrBlock != "192.168.0.0/16" || got.VpcName != "web" || got.Description != "the web tier" ||
			got.RegionId != region || got.VRouterId != created.VRouterId || got.DnsHostnameStatus != "DISABLED" ||
			len(got.Tags.Tag) != 1 || got.Tags.Tag[0].Key != "env" || len(got.VSwitchIds.VSwitchId) != 0 || got.CreationTime == "" {
			t.Fatalf("DescribeVpcAttribute %+v", got)
		}

		sw := vpc.CreateCreateVSwitchRequest()
		sw.VpcId, sw.ZoneId, sw.CidrBlock, sw.VSwitchName = id, "cn-hangzhou-h", "192.168.1.0/24", "web-h"
		vs, err := c.CreateVSwitch(sw)
		must(t, err)

		list := vpc.CreateDescribeVSwitchesRequest()
		list.VpcId = id
		vsl, err := c.DescribeVSwitches(list)
		must(t, err)
		if vsl.TotalCount != 1 || len(vsl.VSwitches.VSwitch) != 1 {
			t.Fatalf("DescribeVSwitches %+v", vsl)
		}
		item := vsl.VSwitches.VSwitch[0]
		if item.VSwitchId != vs.VSwitchId || item.AvailableIpAddressCount != 252 || item.ZoneId != "cn-hangzhou-h" || item.Status != "Available" ||
			item.RouteTable.RouteTableId != created.RouteTableId || item.ResourceGroupId != created.ResourceGroupId || item.VSwitchName != "web-h" {
			t.Errorf("vSwitch item %+v", item)
		}
		vattr := vpc.CreateDescribeVSwitchAttributesRequest()
		vattr.VSwitchId = vs.VSwitchId
		va, err := c.DescribeVSwitchAttributes(vattr)
		must(t, err)
		if va.VSwitchId != vs.VSwitchId || va.VpcId != id || va.CidrBlock != "192.168.1.0/24" || va.AvailableIpAddressCount != 252 {
			t.Errorf("DescribeVSwitchAttributes %+v", va)
		}

		rt := vpc.CreateDescribeRouteTableListRequest()
		rt.VpcId = id
		rts, err := c.DescribeRouteTableList(rt)
		must(t, err)
		if !rts.Success || rts.TotalCount != 1 || len(rts.RouterTableList.RouterTableListType) != 1 {
			t.Fatalf("DescribeRouteTableList %+v", rts)
		}
		table := rts.RouterTableList.RouterTableListType[0]
		if table.RouteTableId != created.RouteTableId || table.RouteTableType != "System" || table.RouterId != created.VRouterId ||
			table.VpcId != id || !table.RoutePropagationEnable || len(table.VSwitchIds.VSwitchId) != 1 || table.ResourceGroupId != created.ResourceGroupId {
			t.Errorf("route table %+v", table)
		}

		mod := vpc.CreateModifyVpcAttributeRequest()
		mod.VpcId, mod.VpcName, mod.CidrBlock, mod.EnableDnsHostname = id, "web2", "192.168.0.0/20", requests.NewBoolean(true)
		_, err = c.ModifyVpcAttribute(mod)
		must(t, err)
		modsw := vpc.CreateModifyVSwitchAttributeRequest()
		modsw.VSwitchId, modsw.Description = vs.VSwitchId, "zone h"
		_, err = c.ModifyVSwitchAttribute(modsw)
		must(t, err)
		modrt := vpc.CreateModifyRouteTableAttributesRequest()
		modrt.RouteTableId, modrt.RouteTableName, modrt.RoutePropagationEnable = created.RouteTableId, "main", requests.NewBoolean(false)
		_, err = c.ModifyRouteTableAttributes(modrt)
		must(t, err)

		tag := vpc.CreateTagResourcesRequest()
		tag.ResourceType, tag.ResourceId, tag.Tag = "VSWITCH", &[]string{vs.VSwitchId}, &[]vpc.TagResourcesTag{{Key: "tier", Value: "web"}}
		_, err = c.TagResources(tag)
		must(t, err)
		lt := vpc.CreateListTagResourcesRequest()
		lt.ResourceType, lt.ResourceId = "VSWITCH", &[]string{vs.VSwitchId}
		tags, err := c.ListTagResources(lt)
		must(t, err)
		if tags.NextToken != "" || len(tags.TagResources.TagResource) != 1 || tags.TagResources.TagResource[0].TagKey != "tier" ||
			tags.TagResources.TagResource[0].ResourceType != "VSWITCH" {
			t.Errorf("ListTagResources %+v", tags)
		}
		untag := vpc.CreateUnTagResourcesRequest()
		untag.ResourceType, untag.ResourceId, untag.TagKey = "VPC", &[]string{id}, &[]string{"env"}
		_, err = c.UnTagResources(untag)
		must(t, err)

		move := vpc.CreateMoveResourceGroupRequest()
		move.ResourceType, move.ResourceId, move.NewResourceGroupId = "VPC", id, "rg-moved42"
		_, err = c.MoveResourceGroup(move)
		must(t, err)

		got, err = c.DescribeVpcAttribute(attr)
		must(t, err)
		if got.VpcName != "web2" || got.CidrBlock != "192.168.0.0/20" || got.DnsHostnameStatus != "ENABLED" || len(got.Tags.Tag) != 0 ||
			got.ResourceGroupId != "rg-moved42" || len(got.VSwitchIds.VSwitchId) != 1 || len(got.CloudResources.CloudResourceSetType) != 1 {
			t.Errorf("after the changes: %+v", got)
		}
		rts, err = c.DescribeRouteTableList(rt)
		must(t, err)
		if table := rts.RouterTableList.RouterTableListType[0]; table.RouteTableName != "main" || table.RoutePropagationEnable || table.ResourceGroupId != "rg-moved42" {
			t.Errorf("route table after the changes: %+v", table)
		}
		va, err = c.DescribeVSwitchAttributes(vattr)
		must(t, err)
		if va.Description != "zone h" || va.ResourceGroupId != "rg-moved42" || len(va.Tags.Tag) != 1 {
			t.Errorf("vSwitch after the changes: %+v", va)
		}

		vpcs := vpc.CreateDescribeVpcsRequest()
		vpcs.VpcName = "web2"
		found, err := c.DescribeVpcs(vpcs)
		must(t, err)
		if found.TotalCount != 1 || found.Vpcs.Vpc[0].VpcId != id || len(found.Vpcs.Vpc[0].VSwitchIds.VSwitchId) != 1 || found.PageSize != 10 || found.PageNumber != 1 {
			t.Errorf("DescribeVpcs %+v", found)
		}

		del := vpc.CreateDeleteVpcRequest()
		del.VpcId = id
		_, err = c.DeleteVpc(del)
		wantError(t, err, "DependencyViolation.VSwitch", http.StatusBadRequest)
		delsw := vpc.CreateDeleteVSwitchRequest()
		delsw.VSwitchId = vs.VSwitchId
		_, err = c.DeleteVSwitch(delsw)
		must(t, err)
		_, err = c.DescribeVSwitchAttributes(vattr)
		wantError(t, err, "InvalidVSwitchId.NotFound", http.StatusNotFound)
		_, err = c.DeleteVpc(del)
		must(t, err)
		_, err = c.DescribeVpcAttribute(attr)
		wantError(t, err, "InvalidVpcId.NotFound", http.StatusNotFound)
		_, err = c.DeleteVpc(del)
		wantError(t, err, "InvalidVpcId.NotFound", http.StatusNotFound)
	})
}
