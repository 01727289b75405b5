package slb_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"slbcert"
	"slbcert/internal/testpki"
	"slbcert/slb"
)

// listenerFixture is a service on SQLite with what listeners refer to: a
// performance-guaranteed load balancer (lb) with an HTTPS listener on 443
// and an HTTP one on 80, a shared-resource one, one charged by bandwidth
// (10 Mbit/s), two server certificates, a CA certificate, a VServer group
// of lb and a custom TLS policy.
type listenerFixture struct {
	svc                       *slb.Service
	p                         *slbcert.Principal
	ctx                       context.Context
	lb, shared, byBandwidth   string
	cert, cert2, ca           string
	group, otherGroup, policy string
	acl                       string
}

func newListenerFixture(t *testing.T) *listenerFixture {
	t.Helper()
	svc, _ := newService(t)
	svc.LoadBalancers = svc.Store.(slb.LoadBalancerStore)
	f := &listenerFixture{svc: svc, p: principal(slbcert.DefaultAccountID), ctx: context.Background()}
	newLB := func(in slb.CreateLoadBalancerInput) string {
		in.RegionID = "cn-hangzhou"
		lb, _, err := svc.CreateLoadBalancer(f.ctx, f.p, in)
		if err != nil {
			t.Fatal(err)
		}
		return lb.ID
	}
	f.lb = newLB(slb.CreateLoadBalancerInput{LoadBalancerSpec: "slb.s2.small"})
	f.shared = newLB(slb.CreateLoadBalancerInput{})
	f.byBandwidth = newLB(slb.CreateLoadBalancerInput{LoadBalancerSpec: "slb.s2.small", InternetChargeType: "paybybandwidth", Bandwidth: slb.ParseInt("10")})
	for _, id := range []*string{&f.cert, &f.cert2} {
		c, err := svc.UploadServerCertificate(f.ctx, f.p, upload("cn-hangzhou"))
		if err != nil {
			t.Fatal(err)
		}
		*id = c.ID
	}
	root := testpki.NewRoot("listener root", testpki.Key("p256"))
	ca, err := svc.UploadCACertificate(f.ctx, f.p, slb.UploadCACertificateInput{RegionID: "cn-hangzhou", CACertificate: testpki.ChainPEM(root.Cert)})
	if err != nil {
		t.Fatal(err)
	}
	f.ca = ca.ID
	for _, g := range []struct {
		id *string
		lb string
	}{{&f.group, f.lb}, {&f.otherGroup, f.shared}} {
		group, err := svc.CreateVServerGroup(f.ctx, f.p, slb.CreateVServerGroupInput{RegionID: "cn-hangzhou", LoadBalancerID: g.lb, VServerGroupName: "g"})
		if err != nil {
			t.Fatal(err)
		}
		*g.id = group.ID
	}
	pol, err := svc.CreateTLSCipherPolicy(f.ctx, f.p, slb.CreateTLSCipherPolicyInput{RegionID: "cn-hangzhou", Name: "strict",
		TLSVersions: []string{"TLSv1.2"}, Ciphers: []string{"ECDHE-RSA-AES128-GCM-SHA256"}})
	if err != nil {
		t.Fatal(err)
	}
	f.policy = pol.ID
	acl, err := svc.CreateACL(f.ctx, f.p, slb.CreateAccessControlListInput{RegionID: "cn-hangzhou", AclName: "office"})
	if err != nil {
		t.Fatal(err)
	}
	f.acl = acl.ID
	f.mustCreate(t, slb.ProtocolHTTPS, f.https(443))
	f.mustCreate(t, slb.ProtocolHTTP, f.http(80))
	return f
}

// https is a valid CreateLoadBalancerHTTPSListener request on lb.
func (f *listenerFixture) https(port int, edit ...func(*slb.HTTPListenerInput)) slb.HTTPListenerInput {
	in := slb.HTTPListenerInput{LoadBalancerID: f.lb, ListenerPort: slb.ParseInt(itoa(port)),
		BackendServerPort: slb.ParseInt("80"), ServerCertificateID: f.cert}
	for _, e := range edit {
		e(&in)
	}
	return in
}

// http is a valid CreateLoadBalancerHTTPListener request on lb.
func (f *listenerFixture) http(port int, edit ...func(*slb.HTTPListenerInput)) slb.HTTPListenerInput {
	in := slb.HTTPListenerInput{LoadBalancerID: f.lb, ListenerPort: slb.ParseInt(itoa(port)), BackendServerPort: slb.ParseInt("80")}
	for _, e := range edit {
		e(&in)
	}
	return in
}

func (f *listenerFixture) mustCreate(t *testing.T, protocol string, in slb.HTTPListenerInput) {
	t.Helper()
	if err := f.svc.CreateListener(f.ctx, f.p, protocol, in); err != nil {
		t.Fatalf("create %s listener: %v", protocol, err)
	}
}

func (f *listenerFixture) describe(t *testing.T, protocol, lb string, port int) *slb.Listener {
	t.Helper()
	l, err := f.svc.DescribeListener(f.ctx, f.p, protocol, slb.ListenerInput{LoadBalancerID: lb, ListenerPort: slb.ParseInt(itoa(port))})
	if err != nil {
		t.Fatalf("describe %s listener %s:%d: %v", protocol, lb, port, err)
	}
	return l
}

// status is the HTTP status err is answered with, as far as the product
// decides it (the gateway's own codes are not SLB's to say).
func status(err error) int {
	var e *slbcert.Error
	switch {
	case err == nil:
		return http.StatusOK
	case !errors.As(err, &e):
		return http.StatusInternalServerError
	case e.HTTPStatus != 0:
		return e.HTTPStatus
	case slb.Statuses[e.Code] != 0:
		return slb.Statuses[e.Code]
	}
	return http.StatusBadRequest
}

// errCase is the expected outcome of a rule: its code ("" for success),
// its HTTP status (0: whatever the code's is) and a part of its message.
type errCase struct {
	code    string
	status  int
	message string
}

func (want errCase) check(t *testing.T, err error) {
	t.Helper()
	if code(err) != want.code {
		t.Fatalf("code %q (%v), want %q", code(err), err, want.code)
	}
	if want.status != 0 && status(err) != want.status {
		t.Errorf("status %d, want %d", status(err), want.status)
	}
	if err != nil && !strings.Contains(err.Error(), want.message) {
		t.Errorf("message %q does not contain %q", err.Error(), want.message)
	}
}

func ok() errCase { return errCase{} }

func invalid(message string) errCase {
	return errCase{code: slbcert.EInvalidParameter, status: http.StatusBadRequest, message: message}
}

func missing(param string) errCase {
	return errCase{code: slbcert.EMissingParameter, status: http.StatusBadRequest, message: param}
}

func TestCreateListener(t *testing.T) {
	f := newListenerFixture(t)
	port := 1000
	for _, tc := range []struct {
		name     string
		protocol string
		edit     func(f *listenerFixture, in *slb.HTTPListenerInput)
		want     errCase
		// check, on success, looks at the listener created.
		check func(t *testing.T, l *slb.Listener)
	}{
		{"ok/https with the defaults", slb.ProtocolHTTPS, nil, ok(), func(t *testing.T, l *slb.Listener) {
			c := l.Config
			if l.Status != slb.ListenerStopped || l.TLSCipherPolicy != slb.DefaultTLSCipherPolicy || c.Bandwidth != -1 || c.Scheduler != "wrr" ||
				c.HealthCheckURI != "/" || c.HealthyThreshold != 3 || c.EnableHTTP2 != "on" || c.XForwardedFor != "on" || c.BackendServerPort != 80 {
				t.Errorf("listener %+v", l)
			}
		}},
		{"ok/http redirect answers 301 by default", slb.ProtocolHTTP, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.BackendServerPort, in.ListenerForward, in.ForwardPort = slb.Param[int]{}, "on", slb.ParseInt("443")
		}, ok(), func(t *testing.T, l *slb.Listener) {
			if !l.Forwarding() || l.Config.ForwardPort != 443 || l.Config.ForwardCode != 301 {
				t.Errorf("redirect %+v", l.Config)
			}
		}},
		{"ok/a 0 where 0 is out of range is not given", slb.ProtocolHTTP, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.CookieTimeout, in.ForwardPort, in.ForwardCode, in.Bandwidth = slb.ParseInt("0"), slb.ParseInt(" 0"), slb.ParseInt("0"), slb.ParseInt("0")
		}, ok(), func(t *testing.T, l *slb.Listener) {
			if c := l.Config; c.CookieTimeout != 0 || c.ForwardPort != 0 || c.ForwardCode != 0 || c.Bandwidth != -1 {
				t.Errorf("config %+v", c)
			}
		}},
		{"ok/integers may carry spaces, enumerations any case", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.IdleTimeout, in.Scheduler, in.StickySession, in.StickySessionType, in.CookieTimeout = slb.ParseInt(" 30 "), "WLC", "ON", "Insert", slb.ParseInt("100")
			in.HealthCheckConnectPort, in.Bandwidth = slb.ParseInt("-520"), slb.ParseInt("-1")
		}, ok(), func(t *testing.T, l *slb.Listener) {
			c := l.Config
			if c.IdleTimeout != 30 || c.Scheduler != "wlc" || c.StickySession != "on" || c.StickySessionType != "insert" || c.CookieTimeout != 100 ||
				c.HealthCheckConnectPort != -520 || c.Bandwidth != -1 {
				t.Errorf("config %+v", c)
			}
		}},
		{"ok/a parameter of the other protocol is ignored", slb.ProtocolHTTP, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.EnableHTTP2, in.XForwardedForClientCertSubjectDN, in.ServerCertificateID, in.TLSCipherPolicy = "bogus", "bogus", "nope", "bogus"
		}, ok(), func(t *testing.T, l *slb.Listener) {
			if l.Config.EnableHTTP2 != "" || l.ServerCertificateID != "" || l.TLSCipherPolicy != "" {
				t.Errorf("listener %+v", l)
			}
		}},
		{"ok/https ignores redirects", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.ListenerForward, in.ForwardPort, in.ForwardCode = "bogus", slb.ParseInt("x"), slb.ParseInt("999")
		}, ok(), func(t *testing.T, l *slb.Listener) {
			if l.Forwarding() || l.Config.ForwardCode != 0 {
				t.Errorf("config %+v", l.Config)
			}
		}},
		{"ok/the SDK-only certificate list", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.ServerCertificateID = ""
			in.ServerCertificates = []slb.ServerCertificateBinding{{CertificateID: f.ca, BindingType: "Ca"}, {CertificateID: f.cert2, BindingType: "Server"}}
		}, ok(), func(t *testing.T, l *slb.Listener) {
			if l.ServerCertificateID != f.cert2 || l.CACertificateID != f.ca {
				t.Errorf("certificates %q %q", l.ServerCertificateID, l.CACertificateID)
			}
		}},
		{"ok/a VServer group stands for BackendServerPort", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.BackendServerPort, in.VServerGroupID = slb.Param[int]{}, f.group
		}, ok(), func(t *testing.T, l *slb.Listener) {
			if l.VServerGroupID != f.group {
				t.Errorf("group %q", l.VServerGroupID)
			}
		}},
		{"ok/a custom TLS policy", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.TLSCipherPolicy = f.policy }, ok(),
			func(t *testing.T, l *slb.Listener) {
				if l.TLSCipherPolicy != f.policy {
					t.Errorf("policy %q", l.TLSCipherPolicy)
				}
			}},

		{"error/unknown region", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.RegionID, in.LoadBalancerID = "xx-nowhere-1", ""
		},
			errCase{code: slbcert.ERegionNotFound}, nil},
		{"error/no load balancer", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.LoadBalancerID, in.ListenerPort = "", slb.ParseInt("x")
		},
			missing("LoadBalancerId"), nil},
		{"error/unknown load balancer", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.LoadBalancerID = "lb-nope" },
			errCase{code: slb.ELoadBalancerNotFound, status: http.StatusNotFound, message: slb.MsgResourceNotExist}, nil},
		{"error/load balancer of another region", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.RegionID = "cn-shanghai" },
			errCase{code: slb.ELoadBalancerNotFound, status: http.StatusNotFound}, nil},
		{"error/no port", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.ListenerPort = slb.ParseInt("") },
			missing("ListenerPort"), nil},
		{"error/port not a number", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.ListenerPort = slb.ParseInt("x") },
			invalid(`The specified ListenerPort "x" is invalid: an integer from 1 to 65535.`), nil},
		{"error/port with spaces", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.ListenerPort = slb.ParseInt(" 8443") },
			invalid(`ListenerPort " 8443"`), nil},
		{"error/port out of range", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.ListenerPort = slb.ParseInt("65536") },
			invalid(`ListenerPort "65536"`), nil},
		{"error/port taken, whatever the protocol", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.ListenerPort = slb.ParseInt("80") },
			errCase{code: slb.EListenerAlreadyExists, status: http.StatusBadRequest}, nil},
		{"error/the port before the configuration", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.ListenerPort, in.Bandwidth = slb.ParseInt("x"), slb.ParseInt("x")
		}, invalid("ListenerPort"), nil},
		{"error/bandwidth not a number", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.Bandwidth = slb.ParseInt("ten") },
			invalid(`The specified Bandwidth "ten" is invalid: -1 (unlimited) or an integer from 1 to 5120.`), nil},
		{"error/bandwidth over the limit", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.Bandwidth = slb.ParseInt("5121") },
			invalid(`Bandwidth "5121"`), nil},
		{"error/the first invalid parameter of the table answers", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.ProxyProtocolV2Enabled, in.IdleTimeout, in.Scheduler = slb.ParseBool("maybe"), slb.ParseInt("61"), "fastest"
		}, invalid(`Scheduler "fastest"`), nil},
		{"error/a malformed integer where a range error would be", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.HealthyThreshold, in.UnhealthyThreshold = slb.ParseInt("3x"), slb.ParseInt("11")
		}, invalid(`The specified HealthyThreshold "3x" is invalid: an integer from 2 to 10.`), nil},
		{"error/health-check port", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.HealthCheckConnectPort = slb.ParseInt("-1") },
			invalid(`HealthCheckConnectPort "-1"`), nil},
		{"error/forward code as sent", slb.ProtocolHTTP, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.ForwardCode = slb.ParseInt(" 301") },
			invalid(`The specified ForwardCode " 301" is invalid: one of 301, 302, 303, 307, 308.`), nil},
		{"error/proxy protocol flag", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.ProxyProtocolV2Enabled = slb.ParseBool("yes") },
			invalid(`ProxyProtocolV2Enabled "yes" is invalid: true or false`), nil},
		{"error/header alias", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.XForwardedForClientCertSubjectDNAlias = "a b" },
			invalid("XForwardedFor_ClientCertSubjectDNAlias"), nil},
		{"error/configuration before tags", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.Gzip, in.Tags = "maybe", []slbcert.Tag{{Value: "v"}}
		}, invalid("Gzip"), nil},
		{"error/tags before references", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.Tags, in.ServerCertificateID = []slbcert.Tag{{Value: "v"}}, "nope"
		}, errCase{code: slbcert.EMissingTagKey}, nil},
		{"error/no certificate", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.ServerCertificateID = "" },
			invalid("The specified parameter ServerCertificateId is empty."), nil},
		{"error/unknown certificate", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.ServerCertificateID = "1000000000000001_nope" },
			invalid("does not exist in region cn-hangzhou"), nil},
		{"error/a CA as the server certificate", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.ServerCertificateID = f.ca },
			invalid("The specified parameter ServerCertificateId is not Support"), nil},
		{"error/a server certificate as the CA", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.CACertificateID = f.cert2 },
			invalid("The specified parameter CACertificateId is not Support"), nil},
		{"error/unknown built-in policy", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.TLSCipherPolicy = "tls_cipher_policy_9" },
			invalid("TLSCipherPolicy"), nil},
		{"error/unknown custom policy", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.TLSCipherPolicy = "tls-nope" },
			errCase{code: slb.ETLSCipherPolicyNotFound}, nil},
		{"error/a shared instance keeps the default policy", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.LoadBalancerID, in.TLSCipherPolicy = f.shared, "tls_cipher_policy_1_2"
		}, errCase{code: slb.ESharedInstanceNotSupport}, nil},
		{"error/VServer group of another load balancer", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.VServerGroupID = f.otherGroup },
			errCase{code: slbcert.EInvalidParameter, status: http.StatusNotFound, message: slb.MsgVServerGroupNotExist}, nil},
		{"error/both group kinds", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.VServerGroupID, in.MasterSlaveServerGroupID = "rsp-nope", "rsp-x"
		}, errCase{code: slb.EGroupKindsMissMatch}, nil},
		{"error/a master-slave group", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.MasterSlaveServerGroupID = "rsp-x" },
			errCase{code: slbcert.EInvalidParameter, status: http.StatusNotFound, message: "The specified MasterSlaveGroupId does not exist."}, nil},
		{"error/no backend", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.BackendServerPort = slb.ParseInt("0") },
			missing("BackendServerPort"), nil},
		{"error/sticky without type", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.StickySession = "on" },
			missing("StickySessionType"), nil},
		{"error/insert without timeout", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.StickySession, in.StickySessionType = "on", "insert"
		}, missing("CookieTimeout"), nil},
		{"error/server without cookie", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.StickySession, in.StickySessionType = "on", "server"
		}, missing("Cookie"), nil},
		{"error/acl without id", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.AclStatus, in.AclType = "on", "white" },
			missing("AclId"), nil},
		{"error/acl without type", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.AclStatus, in.AclID = "on", f.acl },
			missing("AclType"), nil},
		{"error/an unknown acl", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.AclStatus, in.AclType, in.AclID = "on", "white", "acl-nope"
		}, errCase{code: slb.EACLNotExist}, nil},
		{"error/redirect without a port", slb.ProtocolHTTP, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.ListenerForward = "on" },
			missing("ForwardPort"), nil},
		{"error/redirect to no HTTPS listener", slb.ProtocolHTTP, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.ListenerForward, in.ForwardPort = "on", slb.ParseInt("80")
		}, invalid("The specified ForwardPort 80 is not an HTTPS listener"), nil},
		{"error/more bandwidth than the instance's", slb.ProtocolHTTPS, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.LoadBalancerID, in.Bandwidth = f.byBandwidth, slb.ParseInt("11")
		}, invalid("11 Mbps is more than the load balancer's 10"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			port++
			in := f.http(port)
			if tc.protocol == slb.ProtocolHTTPS {
				in = f.https(port)
			}
			if tc.edit != nil {
				tc.edit(f, &in)
			}
			err := f.svc.CreateListener(f.ctx, f.p, tc.protocol, in)
			tc.want.check(t, err)
			if err != nil {
				// Nothing was created.
				if _, err := f.svc.DescribeListener(f.ctx, f.p, tc.protocol, slb.ListenerInput{LoadBalancerID: f.lb, ListenerPort: slb.ParseInt(itoa(port))}); err == nil {
					t.Error("a refused create left a listener")
				}
				return
			}
			if tc.check != nil {
				tc.check(t, f.describe(t, tc.protocol, in.LoadBalancerID, port))
			}
		})
	}
}

func TestCreateListenerQuota(t *testing.T) {
	f := newListenerFixture(t)
	f.p.Account.Quotas = map[string]int{slb.QuotaListeners: 2} // lb has 443 and 80
	err := f.svc.CreateListener(f.ctx, f.p, slb.ProtocolHTTP, f.http(81))
	errCase{code: slb.EListenerNumberOverLimit}.check(t, err)
}

func TestSetListener(t *testing.T) {
	f := newListenerFixture(t)
	for _, tc := range []struct {
		name     string
		protocol string
		port     int
		edit     func(f *listenerFixture, in *slb.HTTPListenerInput)
		want     errCase
		// change, on success, is what the call changed on the listener
		// as it was; everything else must stay.
		change func(f *listenerFixture, l *slb.Listener)
	}{
		{"ok/nothing given changes nothing", slb.ProtocolHTTPS, 443, nil, ok(), nil},
		{"ok/an echo of Describe's zeros changes nothing", slb.ProtocolHTTP, 80, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.CookieTimeout, in.ForwardPort, in.ForwardCode, in.Bandwidth, in.BackendServerPort = slb.ParseInt("0"), slb.ParseInt("0"), slb.ParseInt("0"), slb.ParseInt("0"), slb.ParseInt("0")
			in.Description, in.HealthCheckURI = "", ""
		}, ok(), nil},
		{"ok/one parameter changes one field", slb.ProtocolHTTPS, 443, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.Description = "front" }, ok(),
			func(f *listenerFixture, l *slb.Listener) { l.Config.Description = "front" }},
		{"ok/integers and enumerations", slb.ProtocolHTTPS, 443, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.HealthyThreshold, in.HealthCheckMethod, in.EnableHTTP2 = slb.ParseInt("5"), "GET", "off"
		}, ok(), func(f *listenerFixture, l *slb.Listener) {
			l.Config.HealthyThreshold, l.Config.HealthCheckMethod, l.Config.EnableHTTP2 = 5, "get", "off"
		}},
		{"ok/a certificate swap", slb.ProtocolHTTPS, 443, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.ServerCertificateID = f.cert2 }, ok(),
			func(f *listenerFixture, l *slb.Listener) { l.ServerCertificateID = f.cert2 }},
		{"ok/to a VServer group", slb.ProtocolHTTP, 80, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.VServerGroup, in.VServerGroupID = "on", f.group
		}, ok(),
			func(f *listenerFixture, l *slb.Listener) { l.VServerGroupID = f.group }},
		{"ok/back to the default server list", slb.ProtocolHTTP, 80, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.VServerGroup = "off" }, ok(),
			func(f *listenerFixture, l *slb.Listener) { l.VServerGroupID = "" }},
		{"ok/parameters of the other protocol are ignored", slb.ProtocolHTTP, 80, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.ServerCertificateID, in.EnableHTTP2, in.TLSCipherPolicy = "nope", "bogus", "bogus"
		}, ok(), nil},

		{"error/no port", slb.ProtocolHTTPS, 443, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.ListenerPort = slb.Param[int]{} },
			missing("ListenerPort"), nil},
		{"error/no such listener", slb.ProtocolHTTPS, 444, nil, invalid(slb.MsgResourceNotExist), nil},
		{"error/a missing listener before its parameters", slb.ProtocolHTTPS, 444, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.HealthyThreshold = slb.ParseInt("11")
		}, invalid(slb.MsgResourceNotExist), nil},
		{"error/the other protocol", slb.ProtocolHTTP, 443, nil, errCase{code: slb.EUnsupportedProtocolPort}, nil},
		{"error/references before the listener", slb.ProtocolHTTPS, 444, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.ServerCertificateID = "1000000000000001_nope"
		}, invalid("does not exist in region"), nil},
		{"error/a value out of range", slb.ProtocolHTTPS, 443, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.Description, in.HealthyThreshold = "changed", slb.ParseInt("11")
		}, invalid(`HealthyThreshold "11"`), nil},
		{"error/a malformed integer", slb.ProtocolHTTPS, 443, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.RequestTimeout = slb.ParseInt("1m") },
			invalid(`RequestTimeout "1m"`), nil},
		{"error/VServerGroup on without an id", slb.ProtocolHTTP, 80, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.VServerGroup = "on" },
			missing("VServerGroupId"), nil},
		{"error/VServerGroup neither on nor off", slb.ProtocolHTTP, 80, func(f *listenerFixture, in *slb.HTTPListenerInput) { in.VServerGroup = "yes" },
			invalid("VServerGroup"), nil},
		{"error/the stored configuration is checked with the new", slb.ProtocolHTTPS, 443, func(f *listenerFixture, in *slb.HTTPListenerInput) {
			in.StickySession = "on"
		}, missing("StickySessionType"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.describe(t, slb.ProtocolHTTPS, f.lb, 443) // also for port 444, which is not there
			if tc.port == 80 {
				before = f.describe(t, slb.ProtocolHTTP, f.lb, 80)
			}
			in := slb.HTTPListenerInput{LoadBalancerID: f.lb, ListenerPort: slb.ParseInt(itoa(tc.port))}
			if tc.edit != nil {
				tc.edit(f, &in)
			}
			tc.want.check(t, f.svc.SetListener(f.ctx, f.p, tc.protocol, in))
			want := *before
			if tc.want.code == "" && tc.change != nil {
				tc.change(f, &want)
			}
			after := f.describe(t, before.Protocol, f.lb, before.Port)
			if !sameListener(after, &want) {
				t.Errorf("listener\n%+v\nwant\n%+v", after, &want)
			}
		})
	}
}

// sameListener compares what Set may change.
func sameListener(a, b *slb.Listener) bool {
	return reflect.DeepEqual(a.Config, b.Config) && a.ServerCertificateID == b.ServerCertificateID && a.CACertificateID == b.CACertificateID &&
		a.VServerGroupID == b.VServerGroupID && a.TLSCipherPolicy == b.TLSCipherPolicy && a.Status == b.Status
}

func TestDescribeListener(t *testing.T) {
	f := newListenerFixture(t)
	for _, tc := range []struct {
		name     string
		protocol string
		in       slb.ListenerInput
		want     errCase
	}{
		{"ok/https", slb.ProtocolHTTPS, slb.ListenerInput{LoadBalancerID: f.lb, ListenerPort: slb.ParseInt("443")}, ok()},
		{"ok/region given", slb.ProtocolHTTP, slb.ListenerInput{RegionID: "cn-hangzhou", LoadBalancerID: f.lb, ListenerPort: slb.ParseInt("80")}, ok()},
		{"error/no port", slb.ProtocolHTTPS, slb.ListenerInput{LoadBalancerID: f.lb}, missing("ListenerPort")},
		{"error/malformed port", slb.ProtocolHTTPS, slb.ListenerInput{LoadBalancerID: f.lb, ListenerPort: slb.ParseInt("443x")}, invalid(`ListenerPort "443x"`)},
		{"error/the load balancer before the port", slb.ProtocolHTTPS, slb.ListenerInput{LoadBalancerID: "lb-nope", ListenerPort: slb.ParseInt("x")},
			errCase{code: slb.ELoadBalancerNotFound, status: http.StatusNotFound}},
		{"error/missing", slb.ProtocolHTTPS, slb.ListenerInput{LoadBalancerID: f.lb, ListenerPort: slb.ParseInt("444")}, invalid(slb.MsgResourceNotExist)},
		{"error/the other protocol", slb.ProtocolHTTPS, slb.ListenerInput{LoadBalancerID: f.lb, ListenerPort: slb.ParseInt("80")}, invalid(slb.MsgResourceNotExist)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.DescribeListener(f.ctx, f.p, tc.protocol, tc.in)
			tc.want.check(t, err)
		})
	}
}

func TestListenerStatusAndDelete(t *testing.T) {
	f := newListenerFixture(t)
	notFound := errCase{code: slb.EListenerNotFound, status: http.StatusNotFound, message: slb.MsgResourceNotExist}
	target := func(port, protocol string) slb.ListenerInput {
		return slb.ListenerInput{LoadBalancerID: f.lb, ListenerPort: slb.ParseInt(port), ListenerProtocol: protocol}
	}
	start := func(in slb.ListenerInput) error { return f.svc.SetListenerStatus(f.ctx, f.p, in, slb.ListenerRunning) }
	stop := func(in slb.ListenerInput) error { return f.svc.SetListenerStatus(f.ctx, f.p, in, slb.ListenerStopped) }
	del := func(in slb.ListenerInput) error { return f.svc.DeleteListener(f.ctx, f.p, in) }
	for _, tc := range []struct {
		name   string
		op     func(slb.ListenerInput) error
		in     slb.ListenerInput
		want   errCase
		status string // of the HTTPS listener on 443 afterwards; "" when gone
	}{
		{"ok/start", start, target("443", ""), ok(), slb.ListenerRunning},
		{"ok/start a running listener", start, target("443", "https"), ok(), slb.ListenerRunning},
		{"ok/stop, the protocol in any case", stop, target("443", "HTTPS"), ok(), slb.ListenerStopped},
		{"ok/stop a stopped listener", stop, target("443", ""), ok(), slb.ListenerStopped},
		{"error/start without a port", start, target("", ""), missing("ListenerPort"), slb.ListenerStopped},
		{"error/start on a malformed port", start, target("4x3", ""), invalid(`ListenerPort "4x3"`), slb.ListenerStopped},
		{"error/start a missing listener", start, target("444", ""), notFound, slb.ListenerStopped},
		{"error/start with the other protocol", start, target("443", "http"), notFound, slb.ListenerStopped},
		{"error/stop with an unknown protocol", stop, target("443", "quic"), invalid(`ListenerProtocol "quic"`), slb.ListenerStopped},
		{"error/the port before the protocol", stop, target("x", "quic"), invalid("ListenerPort"), slb.ListenerStopped},
		{"error/start on an unknown load balancer", start, slb.ListenerInput{LoadBalancerID: "lb-nope", ListenerPort: slb.ParseInt("x")},
			errCase{code: slb.ELoadBalancerNotFound, status: http.StatusNotFound}, slb.ListenerStopped},
		{"error/delete with the other protocol", del, target("443", "tcp"), notFound, slb.ListenerStopped},
		{"error/delete a missing listener", del, target("444", ""), notFound, slb.ListenerStopped},
		{"error/delete without a port", del, target("", "https"), missing("ListenerPort"), slb.ListenerStopped},
		{"ok/delete", del, target("443", "https"), ok(), ""},
		{"error/delete again", del, target("443", ""), notFound, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.want.check(t, tc.op(tc.in))
			l, err := f.svc.DescribeListener(f.ctx, f.p, slb.ProtocolHTTPS, target("443", ""))
			switch {
			case tc.status == "" && err == nil:
				t.Error("the listener is still there")
			case tc.status != "" && (err != nil || l.Status != tc.status):
				t.Errorf("listener %+v %v, want %s", l, err, tc.status)
			}
		})
	}
}
