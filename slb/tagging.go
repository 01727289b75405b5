package slb

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"slbcert"
	"slbcert/region"
)

// ListTagResourcesPageSize is how many rows one ListTagResources page holds.
const ListTagResourcesPageSize = 50

// maxResourceIDs bounds ResourceId.N in one tag request.
const maxResourceIDs = 20

// checkResourceIDs requires 1–20 resource ids (or up to 20, if optional).
func checkResourceIDs(ids []string, required bool) error {
	if len(ids) == 0 && required {
		return slbcert.MissingParameter("ResourceId.N")
	}
	if len(ids) > maxResourceIDs {
		return slbcert.Errorf(slbcert.EResourceIDSizeLimit, "At most %d ResourceId.N may be given in one request; got %d.", maxResourceIDs, len(ids))
	}
	for _, id := range ids {
		if id == "" {
			return slbcert.Errorf(slbcert.EInvalidParameter, "A ResourceId.N parameter is empty.")
		}
	}
	return nil
}

// TagResourcesInput is TagResources' request; every field is required.
type TagResourcesInput struct {
	RegionID string
	// ResourceType is certificate, instance, vservergroup or acl, any case.
	ResourceType string
	// ResourceIDs (ResourceId.N) are 1–20 resources of that type; Tags
	// (Tag.N) the pairs to set.
	ResourceIDs []string
	Tags        []slbcert.Tag
}

// TagResources sets tags on resources (certificates, load balancers,
// VServer groups), replacing the value of a key a resource already has.
// All or nothing: an unknown id, or a resource that would carry more than
// 20 tags, changes no resource.
func (s *Service) TagResources(ctx context.Context, p *slbcert.Principal, in TagResourcesInput) error {
	ids, tags := in.ResourceIDs, in.Tags
	reg, kind, err := s.tagTargets(ctx, p, "TagResources", in.RegionID, in.ResourceType, ids)
	if err != nil {
		return err
	}
	if len(tags) == 0 {
		return slbcert.MissingParameter("Tag.N")
	}
	if err := checkTagsToWrite(tags); err != nil {
		return err
	}
	err = s.updateTags(ctx, p, kind, reg.ID, ids, dedupeTags(tags), nil, false)
	return s.tagUpdateError(ctx, p, kind, reg.ID, ids, err)
}

// UntagResourcesInput is UntagResources' request.
type UntagResourcesInput struct {
	// RegionID, ResourceType and ResourceIDs as for TagResources.
	RegionID     string
	ResourceType string
	ResourceIDs  []string
	// TagKeys (TagKey.N, up to 20) are the keys to remove; All, without
	// keys, removes every tag.
	TagKeys []string
	All     bool
}

// UntagResources removes the tags keys from resources, or every tag when
// All is set and no key is given.
func (s *Service) UntagResources(ctx context.Context, p *slbcert.Principal, in UntagResourcesInput) error {
	ids, keys := in.ResourceIDs, in.TagKeys
	reg, kind, err := s.tagTargets(ctx, p, "UntagResources", in.RegionID, in.ResourceType, ids)
	if err != nil {
		return err
	}
	if len(keys) > slbcert.MaxTagsPerResource {
		return slbcert.Errorf(slbcert.ETagKeySizeLimit, "At most %d TagKey.N may be given in one request; got %d.", slbcert.MaxTagsPerResource, len(keys))
	}
	if slices.Contains(keys, "") {
		return slbcert.Errorf(slbcert.EMissingTagKey, "A TagKey.N parameter is empty.")
	}
	if len(keys) == 0 && !in.All {
		return slbcert.MissingParameter("TagKey.N")
	}
	err = s.updateTags(ctx, p, kind, reg.ID, ids, nil, keys, len(keys) == 0)
	return s.tagUpdateError(ctx, p, kind, reg.ID, ids, err)
}

// tagTargets runs the checks TagResources and UntagResources start with:
// the region, the resource type, 1–20 ids, and the principal's right to
// act on each of them.
func (s *Service) tagTargets(ctx context.Context, p *slbcert.Principal, action, regionID, resourceType string, ids []string) (*region.Region, string, error) {
	reg, err := s.region(p, regionID)
	if err != nil {
		return nil, "", err
	}
	kind, err := checkResourceType(resourceType)
	if err != nil {
		return nil, "", err
	}
	if err := checkResourceIDs(ids, true); err != nil {
		return nil, "", err
	}
	return reg, kind, s.authorizeResources(ctx, p, kind, action, reg.ID, ids)
}

// tagUpdateError names the first unknown id of a failed tag update.
func (s *Service) tagUpdateError(ctx context.Context, p *slbcert.Principal, kind, regionID string, ids []string, err error) error {
	switch {
	case errors.Is(err, slbcert.ErrTagLimit):
		return slbcert.Errorf(slbcert.ETagCountLimit, "Tags count limit exceeded: a resource may carry at most %d tags.", slbcert.MaxTagsPerResource)
	case errors.Is(err, slbcert.ErrNotFound):
		found, ferr := s.existingIDs(ctx, p, kind, regionID, ids)
		if ferr != nil {
			return storeError(ferr, nil)
		}
		for _, id := range ids {
			if !found[id] {
				return errResourceNotFound(id)
			}
		}
		return errResourceNotFound(ids[0])
	}
	return storeError(err, nil)
}

// TagResource is one row of ListTagResources: a tag on a resource.
type TagResource struct {
	ResourceType string
	ResourceID   string
	Tag          slbcert.Tag
}

// ListTagResourcesInput is ListTagResources' request.
type ListTagResourcesInput struct {
	// RegionID and ResourceType are required, as for TagResources.
	RegionID     string
	ResourceType string
	// ResourceIDs (ResourceId.N, up to 20) and Tags (Tag.N, a pair without
	// a value matching any value of its key) select the resources; one of
	// them is required.
	ResourceIDs []string
	Tags        []slbcert.Tag
	// NextToken continues a listing.
	NextToken string
}

// ListTagResources lists the tags of the resources named by ResourceIDs
// and/or carrying every pair of Tags, one row per resource and tag, 50
// rows a page. The last page answers an empty token.
func (s *Service) ListTagResources(ctx context.Context, p *slbcert.Principal, in ListTagResourcesInput) ([]TagResource, string, error) {
	ids, tags := in.ResourceIDs, in.Tags
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return nil, "", err
	}
	kind, err := checkResourceType(in.ResourceType)
	if err != nil {
		return nil, "", err
	}
	if err := checkResourceIDs(ids, false); err != nil {
		return nil, "", err
	}
	if err := checkTagCount(len(tags)); err != nil {
		return nil, "", err
	}
	if len(ids) == 0 && len(tags) == 0 {
		return nil, "", slbcert.Errorf(slbcert.EMissingParameter, "Either ResourceId.N or Tag.N must be given.")
	}
	f := CertificateFilter{AccountID: p.Account.ID, RegionID: reg.ID, IDs: ids}
	for _, t := range tags {
		if t.Key == "" {
			return nil, "", slbcert.Errorf(slbcert.EMissingTagKey, "A Tag.N.Value is given without its Tag.N.Key.")
		}
		f.Tags = append(f.Tags, slbcert.TagFilter{Key: t.Key, Value: t.Value, MatchAnyValue: t.Value == ""})
	}
	if len(ids) > 0 {
		err = s.authorizeResources(ctx, p, kind, "ListTagResources", reg.ID, ids)
	} else if kind == ResourceTypeACL {
		err = s.authorize(p, "ListTagResources", aclARN(reg.ID, p.Account.ID, "*"), tags)
	} else if kind != ResourceTypeCertificate {
		err = s.authorize(p, "ListTagResources", lbARN(reg.ID, p.Account.ID, "*"), tags)
	} else {
		err = s.authorizeCollection(p, "ListTagResources", reg.ID, tags)
	}
	if err != nil {
		return nil, "", err
	}
	offset, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, "", err
	}
	var rows []TagResource
	switch kind {
	case ResourceTypeInstance:
		rows, err = s.loadBalancerTagRows(ctx, p, f)
	case ResourceTypeVServerGroup:
		rows, err = s.vserverGroupTagRows(ctx, p, f)
	case ResourceTypeACL:
		rows, err = s.aclTagRows(ctx, p, f)
	default:
		rows, err = s.certificateTagRows(ctx, f)
	}
	if err != nil {
		return nil, "", err
	}
	rows, next := pageOf(rows, offset, ListTagResourcesPageSize)
	return rows, next, nil
}

// pageOf returns the page of rows starting at offset (past the end: an
// empty page) of at most size rows, and the token of the next page, ""
// after the last.
func pageOf[T any](rows []T, offset, size int) ([]T, string) {
	start := min(offset, len(rows))
	end := min(start+size, len(rows))
	if end < len(rows) {
		return rows[start:end], encodeToken(end)
	}
	return rows[start:end], ""
}

// Paging tokens are opaque to clients: a versioned offset into the listing,
// whose order (creation time, id; tags in order set) every replica shares.
func encodeToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("v1:" + strconv.Itoa(offset)))
}

func decodeToken(tok string) (int, error) {
	if tok == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	var n int
	if err == nil {
		_, err = fmt.Sscanf(string(raw), "v1:%d", &n)
	}
	if err != nil || n < 0 || encodeToken(n) != tok {
		return 0, slbcert.Errorf(slbcert.EInvalidNextToken, "The specified NextToken is invalid.")
	}
	return n, nil
}

// certificateTagRows lists the tags of the certificates f selects.
func (s *Service) certificateTagRows(ctx context.Context, f CertificateFilter) ([]TagResource, error) {
	list, err := s.Store.FindCertificates(ctx, f)
	if err != nil {
		return nil, storeError(err, nil)
	}
	var rows []TagResource
	for _, c := range list {
		for _, t := range c.Tags {
			rows = append(rows, TagResource{ResourceType: ResourceTypeCertificate, ResourceID: c.ID, Tag: t})
		}
	}
	return rows, nil
}
