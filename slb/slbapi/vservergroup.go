package slbapi

import (
	"context"

	"slbcert"
	"slbcert/rpc"
	"slbcert/slb"
)

// groupMember mirrors the SDK's BackendServerIn*VServerGroup* structs.
type groupMember struct {
	ServerID       string `json:"ServerId" xml:"ServerId"`
	Port           int    `json:"Port" xml:"Port"`
	Weight         int    `json:"Weight" xml:"Weight"`
	Type           string `json:"Type" xml:"Type"`
	ServerIP       string `json:"ServerIp" xml:"ServerIp"`
	Description    string `json:"Description" xml:"Description"`
	VpcID          string `json:"VpcId" xml:"VpcId"`
	ServerRegionID string `json:"ServerRegionId" xml:"ServerRegionId"`
	VbrID          string `json:"VbrId" xml:"VbrId"`
}

type groupMembers struct {
	BackendServer []groupMember `json:"BackendServer" xml:"BackendServer"`
}

func groupMembersOf(g *slb.VServerGroup, regionID string) groupMembers {
	out := groupMembers{BackendServer: make([]groupMember, 0, len(g.BackendServers))}
	for _, b := range g.BackendServers {
		out.BackendServer = append(out.BackendServer, groupMember{ServerID: b.ServerID, Port: b.Port, Weight: b.Weight,
			Type: b.Type, ServerIP: b.ServerIP, Description: b.Description, ServerRegionID: regionID})
	}
	return out
}

// groupMembersResponse is the answer of the member operations.
type groupMembersResponse struct {
	base
	VServerGroupID string       `json:"VServerGroupId" xml:"VServerGroupId"`
	BackendServers groupMembers `json:"BackendServers" xml:"BackendServers"`
}

func (a *API) createVServerGroup(ctx context.Context, c *rpc.Call) (any, error) {
	g, err := a.Service.CreateVServerGroup(ctx, c.Principal, slb.CreateVServerGroupInput{
		RegionID: c.Get("RegionId"), LoadBalancerID: c.Get("LoadBalancerId"), VServerGroupName: c.Get("VServerGroupName"),
		BackendServers: backendServers(c, "BackendServers", true), Tags: c.Tags("Tag"),
	})
	if err != nil {
		return nil, err
	}
	return &groupMembersResponse{VServerGroupID: g.ID, BackendServers: groupMembersOf(g, c.Get("RegionId"))}, nil
}

type associatedListener struct {
	Port     int    `json:"Port" xml:"Port"`
	Protocol string `json:"Protocol" xml:"Protocol"`
}

type associatedObjects struct {
	Listeners struct {
		Listener []associatedListener `json:"Listener" xml:"Listener"`
	} `json:"Listeners" xml:"Listeners"`
	Rules ruleList `json:"Rules" xml:"Rules"`
}

type vserverGroupItem struct {
	VServerGroupID     string            `json:"VServerGroupId" xml:"VServerGroupId"`
	VServerGroupName   string            `json:"VServerGroupName" xml:"VServerGroupName"`
	ServerCount        int64             `json:"ServerCount" xml:"ServerCount"`
	CreateTime         string            `json:"CreateTime" xml:"CreateTime"`
	ServiceManagedMode string            `json:"ServiceManagedMode" xml:"ServiceManagedMode"`
	AssociatedObjects  associatedObjects `json:"AssociatedObjects" xml:"AssociatedObjects"`
	Tags               tagList           `json:"Tags" xml:"Tags"`
}

type describeVServerGroupsResponse struct {
	base
	VServerGroups struct {
		VServerGroup []vserverGroupItem `json:"VServerGroup" xml:"VServerGroup"`
	} `json:"VServerGroups" xml:"VServerGroups"`
}

func (a *API) describeVServerGroups(ctx context.Context, c *rpc.Call) (any, error) {
	uses, err := a.Service.DescribeVServerGroups(ctx, c.Principal, slb.DescribeVServerGroupsInput{
		RegionID: c.Get("RegionId"), LoadBalancerID: c.Get("LoadBalancerId"),
		IncludeListener: boolParam(c, "IncludeListener"), IncludeRule: boolParam(c, "IncludeRule"),
		Description: c.Get("Description"), Tags: c.Tags("Tag"),
	})
	if err != nil {
		return nil, err
	}
	out := &describeVServerGroupsResponse{}
	out.VServerGroups.VServerGroup = make([]vserverGroupItem, 0, len(uses))
	for _, u := range uses {
		item := vserverGroupItem{VServerGroupID: u.Group.ID, VServerGroupName: u.Group.Name, ServerCount: int64(len(u.Group.BackendServers)),
			CreateTime: apiTime(u.Group.CreateTime), ServiceManagedMode: "Unmanaged", Tags: tagListOf(u.Group.Tags)}
		item.AssociatedObjects.Listeners.Listener = []associatedListener{}
		item.AssociatedObjects.Rules.Rule = []struct{}{}
		for _, l := range u.Listeners {
			item.AssociatedObjects.Listeners.Listener = append(item.AssociatedObjects.Listeners.Listener, associatedListener{Port: l.Port, Protocol: l.Protocol})
		}
		out.VServerGroups.VServerGroup = append(out.VServerGroups.VServerGroup, item)
	}
	return out, nil
}

type describeVServerGroupAttributeResponse struct {
	base
	VServerGroupID     string       `json:"VServerGroupId" xml:"VServerGroupId"`
	VServerGroupName   string       `json:"VServerGroupName" xml:"VServerGroupName"`
	LoadBalancerID     string       `json:"LoadBalancerId" xml:"LoadBalancerId"`
	CreateTime         string       `json:"CreateTime" xml:"CreateTime"`
	ServiceManagedMode string       `json:"ServiceManagedMode" xml:"ServiceManagedMode"`
	BackendServers     groupMembers `json:"BackendServers" xml:"BackendServers"`
	Tags               tagList      `json:"Tags" xml:"Tags"`
}

func (a *API) describeVServerGroupAttribute(ctx context.Context, c *rpc.Call) (any, error) {
	g, err := a.Service.DescribeVServerGroupAttribute(ctx, c.Principal, vserverGroupInput(c))
	if err != nil {
		return nil, err
	}
	return &describeVServerGroupAttributeResponse{VServerGroupID: g.ID, VServerGroupName: g.Name, LoadBalancerID: g.LoadBalancerID,
		CreateTime: apiTime(g.CreateTime), ServiceManagedMode: "Unmanaged", BackendServers: groupMembersOf(g, c.Get("RegionId")), Tags: tagListOf(g.Tags)}, nil
}

// vserverGroupInput reads the parameters naming one VServer group.
func vserverGroupInput(c *rpc.Call) slb.VServerGroupInput {
	return slb.VServerGroupInput{RegionID: c.Get("RegionId"), VServerGroupID: c.Get("VServerGroupId")}
}

// vserverGroupBackendServersInput reads the parameters of Add and
// RemoveVServerGroupBackendServers.
func vserverGroupBackendServersInput(c *rpc.Call) slb.VServerGroupBackendServersInput {
	return slb.VServerGroupBackendServersInput{RegionID: c.Get("RegionId"), VServerGroupID: c.Get("VServerGroupId"),
		BackendServers: backendServers(c, "BackendServers", true)}
}

// membersAnswer is the answer of the member operations: the group's
// members after the change.
func membersAnswer(c *rpc.Call, g *slb.VServerGroup, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return &groupMembersResponse{VServerGroupID: g.ID, BackendServers: groupMembersOf(g, c.Get("RegionId"))}, nil
}

func (a *API) addVServerGroupBackendServers(ctx context.Context, c *rpc.Call) (any, error) {
	g, err := a.Service.AddVServerGroupBackendServers(ctx, c.Principal, vserverGroupBackendServersInput(c))
	return membersAnswer(c, g, err)
}

func (a *API) removeVServerGroupBackendServers(ctx context.Context, c *rpc.Call) (any, error) {
	g, err := a.Service.RemoveVServerGroupBackendServers(ctx, c.Principal, vserverGroupBackendServersInput(c))
	return membersAnswer(c, g, err)
}

func (a *API) modifyVServerGroupBackendServers(ctx context.Context, c *rpc.Call) (any, error) {
	g, err := a.Service.ModifyVServerGroupBackendServers(ctx, c.Principal, slb.ModifyVServerGroupBackendServersInput{
		RegionID: c.Get("RegionId"), VServerGroupID: c.Get("VServerGroupId"),
		OldBackendServers: backendServers(c, "OldBackendServers", true),
		NewBackendServers: backendServers(c, "NewBackendServers", true),
	})
	return membersAnswer(c, g, err)
}

type setVServerGroupAttributeResponse struct {
	groupMembersResponse
	VServerGroupName string `json:"VServerGroupName" xml:"VServerGroupName"`
}

func (a *API) setVServerGroupAttribute(ctx context.Context, c *rpc.Call) (any, error) {
	g, err := a.Service.SetVServerGroupAttribute(ctx, c.Principal, slb.SetVServerGroupAttributeInput{
		RegionID: c.Get("RegionId"), VServerGroupID: c.Get("VServerGroupId"), VServerGroupName: c.Get("VServerGroupName"),
		BackendServers: backendServers(c, "BackendServers", true),
	})
	if err != nil {
		return nil, err
	}
	return &setVServerGroupAttributeResponse{groupMembersResponse: groupMembersResponse{VServerGroupID: g.ID,
		BackendServers: groupMembersOf(g, c.Get("RegionId"))}, VServerGroupName: g.Name}, nil
}

func (a *API) deleteVServerGroup(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.DeleteVServerGroup(ctx, c.Principal, vserverGroupInput(c))
}

// defaultBackendsResponse is the answer of Add/Remove/SetBackendServers:
// the load balancer's default list after the change.
type defaultBackendsResponse struct {
	base
	LoadBalancerID string           `json:"LoadBalancerId" xml:"LoadBalancerId"`
	BackendServers lbBackendServers `json:"BackendServers" xml:"BackendServers"`
}

func (a *API) defaultBackends(op func(context.Context, *slbcert.Principal, slb.BackendServersInput) (*slb.LoadBalancer, error)) rpc.Handler {
	return func(ctx context.Context, c *rpc.Call) (any, error) {
		lb, err := op(ctx, c.Principal, slb.BackendServersInput{RegionID: c.Get("RegionId"), LoadBalancerID: c.Get("LoadBalancerId"),
			BackendServers: backendServers(c, "BackendServers", false)})
		if err != nil {
			return nil, err
		}
		return &defaultBackendsResponse{LoadBalancerID: lb.ID, BackendServers: lbBackendServersOf(lb)}, nil
	}
}
