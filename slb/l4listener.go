package slb

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"slbcert"
)

// L4ListenerInput is the request of CreateLoadBalancerTCPListener,
// CreateLoadBalancerUDPListener, SetLoadBalancerTCPListenerAttribute and
// SetLoadBalancerUDPListenerAttribute (docs/choices.md, "TCP and UDP
// listeners"). A string "" and an unset Param are "not given": Create then
// takes the default named below, Set keeps the listener's value. A
// parameter of the other protocol, or of HTTP listeners, is ignored.
type L4ListenerInput struct {
	// RegionID is optional: without it the load balancer's own region.
	RegionID       string
	LoadBalancerID string
	// ListenerPort (required) is 1–65535, free in its family on Create.
	ListenerPort Param[int]

	// Bandwidth is -1 (the default: no limit of its own) or 1–5120.
	Bandwidth Param[int]
	// BackendServerPort (1–65535) is the default server list's port;
	// Create requires it unless the listener forwards to a group.
	BackendServerPort Param[int]
	// Scheduler is wrr (the default), rr, wlc, sch or tch, and for UDP qch;
	// the hash schedulers (sch, tch, qch) need a performance-guaranteed
	// instance, and Set never switches between them and the others.
	Scheduler string
	// Description is up to 256 characters.
	Description string
	// PersistenceTimeout (0–3600 s, 0 the default: off) keeps a client's
	// address on its backend.
	PersistenceTimeout Param[int]
	// EstablishedTimeout (TCP, 10–900 s, default 900) closes idle
	// connections.
	EstablishedTimeout Param[int]
	// ConnectionDrain on (default off) lets the connections to a removed
	// or unhealthy backend go on for ConnectionDrainTimeout (10–900 s,
	// required when on).
	ConnectionDrain        string
	ConnectionDrainTimeout Param[int]
	// ProxyProtocolV2Enabled (default false) sends a PROXY v2 header.
	ProxyProtocolV2Enabled Param[bool]

	// HealthCheckSwitch on (the default) probes the backends; HealthCheck,
	// Terraform's spelling, is read as the same switch when it is not
	// given.
	HealthCheckSwitch string
	HealthCheck       string
	// HealthCheckType (TCP) is tcp (the default) or http; the http probe
	// asks HealthCheckURI of HealthCheckDomain with HealthCheckMethod,
	// healthy on HealthCheckHTTPCode.
	HealthCheckType     string
	HealthCheckURI      string
	HealthCheckDomain   string
	HealthCheckHTTPCode string
	HealthCheckMethod   string
	// HealthCheckConnectPort is 0–65535 or -520 (the backend's port);
	// HealthCheckConnectTimeout 1–300 s (default 5); HealthCheckInterval
	// 1–50 s (default 2; the wire reads healthCheckInterval too);
	// HealthyThreshold and UnhealthyThreshold 2–10 (default 3).
	HealthCheckConnectPort    Param[int]
	HealthCheckConnectTimeout Param[int]
	HealthCheckInterval       Param[int]
	HealthyThreshold          Param[int]
	UnhealthyThreshold        Param[int]
	// HealthCheckReq and HealthCheckExp (UDP; healthCheckReq and
	// healthCheckExp on the wire) are a probe's request and the answer
	// expected, 1–64 letters and digits.
	HealthCheckReq string
	HealthCheckExp string

	// AclStatus on (default off) filters clients by the ACLs AclID (a
	// comma list, at most 3) of AclType white or black.
	AclStatus string
	AclType   string
	AclID     string

	// VServerGroup on forwards to VServerGroupID, a VServer group of the
	// same load balancer (off: the default server list);
	// MasterSlaveServerGroup and MasterSlaveServerGroupID name a
	// master-slave group, which are not kept here (every id is unknown).
	VServerGroup             string
	VServerGroupID           string
	MasterSlaveServerGroup   string
	MasterSlaveServerGroupID string

	// Echoed only: SynProxy (TCP, enable or disable), FullNatEnabled,
	// HealthCheckTCPFastCloseEnabled (TCP), MaxConnection, VpcIDs,
	// QuicVersion (UDP).
	SynProxy                       string
	FullNatEnabled                 Param[bool]
	HealthCheckTCPFastCloseEnabled Param[bool]
	MaxConnection                  Param[int]
	VpcIDs                         string
	QuicVersion                    string
	// PortRanges is how many PortRange.N were given: port-range
	// listeners are refused.
	PortRanges int
	// Tags (Tag.N) are set at creation.
	Tags []slbcert.Tag
}

// l4Schedulers are the schedulers of each layer-4 protocol.
var l4Schedulers = map[string][]string{
	ProtocolTCP: {"wrr", "rr", "wlc", "sch", "tch"},
	ProtocolUDP: {"wrr", "rr", "wlc", "sch", "tch", "qch"},
}

func hashScheduler(s string) bool { return s == "sch" || s == "tch" || s == "qch" }

var udpProbePattern = regexp.MustCompile(`^[A-Za-z0-9]{1,64}$`)

// defaultL4Config is a new TCP or UDP listener's configuration before its
// parameters: what Describe echoes for those never sent (Terraform's
// schema defaults).
func defaultL4Config(protocol string) ListenerConfig {
	c := ListenerConfig{Bandwidth: -1, Scheduler: "wrr", ConnectionDrain: "off",
		HealthCheck: "on", HealthCheckURI: "/", HealthCheckHTTPCode: "http_2xx", HealthCheckConnectTimeout: 5,
		HealthCheckInterval: 2, HealthyThreshold: 3, UnhealthyThreshold: 3, AclStatus: "off", Tags: []slbcert.Tag{}}
	if protocol == ProtocolTCP {
		c.EstablishedTimeout, c.HealthCheckType = 900, "tcp"
	}
	return c
}

// applyL4Params reads the parameters of in into c, in the order of the
// API's table, stopping at the first invalid one.
func applyL4Params(c *ListenerConfig, protocol string, in *L4ListenerInput) error {
	tcp := protocol == ProtocolTCP
	r := &configReader{}
	r.bandwidth(in.Bandwidth, &c.Bandwidth)
	r.int("BackendServerPort", in.BackendServerPort, 1, 65535, &c.BackendServerPort)
	r.choice("Scheduler", in.Scheduler, &c.Scheduler, l4Schedulers[protocol]...)
	r.text("Description", in.Description, printableText(256), "at most 256 characters", &c.Description)
	r.int("PersistenceTimeout", in.PersistenceTimeout, 0, 3600, &c.PersistenceTimeout)
	if tcp {
		r.int("EstablishedTimeout", in.EstablishedTimeout, 10, 900, &c.EstablishedTimeout)
	}
	r.flag("ConnectionDrain", in.ConnectionDrain, &c.ConnectionDrain)
	r.int("ConnectionDrainTimeout", in.ConnectionDrainTimeout, 10, 900, &c.ConnectionDrainTimeout)
	r.bool("ProxyProtocolV2Enabled", in.ProxyProtocolV2Enabled, &c.ProxyProtocolV2Enabled)

	healthSwitch := in.HealthCheckSwitch
	if healthSwitch == "" {
		// Terraform's HealthCheck, when it reads as the switch; anything
		// else is its HTTP field's, ignored rather than refused.
		if _, err := flag("HealthCheck", in.HealthCheck); err == nil {
			healthSwitch = in.HealthCheck
		}
	}
	r.flag("HealthCheckSwitch", healthSwitch, &c.HealthCheck)
	if tcp {
		r.choice("HealthCheckType", in.HealthCheckType, &c.HealthCheckType, "tcp", "http")
	} else {
		r.text("HealthCheckType", in.HealthCheckType, printableText(16), "a probe type", &c.HealthCheckType)
	}
	r.text("HealthCheckURI", in.HealthCheckURI, healthCheckURIPattern.MatchString, "1 to 80 characters starting with '/': letters, digits and -/.%?#&=_~", &c.HealthCheckURI)
	r.text("HealthCheckDomain", in.HealthCheckDomain, healthCheckDomainPattern.MatchString, "$_ip, or 1 to 80 letters, digits, '.' or '-'", &c.HealthCheckDomain)
	r.text("HealthCheckHttpCode", in.HealthCheckHTTPCode, httpCodePattern.MatchString, "a comma-separated list of http_2xx, http_3xx, http_4xx, http_5xx", &c.HealthCheckHTTPCode)
	r.choice("HealthCheckMethod", in.HealthCheckMethod, &c.HealthCheckMethod, "head", "get")
	r.healthCheckConnectPort(in.HealthCheckConnectPort, &c.HealthCheckConnectPort)
	r.int("HealthCheckConnectTimeout", in.HealthCheckConnectTimeout, 1, 300, &c.HealthCheckConnectTimeout)
	r.int("HealthCheckInterval", in.HealthCheckInterval, 1, 50, &c.HealthCheckInterval)
	r.int("HealthyThreshold", in.HealthyThreshold, 2, 10, &c.HealthyThreshold)
	r.int("UnhealthyThreshold", in.UnhealthyThreshold, 2, 10, &c.UnhealthyThreshold)
	if !tcp {
		r.text("healthCheckReq", in.HealthCheckReq, udpProbePattern.MatchString, "1 to 64 letters and digits", &c.HealthCheckReq)
		r.text("healthCheckExp", in.HealthCheckExp, udpProbePattern.MatchString, "1 to 64 letters and digits", &c.HealthCheckExp)
	}

	r.flag("AclStatus", in.AclStatus, &c.AclStatus)
	r.choice("AclType", in.AclType, &c.AclType, "white", "black")
	r.text("AclId", in.AclID, asciiText, "a comma-separated list of ACL ids", &c.AclIDs)

	if tcp {
		r.choice("SynProxy", in.SynProxy, &c.SynProxy, "enable", "disable")
		r.bool("HealthCheckTcpFastCloseEnabled", in.HealthCheckTCPFastCloseEnabled, &c.HealthCheckTCPFastCloseEnabled)
	} else {
		r.text("QuicVersion", in.QuicVersion, printableText(32), "a QUIC version name", &c.QuicVersion)
	}
	r.bool("FullNatEnabled", in.FullNatEnabled, &c.FullNatEnabled)
	r.int("MaxConnection", in.MaxConnection, 0, 1000000, &c.MaxConnection)
	r.text("VpcIds", in.VpcIDs, printableText(1024), "a comma-separated list of VPC ids", &c.VpcIDs)
	return r.err
}

// bool reads a true/false parameter.
func (r *configReader) bool(name string, p Param[bool], field *bool) {
	if r.err != nil || !p.Set {
		return
	}
	if r.err = checkBool(name, p); r.err == nil {
		*field = p.Value
	}
}

// l4Refs reads the references of a TCP or UDP listener request: its group
// and its ACLs.
func (s *Service) l4Refs(ctx context.Context, p *slbcert.Principal, action string, lb *LoadBalancer, in *L4ListenerInput) (listenerRefs, error) {
	var r listenerRefs
	var err error
	if r.acls, err = s.listenerACLRefs(ctx, p, action, lb, in.AclID); err != nil {
		return r, err
	}
	err = s.readGroupRefs(ctx, p, lb, &r, groupParams{vserverGroup: in.VServerGroup, vserverGroupID: in.VServerGroupID,
		masterSlaveGroup: in.MasterSlaveServerGroup, masterSlaveGroupID: in.MasterSlaveServerGroupID})
	return r, err
}

// checkL4Listener runs the checks of a TCP or UDP listener's final
// configuration: a drain with its timeout, a hash scheduler on a
// performance-guaranteed instance, and those of every listener.
func checkL4Listener(lb *LoadBalancer, l *Listener) error {
	c := &l.Config
	if c.ConnectionDrain == "on" && c.ConnectionDrainTimeout == 0 {
		return slbcert.MissingParameter("ConnectionDrainTimeout")
	}
	if hashScheduler(c.Scheduler) && lb.Shared() {
		return errSharedInstance("the scheduler " + c.Scheduler)
	}
	return checkListener(lb, l, nil)
}

// CreateL4Listener creates a stopped TCP or UDP listener
// (CreateLoadBalancerTCPListener, CreateLoadBalancerUDPListener).
func (s *Service) CreateL4Listener(ctx context.Context, p *slbcert.Principal, protocol string, in L4ListenerInput) error {
	action := listenerAction("Create", protocol, "")
	lb, err := s.loadBalancer(ctx, p, action, in.RegionID, in.LoadBalancerID, regionOptional)
	if err != nil {
		return err
	}
	if lb.Status == LoadBalancerLocked {
		return errLocked(lb.ID)
	}
	port, err := readPort("ListenerPort", in.ListenerPort)
	if err != nil {
		return err
	}
	if in.PortRanges > 0 {
		return slbcert.Errorf(slbcert.EInvalidParameter, "The specified PortRange is invalid: port-range listeners are not supported; give one ListenerPort.")
	}
	l := &Listener{LoadBalancerID: lb.ID, Port: port, Protocol: protocol, Status: ListenerStopped, CreateTime: s.now(),
		Config: defaultL4Config(protocol), DomainExtensions: []DomainExtension{}, ACLIDs: []string{}}
	if err := applyL4Params(&l.Config, protocol, &in); err != nil {
		return err
	}
	if err := checkTagsToWrite(in.Tags); err != nil {
		return err
	}
	l.Config.Tags = dedupeTags(in.Tags)
	if l.Config.Tags == nil {
		l.Config.Tags = []slbcert.Tag{}
	}
	refs, err := s.l4Refs(ctx, p, action, lb, &in)
	if err != nil {
		return err
	}
	refs.apply(l)
	if l.Config.BackendServerPort == 0 && l.VServerGroupID == "" {
		return slbcert.MissingParameter("BackendServerPort")
	}
	if err := checkL4Listener(lb, l); err != nil {
		return err
	}
	limit := p.Account.Quota(QuotaListeners, DefaultListenerQuota)
	err = s.LoadBalancers.CreateListener(ctx, p.Account.ID, l, limit)
	switch {
	case errors.Is(err, slbcert.ErrAlreadyExists):
		return slbcert.Errorf(EListenerAlreadyExists, "The specified listener port %d is already used by a %s listener of load balancer %s.",
			port, strings.ToUpper(ListenerFamily(protocol))+"-family", lb.ID)
	case errors.Is(err, slbcert.ErrQuotaExceeded):
		return slbcert.Errorf(EListenerNumberOverLimit, "The number of listeners of load balancer %s is over the limit of %d.", lb.ID, limit)
	case errors.Is(err, slbcert.ErrInvalidReference):
		return errReferenceGone()
	}
	return storeError(err, errLoadBalancerNotFound(lb.ID))
}

// SetL4Listener changes a TCP or UDP listener
// (SetLoadBalancer{TCP,UDP}ListenerAttribute): a partial update, as
// SetListener's.
func (s *Service) SetL4Listener(ctx context.Context, p *slbcert.Principal, protocol string, in L4ListenerInput) error {
	action := listenerAction("Set", protocol, "Attribute")
	lb, err := s.loadBalancer(ctx, p, action, in.RegionID, in.LoadBalancerID, regionOptional)
	if err != nil {
		return err
	}
	port, err := readPort("ListenerPort", in.ListenerPort)
	if err != nil {
		return err
	}
	refs, err := s.l4Refs(ctx, p, action, lb, &in)
	if err != nil {
		return err
	}
	if lb.Status == LoadBalancerLocked {
		return errLocked(lb.ID)
	}
	_, err = s.LoadBalancers.UpdateListener(ctx, p.Account.ID, lb.ID, port, ListenerFamily(protocol), func(l *Listener) error {
		if l.Protocol != protocol {
			return slbcert.Errorf(EUnsupportedProtocolPort, "The listener on port %d is %s, not %s.", port, strings.ToUpper(l.Protocol), strings.ToUpper(protocol))
		}
		was := l.Config.Scheduler
		if err := applyL4Params(&l.Config, protocol, &in); err != nil {
			return err
		}
		if hashScheduler(was) != hashScheduler(l.Config.Scheduler) {
			return errInvalidValue("Scheduler", in.Scheduler, "a scheduler of the same kind as the listener's "+was+
				" (wrr, rr and wlc, or the consistent hashes sch, tch and qch)")
		}
		refs.apply(l)
		return checkL4Listener(lb, l)
	})
	return s.served(ctx, s.listenerWriteError(err, lb.ID, port, errListenerGone(lb.ID, port)))
}
