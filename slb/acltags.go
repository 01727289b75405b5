package slb

import (
	"context"
	"slices"

	"slbcert"
)

// ResourceTypeACL is the ResourceType of access control lists in the tag
// and resource-group operations.
const ResourceTypeACL = "acl"

// aclTags returns the tags of the ACLs ids that exist in the region, by id.
func (s *Service) aclTags(ctx context.Context, p *slbcert.Principal, regionID string, ids []string) (map[string][]slbcert.Tag, error) {
	found, err := s.LoadBalancers.FindACLs(ctx, ACLFilter{AccountID: p.Account.ID, RegionID: regionID, IDs: ids})
	if err != nil {
		return nil, storeError(err, nil)
	}
	out := make(map[string][]slbcert.Tag, len(found))
	for _, a := range found {
		out[a.ID] = a.Tags
	}
	return out, nil
}

// updateACLTags changes the tags of ACLs: checked whole first (existence,
// the tag limit), then changed one by one under each ACL's lock.
func (s *Service) updateACLTags(ctx context.Context, p *slbcert.Principal, regionID string, ids []string, set []slbcert.Tag, remove []string, all bool) error {
	tags, err := s.aclTags(ctx, p, regionID, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		current, ok := tags[id]
		if !ok {
			return slbcert.ErrNotFound
		}
		if len(slbcert.ApplyTags(current, set, remove, all)) > slbcert.MaxTagsPerResource {
			return slbcert.ErrTagLimit
		}
	}
	for _, id := range ids {
		if _, err := s.LoadBalancers.UpdateACL(ctx, p.Account.ID, id, func(a *ACL) error {
			if a.Tags = slbcert.ApplyTags(a.Tags, set, remove, all); len(a.Tags) > slbcert.MaxTagsPerResource {
				return slbcert.ErrTagLimit
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// aclTagRows lists the tags of the account's ACLs in the region (those of
// f.IDs, when given) that carry every tag of f. Ids that do not exist give
// no rows: Terraform's ACL Read lists an ACL's tags before it looks the
// ACL up (docs/choices.md, "Access control lists").
func (s *Service) aclTagRows(ctx context.Context, p *slbcert.Principal, f CertificateFilter) ([]TagResource, error) {
	list, err := s.LoadBalancers.FindACLs(ctx, ACLFilter{AccountID: p.Account.ID, RegionID: f.RegionID})
	if err != nil {
		return nil, storeError(err, nil)
	}
	var rows []TagResource
	for _, a := range list {
		if len(f.IDs) > 0 && !slices.Contains(f.IDs, a.ID) || !carriesAll(a.Tags, f.Tags) {
			continue
		}
		for _, t := range a.Tags {
			rows = append(rows, TagResource{ResourceType: ResourceTypeACL, ResourceID: a.ID, Tag: t})
		}
	}
	return rows, nil
}

// moveACL moves an ACL to another resource group.
func (s *Service) moveACL(ctx context.Context, p *slbcert.Principal, regionID, id, group string) error {
	found, err := s.LoadBalancers.FindACLs(ctx, ACLFilter{AccountID: p.Account.ID, RegionID: regionID, IDs: []string{id}})
	if err != nil {
		return storeError(err, nil)
	}
	if len(found) == 0 {
		return errResourceNotFound(id)
	}
	_, err = s.LoadBalancers.UpdateACL(ctx, p.Account.ID, id, func(a *ACL) error { a.ResourceGroupID = group; return nil })
	return storeError(err, errResourceNotFound(id))
}
