package slbapi

import (
	"context"

	"slbcert/rpc"
	"slbcert/slb"
)

type portRangeList struct {
	PortRange []struct{} `json:"PortRange" xml:"PortRange"`
}

// l4ListenerFields are what the TCP and UDP listener attribute answers
// share (the SDK's Describe{TCP,UDP}ListenerAttributeResponse): numbers as
// numbers, flags on/off, ProxyProtocolV2Enabled a bool, lists wrapped
// (docs/choices.md, "TCP and UDP listeners").
type l4ListenerFields struct {
	LoadBalancerID            string        `json:"LoadBalancerId" xml:"LoadBalancerId"`
	ListenerPort              int           `json:"ListenerPort" xml:"ListenerPort"`
	BackendServerPort         int           `json:"BackendServerPort" xml:"BackendServerPort"`
	Bandwidth                 int           `json:"Bandwidth" xml:"Bandwidth"`
	Status                    string        `json:"Status" xml:"Status"`
	Description               string        `json:"Description" xml:"Description"`
	Scheduler                 string        `json:"Scheduler" xml:"Scheduler"`
	VServerGroupID            string        `json:"VServerGroupId" xml:"VServerGroupId"`
	MasterSlaveServerGroupID  string        `json:"MasterSlaveServerGroupId" xml:"MasterSlaveServerGroupId"`
	PersistenceTimeout        int           `json:"PersistenceTimeout" xml:"PersistenceTimeout"`
	ConnectionDrain           string        `json:"ConnectionDrain" xml:"ConnectionDrain"`
	ConnectionDrainTimeout    int           `json:"ConnectionDrainTimeout" xml:"ConnectionDrainTimeout"`
	ProxyProtocolV2Enabled    bool          `json:"ProxyProtocolV2Enabled" xml:"ProxyProtocolV2Enabled"`
	FullNatEnabled            bool          `json:"FullNatEnabled" xml:"FullNatEnabled"`
	MaxConnection             int           `json:"MaxConnection" xml:"MaxConnection"`
	VpcIDs                    string        `json:"VpcIds" xml:"VpcIds"`
	ServiceManagedMode        string        `json:"ServiceManagedMode" xml:"ServiceManagedMode"`
	AclStatus                 string        `json:"AclStatus" xml:"AclStatus"`
	AclType                   string        `json:"AclType" xml:"AclType"`
	AclID                     string        `json:"AclId" xml:"AclId"`
	AclIDs                    aclIDList     `json:"AclIds" xml:"AclIds"`
	Tags                      tagList       `json:"Tags" xml:"Tags"`
	PortRanges                portRangeList `json:"PortRanges" xml:"PortRanges"`
	MasterSlaveModeEnabled    bool          `json:"MasterSlaveModeEnabled" xml:"MasterSlaveModeEnabled"`
	MasterServerGroupID       string        `json:"MasterServerGroupId" xml:"MasterServerGroupId"`
	SlaveServerGroupID        string        `json:"SlaveServerGroupId" xml:"SlaveServerGroupId"`
	WorkingServerGroupID      string        `json:"WorkingServerGroupId" xml:"WorkingServerGroupId"`
	FailoverStrategy          string        `json:"FailoverStrategy" xml:"FailoverStrategy"`
	FailoverThreshold         int           `json:"FailoverThreshold" xml:"FailoverThreshold"`
	HealthCheck               string        `json:"HealthCheck" xml:"HealthCheck"`
	HealthCheckType           string        `json:"HealthCheckType" xml:"HealthCheckType"`
	HealthCheckURI            string        `json:"HealthCheckURI" xml:"HealthCheckURI"`
	HealthCheckDomain         string        `json:"HealthCheckDomain" xml:"HealthCheckDomain"`
	HealthCheckHTTPCode       string        `json:"HealthCheckHttpCode" xml:"HealthCheckHttpCode"`
	HealthCheckMethod         string        `json:"HealthCheckMethod" xml:"HealthCheckMethod"`
	HealthCheckConnectPort    int           `json:"HealthCheckConnectPort" xml:"HealthCheckConnectPort"`
	HealthCheckConnectTimeout int           `json:"HealthCheckConnectTimeout" xml:"HealthCheckConnectTimeout"`
	HealthCheckInterval       int           `json:"HealthCheckInterval" xml:"HealthCheckInterval"`
	HealthyThreshold          int           `json:"HealthyThreshold" xml:"HealthyThreshold"`
	UnhealthyThreshold        int           `json:"UnhealthyThreshold" xml:"UnhealthyThreshold"`
}

func l4ListenerFieldsOf(l *slb.Listener) l4ListenerFields {
	c := &l.Config
	return l4ListenerFields{
		LoadBalancerID: l.LoadBalancerID, ListenerPort: l.Port, BackendServerPort: c.BackendServerPort, Bandwidth: c.Bandwidth,
		Status: l.Status, Description: c.Description, Scheduler: c.Scheduler, VServerGroupID: l.VServerGroupID,
		PersistenceTimeout: c.PersistenceTimeout, ConnectionDrain: c.ConnectionDrain, ConnectionDrainTimeout: c.ConnectionDrainTimeout,
		ProxyProtocolV2Enabled: c.ProxyProtocolV2Enabled, FullNatEnabled: c.FullNatEnabled, MaxConnection: c.MaxConnection,
		VpcIDs: c.VpcIDs, ServiceManagedMode: "Unmanaged",
		AclStatus: c.AclStatus, AclType: c.AclType, AclID: c.AclIDs, AclIDs: aclIDList{AclID: aclIDs(l)},
		Tags: tagListOf(c.Tags), PortRanges: portRangeList{PortRange: []struct{}{}},
		HealthCheck: c.HealthCheck, HealthCheckType: c.HealthCheckType, HealthCheckURI: c.HealthCheckURI,
		HealthCheckDomain: c.HealthCheckDomain, HealthCheckHTTPCode: c.HealthCheckHTTPCode, HealthCheckMethod: c.HealthCheckMethod,
		HealthCheckConnectPort: c.HealthCheckConnectPort, HealthCheckConnectTimeout: c.HealthCheckConnectTimeout,
		HealthCheckInterval: c.HealthCheckInterval, HealthyThreshold: c.HealthyThreshold, UnhealthyThreshold: c.UnhealthyThreshold,
	}
}

// tcpListenerAttribute mirrors the SDK's
// DescribeLoadBalancerTCPListenerAttributeResponse.
type tcpListenerAttribute struct {
	base
	l4ListenerFields
	EstablishedTimeout             int    `json:"EstablishedTimeout" xml:"EstablishedTimeout"`
	SynProxy                       string `json:"SynProxy" xml:"SynProxy"`
	HealthCheckTCPFastCloseEnabled bool   `json:"HealthCheckTcpFastCloseEnabled" xml:"HealthCheckTcpFastCloseEnabled"`
}

func tcpListenerAttributeOf(l *slb.Listener) *tcpListenerAttribute {
	return &tcpListenerAttribute{l4ListenerFields: l4ListenerFieldsOf(l), EstablishedTimeout: l.Config.EstablishedTimeout,
		SynProxy: l.Config.SynProxy, HealthCheckTCPFastCloseEnabled: l.Config.HealthCheckTCPFastCloseEnabled}
}

// udpListenerAttribute mirrors the SDK's
// DescribeLoadBalancerUDPListenerAttributeResponse.
type udpListenerAttribute struct {
	base
	l4ListenerFields
	HealthCheckSwitch string `json:"HealthCheckSwitch" xml:"HealthCheckSwitch"`
	HealthCheckReq    string `json:"HealthCheckReq" xml:"HealthCheckReq"`
	HealthCheckExp    string `json:"HealthCheckExp" xml:"HealthCheckExp"`
	QuicVersion       string `json:"QuicVersion" xml:"QuicVersion"`
}

func udpListenerAttributeOf(l *slb.Listener) *udpListenerAttribute {
	return &udpListenerAttribute{l4ListenerFields: l4ListenerFieldsOf(l), HealthCheckSwitch: l.Config.HealthCheck,
		HealthCheckReq: l.Config.HealthCheckReq, HealthCheckExp: l.Config.HealthCheckExp, QuicVersion: l.Config.QuicVersion}
}

// l4ListenerConfig is the SDK's TCPListenerConfig and UDPListenerConfig in
// DescribeLoadBalancerListeners, where ProxyProtocolV2Enabled and
// FullNatEnabled are strings.
type l4ListenerConfig struct {
	PersistenceTimeout             int        `json:"PersistenceTimeout" xml:"PersistenceTimeout"`
	EstablishedTimeout             int        `json:"EstablishedTimeout,omitempty" xml:"EstablishedTimeout,omitempty"`
	ConnectionDrain                string     `json:"ConnectionDrain" xml:"ConnectionDrain"`
	ConnectionDrainTimeout         int        `json:"ConnectionDrainTimeout" xml:"ConnectionDrainTimeout"`
	ProxyProtocolV2Enabled         string     `json:"ProxyProtocolV2Enabled" xml:"ProxyProtocolV2Enabled"`
	FullNatEnabled                 string     `json:"FullNatEnabled" xml:"FullNatEnabled"`
	MaxConnection                  int        `json:"MaxConnection" xml:"MaxConnection"`
	MasterSlaveServerGroupID       string     `json:"MasterSlaveServerGroupId" xml:"MasterSlaveServerGroupId"`
	MasterSlaveModeEnabled         bool       `json:"MasterSlaveModeEnabled" xml:"MasterSlaveModeEnabled"`
	HealthCheckTCPFastCloseEnabled bool       `json:"HealthCheckTcpFastCloseEnabled" xml:"HealthCheckTcpFastCloseEnabled"`
	HealthCheck                    string     `json:"HealthCheck" xml:"HealthCheck"`
	HealthCheckSwitch              string     `json:"HealthCheckSwitch" xml:"HealthCheckSwitch"`
	HealthCheckType                string     `json:"HealthCheckType" xml:"HealthCheckType"`
	HealthCheckURI                 string     `json:"HealthCheckURI" xml:"HealthCheckURI"`
	HealthCheckDomain              string     `json:"HealthCheckDomain" xml:"HealthCheckDomain"`
	HealthCheckHTTPCode            string     `json:"HealthCheckHttpCode" xml:"HealthCheckHttpCode"`
	HealthCheckMethod              string     `json:"HealthCheckMethod" xml:"HealthCheckMethod"`
	HealthCheckConnectPort         int        `json:"HealthCheckConnectPort" xml:"HealthCheckConnectPort"`
	HealthCheckConnectTimeout      int        `json:"HealthCheckConnectTimeout" xml:"HealthCheckConnectTimeout"`
	HealthCheckInterval            int        `json:"HealthCheckInterval" xml:"HealthCheckInterval"`
	HealthyThreshold               int        `json:"HealthyThreshold" xml:"HealthyThreshold"`
	UnhealthyThreshold             int        `json:"UnhealthyThreshold" xml:"UnhealthyThreshold"`
	HealthCheckReq                 string     `json:"HealthCheckReq,omitempty" xml:"HealthCheckReq,omitempty"`
	HealthCheckExp                 string     `json:"HealthCheckExp,omitempty" xml:"HealthCheckExp,omitempty"`
	QuicVersion                    string     `json:"QuicVersion,omitempty" xml:"QuicVersion,omitempty"`
	PortRanges                     []struct{} `json:"PortRanges" xml:"PortRanges"`
}

func l4ListenerConfigOf(l *slb.Listener) *l4ListenerConfig {
	c := &l.Config
	out := &l4ListenerConfig{PersistenceTimeout: c.PersistenceTimeout, ConnectionDrain: c.ConnectionDrain,
		ConnectionDrainTimeout: c.ConnectionDrainTimeout, ProxyProtocolV2Enabled: boolText(c.ProxyProtocolV2Enabled),
		FullNatEnabled: boolText(c.FullNatEnabled), MaxConnection: c.MaxConnection,
		HealthCheckTCPFastCloseEnabled: c.HealthCheckTCPFastCloseEnabled,
		HealthCheck:                    c.HealthCheck, HealthCheckSwitch: c.HealthCheck, HealthCheckType: c.HealthCheckType,
		HealthCheckURI: c.HealthCheckURI, HealthCheckDomain: c.HealthCheckDomain, HealthCheckHTTPCode: c.HealthCheckHTTPCode,
		HealthCheckMethod: c.HealthCheckMethod, HealthCheckConnectPort: c.HealthCheckConnectPort,
		HealthCheckConnectTimeout: c.HealthCheckConnectTimeout, HealthCheckInterval: c.HealthCheckInterval,
		HealthyThreshold: c.HealthyThreshold, UnhealthyThreshold: c.UnhealthyThreshold, PortRanges: []struct{}{}}
	if l.Protocol == slb.ProtocolTCP {
		out.EstablishedTimeout = c.EstablishedTimeout
	} else {
		out.HealthCheckReq, out.HealthCheckExp, out.QuicVersion = c.HealthCheckReq, c.HealthCheckExp, c.QuicVersion
	}
	return out
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// either reads a parameter the SDK spells two ways (healthCheckInterval
// on Create, HealthCheckInterval on Set …): the first given.
func either(c *rpc.Call, names ...string) string {
	for _, n := range names {
		if v := c.Get(n); v != "" {
			return v
		}
	}
	return ""
}

// l4ListenerInput reads the parameters of the TCP and UDP listeners'
// Create and Set…Attribute.
func l4ListenerInput(c *rpc.Call) slb.L4ListenerInput {
	return slb.L4ListenerInput{
		RegionID:       c.Get("RegionId"),
		LoadBalancerID: c.Get("LoadBalancerId"),
		ListenerPort:   intParam(c, "ListenerPort"),

		Bandwidth:              intParam(c, "Bandwidth"),
		BackendServerPort:      intParam(c, "BackendServerPort"),
		Scheduler:              c.Get("Scheduler"),
		Description:            c.Get("Description"),
		PersistenceTimeout:     intParam(c, "PersistenceTimeout"),
		EstablishedTimeout:     intParam(c, "EstablishedTimeout"),
		ConnectionDrain:        c.Get("ConnectionDrain"),
		ConnectionDrainTimeout: intParam(c, "ConnectionDrainTimeout"),
		ProxyProtocolV2Enabled: boolParam(c, "ProxyProtocolV2Enabled"),

		HealthCheckSwitch:         c.Get("HealthCheckSwitch"),
		HealthCheck:               c.Get("HealthCheck"),
		HealthCheckType:           c.Get("HealthCheckType"),
		HealthCheckURI:            c.Get("HealthCheckURI"),
		HealthCheckDomain:         c.Get("HealthCheckDomain"),
		HealthCheckHTTPCode:       c.Get("HealthCheckHttpCode"),
		HealthCheckMethod:         c.Get("HealthCheckMethod"),
		HealthCheckConnectPort:    intParam(c, "HealthCheckConnectPort"),
		HealthCheckConnectTimeout: intParam(c, "HealthCheckConnectTimeout"),
		HealthCheckInterval:       slb.ParseInt(either(c, "HealthCheckInterval", "healthCheckInterval")),
		HealthyThreshold:          intParam(c, "HealthyThreshold"),
		UnhealthyThreshold:        intParam(c, "UnhealthyThreshold"),
		HealthCheckReq:            either(c, "HealthCheckReq", "healthCheckReq"),
		HealthCheckExp:            either(c, "HealthCheckExp", "healthCheckExp"),

		AclStatus: c.Get("AclStatus"),
		AclType:   c.Get("AclType"),
		AclID:     c.Get("AclId"),

		VServerGroup:             c.Get("VServerGroup"),
		VServerGroupID:           c.Get("VServerGroupId"),
		MasterSlaveServerGroup:   c.Get("MasterSlaveServerGroup"),
		MasterSlaveServerGroupID: c.Get("MasterSlaveServerGroupId"),

		SynProxy:                       c.Get("SynProxy"),
		FullNatEnabled:                 boolParam(c, "FullNatEnabled"),
		HealthCheckTCPFastCloseEnabled: boolParam(c, "HealthCheckTcpFastCloseEnabled"),
		MaxConnection:                  intParam(c, "MaxConnection"),
		VpcIDs:                         c.Get("VpcIds"),
		QuicVersion:                    c.Get("QuicVersion"),
		PortRanges:                     len(c.Indexed("PortRange")),
		Tags:                           c.Tags("Tag"),
	}
}

func (a *API) createL4Listener(protocol string) rpc.Handler {
	return func(ctx context.Context, c *rpc.Call) (any, error) {
		return &base{}, a.Service.CreateL4Listener(ctx, c.Principal, protocol, l4ListenerInput(c))
	}
}

func (a *API) setL4Listener(protocol string) rpc.Handler {
	return func(ctx context.Context, c *rpc.Call) (any, error) {
		return &base{}, a.Service.SetL4Listener(ctx, c.Principal, protocol, l4ListenerInput(c))
	}
}

func (a *API) describeTCPListener(ctx context.Context, c *rpc.Call) (any, error) {
	l, err := a.Service.DescribeListener(ctx, c.Principal, slb.ProtocolTCP, listenerInput(c))
	if err != nil {
		return nil, err
	}
	return tcpListenerAttributeOf(l), nil
}

func (a *API) describeUDPListener(ctx context.Context, c *rpc.Call) (any, error) {
	l, err := a.Service.DescribeListener(ctx, c.Principal, slb.ProtocolUDP, listenerInput(c))
	if err != nil {
		return nil, err
	}
	return udpListenerAttributeOf(l), nil
}
