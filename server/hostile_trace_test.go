package server_test

import (
	"regexp"
	"strings"
	"testing"
)

var requestIDs = regexp.MustCompile(`"RequestId":"[^"]*"`)

// snapshot describes everything the fixture's account holds, one line per
// Describe/List call, without RequestIds: equal snapshots, equal state.
func (e *hostileEnv) snapshot(f map[string]string) []string {
	lb := f["LoadBalancerId"]
	var out []string
	for _, c := range []struct {
		product, version, action string
		kv                       []string
	}{
		{"Slb", "2014-05-15", "DescribeLoadBalancers", []string{"RegionId", "cn-hangzhou", "PageSize", "100"}},
		{"Slb", "2014-05-15", "DescribeLoadBalancerAttribute", []string{"LoadBalancerId", lb}},
		{"Slb", "2014-05-15", "DescribeLoadBalancerHTTPSListenerAttribute", []string{"LoadBalancerId", lb, "ListenerPort", "443"}},
		{"Slb", "2014-05-15", "DescribeLoadBalancerHTTPListenerAttribute", []string{"LoadBalancerId", lb, "ListenerPort", "80"}},
		{"Slb", "2014-05-15", "DescribeLoadBalancerListeners", []string{"RegionId", "cn-hangzhou", "MaxResults", "100"}},
		{"Slb", "2014-05-15", "DescribeVServerGroups", []string{"RegionId", "cn-hangzhou", "LoadBalancerId", lb}},
		{"Slb", "2014-05-15", "DescribeVServerGroupAttribute", []string{"RegionId", "cn-hangzhou", "VServerGroupId", f["VServerGroupId"]}},
		{"Slb", "2014-05-15", "DescribeDomainExtensions", []string{"RegionId", "cn-hangzhou", "LoadBalancerId", lb, "ListenerPort", "443"}},
		{"Slb", "2014-05-15", "DescribeServerCertificates", []string{"RegionId", "cn-hangzhou"}},
		{"Slb", "2014-05-15", "DescribeCACertificates", []string{"RegionId", "cn-hangzhou"}},
		{"Slb", "2014-05-15", "ListTLSCipherPolicies", []string{"RegionId", "cn-hangzhou", "IncludeListener", "true", "MaxItems", "100"}},
		{"Slb", "2014-05-15", "ListTagResources", []string{"RegionId", "cn-hangzhou", "ResourceType", "instance", "ResourceId.1", lb}},
		{"Slb", "2014-05-15", "ListTagResources", []string{"RegionId", "cn-hangzhou", "ResourceType", "vservergroup", "ResourceId.1", f["VServerGroupId"]}},
		{"Cas", "2020-04-07", "ListUserCertificateOrder", []string{"OrderType", "CERT", "ShowSize", "100"}},
		{"Ecs", ecsVersion, "DescribeInstances", []string{"RegionId", "cn-hangzhou", "PageSize", "100"}},
		{"Ecs", ecsVersion, "DescribeSecurityGroupAttribute", []string{"RegionId", "cn-hangzhou", "SecurityGroupId", f["ecs.group"]}},
		{"Ecs", ecsVersion, "DescribeSecurityGroups", []string{"RegionId", "cn-hangzhou", "PageSize", "50"}},
	} {
		p := map[string]string{}
		for i := 0; i < len(c.kv); i += 2 {
			p[c.kv[i]] = c.kv[i+1]
		}
		_, body, err := e.call(c.product, c.version, c.action, p, false)
		if err != nil {
			e.t.Fatalf("snapshot %s: %v", c.action, err)
		}
		out = append(out, c.action+": "+requestIDs.ReplaceAllString(string(body), ""))
	}
	return out
}

// TestHostileRefusedLeavesNoTrace: a call that changes something valid and
// carries one bad parameter is refused whole — every Describe answers as
// before it.
func TestHostileRefusedLeavesNoTrace(t *testing.T) {
	e := newHostileEnv(t)
	f := e.fixture()
	lb, sc2 := f["LoadBalancerId"], f["freeServerCertificateId"]
	listener := []string{"LoadBalancerId", lb, "ListenerPort", "8443", "BackendServerPort", "80", "Bandwidth", "-1", "StickySession", "off", "HealthCheck", "off", "ServerCertificateId", sc2}
	for _, tc := range []struct {
		name, product, version, action string
		kv                             []string
	}{
		{"error/listener: a new certificate, a bad HealthCheckURI", "Slb", "2014-05-15", "SetLoadBalancerHTTPSListenerAttribute", []string{"LoadBalancerId", lb, "ListenerPort", "443", "ServerCertificateId", sc2, "HealthCheckURI", "bad uri"}},
		{"error/listener: a new certificate, an unknown CA", "Slb", "2014-05-15", "SetLoadBalancerHTTPSListenerAttribute", []string{"LoadBalancerId", lb, "ListenerPort", "443", "ServerCertificateId", sc2, "CACertificateId", "nope"}},
		{"error/listener: a new certificate, an unknown VServer group", "Slb", "2014-05-15", "SetLoadBalancerHTTPSListenerAttribute", []string{"LoadBalancerId", lb, "ListenerPort", "443", "ServerCertificateId", sc2, "VServerGroup", "on", "VServerGroupId", "rsp-nope"}},
		{"error/listener: a new certificate, too much bandwidth", "Slb", "2014-05-15", "SetLoadBalancerHTTPSListenerAttribute", []string{"LoadBalancerId", lb, "ListenerPort", "443", "ServerCertificateId", sc2, "Bandwidth", "999999"}},
		{"error/HTTP listener: a description, a redirect to no HTTPS listener", "Slb", "2014-05-15", "SetLoadBalancerHTTPListenerAttribute", []string{"LoadBalancerId", lb, "ListenerPort", "80", "Description", "ok", "ListenerForward", "on", "ForwardPort", "9999"}},
		{"error/new listener with a bad tag", "Slb", "2014-05-15", "CreateLoadBalancerHTTPSListener", append(listener, "Tag.1.Key", "acs:x", "Tag.1.Value", "v")},
		{"error/new listener with an unknown CA", "Slb", "2014-05-15", "CreateLoadBalancerHTTPSListener", append(listener, "CACertificateId", "nope")},
		{"error/new load balancer with a bad tag", "Slb", "2014-05-15", "CreateLoadBalancer", []string{"RegionId", "cn-hangzhou", "LoadBalancerSpec", "slb.s2.small", "Tag.1.Key", "aliyun", "Tag.1.Value", "v"}},
		{"error/new load balancer outside the pool", "Slb", "2014-05-15", "CreateLoadBalancer", []string{"RegionId", "cn-hangzhou", "Address", "10.0.0.1"}},
		{"error/new VServer group, the second backend bad", "Slb", "2014-05-15", "CreateVServerGroup", []string{"RegionId", "cn-hangzhou", "LoadBalancerId", lb, "VServerGroupName", "g", "BackendServers", `[{"ServerId":"i-1","Port":80},{"ServerId":"i-2","Port":0}]`}},
		{"error/tags on two resources, one unknown", "Slb", "2014-05-15", "TagResources", []string{"RegionId", "cn-hangzhou", "ResourceType", "instance", "ResourceId.1", lb, "ResourceId.2", "lb-nope", "Tag.1.Key", "new", "Tag.1.Value", "v"}},
		{"error/two tags, the second bad", "Slb", "2014-05-15", "TagResources", []string{"RegionId", "cn-hangzhou", "ResourceType", "instance", "ResourceId.1", lb, "Tag.1.Key", "new", "Tag.1.Value", "v", "Tag.2.Key", "aliyun", "Tag.2.Value", "v"}},
		{"error/untag two resources, one unknown", "Slb", "2014-05-15", "UntagResources", []string{"RegionId", "cn-hangzhou", "ResourceType", "instance", "ResourceId.1", lb, "ResourceId.2", "lb-nope", "All", "true"}},
		{"error/add two backends, the second bad", "Slb", "2014-05-15", "AddVServerGroupBackendServers", []string{"RegionId", "cn-hangzhou", "VServerGroupId", f["VServerGroupId"], "BackendServers", `[{"ServerId":"i-9","Port":80},{"ServerId":"i-10","Port":"x"}]`}},
		{"error/set two default backends, one not a member", "Slb", "2014-05-15", "SetBackendServers", []string{"LoadBalancerId", lb, "BackendServers", `[{"ServerId":"i-a","Weight":5},{"ServerId":"i-nope","Weight":5}]`}},
		{"error/replace a backend by a bad one", "Slb", "2014-05-15", "ModifyVServerGroupBackendServers", []string{"RegionId", "cn-hangzhou", "VServerGroupId", f["VServerGroupId"], "OldBackendServers", `[{"ServerId":"i-a","Port":80}]`, "NewBackendServers", `[{"ServerId":"i-z","Port":0}]`}},
		{"error/rename a group, weights of a non-member", "Slb", "2014-05-15", "SetVServerGroupAttribute", []string{"RegionId", "cn-hangzhou", "VServerGroupId", f["VServerGroupId"], "VServerGroupName", "renamed", "BackendServers", `[{"ServerId":"i-nope","Port":80,"Weight":5}]`}},
		{"error/rename a TLS policy, a bad cipher", "Slb", "2014-05-15", "SetTLSCipherPolicyAttribute", []string{"RegionId", "cn-hangzhou", "TLSCipherPolicyId", f["TLSCipherPolicyId"], "Name", "renamed", "TLSVersions.1", "TLSv1.2", "Ciphers.1", "NOPE"}},
		{"error/protection on, a reason too long", "Slb", "2014-05-15", "SetLoadBalancerModificationProtection", []string{"RegionId", "cn-hangzhou", "LoadBalancerId", lb, "ModificationProtectionStatus", "ConsoleProtection", "ModificationProtectionReason", strings.Repeat("r", 300)}},
		{"error/charge type, bandwidth 0", "Slb", "2014-05-15", "ModifyLoadBalancerInternetSpec", []string{"LoadBalancerId", lb, "InternetChargeType", "paybybandwidth", "Bandwidth", "0"}},
		{"error/SLB upload with a bad tag", "Slb", "2014-05-15", "UploadServerCertificate", []string{"RegionId", "cn-hangzhou", "ServerCertificate", e.pem.ChainPEM, "PrivateKey", e.pem.KeyPEM, "Tag.1.Key", "aliyun", "Tag.1.Value", "v"}},
		{"error/catalog upload with a bad group", "Cas", "2020-04-07", "UploadUserCertificate", []string{"Name", "partial", "Cert", e.pem.ChainPEM, "Key", e.pem.KeyPEM, "ResourceGroupId", "rg-BAD"}},
		{"error/catalog rename with a bad tag", "Cas", "2018-08-13", "CreateCertificateName", []string{"CertificateId", f["CertId"], "Name", "renamedcas", "Tags.1.Key", "aliyun", "Tags.1.Value", "v"}},
		{"error/ECS: two instances, the second group unknown", "Ecs", ecsVersion, "RunInstances", []string{"RegionId", "cn-hangzhou", "InstanceType", "ecs.g6.large",
			"ImageId", "aliyun_3_x64_20G_alibase_20240528.vhd", "VSwitchId", hostileVSwitch, "Amount", "2", "SecurityGroupIds.1", f["ecs.group"], "SecurityGroupIds.2", "sg-nope"}},
		{"error/ECS: two rules, the second bad", "Ecs", ecsVersion, "AuthorizeSecurityGroup", []string{"RegionId", "cn-hangzhou", "SecurityGroupId", f["ecs.group"],
			"Permissions.1.IpProtocol", "tcp", "Permissions.1.PortRange", "443/443", "Permissions.1.SourceCidrIp", "0.0.0.0/0",
			"Permissions.2.IpProtocol", "tcp", "Permissions.2.PortRange", "0/0", "Permissions.2.SourceCidrIp", "0.0.0.0/0"}},
		{"error/ECS: tags on two instances, one unknown", "Ecs", ecsVersion, "TagResources", []string{"RegionId", "cn-hangzhou", "ResourceType", "instance",
			"ResourceId.1", f["ecs.instance"], "ResourceId.2", "i-nope", "Tag.1.Key", "new", "Tag.1.Value", "v"}},
		{"error/ECS: release two instances, the second running without Force", "Ecs", ecsVersion, "DeleteInstances", []string{"RegionId", "cn-hangzhou",
			"InstanceId.1", f["ecs.stopped"], "InstanceId.2", f["ecs.instance"]}},
		{"error/ECS: a group that an instance is in", "Ecs", ecsVersion, "DeleteSecurityGroup", []string{"RegionId", "cn-hangzhou", "SecurityGroupId", f["ecs.group2"]}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.snapshot(f)
			p := map[string]string{}
			for i := 0; i < len(tc.kv); i += 2 {
				p[tc.kv[i]] = tc.kv[i+1]
			}
			status, _, err := e.call(tc.product, tc.version, tc.action, p, false)
			if err == nil || status >= 500 {
				t.Fatalf("answered %d %v, want a refusal", status, err)
			}
			after := e.snapshot(f)
			for i := range before {
				if before[i] != after[i] {
					t.Errorf("refused, yet changed:\n before %s\n after  %s", abbreviate(before[i]), abbreviate(after[i]))
				}
			}
		})
	}
	// Control: the snapshot sees what the cases above change when accepted.
	t.Run("ok/an accepted change shows", func(t *testing.T) {
		before := e.snapshot(f)
		e.must("SetLoadBalancerHTTPSListenerAttribute", map[string]string{"LoadBalancerId": lb, "ListenerPort": "443", "ServerCertificateId": sc2})
		if after := e.snapshot(f); strings.Join(before, "\n") == strings.Join(after, "\n") {
			t.Fatal("a certificate swap left the snapshot unchanged")
		}
	})
}
