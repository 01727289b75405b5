package slb

import "slbcert"

// HTTPListenerInput is the request of CreateLoadBalancerHTTPListener,
// CreateLoadBalancerHTTPSListener, SetLoadBalancerHTTPListenerAttribute
// and SetLoadBalancerHTTPSListenerAttribute: the four share their
// parameters, and a parameter of the other protocol is ignored. A string
// "" and an unset Param are "not given": Create then takes the default
// named below, Set keeps the listener's value (docs/choices.md, "Load
// balancers, listeners and certificates in use (CLB)").
type HTTPListenerInput struct {
	// RegionID is optional: without it the load balancer's own region.
	RegionID       string
	LoadBalancerID string
	// ListenerPort (required) is the listener's port, 1–65535.
	ListenerPort Param[int]

	// Bandwidth is the listener's peak bandwidth in Mbit/s, 1–5120, or -1
	// (the default) for no limit of its own; a pay-by-bandwidth
	// instance's bounds it.
	Bandwidth Param[int]
	// BackendServerPort (1–65535) is the port of the default server list's
	// backends; Create requires it unless the listener forwards to a
	// VServer group or redirects.
	BackendServerPort Param[int]
	// Scheduler is wrr (the default), wlc or rr.
	Scheduler string
	// Description is up to 256 characters.
	Description string

	// StickySession on keeps a client on one backend (default off) with a
	// cookie: StickySessionType insert (the load balancer's, valid
	// CookieTimeout seconds, 1–86400) or server (the backend's, named
	// Cookie: 1–200 characters).
	StickySession     string
	StickySessionType string
	CookieTimeout     Param[int]
	Cookie            string

	// HealthCheck on (the default) probes the backends: HealthCheckType
	// tcp or http; HealthCheckDomain the Host asked ($_ip: the backend's
	// address); HealthCheckURI the path ("/" by default);
	// HealthCheckConnectPort the port (0–65535; -520 or 0: the backend's).
	HealthCheck            string
	HealthCheckType        string
	HealthCheckDomain      string
	HealthCheckURI         string
	HealthCheckConnectPort Param[int]
	// HealthyThreshold and UnhealthyThreshold are the probes in a row that
	// turn a backend healthy or unhealthy: 2–10, default 3.
	HealthyThreshold   Param[int]
	UnhealthyThreshold Param[int]
	// HealthCheckTimeout is how long a probe waits, in seconds, 1–300
	// (default 5); HealthCheckInterval the seconds between probes, 1–50
	// (default 2).
	HealthCheckTimeout  Param[int]
	HealthCheckInterval Param[int]
	// HealthCheckHTTPCode lists the healthy statuses, comma-separated:
	// http_2xx (the default), http_3xx, http_4xx, http_5xx.
	HealthCheckHTTPCode string
	// HealthCheckMethod is head (the default) or get;
	// HealthCheckHTTPVersion HTTP1.0 or HTTP1.1.
	HealthCheckMethod      string
	HealthCheckHTTPVersion string

	// Gzip on (the default) compresses answers; EnableHTTP2 on (the
	// default; HTTPS only) offers HTTP/2.
	Gzip        string
	EnableHTTP2 string
	// IdleTimeout is the seconds an idle connection is kept, 1–60
	// (default 15); RequestTimeout the seconds a backend has to answer,
	// 1–180 (default 60); MaxConnection 0–1000000 concurrent connections.
	IdleTimeout    Param[int]
	RequestTimeout Param[int]
	MaxConnection  Param[int]

	// XForwardedFor on (the default) adds X-Forwarded-For; the others, off
	// by default, add headers carrying the load balancer's address
	// (SLB-IP) and id (SLB-ID), the client's protocol (X-Forwarded-Proto),
	// the listener's port and the client's port.
	XForwardedFor              string
	XForwardedForSLBIP         string
	XForwardedForSLBID         string
	XForwardedForProto         string
	XForwardedForSLBPort       string
	XForwardedForClientSrcPort string
	// The headers of a client certificate (HTTPS only, mutual TLS), off by
	// default, and the names they are sent under (…Alias: 1–40 letters,
	// digits, '-' or '_').
	XForwardedForClientCertSubjectDN         string
	XForwardedForClientCertIssuerDN          string
	XForwardedForClientCertFingerprint       string
	XForwardedForClientCertClientVerify      string
	XForwardedForClientCertSubjectDNAlias    string
	XForwardedForClientCertIssuerDNAlias     string
	XForwardedForClientCertFingerprintAlias  string
	XForwardedForClientCertClientVerifyAlias string

	// AclStatus on (default off) filters clients by the access control
	// lists AclID (comma-separated, kept as given) of AclType white or
	// black.
	AclStatus string
	AclType   string
	AclID     string

	// ListenerForward on (HTTP only, default off) redirects every request
	// to the HTTPS listener on ForwardPort (1–65535) with status
	// ForwardCode: 301 (the default), 302, 303, 307 or 308.
	ListenerForward string
	ForwardPort     Param[int]
	ForwardCode     Param[int]

	// BackendProtocol (default http) and VpcIDs (comma-separated) are
	// recorded; ProxyProtocolV2Enabled is true or false (the default).
	BackendProtocol        string
	VpcIDs                 string
	ProxyProtocolV2Enabled Param[bool]

	// ServerCertificateID (HTTPS; Create requires one) is the certificate
	// served; CACertificateID the CA client certificates must chain to.
	// ServerCertificates (ServerCertificate.N, SDK-only) may name either.
	ServerCertificateID string
	CACertificateID     string
	ServerCertificates  []ServerCertificateBinding
	// TLSCipherPolicy (HTTPS) is a built-in policy
	// (tls_cipher_policy_1_0, the default, …) or a custom policy's id.
	TLSCipherPolicy string
	// VServerGroup on forwards to VServerGroupID, a VServer group of the
	// same load balancer; off returns to the default server list.
	// MasterSlaveServerGroupID is refused: no such groups are kept here.
	VServerGroup             string
	VServerGroupID           string
	MasterSlaveServerGroupID string
	// Tags (Tag.N) are set at creation.
	Tags []slbcert.Tag
}

// ServerCertificateBinding is one ServerCertificate.N of the SDK-only
// certificate lists of listeners and domain extensions.
type ServerCertificateBinding struct {
	CertificateID string
	// BindingType Ca (or CA) binds a CA certificate; anything else the
	// server certificate.
	BindingType string
}
