package slb

import (
	"slbcert"
	"strings"
	"time"
)

// Listener protocols served here: lower case, as the API answers them and
// Terraform compares them (docs/choices.md, "Load balancers, listeners and
// certificates in use (CLB)": Values).
const (
	ProtocolHTTP  = "http"
	ProtocolHTTPS = "https"
	ProtocolTCP   = "tcp"
	ProtocolUDP   = "udp"
)

// Listener families: a listener's port is unique among the listeners of
// its family on a load balancer, so a UDP listener may share a port with a
// TCP, HTTP or HTTPS one (docs/choices.md, "TCP and UDP listeners").
const (
	FamilyTCP = "tcp"
	FamilyUDP = "udp"
)

// ListenerFamily returns the family of a protocol: FamilyUDP for udp,
// FamilyTCP for the others.
func ListenerFamily(protocol string) string {
	if protocol == ProtocolUDP {
		return FamilyUDP
	}
	return FamilyTCP
}

// Listener statuses. Transitions are synchronous (docs/choices.md, "Load
// balancers, listeners and certificates in use (CLB)": States and references):
// a listener is stopped or running whenever it is seen.
const (
	ListenerStopped = "stopped"
	ListenerRunning = "running"
)

// DefaultTLSCipherPolicy is the built-in policy a new HTTPS listener gets.
const DefaultTLSCipherPolicy = "tls_cipher_policy_1_0"

// IsCustomTLSCipherPolicy reports whether a listener's TLSCipherPolicy names a
// custom policy — by its id, tls-… — rather than a built-in one
// (tls_cipher_policy_…:
// https://www.alibabacloud.com/help/en/slb/classic-load-balancer/user-guide/tls-security-policies).
func IsCustomTLSCipherPolicy(name string) bool { return strings.HasPrefix(name, "tls-") }

// Listener is one HTTP or HTTPS listener of a load balancer, keyed by the
// load balancer and its port (a listener has no id of its own). The
// references — certificates, VServer group, TLS policy — are kept apart
// from the rest of the configuration because the store enforces them.
type Listener struct {
	LoadBalancerID string
	Port           int
	// Protocol is ProtocolHTTP, ProtocolHTTPS, ProtocolTCP or ProtocolUDP.
	Protocol string
	// Status is ListenerStopped or ListenerRunning.
	Status string

	// ServerCertificateID names the server certificate an HTTPS listener
	// serves; CACertificateID the CA that client certificates must chain
	// to (mutual TLS), empty for none.
	ServerCertificateID string
	CACertificateID     string
	// VServerGroupID names the VServer group of the same load balancer the
	// listener forwards to; empty: the default server list on
	// Config.BackendServerPort.
	VServerGroupID string
	// TLSCipherPolicy is a built-in policy name or the id of a custom
	// policy (tls-…) of the same account and region; empty for HTTP.
	TLSCipherPolicy string
	// ACLIDs are the access control lists the listener names (AclId, in
	// its order), whatever its AclStatus; a reference the store enforces.
	ACLIDs []string

	Config     ListenerConfig
	CreateTime time.Time

	// DomainExtensions are the listener's SNI certificates, filled by the
	// store's readers, oldest first.
	DomainExtensions []DomainExtension
}

// ListenerConfig is the rest of a listener's configuration: every forwarding,
// health-check, session, header and timeout setting, named as the API names
// them
// (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-createloadbalancerhttpslistener).
// Flags are "on"/"off"; values a data plane does not use are kept so that
// Describe echoes them.
type ListenerConfig struct {
	// Bandwidth in Mbit/s; -1 for unlimited.
	Bandwidth         int    `json:"Bandwidth"`
	BackendServerPort int    `json:"BackendServerPort"`
	Scheduler         string `json:"Scheduler"`
	Description       string `json:"Description"`

	StickySession     string `json:"StickySession"`
	StickySessionType string `json:"StickySessionType"`
	CookieTimeout     int    `json:"CookieTimeout"`
	Cookie            string `json:"Cookie"`

	HealthCheck            string `json:"HealthCheck"`
	HealthCheckType        string `json:"HealthCheckType"`
	HealthCheckDomain      string `json:"HealthCheckDomain"`
	HealthCheckURI         string `json:"HealthCheckURI"`
	HealthCheckConnectPort int    `json:"HealthCheckConnectPort"`
	HealthyThreshold       int    `json:"HealthyThreshold"`
	UnhealthyThreshold     int    `json:"UnhealthyThreshold"`
	HealthCheckTimeout     int    `json:"HealthCheckTimeout"`
	HealthCheckInterval    int    `json:"HealthCheckInterval"`
	HealthCheckHTTPCode    string `json:"HealthCheckHttpCode"`
	HealthCheckMethod      string `json:"HealthCheckMethod"`
	HealthCheckHTTPVersion string `json:"HealthCheckHttpVersion"`

	Gzip           string `json:"Gzip"`
	EnableHTTP2    string `json:"EnableHttp2"`
	IdleTimeout    int    `json:"IdleTimeout"`
	RequestTimeout int    `json:"RequestTimeout"`
	MaxConnection  int    `json:"MaxConnection"`

	XForwardedFor              string `json:"XForwardedFor"`
	XForwardedForSLBIP         string `json:"XForwardedFor_SLBIP"`
	XForwardedForSLBID         string `json:"XForwardedFor_SLBID"`
	XForwardedForProto         string `json:"XForwardedFor_proto"`
	XForwardedForSLBPort       string `json:"XForwardedFor_SLBPORT"`
	XForwardedForClientSrcPort string `json:"XForwardedFor_ClientSrcPort"`
	// The client-certificate headers of mutual TLS, and the header names
	// (…Alias) they are sent under.
	XForwardedForClientCertSubjectDN         string `json:"XForwardedFor_ClientCertSubjectDN"`
	XForwardedForClientCertIssuerDN          string `json:"XForwardedFor_ClientCertIssuerDN"`
	XForwardedForClientCertFingerprint       string `json:"XForwardedFor_ClientCertFingerprint"`
	XForwardedForClientCertClientVerify      string `json:"XForwardedFor_ClientCertClientVerify"`
	XForwardedForClientCertSubjectDNAlias    string `json:"XForwardedFor_ClientCertSubjectDNAlias"`
	XForwardedForClientCertIssuerDNAlias     string `json:"XForwardedFor_ClientCertIssuerDNAlias"`
	XForwardedForClientCertFingerprintAlias  string `json:"XForwardedFor_ClientCertFingerprintAlias"`
	XForwardedForClientCertClientVerifyAlias string `json:"XForwardedFor_ClientCertClientVerifyAlias"`

	// AclStatus on filters clients by the access control lists AclIDs
	// (comma-separated, as sent) of type AclType (white or black).
	AclStatus string `json:"AclStatus"`
	AclType   string `json:"AclType"`
	AclIDs    string `json:"AclId"`

	// ListenerForward on (HTTP only) redirects every request to the
	// HTTPS listener on ForwardPort with status ForwardCode.
	ListenerForward string `json:"ListenerForward"`
	ForwardPort     int    `json:"ForwardPort"`
	ForwardCode     int    `json:"ForwardCode"`

	BackendProtocol        string `json:"BackendProtocol"`
	VpcIDs                 string `json:"VpcIds"`
	ProxyProtocolV2Enabled bool   `json:"ProxyProtocolV2Enabled"`

	// Tags given at creation (Tag.N).
	Tags []slbcert.Tag `json:"Tags"`

	// TCP and UDP listeners (docs/choices.md, "TCP and UDP listeners").
	// PersistenceTimeout (0–3600 s, 0 off) keeps a client address on its
	// backend; EstablishedTimeout (TCP, 10–900 s) closes idle connections;
	// ConnectionDrain on lets connections to a removed or unhealthy backend
	// go on for ConnectionDrainTimeout (10–900 s). HealthCheckConnectTimeout
	// is their probes' timeout; HealthCheckReq/HealthCheckExp a UDP probe's
	// request and expected answer. The others are echoed only.
	PersistenceTimeout             int    `json:"PersistenceTimeout"`
	EstablishedTimeout             int    `json:"EstablishedTimeout"`
	ConnectionDrain                string `json:"ConnectionDrain"`
	ConnectionDrainTimeout         int    `json:"ConnectionDrainTimeout"`
	HealthCheckConnectTimeout      int    `json:"HealthCheckConnectTimeout"`
	HealthCheckReq                 string `json:"HealthCheckReq"`
	HealthCheckExp                 string `json:"HealthCheckExp"`
	SynProxy                       string `json:"SynProxy"`
	FullNatEnabled                 bool   `json:"FullNatEnabled"`
	HealthCheckTCPFastCloseEnabled bool   `json:"HealthCheckTcpFastCloseEnabled"`
	QuicVersion                    string `json:"QuicVersion"`

	// The legacy per-listener whitelist (SetListenerAccessControlStatus):
	// AccessControlStatus open_white_list admits only SourceItems (a comma
	// list of addresses and CIDR blocks; none admits nobody), close (or "")
	// turns it off.
	AccessControlStatus string `json:"AccessControlStatus"`
	SourceItems         string `json:"SourceItems"`
}

// Forwarding reports whether an HTTP listener redirects to HTTPS instead of
// forwarding to backends.
func (l *Listener) Forwarding() bool {
	return l.Protocol == ProtocolHTTP && l.Config.ListenerForward == "on"
}

// DomainExtension is an additional certificate an HTTPS listener serves to
// clients asking for Domain by SNI (CreateDomainExtension:
// https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-createdomainextension).
type DomainExtension struct {
	ID                  string
	LoadBalancerID      string
	ListenerPort        int
	Domain              string
	ServerCertificateID string
	CreateTime          time.Time
}

// VServerGroup is a named set of backend servers, each with its own port, that
// listeners of the same load balancer forward to (CreateVServerGroup:
// https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-createvservergroup).
type VServerGroup struct {
	ID             string
	LoadBalancerID string
	Name           string
	CreateTime     time.Time
	BackendServers []BackendServer
	Tags           []slbcert.Tag
}

// TLSCipherPolicy is a custom TLS policy of an account in a region
// (CreateTLSCipherPolicy:
// https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-createtlscipherpolicy).
// Built-in policies are not stored.
type TLSCipherPolicy struct {
	ID          string
	AccountID   string
	RegionID    string
	Name        string
	TLSVersions []string // TLSv1.0 … TLSv1.3
	Ciphers     []string // OpenSSL names
	CreateTime  time.Time
}
