package slbdataplane

import (
	"net/netip"
	"strings"

	"slbcert/dataplane"
	"slbcert/slb"
)

// layer4 fills in a TCP or UDP listener's relay settings
// (docs/choices.md, "TCP and UDP listeners").
func (tr *Translation) layer4(out *dataplane.Listener, lb *slb.LoadBalancer, l *slb.Listener, groups map[string]*slb.VServerGroup) {
	c := l.Config
	out.Backends = tr.backends(lb, l, groups)
	out.PersistenceTimeout = seconds(c.PersistenceTimeout)
	out.ProxyProtocolV2 = c.ProxyProtocolV2Enabled
	if l.Protocol == slb.ProtocolTCP {
		out.EstablishedTimeout = seconds(c.EstablishedTimeout)
	}
	if on(c.ConnectionDrain) {
		out.ConnectionDrain = seconds(c.ConnectionDrainTimeout)
	}
	out.HealthCheck = dataplane.HealthCheck{
		Enabled:            on(c.HealthCheck),
		Type:               c.HealthCheckType,
		ConnectPort:        c.HealthCheckConnectPort,
		Interval:           seconds(c.HealthCheckInterval),
		Timeout:            seconds(c.HealthCheckConnectTimeout),
		HealthyThreshold:   c.HealthyThreshold,
		UnhealthyThreshold: c.UnhealthyThreshold,
	}
	if c.HealthCheckConnectPort < 0 {
		out.HealthCheck.ConnectPort = 0 // -520: the backend's port
	}
	switch l.Protocol {
	case slb.ProtocolUDP:
		out.HealthCheck.UDPRequest, out.HealthCheck.UDPExpect = c.HealthCheckReq, c.HealthCheckExp
	case slb.ProtocolTCP:
		if strings.EqualFold(c.HealthCheckType, "http") {
			h := healthCheck(c)
			h.Type, h.Timeout, h.ConnectPort = "http", out.HealthCheck.Timeout, out.HealthCheck.ConnectPort
			out.HealthCheck = h
		}
	}
}

// accessControl is what a listener admits (docs/choices.md, "Access
// control lists"): with AclStatus on, the union of its ACLs' entries as a
// white or black list — an ACL list with no entries at all filters
// nothing, as Alibaba documents; with the legacy whitelist open, its
// SourceItems only (none: nobody). Both on: a client must pass both. An
// ACL missing from the snapshot refuses the listener: serving without it
// could let in whom it refuses.
func accessControl(snap *slb.DataPlaneSnapshot, l *slb.Listener, refuse func(string)) []dataplane.AccessControl {
	var out []dataplane.AccessControl
	c := l.Config
	if on(c.AclStatus) {
		var entries []netip.Prefix
		ids := l.ACLIDs
		if len(ids) == 0 {
			ids = splitList(c.AclIDs)
		}
		for _, id := range ids {
			a := snap.ACLs[id]
			if a == nil {
				refuse("access control list " + id + " is not in the snapshot")
				continue
			}
			for _, e := range a.Entries {
				if p, ok := prefix(e.Entry); ok {
					entries = append(entries, p)
				}
			}
		}
		if len(entries) > 0 {
			typ := dataplane.AccessWhite
			if c.AclType == "black" {
				typ = dataplane.AccessBlack
			}
			out = append(out, dataplane.AccessControl{Type: typ, Entries: entries})
		}
	}
	if c.AccessControlStatus == "open_white_list" {
		wl := dataplane.AccessControl{Type: dataplane.AccessWhite, Entries: []netip.Prefix{}}
		for _, item := range splitList(c.SourceItems) {
			if p, ok := prefix(item); ok {
				wl.Entries = append(wl.Entries, p)
			}
		}
		out = append(out, wl)
	}
	return out
}

// prefix reads an entry: a CIDR block (its host bits ignored) or an
// address, which is a /32 or /128.
func prefix(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), true
	}
	if a, err := netip.ParseAddr(s); err == nil {
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	return netip.Prefix{}, false
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
