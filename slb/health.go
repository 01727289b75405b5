package slb

import (
	"context"

	"slbcert"
)

// HealthRow is one backend of one listener as DescribeHealthStatus
// reports it.
type HealthRow struct {
	Backend      BackendServer
	ServerIP     string // the address traffic goes to; "" when unknown
	Port         int    // the backend port
	ListenerPort int
	Protocol     string
	Status       string // HealthNormal, HealthAbnormal or HealthUnavailable
}

// DescribeHealthStatusInput is DescribeHealthStatus's request.
type DescribeHealthStatusInput struct {
	// RegionID is optional: without it the load balancer's own region.
	RegionID       string
	LoadBalancerID string
	// ListenerPort (1–65535) and ListenerProtocol (tcp, udp, http or
	// https), when given, select the listeners reported.
	ListenerPort     Param[int]
	ListenerProtocol string
}

// DescribeHealthStatus reports the health of the backends of a load
// balancer's listeners (or of the one on ListenerPort/ListenerProtocol):
// each listener's VServer group members, or the default list on its
// BackendServerPort. Redirecting listeners have no backends. The status
// comes from the data plane's HealthReporter; without a report, a backend
// of a stopped listener (or an inactive instance) is unavailable and any
// other abnormal — as is a backend with no address (no ServerIp, not in
// the instance map).
func (s *Service) DescribeHealthStatus(ctx context.Context, p *slbcert.Principal, in DescribeHealthStatusInput) ([]HealthRow, error) {
	lb, err := s.loadBalancer(ctx, p, "DescribeHealthStatus", in.RegionID, in.LoadBalancerID, regionOptional)
	if err != nil {
		return nil, err
	}
	f := ListenerFilter{AccountID: p.Account.ID, LoadBalancerIDs: []string{lb.ID}}
	if in.ListenerPort.Set {
		if f.Port, err = readPort("ListenerPort", in.ListenerPort); err != nil {
			return nil, err
		}
	}
	if v := in.ListenerProtocol; v != "" {
		if f.Protocol, err = choice("ListenerProtocol", v, "tcp", "udp", "http", "https"); err != nil {
			return nil, err
		}
	}
	listeners, err := s.LoadBalancers.FindListeners(ctx, f)
	if err != nil {
		return nil, storeError(err, nil)
	}
	groups, err := s.LoadBalancers.FindVServerGroups(ctx, p.Account.ID, lb.ID)
	if err != nil {
		return nil, storeError(err, nil)
	}
	members := map[string][]BackendServer{}
	for _, g := range groups {
		members[g.ID] = g.BackendServers
	}
	rows := []HealthRow{}
	for _, l := range listeners {
		if l.Forwarding() {
			continue
		}
		report, reported := map[BackendKey]string(nil), false
		if s.LoadBalancing.Health != nil {
			report, reported = s.LoadBalancing.Health.BackendHealth(lb.ID, l.Port)
		}
		backends := members[l.VServerGroupID]
		if l.VServerGroupID == "" {
			backends = lb.BackendServers
		}
		for _, b := range backends {
			row := HealthRow{Backend: b, ServerIP: s.backendAddress(lb.AccountID, b), Port: b.Port, ListenerPort: l.Port, Protocol: l.Protocol}
			if l.VServerGroupID == "" {
				row.Port = l.Config.BackendServerPort
			}
			row.Status = HealthAbnormal
			switch {
			case reported && report[BackendKey{ServerID: b.ServerID, Port: row.Port}] != "":
				row.Status = report[BackendKey{ServerID: b.ServerID, Port: row.Port}]
			case l.Status != ListenerRunning || lb.Status != LoadBalancerActive:
				row.Status = HealthUnavailable
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// backendAddress is where traffic for b goes: its ServerIp, else the
// instance map's address, else "".
func (s *Service) backendAddress(accountID string, b BackendServer) string {
	if b.ServerIP != "" {
		return b.ServerIP
	}
	if s.LoadBalancing.Instances != nil {
		if ip, ok := s.LoadBalancing.Instances.InstanceIP(accountID, b.ServerID); ok {
			return ip
		}
	}
	return ""
}
