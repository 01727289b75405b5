package slb

import (
	"regexp"
	"strings"
	"unicode"

	"slbcert"
)

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

var headerNamePattern = regexp.MustCompile(`^[A-Za-z0-9_\-]{1,40}$`)

func headerName(v string) bool { return headerNamePattern.MatchString(v) }

const headerNameRule = "a header name of 1 to 40 letters, digits, '-' or '_'"

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

// applyListenerParams reads the configuration parameters of in that apply
// to the protocol into c, in the order of the API's parameter table,
// stopping at the first invalid one. A parameter not given keeps c's value
// (a default on Create, the listener's on Set); one of the other protocol
// is ignored, never refused.
func applyListenerParams(c *ListenerConfig, protocol string, in *HTTPListenerInput) error {
	https, http := protocol == ProtocolHTTPS, protocol == ProtocolHTTP
	r := &configReader{}
	r.bandwidth(in.Bandwidth, &c.Bandwidth)
	r.int("BackendServerPort", in.BackendServerPort, 1, 65535, &c.BackendServerPort)
	r.choice("Scheduler", in.Scheduler, &c.Scheduler, "wrr", "wlc", "rr")
	r.text("Description", in.Description, printableText(256), "at most 256 characters", &c.Description)

	r.flag("StickySession", in.StickySession, &c.StickySession)
	r.choice("StickySessionType", in.StickySessionType, &c.StickySessionType, "insert", "server")
	r.int("CookieTimeout", in.CookieTimeout, 1, 86400, &c.CookieTimeout)
	r.text("Cookie", in.Cookie, cookiePattern.MatchString, "1 to 200 ASCII characters without ',', ';' or spaces, not starting with '$'", &c.Cookie)

	r.flag("HealthCheck", in.HealthCheck, &c.HealthCheck)
	r.choice("HealthCheckType", in.HealthCheckType, &c.HealthCheckType, "tcp", "http")
	r.text("HealthCheckDomain", in.HealthCheckDomain, healthCheckDomainPattern.MatchString, "$_ip, or 1 to 80 letters, digits, '.' or '-'", &c.HealthCheckDomain)
	r.text("HealthCheckURI", in.HealthCheckURI, healthCheckURIPattern.MatchString, "1 to 80 characters starting with '/': letters, digits and -/.%?#&=_~", &c.HealthCheckURI)
	r.healthCheckConnectPort(in.HealthCheckConnectPort, &c.HealthCheckConnectPort)
	r.int("HealthyThreshold", in.HealthyThreshold, 2, 10, &c.HealthyThreshold)
	r.int("UnhealthyThreshold", in.UnhealthyThreshold, 2, 10, &c.UnhealthyThreshold)
	r.int("HealthCheckTimeout", in.HealthCheckTimeout, 1, 300, &c.HealthCheckTimeout)
	r.int("HealthCheckInterval", in.HealthCheckInterval, 1, 50, &c.HealthCheckInterval)
	r.text("HealthCheckHttpCode", in.HealthCheckHTTPCode, httpCodePattern.MatchString, "a comma-separated list of http_2xx, http_3xx, http_4xx, http_5xx", &c.HealthCheckHTTPCode)
	r.choice("HealthCheckMethod", in.HealthCheckMethod, &c.HealthCheckMethod, "head", "get")
	r.choice("HealthCheckHttpVersion", in.HealthCheckHTTPVersion, &c.HealthCheckHTTPVersion, "HTTP1.0", "HTTP1.1")

	r.flag("Gzip", in.Gzip, &c.Gzip)
	if https {
		r.flag("EnableHttp2", in.EnableHTTP2, &c.EnableHTTP2)
	}
	r.int("IdleTimeout", in.IdleTimeout, 1, 60, &c.IdleTimeout)
	r.int("RequestTimeout", in.RequestTimeout, 1, 180, &c.RequestTimeout)
	r.int("MaxConnection", in.MaxConnection, 0, 1000000, &c.MaxConnection)

	r.flag("XForwardedFor", in.XForwardedFor, &c.XForwardedFor)
	r.flag("XForwardedFor_SLBIP", in.XForwardedForSLBIP, &c.XForwardedForSLBIP)
	r.flag("XForwardedFor_SLBID", in.XForwardedForSLBID, &c.XForwardedForSLBID)
	r.flag("XForwardedFor_proto", in.XForwardedForProto, &c.XForwardedForProto)
	r.flag("XForwardedFor_SLBPORT", in.XForwardedForSLBPort, &c.XForwardedForSLBPort)
	r.flag("XForwardedFor_ClientSrcPort", in.XForwardedForClientSrcPort, &c.XForwardedForClientSrcPort)
	if https {
		r.flag("XForwardedFor_ClientCertSubjectDN", in.XForwardedForClientCertSubjectDN, &c.XForwardedForClientCertSubjectDN)
		r.flag("XForwardedFor_ClientCertIssuerDN", in.XForwardedForClientCertIssuerDN, &c.XForwardedForClientCertIssuerDN)
		r.flag("XForwardedFor_ClientCertFingerprint", in.XForwardedForClientCertFingerprint, &c.XForwardedForClientCertFingerprint)
		r.flag("XForwardedFor_ClientCertClientVerify", in.XForwardedForClientCertClientVerify, &c.XForwardedForClientCertClientVerify)
		r.text("XForwardedFor_ClientCertSubjectDNAlias", in.XForwardedForClientCertSubjectDNAlias, headerName, headerNameRule, &c.XForwardedForClientCertSubjectDNAlias)
		r.text("XForwardedFor_ClientCertIssuerDNAlias", in.XForwardedForClientCertIssuerDNAlias, headerName, headerNameRule, &c.XForwardedForClientCertIssuerDNAlias)
		r.text("XForwardedFor_ClientCertFingerprintAlias", in.XForwardedForClientCertFingerprintAlias, headerName, headerNameRule, &c.XForwardedForClientCertFingerprintAlias)
		r.text("XForwardedFor_ClientCertClientVerifyAlias", in.XForwardedForClientCertClientVerifyAlias, headerName, headerNameRule, &c.XForwardedForClientCertClientVerifyAlias)
	}

	r.flag("AclStatus", in.AclStatus, &c.AclStatus)
	r.choice("AclType", in.AclType, &c.AclType, "white", "black")
	r.text("AclId", in.AclID, asciiText, "a comma-separated list of ACL ids", &c.AclIDs)

	if http {
		r.flag("ListenerForward", in.ListenerForward, &c.ListenerForward)
		r.int("ForwardPort", in.ForwardPort, 1, 65535, &c.ForwardPort)
		r.forwardCode(in.ForwardCode, &c.ForwardCode)
	}

	r.text("BackendProtocol", in.BackendProtocol, printableText(16), "a protocol name", &c.BackendProtocol)
	r.text("VpcIds", in.VpcIDs, printableText(1024), "a comma-separated list of VPC ids", &c.VpcIDs)
	if r.err == nil && in.ProxyProtocolV2Enabled.Set {
		if r.err = checkBool("ProxyProtocolV2Enabled", in.ProxyProtocolV2Enabled); r.err == nil {
			c.ProxyProtocolV2Enabled = in.ProxyProtocolV2Enabled.Value
		}
	}
	return r.err
}

// configReader reads parameters into a configuration one after the other:
// each reading does nothing once one has failed (err), or when its
// parameter was not given, and writes its field only when it succeeds.
type configReader struct{ err error }

// int reads an integer within [lo, hi]. A "0" where 0 is out of range
// means "not given": clients echo Describe's zeros (CookieTimeout 0 with
// sticky sessions off, ForwardPort 0 without a redirect) back into Set.
func (r *configReader) int(name string, p Param[int], lo, hi int, field *int) {
	if r.err != nil || !p.Set || lo > 0 && echoedZero(p) {
		return
	}
	var n int
	if n, r.err = intIn(name, p, lo, hi); r.err == nil {
		*field = n
	}
}

// echoedZero reports whether p is the text 0, as Describe answers a value
// that is not set.
func echoedZero(p Param[int]) bool { return strings.TrimSpace(p.Raw) == "0" }

// bandwidth reads a listener's Bandwidth: -1 (no limit of its own) or
// 1–5120; 0 means "not given" (see int).
func (r *configReader) bandwidth(p Param[int], field *int) {
	if r.err != nil || !p.Set || echoedZero(p) {
		return
	}
	if strings.TrimSpace(p.Raw) == "-1" {
		*field = -1
		return
	}
	if _, err := intIn("Bandwidth", p, 1, 5120); err != nil {
		r.err = errInvalidValue("Bandwidth", p.Raw, "-1 (unlimited) or an integer from 1 to 5120")
		return
	}
	*field = p.Value
}

// healthCheckConnectPort reads 0–65535, or -520: -520 and 0 mean "the
// backend's port", as Terraform sends them.
func (r *configReader) healthCheckConnectPort(p Param[int], field *int) {
	if r.err != nil || !p.Set {
		return
	}
	if strings.TrimSpace(p.Raw) == "-520" {
		*field = -520
		return
	}
	r.int("HealthCheckConnectPort", p, 0, 65535, field)
}

// forwardCode reads a redirect's status, one of 301, 302, 303, 307 and 308
// as sent; 0 means "not given" (see int).
func (r *configReader) forwardCode(p Param[int], field *int) {
	if r.err != nil || !p.Set || echoedZero(p) {
		return
	}
	if _, r.err = choice("ForwardCode", p.Raw, "301", "302", "303", "307", "308"); r.err == nil {
		*field = p.Value
	}
}

// flag reads an on/off parameter.
func (r *configReader) flag(name, v string, field *string) {
	r.choice(name, v, field, "on", "off")
}

// choice reads one of values, matched case-insensitively and kept in the
// canonical spelling.
func (r *configReader) choice(name, v string, field *string, values ...string) {
	if r.err != nil || v == "" {
		return
	}
	var canonical string
	if canonical, r.err = choice(name, v, values...); r.err == nil {
		*field = canonical
	}
}

// text reads a string that check (nil: any) accepts; rule says what it
// must be.
func (r *configReader) text(name, v string, check func(string) bool, rule string, field *string) {
	if r.err != nil || v == "" {
		return
	}
	if check != nil && !check(v) {
		r.err = errInvalidValue(name, v, rule)
		return
	}
	*field = v
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
