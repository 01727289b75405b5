package slb_test

import (
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
	"slbcert/server"
)

// lbFixture is a load balancer with a server certificate, a second one for
// swaps and a CA certificate, owned by the test root account.
type lbFixture struct {
	s                   *e2e.Server
	c                   *slb.Client
	k                   *e2e.SLBCalls
	lb, cert, cert2, ca string
	sharedLB            string
	srv, srv2           *testpki.Server
}

func newLBFixture(t *testing.T, edit ...func(*server.Config)) *lbFixture {
	t.Helper()
	s := e2e.Start(t, edit...)
	f := &lbFixture{s: s, c: s.Client(t, "cn-hangzhou"), k: s.Calls(t, "cn-hangzhou", "")}
	f.srv = testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "www.example.com", DNSNames: []string{"www.example.com"}})
	f.srv2 = testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "www.example.com", DNSNames: []string{"www.example.com"}})
	f.cert = f.k.Upload(f.srv.ChainPEM, f.srv.KeyPEM, "a").ServerCertificateId
	f.cert2 = f.k.Upload(f.srv2.ChainPEM, f.srv2.KeyPEM, "b").ServerCertificateId
	f.ca = uploadCA(t, f.k, f.srv.Intermediate, "ca")
	f.lb = e2e.CreateLB(t, f.c).LoadBalancerId
	f.sharedLB = e2e.CreateLB(t, f.c, func(r *slb.CreateLoadBalancerRequest) { r.LoadBalancerSpec = "" }).LoadBalancerId
	return f
}

// terraformHTTPSCreate is what Terraform's alicloud_slb_listener sends to
// create an HTTPS listener with its defaults (its
// resource_alicloud_slb_listener.go; docs/choices.md, "Load balancers,
// listeners and certificates in use (CLB)": Values).
func (f *lbFixture) terraformHTTPSCreate(lbID string, port int) map[string]string {
	return map[string]string{
		"LoadBalancerId": lbID, "ListenerPort": itoa(port), "BackendServerPort": "80", "Bandwidth": "10",
		"AclStatus": "off", "Scheduler": "wrr", "StickySession": "off", "HealthCheck": "on",
		"RequestTimeout": "60", "IdleTimeout": "15", "HealthCheckURI": "/", "HealthyThreshold": "3",
		"UnhealthyThreshold": "3", "HealthCheckTimeout": "5", "HealthCheckInterval": "2",
		"HealthCheckHttpCode": "http_2xx", "ServerCertificateId": f.cert, "CACertificateId": f.ca,
	}
}

func describeHTTPS(t *testing.T, c *slb.Client, lb string, listenerPort int) (map[string]any, error) {
	t.Helper()
	return e2e.Common(t, c, "POST", "http", "DescribeLoadBalancerHTTPSListenerAttribute", map[string]string{"LoadBalancerId": lb, "ListenerPort": itoa(listenerPort)})
}

func startListener(t *testing.T, c *slb.Client, lb string, listenerPort int, protocol string) error {
	t.Helper()
	req := slb.CreateStartLoadBalancerListenerRequest()
	req.LoadBalancerId, req.ListenerPort, req.ListenerProtocol = lb, port(listenerPort), protocol
	_, err := c.StartLoadBalancerListener(req)
	return err
}

// terraformListenerKeys are the keys Terraform's readListener copies, by
// the JSON type it asserts ("n" number, "s" string, "o" object).
var terraformListenerKeys = map[string]string{
	"BackendServerPort": "n", "ListenerPort": "n", "Bandwidth": "n", "Scheduler": "s", "VServerGroupId": "s",
	"AclStatus": "s", "AclType": "s", "AclId": "s", "AclIds": "o", "HealthCheck": "s", "StickySession": "s",
	"StickySessionType": "s", "CookieTimeout": "n", "Cookie": "s", "HealthCheckDomain": "s", "HealthCheckMethod": "s",
	"HealthCheckConnectPort": "n", "HealthCheckURI": "s", "HealthyThreshold": "n", "UnhealthyThreshold": "n",
	"HealthCheckTimeout": "n", "HealthCheckInterval": "n", "HealthCheckHttpCode": "s", "ServerCertificateId": "s",
	"CACertificateId": "s", "EnableHttp2": "s", "TLSCipherPolicy": "s", "IdleTimeout": "n", "RequestTimeout": "n",
	"Gzip": "s", "XForwardedFor": "s", "XForwardedFor_SLBIP": "s", "XForwardedFor_SLBID": "s", "XForwardedFor_proto": "s",
	"Description": "s", "Status": "s", "ProxyProtocolV2Enabled": "b",
}

func checkTypes(t *testing.T, raw map[string]any, keys map[string]string) {
	t.Helper()
	for k, kind := range keys {
		v, ok := raw[k]
		if !ok {
			t.Errorf("%s missing", k)
			continue
		}
		switch kind {
		case "n":
			_, ok = v.(float64)
		case "s":
			_, ok = v.(string)
		case "o":
			_, ok = v.(map[string]any)
		case "b":
			_, ok = v.(bool)
		}
		if !ok {
			t.Errorf("%s = %#v (%T), want kind %s", k, v, v, kind)
		}
	}
}

// TestHTTPSListenerTerraformFlow replays Terraform's create: CommonRequest
// create, wait stopped, typed Start, wait running, the new-resource Set,
// then Read — checking the types it asserts and that every value it reads
// equals what it sent or defaults to.
func TestHTTPSListenerTerraformFlow(t *testing.T) {
	f := newLBFixture(t)
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", f.terraformHTTPSCreate(f.lb, 443))
	raw, err := describeHTTPS(t, f.c, f.lb, 443)
	if err != nil {
		t.Fatal(err)
	}
	e2e.JSONString(t, "Status after create", raw["Status"], "stopped")
	if err := startListener(t, f.c, f.lb, 443, "https"); err != nil {
		t.Fatal(err)
	}
	raw, _ = describeHTTPS(t, f.c, f.lb, 443)
	e2e.JSONString(t, "Status after start", raw["Status"], "running")

	set := f.terraformHTTPSCreate(f.lb, 443)
	for k, v := range map[string]string{"Gzip": "on", "XForwardedFor_SLBIP": "on", "XForwardedFor_SLBID": "off",
		"XForwardedFor_proto": "off", "EnableHttp2": "on", "TLSCipherPolicy": "tls_cipher_policy_1_2",
		"HealthCheckConnectTimeout": "5", "Description": "tf-listener"} {
		set[k] = v
	}
	e2e.MustCommon(t, f.c, "SetLoadBalancerHTTPSListenerAttribute", set)
	raw, err = describeHTTPS(t, f.c, f.lb, 443)
	if err != nil {
		t.Fatal(err)
	}
	checkTypes(t, raw, terraformListenerKeys)
	for k, want := range map[string]any{"ListenerPort": 443.0, "BackendServerPort": 80.0, "Bandwidth": 10.0, "Scheduler": "wrr",
		"VServerGroupId": "", "AclStatus": "off", "AclType": "", "AclId": "", "HealthCheck": "on", "StickySession": "off",
		"StickySessionType": "", "CookieTimeout": 0.0, "Cookie": "", "HealthCheckDomain": "", "HealthCheckConnectPort": 0.0,
		"HealthCheckURI": "/", "HealthyThreshold": 3.0, "UnhealthyThreshold": 3.0, "HealthCheckTimeout": 5.0,
		"HealthCheckInterval": 2.0, "HealthCheckHttpCode": "http_2xx", "ServerCertificateId": f.cert, "CACertificateId": f.ca,
		"EnableHttp2": "on", "TLSCipherPolicy": "tls_cipher_policy_1_2", "IdleTimeout": 15.0, "RequestTimeout": 60.0,
		"Gzip": "on", "XForwardedFor": "on", "XForwardedFor_SLBIP": "on", "XForwardedFor_SLBID": "off", "XForwardedFor_proto": "off",
		"Description": "tf-listener", "Status": "running", "LoadBalancerId": f.lb} {
		if raw[k] != want {
			t.Errorf("%s = %#v, want %#v", k, raw[k], want)
		}
	}
	if ids := raw["AclIds"].(map[string]any)["AclId"]; ids == nil {
		t.Error("AclIds.AclId is not a list")
	}
	if de := raw["DomainExtensions"].(map[string]any)["DomainExtension"]; de == nil {
		t.Error("DomainExtensions.DomainExtension is not a list")
	}

	// Read also finds the listener in DescribeLoadBalancerAttribute, by
	// exact port and lowercase protocol, in both spellings.
	attr, err := describeLB(t, f.c, f.lb)
	if err != nil {
		t.Fatal(err)
	}
	pp := attr.ListenerPortsAndProtocol.ListenerPortAndProtocol
	if len(pp) != 1 || pp[0].ListenerPort != 443 || pp[0].ListenerProtocol != "https" ||
		len(attr.ListenerPortsAndProtocal.ListenerPortAndProtocal) != 1 || attr.ListenerPortsAndProtocal.ListenerPortAndProtocal[0].ListenerProtocal != "https" ||
		len(attr.ListenerPorts.ListenerPort) != 1 || attr.ListenerPorts.ListenerPort[0] != 443 {
		t.Errorf("attribute listeners: %+v / %+v / %+v", pp, attr.ListenerPortsAndProtocal, attr.ListenerPorts)
	}

	// The typed SDK reads the same answer.
	req := slb.CreateDescribeLoadBalancerHTTPSListenerAttributeRequest()
	req.LoadBalancerId, req.ListenerPort = f.lb, port(443)
	typed, err := f.c.DescribeLoadBalancerHTTPSListenerAttribute(req)
	if err != nil || typed.ServerCertificateId != f.cert || typed.HealthyThreshold != 3 || typed.TLSCipherPolicy != "tls_cipher_policy_1_2" {
		t.Errorf("typed: %+v %v", typed, err)
	}
	// And in XML.
	req.AcceptFormat = "XML"
	if x, err := f.c.DescribeLoadBalancerHTTPSListenerAttribute(req); err != nil || x.ServerCertificateId != f.cert || x.ListenerPort != 443 {
		t.Errorf("XML: %+v %v", x, err)
	}

	// Terraform's delete: typed delete, then Describe until "does not exist".
	del := slb.CreateDeleteLoadBalancerListenerRequest()
	del.LoadBalancerId, del.ListenerPort, del.ListenerProtocol = f.lb, port(443), "https"
	if _, err := f.c.DeleteLoadBalancerListener(del); err != nil {
		t.Fatal(err)
	}
	_, err = describeHTTPS(t, f.c, f.lb, 443)
	se := e2e.ServerError(t, err, "InvalidParameter", 400)
	if !strings.Contains(se.Message(), "The specified resource does not exist") {
		t.Errorf("message %q", se.Message())
	}
}

// TestListenerPartialSet: Set changes only what it is given; "" means not
// given; an echo of every Describe field (as taichunmin's tool sends)
// changes nothing but the certificate.
func TestListenerPartialSet(t *testing.T) {
	f := newLBFixture(t)
	create := f.terraformHTTPSCreate(f.lb, 443)
	create["StickySession"], create["StickySessionType"], create["CookieTimeout"] = "on", "insert", "300"
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", create)
	before, _ := describeHTTPS(t, f.c, f.lb, 443)

	e2e.MustCommon(t, f.c, "SetLoadBalancerHTTPSListenerAttribute", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "443",
		"ServerCertificateId": f.cert2, "Description": "", "Scheduler": "", "HealthCheckURI": ""})
	after, _ := describeHTTPS(t, f.c, f.lb, 443)
	for k, v := range before {
		if k == "RequestId" || k == "ServerCertificateId" || k == "ServerCertificates" {
			continue
		}
		if !equalJSON(v, after[k]) {
			t.Errorf("%s changed: %#v → %#v", k, v, after[k])
		}
	}
	e2e.JSONString(t, "ServerCertificateId", after["ServerCertificateId"], f.cert2)

	// The echo: every field of Describe sent back as a string.
	echo := map[string]string{"ServerCertificateId": f.cert}
	for k, v := range after {
		switch x := v.(type) {
		case string:
			echo[k] = x
		case float64:
			echo[k] = itoa(int(x))
		}
	}
	delete(echo, "RequestId")
	echo["ServerCertificateId"] = f.cert
	e2e.MustCommon(t, f.c, "SetLoadBalancerHTTPSListenerAttribute", echo)
	again, _ := describeHTTPS(t, f.c, f.lb, 443)
	e2e.JSONString(t, "ServerCertificateId after echo", again["ServerCertificateId"], f.cert)
	e2e.JSONNumber(t, "CookieTimeout after echo", again["CookieTimeout"], 300)

	// The same echo of a plain HTTP listener, whose Describe holds zeros
	// (CookieTimeout, ForwardPort, ForwardCode) that Set could not take.
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "80", "BackendServerPort": "80"})
	plain := e2e.MustCommon(t, f.c, "DescribeLoadBalancerHTTPListenerAttribute", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "80"})
	echoHTTP := map[string]string{}
	for k, v := range plain {
		switch x := v.(type) {
		case string:
			echoHTTP[k] = x
		case float64:
			echoHTTP[k] = itoa(int(x))
		}
	}
	delete(echoHTTP, "RequestId")
	e2e.MustCommon(t, f.c, "SetLoadBalancerHTTPListenerAttribute", echoHTTP)
	if again := e2e.MustCommon(t, f.c, "DescribeLoadBalancerHTTPListenerAttribute", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "80"}); !equalJSON(again, plain) {
		for k := range plain {
			if k != "RequestId" && !equalJSON(plain[k], again[k]) {
				t.Errorf("the echo changed %s: %v → %v", k, plain[k], again[k])
			}
		}
	}

	// Inapplicable settings are stored, not refused: a Cookie with sticky
	// sessions off, health settings with health checks off.
	e2e.MustCommon(t, f.c, "SetLoadBalancerHTTPSListenerAttribute", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "443",
		"StickySession": "off", "Cookie": "kept", "HealthCheck": "off", "HealthyThreshold": "7", "ListenerForward": "on"})
	last, _ := describeHTTPS(t, f.c, f.lb, 443)
	e2e.JSONString(t, "Cookie", last["Cookie"], "kept")
	e2e.JSONNumber(t, "HealthyThreshold", last["HealthyThreshold"], 7)
}

func equalJSON(a, b any) bool {
	switch x := a.(type) {
	case map[string]any, []any:
		return strings.TrimSpace(jsonText(x)) == strings.TrimSpace(jsonText(b))
	}
	return a == b
}
