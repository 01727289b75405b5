package slb_test

import (
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
)

func TestVServerGroups(t *testing.T) {
	f := newLBFixture(t)
	create := slb.CreateCreateVServerGroupRequest()
	create.LoadBalancerId, create.VServerGroupName = f.lb, "web"
	create.BackendServers = `[{'ServerId':'i-1','Port':'80','Weight':'100', 'Type': 'ecs'},{'ServerId':'i-2','Port':'8080','Weight':'50','Type':'ecs','ServerIp':'127.0.0.2'}]`
	created, err := f.c.CreateVServerGroup(create)
	if err != nil {
		t.Fatal(err)
	}
	group := created.VServerGroupId
	if !strings.HasPrefix(group, "rsp-") || len(created.BackendServers.BackendServer) != 2 || created.BackendServers.BackendServer[1].Port != 8080 {
		t.Fatalf("created %+v", created)
	}
	raw := e2e.MustCommon(t, f.c, "DescribeVServerGroupAttribute", map[string]string{"VServerGroupId": group})
	members := raw["BackendServers"].(map[string]any)["BackendServer"].([]any)
	first := members[0].(map[string]any)
	e2e.JSONNumber(t, "Port", first["Port"], 80)
	e2e.JSONNumber(t, "Weight", first["Weight"], 100)
	e2e.JSONString(t, "LoadBalancerId", raw["LoadBalancerId"], f.lb)
	e2e.JSONString(t, "VServerGroupName", raw["VServerGroupName"], "web")

	// Members: add (JSON with numbers), remove (quoted port), modify, set.
	e2e.MustCommon(t, f.c, "AddVServerGroupBackendServers", map[string]string{"VServerGroupId": group,
		"BackendServers": `[{"ServerId":"i-3","Port":81,"Weight":10}]`})
	e2e.MustCommon(t, f.c, "RemoveVServerGroupBackendServers", map[string]string{"VServerGroupId": group,
		"BackendServers": `[{"ServerId":"i-1","Port":"80"}]`})
	e2e.MustCommon(t, f.c, "ModifyVServerGroupBackendServers", map[string]string{"VServerGroupId": group,
		"OldBackendServers": `[{"ServerId":"i-3","Port":81}]`, "NewBackendServers": `[{"ServerId":"i-4","Port":82,"Weight":20}]`})
	set := e2e.MustCommon(t, f.c, "SetVServerGroupAttribute", map[string]string{"VServerGroupId": group, "VServerGroupName": "web-2",
		"BackendServers": `[{"ServerId":"i-4","Port":82,"Weight":30}]`})
	e2e.JSONString(t, "VServerGroupName", set["VServerGroupName"], "web-2")
	req := slb.CreateDescribeVServerGroupAttributeRequest()
	req.VServerGroupId = group
	got, err := f.c.DescribeVServerGroupAttribute(req)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, b := range got.BackendServers.BackendServer {
		keys = append(keys, b.ServerId+":"+itoa(b.Port)+":"+itoa(b.Weight))
	}
	if strings.Join(keys, ",") != "i-2:8080:50,i-4:82:30" || got.VServerGroupName != "web-2" {
		t.Errorf("members %v, name %s", keys, got.VServerGroupName)
	}

	// A listener uses it: the group cannot be deleted; IncludeListener shows it.
	listener := f.terraformHTTPSCreate(f.lb, 443)
	delete(listener, "BackendServerPort")
	listener["VServerGroupId"] = group
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", listener)
	del := slb.CreateDeleteVServerGroupRequest()
	del.VServerGroupId = group
	_, err = f.c.DeleteVServerGroup(del)
	e2e.ServerError(t, err, "RspoolVipExist", 400)
	list := slb.CreateDescribeVServerGroupsRequest()
	list.LoadBalancerId = f.lb
	list.IncludeListener = "true"
	groups, err := f.c.DescribeVServerGroups(list)
	if err != nil || len(groups.VServerGroups.VServerGroup) != 1 || groups.VServerGroups.VServerGroup[0].ServerCount != 2 ||
		len(groups.VServerGroups.VServerGroup[0].AssociatedObjects.Listeners.Listener) != 1 ||
		groups.VServerGroups.VServerGroup[0].AssociatedObjects.Listeners.Listener[0].Port != 443 {
		t.Fatalf("groups %+v %v", groups, err)
	}
	// Back to the default list (VServerGroup=off), then the group goes.
	e2e.MustCommon(t, f.c, "SetLoadBalancerHTTPSListenerAttribute", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "443",
		"VServerGroup": "off", "BackendServerPort": "80"})
	raw, _ = describeHTTPS(t, f.c, f.lb, 443)
	e2e.JSONString(t, "VServerGroupId", raw["VServerGroupId"], "")
	if _, err := f.c.DeleteVServerGroup(del); err != nil {
		t.Fatal(err)
	}
	_, err = f.c.DescribeVServerGroupAttribute(req)
	se := e2e.ServerError(t, err, "InvalidParameter", 404)
	if se.Message() != "The specified VServerGroupId does not exist." {
		t.Errorf("message %q", se.Message())
	}

	// A group of another load balancer is unknown to this one's listeners.
	other := e2e.CreateLB(t, f.c).LoadBalancerId
	oc := slb.CreateCreateVServerGroupRequest()
	oc.LoadBalancerId = other
	og, err := f.c.CreateVServerGroup(oc)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e2e.Common(t, f.c, "POST", "http", "SetLoadBalancerHTTPSListenerAttribute", map[string]string{"LoadBalancerId": f.lb,
		"ListenerPort": "443", "VServerGroup": "on", "VServerGroupId": og.VServerGroupId})
	e2e.ServerError(t, err, "InvalidParameter", 404)

	for _, tc := range []struct {
		name, action string
		params       map[string]string
		code         string
		status       int
	}{
		{"error/bad members", "CreateVServerGroup", map[string]string{"LoadBalancerId": f.lb, "BackendServers": "[{'ServerId':'i-1'}]"}, "InvalidParameter", 400},
		{"error/too many", "CreateVServerGroup", map[string]string{"LoadBalancerId": f.lb, "BackendServers": "[" + strings.Repeat(`{"ServerId":"i-1","Port":80},`, 20) + `{"ServerId":"i-1","Port":80}]`}, "TooManyBackendServers", 400},
		{"error/bad name", "CreateVServerGroup", map[string]string{"LoadBalancerId": f.lb, "VServerGroupName": "a b"}, "InvalidParameter", 400},
		{"error/no region", "CreateVServerGroup", map[string]string{"LoadBalancerId": f.lb, "RegionId": ""}, "MissingParameter", 400},
		{"error/set a non-member", "SetVServerGroupAttribute", map[string]string{"VServerGroupId": og.VServerGroupId, "BackendServers": `[{"ServerId":"i-9","Port":80}]`}, "InvalidParameter", 400},
		{"error/add nothing", "AddVServerGroupBackendServers", map[string]string{"VServerGroupId": og.VServerGroupId}, "MissingParameter", 400},
		{"error/unknown group", "DeleteVServerGroup", map[string]string{"VServerGroupId": "rsp-nope"}, "InvalidParameter", 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e2e.Common(t, f.c, "POST", "http", tc.action, tc.params)
			e2e.ServerError(t, err, tc.code, tc.status)
		})
	}
	// Deleting the load balancer takes its groups.
	dl := slb.CreateDeleteLoadBalancerRequest()
	dl.LoadBalancerId = other
	if _, err := f.c.DeleteLoadBalancer(dl); err != nil {
		t.Fatal(err)
	}
	req.VServerGroupId = og.VServerGroupId
	_, err = f.c.DescribeVServerGroupAttribute(req)
	e2e.ServerError(t, err, "InvalidParameter", 404)
}

func TestDefaultBackendServers(t *testing.T) {
	f := newLBFixture(t)
	add := slb.CreateAddBackendServersRequest()
	add.LoadBalancerId = f.lb
	add.BackendServers = `[{"ServerId":"i-1","Weight":"100"},{"ServerId":"i-2","Weight":50,"ServerIp":"127.0.0.9"}]`
	resp, err := f.c.AddBackendServers(add)
	if err != nil || resp.LoadBalancerId != f.lb || len(resp.BackendServers.BackendServer) != 2 {
		t.Fatalf("add: %+v %v", resp, err)
	}
	e2e.MustCommon(t, f.c, "SetBackendServers", map[string]string{"LoadBalancerId": f.lb, "BackendServers": `[{'ServerId':'i-1','Weight':'5'}]`})
	e2e.MustCommon(t, f.c, "RemoveBackendServers", map[string]string{"LoadBalancerId": f.lb, "BackendServers": `[{"ServerId":"i-2"}]`})
	attr, err := describeLB(t, f.c, f.lb)
	if err != nil || len(attr.BackendServers.BackendServer) != 1 || attr.BackendServers.BackendServer[0].Weight != 5 ||
		attr.BackendServers.BackendServer[0].Type != "ecs" {
		t.Fatalf("default list %+v %v", attr.BackendServers, err)
	}
	// DescribeLoadBalancers finds load balancers by backend.
	list := slb.CreateDescribeLoadBalancersRequest()
	list.ServerId = "i-1"
	found, err := f.c.DescribeLoadBalancers(list)
	if err != nil || found.TotalCount != 1 || found.LoadBalancers.LoadBalancer[0].LoadBalancerId != f.lb {
		t.Errorf("ServerId filter: %+v %v", found, err)
	}
	_, err = e2e.Common(t, f.c, "POST", "http", "SetBackendServers", map[string]string{"LoadBalancerId": f.lb, "BackendServers": `[{"ServerId":"i-7"}]`})
	e2e.ServerError(t, err, "InvalidParameter", 400)
	_, err = e2e.Common(t, f.c, "POST", "http", "AddBackendServers", map[string]string{"LoadBalancerId": f.lb})
	e2e.ServerError(t, err, "MissingParameter", 400)
}
