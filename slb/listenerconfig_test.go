package slb

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"slbcert"
)

// TestListenerIntegerRanges: each integer of the listener configuration
// takes its bounds and refuses one past them or text that is no integer,
// naming itself; a 0 where 0 is out of range leaves the field alone.
func TestListenerIntegerRanges(t *testing.T) {
	for _, r := range []struct {
		name     string
		protocol string
		param    func(*HTTPListenerInput) *Param[int]
		field    func(*ListenerConfig) int
		lo, hi   int
	}{
		{"BackendServerPort", ProtocolHTTP, func(in *HTTPListenerInput) *Param[int] { return &in.BackendServerPort }, func(c *ListenerConfig) int { return c.BackendServerPort }, 1, 65535},
		{"CookieTimeout", ProtocolHTTP, func(in *HTTPListenerInput) *Param[int] { return &in.CookieTimeout }, func(c *ListenerConfig) int { return c.CookieTimeout }, 1, 86400},
		{"HealthCheckConnectPort", ProtocolHTTPS, func(in *HTTPListenerInput) *Param[int] { return &in.HealthCheckConnectPort }, func(c *ListenerConfig) int { return c.HealthCheckConnectPort }, 0, 65535},
		{"HealthyThreshold", ProtocolHTTP, func(in *HTTPListenerInput) *Param[int] { return &in.HealthyThreshold }, func(c *ListenerConfig) int { return c.HealthyThreshold }, 2, 10},
		{"UnhealthyThreshold", ProtocolHTTPS, func(in *HTTPListenerInput) *Param[int] { return &in.UnhealthyThreshold }, func(c *ListenerConfig) int { return c.UnhealthyThreshold }, 2, 10},
		{"HealthCheckTimeout", ProtocolHTTP, func(in *HTTPListenerInput) *Param[int] { return &in.HealthCheckTimeout }, func(c *ListenerConfig) int { return c.HealthCheckTimeout }, 1, 300},
		{"HealthCheckInterval", ProtocolHTTPS, func(in *HTTPListenerInput) *Param[int] { return &in.HealthCheckInterval }, func(c *ListenerConfig) int { return c.HealthCheckInterval }, 1, 50},
		{"IdleTimeout", ProtocolHTTP, func(in *HTTPListenerInput) *Param[int] { return &in.IdleTimeout }, func(c *ListenerConfig) int { return c.IdleTimeout }, 1, 60},
		{"RequestTimeout", ProtocolHTTPS, func(in *HTTPListenerInput) *Param[int] { return &in.RequestTimeout }, func(c *ListenerConfig) int { return c.RequestTimeout }, 1, 180},
		{"MaxConnection", ProtocolHTTP, func(in *HTTPListenerInput) *Param[int] { return &in.MaxConnection }, func(c *ListenerConfig) int { return c.MaxConnection }, 0, 1000000},
		{"ForwardPort", ProtocolHTTP, func(in *HTTPListenerInput) *Param[int] { return &in.ForwardPort }, func(c *ListenerConfig) int { return c.ForwardPort }, 1, 65535},
	} {
		type value struct {
			text string
			want int // the field afterwards; -9 for an error
		}
		def := r.field(func() *ListenerConfig { c := defaultListenerConfig(r.protocol); return &c }())
		values := []value{{strconv.Itoa(r.lo), r.lo}, {strconv.Itoa(r.hi), r.hi}, {" " + strconv.Itoa(r.hi) + " ", r.hi},
			{strconv.Itoa(r.hi + 1), -9}, {"-1", -9}, {"x", -9}, {"1.5", -9}, {"99999999999999999999", -9}, {"", def}}
		if r.lo > 0 {
			values = append(values, value{"0", def}, value{" 0", def})
		}
		if r.lo > 1 {
			values = append(values, value{strconv.Itoa(r.lo - 1), -9})
		}
		for _, v := range values {
			t.Run(fmt.Sprintf("%s=%q", r.name, v.text), func(t *testing.T) {
				c := defaultListenerConfig(r.protocol)
				in := &HTTPListenerInput{}
				*r.param(in) = ParseInt(v.text)
				err := applyListenerParams(&c, r.protocol, in)
				if v.want == -9 {
					want := fmt.Sprintf("The specified %s %q is invalid: an integer from %d to %d.", r.name, v.text, r.lo, r.hi)
					if slbcert.ErrorCode(err) != slbcert.EInvalidParameter || err.Error() != slbcert.EInvalidParameter+": "+want {
						t.Fatalf("%v, want %s", err, want)
					}
					return
				}
				if err != nil || r.field(&c) != v.want {
					t.Fatalf("%s = %d (%v), want %d", r.name, r.field(&c), err, v.want)
				}
			})
		}
	}
}

// TestListenerParams: the readings that are not plain ranges, and which
// parameter answers when several are wrong.
func TestListenerParams(t *testing.T) {
	for _, tc := range []struct {
		name     string
		protocol string
		in       HTTPListenerInput
		err      string // the message, "" for success
		check    func(c *ListenerConfig) bool
	}{
		{"ok/flags and enumerations take their canonical spelling", ProtocolHTTPS,
			HTTPListenerInput{Gzip: "OFF", HealthCheckType: "HTTP", HealthCheckHTTPVersion: "http1.1", AclType: "Black", EnableHTTP2: "Off"}, "",
			func(c *ListenerConfig) bool {
				return c.Gzip == "off" && c.HealthCheckType == "http" && c.HealthCheckHTTPVersion == "HTTP1.1" && c.AclType == "black" && c.EnableHTTP2 == "off"
			}},
		{"ok/Bandwidth -1", ProtocolHTTP, HTTPListenerInput{Bandwidth: ParseInt(" -1")}, "", func(c *ListenerConfig) bool { return c.Bandwidth == -1 }},
		{"ok/Bandwidth within", ProtocolHTTP, HTTPListenerInput{Bandwidth: ParseInt("5120")}, "", func(c *ListenerConfig) bool { return c.Bandwidth == 5120 }},
		{"ok/HealthCheckConnectPort -520", ProtocolHTTP, HTTPListenerInput{HealthCheckConnectPort: ParseInt("-520")}, "",
			func(c *ListenerConfig) bool { return c.HealthCheckConnectPort == -520 }},
		{"ok/ForwardCode", ProtocolHTTP, HTTPListenerInput{ForwardCode: ParseInt("308")}, "", func(c *ListenerConfig) bool { return c.ForwardCode == 308 }},
		{"ok/ForwardCode 0 is not given", ProtocolHTTP, HTTPListenerInput{ForwardCode: ParseInt("0")}, "", func(c *ListenerConfig) bool { return c.ForwardCode == 0 }},
		{"ok/ProxyProtocolV2Enabled", ProtocolHTTP, HTTPListenerInput{ProxyProtocolV2Enabled: ParseBool("TRUE")}, "",
			func(c *ListenerConfig) bool { return c.ProxyProtocolV2Enabled }},
		{"ok/texts as given", ProtocolHTTPS, HTTPListenerInput{Description: "front door", HealthCheckDomain: "$_ip", HealthCheckURI: "/health?x=1",
			HealthCheckHTTPCode: "http_2xx,http_3xx", Cookie: "SESSION", AclID: "acl-1,acl-2", VpcIDs: "vpc-1",
			XForwardedForClientCertSubjectDNAlias: "X-Client-DN"}, "",
			func(c *ListenerConfig) bool {
				return c.Description == "front door" && c.HealthCheckDomain == "$_ip" && c.HealthCheckURI == "/health?x=1" && c.AclIDs == "acl-1,acl-2" &&
					c.XForwardedForClientCertSubjectDNAlias == "X-Client-DN"
			}},
		{"ok/https ignores the redirect", ProtocolHTTPS, HTTPListenerInput{ListenerForward: "maybe", ForwardPort: ParseInt("x"), ForwardCode: ParseInt("1")}, "",
			func(c *ListenerConfig) bool { return c.ListenerForward == "" }},
		{"ok/http ignores the client certificate", ProtocolHTTP, HTTPListenerInput{EnableHTTP2: "maybe", XForwardedForClientCertFingerprint: "maybe",
			XForwardedForClientCertFingerprintAlias: "a b"}, "", func(c *ListenerConfig) bool { return c.EnableHTTP2 == "" }},

		{"error/Bandwidth", ProtocolHTTP, HTTPListenerInput{Bandwidth: ParseInt("-2")}, `The specified Bandwidth "-2" is invalid: -1 (unlimited) or an integer from 1 to 5120.`, nil},
		{"error/Bandwidth not a number", ProtocolHTTP, HTTPListenerInput{Bandwidth: ParseInt("-1x")}, `The specified Bandwidth "-1x" is invalid: -1 (unlimited) or an integer from 1 to 5120.`, nil},
		{"error/HealthCheckConnectPort", ProtocolHTTP, HTTPListenerInput{HealthCheckConnectPort: ParseInt("-521")}, `The specified HealthCheckConnectPort "-521" is invalid: an integer from 0 to 65535.`, nil},
		{"error/ForwardCode", ProtocolHTTP, HTTPListenerInput{ForwardCode: ParseInt("300")}, `The specified ForwardCode "300" is invalid: one of 301, 302, 303, 307, 308.`, nil},
		{"error/ForwardCode spelt otherwise", ProtocolHTTP, HTTPListenerInput{ForwardCode: ParseInt("+301")}, `The specified ForwardCode "+301" is invalid: one of 301, 302, 303, 307, 308.`, nil},
		{"error/a flag", ProtocolHTTP, HTTPListenerInput{XForwardedForSLBID: "yes"}, `The specified XForwardedFor_SLBID "yes" is invalid: one of on, off.`, nil},
		{"error/an enumeration", ProtocolHTTP, HTTPListenerInput{StickySessionType: "cookie"}, `The specified StickySessionType "cookie" is invalid: one of insert, server.`, nil},
		{"error/ProxyProtocolV2Enabled", ProtocolHTTPS, HTTPListenerInput{ProxyProtocolV2Enabled: ParseBool("on")}, `The specified ProxyProtocolV2Enabled "on" is invalid: true or false.`, nil},
		{"error/HealthCheckURI", ProtocolHTTP, HTTPListenerInput{HealthCheckURI: "health"}, `The specified HealthCheckURI "health" is invalid`, nil},
		{"error/Description", ProtocolHTTP, HTTPListenerInput{Description: strings.Repeat("d", 257)}, `is invalid: at most 256 characters.`, nil},
		{"error/Cookie", ProtocolHTTP, HTTPListenerInput{Cookie: "$x"}, `The specified Cookie "$x" is invalid`, nil},
		{"error/AclId", ProtocolHTTP, HTTPListenerInput{AclID: "acl 1"}, `The specified AclId "acl 1" is invalid: a comma-separated list of ACL ids.`, nil},
		{"error/an alias", ProtocolHTTPS, HTTPListenerInput{XForwardedForClientCertIssuerDNAlias: "X_" + strings.Repeat("a", 40)}, `XForwardedFor_ClientCertIssuerDNAlias`, nil},
		{"error/the table's order: Bandwidth first", ProtocolHTTP, HTTPListenerInput{VpcIDs: "\x01", Scheduler: "x", Bandwidth: ParseInt("x")}, `Bandwidth "x"`, nil},
		{"error/the table's order: Scheduler before Gzip", ProtocolHTTP, HTTPListenerInput{Gzip: "x", Scheduler: "x"}, `Scheduler "x"`, nil},
		{"error/the table's order: headers before the ACL", ProtocolHTTPS, HTTPListenerInput{AclStatus: "x", XForwardedForClientCertClientVerify: "x"}, `XForwardedFor_ClientCertClientVerify "x"`, nil},
		{"error/the table's order: the redirect before BackendProtocol", ProtocolHTTP, HTTPListenerInput{BackendProtocol: strings.Repeat("h", 17), ForwardCode: ParseInt("1")}, `ForwardCode "1"`, nil},
		{"error/the table's order: ProxyProtocolV2Enabled last", ProtocolHTTP, HTTPListenerInput{ProxyProtocolV2Enabled: ParseBool("x"), VpcIDs: strings.Repeat("v", 1025)}, `VpcIds`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := defaultListenerConfig(tc.protocol)
			err := applyListenerParams(&c, tc.protocol, &tc.in)
			if tc.err != "" {
				if slbcert.ErrorCode(err) != slbcert.EInvalidParameter || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("%v, want InvalidParameter %q", err, tc.err)
				}
				return
			}
			if err != nil || !tc.check(&c) {
				t.Fatalf("%v, config %+v", err, c)
			}
		})
	}
}

// TestCheckListenerConfig: what must hold together once the parameters
// are read.
func TestCheckListenerConfig(t *testing.T) {
	for _, tc := range []struct {
		name     string
		protocol string
		edit     func(c *ListenerConfig)
		missing  string // the parameter MissingParameter names; "" for success
	}{
		{"ok/defaults", ProtocolHTTPS, func(c *ListenerConfig) {}, ""},
		{"ok/insert with a timeout", ProtocolHTTP, func(c *ListenerConfig) { c.StickySession, c.StickySessionType, c.CookieTimeout = "on", "insert", 60 }, ""},
		{"ok/server with a cookie", ProtocolHTTP, func(c *ListenerConfig) { c.StickySession, c.StickySessionType, c.Cookie = "on", "server", "S" }, ""},
		{"ok/a redirect needs no session settings", ProtocolHTTP, func(c *ListenerConfig) {
			c.ListenerForward, c.ForwardPort, c.StickySession = "on", 443, "on"
		}, ""},
		{"ok/an ACL with its id and type", ProtocolHTTPS, func(c *ListenerConfig) { c.AclStatus, c.AclIDs, c.AclType = "on", "acl-1", "white" }, ""},
		{"ok/ListenerForward on HTTPS is no redirect", ProtocolHTTPS, func(c *ListenerConfig) { c.ListenerForward = "on" }, ""},
		{"error/sticky without type", ProtocolHTTP, func(c *ListenerConfig) { c.StickySession = "on" }, "StickySessionType"},
		{"error/insert without timeout", ProtocolHTTPS, func(c *ListenerConfig) { c.StickySession, c.StickySessionType = "on", "insert" }, "CookieTimeout"},
		{"error/server without cookie", ProtocolHTTP, func(c *ListenerConfig) { c.StickySession, c.StickySessionType = "on", "server" }, "Cookie"},
		{"error/ACL without id", ProtocolHTTP, func(c *ListenerConfig) { c.AclStatus, c.AclType = "on", "black" }, "AclId"},
		{"error/ACL without type", ProtocolHTTP, func(c *ListenerConfig) { c.AclStatus, c.AclIDs = "on", "acl-1" }, "AclType"},
		{"error/session before ACL", ProtocolHTTP, func(c *ListenerConfig) { c.AclStatus, c.StickySession = "on", "on" }, "StickySessionType"},
		{"error/redirect without port", ProtocolHTTP, func(c *ListenerConfig) { c.ListenerForward = "on" }, "ForwardPort"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := &Listener{Protocol: tc.protocol, Config: defaultListenerConfig(tc.protocol)}
			tc.edit(&l.Config)
			err := checkListenerConfig(l)
			switch {
			case tc.missing == "" && err != nil:
				t.Fatal(err)
			case tc.missing != "" && (slbcert.ErrorCode(err) != slbcert.EMissingParameter || !strings.Contains(err.Error(), tc.missing)):
				t.Fatalf("%v, want MissingParameter %s", err, tc.missing)
			}
		})
	}
}
