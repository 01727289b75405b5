package ecs

import (
	"context"
	"errors"
	"slices"
	"strings"

	"slbcert"
)

// TagPageSize is how many rows one ListTagResources page holds.
const TagPageSize = 50

// maxTagResourceIDs bounds ResourceId.N in one tag request (TagResources
// page: 1 to 50).
const maxTagResourceIDs = 50

// arnKind is the ARN's resource type of a tag target.
var arnKind = map[string]string{
	ResourceInstance: "instance", ResourceSecurityGroup: "securitygroup", ResourceDisk: "disk",
	ResourceENI: "networkinterface", ResourceImage: "image",
}

// resourceType reads ResourceType (any case): instance, securitygroup,
// disk, eni or image; other ECS types are not served (400
// InvalidResourceType.NotSupported).
func resourceType(v string) (string, error) {
	if v == "" {
		return "", slbcert.MissingParameter("ResourceType")
	}
	t := strings.ToLower(v)
	if _, ok := arnKind[t]; !ok {
		return "", errorf(EResourceType, "The specified ResourceType %q is not supported here: instance, securitygroup, disk, eni or image.", v)
	}
	return t, nil
}

// TaggedResource is one resource a tag operation sees, with its tags.
type TaggedResource struct {
	ID, Type string
	Tags     []slbcert.Tag
}

// resources returns the account's resources of kind in the region, those
// among ids when ids are given, in creation order.
func (s *Service) resources(ctx context.Context, accountID, regionID, kind string, ids []string) ([]TaggedResource, error) {
	var out []TaggedResource
	switch kind {
	case ResourceSecurityGroup:
		list, err := s.Store.FindSecurityGroups(ctx, SecurityGroupFilter{AccountID: accountID, RegionID: regionID, IDs: ids})
		if err != nil {
			return nil, storeError(err, nil)
		}
		for _, g := range list {
			out = append(out, TaggedResource{ID: g.ID, Type: kind, Tags: g.Tags})
		}
	case ResourceInstance, ResourceDisk, ResourceENI:
		f := InstanceFilter{AccountID: accountID, RegionID: regionID}
		switch kind {
		case ResourceInstance:
			f.IDs = ids
		case ResourceDisk:
			f.DiskIDs = ids
		case ResourceENI:
			f.ENIIDs = ids
		}
		if ids != nil && len(ids) == 0 {
			return nil, nil
		}
		list, err := s.Store.FindInstances(ctx, f)
		if err != nil {
			return nil, storeError(err, nil)
		}
		for _, i := range list {
			switch kind {
			case ResourceInstance:
				out = append(out, TaggedResource{ID: i.ID, Type: kind, Tags: i.Tags})
			case ResourceDisk:
				out = append(out, TaggedResource{ID: i.SystemDisk.ID, Type: kind, Tags: i.SystemDisk.Tags})
			case ResourceENI:
				out = append(out, TaggedResource{ID: i.ENI.ID, Type: kind, Tags: i.ENI.Tags})
			}
		}
	}
	// Public images carry no tags and cannot be tagged: none are found.
	return out, nil
}

// tagTargets runs the checks every tag write starts with — region,
// ResourceType, ResourceId.N (1–50), RAM action on each resource — and
// requires every id to be the account's in the region (404
// InvalidResourceId.NotFound).
func (s *Service) tagTargets(ctx context.Context, p *slbcert.Principal, action, regionID, typ string, ids []string) (string, string, error) {
	reg, err := s.region(p, regionID)
	if err != nil {
		return "", "", err
	}
	kind, err := resourceType(typ)
	if err != nil {
		return "", "", err
	}
	switch {
	case len(ids) == 0:
		return "", "", slbcert.MissingParameter("ResourceId.N")
	case len(ids) > maxTagResourceIDs:
		return "", "", errorf(EResourceIDCount, "At most %d ResourceId.N may be given; got %d.", maxTagResourceIDs, len(ids))
	}
	for _, id := range ids {
		if err := s.authorize(p, action, ARN(reg.ID, p.Account.ID, arnKind[kind], id)); err != nil {
			return "", "", err
		}
	}
	found, err := s.resources(ctx, p.Account.ID, reg.ID, kind, ids)
	if err != nil {
		return "", "", err
	}
	for _, id := range ids {
		if !slices.ContainsFunc(found, func(r TaggedResource) bool { return r.ID == id }) {
			return "", "", errorf(EResourceIDNotFound, "The specified ResourceIds are not found in our records: %s.", id)
		}
	}
	return reg.ID, kind, nil
}

// TagResources sets tags on resources, replacing the value of a key a
// resource has (Terraform sends the same tags again: an overwrite is
// idempotent). All or nothing: a resource that would carry more than 20
// tags changes no resource (403 OperationDenied.QuotaExceed).
func (s *Service) TagResources(ctx context.Context, p *slbcert.Principal, regionID, typ string, ids []string, tags []slbcert.Tag) error {
	reg, kind, err := s.tagTargets(ctx, p, "TagResources", regionID, typ, ids)
	if err != nil {
		return err
	}
	if len(tags) == 0 {
		return slbcert.MissingParameter("Tag.N.Key")
	}
	if err := checkTags(tags); err != nil {
		return err
	}
	return s.updateTags(ctx, p, reg, kind, ids, func(have []slbcert.Tag) []slbcert.Tag {
		return slbcert.ApplyTags(have, tags, nil, false)
	})
}

// UntagResources removes the keys from resources, or every tag with all
// (and no key). A key a resource lacks is no error.
func (s *Service) UntagResources(ctx context.Context, p *slbcert.Principal, regionID, typ string, ids, keys []string, all string) error {
	reg, kind, err := s.tagTargets(ctx, p, "UntagResources", regionID, typ, ids)
	if err != nil {
		return err
	}
	removeAll, err := parseBool("All", all, false)
	if err != nil {
		return err
	}
	if len(keys) > slbcert.MaxTagsPerResource {
		return errorf(ETagCount, "At most %d TagKey.N may be given; got %d.", slbcert.MaxTagsPerResource, len(keys))
	}
	removeAll = removeAll && len(keys) == 0
	return s.updateTags(ctx, p, reg, kind, ids, func(have []slbcert.Tag) []slbcert.Tag {
		return slbcert.ApplyTags(have, nil, keys, removeAll)
	})
}

func (s *Service) updateTags(ctx context.Context, p *slbcert.Principal, regionID, kind string, ids []string, apply func([]slbcert.Tag) []slbcert.Tag) error {
	err := s.Store.UpdateECSTags(ctx, p.Account.ID, regionID, kind, ids, func(id string, have []slbcert.Tag) ([]slbcert.Tag, error) {
		out := apply(have)
		if len(out) > slbcert.MaxTagsPerResource {
			return nil, errorf(ETagQuota, "The quota of tags on resource %s is beyond permitted range: at most %d.", id, slbcert.MaxTagsPerResource)
		}
		return out, nil
	})
	if errors.Is(err, slbcert.ErrNotFound) {
		return errorf(EResourceIDNotFound, "The specified ResourceIds are not found in our records.")
	}
	return storeError(err, nil)
}

// TagRow is one row of ListTagResources: one tag of one resource.
type TagRow struct {
	ResourceID, ResourceType string
	Tag                      slbcert.Tag
}

// ListTagResources lists the tags of the resources of a type — those
// named, those carrying every Tag.N given (a key without a value matches
// any value), all of the region's otherwise — one row per tag, in
// resource creation and tag order, TagPageSize rows a page. nextToken is
// "" on the last page: the wire then leaves NextToken out, which is what
// Terraform's loop stops on.
func (s *Service) ListTagResources(ctx context.Context, p *slbcert.Principal, regionID, typ string, ids []string, filters []slbcert.Tag, token string) (rows []TagRow, nextToken string, err error) {
	reg, err := s.region(p, regionID)
	if err != nil {
		return nil, "", err
	}
	kind, err := resourceType(typ)
	if err != nil {
		return nil, "", err
	}
	if len(ids) > maxTagResourceIDs {
		return nil, "", errorf(EResourceIDCount, "At most %d ResourceId.N may be given; got %d.", maxTagResourceIDs, len(ids))
	}
	if err := checkTagFilters(filters); err != nil {
		return nil, "", err
	}
	if len(ids) == 0 {
		if err := s.authorize(p, "ListTagResources", ARN(reg.ID, p.Account.ID, arnKind[kind], "*")); err != nil {
			return nil, "", err
		}
	}
	for _, id := range ids {
		if err := s.authorize(p, "ListTagResources", ARN(reg.ID, p.Account.ID, arnKind[kind], id)); err != nil {
			return nil, "", err
		}
	}
	off, err := tokenOffset(token)
	if err != nil {
		return nil, "", err
	}
	var idFilter []string
	if len(ids) > 0 {
		idFilter = ids
	}
	found, err := s.resources(ctx, p.Account.ID, reg.ID, kind, idFilter)
	if err != nil {
		return nil, "", err
	}
	all := []TagRow{}
	for _, r := range found {
		if !hasTags(r.Tags, filters) {
			continue
		}
		for _, t := range r.Tags {
			all = append(all, TagRow{ResourceID: r.ID, ResourceType: kind, Tag: t})
		}
	}
	page := paginate(all, pageWindow{offset: off, size: TagPageSize, tokens: true})
	return page.Items, page.NextToken, nil
}

// TagCount is one tag of DescribeTags, with how many resources of each
// type carry it.
type TagCount struct {
	Tag    slbcert.Tag
	Counts map[string]int
}

// DescribeTags lists the distinct tags on the account's resources in the
// region (of ResourceType and ResourceId when given; those a Tag.N
// matches when given), with per-type counts. Images have none.
func (s *Service) DescribeTags(ctx context.Context, p *slbcert.Principal, regionID, typ, resourceID string, filters []slbcert.Tag, page Page) (Paged[TagCount], error) {
	var none Paged[TagCount]
	reg, err := s.region(p, regionID)
	if err != nil {
		return none, err
	}
	kinds := []string{ResourceInstance, ResourceDisk, ResourceENI, ResourceSecurityGroup}
	if typ != "" {
		kind, err := resourceType(typ)
		if err != nil {
			return none, err
		}
		kinds = []string{kind}
	}
	if err := s.authorize(p, "DescribeTags", ARN(reg.ID, p.Account.ID, "*", orStar(resourceID))); err != nil {
		return none, err
	}
	if err := checkTagFilters(filters); err != nil {
		return none, err
	}
	w, err := page.window(50, 100, 50, 100)
	if err != nil {
		return none, err
	}
	var ids []string
	if resourceID != "" {
		ids = []string{resourceID}
	}
	index := map[slbcert.Tag]int{}
	out := []TagCount{}
	for _, kind := range kinds {
		found, err := s.resources(ctx, p.Account.ID, reg.ID, kind, ids)
		if err != nil {
			return none, err
		}
		for _, r := range found {
			for _, t := range r.Tags {
				if len(filters) > 0 && !slices.ContainsFunc(filters, func(f slbcert.Tag) bool { return hasTags([]slbcert.Tag{t}, []slbcert.Tag{f}) }) {
					continue
				}
				at, ok := index[t]
				if !ok {
					at = len(out)
					index[t] = at
					out = append(out, TagCount{Tag: t, Counts: map[string]int{}})
				}
				out[at].Counts[kind]++
			}
		}
	}
	return paginate(out, w), nil
}

// JoinResourceGroup moves an instance or a security group to another
// resource group (a disk and a network interface follow their instance).
// Any well-formed group id is accepted (docs/choices.md).
func (s *Service) JoinResourceGroup(ctx context.Context, p *slbcert.Principal, regionID, typ, id, groupID string) error {
	kind, err := resourceType(typ)
	if err != nil {
		return err
	}
	if groupID == "" {
		return slbcert.MissingParameter("ResourceGroupId")
	}
	if err := slbcert.CheckResourceGroupID("ResourceGroupId", groupID); err != nil {
		return err
	}
	switch kind {
	case ResourceInstance:
		inst, err := s.instance(ctx, p, "JoinResourceGroup", regionID, id)
		if err != nil {
			return err
		}
		_, err = s.Store.UpdateInstance(ctx, p.Account.ID, inst.ID, func(i *Instance) error {
			i.ResourceGroupID = groupID
			return nil
		})
		return storeError(err, errInstanceNotFound(id))
	case ResourceSecurityGroup:
		g, err := s.group(ctx, p, "JoinResourceGroup", regionID, id)
		if err != nil {
			return err
		}
		_, err = s.Store.UpdateSecurityGroup(ctx, p.Account.ID, g.ID, func(g *SecurityGroup) error {
			g.ResourceGroupID = groupID
			return nil
		})
		return storeError(err, errSecurityGroupNotFound(id))
	}
	return errorf(EResourceType, "The ResourceType %q cannot change resource group here: instance or securitygroup.", typ)
}
