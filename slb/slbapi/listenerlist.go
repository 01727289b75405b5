package slbapi

import (
	"context"

	"slbcert/rpc"
	"slbcert/slb"
)

// listenerConfigFields are the settings HTTPListenerConfig and
// HTTPSListenerConfig share in DescribeLoadBalancerListeners.
type listenerConfigFields struct {
	StickySession          string `json:"StickySession" xml:"StickySession"`
	StickySessionType      string `json:"StickySessionType" xml:"StickySessionType"`
	CookieTimeout          int    `json:"CookieTimeout" xml:"CookieTimeout"`
	Cookie                 string `json:"Cookie" xml:"Cookie"`
	Gzip                   string `json:"Gzip" xml:"Gzip"`
	IdleTimeout            int    `json:"IdleTimeout" xml:"IdleTimeout"`
	RequestTimeout         int    `json:"RequestTimeout" xml:"RequestTimeout"`
	MaxConnection          int    `json:"MaxConnection" xml:"MaxConnection"`
	HealthCheck            string `json:"HealthCheck" xml:"HealthCheck"`
	HealthCheckType        string `json:"HealthCheckType" xml:"HealthCheckType"`
	HealthCheckDomain      string `json:"HealthCheckDomain" xml:"HealthCheckDomain"`
	HealthCheckURI         string `json:"HealthCheckURI" xml:"HealthCheckURI"`
	HealthCheckConnectPort int    `json:"HealthCheckConnectPort" xml:"HealthCheckConnectPort"`
	HealthyThreshold       int    `json:"HealthyThreshold" xml:"HealthyThreshold"`
	UnhealthyThreshold     int    `json:"UnhealthyThreshold" xml:"UnhealthyThreshold"`
	HealthCheckTimeout     int    `json:"HealthCheckTimeout" xml:"HealthCheckTimeout"`
	HealthCheckInterval    int    `json:"HealthCheckInterval" xml:"HealthCheckInterval"`
	HealthCheckHTTPCode    string `json:"HealthCheckHttpCode" xml:"HealthCheckHttpCode"`
	HealthCheckMethod      string `json:"HealthCheckMethod" xml:"HealthCheckMethod"`
	HealthCheckHTTPVersion string `json:"HealthCheckHttpVersion" xml:"HealthCheckHttpVersion"`
	XForwardedFor          string `json:"XForwardedFor" xml:"XForwardedFor"`
	XForwardedForSLBIP     string `json:"XForwardedFor_SLBIP" xml:"XForwardedFor_SLBIP"`
	XForwardedForSLBID     string `json:"XForwardedFor_SLBID" xml:"XForwardedFor_SLBID"`
	XForwardedForProto     string `json:"XForwardedFor_proto" xml:"XForwardedFor_proto"`
	XForwardedForSLBPort   string `json:"XForwardedFor_SLBPORT" xml:"XForwardedFor_SLBPORT"`
	XForwardedForSrcPort   string `json:"XForwardedFor_ClientSrcPort" xml:"XForwardedFor_ClientSrcPort"`
}

func listenerConfigFieldsOf(c *slb.ListenerConfig) listenerConfigFields {
	return listenerConfigFields{
		StickySession: c.StickySession, StickySessionType: c.StickySessionType, CookieTimeout: c.CookieTimeout, Cookie: c.Cookie,
		Gzip: c.Gzip, IdleTimeout: c.IdleTimeout, RequestTimeout: c.RequestTimeout, MaxConnection: c.MaxConnection,
		HealthCheck: c.HealthCheck, HealthCheckType: c.HealthCheckType, HealthCheckDomain: c.HealthCheckDomain,
		HealthCheckURI: c.HealthCheckURI, HealthCheckConnectPort: c.HealthCheckConnectPort,
		HealthyThreshold: c.HealthyThreshold, UnhealthyThreshold: c.UnhealthyThreshold,
		HealthCheckTimeout: c.HealthCheckTimeout, HealthCheckInterval: c.HealthCheckInterval,
		HealthCheckHTTPCode: c.HealthCheckHTTPCode, HealthCheckMethod: c.HealthCheckMethod, HealthCheckHTTPVersion: c.HealthCheckHTTPVersion,
		XForwardedFor: c.XForwardedFor, XForwardedForSLBIP: c.XForwardedForSLBIP, XForwardedForSLBID: c.XForwardedForSLBID,
		XForwardedForProto: c.XForwardedForProto, XForwardedForSLBPort: c.XForwardedForSLBPort, XForwardedForSrcPort: c.XForwardedForClientSrcPort,
	}
}

type httpsListenerConfig struct {
	listenerConfigFields
	clientCertFields
	ServerCertificateID string             `json:"ServerCertificateId" xml:"ServerCertificateId"`
	CACertificateID     string             `json:"CACertificateId" xml:"CACertificateId"`
	TLSCipherPolicy     string             `json:"TLSCipherPolicy" xml:"TLSCipherPolicy"`
	EnableHTTP2         string             `json:"EnableHttp2" xml:"EnableHttp2"`
	ServerCertificates  []boundCertificate `json:"ServerCertificates" xml:"ServerCertificates"`
}

type httpListenerConfig struct {
	listenerConfigFields
	ListenerForward string `json:"ListenerForward" xml:"ListenerForward"`
	ForwardPort     int    `json:"ForwardPort" xml:"ForwardPort"`
	ForwardCode     int    `json:"ForwardCode" xml:"ForwardCode"`
}

// listenerItem mirrors the SDK's ListenerInDescribeLoadBalancerListeners:
// flat lists (AclIds, Tags), and the configuration of the listener's
// protocol only.
type listenerItem struct {
	LoadBalancerID      string               `json:"LoadBalancerId" xml:"LoadBalancerId"`
	ListenerPort        int                  `json:"ListenerPort" xml:"ListenerPort"`
	ListenerProtocol    string               `json:"ListenerProtocol" xml:"ListenerProtocol"`
	Status              string               `json:"Status" xml:"Status"`
	Bandwidth           int                  `json:"Bandwidth" xml:"Bandwidth"`
	Scheduler           string               `json:"Scheduler" xml:"Scheduler"`
	VServerGroupID      string               `json:"VServerGroupId" xml:"VServerGroupId"`
	BackendServerPort   int                  `json:"BackendServerPort" xml:"BackendServerPort"`
	BackendProtocol     string               `json:"BackendProtocol" xml:"BackendProtocol"`
	Description         string               `json:"Description" xml:"Description"`
	AclID               string               `json:"AclId" xml:"AclId"`
	AclIDs              []string             `json:"AclIds" xml:"AclIds"`
	AclStatus           string               `json:"AclStatus" xml:"AclStatus"`
	AclType             string               `json:"AclType" xml:"AclType"`
	ServiceManagedMode  string               `json:"ServiceManagedMode" xml:"ServiceManagedMode"`
	Tags                []tagItem            `json:"Tags" xml:"Tags"`
	HTTPSListenerConfig *httpsListenerConfig `json:"HTTPSListenerConfig,omitempty" xml:"HTTPSListenerConfig,omitempty"`
	HTTPListenerConfig  *httpListenerConfig  `json:"HTTPListenerConfig,omitempty" xml:"HTTPListenerConfig,omitempty"`
	TCPListenerConfig   *l4ListenerConfig    `json:"TCPListenerConfig,omitempty" xml:"TCPListenerConfig,omitempty"`
	UDPListenerConfig   *l4ListenerConfig    `json:"UDPListenerConfig,omitempty" xml:"UDPListenerConfig,omitempty"`
}

type describeLoadBalancerListenersResponse struct {
	base
	TotalCount int            `json:"TotalCount" xml:"TotalCount"`
	MaxResults int            `json:"MaxResults" xml:"MaxResults"`
	NextToken  string         `json:"NextToken,omitempty" xml:"NextToken,omitempty"`
	Listeners  []listenerItem `json:"Listeners" xml:"Listeners"`
}

// describeLoadBalancerListeners omits NextToken on the last page: some clients
// stop only on a missing token (docs/choices.md, "Load balancers, listeners and
// certificates in use (CLB)": Values).
func (a *API) describeLoadBalancerListeners(ctx context.Context, c *rpc.Call) (any, error) {
	page, err := a.Service.DescribeLoadBalancerListeners(ctx, c.Principal, slb.DescribeLoadBalancerListenersInput{
		RegionID:         c.Get("RegionId"),
		LoadBalancerIDs:  c.List("LoadBalancerId"),
		ListenerProtocol: c.Get("ListenerProtocol"),
		ListenerPort:     intParam(c, "ListenerPort"),
		Description:      c.Get("Description"),
		Tags:             c.Tags("Tag"),
		MaxResults:       intParam(c, "MaxResults"),
		NextToken:        c.Get("NextToken"),
	})
	if err != nil {
		return nil, err
	}
	out := &describeLoadBalancerListenersResponse{TotalCount: page.TotalCount, MaxResults: page.MaxResults,
		NextToken: page.NextToken, Listeners: make([]listenerItem, 0, len(page.Listeners))}
	for _, l := range page.Listeners {
		cfg := &l.Config
		item := listenerItem{
			LoadBalancerID: l.LoadBalancerID, ListenerPort: l.Port, ListenerProtocol: l.Protocol, Status: l.Status,
			Bandwidth: cfg.Bandwidth, Scheduler: cfg.Scheduler, VServerGroupID: l.VServerGroupID,
			BackendServerPort: cfg.BackendServerPort, BackendProtocol: cfg.BackendProtocol, Description: cfg.Description,
			AclID: cfg.AclIDs, AclIDs: aclIDs(l), AclStatus: cfg.AclStatus, AclType: cfg.AclType,
			ServiceManagedMode: "Unmanaged", Tags: tagListOf(cfg.Tags).Tag,
		}
		switch l.Protocol {
		case slb.ProtocolTCP:
			item.TCPListenerConfig = l4ListenerConfigOf(l)
		case slb.ProtocolUDP:
			item.UDPListenerConfig = l4ListenerConfigOf(l)
		case slb.ProtocolHTTPS:
			item.HTTPSListenerConfig = &httpsListenerConfig{
				listenerConfigFields: listenerConfigFieldsOf(cfg), clientCertFields: clientCertFieldsOf(cfg),
				ServerCertificateID: l.ServerCertificateID, CACertificateID: l.CACertificateID,
				TLSCipherPolicy: l.TLSCipherPolicy, EnableHTTP2: cfg.EnableHTTP2, ServerCertificates: boundCertificatesOf(l).ServerCertificate,
			}
		default:
			item.HTTPListenerConfig = &httpListenerConfig{listenerConfigFields: listenerConfigFieldsOf(cfg),
				ListenerForward: cfg.ListenerForward, ForwardPort: cfg.ForwardPort, ForwardCode: cfg.ForwardCode}
		}
		out.Listeners = append(out.Listeners, item)
	}
	return out, nil
}
