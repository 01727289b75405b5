package slb

import (
	"context"

	"slbcert"
)

// The default server list of a load balancer (AddBackendServers,
// RemoveBackendServers, SetBackendServers; RegionId optional): servers
// without ports, used by listeners without a VServer group on their
// BackendServerPort.

// changeDefaultBackends reads the BackendServers parameter (required, no
// ports), authorizes action on the load balancer and each instance, and
// lets fn change the list in one transaction.
func (s *Service) changeDefaultBackends(ctx context.Context, p *slbcert.Principal, action string, in Params,
	fn func(list, given []BackendServer) ([]BackendServer, error)) (*LoadBalancer, error) {
	var given []BackendServer
	lb, err := s.changeLoadBalancer(ctx, p, action, in.Get("RegionId"), in.Get("LoadBalancerId"), regionOptional,
		func(lb *LoadBalancer) (err error) {
			v := in.Get("BackendServers")
			if v == "" {
				return slbcert.MissingParameter("BackendServers")
			}
			if given, err = parseBackendServers("BackendServers", v, false); err != nil {
				return err
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
func (s *Service) AddBackendServers(ctx context.Context, p *slbcert.Principal, in Params) (*LoadBalancer, error) {
	return s.changeDefaultBackends(ctx, p, "AddBackendServers", in, func(list, given []BackendServer) ([]BackendServer, error) {
		return mergeBackends(list, given), nil
	})
}

// RemoveBackendServers removes servers from the default list (those not
// there are ignored).
func (s *Service) RemoveBackendServers(ctx context.Context, p *slbcert.Principal, in Params) (*LoadBalancer, error) {
	return s.changeDefaultBackends(ctx, p, "RemoveBackendServers", in, func(list, given []BackendServer) ([]BackendServer, error) {
		return removeBackends(list, given), nil
	})
}

// SetBackendServers changes the weights (and descriptions) of servers of
// the default list.
func (s *Service) SetBackendServers(ctx context.Context, p *slbcert.Principal, in Params) (*LoadBalancer, error) {
	return s.changeDefaultBackends(ctx, p, "SetBackendServers", in, func(list, given []BackendServer) ([]BackendServer, error) {
		return updateBackends("BackendServers", list, given)
	})
}
