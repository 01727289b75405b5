package slb_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
)

func TestLoadBalancerLifecycle(t *testing.T) {
	s := e2e.Start(t)
	c := s.Client(t, "cn-hangzhou")

	created := e2e.CreateLB(t, c, func(r *slb.CreateLoadBalancerRequest) {
		r.LoadBalancerName = "web-1"
		r.AddressIPVersion, r.Bandwidth, r.DeleteProtection, r.InternetChargeType = "ipv4", requests.NewInteger(1), "off", "paybytraffic"
		r.MasterZoneId, r.SlaveZoneId = "cn-hangzhou-b", "cn-hangzhou-d"
		r.Tag = &[]slb.CreateLoadBalancerTag{{Key: "env", Value: "test"}}
	})
	id := created.LoadBalancerId
	if !strings.HasPrefix(id, "lb-bp1") || len(id) != 25 || created.Address != "127.255.0.1" || created.NetworkType != "classic" ||
		created.LoadBalancerName != "web-1" || created.AddressIPVersion != "ipv4" || !strings.HasPrefix(created.ResourceGroupId, "rg-") {
		t.Fatalf("created %+v", created)
	}

	// What Terraform reads, with the types it asserts.
	raw := e2e.MustCommon(t, c, "DescribeLoadBalancerAttribute", map[string]string{"LoadBalancerId": id})
	for k, want := range map[string]string{"LoadBalancerId": id, "LoadBalancerStatus": "active", "Address": "127.255.0.1",
		"AddressType": "internet", "AddressIPVersion": "ipv4", "DeleteProtection": "off", "InternetChargeType": "paybytraffic",
		"LoadBalancerName": "web-1", "LoadBalancerSpec": "slb.s2.small", "MasterZoneId": "cn-hangzhou-b", "SlaveZoneId": "cn-hangzhou-d",
		"ModificationProtectionStatus": "NonProtection", "ModificationProtectionReason": "", "PayType": "PayOnDemand",
		"InstanceChargeType": "PayBySpec", "VSwitchId": "", "RegionId": "cn-hangzhou", "NetworkType": "classic",
		"EndTime": "2999-09-08T16:00:00Z", "HasReservedInfo": "false"} {
		e2e.JSONString(t, k, raw[k], want)
	}
	e2e.JSONNumber(t, "Bandwidth", raw["Bandwidth"], 1)
	e2e.JSONNumber(t, "EndTimeStamp", raw["EndTimeStamp"], 32493801600000)
	for _, k := range []string{"ListenerPorts", "ListenerPortsAndProtocol", "ListenerPortsAndProtocal", "BackendServers", "Tags", "Labels"} {
		if _, ok := raw[k].(map[string]any); !ok {
			t.Errorf("%s = %#v, want an object", k, raw[k])
		}
	}
	if l := raw["ListenerPortsAndProtocol"].(map[string]any)["ListenerPortAndProtocol"]; l == nil {
		t.Error("an empty ListenerPortAndProtocol is not an empty list")
	}

	// The setters Terraform's update sends, then Describe shows them.
	for _, step := range []struct {
		action string
		params map[string]string
	}{
		{"SetLoadBalancerName", map[string]string{"LoadBalancerName": "web-2"}},
		{"SetLoadBalancerStatus", map[string]string{"LoadBalancerStatus": "inactive"}},
		{"SetLoadBalancerDeleteProtection", map[string]string{"DeleteProtection": "on"}},
		{"SetLoadBalancerModificationProtection", map[string]string{"ModificationProtectionStatus": "ConsoleProtection", "ModificationProtectionReason": "Frozen"}},
		{"ModifyLoadBalancerInstanceSpec", map[string]string{"LoadBalancerSpec": "slb.s3.small"}},
		{"ModifyLoadBalancerInternetSpec", map[string]string{"InternetChargeType": "PayByBandwidth", "Bandwidth": "20"}},
		{"ModifyLoadBalancerInstanceChargeType", map[string]string{"InstanceChargeType": "PayBySpec", "LoadBalancerSpec": "slb.s3.medium"}},
		{"ModifyLoadBalancerPayType", map[string]string{"PayType": "PayOnDemand"}},
	} {
		step.params["LoadBalancerId"] = id
		out := e2e.MustCommon(t, c, step.action, step.params)
		if strings.HasPrefix(step.action, "Modify") && step.action != "ModifyLoadBalancerInstanceChargeType" {
			e2e.JSONNumber(t, step.action+" OrderId", out["OrderId"], 0)
		}
	}
	got, err := describeLB(t, c, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.LoadBalancerName != "web-2" || got.LoadBalancerStatus != "inactive" || got.DeleteProtection != "on" ||
		got.ModificationProtectionStatus != "ConsoleProtection" || got.ModificationProtectionReason != "Frozen" ||
		got.LoadBalancerSpec != "slb.s3.medium" || got.InternetChargeType != "paybybandwidth" || got.Bandwidth != 20 {
		t.Errorf("after the setters: %+v", got)
	}

	// Delete protection refuses; off, the delete goes through and the id is
	// gone with 404.
	del := slb.CreateDeleteLoadBalancerRequest()
	del.LoadBalancerId = id
	_, err = c.DeleteLoadBalancer(del)
	se := e2e.ServerError(t, err, "OperationDenied.DeleteProtectionIsOn", 400)
	if !strings.Contains(se.Message(), "DeleteProtection is enabled") {
		t.Errorf("message %q", se.Message())
	}
	e2e.MustCommon(t, c, "SetLoadBalancerDeleteProtection", map[string]string{"LoadBalancerId": id, "DeleteProtection": "off"})
	if _, err := c.DeleteLoadBalancer(del); err != nil {
		t.Fatal(err)
	}
	_, err = describeLB(t, c, id)
	se = e2e.ServerError(t, err, "InvalidLoadBalancerId.NotFound", 404)
	if !strings.Contains(se.Message(), "The specified resource does not exist") {
		t.Errorf("message %q", se.Message())
	}
	_, err = c.DeleteLoadBalancer(del)
	e2e.ServerError(t, err, "InvalidLoadBalancerId.NotFound", 404)
}

func TestLoadBalancerRegionsAndErrors(t *testing.T) {
	s := e2e.Start(t)
	c := s.Client(t, "cn-hangzhou")
	id := e2e.CreateLB(t, c).LoadBalancerId

	// RegionId is optional: absent, the load balancer's region is used;
	// present and different, it is not found there.
	if out := e2e.MustCommon(t, c, "DescribeLoadBalancerAttribute", map[string]string{"LoadBalancerId": id, "RegionId": ""}); out["RegionId"] != "cn-hangzhou" {
		t.Errorf("without RegionId: %v", out["RegionId"])
	}
	_, err := e2e.Common(t, c, "POST", "http", "DescribeLoadBalancerAttribute", map[string]string{"LoadBalancerId": id, "RegionId": "cn-shanghai"})
	e2e.ServerError(t, err, "InvalidLoadBalancerId.NotFound", 404)
	// Required where the API requires it.
	_, err = e2e.Common(t, c, "POST", "http", "SetLoadBalancerDeleteProtection", map[string]string{"LoadBalancerId": id, "RegionId": "", "DeleteProtection": "on"})
	e2e.ServerError(t, err, "MissingParameter", 400)

	for _, tc := range []struct {
		name, action string
		params       map[string]string
		code         string
		status       int
	}{
		{"error/no LoadBalancerId", "DescribeLoadBalancerAttribute", map[string]string{}, "MissingParameter", 400},
		{"error/unknown region", "CreateLoadBalancer", map[string]string{"RegionId": "xx-nowhere-1"}, "InvalidRegionId.NotFound", 404},
		{"error/bad name", "CreateLoadBalancer", map[string]string{"LoadBalancerName": "1abc"}, "InvalidParameter", 400},
		{"error/bad spec", "CreateLoadBalancer", map[string]string{"LoadBalancerSpec": "slb.s9.huge"}, "InvalidParameter", 400},
		{"error/address outside the pool", "CreateLoadBalancer", map[string]string{"Address": "10.0.0.1"}, "InvalidParameter", 400},
		{"error/bad address type", "CreateLoadBalancer", map[string]string{"AddressType": "public"}, "InvalidParameter", 400},
		{"error/CLCU prepay", "CreateLoadBalancer", map[string]string{"PayType": "PrePay", "InstanceChargeType": "PayByCLCU"}, "Operation.NotAllowed", 400},
		{"error/bad status", "SetLoadBalancerStatus", map[string]string{"LoadBalancerId": id, "LoadBalancerStatus": "locked"}, "InvalidParameter", 400},
		{"error/missing status", "SetLoadBalancerStatus", map[string]string{"LoadBalancerId": id}, "MissingParameter", 400},
		{"error/bad bandwidth", "ModifyLoadBalancerInternetSpec", map[string]string{"LoadBalancerId": id, "Bandwidth": "5001"}, "InvalidParameter", 400},
		{"error/page size", "DescribeLoadBalancers", map[string]string{"PageSize": "101"}, "InvalidParameter", 400},
		{"error/unknown id", "SetLoadBalancerName", map[string]string{"LoadBalancerId": "lb-nope", "LoadBalancerName": "x"}, "InvalidLoadBalancerId.NotFound", 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e2e.Common(t, c, "POST", "http", tc.action, tc.params)
			e2e.ServerError(t, err, tc.code, tc.status)
		})
	}

	// An address from the pool may be asked for, once.
	want := e2e.CreateLB(t, c, func(r *slb.CreateLoadBalancerRequest) { r.Address = "127.255.9.9" })
	if want.Address != "127.255.9.9" {
		t.Fatalf("address %s", want.Address)
	}
	_, err = e2e.Common(t, c, "POST", "http", "CreateLoadBalancer", map[string]string{"Address": "127.255.9.9"})
	e2e.ServerError(t, err, "InvalidParameter", 400)
	// Without a spec: a shared-resource instance with the default name.
	shared := e2e.MustCommon(t, c, "CreateLoadBalancer", map[string]string{})
	e2e.JSONString(t, "LoadBalancerName", shared["LoadBalancerName"], "auto_named_slb")
	attr := e2e.MustCommon(t, c, "DescribeLoadBalancerAttribute", map[string]string{"LoadBalancerId": shared["LoadBalancerId"].(string)})
	e2e.JSONString(t, "LoadBalancerSpec", attr["LoadBalancerSpec"], "")
}

func TestDescribeLoadBalancersFiltersAndPages(t *testing.T) {
	s := e2e.Start(t)
	c := s.Client(t, "cn-hangzhou")
	var ids []string
	for i := 0; i < 12; i++ {
		ids = append(ids, e2e.CreateLB(t, c, func(r *slb.CreateLoadBalancerRequest) {
			r.LoadBalancerName = "lb" + itoa(i)
			if i%3 == 0 {
				r.Tag = &[]slb.CreateLoadBalancerTag{{Key: "team", Value: "a"}}
			}
		}).LoadBalancerId)
	}
	e2e.CreateLB(t, s.Client(t, "cn-shanghai"))
	list := func(edit func(*slb.DescribeLoadBalancersRequest)) *slb.DescribeLoadBalancersResponse {
		t.Helper()
		req := slb.CreateDescribeLoadBalancersRequest()
		edit(req)
		resp, err := c.DescribeLoadBalancers(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	first := list(func(*slb.DescribeLoadBalancersRequest) {})
	if first.TotalCount != 12 || first.PageSize != 10 || first.PageNumber != 1 || len(first.LoadBalancers.LoadBalancer) != 10 {
		t.Fatalf("first page: total %d size %d items %d", first.TotalCount, first.PageSize, len(first.LoadBalancers.LoadBalancer))
	}
	second := list(func(r *slb.DescribeLoadBalancersRequest) { r.PageNumber = requests.NewInteger(2) })
	seen := map[string]bool{}
	for _, lb := range append(first.LoadBalancers.LoadBalancer, second.LoadBalancers.LoadBalancer...) {
		seen[lb.LoadBalancerId] = true
	}
	if len(second.LoadBalancers.LoadBalancer) != 2 || len(seen) != 12 {
		t.Errorf("second page: %d items; %d distinct over both", len(second.LoadBalancers.LoadBalancer), len(seen))
	}
	tagged := list(func(r *slb.DescribeLoadBalancersRequest) {
		r.Tag = &[]slb.DescribeLoadBalancersTag{{Key: "team", Value: "a"}}
	})
	if tagged.TotalCount != 4 {
		t.Errorf("tag filter: %d", tagged.TotalCount)
	}
	if legacy := list(func(r *slb.DescribeLoadBalancersRequest) { r.Tags = `[{"TagKey":"team","TagValue":"a"}]` }); legacy.TotalCount != 4 {
		t.Errorf("legacy Tags filter: %d", legacy.TotalCount)
	}
	byID := list(func(r *slb.DescribeLoadBalancersRequest) { r.LoadBalancerId = ids[1] + "," + ids[2] })
	if byID.TotalCount != 2 {
		t.Errorf("id filter: %d", byID.TotalCount)
	}
	byName := list(func(r *slb.DescribeLoadBalancersRequest) { r.LoadBalancerName = "lb3"; r.Address = "127.255.0.4" })
	if byName.TotalCount != 1 || byName.LoadBalancers.LoadBalancer[0].Tags.Tag[0].TagKey != "team" {
		t.Errorf("name and address filter: %+v", byName.LoadBalancers)
	}
	if none := list(func(r *slb.DescribeLoadBalancersRequest) { r.NetworkType = "vpc" }); none.TotalCount != 0 || none.LoadBalancers.LoadBalancer == nil {
		t.Errorf("no match: %+v", none)
	}
	xml := s.Client(t, "cn-hangzhou")
	req := slb.CreateDescribeLoadBalancersRequest()
	req.AcceptFormat = "XML"
	resp, err := xml.DescribeLoadBalancers(req)
	if err != nil || resp.TotalCount != 12 || len(resp.LoadBalancers.LoadBalancer) != 10 {
		t.Errorf("XML: %v %+v", err, resp)
	}
}

func TestLoadBalancerClientTokenAndQuota(t *testing.T) {
	s, _ := e2e.StartWithIAM(t, `{"accounts": [{"id": "1000000000000002", "accessKeys": [{"id": "AK2", "secret": "s2"}],
		"quotas": {"loadBalancersPerRegion": 2}}]}`)
	c := s.Client(t, "cn-hangzhou", "AK2", "s2")
	a := e2e.CreateLB(t, c, func(r *slb.CreateLoadBalancerRequest) { r.ClientToken = "tf-123" })
	again := e2e.CreateLB(t, c, func(r *slb.CreateLoadBalancerRequest) { r.ClientToken = "tf-123" })
	if again.LoadBalancerId != a.LoadBalancerId || again.Address != a.Address {
		t.Errorf("same ClientToken made %s then %s", a.LoadBalancerId, again.LoadBalancerId)
	}
	e2e.CreateLB(t, c)
	_, err := c.CreateLoadBalancer(slb.CreateCreateLoadBalancerRequest())
	e2e.ServerError(t, err, "ORDER.QUANTITY_INVALID", 400)
	e2e.CreateLB(t, s.Client(t, "cn-shanghai", "AK2", "s2")) // another region counts apart
	// The root account is not limited by the other's quota, nor sees its instances.
	root := s.Client(t, "cn-hangzhou")
	e2e.CreateLB(t, root)
	_, err = describeLB(t, root, a.LoadBalancerId)
	e2e.ServerError(t, err, "InvalidLoadBalancerId.NotFound", http.StatusNotFound)
}
