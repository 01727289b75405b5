package rpc

import (
	"context"
	"strings"
)

func (s *Server) tagResources(ctx context.Context, c *call) (any, error) {
	p := c.params
	return &base{}, s.Service.TagResources(ctx, c.principal, p.Get("RegionId"), p.Get("ResourceType"), list(p, "ResourceId"), tags(p))
}

func (s *Server) untagResources(ctx context.Context, c *call) (any, error) {
	p := c.params
	all := strings.EqualFold(p.Get("All"), "true")
	return &base{}, s.Service.UntagResources(ctx, c.principal, p.Get("RegionId"), p.Get("ResourceType"), list(p, "ResourceId"), list(p, "TagKey"), all)
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

func (s *Server) listTagResources(ctx context.Context, c *call) (any, error) {
	p := c.params
	rows, next, err := s.Service.ListTagResources(ctx, c.principal, p.Get("RegionId"), p.Get("ResourceType"), list(p, "ResourceId"), tags(p), p.Get("NextToken"))
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

func (s *Server) moveResourceGroup(ctx context.Context, c *call) (any, error) {
	p := c.params
	return &base{}, s.Service.MoveResourceGroup(ctx, c.principal, p.Get("RegionId"), p.Get("ResourceType"), p.Get("ResourceId"), p.Get("NewResourceGroupId"))
}
