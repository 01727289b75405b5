package server

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
)

// TestLoadBalancerXML: the typed SDK reads every load-balancer answer in
// XML as it does in JSON.
func TestLoadBalancerXML(t *testing.T) {
	f := newLBFixture(t)
	mustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", f.terraformHTTPSCreate(f.lb, 443))
	mustCommon(t, f.c, "CreateLoadBalancerHTTPListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "80", "ListenerForward": "on", "ForwardPort": "443"})
	mustCommon(t, f.c, "AddBackendServers", map[string]string{"LoadBalancerId": f.lb, "BackendServers": `[{"ServerId":"i-1"}]`})
	if _, err := createExtension(t, f.c, f.lb, 443, "a.example.com", f.cert); err != nil {
		t.Fatal(err)
	}

	create := slb.CreateCreateLoadBalancerRequest()
	create.AcceptFormat = "XML"
	created, err := f.c.CreateLoadBalancer(create)
	if err != nil || created.LoadBalancerId == "" || created.Address == "" {
		t.Errorf("CreateLoadBalancer: %+v %v", created, err)
	}
	attr := slb.CreateDescribeLoadBalancerAttributeRequest()
	attr.AcceptFormat, attr.LoadBalancerId = "XML", f.lb
	a, err := f.c.DescribeLoadBalancerAttribute(attr)
	if err != nil || len(a.ListenerPortsAndProtocol.ListenerPortAndProtocol) != 2 || len(a.BackendServers.BackendServer) != 1 ||
		len(a.ListenerPortsAndProtocal.ListenerPortAndProtocal) != 2 || a.Bandwidth == 0 {
		t.Errorf("DescribeLoadBalancerAttribute: %+v %v", a, err)
	}
	list := slb.CreateDescribeLoadBalancerListenersRequest()
	list.AcceptFormat, list.LoadBalancerId = "XML", &[]string{f.lb}
	l, err := f.c.DescribeLoadBalancerListeners(list)
	if err != nil || l.TotalCount != 2 || len(l.Listeners) != 2 || l.Listeners[1].HTTPSListenerConfig.ServerCertificateId != f.cert {
		t.Errorf("DescribeLoadBalancerListeners: %+v %v", l, err)
	}
	http := slb.CreateDescribeLoadBalancerHTTPListenerAttributeRequest()
	http.AcceptFormat, http.LoadBalancerId, http.ListenerPort = "XML", f.lb, port(80)
	if h, err := f.c.DescribeLoadBalancerHTTPListenerAttribute(http); err != nil || h.ForwardPort != 443 || h.ListenerForward != "on" {
		t.Errorf("DescribeLoadBalancerHTTPListenerAttribute: %+v %v", h, err)
	}
	exts := slb.CreateDescribeDomainExtensionsRequest()
	exts.AcceptFormat, exts.LoadBalancerId, exts.ListenerPort = "XML", f.lb, port(443)
	if e, err := f.c.DescribeDomainExtensions(exts); err != nil || len(e.DomainExtensions.DomainExtension) != 1 {
		t.Errorf("DescribeDomainExtensions: %+v %v", e, err)
	}
	groups := slb.CreateDescribeVServerGroupsRequest()
	groups.AcceptFormat, groups.LoadBalancerId = "XML", f.lb
	if g, err := f.c.DescribeVServerGroups(groups); err != nil {
		t.Errorf("DescribeVServerGroups: %+v %v", g, err)
	}
	health := slb.CreateDescribeHealthStatusRequest()
	health.AcceptFormat, health.LoadBalancerId = "XML", f.lb
	if h, err := f.c.DescribeHealthStatus(health); err != nil || len(h.BackendServers.BackendServer) != 1 || h.BackendServers.BackendServer[0].ServerHealthStatus != "unavailable" {
		t.Errorf("DescribeHealthStatus: %+v %v", h, err)
	}
	policies := slb.CreateListTLSCipherPoliciesRequest()
	policies.AcceptFormat = "XML"
	if _, err := f.c.ListTLSCipherPolicies(policies); err != nil {
		t.Errorf("ListTLSCipherPolicies: %v", err)
	}
	lbs := slb.CreateDescribeLoadBalancersRequest()
	lbs.AcceptFormat = "XML"
	if r, err := f.c.DescribeLoadBalancers(lbs); err != nil || r.TotalCount != 3 {
		t.Errorf("DescribeLoadBalancers: %+v %v", r, err)
	}
}
