package slb

import (
	"context"

	"slbcert"
)

// The default server list of a load balancer (AddBackendServers,
// RemoveBackendServers, SetBackendServers; RegionId optional): servers
// without ports, used by listeners without a VServer group on their
// BackendServerPort.

// BackendServersInput is the request of AddBackendServers,
// RemoveBackendServers and SetBackendServers.
type BackendServersInput struct {
	// RegionID is optional: without it the load balancer's own region.
	RegionID       string
	LoadBalancerID string
	// BackendServers (required) lists up to 20 servers, without ports;
	// see ParseBackendServers.
	BackendServers Param[[]BackendServer]
}

// changeDefaultBackends checks BackendServers (required), authorizes
// action on the load balancer and each instance, and lets fn change the
// list in one transaction.
func (s *Service) changeDefaultBackends(ctx context.Context, p *slbcert.Principal, action string, in BackendServersInput,
	fn func(list, given []BackendServer) ([]BackendServer, error)) (*LoadBalancer, error) {
	given := in.BackendServers.Value
	lb, err := s.changeLoadBalancer(ctx, p, action, in.RegionID, in.LoadBalancerID, regionOptional,
		func(lb *LoadBalancer) (err error) {
			if !in.BackendServers.Set {
				return slbcert.MissingParameter("BackendServers")
			}
			if in.BackendServers.Err != nil {
				return in.BackendServers.Err
			}
			return s.authorizeBackends(p, action, lb.RegionID, given)
		},
		func(lb *LoadBalancer) (err error) {
			if lb.BackendServers, err = fn(lb.BackendServers, given); err != nil {
				return err
			}
			return checkBackendCount(lb.BackendServers)
		})
	return lb, s.served(ctx, err)
}

// AddBackendServers adds servers to the default list; one already there
// takes the new weight.
func (s *Service) AddBackendServers(ctx context.Context, p *slbcert.Principal, in BackendServersInput) (*LoadBalancer, error) {
	return s.changeDefaultBackends(ctx, p, "AddBackendServers", in, func(list, given []BackendServer) ([]BackendServer, error) {
		return mergeBackends(list, given), nil
	})
}

// RemoveBackendServers removes servers from the default list (those not
// there are ignored).
func (s *Service) RemoveBackendServers(ctx context.Context, p *slbcert.Principal, in BackendServersInput) (*LoadBalancer, error) {
	return s.changeDefaultBackends(ctx, p, "RemoveBackendServers", in, func(list, given []BackendServer) ([]BackendServer, error) {
		return removeBackends(list, given), nil
	})
}

// SetBackendServers changes the weights (and descriptions) of servers of
// the default list.
func (s *Service) SetBackendServers(ctx context.Context, p *slbcert.Principal, in BackendServersInput) (*LoadBalancer, error) {
	return s.changeDefaultBackends(ctx, p, "SetBackendServers", in, func(list, given []BackendServer) ([]BackendServer, error) {
		return updateBackends("BackendServers", list, given)
	})
}
