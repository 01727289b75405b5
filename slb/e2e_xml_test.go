package slb_test

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
	slbsvc "slbcert/slb"
)

// TestLoadBalancerXML: the typed SDK reads every load-balancer answer in
// XML as it does in JSON.
func TestLoadBalancerXML(t *testing.T) {
	f := newLBFixture(t)
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", f.terraformHTTPSCreate(f.lb, 443))
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": "80", "ListenerForward": "on", "ForwardPort": "443"})
	e2e.MustCommon(t, f.c, "AddBackendServers", map[string]string{"LoadBalancerId": f.lb, "BackendServers": `[{"ServerId":"i-1"}]`})
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

// TestXMLFormat drives upload and describe with Format=XML through the SDK,
// which then parses the XML bodies into its typed responses.
func TestXMLFormat(t *testing.T) {
	s := e2e.Start(t)
	c := s.Client(t, "cn-hangzhou")
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "xml.example.com", DNSNames: []string{"a.example.com", "b.example.com"}})
	req := e2e.UploadRequest("cn-hangzhou", srv.ChainPEM, srv.KeyPEM)
	req.AcceptFormat = "XML"
	req.Tag = &[]slb.UploadServerCertificateTag{{Key: "k", Value: "v"}}
	up, err := c.UploadServerCertificate(req)
	if err != nil {
		t.Fatal(err)
	}
	body := up.GetHttpContentString()
	if !strings.HasPrefix(body, `<?xml version="1.0" encoding="UTF-8"?>`) || !strings.Contains(body, "<UploadServerCertificateResponse>") {
		t.Fatalf("upload body %s", body)
	}
	if up.GetHttpHeaders()["Content-Type"][0] != "text/xml;charset=utf-8" {
		t.Errorf("content type %v", up.GetHttpHeaders()["Content-Type"])
	}
	if up.ServerCertificateId == "" || up.Fingerprint != e2e.Fingerprint(srv.Leaf) || len(up.SubjectAlternativeNames.SubjectAlternativeName) != 2 || up.RequestId == "" {
		t.Errorf("parsed %+v", up)
	}
	dreq := slb.CreateDescribeServerCertificatesRequest()
	dreq.Scheme = "http"
	dreq.AcceptFormat = "XML"
	dreq.ServerCertificateId = up.ServerCertificateId
	d, err := c.DescribeServerCertificates(dreq)
	if err != nil {
		t.Fatal(err)
	}
	list := d.ServerCertificates.ServerCertificate
	if len(list) != 1 || list[0].ServerCertificateId != up.ServerCertificateId || list[0].EncryptionKeyLength != 2048 ||
		len(list[0].Tags.Tag) != 1 || list[0].Tags.Tag[0].TagKey != "k" ||
		len(list[0].SubjectAlternativeNames.SubjectAlternativeName) != 2 {
		t.Errorf("parsed %+v from %s", list, d.GetHttpContentString())
	}
	if !strings.Contains(d.GetHttpContentString(), "<ServerCertificates><ServerCertificate><ServerCertificateId>") {
		t.Errorf("list nesting: %s", d.GetHttpContentString())
	}

	// An XML error is <Error>…</Error>, with the code's status.
	q := e2e.SignedQuery("GET", slbsvc.APIVersion, e2e.AccessKeyID, e2e.AccessKeySecret, "", url.Values{"Action": {"UploadServerCertificate"}, "RegionId": {"xx-nowhere-1"}, "Format": {"XML"}})
	resp, err := http.Get(s.URL() + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct {
		XMLName   xml.Name `xml:"Error"`
		RequestID string   `xml:"RequestId"`
		Code      string   `xml:"Code"`
		Message   string   `xml:"Message"`
	}
	raw, _ := io.ReadAll(resp.Body)
	if err := xml.Unmarshal(raw, &e); err != nil || resp.StatusCode != 404 || e.Code != "InvalidRegionId.NotFound" || e.RequestID == "" {
		t.Errorf("xml error %d %s (%v)", resp.StatusCode, raw, err)
	}
}
