package slb

import (
	"context"
	"net/netip"
	"strings"

	"slbcert"
)

// Legacy per-listener whitelist (SetListenerAccessControlStatus and
// friends; docs/choices.md, "Access control lists"): open_white_list
// admits only the listener's SourceItems — none, nobody — and close turns
// it off; with an ACL on too, a client must pass both.
const (
	WhitelistOpen   = "open_white_list"
	WhitelistClosed = "close"
)

// maxSourceItems is how many items a listener's whitelist holds.
const maxSourceItems = 300

// ListenerAccessControlInput is the request of the legacy whitelist
// operations: SetListenerAccessControlStatus (AccessControlStatus),
// Add/RemoveListenerWhiteListItem (SourceItems),
// DescribeListenerAccessControlAttribute.
type ListenerAccessControlInput struct {
	// RegionID is optional: without it the load balancer's own region.
	RegionID       string
	LoadBalancerID string     // required
	ListenerPort   Param[int] // required, 1–65535
	// ListenerProtocol is required when a UDP listener shares the port
	// with one of the TCP family.
	ListenerProtocol string
	// AccessControlStatus is open_white_list or close.
	AccessControlStatus string
	// SourceItems is a comma list of IP addresses and CIDR blocks (never
	// 0.0.0.0 or 0.0.0.0/0).
	SourceItems string
}

// whitelistTarget resolves the listener of a whitelist operation.
func (s *Service) whitelistTarget(ctx context.Context, p *slbcert.Principal, action string, in ListenerAccessControlInput) (*LoadBalancer, *Listener, error) {
	lb, err := s.loadBalancer(ctx, p, action, in.RegionID, in.LoadBalancerID, regionOptional)
	if err != nil {
		return nil, nil, err
	}
	port, err := readPort("ListenerPort", in.ListenerPort)
	if err != nil {
		return nil, nil, err
	}
	protocol, err := readListenerProtocol(in.ListenerProtocol)
	if err != nil {
		return nil, nil, err
	}
	l, err := s.onPort(ctx, p, lb, port, protocol, errListenerNotFound(lb.ID, port))
	if err != nil {
		return nil, nil, err
	}
	return lb, l, nil
}

// DescribeWhitelist returns a listener's whitelist status and items
// (DescribeListenerAccessControlAttribute): close and "" by default.
func (s *Service) DescribeWhitelist(ctx context.Context, p *slbcert.Principal, in ListenerAccessControlInput) (status, items string, err error) {
	_, l, err := s.whitelistTarget(ctx, p, "DescribeListenerAccessControlAttribute", in)
	if err != nil {
		return "", "", err
	}
	status = l.Config.AccessControlStatus
	if status == "" {
		status = WhitelistClosed
	}
	return status, l.Config.SourceItems, nil
}

// SetWhitelistStatus opens or closes a listener's whitelist
// (SetListenerAccessControlStatus).
func (s *Service) SetWhitelistStatus(ctx context.Context, p *slbcert.Principal, in ListenerAccessControlInput) error {
	lb, l, err := s.whitelistTarget(ctx, p, "SetListenerAccessControlStatus", in)
	if err != nil {
		return err
	}
	if in.AccessControlStatus == "" {
		return slbcert.MissingParameter("AccessControlStatus")
	}
	status, err := choice("AccessControlStatus", in.AccessControlStatus, WhitelistOpen, WhitelistClosed)
	if err != nil {
		return err
	}
	return s.changeWhitelist(ctx, p, lb, l, func(c *ListenerConfig) error {
		c.AccessControlStatus = status
		return nil
	})
}

// AddWhitelistItems adds items to a listener's whitelist
// (AddListenerWhiteListItem); items already there are kept once. They
// take effect while the whitelist is open.
func (s *Service) AddWhitelistItems(ctx context.Context, p *slbcert.Principal, in ListenerAccessControlInput) error {
	return s.whitelistItems(ctx, p, "AddListenerWhiteListItem", in, true)
}

// RemoveWhitelistItems removes items from a listener's whitelist
// (RemoveListenerWhiteListItem); items it does not hold are ignored.
func (s *Service) RemoveWhitelistItems(ctx context.Context, p *slbcert.Principal, in ListenerAccessControlInput) error {
	return s.whitelistItems(ctx, p, "RemoveListenerWhiteListItem", in, false)
}

func (s *Service) whitelistItems(ctx context.Context, p *slbcert.Principal, action string, in ListenerAccessControlInput, add bool) error {
	lb, l, err := s.whitelistTarget(ctx, p, action, in)
	if err != nil {
		return err
	}
	items, err := parseSourceItems(in.SourceItems)
	if err != nil {
		return err
	}
	return s.changeWhitelist(ctx, p, lb, l, func(c *ListenerConfig) error {
		have := splitIDs(c.SourceItems)
		net := map[netip.Prefix]bool{}
		for _, h := range have {
			n, _ := entryNetwork(h)
			net[n] = true
		}
		if add {
			for _, it := range items {
				n, _ := entryNetwork(it)
				if !net[n] {
					net[n] = true
					have = append(have, it)
				}
			}
			if len(have) > maxSourceItems {
				return slbcert.Errorf(ESourceItemsOverLimit, "A listener's whitelist holds at most %d items.", maxSourceItems)
			}
		} else {
			drop := map[netip.Prefix]bool{}
			for _, it := range items {
				n, _ := entryNetwork(it)
				drop[n] = true
			}
			kept := have[:0]
			for _, h := range have {
				if n, _ := entryNetwork(h); !drop[n] {
					kept = append(kept, h)
				}
			}
			have = kept
		}
		c.SourceItems = strings.Join(have, ",")
		return nil
	})
}

// changeWhitelist writes a whitelist change and waits for the data plane.
func (s *Service) changeWhitelist(ctx context.Context, p *slbcert.Principal, lb *LoadBalancer, l *Listener, fn func(c *ListenerConfig) error) error {
	if lb.Status == LoadBalancerLocked {
		return errLocked(lb.ID)
	}
	_, err := s.LoadBalancers.UpdateListener(ctx, p.Account.ID, lb.ID, l.Port, ListenerFamily(l.Protocol), func(l *Listener) error {
		return fn(&l.Config)
	})
	return s.served(ctx, s.listenerWriteError(err, lb.ID, l.Port, errListenerNotFound(lb.ID, l.Port)))
}

// parseSourceItems reads SourceItems: a comma list of addresses and CIDR
// blocks, kept as given, never everyone (0.0.0.0, 0.0.0.0/0).
func parseSourceItems(v string) ([]string, error) {
	items := splitIDs(v)
	if len(items) == 0 {
		return nil, slbcert.MissingParameter("SourceItems")
	}
	if len(items) > maxSourceItems {
		return nil, slbcert.Errorf(ESourceItemsOverLimit, "A listener's whitelist holds at most %d items; %d were given.", maxSourceItems, len(items))
	}
	for _, it := range items {
		n, ok := entryNetwork(it)
		if !ok || n.Bits() == 0 || n.Addr().IsUnspecified() && n.Bits() == n.Addr().BitLen() {
			return nil, slbcert.Errorf(slbcert.EInvalidParameter, "The specified SourceItems is invalid: %q.", it)
		}
	}
	return items, nil
}
