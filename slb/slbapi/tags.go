package slbapi

import (
	"context"
	"strings"

	"slbcert/rpc"
	"slbcert/slb"
)

func (a *API) tagResources(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.TagResources(ctx, c.Principal, slb.TagResourcesInput{
		RegionID: c.Get("RegionId"), ResourceType: c.Get("ResourceType"), ResourceIDs: c.List("ResourceId"), Tags: c.Tags("Tag"),
	})
}

func (a *API) untagResources(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.UntagResources(ctx, c.Principal, slb.UntagResourcesInput{
		RegionID: c.Get("RegionId"), ResourceType: c.Get("ResourceType"), ResourceIDs: c.List("ResourceId"),
		TagKeys: c.List("TagKey"), All: strings.EqualFold(c.Get("All"), "true"),
	})
}

type tagResourceItem struct {
	ResourceType string `json:"ResourceType" xml:"ResourceType"`
	ResourceID   string `json:"ResourceId" xml:"ResourceId"`
	TagKey       string `json:"TagKey" xml:"TagKey"`
	TagValue     string `json:"TagValue" xml:"TagValue"`
}

type tagResourceList struct {
	TagResource []tagResourceItem `json:"TagResource" xml:"TagResource"`
}

type listTagResourcesResponse struct {
	base
	NextToken    string          `json:"NextToken" xml:"NextToken"`
	TagResources tagResourceList `json:"TagResources" xml:"TagResources"`
}

func (a *API) listTagResources(ctx context.Context, c *rpc.Call) (any, error) {
	rows, next, err := a.Service.ListTagResources(ctx, c.Principal, slb.ListTagResourcesInput{
		RegionID: c.Get("RegionId"), ResourceType: c.Get("ResourceType"), ResourceIDs: c.List("ResourceId"),
		Tags: c.Tags("Tag"), NextToken: c.Get("NextToken"),
	})
	if err != nil {
		return nil, err
	}
	out := &listTagResourcesResponse{NextToken: next, TagResources: tagResourceList{TagResource: make([]tagResourceItem, 0, len(rows))}}
	for _, r := range rows {
		out.TagResources.TagResource = append(out.TagResources.TagResource, tagResourceItem{
			ResourceType: r.ResourceType, ResourceID: r.ResourceID, TagKey: r.Tag.Key, TagValue: r.Tag.Value,
		})
	}
	return out, nil
}

func (a *API) moveResourceGroup(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.MoveResourceGroup(ctx, c.Principal, slb.MoveResourceGroupInput{
		RegionID: c.Get("RegionId"), ResourceType: c.Get("ResourceType"), ResourceID: c.Get("ResourceId"),
		NewResourceGroupID: c.Get("NewResourceGroupId"),
	})
}
