package slb

import (
	"context"
	"errors"
	"strings"

	"slbcert"
)

// checkGroupName validates VServerGroupName: 1–80 letters, digits, '-',
// '/', '.', '_'.
func checkGroupName(v string) error {
	return checkName("VServerGroupName", v, 80, objectNamePattern, "1 to 80 letters, digits, '-', '/', '.' or '_'")
}

// CreateVServerGroup creates a VServer group on a load balancer, with
// optional members (RegionId required).
func (s *Service) CreateVServerGroup(ctx context.Context, p *slbcert.Principal, in Params, tags []slbcert.Tag) (*VServerGroup, error) {
	const action = "CreateVServerGroup"
	lb, err := s.loadBalancer(ctx, p, action, in.Get("RegionId"), in.Get("LoadBalancerId"), regionRequired)
	if err != nil {
		return nil, err
	}
	if lb.Status == LoadBalancerLocked {
		return nil, errLocked(lb.ID)
	}
	g := &VServerGroup{ID: newVServerGroupID(), LoadBalancerID: lb.ID, Name: in.Get("VServerGroupName"),
		CreateTime: s.now(), BackendServers: []BackendServer{}}
	if g.Name != "" {
		if err := checkGroupName(g.Name); err != nil {
			return nil, err
		}
	}
	if v := in.Get("BackendServers"); v != "" {
		if g.BackendServers, err = parseBackendServers("BackendServers", v, true); err != nil {
			return nil, err
		}
		g.BackendServers = mergeBackends(nil, g.BackendServers)
	}
	if err := s.authorizeBackends(p, action, lb.RegionID, g.BackendServers); err != nil {
		return nil, err
	}
	if err := checkTagsToWrite(tags); err != nil {
		return nil, err
	}
	g.Tags = dedupeTags(tags)
	if err := s.LoadBalancers.CreateVServerGroup(ctx, p.Account.ID, g); err != nil {
		return nil, storeError(err, errLoadBalancerNotFound(lb.ID))
	}
	return g, nil
}

// VServerGroupUse is a VServer group with the listeners forwarding to it.
type VServerGroupUse struct {
	Group     *VServerGroup
	Listeners []*Listener
}

// DescribeVServerGroups lists a load balancer's groups, oldest first;
// Description filters by a part of the name, Tag.N by tags, and
// IncludeListener adds the listeners using each (RegionId required).
func (s *Service) DescribeVServerGroups(ctx context.Context, p *slbcert.Principal, in Params, tags []slbcert.Tag) ([]VServerGroupUse, error) {
	lb, err := s.loadBalancer(ctx, p, "DescribeVServerGroups", in.Get("RegionId"), in.Get("LoadBalancerId"), regionRequired)
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"IncludeListener", "IncludeRule"} {
		if err := checkBooleans(in, name); err != nil {
			return nil, err
		}
	}
	groups, err := s.LoadBalancers.FindVServerGroups(ctx, p.Account.ID, lb.ID)
	if err != nil {
		return nil, storeError(err, nil)
	}
	listeners := []*Listener{}
	if strings.EqualFold(in.Get("IncludeListener"), "true") {
		if listeners, err = s.LoadBalancers.FindListeners(ctx, ListenerFilter{AccountID: p.Account.ID, LoadBalancerIDs: []string{lb.ID}}); err != nil {
			return nil, storeError(err, nil)
		}
	}
	out := []VServerGroupUse{}
	for _, g := range groups {
		if d := in.Get("Description"); d != "" && !strings.Contains(g.Name, d) {
			continue
		}
		if !hasTags(g.Tags, tags) {
			continue
		}
		use := VServerGroupUse{Group: g, Listeners: []*Listener{}}
		for _, l := range listeners {
			if l.VServerGroupID == g.ID {
				use.Listeners = append(use.Listeners, l)
			}
		}
		out = append(out, use)
	}
	return out, nil
}

// vserverGroup runs the checks of the operations on one group: the region
// (required), the id, RAM on its load balancer, existence in that region
// (404 InvalidParameter "The specified VServerGroupId does not exist.").
func (s *Service) vserverGroup(ctx context.Context, p *slbcert.Principal, action string, in Params) (*VServerGroup, *LoadBalancer, error) {
	return lbChild(ctx, s, p, action, in, "VServerGroupId", LoadBalancerStore.GetVServerGroup,
		func(g *VServerGroup) string { return g.LoadBalancerID },
		func(string) error { return errVServerGroupNotFound() })
}

// DescribeVServerGroupAttribute returns one group with its members.
func (s *Service) DescribeVServerGroupAttribute(ctx context.Context, p *slbcert.Principal, in Params) (*VServerGroup, error) {
	g, _, err := s.vserverGroup(ctx, p, "DescribeVServerGroupAttribute", in)
	return g, err
}

// changeVServerGroup resolves a group and lets fn change its members (and
// name) in one transaction.
func (s *Service) changeVServerGroup(ctx context.Context, p *slbcert.Principal, action string, in Params,
	fn func(g *VServerGroup) error) (*VServerGroup, error) {
	g, lb, err := s.vserverGroup(ctx, p, action, in)
	if err != nil {
		return nil, err
	}
	if lb.Status == LoadBalancerLocked {
		return nil, errLocked(lb.ID)
	}
	out, err := s.LoadBalancers.UpdateVServerGroup(ctx, p.Account.ID, g.ID, func(g *VServerGroup) error {
		if err := fn(g); err != nil {
			return err
		}
		return checkBackendCount(g.BackendServers)
	})
	if err != nil {
		var apiErr *slbcert.Error
		if errors.As(err, &apiErr) {
			return nil, apiErr
		}
		return nil, storeError(err, errVServerGroupNotFound())
	}
	s.served(ctx, nil)
	return out, nil
}

// groupMembers reads a required member list of a group operation and
// authorizes action on each instance.
func (s *Service) groupMembers(p *slbcert.Principal, action, param string, in Params, regionID string) ([]BackendServer, error) {
	v := in.Get(param)
	if v == "" {
		return nil, slbcert.MissingParameter(param)
	}
	list, err := parseBackendServers(param, v, true)
	if err != nil {
		return nil, err
	}
	return list, s.authorizeBackends(p, action, regionID, list)
}

// AddVServerGroupBackendServers adds members to a group; a member already
// there (same server and port) takes the new weight and description.
func (s *Service) AddVServerGroupBackendServers(ctx context.Context, p *slbcert.Principal, in Params) (*VServerGroup, error) {
	const action = "AddVServerGroupBackendServers"
	list, err := s.groupMembers(p, action, "BackendServers", in, in.Get("RegionId"))
	if err != nil {
		return nil, err
	}
	return s.changeVServerGroup(ctx, p, action, in, func(g *VServerGroup) error {
		g.BackendServers = mergeBackends(g.BackendServers, list)
		return nil
	})
}

// RemoveVServerGroupBackendServers removes members (by server and port);
// members not there are ignored.
func (s *Service) RemoveVServerGroupBackendServers(ctx context.Context, p *slbcert.Principal, in Params) (*VServerGroup, error) {
	const action = "RemoveVServerGroupBackendServers"
	list, err := s.groupMembers(p, action, "BackendServers", in, in.Get("RegionId"))
	if err != nil {
		return nil, err
	}
	return s.changeVServerGroup(ctx, p, action, in, func(g *VServerGroup) error {
		g.BackendServers = removeBackends(g.BackendServers, list)
		return nil
	})
}

// ModifyVServerGroupBackendServers replaces OldBackendServers by
// NewBackendServers in one step.
func (s *Service) ModifyVServerGroupBackendServers(ctx context.Context, p *slbcert.Principal, in Params) (*VServerGroup, error) {
	const action = "ModifyVServerGroupBackendServers"
	old, err := s.groupMembers(p, action, "OldBackendServers", in, in.Get("RegionId"))
	if err != nil {
		return nil, err
	}
	add, err := s.groupMembers(p, action, "NewBackendServers", in, in.Get("RegionId"))
	if err != nil {
		return nil, err
	}
	return s.changeVServerGroup(ctx, p, action, in, func(g *VServerGroup) error {
		g.BackendServers = mergeBackends(removeBackends(g.BackendServers, old), add)
		return nil
	})
}

// SetVServerGroupAttribute renames a group and changes the weights and
// descriptions of existing members.
func (s *Service) SetVServerGroupAttribute(ctx context.Context, p *slbcert.Principal, in Params) (*VServerGroup, error) {
	const action = "SetVServerGroupAttribute"
	name := in.Get("VServerGroupName")
	if name != "" {
		if err := checkGroupName(name); err != nil {
			return nil, err
		}
	}
	var set []BackendServer
	if v := in.Get("BackendServers"); v != "" {
		var err error
		if set, err = s.groupMembers(p, action, "BackendServers", in, in.Get("RegionId")); err != nil {
			return nil, err
		}
	}
	return s.changeVServerGroup(ctx, p, action, in, func(g *VServerGroup) (err error) {
		if name != "" {
			g.Name = name
		}
		g.BackendServers, err = updateBackends("BackendServers", g.BackendServers, set)
		return err
	})
}

// DeleteVServerGroup deletes a group no listener uses (RspoolVipExist
// otherwise).
func (s *Service) DeleteVServerGroup(ctx context.Context, p *slbcert.Principal, in Params) error {
	g, lb, err := s.vserverGroup(ctx, p, "DeleteVServerGroup", in)
	if err != nil {
		return err
	}
	if lb.Status == LoadBalancerLocked {
		return errLocked(lb.ID)
	}
	err = s.LoadBalancers.DeleteVServerGroup(ctx, p.Account.ID, g.ID)
	if errors.Is(err, slbcert.ErrInUse) {
		return slbcert.Errorf(ERspoolVipExist, "The VServer group %s is used by a listener; change the listener first.", g.ID)
	}
	return storeError(err, errVServerGroupNotFound())
}
