package slb

import (
	"context"
	"net/http"

	"slbcert"
)

// lbARN names a load balancer (id "*" for the collection) as RAM policies see
// it (docs/choices.md, "Load balancers, listeners and certificates in use
// (CLB)": RAM and regions).
func lbARN(regionID, accountID, id string) string {
	return "acs:slb:" + regionID + ":" + accountID + ":loadbalancer/" + id
}

// errLoadBalancerNotFound is the answer for a load balancer that does not
// exist in the account (and region asked for): 404, with the text
// Terraform matches.
func errLoadBalancerNotFound(id string) *slbcert.Error {
	return slbcert.Errorf(ELoadBalancerNotFound, "%s: the load balancer %q is not found.", MsgResourceNotExist, id)
}

// regionRule says whether an operation requires RegionId (docs/choices.md,
// "Load balancers, listeners and certificates in use (CLB)": RAM and regions).
type regionRule bool

const (
	regionRequired regionRule = true
	regionOptional regionRule = false
)

// loadBalancer runs the checks every operation on one load balancer starts
// with: the region (required or not), the LoadBalancerId, RAM (action on
// loadbalancer/{id}, with the instance's tags) and existence. Without a
// RegionId the load balancer's own region is used; with one, a load
// balancer of another region is not found there. An id that does not
// exist is authorized without tags, so that only a principal allowed to
// act on it learns it is not found.
func (s *Service) loadBalancer(ctx context.Context, p *slbcert.Principal, action, regionID, id string, rule regionRule) (*LoadBalancer, error) {
	store, err := s.lbStore()
	if err != nil {
		return nil, err
	}
	if regionID != "" || rule == regionRequired {
		if _, err := s.region(p, regionID); err != nil {
			return nil, err
		}
	}
	if id == "" {
		return nil, slbcert.MissingParameter("LoadBalancerId")
	}
	found, err := store.FindLoadBalancers(ctx, LoadBalancerFilter{AccountID: p.Account.ID, RegionID: regionID, IDs: []string{id}})
	if err != nil {
		return nil, storeError(err, nil)
	}
	var lb *LoadBalancer
	arnRegion, tags := regionID, []slbcert.Tag(nil)
	if len(found) == 1 {
		lb = found[0]
		arnRegion, tags = lb.RegionID, lb.Tags
	}
	if arnRegion == "" {
		arnRegion = "*"
	}
	if err := s.authorize(p, action, lbARN(arnRegion, p.Account.ID, id), tags); err != nil {
		return nil, err
	}
	if lb == nil {
		return nil, errLoadBalancerNotFound(id)
	}
	if regionID == "" && !p.Account.RegionAuthorized(lb.RegionID) {
		return nil, slbcert.Errorf(slbcert.EUnauthorizedRegion, "The account is not authorized to use region %q.", lb.RegionID)
	}
	return lb, nil
}

// changeLoadBalancer resolves a load balancer as loadBalancer does and lets
// fn change it in one transaction. A locked instance refuses every change.
func (s *Service) changeLoadBalancer(ctx context.Context, p *slbcert.Principal, action, regionID, id string, rule regionRule,
	check func(lb *LoadBalancer) error, fn func(lb *LoadBalancer) error) (*LoadBalancer, error) {
	lb, err := s.loadBalancer(ctx, p, action, regionID, id, rule)
	if err != nil {
		return nil, err
	}
	if check != nil {
		if err := check(lb); err != nil {
			return nil, err
		}
	}
	out, err := s.LoadBalancers.UpdateLoadBalancer(ctx, p.Account.ID, lb.ID, func(lb *LoadBalancer) error {
		if lb.Status == LoadBalancerLocked {
			return errLocked(lb.ID)
		}
		return fn(lb)
	})
	if err != nil {
		return nil, storeError(err, errLoadBalancerNotFound(id))
	}
	return out, nil
}

func errLocked(id string) error {
	return slbcert.Errorf(EActionNotAllowed, "Locked for any Business Reason: the load balancer %s is locked.", id)
}

// withStatus gives an error its own HTTP status, for the codes whose
// status depends on the case (InvalidParameter 404 for a VServer group).
func withStatus(e *slbcert.Error, status int) *slbcert.Error {
	e.HTTPStatus = status
	return e
}

// errVServerGroupNotFound is InvalidParameter with the message Terraform
// matches, and 404.
func errVServerGroupNotFound() *slbcert.Error {
	return withStatus(slbcert.Errorf(slbcert.EInvalidParameter, MsgVServerGroupNotExist), http.StatusNotFound)
}
