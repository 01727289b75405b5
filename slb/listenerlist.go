package slb

import (
	"context"

	"slbcert"
)

// ListenerPage is one page of DescribeLoadBalancerListeners; NextToken is
// empty on the last page (the wire omits it there).
type ListenerPage struct {
	Listeners  []*Listener
	TotalCount int
	MaxResults int
	NextToken  string
}

// DescribeLoadBalancerListenersInput is DescribeLoadBalancerListeners'
// request.
type DescribeLoadBalancerListenersInput struct {
	// RegionID, optional, restricts the listing to a region.
	RegionID string
	// LoadBalancerIDs (LoadBalancerId.N, up to 10) restricts it to those
	// load balancers.
	LoadBalancerIDs []string
	// ListenerProtocol (tcp, udp, http or https), ListenerPort (1–65535),
	// Description (exact) and Tags (Tag.N) filter.
	ListenerProtocol string
	ListenerPort     Param[int]
	Description      string
	Tags             []slbcert.Tag
	// MaxResults is the page size, 1–100 (default 20); NextToken continues
	// a listing.
	MaxResults Param[int]
	NextToken  string
}

// DescribeLoadBalancerListeners lists listeners of up to 10 load balancers
// (LoadBalancerId.N), or of every load balancer of the account (in the
// region, when RegionId is given), filtered by ListenerProtocol,
// ListenerPort, Description and Tag.N, MaxResults a page.
func (s *Service) DescribeLoadBalancerListeners(ctx context.Context, p *slbcert.Principal, in DescribeLoadBalancerListenersInput) (*ListenerPage, error) {
	store, err := s.lbStore()
	if err != nil {
		return nil, err
	}
	const action = "DescribeLoadBalancerListeners"
	regionID, lbIDs, tags := in.RegionID, in.LoadBalancerIDs, in.Tags
	if regionID != "" {
		if _, err := s.region(p, regionID); err != nil {
			return nil, err
		}
	}
	if len(lbIDs) > 10 {
		return nil, slbcert.Errorf(slbcert.EInvalidParameter, "The specified LoadBalancerId.N is invalid: at most 10 load balancers, got %d.", len(lbIDs))
	}
	f := ListenerFilter{AccountID: p.Account.ID, RegionID: regionID}
	for _, id := range lbIDs {
		lb, err := s.loadBalancer(ctx, p, action, regionID, id, regionOptional)
		if err != nil {
			return nil, err
		}
		f.LoadBalancerIDs = append(f.LoadBalancerIDs, lb.ID)
	}
	if len(lbIDs) == 0 {
		arnRegion := regionID
		if arnRegion == "" {
			arnRegion = "*"
		}
		if err := s.authorize(p, action, lbARN(arnRegion, p.Account.ID, "*"), tags); err != nil {
			return nil, err
		}
	}
	if err := checkTagCount(len(tags)); err != nil {
		return nil, err
	}
	if v := in.ListenerProtocol; v != "" {
		if f.Protocol, err = choice("ListenerProtocol", v, "tcp", "udp", "http", "https"); err != nil {
			return nil, err
		}
	}
	if in.ListenerPort.Set {
		if f.Port, err = readPort("ListenerPort", in.ListenerPort); err != nil {
			return nil, err
		}
	}
	page := &ListenerPage{}
	if page.MaxResults, err = optionalInt("MaxResults", in.MaxResults, 1, 100, 20); err != nil {
		return nil, err
	}
	offset, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	all, err := store.FindListeners(ctx, f)
	if err != nil {
		return nil, storeError(err, nil)
	}
	description := in.Description
	matched := []*Listener{}
	for _, l := range all {
		if description != "" && l.Config.Description != description {
			continue
		}
		if hasTags(l.Config.Tags, tags) {
			matched = append(matched, l)
		}
	}
	page.TotalCount = len(matched)
	page.Listeners, page.NextToken = pageOf(matched, offset, page.MaxResults)
	return page, nil
}
