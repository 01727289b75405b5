package dataplane

import (
	"fmt"
	"net"
	"strings"
	"time"
)

// Config is the desired state of the data plane: every listener that
// should serve, and nothing else. A listener absent from a Config that is
// applied is closed. Listeners of inactive or locked load balancers and
// stopped listeners are simply left out by whoever builds the Config.
type Config struct {
	Listeners []Listener
}

// Protocols a Listener serves.
const (
	ProtocolHTTP  = "http"
	ProtocolHTTPS = "https"
	// ProtocolTCP relays a connection's bytes to a backend; ProtocolUDP
	// relays datagrams per client address (docs/choices.md, "Data plane":
	// TCP and UDP listeners).
	ProtocolTCP = "tcp"
	ProtocolUDP = "udp"
)

// Listener is one listener to serve (docs/choices.md, "Data plane (listeners
// that serve)").
type Listener struct {
	// ID names the listener stably across configurations, e.g.
	// "lb-bp1…_https_443" (source.ListenerID); metrics and statuses are keyed by it.
	ID string
	// LoadBalancerID is sent as SLB-ID when Headers.SLBID is on.
	LoadBalancerID string
	// Address is the load balancer's address, sent as SLB-IP when
	// Headers.SLBIP is on.
	Address string
	// Bind is the host:port the listener listens on: the load balancer's
	// Address and the ListenerPort plus the operator's port offset.
	Bind string
	// Protocol is ProtocolHTTP, ProtocolHTTPS, ProtocolTCP or ProtocolUDP.
	Protocol string
	// ListenerPort is the API's port, sent as X-Forwarded-Port when
	// Headers.SLBPort is on (the bound port may differ by an offset).
	ListenerPort int
	// Refused, when not empty, says why whoever built the Config cannot
	// give this listener what it needs (a private key that does not
	// unseal, a reference missing from the snapshot). The listener is then
	// refused as an invalid configuration is: reported in its status and
	// logged, and a listener already serving keeps its previous
	// configuration.
	Refused string

	// Certificate is the listener's server certificate (HTTPS only).
	Certificate *Certificate
	// DomainExtensions are additional certificates chosen by the
	// ClientHello's server name (docs/choices.md, "Data plane (listeners
	// that serve)": SNI).
	DomainExtensions []DomainExtension
	// ClientCAs, when not empty, is a PEM bundle of CA certificates: the
	// listener then requires a client certificate that chains to one of
	// them (mutual TLS, CACertificateId).
	ClientCAs []byte
	// TLSCipherPolicy is a built-in policy name (see Policies); "" is
	// tls_cipher_policy_1_0, the API's default. With Policy set, it only
	// names the policy in logs and warnings.
	TLSCipherPolicy string
	// Policy, when not nil, is a custom policy (tls-…, see CustomPolicy)
	// served instead of a built-in one.
	Policy *Policy
	// HTTP2 offers h2 by ALPN (EnableHttp2).
	HTTP2 bool

	// Backends receive the requests. A backend with Weight 0 or without an
	// Address gets none.
	Backends []Backend
	// Scheduler is "wrr" (default), "rr" or "wlc"; TCP and UDP listeners
	// also take "sch" and "tch", UDP ones "qch" (SchedulerSCH …).
	Scheduler string
	// StickySession keeps a client on one backend.
	StickySession StickySession
	// Headers says which forwarding headers are added; X-Forwarded-For
	// always is.
	Headers ForwardedHeaders
	// IdleTimeout closes keep-alive connections idle this long (0: 15 s).
	IdleTimeout time.Duration
	// RequestTimeout is how long a backend may stay silent before the
	// client gets 504 Gateway Timeout (0: 60 s).
	RequestTimeout time.Duration
	// Gzip compresses text responses for clients that accept gzip.
	Gzip bool
	// HealthCheck probes the backends.
	HealthCheck HealthCheck

	// RedirectPort, when not 0, makes an HTTP listener answer every
	// request with a redirect to https on that port instead of forwarding
	// (ListenerForward=on): the ForwardPort plus the port offset, the port
	// where the HTTPS listener really is.
	RedirectPort int

	// Access control (every protocol) and the layer-4 settings (TCP and
	// UDP listeners), docs/choices.md "Data plane": TCP and UDP listeners.

	// AccessControl are the source filters a client must pass, every one
	// of them: a refused connection is closed before any of its bytes is
	// read, a refused datagram is dropped. A change reaches the running
	// listener at once, for new connections and every datagram. None:
	// everyone is admitted.
	AccessControl []AccessControl
	// PersistenceTimeout, when not 0, keeps a client address on the
	// backend it last used, for that long after its last connection ended
	// or datagram passed (TCP, UDP).
	PersistenceTimeout time.Duration
	// EstablishedTimeout closes a TCP connection idle in both directions
	// this long (0: DefaultEstablishedTimeout).
	EstablishedTimeout time.Duration
	// ConnectionDrain, when not 0, lets the connections (UDP flows) to a
	// backend that is removed or turns abnormal go on for that long before
	// they are closed. 0 closes those of a removed backend at once and
	// leaves those of an abnormal one.
	ConnectionDrain time.Duration
	// ProxyProtocolV2 starts each backend connection (UDP: each datagram)
	// with a PROXY protocol v2 header naming the client's address and the
	// listener's (Address:ListenerPort).
	ProxyProtocolV2 bool
	// UDPFlowTimeout forgets a UDP flow idle this long in both directions
	// (0: DefaultUDPFlowTimeout).
	UDPFlowTimeout time.Duration
}

// Certificate is a certificate chain and its private key in PEM, as
// uploaded and unsealed. The data plane keeps keys in memory only.
type Certificate struct {
	// ID is the ServerCertificateId; it labels metrics and logs.
	ID string
	// Chain is the leaf first, then its intermediates.
	Chain []byte
	// Key is the leaf's private key (PKCS#1, PKCS#8 or SEC 1).
	Key []byte
}

// DomainExtension serves Certificate to clients asking for Domain: an
// exact name ("www.example.com") or a wildcard of one label
// ("*.example.com").
type DomainExtension struct {
	Domain      string
	Certificate Certificate
}

// Backend is a server requests are forwarded to.
type Backend struct {
	// ServerID is the API's ServerId (i-…, eni-…), reported back with
	// the backend's health.
	ServerID string
	// Address is host:port over plain HTTP; "" when the ServerId could not
	// be resolved to an address (the backend is then abnormal).
	Address string
	// Weight is 0–100; 0 sends nothing.
	Weight int
}

// StickySession keeps a client on the backend that served it.
type StickySession struct {
	// Type is "" (off), "insert" (the data plane sets a SERVERID cookie)
	// or "server" (the backend's own Cookie is rewritten to carry the
	// backend).
	Type string
	// CookieTimeout is the SERVERID cookie's Max-Age (insert).
	CookieTimeout time.Duration
	// Cookie is the backend cookie's name (server).
	Cookie string
}

// ForwardedHeaders are the optional forwarding headers (XForwardedFor_*).
type ForwardedHeaders struct {
	SLBIP         bool // SLB-IP: the load balancer's address
	SLBID         bool // SLB-ID: the load balancer's id
	Proto         bool // X-Forwarded-Proto: http or https
	SLBPort       bool // X-Forwarded-Port: the listener's port
	ClientSrcPort bool // X-Forwarded-Client-Srcport: the client's source port
}

// HealthCheck configures the prober of a listener's backends.
type HealthCheck struct {
	// Enabled turns probing on; off, every backend with an address is
	// used and reported "unavailable" (not checked).
	Enabled bool
	// URI is the probed path and query (default "/").
	URI string
	// Domain is the Host header; "" or "$_ip" sends the backend's IP.
	Domain string
	// ConnectPort overrides the backend's port when not 0.
	ConnectPort int
	// Interval between probes (default 2 s).
	Interval time.Duration
	// Timeout of one probe (default 5 s). Below Interval, Interval is
	// used, as the API documents.
	Timeout time.Duration
	// HealthyThreshold successes in a row make an abnormal backend
	// normal; UnhealthyThreshold failures in a row make a normal one
	// abnormal (defaults 3 and 3).
	HealthyThreshold, UnhealthyThreshold int
	// HTTPCodes are the healthy status classes: "http_2xx" … "http_5xx"
	// (default http_2xx).
	HTTPCodes []string
	// Method is "head" (default) or "get".
	Method string

	// Type is the probe of a TCP listener: "tcp" (default, a connection
	// opened and reset) or "http" (as an HTTP listener's). HTTP and HTTPS
	// listeners probe with HTTP, UDP ones with UDP, whatever it says.
	Type string
	// UDPRequest, when not empty, is what a UDP probe sends
	// (HealthCheckReq); the backend is normal when it answers exactly
	// UDPExpect (HealthCheckExp) in time. Without them a UDP probe sends
	// a few bytes and an ICMP port unreachable in time is abnormal,
	// silence normal.
	UDPRequest, UDPExpect string
}

// Defaults of a listener's optional settings (the API's defaults).
const (
	DefaultIdleTimeout        = 15 * time.Second
	DefaultRequestTimeout     = 60 * time.Second
	DefaultEstablishedTimeout = 900 * time.Second
	DefaultUDPFlowTimeout     = 60 * time.Second
)

// Validate reports the first problem that keeps l from being served.
func (l *Listener) Validate() error {
	if l.ID == "" {
		return fmt.Errorf("listener without ID")
	}
	if l.Refused != "" {
		return fmt.Errorf("listener %s: %s", l.ID, l.Refused)
	}
	if _, _, err := net.SplitHostPort(l.Bind); err != nil {
		return fmt.Errorf("listener %s: bind address %q: %w", l.ID, l.Bind, err)
	}
	switch l.Protocol {
	case ProtocolHTTP:
		if l.Certificate != nil || len(l.DomainExtensions) > 0 || len(l.ClientCAs) > 0 {
			return fmt.Errorf("listener %s: an http listener takes no certificates", l.ID)
		}
	case ProtocolHTTPS:
		if l.Certificate == nil {
			return fmt.Errorf("listener %s: an https listener needs a certificate", l.ID)
		}
		if l.RedirectPort != 0 {
			return fmt.Errorf("listener %s: only http listeners redirect", l.ID)
		}
		if _, ok := Policies[policyName(l.TLSCipherPolicy)]; !ok && l.Policy == nil {
			return fmt.Errorf("listener %s: unknown TLS cipher policy %q", l.ID, l.TLSCipherPolicy)
		}
		for _, d := range l.DomainExtensions {
			if _, _, err := domainKey(d.Domain); err != nil {
				return fmt.Errorf("listener %s: %w", l.ID, err)
			}
		}
	case ProtocolTCP, ProtocolUDP:
		if l.Certificate != nil || len(l.DomainExtensions) > 0 || len(l.ClientCAs) > 0 || l.RedirectPort != 0 {
			return fmt.Errorf("listener %s: a %s listener takes no certificates and does not redirect", l.ID, l.Protocol)
		}
		if l.StickySession.Type != "" {
			return fmt.Errorf("listener %s: a %s listener has no sticky sessions (PersistenceTimeout)", l.ID, l.Protocol)
		}
	default:
		return fmt.Errorf("listener %s: protocol %q is not served (http, https, tcp, udp)", l.ID, l.Protocol)
	}
	switch {
	case l.Scheduler == "", l.Scheduler == SchedulerWRR, l.Scheduler == SchedulerRR, l.Scheduler == SchedulerWLC:
	case (l.Scheduler == SchedulerSCH || l.Scheduler == SchedulerTCH) && (l.Protocol == ProtocolTCP || l.Protocol == ProtocolUDP):
	case l.Scheduler == SchedulerQCH && l.Protocol == ProtocolUDP:
	default:
		return fmt.Errorf("listener %s: scheduler %q does not apply to a %s listener", l.ID, l.Scheduler, l.Protocol)
	}
	if _, err := compileAccess(l.AccessControl); err != nil {
		return fmt.Errorf("listener %s: %w", l.ID, err)
	}
	switch strings.ToLower(l.HealthCheck.Type) {
	case "", "tcp", "http":
	default:
		return fmt.Errorf("listener %s: unknown health check type %q", l.ID, l.HealthCheck.Type)
	}
	switch l.StickySession.Type {
	case "", StickyInsert:
	case StickyServer:
		if l.StickySession.Cookie == "" {
			return fmt.Errorf("listener %s: sticky session type server needs a cookie name", l.ID)
		}
	default:
		return fmt.Errorf("listener %s: unknown sticky session type %q", l.ID, l.StickySession.Type)
	}
	for _, c := range l.HealthCheck.HTTPCodes {
		if _, ok := httpCodeClasses[c]; !ok {
			return fmt.Errorf("listener %s: unknown health check code %q", l.ID, c)
		}
	}
	switch strings.ToLower(l.HealthCheck.Method) {
	case "", "head", "get":
	default:
		return fmt.Errorf("listener %s: unknown health check method %q", l.ID, l.HealthCheck.Method)
	}
	return nil
}

func (l *Listener) idleTimeout() time.Duration {
	if l.IdleTimeout > 0 {
		return l.IdleTimeout
	}
	return DefaultIdleTimeout
}

func (l *Listener) requestTimeout() time.Duration {
	if l.RequestTimeout > 0 {
		return l.RequestTimeout
	}
	return DefaultRequestTimeout
}
