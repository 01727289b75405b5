package slb

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"

	"slbcert"
)

// loadBalancerSpecs are the instance specifications CreateLoadBalancer and
// ModifyLoadBalancerInstanceSpec accept (LoadBalancerSpec:
// https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-createloadbalancer).
var loadBalancerSpecs = []string{"slb.s1.small", "slb.s2.small", "slb.s2.medium", "slb.s3.small",
	"slb.s3.medium", "slb.s3.large", "slb.s4.large", "slb.lcu.elastic"}

// DefaultLoadBalancerName is the name of a load balancer created without one.
const DefaultLoadBalancerName = "auto_named_slb"

// defaultBandwidth is the Bandwidth of an instance created without one:
// the most a pay-by-traffic instance may use.
const defaultBandwidth = 5120

// CreateLoadBalancerInput is CreateLoadBalancer's request.
type CreateLoadBalancerInput struct {
	// RegionID (required) is the region of the new instance.
	RegionID string
	// LoadBalancerName is 1–80 characters, a letter first
	// (auto_named_slb by default).
	LoadBalancerName string
	// AddressType is internet (the default) or intranet (the default with
	// a VSwitchId); AddressIPVersion ipv4 (the default) or ipv6; Address
	// a free address of the server's pool (by default the lowest free one).
	AddressType      string
	AddressIPVersion string
	Address          string
	// LoadBalancerSpec (slb.s1.small … slb.lcu.elastic) makes a
	// performance-guaranteed instance; without one it is shared-resource.
	LoadBalancerSpec string
	// PayType is PayOnDemand (the default) or PrePay; InstanceChargeType
	// PayBySpec (the default) or PayByCLCU; InternetChargeType
	// paybytraffic (the default) or paybybandwidth, any case.
	PayType            string
	InstanceChargeType string
	InternetChargeType string
	// Bandwidth is in Mbit/s, 1–5120 (default 5120).
	Bandwidth Param[int]
	// PricingCycle (month, the default, or year), Duration (1–9 months or
	// 1–5 years, default 1) and AutoPay (true or false) are a PrePay
	// instance's.
	PricingCycle string
	Duration     Param[int]
	AutoPay      Param[bool]
	// DeleteProtection is on or off (the default).
	DeleteProtection string
	// ModificationProtectionStatus is NonProtection (the default) or
	// ConsoleProtection, for ModificationProtectionReason (1–80
	// characters, a letter first).
	ModificationProtectionStatus string
	ModificationProtectionReason string
	// ResourceGroupID is the group to create the instance in (the
	// account's default group by default).
	ResourceGroupID string
	// MasterZoneID, SlaveZoneID, VpcID and VSwitchID are recorded as
	// given; a VpcID or VSwitchID makes a vpc instance.
	MasterZoneID string
	SlaveZoneID  string
	VpcID        string
	VSwitchID    string
	// ClientToken makes the call idempotent for the account.
	ClientToken string
	// Tags (Tag.N) are the instance's.
	Tags []slbcert.Tag
}

// CreateLoadBalancer creates a load balancer with an address from the
// pool, active at once. A ClientToken already used by the account returns
// the load balancer it created. orderID is set for PrePay instances.
func (s *Service) CreateLoadBalancer(ctx context.Context, p *slbcert.Principal, in CreateLoadBalancerInput) (lb *LoadBalancer, orderID int64, err error) {
	store, err := s.lbStore()
	if err != nil {
		return nil, 0, err
	}
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return nil, 0, err
	}
	tags := in.Tags
	if err := s.authorize(p, "CreateLoadBalancer", lbARN(reg.ID, p.Account.ID, "*"), tags); err != nil {
		return nil, 0, err
	}
	if err := checkTagsToWrite(tags); err != nil {
		return nil, 0, err
	}
	lb = &LoadBalancer{
		ID: newLoadBalancerID(reg.ID), AccountID: p.Account.ID, RegionID: reg.ID, Name: DefaultLoadBalancerName,
		Status: LoadBalancerActive, AddressIPVersion: "ipv4", NetworkType: "classic",
		PayType: "PayOnDemand", InstanceChargeType: "PayBySpec", InternetChargeType: "paybytraffic", Bandwidth: defaultBandwidth,
		MasterZoneID: in.MasterZoneID, SlaveZoneID: in.SlaveZoneID,
		VpcID: in.VpcID, VSwitchID: in.VSwitchID,
		DeleteProtection: "off", ModificationProtectionStatus: "NonProtection",
		ClientToken: in.ClientToken, CreateTime: s.now(),
		BackendServers: []BackendServer{}, Tags: dedupeTags(tags),
	}
	if err := s.readCreateParams(p, &in, lb); err != nil {
		return nil, 0, err
	}
	release, err := s.placeInVSwitch(ctx, p, in.Address, lb)
	if err != nil {
		return nil, 0, err
	}
	limit := p.Account.Quota(QuotaLoadBalancers, DefaultLoadBalancerQuota)
	created, err := store.CreateLoadBalancer(ctx, lb, limit, s.addressPool())
	if err != nil || created.ID != lb.ID { // failed, or a repeated ClientToken's earlier one
		release()
	}
	switch {
	case errors.Is(err, slbcert.ErrQuotaExceeded):
		return nil, 0, slbcert.Errorf(ELoadBalancerQuota, "The quantity of load balancers exceeds the quota: the account already holds %d in region %s.", limit, reg.ID)
	case errors.Is(err, ErrAddressInUse):
		return nil, 0, slbcert.Errorf(slbcert.EInvalidParameter, "The specified Address %q is already used by another load balancer.", lb.Address)
	case errors.Is(err, ErrAddressPoolExhausted):
		return nil, 0, slbcert.Errorf(EAddressPoolExhausted, "No address of the pool %s is free for a new load balancer.", s.addressPool())
	case err != nil:
		return nil, 0, storeError(err, nil)
	}
	return created, s.orderID(created), nil
}

// readCreateParams checks CreateLoadBalancer's parameters into lb.
func (s *Service) readCreateParams(p *slbcert.Principal, in *CreateLoadBalancerInput, lb *LoadBalancer) error {
	var err error
	if v := in.LoadBalancerName; v != "" {
		if err := checkLoadBalancerName(v); err != nil {
			return err
		}
		lb.Name = v
	}
	if lb.VSwitchID != "" || lb.VpcID != "" {
		lb.NetworkType = "vpc"
	}
	lb.AddressType = "internet"
	if lb.VSwitchID != "" {
		lb.AddressType = "intranet"
	}
	if v := in.AddressType; v != "" {
		if lb.AddressType, err = choice("AddressType", v, "internet", "intranet"); err != nil {
			return err
		}
	}
	if v := in.AddressIPVersion; v != "" {
		if lb.AddressIPVersion, err = choice("AddressIPVersion", v, "ipv4", "ipv6"); err != nil {
			return err
		}
	}
	if v := in.Address; v != "" && !s.inVSwitch(lb) { // a vSwitch's: placeInVSwitch
		a, perr := netip.ParseAddr(v)
		if perr != nil || !s.addressPool().Contains(a) {
			return slbcert.Errorf(slbcert.EInvalidParameter, "Illegal parameter. The IP address is not in subnet: %q is not in %s.", v, s.addressPool())
		}
		lb.Address = a.String()
	}
	if v := in.LoadBalancerSpec; v != "" {
		if lb.Spec, err = choice("LoadBalancerSpec", v, loadBalancerSpecs...); err != nil {
			return err
		}
	}
	if v := in.PayType; v != "" {
		if lb.PayType, err = choice("PayType", v, "PayOnDemand", "PrePay"); err != nil {
			return err
		}
	}
	if v := in.InstanceChargeType; v != "" {
		if lb.InstanceChargeType, err = choice("InstanceChargeType", v, "PayBySpec", "PayByCLCU"); err != nil {
			return err
		}
	}
	if v := in.InternetChargeType; v != "" {
		if lb.InternetChargeType, err = choice("InternetChargeType", v, "paybytraffic", "paybybandwidth"); err != nil {
			return err
		}
	}
	if lb.Bandwidth, err = optionalInt("Bandwidth", in.Bandwidth, 1, 5120, lb.Bandwidth); err != nil {
		return err
	}
	if lb.InstanceChargeType == "PayByCLCU" {
		if lb.PayType == "PrePay" {
			return slbcert.Errorf(EOperationNotAllowed, "A PrePay instance cannot be charged by CLCU (InstanceChargeType PayByCLCU).")
		}
		// The specification does not apply; the instance is elastic.
		lb.Spec, lb.InternetChargeType = "slb.lcu.elastic", "paybytraffic"
	}
	if lb.PayType == "PrePay" {
		if err := readPrePay(in.PricingCycle, in.Duration, in.AutoPay, lb); err != nil {
			return err
		}
	}
	if v := in.DeleteProtection; v != "" {
		if lb.DeleteProtection, err = flag("DeleteProtection", v); err != nil {
			return err
		}
	}
	if err := readModificationProtection(in.ModificationProtectionStatus, in.ModificationProtectionReason, lb); err != nil {
		return err
	}
	lb.ResourceGroupID, err = p.Account.ResourceGroup(in.ResourceGroupID)
	return err
}

// readPrePay checks a PrePay instance's billing period: 1–9 months or 1–5
// years (Duration, PricingCycle), and AutoPay.
func readPrePay(pricingCycle string, duration Param[int], autoPay Param[bool], lb *LoadBalancer) error {
	cycle, err := "month", error(nil)
	if pricingCycle != "" {
		if cycle, err = choice("PricingCycle", pricingCycle, "month", "year"); err != nil {
			return err
		}
	}
	max := 9
	if cycle == "year" {
		max = 5
	}
	lb.PricingCycle = cycle
	if lb.Duration, err = optionalInt("Duration", duration, 1, max, 1); err != nil {
		return err
	}
	return checkBool("AutoPay", autoPay)
}

// readModificationProtection checks ModificationProtectionStatus and
// Reason: NonProtection clears the reason.
func readModificationProtection(status, reason string, lb *LoadBalancer) error {
	if status != "" {
		canonical, err := choice("ModificationProtectionStatus", status, "NonProtection", "ConsoleProtection")
		if err != nil {
			return err
		}
		lb.ModificationProtectionStatus = canonical
	}
	if reason != "" {
		if err := checkName("ModificationProtectionReason", reason, 80, namePattern, "1 to 80 characters, starting with a letter"); err != nil {
			return err
		}
		lb.ModificationProtectionReason = reason
	}
	if lb.ModificationProtectionStatus == "NonProtection" {
		lb.ModificationProtectionReason = ""
	}
	return nil
}

// orderID is the OrderId of a billing change: set for PrePay instances,
// derived from the clock so that it grows.
func (s *Service) orderID(lb *LoadBalancer) int64 {
	if lb.PayType != "PrePay" {
		return 0
	}
	return s.Now().UnixMilli()*1000 + int64(len(lb.ID))
}

// LoadBalancerPage is one page of DescribeLoadBalancers.
type LoadBalancerPage struct {
	LoadBalancers                    []*LoadBalancer
	PageNumber, PageSize, TotalCount int
}

// DescribeLoadBalancersInput is DescribeLoadBalancers' request: RegionID
// (required) and filters, every one given must hold.
type DescribeLoadBalancersInput struct {
	RegionID string
	// Tags (Tag.N) and LegacyTags (the older Tags parameter, a JSON list
	// of {"TagKey", "TagValue"}) select instances carrying every pair; a
	// pair without a value matches any value of its key.
	Tags       []slbcert.Tag
	LegacyTags Param[[]slbcert.Tag]
	// PageNumber (from 1, default 1) and PageSize (1–100, default 10) page
	// the listing.
	PageNumber Param[int]
	PageSize   Param[int]
	// LoadBalancerID and LoadBalancerName are comma-separated lists of at
	// most 10 values, any of which may match.
	LoadBalancerID   string
	LoadBalancerName string
	// The instance's own values, matched exactly (any case).
	ResourceGroupID    string
	LoadBalancerStatus string
	Address            string
	AddressIPVersion   string
	AddressType        string
	NetworkType        string
	VpcID              string
	VSwitchID          string
	MasterZoneID       string
	SlaveZoneID        string
	InternetChargeType string
	PayType            string
	InstanceChargeType string
	// ServerID selects instances with that backend server (default list
	// or VServer group); ServerIntranetAddress (comma-separated) those
	// with a backend of one of those ServerIps.
	ServerID              string
	ServerIntranetAddress string
}

// DescribeLoadBalancers lists the account's load balancers in a region,
// oldest first, filtered (every filter must hold) and paged.
func (s *Service) DescribeLoadBalancers(ctx context.Context, p *slbcert.Principal, in DescribeLoadBalancersInput) (*LoadBalancerPage, error) {
	store, err := s.lbStore()
	if err != nil {
		return nil, err
	}
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return nil, err
	}
	tags := in.Tags
	if err := s.authorize(p, "DescribeLoadBalancers", lbARN(reg.ID, p.Account.ID, "*"), tags); err != nil {
		return nil, err
	}
	if err := checkTagCount(len(tags)); err != nil {
		return nil, err
	}
	if in.LegacyTags.Err != nil {
		return nil, in.LegacyTags.Err
	}
	if in.LegacyTags.Set {
		if err := checkTagCount(len(in.LegacyTags.Value)); err != nil {
			return nil, err
		}
	}
	tags = append(tags, in.LegacyTags.Value...)
	page := &LoadBalancerPage{}
	if page.PageNumber, err = optionalInt("PageNumber", in.PageNumber, 1, 1<<30, 1); err != nil {
		return nil, err
	}
	if page.PageSize, err = optionalInt("PageSize", in.PageSize, 1, 100, 10); err != nil {
		return nil, err
	}
	match, err := lbMatcher(&in, tags)
	if err != nil {
		return nil, err
	}
	all, err := store.FindLoadBalancers(ctx, LoadBalancerFilter{AccountID: p.Account.ID, RegionID: reg.ID})
	if err != nil {
		return nil, storeError(err, nil)
	}
	var servers map[string][]BackendServer // by load balancer, when a server filter asks
	if in.ServerID != "" || in.ServerIntranetAddress != "" {
		if servers, err = s.allBackendServers(ctx, p, all); err != nil {
			return nil, err
		}
	}
	matched := []*LoadBalancer{}
	for _, lb := range all {
		if match(lb, servers[lb.ID]) {
			matched = append(matched, lb)
		}
	}
	page.TotalCount = len(matched)
	start := min((page.PageNumber-1)*page.PageSize, len(matched))
	page.LoadBalancers = matched[start:min(start+page.PageSize, len(matched))]
	return page, nil
}

// allBackendServers returns each load balancer's default servers and its
// VServer groups' members.
func (s *Service) allBackendServers(ctx context.Context, p *slbcert.Principal, lbs []*LoadBalancer) (map[string][]BackendServer, error) {
	out := map[string][]BackendServer{}
	for _, lb := range lbs {
		out[lb.ID] = append(out[lb.ID], lb.BackendServers...)
		groups, err := s.LoadBalancers.FindVServerGroups(ctx, p.Account.ID, lb.ID)
		if err != nil {
			return nil, storeError(err, nil)
		}
		for _, g := range groups {
			out[lb.ID] = append(out[lb.ID], g.BackendServers...)
		}
	}
	return out, nil
}

// lbMatcher builds DescribeLoadBalancers' filter: every parameter given
// must hold. Comma lists (LoadBalancerId, LoadBalancerName: at most 10;
// ServerIntranetAddress) match any of their items.
func lbMatcher(in *DescribeLoadBalancersInput, tags []slbcert.Tag) (func(lb *LoadBalancer, servers []BackendServer) bool, error) {
	// As DescribeServerCertificates refuses it (docs/choices.md,
	// "Certificates, tags, groups").
	if err := slbcert.CheckResourceGroupID("ResourceGroupId", in.ResourceGroupID); err != nil {
		return nil, err
	}
	ids, names := splitIDs(in.LoadBalancerID), splitIDs(in.LoadBalancerName)
	if len(ids) > 10 {
		return nil, errInvalidValue("LoadBalancerId", in.LoadBalancerID, "at most 10 comma-separated values")
	}
	if len(names) > 10 {
		return nil, errInvalidValue("LoadBalancerName", in.LoadBalancerName, "at most 10 comma-separated values")
	}
	exact := []struct {
		want  string
		field func(*LoadBalancer) string
	}{
		{in.LoadBalancerStatus, func(lb *LoadBalancer) string { return lb.Status }},
		{in.Address, func(lb *LoadBalancer) string { return lb.Address }},
		{in.AddressIPVersion, func(lb *LoadBalancer) string { return lb.AddressIPVersion }},
		{in.AddressType, func(lb *LoadBalancer) string { return lb.AddressType }},
		{in.NetworkType, func(lb *LoadBalancer) string { return lb.NetworkType }},
		{in.VpcID, func(lb *LoadBalancer) string { return lb.VpcID }},
		{in.VSwitchID, func(lb *LoadBalancer) string { return lb.VSwitchID }},
		{in.MasterZoneID, func(lb *LoadBalancer) string { return lb.MasterZoneID }},
		{in.SlaveZoneID, func(lb *LoadBalancer) string { return lb.SlaveZoneID }},
		{in.InternetChargeType, func(lb *LoadBalancer) string { return lb.InternetChargeType }},
		{in.PayType, func(lb *LoadBalancer) string { return lb.PayType }},
		{in.InstanceChargeType, func(lb *LoadBalancer) string { return lb.InstanceChargeType }},
		{in.ResourceGroupID, func(lb *LoadBalancer) string { return lb.ResourceGroupID }},
	}
	serverID, addresses := in.ServerID, splitIDs(in.ServerIntranetAddress)
	return func(lb *LoadBalancer, servers []BackendServer) bool {
		if len(ids) > 0 && !slices.Contains(ids, lb.ID) || len(names) > 0 && !slices.Contains(names, lb.Name) {
			return false
		}
		for _, f := range exact {
			if f.want != "" && !strings.EqualFold(f.want, f.field(lb)) {
				return false
			}
		}
		if !hasTags(lb.Tags, tags) {
			return false
		}
		if serverID != "" && !slices.ContainsFunc(servers, func(b BackendServer) bool { return b.ServerID == serverID }) {
			return false
		}
		if len(addresses) > 0 && !slices.ContainsFunc(servers, func(b BackendServer) bool { return slices.Contains(addresses, b.ServerIP) }) {
			return false
		}
		return true
	}, nil
}

// hasTags reports whether tags carry every pair of want (Tag.N filters
// of the load-balancer family): a pair with an empty value matches any
// value of its key.
func hasTags(tags, want []slbcert.Tag) bool {
	for _, w := range want {
		if !slices.ContainsFunc(tags, func(t slbcert.Tag) bool {
			return t.Key == w.Key && (w.Value == "" || t.Value == w.Value)
		}) {
			return false
		}
	}
	return true
}

// LoadBalancerAttribute is what DescribeLoadBalancerAttribute reports: the
// instance and its listeners.
type LoadBalancerAttribute struct {
	LoadBalancer *LoadBalancer
	Listeners    []*Listener
}

// LoadBalancerInput names one load balancer: the request of
// DescribeLoadBalancerAttribute and DeleteLoadBalancer.
type LoadBalancerInput struct {
	// RegionID is optional: without it the load balancer's own region.
	RegionID       string
	LoadBalancerID string
}

// DescribeLoadBalancerAttribute returns one load balancer with its
// listeners.
func (s *Service) DescribeLoadBalancerAttribute(ctx context.Context, p *slbcert.Principal, in LoadBalancerInput) (*LoadBalancerAttribute, error) {
	lb, err := s.loadBalancer(ctx, p, "DescribeLoadBalancerAttribute", in.RegionID, in.LoadBalancerID, regionOptional)
	if err != nil {
		return nil, err
	}
	listeners, err := s.LoadBalancers.FindListeners(ctx, ListenerFilter{AccountID: p.Account.ID, LoadBalancerIDs: []string{lb.ID}})
	if err != nil {
		return nil, storeError(err, nil)
	}
	return &LoadBalancerAttribute{LoadBalancer: lb, Listeners: listeners}, nil
}

// DeleteLoadBalancer deletes a load balancer with everything hanging off
// it, unless delete protection is on or it is a PrePay instance.
func (s *Service) DeleteLoadBalancer(ctx context.Context, p *slbcert.Principal, in LoadBalancerInput) error {
	lb, err := s.loadBalancer(ctx, p, "DeleteLoadBalancer", in.RegionID, in.LoadBalancerID, regionOptional)
	if err != nil {
		return err
	}
	if lb.DeleteProtection == "on" {
		return slbcert.Errorf(EDeleteProtectionIsOn, "The loadbalancer can't be deleted due to DeleteProtection is enabled.")
	}
	if lb.PayType == "PrePay" {
		return slbcert.Errorf(EOperationNotAllowed, "A PrePay load balancer cannot be deleted through the API; it is released when its subscription ends.")
	}
	if lb.Status == LoadBalancerLocked {
		return errLocked(lb.ID)
	}
	if err := s.served(ctx, storeError(s.LoadBalancers.DeleteLoadBalancer(ctx, p.Account.ID, lb.ID), errLoadBalancerNotFound(in.LoadBalancerID))); err != nil {
		return err
	}
	return s.releaseAddress(ctx, p, lb)
}
