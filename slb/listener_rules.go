package slb

import (
	"context"
	"errors"
	"strings"

	"slbcert"
)

// ListenerInput names one listener by its load balancer and port: the
// request of StartLoadBalancerListener, StopLoadBalancerListener,
// DeleteLoadBalancerListener and Describe*ListenerAttribute.
type ListenerInput struct {
	// RegionID is optional: without it the load balancer's own region.
	RegionID       string
	LoadBalancerID string
	// ListenerPort (required) is the listener's port, 1–65535.
	ListenerPort Param[int]
	// ListenerProtocol (Start, Stop, Delete; optional) is http, https, tcp
	// or udp, and must then be the listener's.
	ListenerProtocol string
}

// listenerAction names the protocol's variant of an operation:
// CreateLoadBalancerHTTPSListener, SetLoadBalancerHTTPListenerAttribute …
func listenerAction(verb, protocol, suffix string) string {
	return verb + "LoadBalancer" + strings.ToUpper(protocol) + "Listener" + suffix
}

// errListenerGone answers a missing listener as Describe*/Set* do: 400
// InvalidParameter with the message Terraform takes for "gone".
func errListenerGone(lbID string, port int) error {
	return slbcert.Errorf(slbcert.EInvalidParameter, "%s: load balancer %s has no such listener on port %d.", MsgResourceNotExist, lbID, port)
}

// errListenerNotFound answers a missing listener as Start/Stop/Delete do.
func errListenerNotFound(lbID string, port int) error {
	return slbcert.Errorf(EListenerNotFound, "%s: load balancer %s has no listener on port %d.", MsgResourceNotExist, lbID, port)
}

// errReferenceGone answers a write whose reference was deleted while it ran.
func errReferenceGone() error {
	return slbcert.Errorf(slbcert.EInvalidParameter, "A certificate, VServer group or TLS policy the request references was deleted meanwhile; check the ids and retry.")
}

// CreateListener creates a stopped HTTP or HTTPS listener
// (CreateLoadBalancerHTTPListener, CreateLoadBalancerHTTPSListener).
func (s *Service) CreateListener(ctx context.Context, p *slbcert.Principal, protocol string, in HTTPListenerInput) error {
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
	l := &Listener{LoadBalancerID: lb.ID, Port: port, Protocol: protocol, Status: ListenerStopped,
		CreateTime: s.now(), Config: defaultListenerConfig(protocol), DomainExtensions: []DomainExtension{}}
	if protocol == ProtocolHTTPS {
		l.TLSCipherPolicy = DefaultTLSCipherPolicy
	}
	if err := applyListenerParams(&l.Config, protocol, &in); err != nil {
		return err
	}
	if err := checkTagsToWrite(in.Tags); err != nil {
		return err
	}
	l.Config.Tags = dedupeTags(in.Tags)
	refs, err := s.readListenerRefs(ctx, p, action, protocol, lb, &in)
	if err != nil {
		return err
	}
	refs.apply(l)
	if protocol == ProtocolHTTPS && l.ServerCertificateID == "" {
		return slbcert.Errorf(slbcert.EInvalidParameter, "The specified parameter ServerCertificateId is empty.")
	}
	if !l.Forwarding() && l.Config.BackendServerPort == 0 && l.VServerGroupID == "" {
		return slbcert.MissingParameter("BackendServerPort")
	}
	if l.Forwarding() && l.Config.ForwardCode == 0 {
		l.Config.ForwardCode = 301
	}
	httpsPorts, err := s.httpsPorts(ctx, p, lb, protocol)
	if err != nil {
		return err
	}
	if err := checkListener(lb, l, httpsPorts); err != nil {
		return err
	}
	limit := p.Account.Quota(QuotaListeners, DefaultListenerQuota)
	err = s.LoadBalancers.CreateListener(ctx, p.Account.ID, l, limit)
	switch {
	case errors.Is(err, slbcert.ErrAlreadyExists):
		return slbcert.Errorf(EListenerAlreadyExists, "The specified listener port %d is already used by a listener of load balancer %s.", port, lb.ID)
	case errors.Is(err, slbcert.ErrQuotaExceeded):
		return slbcert.Errorf(EListenerNumberOverLimit, "The number of listeners of load balancer %s is over the limit of %d.", lb.ID, limit)
	case errors.Is(err, slbcert.ErrInvalidReference):
		return errReferenceGone()
	}
	return storeError(err, errLoadBalancerNotFound(lb.ID))
}

// checkListener runs the checks of a listener's final configuration:
// those of checkListenerConfig, a redirect's target (one of httpsPorts,
// the ports of the load balancer's HTTPS listeners, read before any write
// transaction: a store read inside one would wait for a second connection
// while holding the first), and a bandwidth within a pay-by-bandwidth
// instance's.
func checkListener(lb *LoadBalancer, l *Listener, httpsPorts map[int]bool) error {
	if err := checkListenerConfig(l); err != nil {
		return err
	}
	if lb.InternetChargeType == "paybybandwidth" && l.Config.Bandwidth > lb.Bandwidth {
		return slbcert.Errorf(slbcert.EInvalidParameter, "The specified Bandwidth is invalid: %d Mbps is more than the load balancer's %d.", l.Config.Bandwidth, lb.Bandwidth)
	}
	if l.Forwarding() && !httpsPorts[l.Config.ForwardPort] {
		return slbcert.Errorf(slbcert.EInvalidParameter, "The specified ForwardPort %d is not an HTTPS listener of load balancer %s.", l.Config.ForwardPort, lb.ID)
	}
	return nil
}

// httpsPorts returns the ports of lb's HTTPS listeners (a redirect's
// possible targets); nil, without reading, for an HTTPS listener, which
// never redirects.
func (s *Service) httpsPorts(ctx context.Context, p *slbcert.Principal, lb *LoadBalancer, protocol string) (map[int]bool, error) {
	if protocol != ProtocolHTTP {
		return nil, nil
	}
	found, err := s.LoadBalancers.FindListeners(ctx, ListenerFilter{AccountID: p.Account.ID,
		LoadBalancerIDs: []string{lb.ID}, Protocol: ProtocolHTTPS})
	if err != nil {
		return nil, storeError(err, nil)
	}
	ports := make(map[int]bool, len(found))
	for _, l := range found {
		ports[l.Port] = true
	}
	return ports, nil
}

// DescribeListener returns the listener of protocol on ListenerPort
// (Describe*ListenerAttribute; RegionId optional). A missing listener, or
// one of the other protocol, is 400 InvalidParameter "The specified
// resource does not exist".
func (s *Service) DescribeListener(ctx context.Context, p *slbcert.Principal, protocol string, in ListenerInput) (*Listener, error) {
	lb, err := s.loadBalancer(ctx, p, listenerAction("Describe", protocol, "Attribute"), in.RegionID, in.LoadBalancerID, regionOptional)
	if err != nil {
		return nil, err
	}
	port, err := readPort("ListenerPort", in.ListenerPort)
	if err != nil {
		return nil, err
	}
	found, err := s.LoadBalancers.FindListeners(ctx, ListenerFilter{AccountID: p.Account.ID, LoadBalancerIDs: []string{lb.ID}, Port: port})
	if err != nil {
		return nil, storeError(err, nil)
	}
	for _, l := range found {
		if l.Protocol == protocol {
			return l, nil
		}
	}
	return nil, errListenerGone(lb.ID, port)
}

// SetListener changes a listener (Set*ListenerAttribute): a partial
// update, where a parameter not sent or sent empty keeps its value, and
// one that does not apply to the protocol is ignored. A new certificate
// reference replaces the old one in the same transaction.
func (s *Service) SetListener(ctx context.Context, p *slbcert.Principal, protocol string, in HTTPListenerInput) error {
	action := listenerAction("Set", protocol, "Attribute")
	lb, err := s.loadBalancer(ctx, p, action, in.RegionID, in.LoadBalancerID, regionOptional)
	if err != nil {
		return err
	}
	port, err := readPort("ListenerPort", in.ListenerPort)
	if err != nil {
		return err
	}
	refs, err := s.readListenerRefs(ctx, p, action, protocol, lb, &in)
	if err != nil {
		return err
	}
	if lb.Status == LoadBalancerLocked {
		return errLocked(lb.ID)
	}
	httpsPorts, err := s.httpsPorts(ctx, p, lb, protocol)
	if err != nil {
		return err
	}
	_, err = s.LoadBalancers.UpdateListener(ctx, p.Account.ID, lb.ID, port, ListenerFamily(protocol), func(l *Listener) error {
		if l.Protocol != protocol {
			return slbcert.Errorf(EUnsupportedProtocolPort, "The listener on port %d is %s, not %s.", port, strings.ToUpper(l.Protocol), strings.ToUpper(protocol))
		}
		if err := applyListenerParams(&l.Config, protocol, &in); err != nil {
			return err
		}
		refs.apply(l)
		if l.Forwarding() && l.Config.ForwardCode == 0 {
			l.Config.ForwardCode = 301
		}
		return checkListener(lb, l, httpsPorts)
	})
	return s.served(ctx, s.listenerWriteError(err, lb.ID, port, errListenerGone(lb.ID, port)))
}

// listenerWriteError turns a store error of a listener write into the
// API's answer; notFound is the operation's own.
func (s *Service) listenerWriteError(err error, lbID string, port int, notFound error) error {
	var apiErr *slbcert.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &apiErr):
		return apiErr
	case errors.Is(err, slbcert.ErrNotFound):
		return notFound
	case errors.Is(err, slbcert.ErrInvalidReference):
		return errReferenceGone()
	}
	return storeError(err, nil)
}

// SetListenerStatus starts or stops a listener (Start/StopLoadBalancerListener).
// States are synchronous: the listener is running (stopped) when the call
// answers. Starting a running listener, or stopping a stopped one, changes
// nothing. ListenerProtocol, when given, must be the listener's.
func (s *Service) SetListenerStatus(ctx context.Context, p *slbcert.Principal, in ListenerInput, status string) error {
	action := "StartLoadBalancerListener"
	if status == ListenerStopped {
		action = "StopLoadBalancerListener"
	}
	lb, port, protocol, err := s.listenerTarget(ctx, p, action, in)
	if err != nil {
		return err
	}
	if lb.Status == LoadBalancerLocked {
		return errLocked(lb.ID)
	}
	target, err := s.onPort(ctx, p, lb, port, protocol, errListenerNotFound(lb.ID, port))
	if err != nil {
		return err
	}
	_, err = s.LoadBalancers.UpdateListener(ctx, p.Account.ID, lb.ID, port, ListenerFamily(target.Protocol), func(l *Listener) error {
		if l.Protocol != target.Protocol {
			return slbcert.ErrNotFound // replaced meanwhile
		}
		l.Status = status
		return nil
	})
	return s.served(ctx, s.listenerWriteError(err, lb.ID, port, errListenerNotFound(lb.ID, port)))
}

// DeleteListener deletes a listener with its domain extensions, releasing
// its certificate references at once.
func (s *Service) DeleteListener(ctx context.Context, p *slbcert.Principal, in ListenerInput) error {
	lb, port, protocol, err := s.listenerTarget(ctx, p, "DeleteLoadBalancerListener", in)
	if err != nil {
		return err
	}
	if lb.Status == LoadBalancerLocked {
		return errLocked(lb.ID)
	}
	target, err := s.onPort(ctx, p, lb, port, protocol, errListenerNotFound(lb.ID, port))
	if err != nil {
		return err
	}
	return s.served(ctx, s.listenerWriteError(s.LoadBalancers.DeleteListener(ctx, p.Account.ID, lb.ID, port, ListenerFamily(target.Protocol)), lb.ID, port, errListenerNotFound(lb.ID, port)))
}

// listenerTarget runs the checks Start, Stop and Delete start with: the
// load balancer (RegionId optional), ListenerPort, and the optional
// ListenerProtocol, returned in its canonical spelling.
func (s *Service) listenerTarget(ctx context.Context, p *slbcert.Principal, action string, in ListenerInput) (*LoadBalancer, int, string, error) {
	lb, err := s.loadBalancer(ctx, p, action, in.RegionID, in.LoadBalancerID, regionOptional)
	if err != nil {
		return nil, 0, "", err
	}
	port, err := readPort("ListenerPort", in.ListenerPort)
	if err != nil {
		return nil, 0, "", err
	}
	protocol, err := readListenerProtocol(in.ListenerProtocol)
	if err != nil {
		return nil, 0, "", err
	}
	return lb, port, protocol, nil
}
