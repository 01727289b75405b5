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

// CreateVServerGroupInput is CreateVServerGroup's request.
type CreateVServerGroupInput struct {
	// RegionID is required.
	RegionID       string
	LoadBalancerID string
	// VServerGroupName is 1–80 letters, digits, '-', '/', '.' or '_'.
	VServerGroupName string
	// BackendServers lists up to 20 members, each with its port; see
	// ParseBackendServers.
	BackendServers Param[[]BackendServer]
	// Tags (Tag.N) are the group's.
	Tags []slbcert.Tag
}

// CreateVServerGroup creates a VServer group on a load balancer, with
// optional members (RegionId required).
func (s *Service) CreateVServerGroup(ctx context.Context, p *slbcert.Principal, in CreateVServerGroupInput) (*VServerGroup, error) {
	const action = "CreateVServerGroup"
	lb, err := s.loadBalancer(ctx, p, action, in.RegionID, in.LoadBalancerID, regionRequired)
	if err != nil {
		return nil, err
	}
	if lb.Status == LoadBalancerLocked {
		return nil, errLocked(lb.ID)
	}
	g := &VServerGroup{ID: newVServerGroupID(), LoadBalancerID: lb.ID, Name: in.VServerGroupName,
		CreateTime: s.now(), BackendServers: []BackendServer{}}
	if g.Name != "" {
		if err := checkGroupName(g.Name); err != nil {
			return nil, err
		}
	}
	if in.BackendServers.Set {
		if in.BackendServers.Err != nil {
			return nil, in.BackendServers.Err
		}
		g.BackendServers = mergeBackends(nil, in.BackendServers.Value)
	}
	if err := s.authorizeBackends(p, action, lb.RegionID, g.BackendServers); err != nil {
		return nil, err
	}
	if err := checkTagsToWrite(in.Tags); err != nil {
		return nil, err
	}
	g.Tags = dedupeTags(in.Tags)
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

// DescribeVServerGroupsInput is DescribeVServerGroups' request.
type DescribeVServerGroupsInput struct {
	// RegionID is required.
	RegionID       string
	LoadBalancerID string
	// IncludeListener true adds the listeners using each group;
	// IncludeRule (true or false) is checked, and no rules are kept.
	IncludeListener Param[bool]
	IncludeRule     Param[bool]
	// Description selects groups whose name contains it; Tags (Tag.N)
	// those carrying every pair.
	Description string
	Tags        []slbcert.Tag
}

// DescribeVServerGroups lists a load balancer's groups, oldest first;
// Description filters by a part of the name, Tag.N by tags, and
// IncludeListener adds the listeners using each (RegionId required).
func (s *Service) DescribeVServerGroups(ctx context.Context, p *slbcert.Principal, in DescribeVServerGroupsInput) ([]VServerGroupUse, error) {
	lb, err := s.loadBalancer(ctx, p, "DescribeVServerGroups", in.RegionID, in.LoadBalancerID, regionRequired)
	if err != nil {
		return nil, err
	}
	if err := checkBool("IncludeListener", in.IncludeListener); err != nil {
		return nil, err
	}
	if err := checkBool("IncludeRule", in.IncludeRule); err != nil {
		return nil, err
	}
	groups, err := s.LoadBalancers.FindVServerGroups(ctx, p.Account.ID, lb.ID)
	if err != nil {
		return nil, storeError(err, nil)
	}
	listeners := []*Listener{}
	if includes(in.IncludeListener) {
		if listeners, err = s.LoadBalancers.FindListeners(ctx, ListenerFilter{AccountID: p.Account.ID, LoadBalancerIDs: []string{lb.ID}}); err != nil {
			return nil, storeError(err, nil)
		}
	}
	out := []VServerGroupUse{}
	for _, g := range groups {
		if d := in.Description; d != "" && !strings.Contains(g.Name, d) {
			continue
		}
		if !hasTags(g.Tags, in.Tags) {
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

// VServerGroupInput names one VServer group: the request of
// DescribeVServerGroupAttribute and DeleteVServerGroup.
type VServerGroupInput struct {
	// RegionID is required.
	RegionID       string
	VServerGroupID string
}

// vserverGroup runs the checks of the operations on one group: the region
// (required), the id, RAM on its load balancer, existence in that region
// (404 InvalidParameter "The specified VServerGroupId does not exist.").
func (s *Service) vserverGroup(ctx context.Context, p *slbcert.Principal, action, regionID, id string) (*VServerGroup, *LoadBalancer, error) {
	return lbChild(ctx, s, p, action, regionID, "VServerGroupId", id, LoadBalancerStore.GetVServerGroup,
		func(g *VServerGroup) string { return g.LoadBalancerID },
		func(string) error { return errVServerGroupNotFound() })
}

// DescribeVServerGroupAttribute returns one group with its members.
func (s *Service) DescribeVServerGroupAttribute(ctx context.Context, p *slbcert.Principal, in VServerGroupInput) (*VServerGroup, error) {
	g, _, err := s.vserverGroup(ctx, p, "DescribeVServerGroupAttribute", in.RegionID, in.VServerGroupID)
	return g, err
}

// changeVServerGroup resolves a group and lets fn change its members (and
// name) in one transaction.
func (s *Service) changeVServerGroup(ctx context.Context, p *slbcert.Principal, action, regionID, id string,
	fn func(g *VServerGroup) error) (*VServerGroup, error) {
	g, lb, err := s.vserverGroup(ctx, p, action, regionID, id)
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

// groupMembers checks a required member list of a group operation, named
// param, and authorizes action on each instance.
func (s *Service) groupMembers(p *slbcert.Principal, action, param string, list Param[[]BackendServer], regionID string) ([]BackendServer, error) {
	if !list.Set {
		return nil, slbcert.MissingParameter(param)
	}
	if list.Err != nil {
		return nil, list.Err
	}
	return list.Value, s.authorizeBackends(p, action, regionID, list.Value)
}

// VServerGroupBackendServersInput is the request of
// AddVServerGroupBackendServers and RemoveVServerGroupBackendServers.
type VServerGroupBackendServersInput struct {
	// RegionID is required.
	RegionID       string
	VServerGroupID string
	// BackendServers (required) lists up to 20 members, each with its
	// port; see ParseBackendServers.
	BackendServers Param[[]BackendServer]
}

// AddVServerGroupBackendServers adds members to a group; a member already
// there (same server and port) takes the new weight and description.
func (s *Service) AddVServerGroupBackendServers(ctx context.Context, p *slbcert.Principal, in VServerGroupBackendServersInput) (*VServerGroup, error) {
	const action = "AddVServerGroupBackendServers"
	list, err := s.groupMembers(p, action, "BackendServers", in.BackendServers, in.RegionID)
	if err != nil {
		return nil, err
	}
	return s.changeVServerGroup(ctx, p, action, in.RegionID, in.VServerGroupID, func(g *VServerGroup) error {
		g.BackendServers = mergeBackends(g.BackendServers, list)
		return nil
	})
}

// RemoveVServerGroupBackendServers removes members (by server and port);
// members not there are ignored.
func (s *Service) RemoveVServerGroupBackendServers(ctx context.Context, p *slbcert.Principal, in VServerGroupBackendServersInput) (*VServerGroup, error) {
	const action = "RemoveVServerGroupBackendServers"
	list, err := s.groupMembers(p, action, "BackendServers", in.BackendServers, in.RegionID)
	if err != nil {
		return nil, err
	}
	return s.changeVServerGroup(ctx, p, action, in.RegionID, in.VServerGroupID, func(g *VServerGroup) error {
		g.BackendServers = removeBackends(g.BackendServers, list)
		return nil
	})
}

// ModifyVServerGroupBackendServersInput is
// ModifyVServerGroupBackendServers' request.
type ModifyVServerGroupBackendServersInput struct {
	// RegionID is required.
	RegionID       string
	VServerGroupID string
	// OldBackendServers (required) are replaced by NewBackendServers
	// (required); each lists up to 20 members with their ports.
	OldBackendServers Param[[]BackendServer]
	NewBackendServers Param[[]BackendServer]
}

// ModifyVServerGroupBackendServers replaces OldBackendServers by
// NewBackendServers in one step.
func (s *Service) ModifyVServerGroupBackendServers(ctx context.Context, p *slbcert.Principal, in ModifyVServerGroupBackendServersInput) (*VServerGroup, error) {
	const action = "ModifyVServerGroupBackendServers"
	old, err := s.groupMembers(p, action, "OldBackendServers", in.OldBackendServers, in.RegionID)
	if err != nil {
		return nil, err
	}
	add, err := s.groupMembers(p, action, "NewBackendServers", in.NewBackendServers, in.RegionID)
	if err != nil {
		return nil, err
	}
	return s.changeVServerGroup(ctx, p, action, in.RegionID, in.VServerGroupID, func(g *VServerGroup) error {
		g.BackendServers = mergeBackends(removeBackends(g.BackendServers, old), add)
		return nil
	})
}

// SetVServerGroupAttributeInput is SetVServerGroupAttribute's request;
// what is not given is kept.
type SetVServerGroupAttributeInput struct {
	// RegionID is required.
	RegionID       string
	VServerGroupID string
	// VServerGroupName is 1–80 letters, digits, '-', '/', '.' or '_'.
	VServerGroupName string
	// BackendServers gives existing members (by server and port) their
	// new weight, type, address and description.
	BackendServers Param[[]BackendServer]
}

// SetVServerGroupAttribute renames a group and changes the weights and
// descriptions of existing members.
func (s *Service) SetVServerGroupAttribute(ctx context.Context, p *slbcert.Principal, in SetVServerGroupAttributeInput) (*VServerGroup, error) {
	const action = "SetVServerGroupAttribute"
	name := in.VServerGroupName
	if name != "" {
		if err := checkGroupName(name); err != nil {
			return nil, err
		}
	}
	var set []BackendServer
	if in.BackendServers.Set {
		var err error
		if set, err = s.groupMembers(p, action, "BackendServers", in.BackendServers, in.RegionID); err != nil {
			return nil, err
		}
	}
	return s.changeVServerGroup(ctx, p, action, in.RegionID, in.VServerGroupID, func(g *VServerGroup) (err error) {
		if name != "" {
			g.Name = name
		}
		g.BackendServers, err = updateBackends("BackendServers", g.BackendServers, set)
		return err
	})
}

// DeleteVServerGroup deletes a group no listener uses (RspoolVipExist
// otherwise).
func (s *Service) DeleteVServerGroup(ctx context.Context, p *slbcert.Principal, in VServerGroupInput) error {
	g, lb, err := s.vserverGroup(ctx, p, "DeleteVServerGroup", in.RegionID, in.VServerGroupID)
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
