package vpcapi

import (
	"context"

	"slbcert/rpc"
	"slbcert/vpc"
)

func (a *API) tagResources(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.TagResources(ctx, c.Principal, c.Get("RegionId"), c.Get("ResourceType"), c.List("ResourceId"), c.Tags("Tag"))
}

func (a *API) unTagResources(ctx context.Context, c *rpc.Call) (any, error) {
	all, err := flag(c, "All")
	if err != nil {
		return nil, err
	}
	return &base{}, a.Service.UnTagResources(ctx, c.Principal, c.Get("RegionId"), c.Get("ResourceType"), c.List("ResourceId"), c.List("TagKey"), all)
}

type tagResourceItem struct {
	ResourceType string `json:"ResourceType" xml:"ResourceType"`
	ResourceID   string `json:"ResourceId" xml:"ResourceId"`
	TagKey       string `json:"TagKey" xml:"TagKey"`
	TagValue     string `json:"TagValue" xml:"TagValue"`
}

// listTagResourcesResponse: NextToken is left out on the last page (the
// ECS and RM loops of Terraform stop on its absence; VPC's on "" too).
type listTagResourcesResponse struct {
	base
	NextToken    string `json:"NextToken,omitempty" xml:"NextToken,omitempty"`
	TagResources struct {
		TagResource []tagResourceItem `json:"TagResource" xml:"TagResource"`
	} `json:"TagResources" xml:"TagResources"`
}

func (a *API) listTagResources(ctx context.Context, c *rpc.Call) (any, error) {
	max, err := intParam(c, "MaxResults")
	if err != nil {
		return nil, err
	}
	rows, next, err := a.Service.ListTagResources(ctx, c.Principal, vpc.ListTagResourcesInput{RegionID: c.Get("RegionId"),
		ResourceType: c.Get("ResourceType"), ResourceIDs: c.List("ResourceId"), Tags: c.Tags("Tag"),
		NextToken: c.Get("NextToken"), MaxResults: max})
	if err != nil {
		return nil, err
	}
	out := &listTagResourcesResponse{NextToken: next}
	out.TagResources.TagResource = make([]tagResourceItem, 0, len(rows))
	for _, r := range rows {
		out.TagResources.TagResource = append(out.TagResources.TagResource, tagResourceItem{
			ResourceType: r.ResourceType, ResourceID: r.ResourceID, TagKey: r.Tag.Key, TagValue: r.Tag.Value})
	}
	return out, nil
}
