package vpcapi

import (
	"context"

	"slbcert/rpc"
	"slbcert/vpc"
)

type createVSwitchResponse struct {
	base
	VSwitchID string `json:"VSwitchId" xml:"VSwitchId"`
}

func (a *API) createVSwitch(ctx context.Context, c *rpc.Call) (any, error) {
	in := vpc.CreateVSwitchInput{RegionID: c.Get("RegionId"), VPCID: c.Get("VpcId"), ZoneID: c.Get("ZoneId"),
		CidrBlock: c.Get("CidrBlock"), Name: c.Get("VSwitchName"), Description: c.Get("Description"),
		ClientToken: c.Get("ClientToken"), Tags: c.Tags("Tag"),
		IPv6: c.Get("Ipv6CidrBlock") != "" || c.Get("VpcIpv6CidrBlock") != ""}
	var err error
	if in.DryRun, err = flag(c, "DryRun"); err != nil {
		return nil, err
	}
	sw, err := a.Service.CreateVSwitch(ctx, c.Principal, in)
	if err != nil {
		return nil, err
	}
	return &createVSwitchResponse{VSwitchID: sw.ID}, nil
}

// routeTableRef is a vSwitch's RouteTable: Terraform reads RouteTableId
// and requires an object.
type routeTableRef struct {
	RouteTableID   string `json:"RouteTableId" xml:"RouteTableId"`
	RouteTableType string `json:"RouteTableType" xml:"RouteTableType"`
}

// vswitchFields are DescribeVSwitches' items, and DescribeVSwitchAttributes'
// top-level fields.
type vswitchFields struct {
	VSwitchID               string        `json:"VSwitchId" xml:"VSwitchId"`
	VpcID                   string        `json:"VpcId" xml:"VpcId"`
	Status                  string        `json:"Status" xml:"Status"`
	CidrBlock               string        `json:"CidrBlock" xml:"CidrBlock"`
	ZoneID                  string        `json:"ZoneId" xml:"ZoneId"`
	AvailableIPAddressCount int64         `json:"AvailableIpAddressCount" xml:"AvailableIpAddressCount"`
	Description             string        `json:"Description" xml:"Description"`
	VSwitchName             string        `json:"VSwitchName" xml:"VSwitchName"`
	CreationTime            string        `json:"CreationTime" xml:"CreationTime"`
	IsDefault               bool          `json:"IsDefault" xml:"IsDefault"`
	ResourceGroupID         string        `json:"ResourceGroupId" xml:"ResourceGroupId"`
	NetworkACLID            string        `json:"NetworkAclId" xml:"NetworkAclId"`
	OwnerID                 int64         `json:"OwnerId" xml:"OwnerId"`
	Ipv6CidrBlock           string        `json:"Ipv6CidrBlock" xml:"Ipv6CidrBlock"`
	EnabledIpv6             bool          `json:"EnabledIpv6" xml:"EnabledIpv6"`
	ShareType               string        `json:"ShareType" xml:"ShareType"`
	RouteTable              routeTableRef `json:"RouteTable" xml:"RouteTable"`
	Tags                    tagList       `json:"Tags" xml:"Tags"`
}

func vswitchFieldsOf(v vpc.VSwitchView) vswitchFields {
	return vswitchFields{
		VSwitchID: v.ID, VpcID: v.VPCID, Status: v.Status, CidrBlock: v.CidrBlock.String(), ZoneID: v.ZoneID,
		AvailableIPAddressCount: v.AvailableIPAddressCount, Description: v.Description, VSwitchName: v.Name,
		CreationTime: apiTime(v.CreateTime), ResourceGroupID: v.ResourceGroupID, OwnerID: ownerID(v.AccountID),
		RouteTable: routeTableRef{RouteTableID: v.RouteTableID, RouteTableType: "System"},
		Tags:       tagsOf(v.Tags),
	}
}

type describeVSwitchesResponse struct {
	base
	PageNumber int `json:"PageNumber" xml:"PageNumber"`
	PageSize   int `json:"PageSize" xml:"PageSize"`
	TotalCount int `json:"TotalCount" xml:"TotalCount"`
	VSwitches  struct {
		VSwitch []vswitchFields `json:"VSwitch" xml:"VSwitch"`
	} `json:"VSwitches" xml:"VSwitches"`
}

func (a *API) describeVSwitches(ctx context.Context, c *rpc.Call) (any, error) {
	page, err := paging(c)
	if err != nil {
		return nil, err
	}
	in := vpc.DescribeVSwitchesInput{RegionID: c.Get("RegionId"), VPCID: c.Get("VpcId"), VSwitchIDs: c.Get("VSwitchId"),
		ZoneID: c.Get("ZoneId"), Name: c.Get("VSwitchName"), ResourceGroupID: c.Get("ResourceGroupId"),
		RouteTableID: c.Get("RouteTableId"), Tags: c.Tags("Tag"), VSwitchOwnerID: c.Get("VSwitchOwnerId"), Paging: page}
	if in.IsDefault, err = boolParam(c, "IsDefault"); err != nil {
		return nil, err
	}
	if in.EnableIPv6, err = boolParam(c, "EnableIpv6"); err != nil {
		return nil, err
	}
	if in.DryRun, err = flag(c, "DryRun"); err != nil {
		return nil, err
	}
	got, err := a.Service.DescribeVSwitches(ctx, c.Principal, in)
	if err != nil {
		return nil, err
	}
	out := &describeVSwitchesResponse{PageNumber: got.PageNumber, PageSize: got.PageSize, TotalCount: got.Total}
	out.VSwitches.VSwitch = make([]vswitchFields, 0, len(got.VSwitches))
	for _, v := range got.VSwitches {
		out.VSwitches.VSwitch = append(out.VSwitches.VSwitch, vswitchFieldsOf(v))
	}
	return out, nil
}

type describeVSwitchAttributesResponse struct {
	base
	vswitchFields
	CloudResources cloudResources `json:"CloudResources" xml:"CloudResources"`
}

func (a *API) describeVSwitchAttributes(ctx context.Context, c *rpc.Call) (any, error) {
	dry, err := flag(c, "DryRun")
	if err != nil {
		return nil, err
	}
	d, err := a.Service.DescribeVSwitchAttributes(ctx, c.Principal, c.Get("RegionId"), c.Get("VSwitchId"), dry)
	if err != nil {
		return nil, err
	}
	return &describeVSwitchAttributesResponse{vswitchFields: vswitchFieldsOf(d.VSwitchView), CloudResources: cloudResourcesOf(d.CloudResources)}, nil
}

func (a *API) modifyVSwitchAttribute(ctx context.Context, c *rpc.Call) (any, error) {
	in := vpc.ModifyVSwitchInput{RegionID: c.Get("RegionId"), VSwitchID: c.Get("VSwitchId"), Name: c.Get("VSwitchName"), Description: c.Get("Description")}
	var err error
	if in.EnableIPv6, err = boolParam(c, "EnableIPv6"); err != nil {
		return nil, err
	}
	return &base{}, a.Service.ModifyVSwitchAttribute(ctx, c.Principal, in)
}

func (a *API) deleteVSwitch(ctx context.Context, c *rpc.Call) (any, error) {
	dry, err := flag(c, "DryRun")
	if err != nil {
		return nil, err
	}
	return &base{}, a.Service.DeleteVSwitch(ctx, c.Principal, c.Get("RegionId"), c.Get("VSwitchId"), dry)
}
