package slb_test

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/server"
)

// TestTerraformSequences replays what terraform-provider-alicloud 1.289.0 sends
// (its resource_alicloud_slb_* files), against a server with TLS on its port:
// the load balancer, the HTTPS listener whose Create, Describe and Set are GET
// CommonRequests over HTTPS, the domain extension, and both certificate
// replacements.
func TestTerraformSequences(t *testing.T) {
	dir := t.TempDir()
	s := e2e.Start(t, func(c *server.Config) { c.DataDir = dir; c.TLSSelfSigned = true })
	pem, _ := os.ReadFile(filepath.Join(dir, "tls", "self-signed.crt"))
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem) // what SSL_CERT_FILE gives Terraform
	c := s.Client(t, "cn-hangzhou")
	c.SetTransport(&http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}})
	k := &e2e.SLBCalls{T: t, C: c, Region: "cn-hangzhou", Format: "JSON"}
	tf := func(action string, params map[string]string) (map[string]any, error) {
		t.Helper()
		return e2e.Common(t, c, "GET", "HTTPS", action, params)
	}

	// alicloud_slb_load_balancer: CreateLoadBalancer as RpcPost sends it,
	// retried with the same ClientToken; poll until active; tags; read.
	create := map[string]string{"AddressIPVersion": "ipv4", "Bandwidth": "1", "DeleteProtection": "off",
		"InternetChargeType": "paybytraffic", "ClientToken": "tf-create-1", "LoadBalancerName": "tf-lb", "LoadBalancerSpec": "slb.s2.small"}
	first := e2e.MustCommon(t, c, "CreateLoadBalancer", create)
	retry := e2e.MustCommon(t, c, "CreateLoadBalancer", create)
	lb := first["LoadBalancerId"].(string)
	if retry["LoadBalancerId"] != lb {
		t.Fatalf("a retry with the same ClientToken made %v", retry["LoadBalancerId"])
	}
	read := e2e.MustCommon(t, c, "DescribeLoadBalancerAttribute", map[string]string{"LoadBalancerId": lb})
	e2e.JSONString(t, "LoadBalancerStatus", read["LoadBalancerStatus"], "active")
	tag := slb.CreateTagResourcesRequest()
	tag.ResourceType, tag.ResourceId, tag.Tag = "instance", &[]string{lb}, &[]slb.TagResourcesTag{{Key: "env", Value: "test"}}
	if _, err := c.TagResources(tag); err != nil {
		t.Fatal(err)
	}

	srvA, srvB := e2e.NewServerCert(), e2e.NewServerCert()
	certA := k.Upload(srvA.ChainPEM, srvA.KeyPEM, "a").ServerCertificateId
	group, err := c.CreateVServerGroup(func() *slb.CreateVServerGroupRequest {
		r := slb.CreateCreateVServerGroupRequest()
		r.LoadBalancerId, r.VServerGroupName, r.BackendServers = lb, "tf-group", `[{'ServerId':'i-1','Port':'8080','Weight':'100', 'Type': 'ecs'}]`
		return r
	}())
	if err != nil {
		t.Fatal(err)
	}

	// alicloud_slb_listener: create (GET over HTTPS), wait stopped, typed
	// start, wait running, the new-resource Set, read.
	listener := map[string]string{"LoadBalancerId": lb, "ListenerPort": "443", "AclStatus": "off", "Scheduler": "wrr",
		"StickySession": "off", "HealthCheck": "on", "RequestTimeout": "60", "IdleTimeout": "15", "ServerCertificateId": certA,
		"Bandwidth": "10", "VServerGroupId": group.VServerGroupId, "HealthCheckURI": "/", "HealthyThreshold": "3",
		"UnhealthyThreshold": "3", "HealthCheckTimeout": "5", "HealthCheckInterval": "2", "HealthCheckHttpCode": "http_2xx"}
	if _, err := tf("CreateLoadBalancerHTTPSListener", listener); err != nil {
		t.Fatal(err)
	}
	got, err := tf("DescribeLoadBalancerHTTPSListenerAttribute", map[string]string{"LoadBalancerId": lb, "ListenerPort": "443"})
	if err != nil || got["Status"] != "stopped" || got["ListenerPort"].(float64) <= 0 {
		t.Fatalf("after create: %v %v", got["Status"], err)
	}
	start := slb.CreateStartLoadBalancerListenerRequest()
	start.LoadBalancerId, start.ListenerPort, start.ListenerProtocol = lb, requests.NewInteger(443), "https"
	if _, err := c.StartLoadBalancerListener(start); err != nil {
		t.Fatal(err)
	}
	set := map[string]string{"Gzip": "on", "XForwardedFor_SLBIP": "on", "XForwardedFor_SLBID": "off", "XForwardedFor_proto": "off",
		"EnableHttp2": "on", "TLSCipherPolicy": "tls_cipher_policy_1_2", "VServerGroup": "on", "HealthCheckConnectTimeout": "5"}
	for k, v := range listener {
		set[k] = v
	}
	if _, err := tf("SetLoadBalancerHTTPSListenerAttribute", set); err != nil {
		t.Fatal(err)
	}
	got, _ = tf("DescribeLoadBalancerHTTPSListenerAttribute", map[string]string{"LoadBalancerId": lb, "ListenerPort": "443"})
	checkTypes(t, got, terraformListenerKeys)
	e2e.JSONString(t, "Status", got["Status"], "running")
	e2e.JSONString(t, "VServerGroupId", got["VServerGroupId"], group.VServerGroupId)

	// alicloud_slb_domain_extension; then a replacement with
	// create_before_destroy: upload, Set the listener and the extension,
	// delete the old certificate.
	ext, err := createExtension(t, c, lb, 443, "www.test.com", certA)
	if err != nil {
		t.Fatal(err)
	}
	certB := k.Upload(srvB.ChainPEM, srvB.KeyPEM, "b").ServerCertificateId
	set["ServerCertificateId"] = certB
	if _, err := tf("SetLoadBalancerHTTPSListenerAttribute", set); err != nil {
		t.Fatal(err)
	}
	swap := slb.CreateSetDomainExtensionAttributeRequest()
	swap.DomainExtensionId, swap.ServerCertificateId = ext.DomainExtensionId, certB
	if _, err := c.SetDomainExtensionAttribute(swap); err != nil {
		t.Fatal(err)
	}
	del := slb.CreateDeleteServerCertificateRequest()
	del.ServerCertificateId = certA
	if _, err := c.DeleteServerCertificate(del); err != nil {
		t.Fatalf("delete the replaced certificate: %v", err)
	}
	if l, _ := k.Describe(certA); len(l) != 0 {
		t.Error("DescribeServerCertificates still lists the replaced certificate")
	}
	// Without create_before_destroy the delete comes first, and fails.
	del.ServerCertificateId = certB
	_, err = c.DeleteServerCertificate(del)
	e2e.ServerError(t, err, "CertificateAndPrivateKeyIsRefered", 400)

	// Destroy: extension (gone at once), listener (gone: "does not exist"),
	// group, certificate, load balancer (gone: NotFound).
	rm := slb.CreateDeleteDomainExtensionRequest()
	rm.DomainExtensionId = ext.DomainExtensionId
	if _, err := c.DeleteDomainExtension(rm); err != nil {
		t.Fatal(err)
	}
	_, err = describeExtension(c, ext.DomainExtensionId)
	e2e.ServerError(t, err, "InvalidParameter.DomainExtensionId", 400)
	dl := slb.CreateDeleteLoadBalancerListenerRequest()
	dl.LoadBalancerId, dl.ListenerPort, dl.ListenerProtocol = lb, requests.NewInteger(443), "https"
	if _, err := c.DeleteLoadBalancerListener(dl); err != nil {
		t.Fatal(err)
	}
	_, err = tf("DescribeLoadBalancerHTTPSListenerAttribute", map[string]string{"LoadBalancerId": lb, "ListenerPort": "443"})
	e2e.ServerError(t, err, "InvalidParameter", 400)
	dg := slb.CreateDeleteVServerGroupRequest()
	dg.VServerGroupId = group.VServerGroupId
	if _, err := c.DeleteVServerGroup(dg); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteServerCertificate(del); err != nil {
		t.Fatal(err)
	}
	e2e.MustCommon(t, c, "DeleteLoadBalancer", map[string]string{"LoadBalancerId": lb})
	_, err = describeLB(t, c, lb)
	e2e.ServerError(t, err, "InvalidLoadBalancerId.NotFound", 404)
}
