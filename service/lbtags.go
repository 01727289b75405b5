package service

import (
	"context"

	"slbcert"
)

// The tag and resource-group operations on load balancers (ResourceType
// instance): the same rules as on certificates, on the instance's tags.

// authorizeResources authorizes action on each resource of kind: a
// certificate on certificate/{id}, a load balancer on loadbalancer/{id},
// each with its own tags as slb:tag/<key>.
func (s *Service) authorizeResources(ctx context.Context, p *slbcert.Principal, kind, action, regionID string, ids []string) error {
	if kind != ResourceTypeInstance {
		return s.authorizeEach(ctx, p, action, regionID, ids)
	}
	if p.Permissions == nil {
		return nil
	}
	store, err := s.lbStore()
	if err != nil {
		return err
	}
	found, err := store.FindLoadBalancers(ctx, slbcert.LoadBalancerFilter{AccountID: p.Account.ID, RegionID: regionID, IDs: ids})
	if err != nil {
		return storeError(err, nil)
	}
	tags := map[string][]slbcert.Tag{}
	for _, lb := range found {
		tags[lb.ID] = lb.Tags
	}
	for _, id := range ids {
		if err := s.authorize(p, action, lbARN(regionID, p.Account.ID, id), tags[id]); err != nil {
			return err
		}
	}
	return nil
}

// updateTags changes the tags of resources of kind, all or nothing.
func (s *Service) updateTags(ctx context.Context, p *slbcert.Principal, kind, regionID string, ids []string, set []slbcert.Tag, remove []string, all bool) error {
	if kind == ResourceTypeInstance {
		store, err := s.lbStore()
		if err != nil {
			return err
		}
		return store.UpdateLoadBalancerTags(ctx, p.Account.ID, regionID, ids, set, remove, all, slbcert.MaxTagsPerResource)
	}
	return s.Store.UpdateTags(ctx, p.Account.ID, regionID, ids, set, remove, all, slbcert.MaxTagsPerResource)
}

// existingIDs reports which of ids exist as resources of kind.
func (s *Service) existingIDs(ctx context.Context, p *slbcert.Principal, kind, regionID string, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	if kind == ResourceTypeInstance {
		found, err := s.LoadBalancers.FindLoadBalancers(ctx, slbcert.LoadBalancerFilter{AccountID: p.Account.ID, RegionID: regionID, IDs: ids})
		for _, lb := range found {
			out[lb.ID] = true
		}
		return out, err
	}
	found, err := s.Store.FindCertificates(ctx, slbcert.CertificateFilter{AccountID: p.Account.ID, RegionID: regionID, IDs: ids})
	for _, c := range found {
		out[c.ID] = true
	}
	return out, err
}

// loadBalancerTagRows lists the tags of the load balancers of f's account,
// region and ids that carry every tag of f.
func (s *Service) loadBalancerTagRows(ctx context.Context, p *slbcert.Principal, f slbcert.CertificateFilter) ([]TagResource, error) {
	store, err := s.lbStore()
	if err != nil {
		return nil, err
	}
	list, err := store.FindLoadBalancers(ctx, slbcert.LoadBalancerFilter{AccountID: p.Account.ID, RegionID: f.RegionID, IDs: f.IDs})
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
		if !hasTag(tags, slbcert.Tag{Key: f.Key, Value: f.Value}) {
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
	_, err = store.UpdateLoadBalancer(ctx, p.Account.ID, id, func(lb *slbcert.LoadBalancer) error {
		if lb.RegionID != regionID {
			return slbcert.ErrNotFound
		}
		lb.ResourceGroupID = group
		return nil
	})
	return storeError(err, errResourceNotFound(id))
}
