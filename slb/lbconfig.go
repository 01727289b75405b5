package slb

import (
	"context"
	"net/netip"

	"slbcert"
)

// DefaultAddressPool is where load balancer addresses come from unless the
// server is told otherwise (--lb-address-pool: the README's Configuration
// table).
var DefaultAddressPool = netip.MustParsePrefix("127.255.0.0/16")

// LoadBalancing is the configuration of the load-balancer operations.
type LoadBalancing struct {
	// AddressPool is the CIDR load balancer addresses are allocated from;
	// the zero value means DefaultAddressPool.
	AddressPool netip.Prefix
	// Instances maps ECS instance ids to addresses, for backends given
	// without a ServerIp; nil knows none.
	Instances InstanceAddresses
	// Health reports what a data plane's health checks see; nil until a
	// data plane runs.
	Health HealthReporter
	// DataPlane, when set, is waited for after each committed write that
	// changes what is served (docs/choices.md, "Data plane (listeners that
	// serve)": wired to the API).
	DataPlane DataPlane
	// Network, when set, places load balancers created with a VSwitchId
	// in it (network.go); nil records VpcId and VSwitchId unchecked.
	Network Network
}

// DataPlane is the narrow interface through which the API waits for the data
// plane: when a write that changes what is served answers, the data plane
// already serves it (docs/choices.md, "Data plane (listeners that serve)"). The
// API knows nothing else of how listeners are served.
type DataPlane interface {
	// Sync returns once the data plane serves what the store held when
	// Sync was called. Its error is the data plane's to report (log,
	// metrics): the write has committed and stands, and the data plane
	// keeps following the store.
	Sync(ctx context.Context) error
}

// served waits for the data plane after a write that changes what it
// serves, when err says the write committed; it returns err unchanged. A
// data plane that cannot follow never turns a committed write into an
// error.
func (s *Service) served(ctx context.Context, err error) error {
	if err == nil && s.LoadBalancing.DataPlane != nil {
		_ = s.LoadBalancing.DataPlane.Sync(ctx) // reported by the data plane itself
	}
	return err
}

// InstanceAddresses maps an account's backend server ids (i-…, eni-…,
// eci-…) to the IP addresses traffic for them goes to: the server's
// --instances file, else the account's ECS instances.
type InstanceAddresses interface {
	InstanceIP(accountID, serverID string) (ip string, ok bool)
}

// BackendKey names one backend of a listener: a server and the port it is
// reached on.
type BackendKey struct {
	ServerID string
	Port     int
}

// Backend health statuses, as DescribeHealthStatus reports them.
const (
	HealthNormal      = "normal"
	HealthAbnormal    = "abnormal"
	HealthUnavailable = "unavailable"
)

// HealthReporter is the narrow interface through which a data plane tells
// the API what its health checks see. The API never implements it.
type HealthReporter interface {
	// BackendHealth returns the status of each backend of the listener on
	// port of load balancer lbID, and false when it has no report for that
	// listener (not serving it, or not probing).
	BackendHealth(lbID string, port int) (map[BackendKey]string, bool)
}

// addressPool returns the configured pool or the default.
func (s *Service) addressPool() netip.Prefix {
	if s.LoadBalancing.AddressPool.IsValid() {
		return s.LoadBalancing.AddressPool
	}
	return DefaultAddressPool
}

// lbStore returns the load-balancer store, or an internal error when the
// server was wired without one.
func (s *Service) lbStore() (LoadBalancerStore, error) {
	if s.LoadBalancers == nil {
		return nil, slbcert.Errorf(slbcert.EServiceUnavailable, "Load balancers are not available on this server.")
	}
	return s.LoadBalancers, nil
}
