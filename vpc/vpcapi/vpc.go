package vpcapi

import (
	"context"

	"slbcert/rpc"
	"slbcert/vpc"
)

type createVpcResponse struct {
	base
	VpcID           string `json:"VpcId" xml:"VpcId"`
	VRouterID       string `json:"VRouterId" xml:"VRouterId"`
	RouteTableID    string `json:"RouteTableId" xml:"RouteTableId"`
	ResourceGroupID string `json:"ResourceGroupId" xml:"ResourceGroupId"`
}

func (a *API) createVpc(ctx context.Context, c *rpc.Call) (any, error) {
	in := vpc.CreateVPCInput{RegionID: c.Get("RegionId"), CidrBlock: c.Get("CidrBlock"), Name: c.Get("VpcName"),
		Description: c.Get("Description"), ResourceGroupID: c.Get("ResourceGroupId"), UserCidr: c.Get("UserCidr"),
		ClientToken: c.Get("ClientToken"), Tags: c.Tags("Tag")}
	var err error
	for _, f := range []struct {
		name string
		dst  *bool
	}{{"EnableIpv6", &in.EnableIPv6}, {"EnableDnsHostname", &in.EnableDNSHostname}, {"DryRun", &in.DryRun}} {
		if *f.dst, err = flag(c, f.name); err != nil {
			return nil, err
		}
	}
	v, err := a.Service.CreateVPC(ctx, c.Principal, in)
	if err != nil {
		return nil, err
	}
	return &createVpcResponse{VpcID: v.ID, VRouterID: v.VRouterID, RouteTableID: v.RouteTable.ID, ResourceGroupID: v.ResourceGroupID}, nil
}

// vpcFields are what DescribeVpcs' items and DescribeVpcAttribute share.
type vpcFields struct {
	VpcID                string      `json:"VpcId" xml:"VpcId"`
	RegionID             string      `json:"RegionId" xml:"RegionId"`
	VpcName              string      `json:"VpcName" xml:"VpcName"`
	Status               string      `json:"Status" xml:"Status"`
	CidrBlock            string      `json:"CidrBlock" xml:"CidrBlock"`
	Description          string      `json:"Description" xml:"Description"`
	CreationTime         string      `json:"CreationTime" xml:"CreationTime"`
	IsDefault            bool        `json:"IsDefault" xml:"IsDefault"`
	VRouterID            string      `json:"VRouterId" xml:"VRouterId"`
	ResourceGroupID      string      `json:"ResourceGroupId" xml:"ResourceGroupId"`
	OwnerID              int64       `json:"OwnerId" xml:"OwnerId"`
	DhcpOptionsSetID     string      `json:"DhcpOptionsSetId" xml:"DhcpOptionsSetId"`
	DhcpOptionsSetStatus string      `json:"DhcpOptionsSetStatus" xml:"DhcpOptionsSetStatus"`
	Ipv6CidrBlock        string      `json:"Ipv6CidrBlock" xml:"Ipv6CidrBlock"`
	EnabledIpv6          bool        `json:"EnabledIpv6" xml:"EnabledIpv6"`
	DNSHostnameStatus    string      `json:"DnsHostnameStatus" xml:"DnsHostnameStatus"`
	NetworkACLNum        string      `json:"NetworkAclNum" xml:"NetworkAclNum"`
	VSwitchIDs           vswitchIDs  `json:"VSwitchIds" xml:"VSwitchIds"`
	SecondaryCidrBlocks  secondaries `json:"SecondaryCidrBlocks" xml:"SecondaryCidrBlocks"`
	UserCidrs            userCidrs   `json:"UserCidrs" xml:"UserCidrs"`
	Ipv6CidrBlocks       ipv6Blocks  `json:"Ipv6CidrBlocks" xml:"Ipv6CidrBlocks"`
	Tags                 tagList     `json:"Tags" xml:"Tags"`
}

func vpcFieldsOf(v vpc.VPCView) vpcFields {
	dns := "DISABLED"
	if v.DNSHostname {
		dns = "ENABLED"
	}
	return vpcFields{
		VpcID: v.ID, RegionID: v.RegionID, VpcName: v.Name, Status: v.Status, CidrBlock: v.CidrBlock.String(),
		Description: v.Description, CreationTime: apiTime(v.CreateTime), VRouterID: v.VRouterID,
		ResourceGroupID: v.ResourceGroupID, OwnerID: ownerID(v.AccountID), DNSHostnameStatus: dns, NetworkACLNum: "0",
		VSwitchIDs:          vswitchIDs{VSwitchID: orEmpty(v.VSwitchIDs)},
		SecondaryCidrBlocks: secondaries{SecondaryCidrBlock: []string{}},
		UserCidrs:           userCidrs{UserCidr: orEmpty(v.UserCidrs)},
		Ipv6CidrBlocks:      ipv6Blocks{Ipv6CidrBlock: []ipv6Block{}},
		Tags:                tagsOf(v.Tags),
	}
}

// vpcItem is one of DescribeVpcs' Vpcs.Vpc.
type vpcItem struct {
	vpcFields
	CenStatus              string      `json:"CenStatus" xml:"CenStatus"`
	SupportAdvancedFeature bool        `json:"SupportAdvancedFeature" xml:"SupportAdvancedFeature"`
	AdvancedResource       bool        `json:"AdvancedResource" xml:"AdvancedResource"`
	NatGatewayIDs          natGateways `json:"NatGatewayIds" xml:"NatGatewayIds"`
	RouterTableIDs         routeTables `json:"RouterTableIds" xml:"RouterTableIds"`
}

type describeVpcsResponse struct {
	base
	PageNumber int `json:"PageNumber" xml:"PageNumber"`
	PageSize   int `json:"PageSize" xml:"PageSize"`
	TotalCount int `json:"TotalCount" xml:"TotalCount"`
	Vpcs       struct {
		Vpc []vpcItem `json:"Vpc" xml:"Vpc"`
	} `json:"Vpcs" xml:"Vpcs"`
}

func (a *API) describeVpcs(ctx context.Context, c *rpc.Call) (any, error) {
	page, err := paging(c)
	if err != nil {
		return nil, err
	}
	in := vpc.DescribeVPCsInput{RegionID: c.Get("RegionId"), VPCIDs: c.Get("VpcId"), Name: c.Get("VpcName"),
		ResourceGroupID: c.Get("ResourceGroupId"), Tags: c.Tags("Tag"), DhcpOptionsSetID: c.Get("DhcpOptionsSetId"),
		VpcOwnerID: c.Get("VpcOwnerId"), Paging: page}
	if in.IsDefault, err = boolParam(c, "IsDefault"); err != nil {
		return nil, err
	}
	if in.EnableIPv6, err = boolParam(c, "EnableIpv6"); err != nil {
		return nil, err
	}
	if in.DryRun, err = flag(c, "DryRun"); err != nil {
		return nil, err
	}
	got, err := a.Service.DescribeVPCs(ctx, c.Principal, in)
	if err != nil {
		return nil, err
	}
	out := &describeVpcsResponse{PageNumber: got.PageNumber, PageSize: got.PageSize, TotalCount: got.Total}
	out.Vpcs.Vpc = make([]vpcItem, 0, len(got.VPCs))
	for _, v := range got.VPCs {
		out.Vpcs.Vpc = append(out.Vpcs.Vpc, vpcItem{vpcFields: vpcFieldsOf(v), CenStatus: "Detached",
			NatGatewayIDs: natGateways{NatGatewayIDs: []string{}}, RouterTableIDs: routeTables{RouterTableIDs: []string{v.RouteTable.ID}}})
	}
	return out, nil
}

type describeVpcAttributeResponse struct {
	base
	vpcFields
	ClassicLinkEnabled           bool           `json:"ClassicLinkEnabled" xml:"ClassicLinkEnabled"`
	SupportIpv4Gateway           bool           `json:"SupportIpv4Gateway" xml:"SupportIpv4Gateway"`
	Ipv4GatewayID                string         `json:"Ipv4GatewayId" xml:"Ipv4GatewayId"`
	AssociatedCens               associations   `json:"AssociatedCens" xml:"AssociatedCens"`
	CloudResources               cloudResources `json:"CloudResources" xml:"CloudResources"`
	AssociatedPropagationSources propagations   `json:"AssociatedPropagationSources" xml:"AssociatedPropagationSources"`
}

func (a *API) describeVpcAttribute(ctx context.Context, c *rpc.Call) (any, error) {
	dry, err := flag(c, "DryRun")
	if err != nil {
		return nil, err
	}
	d, err := a.Service.DescribeVPCAttribute(ctx, c.Principal, c.Get("RegionId"), c.Get("VpcId"), dry)
	if err != nil {
		return nil, err
	}
	out := &describeVpcAttributeResponse{vpcFields: vpcFieldsOf(d.VPCView), CloudResources: cloudResourcesOf(d.CloudResources)}
	out.AssociatedCens.AssociatedCen = []struct{}{}
	out.AssociatedPropagationSources.Items = []struct{}{}
	return out, nil
}

func (a *API) modifyVpcAttribute(ctx context.Context, c *rpc.Call) (any, error) {
	in := vpc.ModifyVPCInput{RegionID: c.Get("RegionId"), VPCID: c.Get("VpcId"), Name: c.Get("VpcName"),
		Description: c.Get("Description"), CidrBlock: c.Get("CidrBlock")}
	var err error
	if in.EnableIPv6, err = boolParam(c, "EnableIPv6"); err != nil {
		return nil, err
	}
	if in.EnableDNSHostname, err = boolParam(c, "EnableDnsHostname"); err != nil {
		return nil, err
	}
	return &base{}, a.Service.ModifyVPCAttribute(ctx, c.Principal, in)
}

func (a *API) deleteVpc(ctx context.Context, c *rpc.Call) (any, error) {
	dry, err := flag(c, "DryRun")
	if err != nil {
		return nil, err
	}
	if _, err := flag(c, "ForceDelete"); err != nil {
		return nil, err
	}
	return &base{}, a.Service.DeleteVPC(ctx, c.Principal, c.Get("RegionId"), c.Get("VpcId"), dry)
}

func (a *API) moveResourceGroup(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.MoveResourceGroup(ctx, c.Principal, c.Get("RegionId"), c.Get("ResourceType"), c.Get("ResourceId"), c.Get("NewResourceGroupId"))
}
