package server_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cas"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
	sdksts "github.com/aliyun/alibaba-cloud-sdk-go/services/sts"

	"slbcert/ecs/ecstest"
	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
	"slbcert/server"
	"slbcert/slbcerttest"
)

// hostileEnv is a server with one of everything, the SDK clients, and the
// parameter values that make each action valid.
type hostileEnv struct {
	t   *testing.T
	s   *e2e.Server
	slb *slb.Client
	cas *cas.Client
	sts *sdksts.Client
	seq *atomic.Int64
	pem *testpki.Server
	ca  string // a CA certificate PEM
}

// hostileIAM is e2e.STSIAM with quotas no sweep reaches: the sweep acts as
// account A's root.
var hostileIAM = strings.Replace(e2e.STSIAM, `"id": "`+e2e.STSAccountA+`",`, `"id": "`+e2e.STSAccountA+`",
  "quotas": {"serverCertificatesPerRegion": 100000, "caCertificatesPerRegion": 100000, "catalogCertificates": 100000,
   `+hostileVPCQuotas+`"loadBalancersPerRegion": 100000, "listenersPerLoadBalancer": 100000, "domainExtensionsPerListener": 100000,
   "securityGroupsPerRegion": 100000, "rulesPerSecurityGroup": 100000, "instancesPerRegion": 100000},`, 1)

// The sweep's VPC: account A's, in cn-hangzhou, with room for every
// instance the sweep creates.
const (
	hostileVPC     = "vpc-bp1hostile000000001"
	hostileVSwitch = "vsw-bp1hostile000000001"
)

// newHostileEnv starts a server (edit may change its Config) with
// hostileIAM; its clients sign as account A's root, STS as user ci.
func newHostileEnv(t *testing.T, edit ...func(*server.Config)) *hostileEnv {
	path := filepath.Join(t.TempDir(), "iam.json")
	if err := os.WriteFile(path, []byte(hostileIAM), 0o600); err != nil {
		t.Fatal(err)
	}
	// ECS's instances live in a network of their own (in memory), apart
	// from the VPCs the sweep creates through the API.
	net := &ecstest.Network{}
	net.AddVSwitch(e2e.STSAccountA, "cn-hangzhou", hostileVPC, "cn-hangzhou-h", hostileVSwitch, "10.0.0.0/16")
	s := e2e.StartWith(t, []slbcerttest.Option{slbcerttest.WithNetwork(net)}, append([]func(*server.Config){func(c *server.Config) { c.IAMFile = path }}, edit...)...)
	e := &hostileEnv{t: t, s: s, seq: new(atomic.Int64), slb: s.Client(t, "cn-hangzhou", "AKS-root", "s-root"), cas: s.CASClient(t, "AKS-root", "s-root"), sts: s.STSClient(t, "AKS-ci", "s-ci", "")}
	e.pem = e2e.NewServerCert()
	e.ca = testpki.ChainPEM(e.pem.Intermediate)
	return e
}

// call sends one CommonRequest and returns the status, body and any error.
func (e *hostileEnv) call(product, version, action string, params map[string]string, form bool) (int, []byte, error) {
	req := requests.NewCommonRequest()
	req.Scheme, req.Domain, req.Method = "http", e.s.Addr(), "POST"
	req.Product, req.Version, req.ApiName = product, version, action
	for k, v := range params {
		if form {
			req.FormParams[k] = v
		} else {
			req.QueryParams[k] = v
		}
	}
	var (
		resp interface {
			GetHttpStatus() int
			GetHttpContentBytes() []byte
		}
		err error
	)
	switch product {
	case "Sts":
		resp, err = e.sts.ProcessCommonRequest(req)
	case "Cas":
		resp, err = e.cas.ProcessCommonRequest(req)
	default:
		resp, err = e.slb.ProcessCommonRequest(req)
	}
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		return se.HttpStatus(), []byte(se.Message()), err
	}
	if err != nil {
		return 0, nil, err
	}
	return resp.GetHttpStatus(), resp.GetHttpContentBytes(), nil
}

// must calls and fails the test unless the action succeeds.
func (e *hostileEnv) must(action string, params map[string]string) map[string]any {
	e.t.Helper()
	_, body, err := e.call("Slb", "2014-05-15", action, params, false)
	if err != nil {
		e.t.Fatalf("%s %v: %v", action, params, err)
	}
	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		e.t.Fatalf("%s: %v", action, err)
	}
	return out
}

// name returns prefix and a number unique in the test.
func (e *hostileEnv) name(prefix string) string { return fmt.Sprintf("%s%d", prefix, e.seq.Add(1)) }

// fixture creates one of everything and returns the parameters that name
// them: a load balancer with an HTTPS listener on 443 (server and CA
// certificate), an HTTP listener on 80, a VServer group, a domain
// extension, a TLS policy, a catalog entry.
func (e *hostileEnv) fixture() map[string]string {
	e.t.Helper()
	sc := e.must("UploadServerCertificate", map[string]string{"RegionId": "cn-hangzhou", "ServerCertificate": e.pem.ChainPEM, "PrivateKey": e.pem.KeyPEM})["ServerCertificateId"].(string)
	ca := e.must("UploadCACertificate", map[string]string{"RegionId": "cn-hangzhou", "CACertificate": e.ca})["CACertificateId"].(string)
	lb := e.must("CreateLoadBalancer", map[string]string{"RegionId": "cn-hangzhou", "LoadBalancerSpec": "slb.s2.small"})["LoadBalancerId"].(string)
	vsg := e.must("CreateVServerGroup", map[string]string{"RegionId": "cn-hangzhou", "LoadBalancerId": lb, "VServerGroupName": "g",
		"BackendServers": `[{"ServerId":"i-a","Port":80,"Weight":100}]`})["VServerGroupId"].(string)
	e.must("CreateLoadBalancerHTTPSListener", map[string]string{"RegionId": "cn-hangzhou", "LoadBalancerId": lb, "ListenerPort": "443",
		"BackendServerPort": "80", "Bandwidth": "-1", "StickySession": "off", "HealthCheck": "off",
		"ServerCertificateId": sc, "CACertificateId": ca})
	e.must("CreateLoadBalancerHTTPListener", map[string]string{"RegionId": "cn-hangzhou", "LoadBalancerId": lb, "ListenerPort": "80",
		"BackendServerPort": "80", "Bandwidth": "-1", "StickySession": "off", "HealthCheck": "off"})
	de := e.must("CreateDomainExtension", map[string]string{"RegionId": "cn-hangzhou", "LoadBalancerId": lb, "ListenerPort": "443",
		"Domain": "www.example.com", "ServerCertificateId": sc})["DomainExtensionId"].(string)
	e.must("AddBackendServers", map[string]string{"LoadBalancerId": lb, "BackendServers": `[{"ServerId":"i-a","Weight":100}]`})
	freeSC := e.must("UploadServerCertificate", map[string]string{"RegionId": "cn-hangzhou", "ServerCertificate": e.pem.ChainPEM, "PrivateKey": e.pem.KeyPEM})["ServerCertificateId"].(string)
	freeCA := e.must("UploadCACertificate", map[string]string{"RegionId": "cn-hangzhou", "CACertificate": e.ca})["CACertificateId"].(string)
	tls := e.must("CreateTLSCipherPolicy", map[string]string{"RegionId": "cn-hangzhou", "Name": e.name("p"),
		"TLSVersions.1": "TLSv1.2", "Ciphers.1": "ECDHE-RSA-AES128-GCM-SHA256"})["TLSCipherPolicyId"].(string)
	_, body, err := e.call("Cas", "2020-04-07", "UploadUserCertificate", map[string]string{"Name": e.name("c"), "Cert": e.pem.ChainPEM, "Key": e.pem.KeyPEM}, false)
	if err != nil {
		e.t.Fatal(err)
	}
	var up struct{ CertId int64 }
	json.Unmarshal(body, &up)
	ecs := e.ecsFixture()
	f := map[string]string{
		"ecs.group": ecs[0], "ecs.group2": ecs[1], "ecs.group3": ecs[2], "ecs.freeGroup": ecs[3],
		"ecs.instance": ecs[4], "ecs.freeInstance": ecs[5], "ecs.stopped": ecs[6],
		"RegionId": "cn-hangzhou", "LoadBalancerId": lb, "ListenerPort": "443", "ListenerProtocol": "https",
		"ServerCertificateId": sc, "CACertificateId": ca, "VServerGroupId": vsg, "DomainExtensionId": de,
		"TLSCipherPolicyId": tls, "CertId": fmt.Sprint(up.CertId), "BackendServerPort": "80", "Bandwidth": "-1",
		"StickySession": "off", "HealthCheck": "off", "freeServerCertificateId": freeSC, "freeCACertificateId": freeCA,
	}
	e.vpcFixture(f)
	return f
}

// baseline returns valid parameters for action over fixture f.
func (e *hostileEnv) baseline(version, action string, f map[string]string) map[string]string {
	if version == ecsVersion {
		return e.ecsBaseline(action, f)
	}
	if version == "2015-06-12" { // Location's DescribeEndpoints
		return map[string]string{"Id": "cn-hangzhou", "ServiceCode": "slb"}
	}
	if p, ok := e.vpcBaseline(version, action, f); ok {
		return p
	}
	p := map[string]string{}
	for k, v := range f {
		if !strings.HasPrefix(k, "free") && !strings.HasPrefix(k, "ecs.") {
			p[k] = v
		}
	}
	backends := `[{"ServerId":"i-b","Port":81,"Weight":50}]`
	set := func(kv ...string) {
		for i := 0; i < len(kv); i += 2 {
			p[kv[i]] = kv[i+1]
		}
	}
	switch action {
	case "UploadServerCertificate":
		set("ServerCertificate", e.pem.ChainPEM, "PrivateKey", e.pem.KeyPEM, "ServerCertificateName", "n")
	case "UploadCACertificate":
		set("CACertificate", e.ca, "CACertificateName", "n")
	case "SetServerCertificateName":
		set("ServerCertificateName", "renamed")
	case "SetCACertificateName":
		set("CACertificateName", "renamed")
	case "DeleteServerCertificate":
		set("ServerCertificateId", f["freeServerCertificateId"])
	case "DeleteCACertificate":
		set("CACertificateId", f["freeCACertificateId"])
	case "TagResources":
		set("ResourceType", "instance", "ResourceId.1", f["LoadBalancerId"], "Tag.1.Key", "k", "Tag.1.Value", "v")
	case "UntagResources":
		set("ResourceType", "instance", "ResourceId.1", f["LoadBalancerId"], "TagKey.1", "k")
	case "ListTagResources":
		set("ResourceType", "instance", "ResourceId.1", f["LoadBalancerId"])
	case "MoveResourceGroup":
		set("ResourceType", "loadbalancer", "ResourceId", f["LoadBalancerId"], "NewResourceGroupId", "rg-aekzabcdefghijk")
	case "CreateLoadBalancer", "ModifyLoadBalancerInternetSpec", "ModifyLoadBalancerInstanceChargeType":
		delete(p, "Bandwidth")
	}
	switch action {
	case "CreateLoadBalancer":
		set("LoadBalancerSpec", "slb.s2.small", "LoadBalancerName", "lb", "AddressType", "internet")
	case "SetLoadBalancerName":
		set("LoadBalancerName", "renamed")
	case "SetLoadBalancerStatus":
		set("LoadBalancerStatus", "active")
	case "SetLoadBalancerDeleteProtection":
		set("DeleteProtection", "off")
	case "SetLoadBalancerModificationProtection":
		set("ModificationProtectionStatus", "ConsoleProtection", "ModificationProtectionReason", "why")
	case "ModifyLoadBalancerInstanceSpec":
		set("LoadBalancerSpec", "slb.s3.small")
	case "ModifyLoadBalancerInternetSpec":
		set("InternetChargeType", "paybytraffic")
	case "ModifyLoadBalancerInstanceChargeType":
		set("InstanceChargeType", "PayBySpec", "LoadBalancerSpec", "slb.s2.small")
	case "ModifyLoadBalancerPayType":
		set("PayType", "PayOnDemand")
	case "CreateLoadBalancerHTTPSListener":
		set("ListenerPort", "8443")
	case "CreateLoadBalancerHTTPListener":
		set("ListenerPort", "8080")
	case "DescribeLoadBalancerHTTPListenerAttribute", "SetLoadBalancerHTTPListenerAttribute":
		set("ListenerPort", "80")
	case "StartLoadBalancerListener", "StopLoadBalancerListener", "DeleteLoadBalancerListener":
		set("ListenerProtocol", "https")
	case "CreateDomainExtension":
		set("Domain", "api.example.com")
	case "SetDomainExtensionAttribute":
		set("ServerCertificateId", f["ServerCertificateId"])
	case "CreateVServerGroup":
		set("VServerGroupName", "g2", "BackendServers", backends)
	case "AddVServerGroupBackendServers", "AddBackendServers":
		set("BackendServers", backends)
	case "RemoveVServerGroupBackendServers":
		set("BackendServers", `[{"ServerId":"i-a","Port":80}]`)
	case "RemoveBackendServers", "SetBackendServers":
		set("BackendServers", `[{"ServerId":"i-a","Weight":40}]`)
	case "ModifyVServerGroupBackendServers":
		set("OldBackendServers", `[{"ServerId":"i-a","Port":80,"Weight":100}]`, "NewBackendServers", backends)
	case "SetVServerGroupAttribute":
		set("VServerGroupName", "renamed")
	case "CreateTLSCipherPolicy":
		set("Name", e.name("p"), "TLSVersions.1", "TLSv1.2", "Ciphers.1", "ECDHE-RSA-AES128-GCM-SHA256")
	case "SetTLSCipherPolicyAttribute":
		set("Name", e.name("p"), "TLSVersions.1", "TLSv1.2", "Ciphers.1", "ECDHE-RSA-AES256-GCM-SHA384")
	case "UploadUserCertificate":
		set("Name", e.name("c"), "Cert", e.pem.ChainPEM, "Key", e.pem.KeyPEM, "Tags.1.Key", "k", "Tags.1.Value", "v")
	case "ListUserCertificateOrder":
		set("OrderType", "CERT", "CurrentPage", "1", "ShowSize", "10")
	case "CreateCertificateName":
		set("Name", e.name("c"), "CertificateId", f["CertId"])
	case "AssumeRole":
		set("RoleArn", e2e.STSRoleArn("CertManager"), "RoleSessionName", "s1", "DurationSeconds", "900")
	}
	return p
}

// productOf names the SDK product of a version.
func productOf(version string) string {
	switch version {
	case "2014-05-15":
		return "Slb"
	case "2015-04-01":
		return "Sts"
	case "2016-04-28":
		return "Vpc"
	case "2020-03-31":
		return "ResourceManager"
	case ecsVersion:
		return "Ecs"
	case "2015-06-12":
		return "Location"
	}
	return "Cas"
}

// worker is one goroutine's share of the sweep: its own SDK clients (a
// client is not safe for concurrent use) and its own fixture.
func (e *hostileEnv) worker() *hostileEnv {
	return &hostileEnv{t: e.t, s: e.s, pem: e.pem, ca: e.ca, seq: e.seq,
		slb: e.s.Client(e.t, "cn-hangzhou", "AKS-root", "s-root"), cas: e.s.CASClient(e.t, "AKS-root", "s-root"),
		sts: e.s.STSClient(e.t, "AKS-ci", "s-ci", "")}
}

// keyBody returns the base64 lines of a PEM private key: what must never
// come back in an answer or reach the log, in any encoding the string to
// sign uses.
func keyBody(pem string) []string {
	var out []string
	for _, l := range strings.Split(pem, "\n") {
		if len(l) > 40 && !strings.HasPrefix(l, "-----") {
			out = append(out, l, url.QueryEscape(l), url.QueryEscape(url.QueryEscape(l)))
		}
	}
	return out
}
