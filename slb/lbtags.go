package slb

import (
	"context"
	"errors"
	"slices"

	"slbcert"
)

// The tag and resource-group operations on load balancers (ResourceType
// instance): the same rules as on certificates, on the instance's tags.

// authorizeResources authorizes action on each resource of kind: a
// certificate on certificate/{id}, a load balancer on loadbalancer/{id}, a
// VServer group on vservergroup/{id}, each with its own tags as
// slb:tag/<key>.
func (s *Service) authorizeResources(ctx context.Context, p *slbcert.Principal, kind, action, regionID string, ids []string) error {
	if kind == ResourceTypeCertificate {
		return s.authorizeEach(ctx, p, action, regionID, ids)
	}
	if p.Permissions == nil {
		return nil
	}
	tags, err := s.lbResourceTags(ctx, p, kind, regionID, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		resource := lbARN(regionID, p.Account.ID, id)
		switch kind {
		case ResourceTypeVServerGroup:
			resource = "acs:slb:" + regionID + ":" + p.Account.ID + ":vservergroup/" + id
		case ResourceTypeACL:
			resource = aclARN(regionID, p.Account.ID, id)
		}
		if err := s.authorize(p, action, resource, tags[id]); err != nil {
			return err
		}
	}
	return nil
}

// lbResourceTags returns the tags of the load balancers or VServer groups
// ids that exist in the region, by id.
func (s *Service) lbResourceTags(ctx context.Context, p *slbcert.Principal, kind, regionID string, ids []string) (map[string][]slbcert.Tag, error) {
	store, err := s.lbStore()
	if err != nil {
		return nil, err
	}
	out := map[string][]slbcert.Tag{}
	if kind == ResourceTypeACL {
		return s.aclTags(ctx, p, regionID, ids)
	}
	if kind == ResourceTypeInstance {
		found, err := store.FindLoadBalancers(ctx, LoadBalancerFilter{AccountID: p.Account.ID, RegionID: regionID, IDs: ids})
		if err != nil {
			return nil, storeError(err, nil)
		}
		for _, lb := range found {
			out[lb.ID] = lb.Tags
		}
		return out, nil
	}
	for _, id := range ids {
		g, err := s.groupInRegion(ctx, p, regionID, id)
		if errors.Is(err, slbcert.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, storeError(err, nil)
		}
		out[id] = g.Tags
	}
	return out, nil
}

// groupInRegion returns VServer group id if its load balancer is in the
// region, else ErrNotFound.
func (s *Service) groupInRegion(ctx context.Context, p *slbcert.Principal, regionID, id string) (*VServerGroup, error) {
	g, err := s.LoadBalancers.GetVServerGroup(ctx, p.Account.ID, id)
	if err != nil {
		return nil, err
	}
	lbs, err := s.LoadBalancers.FindLoadBalancers(ctx, LoadBalancerFilter{AccountID: p.Account.ID, RegionID: regionID, IDs: []string{g.LoadBalancerID}})
	if err != nil {
		return nil, err
	}
	if len(lbs) == 0 {
		return nil, slbcert.ErrNotFound
	}
	return g, nil
}

// updateTags changes the tags of resources of kind. Certificates and load
// balancers change all or nothing in one transaction; VServer groups are
// checked whole first (existence, the tag limit), then changed one by one.
func (s *Service) updateTags(ctx context.Context, p *slbcert.Principal, kind, regionID string, ids []string, set []slbcert.Tag, remove []string, all bool) error {
	switch kind {
	case ResourceTypeInstance:
		store, err := s.lbStore()
		if err != nil {
			return err
		}
		return store.UpdateLoadBalancerTags(ctx, p.Account.ID, regionID, ids, set, remove, all, slbcert.MaxTagsPerResource)
	case ResourceTypeACL:
		return s.updateACLTags(ctx, p, regionID, ids, set, remove, all)
	case ResourceTypeVServerGroup:
		tags, err := s.lbResourceTags(ctx, p, kind, regionID, ids)
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
			if _, err := s.LoadBalancers.UpdateVServerGroup(ctx, p.Account.ID, id, func(g *VServerGroup) error {
				// Checked again under the group's lock: a tag change
				// racing this one may have added tags meanwhile.
				if g.Tags = slbcert.ApplyTags(g.Tags, set, remove, all); len(g.Tags) > slbcert.MaxTagsPerResource {
					return slbcert.ErrTagLimit
				}
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	}
	return s.Store.UpdateTags(ctx, p.Account.ID, regionID, ids, set, remove, all, slbcert.MaxTagsPerResource)
}

// existingIDs reports which of ids exist as resources of kind.
func (s *Service) existingIDs(ctx context.Context, p *slbcert.Principal, kind, regionID string, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	if kind != ResourceTypeCertificate {
		tags, err := s.lbResourceTags(ctx, p, kind, regionID, ids)
		for id := range tags {
			out[id] = true
		}
		return out, err
	}
	found, err := s.Store.FindCertificates(ctx, CertificateFilter{AccountID: p.Account.ID, RegionID: regionID, IDs: ids})
	for _, c := range found {
		out[c.ID] = true
	}
	return out, err
}

// vserverGroupTagRows lists the tags of the account's VServer groups in the
// region (those of f.IDs, when given) that carry every tag of f.
func (s *Service) vserverGroupTagRows(ctx context.Context, p *slbcert.Principal, f CertificateFilter) ([]TagResource, error) {
	store, err := s.lbStore()
	if err != nil {
		return nil, err
	}
	lbs, err := store.FindLoadBalancers(ctx, LoadBalancerFilter{AccountID: p.Account.ID, RegionID: f.RegionID})
	if err != nil {
		return nil, storeError(err, nil)
	}
	var rows []TagResource
	for _, lb := range lbs {
		groups, err := store.FindVServerGroups(ctx, p.Account.ID, lb.ID)
		if err != nil {
			return nil, storeError(err, nil)
		}
		for _, g := range groups {
			if len(f.IDs) > 0 && !slices.Contains(f.IDs, g.ID) || !carriesAll(g.Tags, f.Tags) {
				continue
			}
			for _, t := range g.Tags {
				rows = append(rows, TagResource{ResourceType: ResourceTypeVServerGroup, ResourceID: g.ID, Tag: t})
			}
		}
	}
	return rows, nil
}

// loadBalancerTagRows lists the tags of the load balancers of f's account,
// region and ids that carry every tag of f.
func (s *Service) loadBalancerTagRows(ctx context.Context, p *slbcert.Principal, f CertificateFilter) ([]TagResource, error) {
	store, err := s.lbStore()
	if err != nil {
		return nil, err
	}
	list, err := store.FindLoadBalancers(ctx, LoadBalancerFilter{AccountID: p.Account.ID, RegionID: f.RegionID, IDs: f.IDs})
	if err != nil {
		return nil, storeError(err, nil)
	}
	var rows []TagResource
	for _, lb := range list {
		if !carriesAll(lb.Tags, f.Tags) {
			continue
		}
		for _, t := range lb.Tags {
			rows = append(rows, TagResource{ResourceType: ResourceTypeInstance, ResourceID: lb.ID, Tag: t})
		}
	}
	return rows, nil
}

// carriesAll reports whether tags satisfy every filter (ListTagResources
// asks any value of a key given without one).
func carriesAll(tags []slbcert.Tag, filters []slbcert.TagFilter) bool {
	for _, f := range filters {
		if !hasTags(tags, []slbcert.Tag{{Key: f.Key, Value: f.Value}}) {
			return false
		}
	}
	return true
}

// moveLoadBalancer moves a load balancer to another resource group.
func (s *Service) moveLoadBalancer(ctx context.Context, p *slbcert.Principal, regionID, id, group string) error {
	store, err := s.lbStore()
	if err != nil {
		return err
	}
	_, err = store.UpdateLoadBalancer(ctx, p.Account.ID, id, func(lb *LoadBalancer) error {
		if lb.RegionID != regionID {
			return slbcert.ErrNotFound
		}
		lb.ResourceGroupID = group
		return nil
	})
	return storeError(err, errResourceNotFound(id))
}
