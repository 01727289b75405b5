package slbdataplane

import (
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"slbcert/dataplane"
	"slbcert/keyring"
	"slbcert/localnet"
	"slbcert/slb"
)

// Instances maps an account's backend server ids (i-…, eni-…, eci-…) to
// the IP addresses traffic for them goes to: the server's --instances
// file, else the account's ECS instances.
type Instances interface {
	InstanceIP(accountID, serverID string) (ip string, ok bool)
}

// Translation is what turning a snapshot into a data plane Config needs
// besides the snapshot.
type Translation struct {
	// Keyring opens the sealed private keys, in memory only.
	Keyring *keyring.Keyring
	// PortOffset is added to every port bound: ListenerPort, and the
	// ForwardPort a redirect sends clients to (--lb-port-offset;
	// docs/choices.md, "Data plane (listeners that serve)": wired to the API).
	PortOffset int
	// Instances resolves backends given without a ServerIp; nil knows none.
	Instances Instances
}

// ListenerID names a listener in the data plane, its metrics and its logs: the
// listener's resource name in tags and RAM,
// {LoadBalancerId}_{protocol}_{ListenerPort} (docs/choices.md, "Data plane
// (listeners that serve)": wired to the API).
func ListenerID(loadBalancerID, protocol string, port int) string {
	return loadBalancerID + "_" + protocol + "_" + strconv.Itoa(port)
}

// Config turns a snapshot of the store into the data plane's desired state
// (docs/choices.md, "Data plane (listeners that serve)": wired to the API): one
// listener per running listener of an active load balancer — the snapshot holds
// nothing else — bound to the load balancer's Address on ListenerPort +
// PortOffset. What cannot be provided (a key that does not unseal, a custom
// policy Go cannot serve) makes that listener Refused, reported by the data
// plane; it never keeps the others from being served.
func (tr *Translation) Config(snap *slb.DataPlaneSnapshot) dataplane.Config {
	cfg := dataplane.Config{Listeners: []dataplane.Listener{}}
	keys := map[string]keyResult{} // certificates shared by listeners unseal once
	for _, d := range snap.LoadBalancers {
		groups := make(map[string]*slb.VServerGroup, len(d.VServerGroups))
		for _, g := range d.VServerGroups {
			groups[g.ID] = g
		}
		for _, l := range d.Listeners {
			if l.Status != slb.ListenerRunning || (l.Protocol != slb.ProtocolHTTP && l.Protocol != slb.ProtocolHTTPS) {
				continue
			}
			cfg.Listeners = append(cfg.Listeners, tr.listener(snap, d.LoadBalancer, l, groups, keys))
		}
	}
	return cfg
}

// BindAddress is where lb's listeners are bound on this host: a load
// balancer in a vSwitch at its VPC address's local image
// (localnet.Served: 192.168.1.1 at 127.168.1.1), any other at its pool
// address itself (docs/choices.md, "VPC addresses on this machine").
func BindAddress(lb *slb.LoadBalancer) string {
	if lb.VSwitchID == "" || lb.AddressType != "intranet" {
		return lb.Address
	}
	a, err := netip.ParseAddr(lb.Address)
	if err != nil {
		return lb.Address
	}
	return localnet.Served(a).String()
}

type keyResult struct {
	cert    *dataplane.Certificate
	refused string
}

// listener translates one listener.
func (tr *Translation) listener(snap *slb.DataPlaneSnapshot, lb *slb.LoadBalancer, l *slb.Listener,
	groups map[string]*slb.VServerGroup, keys map[string]keyResult) dataplane.Listener {
	c := l.Config
	out := dataplane.Listener{
		ID:             ListenerID(lb.ID, l.Protocol, l.Port),
		LoadBalancerID: lb.ID,
		Address:        lb.Address,
		Bind:           net.JoinHostPort(BindAddress(lb), strconv.Itoa(l.Port+tr.PortOffset)),
		Protocol:       l.Protocol,
		ListenerPort:   l.Port,
		Scheduler:      c.Scheduler,
		Headers: dataplane.ForwardedHeaders{
			SLBIP:         on(c.XForwardedForSLBIP),
			SLBID:         on(c.XForwardedForSLBID),
			Proto:         on(c.XForwardedForProto),
			SLBPort:       on(c.XForwardedForSLBPort),
			ClientSrcPort: on(c.XForwardedForClientSrcPort),
		},
		IdleTimeout:    seconds(c.IdleTimeout),
		RequestTimeout: seconds(c.RequestTimeout),
		Gzip:           on(c.Gzip),
	}
	var refused []string
	refuse := func(why string) { refused = append(refused, why) }

	if l.Forwarding() {
		// Clients must be able to follow the redirect: it names the port
		// where the HTTPS listener is bound, ForwardPort + PortOffset.
		out.RedirectPort = c.ForwardPort + tr.PortOffset
	} else {
		out.Backends = tr.backends(lb, l, groups)
		if on(c.StickySession) {
			out.StickySession = dataplane.StickySession{Type: c.StickySessionType, CookieTimeout: seconds(c.CookieTimeout), Cookie: c.Cookie}
		}
		out.HealthCheck = healthCheck(c)
	}

	if l.Protocol == slb.ProtocolHTTPS {
		out.HTTP2 = on(c.EnableHTTP2)
		cert := func(id string) *dataplane.Certificate {
			r, ok := keys[id]
			if !ok {
				r = tr.certificate(snap, id)
				keys[id] = r
			}
			if r.refused != "" {
				refuse(r.refused)
			}
			return r.cert
		}
		out.Certificate = cert(l.ServerCertificateID)
		for _, e := range l.DomainExtensions {
			if ec := cert(e.ServerCertificateID); ec != nil {
				out.DomainExtensions = append(out.DomainExtensions, dataplane.DomainExtension{Domain: e.Domain, Certificate: *ec})
			}
		}
		if l.CACertificateID != "" {
			// A missing CA must refuse the listener: serving it without
			// the client check would let every client in.
			if ca := snap.Certificates[l.CACertificateID]; ca != nil {
				out.ClientCAs = []byte(ca.CertificatePEM)
			} else {
				refuse("CA certificate " + l.CACertificateID + " is not in the snapshot")
			}
		}
		out.TLSCipherPolicy = l.TLSCipherPolicy
		if p, ok := snap.TLSCipherPolicies[l.TLSCipherPolicy]; ok {
			policy, err := dataplane.CustomPolicy(p.TLSVersions, p.Ciphers)
			if err != nil {
				refuse("TLS cipher policy " + p.ID + ": " + err.Error())
			}
			out.Policy = &policy
		} else if slb.IsCustomTLSCipherPolicy(l.TLSCipherPolicy) {
			refuse("TLS cipher policy " + l.TLSCipherPolicy + " is not in the snapshot")
		}
	}
	out.Refused = strings.Join(refused, "; ")
	return out
}

// certificate returns a certificate of the snapshot with its private key
// unsealed, as the service sealed it (keyring.AAD of its account and id).
func (tr *Translation) certificate(snap *slb.DataPlaneSnapshot, id string) keyResult {
	c := snap.Certificates[id]
	if c == nil {
		return keyResult{refused: "certificate " + id + " is not in the snapshot"}
	}
	key, err := tr.Keyring.Open(c.SealedPrivateKey, keyring.AAD(c.AccountID, c.ID))
	if err != nil {
		// The error names the cause (a master key missing from the
		// keyring); never the key.
		return keyResult{refused: "the private key of certificate " + id + " does not unseal: " + err.Error()}
	}
	return keyResult{cert: &dataplane.Certificate{ID: c.ID, Chain: []byte(c.CertificatePEM), Key: key}}
}

// backends lists a listener's backends: its VServer group's members on
// their ports, or the load balancer's default servers on the listener's
// BackendServerPort. A server's address is its ServerIp, else the instance
// map's; a server with neither has no Address, and the data plane reports
// it abnormal and sends it nothing.
func (tr *Translation) backends(lb *slb.LoadBalancer, l *slb.Listener, groups map[string]*slb.VServerGroup) []dataplane.Backend {
	members := lb.BackendServers
	if l.VServerGroupID != "" {
		members = nil
		if g := groups[l.VServerGroupID]; g != nil {
			members = g.BackendServers
		}
	}
	out := make([]dataplane.Backend, 0, len(members))
	for _, b := range members {
		port := b.Port
		if l.VServerGroupID == "" {
			port = l.Config.BackendServerPort
		}
		ip := b.ServerIP
		if ip == "" && tr.Instances != nil {
			ip, _ = tr.Instances.InstanceIP(lb.AccountID, b.ServerID)
		}
		addr := ""
		if ip != "" && port > 0 {
			addr = net.JoinHostPort(ip, strconv.Itoa(port))
		}
		out = append(out, dataplane.Backend{ServerID: b.ServerID, Address: addr, Weight: b.Weight})
	}
	return out
}

// healthCheck translates the listener's HealthCheck* settings; the data
// plane fills in the defaults of those left zero.
func healthCheck(c slb.ListenerConfig) dataplane.HealthCheck {
	hc := dataplane.HealthCheck{
		Enabled:            on(c.HealthCheck),
		URI:                c.HealthCheckURI,
		Domain:             c.HealthCheckDomain,
		ConnectPort:        c.HealthCheckConnectPort,
		Interval:           seconds(c.HealthCheckInterval),
		Timeout:            seconds(c.HealthCheckTimeout),
		HealthyThreshold:   c.HealthyThreshold,
		UnhealthyThreshold: c.UnhealthyThreshold,
		Method:             c.HealthCheckMethod,
	}
	for _, code := range strings.Split(c.HealthCheckHTTPCode, ",") {
		if code = strings.TrimSpace(code); code != "" {
			hc.HTTPCodes = append(hc.HTTPCodes, code)
		}
	}
	return hc
}

func on(flag string) bool { return flag == "on" }

func seconds(n int) time.Duration { return time.Duration(n) * time.Second }
