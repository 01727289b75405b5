package vpcapi

import (
	"context"

	"slbcert/rpc"
	"slbcert/vpc"
)

// okFields are the Code, Message and Success the SDK's route-table answers
// carry (Terraform accepts Code "200").
type okFields struct {
	Code    string `json:"Code" xml:"Code"`
	Message string `json:"Message" xml:"Message"`
	Success bool   `json:"Success" xml:"Success"`
}

var ok = okFields{Code: "200", Message: "successful", Success: true}

type routeTableItem struct {
	VpcID                  string     `json:"VpcId" xml:"VpcId"`
	RouteTableID           string     `json:"RouteTableId" xml:"RouteTableId"`
	RouterID               string     `json:"RouterId" xml:"RouterId"`
	RouterType             string     `json:"RouterType" xml:"RouterType"`
	RouteTableType         string     `json:"RouteTableType" xml:"RouteTableType"`
	RouteTableName         string     `json:"RouteTableName" xml:"RouteTableName"`
	Description            string     `json:"Description" xml:"Description"`
	Status                 string     `json:"Status" xml:"Status"`
	CreationTime           string     `json:"CreationTime" xml:"CreationTime"`
	ResourceGroupID        string     `json:"ResourceGroupId" xml:"ResourceGroupId"`
	AssociateType          string     `json:"AssociateType" xml:"AssociateType"`
	RoutePropagationEnable bool       `json:"RoutePropagationEnable" xml:"RoutePropagationEnable"`
	OwnerID                int64      `json:"OwnerId" xml:"OwnerId"`
	VSwitchIDs             vswitchIDs `json:"VSwitchIds" xml:"VSwitchIds"`
	GatewayIDs             gatewayIDs `json:"GatewayIds" xml:"GatewayIds"`
	Tags                   tagList    `json:"Tags" xml:"Tags"`
}

type describeRouteTableListResponse struct {
	base
	okFields
	PageNumber      int `json:"PageNumber" xml:"PageNumber"`
	PageSize        int `json:"PageSize" xml:"PageSize"`
	TotalCount      int `json:"TotalCount" xml:"TotalCount"`
	RouterTableList struct {
		RouterTableListType []routeTableItem `json:"RouterTableListType" xml:"RouterTableListType"`
	} `json:"RouterTableList" xml:"RouterTableList"`
}

func (a *API) describeRouteTableList(ctx context.Context, c *rpc.Call) (any, error) {
	page, err := paging(c)
	if err != nil {
		return nil, err
	}
	got, err := a.Service.DescribeRouteTableList(ctx, c.Principal, vpc.DescribeRouteTableListInput{
		RegionID: c.Get("RegionId"), VPCID: c.Get("VpcId"), RouterID: c.Get("RouterId"), RouterType: c.Get("RouterType"),
		RouteTableID: c.Get("RouteTableId"), RouteTableName: c.Get("RouteTableName"), RouteTableType: c.Get("RouteTableType"),
		ResourceGroupID: c.Get("ResourceGroupId"), Tags: c.Tags("Tag"), Paging: page})
	if err != nil {
		return nil, err
	}
	out := &describeRouteTableListResponse{okFields: ok, PageNumber: got.PageNumber, PageSize: got.PageSize, TotalCount: got.Total}
	out.RouterTableList.RouterTableListType = make([]routeTableItem, 0, len(got.RouteTables))
	for _, rt := range got.RouteTables {
		v := rt.VPC
		out.RouterTableList.RouterTableListType = append(out.RouterTableList.RouterTableListType, routeTableItem{
			VpcID: v.ID, RouteTableID: v.RouteTable.ID, RouterID: v.VRouterID, RouterType: "VRouter", RouteTableType: "System",
			RouteTableName: v.RouteTable.Name, Description: v.RouteTable.Description, Status: vpc.StatusAvailable,
			CreationTime: apiTime(v.CreateTime), ResourceGroupID: v.ResourceGroupID, AssociateType: "VSwitch",
			RoutePropagationEnable: v.RouteTable.RoutePropagation, OwnerID: ownerID(v.AccountID),
			VSwitchIDs: vswitchIDs{VSwitchID: orEmpty(rt.VSwitchIDs)}, GatewayIDs: gatewayIDs{GatewayIDs: []string{}},
			Tags: tagsOf(nil),
		})
	}
	return out, nil
}

type okResponse struct {
	base
	okFields
}

func (a *API) modifyRouteTableAttributes(ctx context.Context, c *rpc.Call) (any, error) {
	prop, err := boolParam(c, "RoutePropagationEnable")
	if err != nil {
		return nil, err
	}
	err = a.Service.ModifyRouteTableAttributes(ctx, c.Principal, vpc.ModifyRouteTableInput{RegionID: c.Get("RegionId"),
		RouteTableID: c.Get("RouteTableId"), Name: c.Get("RouteTableName"), Description: c.Get("Description"), RoutePropagation: prop})
	if err != nil {
		return nil, err
	}
	return &okResponse{okFields: ok}, nil
}
