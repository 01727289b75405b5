package slb

import (
	"slbcert"
	"time"
)

// Load balancer statuses (SetLoadBalancerStatus:
// https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-setloadbalancerstatus):
// active forwards, inactive keeps its configuration and forwards nothing,
// locked refuses every change.
const (
	LoadBalancerActive   = "active"
	LoadBalancerInactive = "inactive"
	LoadBalancerLocked   = "locked"
)

// Default per-account limits of the load-balancer family (docs/choices.md,
// "Load balancers, listeners and certificates in use (CLB)": Codes and
// statuses): load balancers per region, listeners per load balancer, domain
// extensions per listener. The IAM file's quotas override them.
const (
	DefaultLoadBalancerQuota    = 60
	DefaultListenerQuota        = 50
	DefaultDomainExtensionQuota = 3
	// MaxBackendServersPerLoadBalancer bounds the default server list and each
	// VServer group of one load balancer (docs/choices.md, "Load balancers,
	// listeners and certificates in use (CLB)": Codes and statuses).
	MaxBackendServersPerLoadBalancer = 200
)

// LoadBalancer is one CLB instance as stored: what CreateLoadBalancer was
// given, what the Set*/Modify* operations changed since, its default
// backend server list and its tags. Address is allocated by the store from
// the server's address pool and is unique in the database.
type LoadBalancer struct {
	ID        string
	AccountID string
	RegionID  string
	Name      string
	// Status is LoadBalancerActive, LoadBalancerInactive or LoadBalancerLocked.
	Status string
	// Address is the IP the data plane binds the listeners to.
	Address string
	// AddressType is "internet" or "intranet"; AddressIPVersion "ipv4" or
	// "ipv6"; NetworkType "vpc" or "classic".
	AddressType      string
	AddressIPVersion string
	NetworkType      string
	VpcID            string
	VSwitchID        string
	// Spec is the LoadBalancerSpec (slb.s2.small …); empty for a
	// shared-resource instance.
	Spec string
	// PayType is PayOnDemand or PrePay; InstanceChargeType PayBySpec or
	// PayByCLCU; InternetChargeType paybytraffic or paybybandwidth (always
	// lower case, as Describe answers it).
	PayType            string
	InstanceChargeType string
	InternetChargeType string
	// Bandwidth in Mbit/s, as recorded (meaningful for paybybandwidth).
	Bandwidth    int
	MasterZoneID string
	SlaveZoneID  string
	// ResourceGroupID is the group the instance belongs to.
	ResourceGroupID string
	// DeleteProtection is "on" or "off".
	DeleteProtection string
	// ModificationProtectionStatus is NonProtection or ConsoleProtection.
	ModificationProtectionStatus string
	ModificationProtectionReason string
	// Billing records of PrePay instances and the Modify* operations.
	Duration     int
	PricingCycle string
	// ClientToken made CreateLoadBalancer idempotent; empty if none was given.
	ClientToken string
	CreateTime  time.Time

	// BackendServers is the default server list (AddBackendServers …),
	// used by listeners without a VServer group on their BackendServerPort.
	BackendServers []BackendServer
	Tags           []slbcert.Tag
}

// Shared reports whether the instance is a shared-resource one (no
// LoadBalancerSpec): such instances serve only the default TLS policy and no
// domain extensions (docs/choices.md, "Load balancers, listeners and
// certificates in use (CLB)": Codes and statuses).
func (lb *LoadBalancer) Shared() bool { return lb.Spec == "" }

// BackendServer is one member of a VServer group or of a load balancer's
// default server list (BackendServers of CreateVServerGroup:
// https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-createvservergroup).
// The JSON names are the API's, so stores can keep lists as JSON text.
type BackendServer struct {
	ServerID string `json:"ServerId"`
	// Port is the member's port in a VServer group; 0 in the default list,
	// where the listener's BackendServerPort applies.
	Port int `json:"Port"`
	// Weight 0–100; 0 sends no new traffic.
	Weight int `json:"Weight"`
	// Type is ecs, eni or eci.
	Type string `json:"Type"`
	// ServerIP is the address to forward to, when the caller gave one.
	ServerIP    string `json:"ServerIp"`
	Description string `json:"Description"`
}
