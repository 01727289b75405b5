// Package rmapi is Resource Manager (ResourceManager 2020-03-31) on the RPC
// wire: its action table and response shapes, as the Go SDK's structs and
// Terraform's data source alicloud_resource_manager_resource_groups read
// them. The rules live in package resourcemanager.
package rmapi

import (
	"context"
	"strconv"

	"slbcert"
	"slbcert/resourcemanager"
	"slbcert/rpc"
)

// API is Resource Manager's wire.
type API struct {
	Service *resourcemanager.Service
}

// Product returns Resource Manager's action table for the gateway.
func (a *API) Product() *rpc.Product {
	return &rpc.Product{Code: "ResourceManager", HostID: "resourcemanager.aliyuncs.com", Statuses: resourcemanager.Statuses, Versions: map[string]rpc.Actions{
		resourcemanager.Version: {
			"ListResourceGroups":  a.listResourceGroups,
			"GetResourceGroup":    a.getResourceGroup,
			"CreateResourceGroup": a.refuse("CreateResourceGroup"),
			"UpdateResourceGroup": a.refuse("UpdateResourceGroup"),
			"DeleteResourceGroup": a.refuse("DeleteResourceGroup"),
		},
	}}
}

type base = rpc.Response

type regionStatus struct {
	RegionID string `json:"RegionId" xml:"RegionId"`
	Status   string `json:"Status" xml:"Status"`
}

type tagItem struct {
	Key   string `json:"Key" xml:"Key"`
	Value string `json:"Value" xml:"Value"`
}

// group is a ResourceGroup as both actions answer it; RegionStatuses must
// be an object (Terraform type-asserts it).
type group struct {
	ID             string `json:"Id" xml:"Id"`
	Name           string `json:"Name" xml:"Name"`
	DisplayName    string `json:"DisplayName" xml:"DisplayName"`
	AccountID      string `json:"AccountId" xml:"AccountId"`
	Status         string `json:"Status" xml:"Status"`
	CreateDate     string `json:"CreateDate" xml:"CreateDate"`
	RegionStatuses struct {
		RegionStatus []regionStatus `json:"RegionStatus" xml:"RegionStatus"`
	} `json:"RegionStatuses" xml:"RegionStatuses"`
	Tags struct {
		Tag []tagItem `json:"Tag" xml:"Tag"`
	} `json:"Tags" xml:"Tags"`
}

func groupOf(g resourcemanager.ResourceGroup) group {
	out := group{ID: g.ID, Name: g.Name, DisplayName: g.DisplayName, AccountID: g.AccountID, Status: g.Status,
		CreateDate: g.CreateDate.UTC().Format(slbcert.TimeLayout)}
	out.RegionStatuses.RegionStatus = make([]regionStatus, 0, len(g.RegionIDs))
	for _, r := range g.RegionIDs {
		out.RegionStatuses.RegionStatus = append(out.RegionStatuses.RegionStatus, regionStatus{RegionID: r, Status: resourcemanager.StatusOK})
	}
	out.Tags.Tag = []tagItem{}
	return out
}

func intParam(c *rpc.Call, name string) (int, error) {
	v := c.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, slbcert.Errorf(slbcert.EInvalidParameter, "The specified parameter %s %q is not a positive integer.", name, v)
	}
	return n, nil
}

type listResourceGroupsResponse struct {
	base
	PageNumber     int `json:"PageNumber" xml:"PageNumber"`
	PageSize       int `json:"PageSize" xml:"PageSize"`
	TotalCount     int `json:"TotalCount" xml:"TotalCount"`
	ResourceGroups struct {
		ResourceGroup []group `json:"ResourceGroup" xml:"ResourceGroup"`
	} `json:"ResourceGroups" xml:"ResourceGroups"`
}

func (a *API) listResourceGroups(ctx context.Context, c *rpc.Call) (any, error) {
	in := resourcemanager.ListInput{Status: c.Get("Status"), Name: c.Get("Name"), DisplayName: c.Get("DisplayName"),
		ID: c.Get("ResourceGroupId"), IDs: c.List("ResourceGroupIds"), Tags: c.Tags("Tag")}
	var err error
	if in.PageNumber, err = intParam(c, "PageNumber"); err != nil {
		return nil, err
	}
	if in.PageSize, err = intParam(c, "PageSize"); err != nil {
		return nil, err
	}
	page, err := a.Service.ListResourceGroups(ctx, c.Principal, in)
	if err != nil {
		return nil, err
	}
	out := &listResourceGroupsResponse{PageNumber: page.PageNumber, PageSize: page.PageSize, TotalCount: page.Total}
	out.ResourceGroups.ResourceGroup = make([]group, 0, len(page.Groups))
	for _, g := range page.Groups {
		out.ResourceGroups.ResourceGroup = append(out.ResourceGroups.ResourceGroup, groupOf(g))
	}
	return out, nil
}

type getResourceGroupResponse struct {
	base
	ResourceGroup group `json:"ResourceGroup" xml:"ResourceGroup"`
}

func (a *API) getResourceGroup(ctx context.Context, c *rpc.Call) (any, error) {
	g, err := a.Service.GetResourceGroup(ctx, c.Principal, c.Get("ResourceGroupId"))
	if err != nil {
		return nil, err
	}
	return &getResourceGroupResponse{ResourceGroup: groupOf(*g)}, nil
}

func (a *API) refuse(action string) rpc.Handler {
	return func(ctx context.Context, c *rpc.Call) (any, error) {
		return nil, a.Service.RefuseWrite(ctx, c.Principal, action, c.Get("ResourceGroupId"))
	}
}
