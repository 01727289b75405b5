package slb_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
)

func TestListenerErrors(t *testing.T) {
	f := newLBFixture(t)
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", f.terraformHTTPSCreate(f.lb, 443))
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "80", "BackendServerPort": "8080"})
	base := func(kv ...string) map[string]string {
		m := map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "443"}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	create := func(kv ...string) map[string]string {
		m := f.terraformHTTPSCreate(f.lb, 8443)
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	for _, tc := range []struct {
		name, action string
		params       map[string]string
		code         string
		status       int
		message      string
	}{
		{"error/port taken", "CreateLoadBalancerHTTPSListener", create("ListenerPort", "80"), "ListenerAlreadyExists", 400, ""},
		{"error/no certificate", "CreateLoadBalancerHTTPSListener", create("ServerCertificateId", "", "CACertificateId", ""), "InvalidParameter", 400, "ServerCertificateId is empty"},
		{"error/unknown certificate", "CreateLoadBalancerHTTPSListener", create("ServerCertificateId", "1000000000000001_nope"), "InvalidParameter", 400, "does not exist"},
		{"error/a CA as the server certificate", "CreateLoadBalancerHTTPSListener", create("ServerCertificateId", f.ca), "InvalidParameter", 400, "not Support"},
		{"error/a server certificate as the CA", "CreateLoadBalancerHTTPSListener", create("CACertificateId", f.cert), "InvalidParameter", 400, "not Support"},
		{"error/no backend", "CreateLoadBalancerHTTPSListener", create("BackendServerPort", ""), "MissingParameter", 400, "BackendServerPort"},
		{"error/no port", "CreateLoadBalancerHTTPSListener", create("ListenerPort", ""), "MissingParameter", 400, ""},
		{"error/port out of range", "CreateLoadBalancerHTTPSListener", create("ListenerPort", "70000"), "InvalidParameter", 400, ""},
		{"error/bad scheduler", "CreateLoadBalancerHTTPSListener", create("Scheduler", "fastest"), "InvalidParameter", 400, ""},
		{"error/bad idle timeout", "CreateLoadBalancerHTTPSListener", create("IdleTimeout", "61"), "InvalidParameter", 400, ""},
		{"error/bad bandwidth", "CreateLoadBalancerHTTPSListener", create("Bandwidth", "5121"), "InvalidParameter", 400, ""},
		{"error/sticky without type", "CreateLoadBalancerHTTPSListener", create("StickySession", "on"), "MissingParameter", 400, "StickySessionType"},
		{"error/insert without timeout", "CreateLoadBalancerHTTPSListener", create("StickySession", "on", "StickySessionType", "insert"), "MissingParameter", 400, "CookieTimeout"},
		{"error/bad health URI", "CreateLoadBalancerHTTPSListener", create("HealthCheckURI", "health"), "InvalidParameter", 400, ""},
		{"error/bad TLS policy", "CreateLoadBalancerHTTPSListener", create("TLSCipherPolicy", "tls_cipher_policy_9"), "InvalidParameter", 400, ""},
		{"error/unknown group", "CreateLoadBalancerHTTPSListener", create("VServerGroupId", "rsp-nope"), "InvalidParameter", 404, "The specified VServerGroupId does not exist."},
		{"error/both group kinds", "CreateLoadBalancerHTTPSListener", create("VServerGroupId", "rsp-nope", "MasterSlaveServerGroupId", "rsp-x"), "Abs.VServerGroupIdAndMasterSlaveServerGroupId.MissMatch", 400, ""},
		{"error/acl without id", "CreateLoadBalancerHTTPSListener", create("AclStatus", "on", "AclType", "white"), "MissingParameter", 400, "AclId"},
		{"error/unknown load balancer", "CreateLoadBalancerHTTPSListener", create("LoadBalancerId", "lb-nope"), "InvalidLoadBalancerId.NotFound", 404, ""},
		{"error/shared instance keeps the default policy", "CreateLoadBalancerHTTPSListener", create("LoadBalancerId", f.sharedLB, "TLSCipherPolicy", "tls_cipher_policy_1_2"), "OperationDenied.SharedInstanceNotSupport", 400, ""},
		{"error/describe missing", "DescribeLoadBalancerHTTPSListenerAttribute", base("ListenerPort", "444"), "InvalidParameter", 400, "The specified resource does not exist"},
		{"error/describe the other protocol", "DescribeLoadBalancerHTTPSListenerAttribute", base("ListenerPort", "80"), "InvalidParameter", 400, "The specified resource does not exist"},
		{"error/describe http on https", "DescribeLoadBalancerHTTPListenerAttribute", base(), "InvalidParameter", 400, "The specified resource does not exist"},
		{"error/set missing", "SetLoadBalancerHTTPSListenerAttribute", base("ListenerPort", "444"), "InvalidParameter", 400, "The specified resource does not exist"},
		{"error/set the other protocol", "SetLoadBalancerHTTPListenerAttribute", base(), "UnsupportedOperationonfixedprotocalport", 400, ""},
		{"error/set bad value", "SetLoadBalancerHTTPSListenerAttribute", base("HealthyThreshold", "11"), "InvalidParameter", 400, ""},
		{"error/start missing", "StartLoadBalancerListener", base("ListenerPort", "444"), "ListenerNotFound", 404, "The specified resource does not exist"},
		{"error/stop missing", "StopLoadBalancerListener", base("ListenerPort", "444"), "ListenerNotFound", 404, "The specified resource does not exist"},
		{"error/delete missing", "DeleteLoadBalancerListener", base("ListenerPort", "444"), "ListenerNotFound", 404, "The specified resource does not exist"},
		{"error/delete the other protocol", "DeleteLoadBalancerListener", base("ListenerProtocol", "http"), "ListenerNotFound", 404, ""},
		{"error/redirect to nothing", "CreateLoadBalancerHTTPListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "81", "ListenerForward": "on", "ForwardPort": "4443"}, "InvalidParameter", 400, "ForwardPort"},
		{"error/redirect without a port", "CreateLoadBalancerHTTPListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "81", "ListenerForward": "on"}, "MissingParameter", 400, "ForwardPort"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e2e.Common(t, f.c, "POST", "http", tc.action, tc.params)
			se := e2e.ServerError(t, err, tc.code, tc.status)
			if !strings.Contains(se.Message(), tc.message) {
				t.Errorf("message %q does not contain %q", se.Message(), tc.message)
			}
		})
	}
	// Nothing was half-created, and the listener is as it was.
	attr, _ := describeLB(t, f.c, f.lb)
	if n := len(attr.ListenerPortsAndProtocol.ListenerPortAndProtocol); n != 2 {
		t.Errorf("%d listeners after the failures", n)
	}
	raw, _ := describeHTTPS(t, f.c, f.lb, 443)
	e2e.JSONNumber(t, "HealthyThreshold", raw["HealthyThreshold"], 3)
	// Start and Stop are idempotent; a shared instance keeps 1_0.
	for i := 0; i < 2; i++ {
		if err := startListener(t, f.c, f.lb, 443, "https"); err != nil {
			t.Fatalf("start %d: %v", i, err)
		}
	}
	e2e.MustCommon(t, f.c, "StopLoadBalancerListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "443"})
	e2e.MustCommon(t, f.c, "StopLoadBalancerListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "443"})
	shared := f.terraformHTTPSCreate(f.sharedLB, 443)
	shared["TLSCipherPolicy"] = "tls_cipher_policy_1_0"
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", shared)
}

// TestCertificatesInUse: a certificate a listener references cannot be
// deleted (server or CA), a swap frees the old one at once, and deleting
// the listener or the load balancer frees the rest.
func TestCertificatesInUse(t *testing.T) {
	f := newLBFixture(t)
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", f.terraformHTTPSCreate(f.lb, 443))
	delServer := func(id string) error {
		req := slb.CreateDeleteServerCertificateRequest()
		req.ServerCertificateId = id
		_, err := f.c.DeleteServerCertificate(req)
		return err
	}
	delCA := func(id string) error {
		req := slb.CreateDeleteCACertificateRequest()
		req.CACertificateId = id
		_, err := f.c.DeleteCACertificate(req)
		return err
	}
	se := e2e.ServerError(t, delServer(f.cert), "CertificateAndPrivateKeyIsRefered", 400)
	if !strings.Contains(se.Message(), "bound to listeners") {
		t.Errorf("message %q", se.Message())
	}
	e2e.ServerError(t, delCA(f.ca), "CertificateAndPrivateKeyIsRefered", 400)

	// The renewal flow of real tools: upload, Set the listener, delete the
	// old certificate at once (no polling).
	renewed := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "www.example.com"})
	newID := f.k.Upload(renewed.ChainPEM, renewed.KeyPEM, "renewed").ServerCertificateId
	set := slb.CreateSetLoadBalancerHTTPSListenerAttributeRequest()
	set.LoadBalancerId, set.ListenerPort, set.ServerCertificateId = f.lb, port(443), newID
	if _, err := f.c.SetLoadBalancerHTTPSListenerAttribute(set); err != nil {
		t.Fatal(err)
	}
	if err := delServer(f.cert); err != nil {
		t.Fatalf("the old certificate right after the swap: %v", err)
	}
	e2e.ServerError(t, delServer(newID), "CertificateAndPrivateKeyIsRefered", 400)

	// Deleting the load balancer releases the listener's references.
	del := slb.CreateDeleteLoadBalancerRequest()
	del.LoadBalancerId = f.lb
	if _, err := f.c.DeleteLoadBalancer(del); err != nil {
		t.Fatal(err)
	}
	if err := delServer(newID); err != nil {
		t.Errorf("after the load balancer is gone: %v", err)
	}
	if err := delCA(f.ca); err != nil {
		t.Errorf("CA after the load balancer is gone: %v", err)
	}
}

// TestConcurrentSwapAndDelete races, through the API, listener swaps to a
// new certificate against deletes of the old one: a delete is refused
// exactly while the listener still holds the certificate, never lost.
func TestConcurrentSwapAndDelete(t *testing.T) {
	f := newLBFixture(t)
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", f.terraformHTTPSCreate(f.lb, 443))
	deleter := f.s.Client(t, "cn-hangzhou") // SDK clients are not safe for concurrent use
	current := f.cert
	for i := 0; i < 8; i++ {
		next := f.k.Upload(f.srv.ChainPEM, f.srv.KeyPEM, "gen").ServerCertificateId
		var wg sync.WaitGroup
		var setErr, delErr error
		wg.Add(2)
		go func() {
			defer wg.Done()
			set := slb.CreateSetLoadBalancerHTTPSListenerAttributeRequest()
			set.LoadBalancerId, set.ListenerPort, set.ServerCertificateId = f.lb, port(443), next
			_, setErr = f.c.SetLoadBalancerHTTPSListenerAttribute(set)
		}()
		go func() {
			defer wg.Done()
			req := slb.CreateDeleteServerCertificateRequest()
			req.ServerCertificateId = current
			_, delErr = deleter.DeleteServerCertificate(req)
		}()
		wg.Wait()
		if setErr != nil {
			t.Fatalf("swap %d: %v", i, setErr)
		}
		if delErr != nil {
			e2e.ServerError(t, delErr, "CertificateAndPrivateKeyIsRefered", 400)
			req := slb.CreateDeleteServerCertificateRequest()
			req.ServerCertificateId = current
			if _, err := f.c.DeleteServerCertificate(req); err != nil {
				t.Fatalf("round %d: delete after the swap: %v", i, err)
			}
		}
		if l, _ := f.k.Describe(current); len(l) != 0 {
			t.Fatalf("round %d: the old certificate survived", i)
		}
		current = next
	}
	raw, _ := describeHTTPS(t, f.c, f.lb, 443)
	e2e.JSONString(t, "ServerCertificateId", raw["ServerCertificateId"], current)
}

// TestHTTPRedirectListener replays Terraform's redirect listener: the
// backend port under an empty parameter name ("=8080"), which the SDK
// signs and the server must verify; Describe omits what does not apply.
func TestHTTPRedirectListener(t *testing.T) {
	f := newLBFixture(t)
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", f.terraformHTTPSCreate(f.lb, 443))
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "80",
		"AclStatus": "off", "Scheduler": "wrr", "StickySession": "off", "HealthCheck": "off", "ListenerForward": "on",
		"ForwardPort": "443", "": "8080", "RequestTimeout": "60", "IdleTimeout": "15"})
	if err := startListener(t, f.c, f.lb, 80, "http"); err != nil {
		t.Fatal(err)
	}
	raw, err := e2e.Common(t, f.c, "POST", "http", "DescribeLoadBalancerHTTPListenerAttribute", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "80"})
	if err != nil {
		t.Fatal(err)
	}
	e2e.JSONString(t, "ListenerForward", raw["ListenerForward"], "on")
	e2e.JSONNumber(t, "ForwardPort", raw["ForwardPort"], 443)
	e2e.JSONNumber(t, "ForwardCode", raw["ForwardCode"], 301)
	e2e.JSONString(t, "Status", raw["Status"], "running")
	for _, k := range []string{"BackendServerPort", "Bandwidth", "Gzip", "HealthCheck", "StickySession", "IdleTimeout", "HealthCheckURI", "XForwardedFor"} {
		if _, ok := raw[k]; ok {
			t.Errorf("a redirecting listener reports %s", k)
		}
	}
	attr, _ := describeLB(t, f.c, f.lb)
	for _, pp := range attr.ListenerPortsAndProtocol.ListenerPortAndProtocol {
		if pp.ListenerPort == 80 && (pp.ListenerForward != "on" || pp.ForwardPort != 443 || pp.ListenerProtocol != "http") {
			t.Errorf("ListenerPortAndProtocol %+v", pp)
		}
	}
	// A plain HTTP listener reports every field, forwarding off.
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "8080", "BackendServerPort": "80"})
	plain := e2e.MustCommon(t, f.c, "DescribeLoadBalancerHTTPListenerAttribute", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "8080"})
	e2e.JSONString(t, "ListenerForward", plain["ListenerForward"], "off")
	e2e.JSONNumber(t, "BackendServerPort", plain["BackendServerPort"], 80)
	e2e.JSONString(t, "Gzip", plain["Gzip"], "on")
	req := slb.CreateDescribeLoadBalancerHTTPListenerAttributeRequest()
	req.LoadBalancerId, req.ListenerPort = f.lb, port(8080)
	if typed, err := f.c.DescribeLoadBalancerHTTPListenerAttribute(req); err != nil || typed.BackendServerPort != 80 || typed.ListenerForward != "off" {
		t.Errorf("typed: %+v %v", typed, err)
	}
}

func TestDescribeLoadBalancerListenersPaging(t *testing.T) {
	f := newLBFixture(t)
	for p := 1; p <= 5; p++ {
		e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", f.terraformHTTPSCreate(f.lb, 8440+p))
	}
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "80", "BackendServerPort": "80"})
	other := e2e.CreateLB(t, f.c).LoadBalancerId
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPListener", map[string]string{"LoadBalancerId": other, "ListenerPort": "80", "BackendServerPort": "80"})

	var ports []int
	token := ""
	for pages := 0; ; pages++ {
		params := map[string]string{"LoadBalancerId.1": f.lb, "ListenerProtocol": "https", "MaxResults": "2"}
		if token != "" {
			params["NextToken"] = token
		}
		raw := e2e.MustCommon(t, f.c, "DescribeLoadBalancerListeners", params)
		e2e.JSONNumber(t, "TotalCount", raw["TotalCount"], 5)
		for _, l := range raw["Listeners"].([]any) {
			item := l.(map[string]any)
			ports = append(ports, int(item["ListenerPort"].(float64)))
			if _, ok := item["HTTPSListenerConfig"].(map[string]any); !ok {
				t.Errorf("no HTTPSListenerConfig: %v", item)
			}
			if _, ok := item["AclIds"].([]any); !ok {
				t.Errorf("AclIds %#v is not a flat list", item["AclIds"])
			}
		}
		next, has := raw["NextToken"]
		if !has {
			break
		}
		token = next.(string)
		if token == "" || pages > 5 {
			t.Fatalf("NextToken %q on page %d", token, pages)
		}
	}
	if len(ports) != 5 || ports[0] != 8441 || ports[4] != 8445 {
		t.Errorf("ports %v", ports)
	}
	// Typed: both load balancers, every protocol.
	req := slb.CreateDescribeLoadBalancerListenersRequest()
	req.LoadBalancerId = &[]string{f.lb, other}
	req.MaxResults = requests.NewInteger(100)
	resp, err := f.c.DescribeLoadBalancerListeners(req)
	if err != nil || resp.TotalCount != 7 || len(resp.Listeners) != 7 || resp.NextToken != "" {
		t.Fatalf("typed: %+v %v", resp, err)
	}
	if l := resp.Listeners[0]; l.ListenerPort != 80 || l.ListenerProtocol != "http" || l.HTTPListenerConfig.Gzip != "on" {
		t.Errorf("first item (port order) %+v", l)
	}
	if l := resp.Listeners[1]; l.ListenerPort != 8441 || l.HTTPSListenerConfig.ServerCertificateId != f.cert || l.HTTPSListenerConfig.CACertificateId != f.ca {
		t.Errorf("second item %+v", l)
	}
	_, err = e2e.Common(t, f.c, "POST", "http", "DescribeLoadBalancerListeners", map[string]string{"NextToken": "garbage"})
	e2e.ServerError(t, err, "InvalidParameter.NextToken", 400)
	_, err = e2e.Common(t, f.c, "POST", "http", "DescribeLoadBalancerListeners", map[string]string{"LoadBalancerId.1": "lb-nope"})
	e2e.ServerError(t, err, "InvalidLoadBalancerId.NotFound", 404)
}
