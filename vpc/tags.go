package vpc

import (
	"context"
	"errors"
	"slices"
	"strings"

	"slbcert"
)

// Tags on VPCs (ResourceType VPC) and vSwitches (VSWITCH), with the
// kernel's tag rules (docs/choices.md, "VPC").

// Resource types of the tag operations, as answered.
const (
	ResourceTypeVPC     = "VPC"
	ResourceTypeVSwitch = "VSWITCH"
)

// maxResourceIDs bounds ResourceId.N.
const maxResourceIDs = 20

// tagKind maps ResourceType (any case) to the store's kind and the ARN's.
func tagKind(resourceType string) (string, error) {
	switch {
	case resourceType == "":
		return "", slbcert.MissingParameter("ResourceType")
	case strings.EqualFold(resourceType, ResourceTypeVPC):
		return kindVPC, nil
	case strings.EqualFold(resourceType, ResourceTypeVSwitch):
		return kindVSwitch, nil
	}
	return "", slbcert.Errorf(EResourceType, "The specified ResourceType %q is not supported here: VPC or VSWITCH.", resourceType)
}

func checkResourceIDs(ids []string, required bool) error {
	if len(ids) == 0 && required {
		return slbcert.MissingParameter("ResourceId.N")
	}
	if len(ids) > maxResourceIDs {
		return slbcert.Errorf(slbcert.EResourceIDSizeLimit, "At most %d ResourceId.N may be given in one request; got %d.", maxResourceIDs, len(ids))
	}
	if slices.Contains(ids, "") {
		return slbcert.Errorf(slbcert.EInvalidParameter, "A ResourceId.N parameter is empty.")
	}
	return nil
}

// tagTargets runs what TagResources and UnTagResources start with: the
// region, ResourceType, 1–20 ids, RAM on each id's ARN.
func (s *Service) tagTargets(p *slbcert.Principal, action, regionID, resourceType string, ids []string) (string, string, error) {
	reg, err := s.region(p, regionID)
	if err != nil {
		return "", "", err
	}
	kind, err := tagKind(resourceType)
	if err != nil {
		return "", "", err
	}
	if err := checkResourceIDs(ids, true); err != nil {
		return "", "", err
	}
	for _, id := range ids {
		if err := s.authorize(p, action, ARN(reg.ID, p.Account.ID, kind, id)); err != nil {
			return "", "", err
		}
	}
	return reg.ID, kind, nil
}

// TagResources sets tags on VPCs or vSwitches, replacing the value of a
// key one already carries; all or nothing: 404 InvalidResourceId.NotFound
// naming an unknown id, TagCountLimit past 20 tags on one resource.
func (s *Service) TagResources(ctx context.Context, p *slbcert.Principal, regionID, resourceType string, ids []string, tags []slbcert.Tag) error {
	reg, kind, err := s.tagTargets(p, "TagResources", regionID, resourceType, ids)
	if err != nil {
		return err
	}
	if len(tags) == 0 {
		return slbcert.MissingParameter("Tag.N")
	}
	if err := slbcert.CheckTagsToWrite(tags, "Tag"); err != nil {
		return err
	}
	err = s.Store.UpdateVPCTags(ctx, p.Account.ID, reg, kind, ids, slbcert.DedupeTags(tags), nil, false, slbcert.MaxTagsPerResource)
	return s.tagError(ctx, p, reg, kind, ids, err)
}

// UnTagResources removes tag keys from VPCs or vSwitches, or every tag with
// All and no key (MissingParameter TagKey.N without either).
func (s *Service) UnTagResources(ctx context.Context, p *slbcert.Principal, regionID, resourceType string, ids, keys []string, all bool) error {
	reg, kind, err := s.tagTargets(p, "UnTagResources", regionID, resourceType, ids)
	if err != nil {
		return err
	}
	if len(keys) > slbcert.MaxTagsPerResource {
		return slbcert.Errorf(slbcert.ETagKeySizeLimit, "At most %d TagKey.N may be given in one request; got %d.", slbcert.MaxTagsPerResource, len(keys))
	}
	if len(keys) == 0 && !all {
		return slbcert.MissingParameter("TagKey.N")
	}
	err = s.Store.UpdateVPCTags(ctx, p.Account.ID, reg, kind, ids, nil, keys, len(keys) == 0, slbcert.MaxTagsPerResource)
	return s.tagError(ctx, p, reg, kind, ids, err)
}

// tagError names the first unknown id of a failed tag update.
func (s *Service) tagError(ctx context.Context, p *slbcert.Principal, regionID, kind string, ids []string, err error) error {
	switch {
	case errors.Is(err, slbcert.ErrTagLimit):
		return slbcert.Errorf(slbcert.ETagCountLimit, "Tags count limit exceeded: a resource may carry at most %d tags.", slbcert.MaxTagsPerResource)
	case errors.Is(err, slbcert.ErrNotFound):
		rs, ferr := s.taggable(ctx, p.Account.ID, regionID, kind, ids)
		if ferr != nil {
			return storeError(ferr, nil)
		}
		found := map[string]bool{}
		for _, r := range rs {
			found[r.id] = true
		}
		for _, id := range ids {
			if !found[id] {
				return slbcert.Errorf(EResourceNotFound, "The specified resource %s does not exist.", id)
			}
		}
	}
	return storeError(err, nil)
}

// taggable is a VPC or vSwitch as the tag operations see it.
type taggable struct {
	id   string
	tags []slbcert.Tag
}

// taggable reads the account's VPCs or vSwitches ids in the region (all
// of them when ids is empty), oldest first.
func (s *Service) taggable(ctx context.Context, accountID, regionID, kind string, ids []string) ([]taggable, error) {
	var out []taggable
	if kind == kindVPC {
		list, _, _, err := s.Store.FindVPCs(ctx, VPCFilter{AccountID: accountID, RegionID: regionID, IDs: ids})
		if err != nil {
			return nil, err
		}
		for _, v := range list {
			out = append(out, taggable{v.ID, v.Tags})
		}
		return out, nil
	}
	list, _, err := s.Store.FindVSwitches(ctx, VSwitchFilter{AccountID: accountID, RegionID: regionID, IDs: ids})
	if err != nil {
		return nil, err
	}
	for _, v := range list {
		out = append(out, taggable{v.ID, v.Tags})
	}
	return out, nil
}

// TagResource is one row of ListTagResources: a tag on a resource.
type TagResource struct {
	ResourceType string
	ResourceID   string
	Tag          slbcert.Tag
}

// ListTagResourcesInput is ListTagResources' parameters.
type ListTagResourcesInput struct {
	RegionID, ResourceType string
	ResourceIDs            []string
	// Tags select resources carrying every one; a key without a value
	// matches any value.
	Tags       []slbcert.Tag
	NextToken  string
	MaxResults int // 0: 50
}

// ListTagResources lists, one row per tag, the tags of the VPCs or
// vSwitches named or carrying the tags given, oldest resource first, at
// most MaxResults rows a page (1–50); NextToken is "" on the last page.
func (s *Service) ListTagResources(ctx context.Context, p *slbcert.Principal, in ListTagResourcesInput) ([]TagResource, string, error) {
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return nil, "", err
	}
	kind, err := tagKind(in.ResourceType)
	if err != nil {
		return nil, "", err
	}
	if err := checkResourceIDs(in.ResourceIDs, false); err != nil {
		return nil, "", err
	}
	if err := slbcert.CheckTagCount(len(in.Tags)); err != nil {
		return nil, "", err
	}
	ids := in.ResourceIDs
	if len(ids) == 0 {
		ids = []string{"*"}
	}
	for _, id := range ids {
		if err := s.authorize(p, "ListTagResources", ARN(reg.ID, p.Account.ID, kind, id)); err != nil {
			return nil, "", err
		}
	}
	size := in.MaxResults
	if size == 0 {
		size = maxPageSize
	}
	if size < 1 || size > maxPageSize {
		return nil, "", slbcert.Errorf(slbcert.EInvalidParameter, "The specified MaxResults %d is invalid: 1 to %d.", in.MaxResults, maxPageSize)
	}
	offset, err := parsePageToken(in.NextToken)
	if err != nil {
		return nil, "", err
	}
	found, err := s.taggable(ctx, p.Account.ID, reg.ID, kind, in.ResourceIDs)
	if err != nil {
		return nil, "", storeError(err, nil)
	}
	typeName := ResourceTypeVPC
	if kind == kindVSwitch {
		typeName = ResourceTypeVSwitch
	}
	var rows []TagResource
	for _, r := range found {
		if !carries(r.tags, in.Tags) {
			continue
		}
		for _, t := range r.tags {
			rows = append(rows, TagResource{ResourceType: typeName, ResourceID: r.id, Tag: t})
		}
	}
	lo := min(offset, len(rows))
	hi := min(lo+size, len(rows))
	next := ""
	if hi < len(rows) {
		next = pageToken(hi)
	}
	return rows[lo:hi], next, nil
}

// carries reports whether tags has every tag of want (a want without a
// value: the key with any value).
func carries(tags, want []slbcert.Tag) bool {
	for _, w := range want {
		ok := false
		for _, t := range tags {
			if t.Key == w.Key && (w.Value == "" || t.Value == w.Value) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
