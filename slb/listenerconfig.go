package slb

import (
	"regexp"
	"strings"
	"unicode"

	"slbcert"
)

// listenerParam reads one request parameter into a listener's configuration
// (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-createloadbalancerhttpslistener).
// A parameter that does not apply to the listener's protocol is ignored, never
// refused (docs/choices.md, "Load balancers, listeners and certificates in use
// (CLB)": States and references).
type listenerParam struct {
	name string
	// only names the one protocol the parameter applies to; "" both.
	only string
	set  func(c *ListenerConfig, v string) error
}

// intParam reads an integer within [lo, hi]. A 0 where 0 is out of range
// means "not given": clients echo Describe's zeros (CookieTimeout 0 with
// sticky sessions off, ForwardPort 0 without a redirect) back into Set.
func intParam(name string, lo, hi int, field func(*ListenerConfig) *int) listenerParam {
	return listenerParam{name: name, set: func(c *ListenerConfig, v string) error {
		if lo > 0 && strings.TrimSpace(v) == "0" {
			return nil
		}
		n, err := integer(name, v, lo, hi)
		if err == nil {
			*field(c) = n
		}
		return err
	}}
}

func flagParam(name string, field func(*ListenerConfig) *string) listenerParam {
	return listenerParam{name: name, set: func(c *ListenerConfig, v string) (err error) {
		*field(c), err = flag(name, v)
		return err
	}}
}

func enumParam(name string, values []string, field func(*ListenerConfig) *string) listenerParam {
	return listenerParam{name: name, set: func(c *ListenerConfig, v string) (err error) {
		*field(c), err = choice(name, v, values...)
		return err
	}}
}

func textParam(name string, check func(string) bool, rule string, field func(*ListenerConfig) *string) listenerParam {
	return listenerParam{name: name, set: func(c *ListenerConfig, v string) error {
		if check != nil && !check(v) {
			return errInvalidValue(name, v, rule)
		}
		*field(c) = v
		return nil
	}}
}

func only(protocol string, p listenerParam) listenerParam { p.only = protocol; return p }

var (
	healthCheckURIPattern    = regexp.MustCompile(`^/[A-Za-z0-9\-/.%?#&=_~]{0,79}$`)
	healthCheckDomainPattern = regexp.MustCompile(`^([A-Za-z0-9.\-]{1,80}|\$_ip)$`)
	cookiePattern            = regexp.MustCompile(`^[^$,; ][^,; ]{0,199}$`)
	httpCodePattern          = regexp.MustCompile(`^http_[2-5]xx(,http_[2-5]xx)*$`)
)

// printableText accepts up to max characters without control characters.
func printableText(max int) func(string) bool {
	return func(v string) bool {
		if len([]rune(v)) > max {
			return false
		}
		return strings.IndexFunc(v, unicode.IsControl) < 0
	}
}

func asciiText(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] < 0x21 || v[i] > 0x7e {
			return false
		}
	}
	return true
}

// listenerParams are every configuration parameter of the HTTP and HTTPS
// listener operations, by their API names.
var listenerParams = []listenerParam{
	{name: "Bandwidth", set: func(c *ListenerConfig, v string) error {
		switch strings.TrimSpace(v) {
		case "0":
			return nil // not given (see intParam)
		case "-1":
			c.Bandwidth = -1
			return nil
		}
		n, err := integer("Bandwidth", v, 1, 5120)
		if err != nil {
			return errInvalidValue("Bandwidth", v, "-1 (unlimited) or an integer from 1 to 5120")
		}
		c.Bandwidth = n
		return nil
	}},
	intParam("BackendServerPort", 1, 65535, func(c *ListenerConfig) *int { return &c.BackendServerPort }),
	enumParam("Scheduler", []string{"wrr", "wlc", "rr"}, func(c *ListenerConfig) *string { return &c.Scheduler }),
	textParam("Description", printableText(256), "at most 256 characters", func(c *ListenerConfig) *string { return &c.Description }),

	flagParam("StickySession", func(c *ListenerConfig) *string { return &c.StickySession }),
	enumParam("StickySessionType", []string{"insert", "server"}, func(c *ListenerConfig) *string { return &c.StickySessionType }),
	intParam("CookieTimeout", 1, 86400, func(c *ListenerConfig) *int { return &c.CookieTimeout }),
	textParam("Cookie", cookiePattern.MatchString, "1 to 200 ASCII characters without ',', ';' or spaces, not starting with '$'", func(c *ListenerConfig) *string { return &c.Cookie }),

	flagParam("HealthCheck", func(c *ListenerConfig) *string { return &c.HealthCheck }),
	enumParam("HealthCheckType", []string{"tcp", "http"}, func(c *ListenerConfig) *string { return &c.HealthCheckType }),
	textParam("HealthCheckDomain", healthCheckDomainPattern.MatchString, "$_ip, or 1 to 80 letters, digits, '.' or '-'", func(c *ListenerConfig) *string { return &c.HealthCheckDomain }),
	textParam("HealthCheckURI", healthCheckURIPattern.MatchString, "1 to 80 characters starting with '/': letters, digits and -/.%?#&=_~", func(c *ListenerConfig) *string { return &c.HealthCheckURI }),
	{name: "HealthCheckConnectPort", set: func(c *ListenerConfig, v string) error {
		// -520 and 0 mean "the backend's port", as Terraform sends them.
		if strings.TrimSpace(v) == "-520" {
			c.HealthCheckConnectPort = -520
			return nil
		}
		n, err := integer("HealthCheckConnectPort", v, 0, 65535)
		c.HealthCheckConnectPort = n
		return err
	}},
	intParam("HealthyThreshold", 2, 10, func(c *ListenerConfig) *int { return &c.HealthyThreshold }),
	intParam("UnhealthyThreshold", 2, 10, func(c *ListenerConfig) *int { return &c.UnhealthyThreshold }),
	intParam("HealthCheckTimeout", 1, 300, func(c *ListenerConfig) *int { return &c.HealthCheckTimeout }),
	intParam("HealthCheckInterval", 1, 50, func(c *ListenerConfig) *int { return &c.HealthCheckInterval }),
	textParam("HealthCheckHttpCode", httpCodePattern.MatchString, "a comma-separated list of http_2xx, http_3xx, http_4xx, http_5xx", func(c *ListenerConfig) *string { return &c.HealthCheckHTTPCode }),
	enumParam("HealthCheckMethod", []string{"head", "get"}, func(c *ListenerConfig) *string { return &c.HealthCheckMethod }),
	enumParam("HealthCheckHttpVersion", []string{"HTTP1.0", "HTTP1.1"}, func(c *ListenerConfig) *string { return &c.HealthCheckHTTPVersion }),

	flagParam("Gzip", func(c *ListenerConfig) *string { return &c.Gzip }),
	only(ProtocolHTTPS, flagParam("EnableHttp2", func(c *ListenerConfig) *string { return &c.EnableHTTP2 })),
	intParam("IdleTimeout", 1, 60, func(c *ListenerConfig) *int { return &c.IdleTimeout }),
	intParam("RequestTimeout", 1, 180, func(c *ListenerConfig) *int { return &c.RequestTimeout }),
	intParam("MaxConnection", 0, 1000000, func(c *ListenerConfig) *int { return &c.MaxConnection }),

	flagParam("XForwardedFor", func(c *ListenerConfig) *string { return &c.XForwardedFor }),
	flagParam("XForwardedFor_SLBIP", func(c *ListenerConfig) *string { return &c.XForwardedForSLBIP }),
	flagParam("XForwardedFor_SLBID", func(c *ListenerConfig) *string { return &c.XForwardedForSLBID }),
	flagParam("XForwardedFor_proto", func(c *ListenerConfig) *string { return &c.XForwardedForProto }),
	flagParam("XForwardedFor_SLBPORT", func(c *ListenerConfig) *string { return &c.XForwardedForSLBPort }),
	flagParam("XForwardedFor_ClientSrcPort", func(c *ListenerConfig) *string { return &c.XForwardedForClientSrcPort }),
	only(ProtocolHTTPS, flagParam("XForwardedFor_ClientCertSubjectDN", func(c *ListenerConfig) *string { return &c.XForwardedForClientCertSubjectDN })),
	only(ProtocolHTTPS, flagParam("XForwardedFor_ClientCertIssuerDN", func(c *ListenerConfig) *string { return &c.XForwardedForClientCertIssuerDN })),
	only(ProtocolHTTPS, flagParam("XForwardedFor_ClientCertFingerprint", func(c *ListenerConfig) *string { return &c.XForwardedForClientCertFingerprint })),
	only(ProtocolHTTPS, flagParam("XForwardedFor_ClientCertClientVerify", func(c *ListenerConfig) *string { return &c.XForwardedForClientCertClientVerify })),
	only(ProtocolHTTPS, textParam("XForwardedFor_ClientCertSubjectDNAlias", headerName, "a header name of 1 to 40 letters, digits, '-' or '_'", func(c *ListenerConfig) *string { return &c.XForwardedForClientCertSubjectDNAlias })),
	only(ProtocolHTTPS, textParam("XForwardedFor_ClientCertIssuerDNAlias", headerName, "a header name of 1 to 40 letters, digits, '-' or '_'", func(c *ListenerConfig) *string { return &c.XForwardedForClientCertIssuerDNAlias })),
	only(ProtocolHTTPS, textParam("XForwardedFor_ClientCertFingerprintAlias", headerName, "a header name of 1 to 40 letters, digits, '-' or '_'", func(c *ListenerConfig) *string { return &c.XForwardedForClientCertFingerprintAlias })),
	only(ProtocolHTTPS, textParam("XForwardedFor_ClientCertClientVerifyAlias", headerName, "a header name of 1 to 40 letters, digits, '-' or '_'", func(c *ListenerConfig) *string { return &c.XForwardedForClientCertClientVerifyAlias })),

	flagParam("AclStatus", func(c *ListenerConfig) *string { return &c.AclStatus }),
	enumParam("AclType", []string{"white", "black"}, func(c *ListenerConfig) *string { return &c.AclType }),
	textParam("AclId", asciiText, "a comma-separated list of ACL ids", func(c *ListenerConfig) *string { return &c.AclIDs }),

	only(ProtocolHTTP, flagParam("ListenerForward", func(c *ListenerConfig) *string { return &c.ListenerForward })),
	only(ProtocolHTTP, intParam("ForwardPort", 1, 65535, func(c *ListenerConfig) *int { return &c.ForwardPort })),
	only(ProtocolHTTP, listenerParam{name: "ForwardCode", set: func(c *ListenerConfig, v string) error {
		if strings.TrimSpace(v) == "0" {
			return nil // not given (see intParam)
		}
		code, err := choice("ForwardCode", v, "301", "302", "303", "307", "308")
		if err == nil {
			c.ForwardCode, _ = integer("ForwardCode", code, 301, 308)
		}
		return err
	}}),

	textParam("BackendProtocol", printableText(16), "a protocol name", func(c *ListenerConfig) *string { return &c.BackendProtocol }),
	textParam("VpcIds", printableText(1024), "a comma-separated list of VPC ids", func(c *ListenerConfig) *string { return &c.VpcIDs }),
	{name: "ProxyProtocolV2Enabled", set: func(c *ListenerConfig, v string) (err error) {
		c.ProxyProtocolV2Enabled, err = boolean("ProxyProtocolV2Enabled", v)
		return err
	}},
}

var headerNamePattern = regexp.MustCompile(`^[A-Za-z0-9_\-]{1,40}$`)

func headerName(v string) bool { return headerNamePattern.MatchString(v) }

// defaultListenerConfig is a new listener's configuration before its
// parameters: the values Describe echoes for parameters never sent, those
// Terraform's schema defaults to, so that its second plan is empty
// (docs/choices.md, "Load balancers, listeners and certificates in use (CLB)":
// Values).
func defaultListenerConfig(protocol string) ListenerConfig {
	c := ListenerConfig{
		Bandwidth: -1, Scheduler: "wrr",
		StickySession: "off",
		HealthCheck:   "on", HealthCheckURI: "/", HealthyThreshold: 3, UnhealthyThreshold: 3,
		HealthCheckTimeout: 5, HealthCheckInterval: 2, HealthCheckHTTPCode: "http_2xx", HealthCheckMethod: "head",
		Gzip: "on", IdleTimeout: 15, RequestTimeout: 60, BackendProtocol: "http",
		XForwardedFor: "on", XForwardedForSLBIP: "off", XForwardedForSLBID: "off", XForwardedForProto: "off",
		XForwardedForSLBPort: "off", XForwardedForClientSrcPort: "off",
		AclStatus: "off",
		Tags:      []slbcert.Tag{},
	}
	if protocol == ProtocolHTTPS {
		c.EnableHTTP2 = "on"
		c.XForwardedForClientCertSubjectDN, c.XForwardedForClientCertIssuerDN = "off", "off"
		c.XForwardedForClientCertFingerprint, c.XForwardedForClientCertClientVerify = "off", "off"
	} else {
		c.ListenerForward = "off"
	}
	return c
}

// applyListenerParams reads every parameter given (not empty) that applies
// to the protocol into c, stopping at the first invalid one.
func applyListenerParams(c *ListenerConfig, protocol string, in Params) error {
	for _, p := range listenerParams {
		if p.only != "" && p.only != protocol {
			continue
		}
		if v := in.Get(p.name); v != "" {
			if err := p.set(c, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkListenerConfig checks what must hold together once the parameters
// are read, for Create and Set alike (Set sees the stored values too).
func checkListenerConfig(l *Listener) error {
	c := &l.Config
	if c.StickySession == "on" && !l.Forwarding() {
		switch c.StickySessionType {
		case "":
			return slbcert.MissingParameter("StickySessionType")
		case "insert":
			if c.CookieTimeout == 0 {
				return slbcert.MissingParameter("CookieTimeout")
			}
		case "server":
			if c.Cookie == "" {
				return slbcert.MissingParameter("Cookie")
			}
		}
	}
	if c.AclStatus == "on" {
		if c.AclIDs == "" {
			return slbcert.MissingParameter("AclId")
		}
		if c.AclType == "" {
			return slbcert.MissingParameter("AclType")
		}
	}
	if l.Forwarding() && c.ForwardPort == 0 {
		return slbcert.MissingParameter("ForwardPort")
	}
	return nil
}
