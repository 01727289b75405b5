package ecsapi

import (
	"context"

	"slbcert/ecs"
	"slbcert/rpc"
)

func (a *API) tagResources(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.ECS.TagResources(ctx, c.Principal, c.Get("RegionId"), c.Get("ResourceType"), c.List("ResourceId"), ecsTags(c))
}

func (a *API) untagResources(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.ECS.UntagResources(ctx, c.Principal, c.Get("RegionId"), c.Get("ResourceType"), c.List("ResourceId"), c.List("TagKey"), c.Get("All"))
}

type tagResource struct {
	ResourceId, ResourceType, TagKey, TagValue string
}

// listTagResourcesResponse: NextToken is left out on the last page, not
// sent empty: Terraform's ECS tag loop stops only when it is absent.
type listTagResourcesResponse struct {
	base
	NextToken    string `json:",omitempty" xml:",omitempty"`
	TagResources struct{ TagResource []tagResource }
}

func (a *API) listTagResources(ctx context.Context, c *rpc.Call) (any, error) {
	rows, next, err := a.ECS.ListTagResources(ctx, c.Principal, c.Get("RegionId"), c.Get("ResourceType"), c.List("ResourceId"), ecsTags(c), c.Get("NextToken"))
	if err != nil {
		return nil, err
	}
	out := &listTagResourcesResponse{NextToken: next}
	out.TagResources.TagResource = make([]tagResource, 0, len(rows))
	for _, r := range rows {
		out.TagResources.TagResource = append(out.TagResources.TagResource, tagResource{ResourceId: r.ResourceID, ResourceType: r.ResourceType, TagKey: r.Tag.Key, TagValue: r.Tag.Value})
	}
	return out, nil
}

type resourceTypeCount struct {
	Instance, Disk, Securitygroup, Eni, Image, Snapshot, Volume, Ddh, KeyPair, LaunchTemplate, ReservedInstance int
}

type describeTagsResponse struct {
	base
	PageNumber, PageSize, TotalCount int
	Tags                             struct {
		Tag []struct {
			TagKey, TagValue  string
			ResourceTypeCount resourceTypeCount
		}
	}
}

func (a *API) describeTags(ctx context.Context, c *rpc.Call) (any, error) {
	page, err := a.ECS.DescribeTags(ctx, c.Principal, c.Get("RegionId"), c.Get("ResourceType"), c.Get("ResourceId"), ecsTags(c), pageOf(c))
	if err != nil {
		return nil, err
	}
	out := &describeTagsResponse{PageNumber: page.PageNumber, PageSize: page.PageSize, TotalCount: page.TotalCount}
	out.Tags.Tag = make([]struct {
		TagKey, TagValue  string
		ResourceTypeCount resourceTypeCount
	}, 0, len(page.Items))
	for _, t := range page.Items {
		item := struct {
			TagKey, TagValue  string
			ResourceTypeCount resourceTypeCount
		}{TagKey: t.Tag.Key, TagValue: t.Tag.Value}
		item.ResourceTypeCount = resourceTypeCount{Instance: t.Counts[ecs.ResourceInstance], Disk: t.Counts[ecs.ResourceDisk],
			Securitygroup: t.Counts[ecs.ResourceSecurityGroup], Eni: t.Counts[ecs.ResourceENI]}
		out.Tags.Tag = append(out.Tags.Tag, item)
	}
	return out, nil
}

func (a *API) joinResourceGroup(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.ECS.JoinResourceGroup(ctx, c.Principal, c.Get("RegionId"), c.Get("ResourceType"), c.Get("ResourceId"), c.Get("ResourceGroupId"))
}
