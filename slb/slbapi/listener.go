package slbapi

import (
	"context"
	"strings"

	"slbcert/rpc"
	"slbcert/slb"
)

// httpListenerInput reads the parameters of the HTTP and HTTPS listeners'
// Create and Set*Attribute.
func httpListenerInput(c *rpc.Call) slb.HTTPListenerInput {
	return slb.HTTPListenerInput{
		RegionID:       c.Get("RegionId"),
		LoadBalancerID: c.Get("LoadBalancerId"),
		ListenerPort:   intParam(c, "ListenerPort"),

		Bandwidth:         intParam(c, "Bandwidth"),
		BackendServerPort: intParam(c, "BackendServerPort"),
		Scheduler:         c.Get("Scheduler"),
		Description:       c.Get("Description"),

		StickySession:     c.Get("StickySession"),
		StickySessionType: c.Get("StickySessionType"),
		CookieTimeout:     intParam(c, "CookieTimeout"),
		Cookie:            c.Get("Cookie"),

		HealthCheck:            c.Get("HealthCheck"),
		HealthCheckType:        c.Get("HealthCheckType"),
		HealthCheckDomain:      c.Get("HealthCheckDomain"),
		HealthCheckURI:         c.Get("HealthCheckURI"),
		HealthCheckConnectPort: intParam(c, "HealthCheckConnectPort"),
		HealthyThreshold:       intParam(c, "HealthyThreshold"),
		UnhealthyThreshold:     intParam(c, "UnhealthyThreshold"),
		HealthCheckTimeout:     intParam(c, "HealthCheckTimeout"),
		HealthCheckInterval:    intParam(c, "HealthCheckInterval"),
		HealthCheckHTTPCode:    c.Get("HealthCheckHttpCode"),
		HealthCheckMethod:      c.Get("HealthCheckMethod"),
		HealthCheckHTTPVersion: c.Get("HealthCheckHttpVersion"),

		Gzip:           c.Get("Gzip"),
		EnableHTTP2:    c.Get("EnableHttp2"),
		IdleTimeout:    intParam(c, "IdleTimeout"),
		RequestTimeout: intParam(c, "RequestTimeout"),
		MaxConnection:  intParam(c, "MaxConnection"),

		XForwardedFor:                            c.Get("XForwardedFor"),
		XForwardedForSLBIP:                       c.Get("XForwardedFor_SLBIP"),
		XForwardedForSLBID:                       c.Get("XForwardedFor_SLBID"),
		XForwardedForProto:                       c.Get("XForwardedFor_proto"),
		XForwardedForSLBPort:                     c.Get("XForwardedFor_SLBPORT"),
		XForwardedForClientSrcPort:               c.Get("XForwardedFor_ClientSrcPort"),
		XForwardedForClientCertSubjectDN:         c.Get("XForwardedFor_ClientCertSubjectDN"),
		XForwardedForClientCertIssuerDN:          c.Get("XForwardedFor_ClientCertIssuerDN"),
		XForwardedForClientCertFingerprint:       c.Get("XForwardedFor_ClientCertFingerprint"),
		XForwardedForClientCertClientVerify:      c.Get("XForwardedFor_ClientCertClientVerify"),
		XForwardedForClientCertSubjectDNAlias:    c.Get("XForwardedFor_ClientCertSubjectDNAlias"),
		XForwardedForClientCertIssuerDNAlias:     c.Get("XForwardedFor_ClientCertIssuerDNAlias"),
		XForwardedForClientCertFingerprintAlias:  c.Get("XForwardedFor_ClientCertFingerprintAlias"),
		XForwardedForClientCertClientVerifyAlias: c.Get("XForwardedFor_ClientCertClientVerifyAlias"),

		AclStatus: c.Get("AclStatus"),
		AclType:   c.Get("AclType"),
		AclID:     c.Get("AclId"),

		ListenerForward: c.Get("ListenerForward"),
		ForwardPort:     intParam(c, "ForwardPort"),
		ForwardCode:     intParam(c, "ForwardCode"),

		BackendProtocol:        c.Get("BackendProtocol"),
		VpcIDs:                 c.Get("VpcIds"),
		ProxyProtocolV2Enabled: boolParam(c, "ProxyProtocolV2Enabled"),

		ServerCertificateID:      c.Get("ServerCertificateId"),
		CACertificateID:          c.Get("CACertificateId"),
		ServerCertificates:       serverCertificates(c),
		TLSCipherPolicy:          c.Get("TLSCipherPolicy"),
		VServerGroup:             c.Get("VServerGroup"),
		VServerGroupID:           c.Get("VServerGroupId"),
		MasterSlaveServerGroupID: c.Get("MasterSlaveServerGroupId"),
		Tags:                     c.Tags("Tag"),
	}
}

// listenerInput reads the parameters naming one listener.
func listenerInput(c *rpc.Call) slb.ListenerInput {
	return slb.ListenerInput{RegionID: c.Get("RegionId"), LoadBalancerID: c.Get("LoadBalancerId"),
		ListenerPort: intParam(c, "ListenerPort"), ListenerProtocol: c.Get("ListenerProtocol")}
}

func (a *API) createListener(protocol string) rpc.Handler {
	return func(ctx context.Context, c *rpc.Call) (any, error) {
		return &base{}, a.Service.CreateListener(ctx, c.Principal, protocol, httpListenerInput(c))
	}
}

func (a *API) setListener(protocol string) rpc.Handler {
	return func(ctx context.Context, c *rpc.Call) (any, error) {
		return &base{}, a.Service.SetListener(ctx, c.Principal, protocol, httpListenerInput(c))
	}
}

func (a *API) startListener(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.SetListenerStatus(ctx, c.Principal, listenerInput(c), slb.ListenerRunning)
}

func (a *API) stopListener(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.SetListenerStatus(ctx, c.Principal, listenerInput(c), slb.ListenerStopped)
}

func (a *API) deleteListener(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.DeleteListener(ctx, c.Principal, listenerInput(c))
}

type aclIDList struct {
	AclID []string `json:"AclId" xml:"AclId"`
}

// aclIDs splits the comma list a listener was given into AclIds.
func aclIDs(l *slb.Listener) []string {
	out := []string{}
	for _, id := range strings.Split(l.Config.AclIDs, ",") {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	return out
}

type ruleList struct {
	Rule []struct{} `json:"Rule" xml:"Rule"`
}

// listenerFields are what every HTTP and HTTPS listener attribute answer
// carries (DescribeLoadBalancerHTTPSListenerAttribute:
// https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeloadbalancerhttpslistenerattribute):
// integers as numbers, every flag on/off, unset strings "", lists wrapped.
type listenerFields struct {
	LoadBalancerID     string `json:"LoadBalancerId" xml:"LoadBalancerId"`
	ListenerPort       int    `json:"ListenerPort" xml:"ListenerPort"`
	BackendServerPort  int    `json:"BackendServerPort" xml:"BackendServerPort"`
	Bandwidth          int    `json:"Bandwidth" xml:"Bandwidth"`
	Status             string `json:"Status" xml:"Status"`
	Description        string `json:"Description" xml:"Description"`
	VServerGroupID     string `json:"VServerGroupId" xml:"VServerGroupId"`
	SecurityStatus     string `json:"SecurityStatus" xml:"SecurityStatus"`
	ServiceManagedMode string `json:"ServiceManagedMode" xml:"ServiceManagedMode"`
	Scheduler          string `json:"Scheduler" xml:"Scheduler"`
	listenerConfigFields
	BackendProtocol        string    `json:"BackendProtocol" xml:"BackendProtocol"`
	VpcIDs                 string    `json:"VpcIds" xml:"VpcIds"`
	AclStatus              string    `json:"AclStatus" xml:"AclStatus"`
	AclType                string    `json:"AclType" xml:"AclType"`
	AclID                  string    `json:"AclId" xml:"AclId"`
	AclIDs                 aclIDList `json:"AclIds" xml:"AclIds"`
	ProxyProtocolV2Enabled bool      `json:"ProxyProtocolV2Enabled" xml:"ProxyProtocolV2Enabled"`
	Rules                  ruleList  `json:"Rules" xml:"Rules"`
	Tags                   tagList   `json:"Tags" xml:"Tags"`
}

func listenerFieldsOf(l *slb.Listener) listenerFields {
	c := &l.Config
	return listenerFields{
		LoadBalancerID: l.LoadBalancerID, ListenerPort: l.Port, BackendServerPort: c.BackendServerPort, Bandwidth: c.Bandwidth,
		Status: l.Status, Description: c.Description, VServerGroupID: l.VServerGroupID,
		SecurityStatus: "normal", ServiceManagedMode: "Unmanaged",
		Scheduler:            c.Scheduler,
		listenerConfigFields: listenerConfigFieldsOf(c),
		BackendProtocol:      c.BackendProtocol, VpcIDs: c.VpcIDs,
		AclStatus: c.AclStatus, AclType: c.AclType, AclID: c.AclIDs, AclIDs: aclIDList{AclID: aclIDs(l)},
		ProxyProtocolV2Enabled: c.ProxyProtocolV2Enabled,
		Rules:                  ruleList{Rule: []struct{}{}}, Tags: tagListOf(c.Tags),
	}
}

// clientCertFields are the mutual-TLS header settings of an HTTPS listener.
type clientCertFields struct {
	SubjectDN             string `json:"XForwardedFor_ClientCertSubjectDN" xml:"XForwardedFor_ClientCertSubjectDN"`
	IssuerDN              string `json:"XForwardedFor_ClientCertIssuerDN" xml:"XForwardedFor_ClientCertIssuerDN"`
	Fingerprint           string `json:"XForwardedFor_ClientCertFingerprint" xml:"XForwardedFor_ClientCertFingerprint"`
	ClientVerify          string `json:"XForwardedFor_ClientCertClientVerify" xml:"XForwardedFor_ClientCertClientVerify"`
	SubjectDNAlias        string `json:"XForwardedFor_ClientCertSubjectDNAlias" xml:"XForwardedFor_ClientCertSubjectDNAlias"`
	IssuerDNAlias         string `json:"XForwardedFor_ClientCertIssuerDNAlias" xml:"XForwardedFor_ClientCertIssuerDNAlias"`
	FingerprintAlias      string `json:"XForwardedFor_ClientCertFingerprintAlias" xml:"XForwardedFor_ClientCertFingerprintAlias"`
	ClientVerifyAliasName string `json:"XForwardedFor_ClientCertClientVerifyAlias" xml:"XForwardedFor_ClientCertClientVerifyAlias"`
}

func clientCertFieldsOf(c *slb.ListenerConfig) clientCertFields {
	return clientCertFields{
		SubjectDN: c.XForwardedForClientCertSubjectDN, IssuerDN: c.XForwardedForClientCertIssuerDN,
		Fingerprint: c.XForwardedForClientCertFingerprint, ClientVerify: c.XForwardedForClientCertClientVerify,
		SubjectDNAlias: c.XForwardedForClientCertSubjectDNAlias, IssuerDNAlias: c.XForwardedForClientCertIssuerDNAlias,
		FingerprintAlias: c.XForwardedForClientCertFingerprintAlias, ClientVerifyAliasName: c.XForwardedForClientCertClientVerifyAlias,
	}
}

type listenerDomainExtension struct {
	DomainExtensionID   string `json:"DomainExtensionId" xml:"DomainExtensionId"`
	Domain              string `json:"Domain" xml:"Domain"`
	ServerCertificateID string `json:"ServerCertificateId" xml:"ServerCertificateId"`
}

type listenerDomainExtensions struct {
	DomainExtension []listenerDomainExtension `json:"DomainExtension" xml:"DomainExtension"`
}

// boundCertificate is one item of the SDK-only ServerCertificates list: a
// certificate the listener serves (BindingType Server) or verifies
// clients against (Ca).
type boundCertificate struct {
	ServerCertificateID string `json:"ServerCertificateId" xml:"ServerCertificateId"`
	CertificateID       string `json:"CertificateId" xml:"CertificateId"`
	BindingType         string `json:"BindingType" xml:"BindingType"`
	StandardType        string `json:"StandardType" xml:"StandardType"`
}

type boundCertificates struct {
	ServerCertificate []boundCertificate `json:"ServerCertificate" xml:"ServerCertificate"`
}

func boundCertificatesOf(l *slb.Listener) boundCertificates {
	out := boundCertificates{ServerCertificate: []boundCertificate{}}
	if l.ServerCertificateID != "" {
		out.ServerCertificate = append(out.ServerCertificate, boundCertificate{ServerCertificateID: l.ServerCertificateID, CertificateID: l.ServerCertificateID, BindingType: "Server"})
	}
	if l.CACertificateID != "" {
		out.ServerCertificate = append(out.ServerCertificate, boundCertificate{ServerCertificateID: l.CACertificateID, CertificateID: l.CACertificateID, BindingType: "Ca"})
	}
	return out
}

// httpsListenerAttribute mirrors the SDK's
// DescribeLoadBalancerHTTPSListenerAttributeResponse.
type httpsListenerAttribute struct {
	base
	listenerFields
	clientCertFields
	ServerCertificateID string                   `json:"ServerCertificateId" xml:"ServerCertificateId"`
	CACertificateID     string                   `json:"CACertificateId" xml:"CACertificateId"`
	TLSCipherPolicy     string                   `json:"TLSCipherPolicy" xml:"TLSCipherPolicy"`
	EnableHTTP2         string                   `json:"EnableHttp2" xml:"EnableHttp2"`
	DomainExtensions    listenerDomainExtensions `json:"DomainExtensions" xml:"DomainExtensions"`
	ServerCertificates  boundCertificates        `json:"ServerCertificates" xml:"ServerCertificates"`
}

func (a *API) describeHTTPSListener(ctx context.Context, c *rpc.Call) (any, error) {
	l, err := a.Service.DescribeListener(ctx, c.Principal, slb.ProtocolHTTPS, listenerInput(c))
	if err != nil {
		return nil, err
	}
	out := &httpsListenerAttribute{
		listenerFields: listenerFieldsOf(l), clientCertFields: clientCertFieldsOf(&l.Config),
		ServerCertificateID: l.ServerCertificateID, CACertificateID: l.CACertificateID,
		TLSCipherPolicy: l.TLSCipherPolicy, EnableHTTP2: l.Config.EnableHTTP2,
		DomainExtensions:   listenerDomainExtensions{DomainExtension: []listenerDomainExtension{}},
		ServerCertificates: boundCertificatesOf(l),
	}
	for _, e := range l.DomainExtensions {
		out.DomainExtensions.DomainExtension = append(out.DomainExtensions.DomainExtension,
			listenerDomainExtension{DomainExtensionID: e.ID, Domain: e.Domain, ServerCertificateID: e.ServerCertificateID})
	}
	return out, nil
}

// httpListenerAttribute mirrors the SDK's
// DescribeLoadBalancerHTTPListenerAttributeResponse.
type httpListenerAttribute struct {
	base
	listenerFields
	ListenerForward string `json:"ListenerForward" xml:"ListenerForward"`
	ForwardPort     int    `json:"ForwardPort" xml:"ForwardPort"`
	ForwardCode     int    `json:"ForwardCode" xml:"ForwardCode"`
}

// forwardingListenerAttribute is what a redirecting HTTP listener reports:
// no backend, health, session or header settings apply, and none are
// sent (Terraform's redirect test expects them unset in its state, and a
// BackendServerPort would force a replacement).
type forwardingListenerAttribute struct {
	base
	LoadBalancerID     string    `json:"LoadBalancerId" xml:"LoadBalancerId"`
	ListenerPort       int       `json:"ListenerPort" xml:"ListenerPort"`
	Status             string    `json:"Status" xml:"Status"`
	Description        string    `json:"Description" xml:"Description"`
	Scheduler          string    `json:"Scheduler" xml:"Scheduler"`
	SecurityStatus     string    `json:"SecurityStatus" xml:"SecurityStatus"`
	ServiceManagedMode string    `json:"ServiceManagedMode" xml:"ServiceManagedMode"`
	ListenerForward    string    `json:"ListenerForward" xml:"ListenerForward"`
	ForwardPort        int       `json:"ForwardPort" xml:"ForwardPort"`
	ForwardCode        int       `json:"ForwardCode" xml:"ForwardCode"`
	AclStatus          string    `json:"AclStatus" xml:"AclStatus"`
	AclType            string    `json:"AclType" xml:"AclType"`
	AclID              string    `json:"AclId" xml:"AclId"`
	AclIDs             aclIDList `json:"AclIds" xml:"AclIds"`
	Rules              ruleList  `json:"Rules" xml:"Rules"`
	Tags               tagList   `json:"Tags" xml:"Tags"`
}

func (a *API) describeHTTPListener(ctx context.Context, c *rpc.Call) (any, error) {
	l, err := a.Service.DescribeListener(ctx, c.Principal, slb.ProtocolHTTP, listenerInput(c))
	if err != nil {
		return nil, err
	}
	if l.Forwarding() {
		f := listenerFieldsOf(l)
		return &forwardingListenerAttribute{
			LoadBalancerID: l.LoadBalancerID, ListenerPort: l.Port, Status: l.Status, Description: l.Config.Description,
			Scheduler: l.Config.Scheduler, SecurityStatus: f.SecurityStatus, ServiceManagedMode: f.ServiceManagedMode,
			ListenerForward: l.Config.ListenerForward, ForwardPort: l.Config.ForwardPort, ForwardCode: l.Config.ForwardCode,
			AclStatus: f.AclStatus, AclType: f.AclType, AclID: f.AclID, AclIDs: f.AclIDs, Rules: f.Rules, Tags: f.Tags,
		}, nil
	}
	return &httpListenerAttribute{listenerFields: listenerFieldsOf(l), ListenerForward: l.Config.ListenerForward,
		ForwardPort: l.Config.ForwardPort, ForwardCode: l.Config.ForwardCode}, nil
}
