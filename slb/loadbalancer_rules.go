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

// CreateLoadBalancer creates a load balancer
// (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-createloadbalancer)
// with an address from the pool, active at once. A ClientToken already used by
// the account returns the load balancer it created. orderID is set for PrePay
// instances.
func (s *Service) CreateLoadBalancer(ctx context.Context, p *slbcert.Principal, in Params, tags []slbcert.Tag) (lb *LoadBalancer, orderID int64, err error) {
	store, err := s.lbStore()
	if err != nil {
		return nil, 0, err
	}
	reg, err := s.region(p, in.Get("RegionId"))
	if err != nil {
		return nil, 0, err
	}
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
		MasterZoneID: in.Get("MasterZoneId"), SlaveZoneID: in.Get("SlaveZoneId"),
		VpcID: in.Get("VpcId"), VSwitchID: in.Get("VSwitchId"),
		DeleteProtection: "off", ModificationProtectionStatus: "NonProtection",
		ClientToken: in.Get("ClientToken"), CreateTime: s.now(),
		BackendServers: []BackendServer{}, Tags: dedupeTags(tags),
	}
	if err := s.readCreateParams(p, in, lb); err != nil {
		return nil, 0, err
	}
	limit := p.Account.Quota(QuotaLoadBalancers, DefaultLoadBalancerQuota)
	created, err := store.CreateLoadBalancer(ctx, lb, limit, s.addressPool())
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
func (s *Service) readCreateParams(p *slbcert.Principal, in Params, lb *LoadBalancer) error {
	var err error
	if v := in.Get("LoadBalancerName"); v != "" {
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
	if v := in.Get("AddressType"); v != "" {
		if lb.AddressType, err = choice("AddressType", v, "internet", "intranet"); err != nil {
			return err
		}
	}
	if v := in.Get("AddressIPVersion"); v != "" {
		if lb.AddressIPVersion, err = choice("AddressIPVersion", v, "ipv4", "ipv6"); err != nil {
			return err
		}
	}
	if v := in.Get("Address"); v != "" {
		a, perr := netip.ParseAddr(v)
		if perr != nil || !s.addressPool().Contains(a) {
			return slbcert.Errorf(slbcert.EInvalidParameter, "Illegal parameter. The IP address is not in subnet: %q is not in %s.", v, s.addressPool())
		}
		lb.Address = a.String()
	}
	if v := in.Get("LoadBalancerSpec"); v != "" {
		if lb.Spec, err = choice("LoadBalancerSpec", v, loadBalancerSpecs...); err != nil {
			return err
		}
	}
	if v := in.Get("PayType"); v != "" {
		if lb.PayType, err = choice("PayType", v, "PayOnDemand", "PrePay"); err != nil {
			return err
		}
	}
	if v := in.Get("InstanceChargeType"); v != "" {
		if lb.InstanceChargeType, err = choice("InstanceChargeType", v, "PayBySpec", "PayByCLCU"); err != nil {
			return err
		}
	}
	if v := in.Get("InternetChargeType"); v != "" {
		if lb.InternetChargeType, err = choice("InternetChargeType", v, "paybytraffic", "paybybandwidth"); err != nil {
			return err
		}
	}
	if v := in.Get("Bandwidth"); v != "" {
		if lb.Bandwidth, err = integer("Bandwidth", v, 1, 5120); err != nil {
			return err
		}
	}
	if lb.InstanceChargeType == "PayByCLCU" {
		if lb.PayType == "PrePay" {
			return slbcert.Errorf(EOperationNotAllowed, "A PrePay instance cannot be charged by CLCU (InstanceChargeType PayByCLCU).")
		}
		// The specification does not apply; the instance is elastic.
		lb.Spec, lb.InternetChargeType = "slb.lcu.elastic", "paybytraffic"
	}
	if lb.PayType == "PrePay" {
		if err := readPrePay(in, lb); err != nil {
			return err
		}
	}
	if v := in.Get("DeleteProtection"); v != "" {
		if lb.DeleteProtection, err = flag("DeleteProtection", v); err != nil {
			return err
		}
	}
	if err := readModificationProtection(in, lb); err != nil {
		return err
	}
	lb.ResourceGroupID, err = p.Account.ResourceGroup(in.Get("ResourceGroupId"))
	return err
}

// readPrePay checks a PrePay instance's billing period: 1–9 months or 1–5
// years (Duration, PricingCycle).
func readPrePay(in Params, lb *LoadBalancer) error {
	cycle, err := "month", error(nil)
	if v := in.Get("PricingCycle"); v != "" {
		if cycle, err = choice("PricingCycle", v, "month", "year"); err != nil {
			return err
		}
	}
	max := 9
	if cycle == "year" {
		max = 5
	}
	lb.PricingCycle, lb.Duration = cycle, 1
	if v := in.Get("Duration"); v != "" {
		if lb.Duration, err = integer("Duration", v, 1, max); err != nil {
			return err
		}
	}
	if v := in.Get("AutoPay"); v != "" {
		if _, err := boolean("AutoPay", v); err != nil {
			return err
		}
	}
	return nil
}

// readModificationProtection checks ModificationProtectionStatus and
// Reason: NonProtection clears the reason.
func readModificationProtection(in Params, lb *LoadBalancer) error {
	if v := in.Get("ModificationProtectionStatus"); v != "" {
		status, err := choice("ModificationProtectionStatus", v, "NonProtection", "ConsoleProtection")
		if err != nil {
			return err
		}
		lb.ModificationProtectionStatus = status
	}
	if v := in.Get("ModificationProtectionReason"); v != "" {
		if err := checkName("ModificationProtectionReason", v, 80, namePattern, "1 to 80 characters, starting with a letter"); err != nil {
			return err
		}
		lb.ModificationProtectionReason = v
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

// DescribeLoadBalancers lists the account's load balancers in a region, oldest
// first, filtered (every filter must hold) and paged (docs/choices.md, "Load
// balancers, listeners and certificates in use (CLB)": Values).
func (s *Service) DescribeLoadBalancers(ctx context.Context, p *slbcert.Principal, in Params, tags []slbcert.Tag) (*LoadBalancerPage, error) {
	store, err := s.lbStore()
	if err != nil {
		return nil, err
	}
	reg, err := s.region(p, in.Get("RegionId"))
	if err != nil {
		return nil, err
	}
	if err := s.authorize(p, "DescribeLoadBalancers", lbARN(reg.ID, p.Account.ID, "*"), tags); err != nil {
		return nil, err
	}
	if err := checkTagCount(len(tags)); err != nil {
		return nil, err
	}
	legacy, err := legacyTags(in.Get("Tags"))
	if err != nil {
		return nil, err
	}
	tags = append(tags, legacy...)
	page := &LoadBalancerPage{PageNumber: 1, PageSize: 10}
	if v := in.Get("PageNumber"); v != "" {
		if page.PageNumber, err = integer("PageNumber", v, 1, 1<<30); err != nil {
			return nil, err
		}
	}
	if v := in.Get("PageSize"); v != "" {
		if page.PageSize, err = integer("PageSize", v, 1, 100); err != nil {
			return nil, err
		}
	}
	match, err := lbMatcher(in, tags)
	if err != nil {
		return nil, err
	}
	all, err := store.FindLoadBalancers(ctx, LoadBalancerFilter{AccountID: p.Account.ID, RegionID: reg.ID})
	if err != nil {
		return nil, storeError(err, nil)
	}
	var servers map[string][]BackendServer // by load balancer, when a server filter asks
	if in.Get("ServerId") != "" || in.Get("ServerIntranetAddress") != "" {
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
func lbMatcher(in Params, tags []slbcert.Tag) (func(lb *LoadBalancer, servers []BackendServer) bool, error) {
	// As DescribeServerCertificates refuses it (docs/choices.md, "Certificate
	// checks": the ResourceGroupId row).
	if err := slbcert.CheckResourceGroupID("ResourceGroupId", in.Get("ResourceGroupId")); err != nil {
		return nil, err
	}
	ids, names := splitIDs(in.Get("LoadBalancerId")), splitIDs(in.Get("LoadBalancerName"))
	for name, list := range map[string][]string{"LoadBalancerId": ids, "LoadBalancerName": names} {
		if len(list) > 10 {
			return nil, errInvalidValue(name, in.Get(name), "at most 10 comma-separated values")
		}
	}
	exact := []struct {
		param string
		field func(*LoadBalancer) string
	}{
		{"LoadBalancerStatus", func(lb *LoadBalancer) string { return lb.Status }},
		{"Address", func(lb *LoadBalancer) string { return lb.Address }},
		{"AddressIPVersion", func(lb *LoadBalancer) string { return lb.AddressIPVersion }},
		{"AddressType", func(lb *LoadBalancer) string { return lb.AddressType }},
		{"NetworkType", func(lb *LoadBalancer) string { return lb.NetworkType }},
		{"VpcId", func(lb *LoadBalancer) string { return lb.VpcID }},
		{"VSwitchId", func(lb *LoadBalancer) string { return lb.VSwitchID }},
		{"MasterZoneId", func(lb *LoadBalancer) string { return lb.MasterZoneID }},
		{"SlaveZoneId", func(lb *LoadBalancer) string { return lb.SlaveZoneID }},
		{"InternetChargeType", func(lb *LoadBalancer) string { return lb.InternetChargeType }},
		{"PayType", func(lb *LoadBalancer) string { return lb.PayType }},
		{"InstanceChargeType", func(lb *LoadBalancer) string { return lb.InstanceChargeType }},
		{"ResourceGroupId", func(lb *LoadBalancer) string { return lb.ResourceGroupID }},
	}
	serverID, addresses := in.Get("ServerId"), splitIDs(in.Get("ServerIntranetAddress"))
	return func(lb *LoadBalancer, servers []BackendServer) bool {
		if len(ids) > 0 && !slices.Contains(ids, lb.ID) || len(names) > 0 && !slices.Contains(names, lb.Name) {
			return false
		}
		for _, f := range exact {
			if v := in.Get(f.param); v != "" && !strings.EqualFold(v, f.field(lb)) {
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

// DescribeLoadBalancerAttribute returns one load balancer with its
// listeners (RegionId optional).
func (s *Service) DescribeLoadBalancerAttribute(ctx context.Context, p *slbcert.Principal, regionID, id string) (*LoadBalancerAttribute, error) {
	lb, err := s.loadBalancer(ctx, p, "DescribeLoadBalancerAttribute", regionID, id, regionOptional)
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
func (s *Service) DeleteLoadBalancer(ctx context.Context, p *slbcert.Principal, regionID, id string) error {
	lb, err := s.loadBalancer(ctx, p, "DeleteLoadBalancer", regionID, id, regionOptional)
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
	return s.served(ctx, storeError(s.LoadBalancers.DeleteLoadBalancer(ctx, p.Account.ID, lb.ID), errLoadBalancerNotFound(id)))
}
