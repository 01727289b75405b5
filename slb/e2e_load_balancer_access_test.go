package slb_test

import (
	"fmt"
	"strings"
	"testing"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	slbsvc "slbcert/slb"
)

// lbIAM: account 2's root, a user allowed load-balancer work only on
// instances tagged team=web (and certificates), one denied listener changes
// that bind certificate cert-locked, one that may not touch ECS instance
// i-secret; account 3 apart.
const lbIAM = `{"accounts": [
 {"id": "1000000000000002",
  "accessKeys": [{"id": "AK2", "secret": "s2"}],
  "policies": [
   {"name": "WebTeam", "document": {"Version": "1", "Statement": [
     {"Effect": "Allow", "Action": ["slb:CreateLoadBalancer", "slb:DescribeLoadBalancers", "slb:UploadServerCertificate"], "Resource": "*"},
     {"Effect": "Allow", "Action": "slb:*", "Resource": "acs:slb:*:1000000000000002:loadbalancer/*",
      "Condition": {"StringEquals": {"slb:tag/team": "web"}}},
     {"Effect": "Allow", "Action": "slb:*", "Resource": "acs:slb:*:1000000000000002:certificate/*"},
     {"Effect": "Allow", "Action": "slb:*", "Resource": "acs:ecs:*:1000000000000002:instance/*"},
     {"Effect": "Deny", "Action": "slb:*", "Resource": "acs:ecs:*:1000000000000002:instance/i-secret"}]}},
   {"name": "NoCertBinding", "document": {"Version": "1", "Statement": [
     {"Effect": "Deny", "Action": ["slb:CreateLoadBalancerHTTPSListener", "slb:SetLoadBalancerHTTPSListenerAttribute", "slb:CreateDomainExtension"],
      "Resource": "acs:slb:*:1000000000000002:certificate/*", "Condition": {"StringEquals": {"slb:tag/locked": "yes"}}}]}}
  ],
  "users": [
   {"name": "web", "accessKeys": [{"id": "AK2-web", "secret": "s-web"}], "policies": ["WebTeam", "NoCertBinding"]}
  ]},
 {"id": "1000000000000003", "accessKeys": [{"id": "AK3", "secret": "s3"}]}
]}`

func TestLoadBalancerRAM(t *testing.T) {
	s, _ := e2e.StartWithIAM(t, lbIAM)
	root, web, other := s.Client(t, "cn-hangzhou", "AK2", "s2"), s.Client(t, "cn-hangzhou", "AK2-web", "s-web"), s.Client(t, "cn-hangzhou", "AK3", "s3")
	k := &e2e.SLBCalls{T: t, C: root, Region: "cn-hangzhou", Format: "JSON"}
	srv := e2e.NewServerCert()
	cert := k.Upload(srv.ChainPEM, srv.KeyPEM, "free").ServerCertificateId
	lockedReq := e2e.UploadRequest("cn-hangzhou", srv.ChainPEM, srv.KeyPEM)
	lockedReq.Tag = &[]slb.UploadServerCertificateTag{{Key: "locked", Value: "yes"}}
	locked, err := root.UploadServerCertificate(lockedReq)
	if err != nil {
		t.Fatal(err)
	}

	webLB := e2e.CreateLB(t, web, func(r *slb.CreateLoadBalancerRequest) {
		r.Tag = &[]slb.CreateLoadBalancerTag{{Key: "team", Value: "web"}}
	}).LoadBalancerId
	dbLB := e2e.CreateLB(t, root).LoadBalancerId

	// The web user acts on its tagged instance, not on the other.
	if _, err := describeLB(t, web, webLB); err != nil {
		t.Fatalf("own instance: %v", err)
	}
	_, err = describeLB(t, web, dbLB)
	noPermissionOn(t, err, "slb:DescribeLoadBalancerAttribute", "loadbalancer/"+dbLB)
	_, err = e2e.Common(t, web, "POST", "http", "SetLoadBalancerName", map[string]string{"LoadBalancerId": dbLB, "LoadBalancerName": "x"})
	noPermissionOn(t, err, "slb:SetLoadBalancerName", "loadbalancer/"+dbLB)

	// Listener create and set are authorized on the certificates too.
	create := map[string]string{"LoadBalancerId": webLB, "ListenerPort": "443", "BackendServerPort": "80", "ServerCertificateId": locked.ServerCertificateId}
	_, err = e2e.Common(t, web, "POST", "http", "CreateLoadBalancerHTTPSListener", create)
	se := noPermissionOn(t, err, "slb:CreateLoadBalancerHTTPSListener", "certificate/"+locked.ServerCertificateId)
	if se.AccessDeniedDetail()["NoPermissionType"] != "ExplicitDeny" {
		t.Errorf("detail %v", se.AccessDeniedDetail())
	}
	create["ServerCertificateId"] = cert
	e2e.MustCommon(t, web, "CreateLoadBalancerHTTPSListener", create)
	_, err = e2e.Common(t, web, "POST", "http", "SetLoadBalancerHTTPSListenerAttribute", map[string]string{"LoadBalancerId": webLB, "ListenerPort": "443", "ServerCertificateId": locked.ServerCertificateId})
	noPermissionOn(t, err, "slb:SetLoadBalancerHTTPSListenerAttribute", "certificate/"+locked.ServerCertificateId)
	// Backend operations are authorized on each ECS instance.
	_, err = e2e.Common(t, web, "POST", "http", "AddBackendServers", map[string]string{"LoadBalancerId": webLB, "BackendServers": `[{"ServerId":"i-secret"}]`})
	noPermissionOn(t, err, "slb:AddBackendServers", "instance/i-secret")
	e2e.MustCommon(t, web, "AddBackendServers", map[string]string{"LoadBalancerId": webLB, "BackendServers": `[{"ServerId":"i-open"}]`})

	// An unknown id is denied before it is found unknown, unless allowed.
	_, err = describeLB(t, web, "lb-nope")
	noPermissionOn(t, err, "slb:DescribeLoadBalancerAttribute", "loadbalancer/lb-nope")
	_, err = describeLB(t, root, "lb-nope")
	e2e.ServerError(t, err, "InvalidLoadBalancerId.NotFound", 404)

	// Accounts never see each other's load balancers, listeners, groups.
	_, err = describeLB(t, other, webLB)
	e2e.ServerError(t, err, "InvalidLoadBalancerId.NotFound", 404)
	_, err = e2e.Common(t, other, "POST", "http", "DescribeLoadBalancerHTTPSListenerAttribute", map[string]string{"LoadBalancerId": webLB, "ListenerPort": "443"})
	e2e.ServerError(t, err, "InvalidLoadBalancerId.NotFound", 404)
	list, err := other.DescribeLoadBalancers(slb.CreateDescribeLoadBalancersRequest())
	if err != nil || list.TotalCount != 0 {
		t.Errorf("another account lists %+v %v", list, err)
	}
	if out := e2e.MustCommon(t, other, "DescribeLoadBalancerListeners", map[string]string{}); out["TotalCount"] != 0.0 {
		t.Errorf("another account's listeners: %v", out["TotalCount"])
	}
	// Nor use each other's certificates.
	otherLB := e2e.CreateLB(t, other).LoadBalancerId
	_, err = e2e.Common(t, other, "POST", "http", "CreateLoadBalancerHTTPSListener", map[string]string{"LoadBalancerId": otherLB,
		"ListenerPort": "443", "BackendServerPort": "80", "ServerCertificateId": cert})
	e2e.ServerError(t, err, "InvalidParameter", 400)
}

// noPermissionOn asserts a 403 NoPermission whose message names action and
// a resource ending with resource.
func noPermissionOn(t *testing.T, err error, action, resource string) *sdkerrors.ServerError {
	t.Helper()
	se := e2e.ServerError(t, err, "NoPermission", 403)
	if d := se.AccessDeniedDetail(); d["AuthAction"] != action || !strings.Contains(se.Message(), resource) {
		t.Errorf("denial %q %v, want %s on …%s", se.Message(), d, action, resource)
	}
	return se
}

func TestLoadBalancerTags(t *testing.T) {
	s := e2e.Start(t)
	c := s.Client(t, "cn-hangzhou")
	a, b := e2e.CreateLB(t, c).LoadBalancerId, e2e.CreateLB(t, c).LoadBalancerId
	// Terraform's tag update: TagResources, then ListTagResources' first page.
	tag := slb.CreateTagResourcesRequest()
	tag.ResourceType, tag.ResourceId = "instance", &[]string{a, b}
	tag.Tag = &[]slb.TagResourcesTag{{Key: "env", Value: "prod"}, {Key: "owner", Value: "web"}}
	if _, err := c.TagResources(tag); err != nil {
		t.Fatal(err)
	}
	list := slb.CreateListTagResourcesRequest()
	list.ResourceType, list.ResourceId = "instance", &[]string{a}
	resp, err := c.ListTagResources(list)
	if err != nil || len(resp.TagResources.TagResource) != 2 || resp.TagResources.TagResource[0].ResourceType != "instance" ||
		resp.TagResources.TagResource[0].ResourceId != a || resp.TagResources.TagResource[1].TagKey != "owner" {
		t.Fatalf("list %+v %v", resp, err)
	}
	untag := slb.CreateUntagResourcesRequest()
	untag.ResourceType, untag.ResourceId, untag.TagKey = "instance", &[]string{a}, &[]string{"owner"}
	if _, err := c.UntagResources(untag); err != nil {
		t.Fatal(err)
	}
	byTag := slb.CreateListTagResourcesRequest()
	byTag.ResourceType = "instance"
	byTag.Tag = &[]slb.ListTagResourcesTag{{Key: "owner"}}
	if r, err := c.ListTagResources(byTag); err != nil || len(r.TagResources.TagResource) != 2 || r.TagResources.TagResource[0].ResourceId != b {
		t.Errorf("by tag %+v %v", r, err)
	}
	got, _ := describeLB(t, c, a)
	if len(got.Tags.Tag) != 1 || got.Tags.Tag[0].TagKey != "env" {
		t.Errorf("Describe shows %+v", got.Tags)
	}
	tag.ResourceId = &[]string{a, "lb-nope"}
	_, err = c.TagResources(tag)
	e2e.ServerError(t, err, "ResourceNotFound", 400)
	// Certificates stay apart: an instance id is no certificate.
	tag.ResourceType, tag.ResourceId = "certificate", &[]string{a}
	_, err = c.TagResources(tag)
	e2e.ServerError(t, err, "ResourceNotFound", 400)

	// VServer groups carry tags too (Terraform's server group reads them).
	g := slb.CreateCreateVServerGroupRequest()
	g.LoadBalancerId = b
	g.Tag = &[]slb.CreateVServerGroupTag{{Key: "tier", Value: "web"}}
	group, err := c.CreateVServerGroup(g)
	if err != nil {
		t.Fatal(err)
	}
	// (SDK requests keep their flattened lists: each call gets a new one.)
	tag = slb.CreateTagResourcesRequest()
	tag.ResourceType, tag.ResourceId = "vservergroup", &[]string{group.VServerGroupId}
	tag.Tag = &[]slb.TagResourcesTag{{Key: "env", Value: "prod"}}
	if _, err := c.TagResources(tag); err != nil {
		t.Fatal(err)
	}
	list = slb.CreateListTagResourcesRequest()
	list.ResourceType, list.ResourceId = "vservergroup", &[]string{group.VServerGroupId}
	if r, err := c.ListTagResources(list); err != nil || len(r.TagResources.TagResource) != 2 || r.TagResources.TagResource[1].TagKey != "env" ||
		r.TagResources.TagResource[0].ResourceType != "vservergroup" {
		t.Errorf("group tags %+v %v", r, err)
	}
	tag = slb.CreateTagResourcesRequest()
	tag.ResourceType, tag.ResourceId = "vservergroup", &[]string{"rsp-nope"}
	tag.Tag = &[]slb.TagResourcesTag{{Key: "env", Value: "prod"}}
	_, err = c.TagResources(tag)
	e2e.ServerError(t, err, "ResourceNotFound", 400)

	move := slb.CreateMoveResourceGroupRequest()
	move.ResourceType, move.ResourceId, move.NewResourceGroupId = "loadbalancer", a, "rg-acfmteam1"
	if _, err := c.MoveResourceGroup(move); err != nil {
		t.Fatal(err)
	}
	if got, _ := describeLB(t, c, a); got.ResourceGroupId != "rg-acfmteam1" {
		t.Errorf("resource group %s", got.ResourceGroupId)
	}
	move.ResourceId = "lb-nope"
	_, err = c.MoveResourceGroup(move)
	e2e.ServerError(t, err, "ResourceNotFound", 400)
}

// TestLoadBalancerDarabonba: darabonba (signature V3) creates a load
// balancer and sets and describes a listener — without RegionId, as
// certimate sends them.
func TestLoadBalancerDarabonba(t *testing.T) {
	f := newLBFixture(t)
	v3 := f.s.Darabonba(t, e2e.AccessKeySecret)
	call := func(action string, q map[string]string) map[string]any {
		t.Helper()
		req := &openapiutil.OpenApiRequest{Query: map[string]*string{}}
		for k, v := range q {
			req.Query[k] = dara.String(v)
		}
		out, err := v3.CallApi(e2e.OpenAPIParams(slbsvc.APIVersion, action, "POST"), req, &dara.RuntimeOptions{})
		if err != nil {
			t.Fatalf("%s: %v", action, err)
		}
		return out["body"].(map[string]any)
	}
	created := call("CreateLoadBalancer", map[string]string{"RegionId": "cn-hangzhou", "LoadBalancerSpec": "slb.s1.small"})
	lb := created["LoadBalancerId"].(string)
	create := f.terraformHTTPSCreate(lb, 443)
	call("CreateLoadBalancerHTTPSListener", create)
	call("SetLoadBalancerHTTPSListenerAttribute", map[string]string{"LoadBalancerId": lb, "ListenerPort": "443", "ServerCertificateId": f.cert2})
	got := call("DescribeLoadBalancerHTTPSListenerAttribute", map[string]string{"LoadBalancerId": lb, "ListenerPort": "443"})
	if got["ServerCertificateId"] != f.cert2 || fmt.Sprint(got["ListenerPort"]) != "443" {
		t.Errorf("describe %v %T", got["ServerCertificateId"], got["ListenerPort"])
	}
	listed := call("DescribeLoadBalancerListeners", map[string]string{"LoadBalancerId.1": lb, "ListenerProtocol": "https", "MaxResults": "100"})
	if _, has := listed["NextToken"]; has {
		t.Errorf("NextToken on the last page: %v", listed["NextToken"])
	}
}
