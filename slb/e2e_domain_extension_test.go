package slb_test

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
)

func createExtension(t *testing.T, c *slb.Client, lb string, listenerPort int, domain, cert string) (*slb.CreateDomainExtensionResponse, error) {
	t.Helper()
	req := slb.CreateCreateDomainExtensionRequest()
	req.LoadBalancerId, req.ListenerPort, req.Domain, req.ServerCertificateId = lb, port(listenerPort), domain, cert
	return c.CreateDomainExtension(req)
}

func describeExtension(c *slb.Client, id string) (*slb.DescribeDomainExtensionAttributeResponse, error) {
	req := slb.CreateDescribeDomainExtensionAttributeRequest()
	req.DomainExtensionId = id
	return c.DescribeDomainExtensionAttribute(req)
}

// TestDomainExtensionTerraformFlow replays alicloud_slb_domain_extension:
// create on a (stopped) listener, read, move to a second upload of the
// same PEM, delete — gone at once.
func TestDomainExtensionTerraformFlow(t *testing.T) {
	f := newLBFixture(t)
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", f.terraformHTTPSCreate(f.lb, 443))
	created, err := createExtension(t, f.c, f.lb, 443, "www.test.com", f.cert)
	if err != nil {
		t.Fatal(err)
	}
	if len(created.DomainExtensionId) != 18 || created.DomainExtensionId[:6] != "de-bp1" || created.ListenerPort != 443 {
		t.Fatalf("created %+v", created)
	}
	raw := e2e.MustCommon(t, f.c, "DescribeDomainExtensionAttribute", map[string]string{"DomainExtensionId": created.DomainExtensionId})
	e2e.JSONString(t, "DomainExtensionId", raw["DomainExtensionId"], created.DomainExtensionId)
	e2e.JSONString(t, "LoadBalancerId", raw["LoadBalancerId"], f.lb)
	e2e.JSONString(t, "Domain", raw["Domain"], "www.test.com")
	e2e.JSONString(t, "ServerCertificateId", raw["ServerCertificateId"], f.cert)
	e2e.JSONNumber(t, "ListenerPort", raw["ListenerPort"], 443)

	again := f.k.Upload(f.srv.ChainPEM, f.srv.KeyPEM, "b").ServerCertificateId
	set := slb.CreateSetDomainExtensionAttributeRequest()
	set.DomainExtensionId, set.ServerCertificateId = created.DomainExtensionId, again
	if _, err := f.c.SetDomainExtensionAttribute(set); err != nil {
		t.Fatal(err)
	}
	// The old certificate is free at once; the new one is held.
	del := slb.CreateDeleteServerCertificateRequest()
	del.ServerCertificateId = again
	_, err = f.c.DeleteServerCertificate(del)
	e2e.ServerError(t, err, "CertificateAndPrivateKeyIsRefered", 400)
	got, err := describeExtension(f.c, created.DomainExtensionId)
	if err != nil || got.ServerCertificateId != again || got.Certificates.Certificate[0].EncryptionAlgorithm != "RSA" {
		t.Fatalf("after set: %+v %v", got, err)
	}

	// The listener's answer lists it.
	listener, _ := describeHTTPS(t, f.c, f.lb, 443)
	exts := listener["DomainExtensions"].(map[string]any)["DomainExtension"].([]any)
	if len(exts) != 1 || exts[0].(map[string]any)["Domain"] != "www.test.com" {
		t.Errorf("listener's extensions %v", exts)
	}
	list := slb.CreateDescribeDomainExtensionsRequest()
	list.LoadBalancerId, list.ListenerPort = f.lb, port(443)
	if resp, err := f.c.DescribeDomainExtensions(list); err != nil || len(resp.DomainExtensions.DomainExtension) != 1 {
		t.Errorf("DescribeDomainExtensions: %+v %v", resp, err)
	}

	rm := slb.CreateDeleteDomainExtensionRequest()
	rm.DomainExtensionId = created.DomainExtensionId
	if _, err := f.c.DeleteDomainExtension(rm); err != nil {
		t.Fatal(err)
	}
	_, err = describeExtension(f.c, created.DomainExtensionId)
	e2e.ServerError(t, err, "InvalidParameter.DomainExtensionId", 400)
	_, err = f.c.DeleteDomainExtension(rm)
	e2e.ServerError(t, err, "InvalidParameter.DomainExtensionId", 400)
	if _, err := f.c.DeleteServerCertificate(del); err != nil {
		t.Errorf("the certificate after the extension is gone: %v", err)
	}
}

func TestDomainExtensionRules(t *testing.T) {
	f := newLBFixture(t)
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", f.terraformHTTPSCreate(f.lb, 443))
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "80", "BackendServerPort": "80"})
	shared := f.terraformHTTPSCreate(f.sharedLB, 443)
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", shared)
	for i, d := range []string{"a.example.com", "*.example.com", "B.Example.com"} {
		if _, err := createExtension(t, f.c, f.lb, 443, d, f.cert); err != nil {
			t.Fatalf("extension %d: %v", i, err)
		}
	}
	for _, tc := range []struct {
		name, domain, cert string
		lb                 string
		listenerPort       int
		code               string
		status             int
	}{
		{"error/over the quota of 3", "c.example.com", f.cert, f.lb, 443, "DomainExtensionNumberOverLimit", 400},
		{"error/duplicate domain (case-insensitive)", "b.example.com", f.cert, f.lb, 443, "DomainExtensionAlreadyExists", 400},
		{"error/bad domain", "-x.example.com", f.cert, f.lb, 443, "InvalidParameter", 400},
		{"error/unknown certificate", "c.example.com", "1000000000000001_x", f.lb, 443, "InvalidParameter", 400},
		{"error/a CA certificate", "c.example.com", f.ca, f.lb, 443, "InvalidParameter", 400},
		{"error/no listener", "c.example.com", f.cert, f.lb, 444, "ListenerNotFound", 404},
		{"error/an HTTP listener", "c.example.com", f.cert, f.lb, 80, "UnsupportedOperationonfixedprotocalport", 400},
		{"error/a shared instance", "c.example.com", f.cert, f.sharedLB, 443, "OperationDenied.SharedInstanceNotSupport", 400},
		{"error/unknown load balancer", "c.example.com", f.cert, "lb-nope", 443, "InvalidLoadBalancerId.NotFound", 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := createExtension(t, f.c, tc.lb, tc.listenerPort, tc.domain, tc.cert)
			e2e.ServerError(t, err, tc.code, tc.status)
		})
	}
	// RegionId is required and scopes the id.
	list := slb.CreateDescribeDomainExtensionsRequest()
	list.LoadBalancerId, list.ListenerPort = f.lb, port(443)
	resp, err := f.c.DescribeDomainExtensions(list)
	if err != nil || len(resp.DomainExtensions.DomainExtension) != 3 {
		t.Fatalf("%+v %v", resp, err)
	}
	id := resp.DomainExtensions.DomainExtension[0].DomainExtensionId
	_, err = describeExtension(f.s.Client(t, "cn-shanghai"), id)
	e2e.ServerError(t, err, "InvalidParameter.DomainExtensionId", 400)
	_, err = e2e.Common(t, f.c, "POST", "http", "DescribeDomainExtensionAttribute", map[string]string{"DomainExtensionId": id, "RegionId": ""})
	e2e.ServerError(t, err, "MissingParameter", 400)
	// XML.
	list.AcceptFormat = "XML"
	if x, err := f.c.DescribeDomainExtensions(list); err != nil || len(x.DomainExtensions.DomainExtension) != 3 || x.DomainExtensions.DomainExtension[1].Domain != "*.example.com" {
		t.Errorf("XML: %+v %v", x, err)
	}
	// Deleting the listener deletes its extensions.
	del := slb.CreateDeleteLoadBalancerListenerRequest()
	del.LoadBalancerId, del.ListenerPort = f.lb, port(443)
	if _, err := f.c.DeleteLoadBalancerListener(del); err != nil {
		t.Fatal(err)
	}
	_, err = describeExtension(f.c, id)
	e2e.ServerError(t, err, "InvalidParameter.DomainExtensionId", 400)
}

func TestDomainExtensionQuotaFromIAM(t *testing.T) {
	s, _ := e2e.StartWithIAM(t, `{"accounts": [{"id": "1000000000000002", "accessKeys": [{"id": "AK2", "secret": "s2"}],
		"quotas": {"domainExtensionsPerListener": 1, "listenersPerLoadBalancer": 1}}]}`)
	c := s.Client(t, "cn-hangzhou", "AK2", "s2")
	k := &e2e.SLBCalls{T: t, C: c, Region: "cn-hangzhou", Format: "JSON"}
	f := &lbFixture{s: s, c: c, k: k}
	srv := e2e.NewServerCert()
	f.cert = k.Upload(srv.ChainPEM, srv.KeyPEM, "a").ServerCertificateId
	f.lb = e2e.CreateLB(t, c).LoadBalancerId
	e2e.MustCommon(t, c, "CreateLoadBalancerHTTPSListener", f.terraformHTTPSCreate(f.lb, 443))
	_, err := e2e.Common(t, c, "POST", "http", "CreateLoadBalancerHTTPSListener", f.terraformHTTPSCreate(f.lb, 8443))
	e2e.ServerError(t, err, "ListenerNumberOverLimit", 400)
	if _, err := createExtension(t, c, f.lb, 443, "a.example.com", f.cert); err != nil {
		t.Fatal(err)
	}
	_, err = createExtension(t, c, f.lb, 443, "b.example.com", f.cert)
	e2e.ServerError(t, err, "DomainExtensionNumberOverLimit", 400)
}
