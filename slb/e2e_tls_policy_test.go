package slb_test

import (
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
)

func TestTLSCipherPolicies(t *testing.T) {
	f := newLBFixture(t)
	create := slb.CreateCreateTLSCipherPolicyRequest()
	create.Name = "strict-12"
	create.TLSVersions = &[]string{"TLSv1.2", "TLSv1.3"}
	create.Ciphers = &[]string{"ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256"}
	created, err := f.c.CreateTLSCipherPolicy(create)
	if err != nil {
		t.Fatal(err)
	}
	id := created.TLSCipherPolicyId
	if !strings.HasPrefix(id, "tls-bp1") || len(id) != 28 {
		t.Fatalf("id %q", id)
	}
	// Terraform's read: the first item's InstanceId must be the id.
	raw := e2e.MustCommon(t, f.c, "ListTLSCipherPolicies", map[string]string{"TLSCipherPolicyId": id})
	items := raw["TLSCipherPolicies"].([]any)
	if len(items) != 1 {
		t.Fatalf("items %v", items)
	}
	item := items[0].(map[string]any)
	e2e.JSONString(t, "InstanceId", item["InstanceId"], id)
	e2e.JSONString(t, "Status", item["Status"], "normal")
	if _, ok := item["CreateTime"].(float64); !ok {
		t.Errorf("CreateTime %#v is not a number", item["CreateTime"])
	}
	if v := item["TLSVersions"].([]any); len(v) != 2 || v[0] != "TLSv1.2" {
		t.Errorf("TLSVersions %v", v)
	}
	if raw["IsTruncated"] != false {
		t.Errorf("IsTruncated %#v", raw["IsTruncated"])
	}

	// A listener may use it (on an instance with a specification).
	l := f.terraformHTTPSCreate(f.lb, 443)
	l["TLSCipherPolicy"] = id
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", l)
	list := slb.CreateListTLSCipherPoliciesRequest()
	list.IncludeListener = "true"
	resp, err := f.c.ListTLSCipherPolicies(list)
	if err != nil || resp.TotalCount != 1 || len(resp.TLSCipherPolicies[0].RelateListeners) != 1 ||
		resp.TLSCipherPolicies[0].RelateListeners[0].Port != 443 || resp.TLSCipherPolicies[0].RelateListeners[0].LoadBalancerId != f.lb {
		t.Fatalf("with listeners: %+v %v", resp, err)
	}
	del := slb.CreateDeleteTLSCipherPolicyRequest()
	del.TLSCipherPolicyId = id
	_, err = f.c.DeleteTLSCipherPolicy(del)
	e2e.ServerError(t, err, "TLSCipherPolicy.InUse", 400)

	set := slb.CreateSetTLSCipherPolicyAttributeRequest()
	set.TLSCipherPolicyId, set.Name = id, "renamed"
	set.TLSVersions, set.Ciphers = &[]string{"TLSv1.2"}, &[]string{"AES128-SHA"}
	if r, err := f.c.SetTLSCipherPolicyAttribute(set); err != nil || r.TaskId == "" {
		t.Fatalf("set: %+v %v", r, err)
	}
	// Terraform's policy change on the listener, to a built-in one.
	e2e.MustCommon(t, f.c, "SetLoadBalancerHTTPSListenerAttribute", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "443", "TLSCipherPolicy": "tls_cipher_policy_1_1"})
	if _, err := f.c.DeleteTLSCipherPolicy(del); err != nil {
		t.Fatalf("delete unused: %v", err)
	}
	_, err = f.c.DeleteTLSCipherPolicy(del)
	e2e.ServerError(t, err, "TLSCipherPolicy.NotFound", 400)
	if r, err := f.c.ListTLSCipherPolicies(slb.CreateListTLSCipherPoliciesRequest()); err != nil || len(r.TLSCipherPolicies) != 0 || r.TLSCipherPolicies == nil {
		t.Errorf("empty list: %+v %v", r, err)
	}

	for _, tc := range []struct {
		name   string
		params map[string]string
		code   string
	}{
		{"error/no name", map[string]string{"TLSVersions.1": "TLSv1.2", "Ciphers.1": "AES128-SHA"}, "MissingParameter"},
		{"error/bad name", map[string]string{"Name": "1x", "TLSVersions.1": "TLSv1.2", "Ciphers.1": "AES128-SHA"}, "InvalidParameter"},
		{"error/no versions", map[string]string{"Name": "p1", "Ciphers.1": "AES128-SHA"}, "MissingParameter"},
		{"error/bad version", map[string]string{"Name": "p1", "TLSVersions.1": "SSLv3", "Ciphers.1": "AES128-SHA"}, "InvalidParameter"},
		{"error/cipher of another version", map[string]string{"Name": "p1", "TLSVersions.1": "TLSv1.0", "Ciphers.1": "AES128-GCM-SHA256"}, "InvalidParameter"},
		{"error/1.3 suite without 1.3", map[string]string{"Name": "p1", "TLSVersions.1": "TLSv1.2", "Ciphers.1": "TLS_AES_128_GCM_SHA256"}, "InvalidParameter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e2e.Common(t, f.c, "POST", "http", "CreateTLSCipherPolicy", tc.params)
			e2e.ServerError(t, err, tc.code, 400)
		})
	}
	// An unknown custom policy on a listener, and any custom one on a
	// shared instance.
	bad := f.terraformHTTPSCreate(f.lb, 8443)
	bad["TLSCipherPolicy"] = "tls-bp1nope"
	_, err = e2e.Common(t, f.c, "POST", "http", "CreateLoadBalancerHTTPSListener", bad)
	e2e.ServerError(t, err, "TLSCipherPolicy.NotFound", 400)
	bad = f.terraformHTTPSCreate(f.sharedLB, 443)
	bad["TLSCipherPolicy"] = "tls-bp1nope"
	_, err = e2e.Common(t, f.c, "POST", "http", "CreateLoadBalancerHTTPSListener", bad)
	e2e.ServerError(t, err, "OperationDenied.SharedInstanceNotSupport", 400)
}
