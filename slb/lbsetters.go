package slb

import (
	"context"
	"encoding/json"

	"slbcert"
)

// The setters of one load balancer. Each resolves the load balancer
// (RegionId optional unless noted), checks its parameters, and changes it
// in one transaction.

// SetLoadBalancerNameInput is SetLoadBalancerName's request.
type SetLoadBalancerNameInput struct {
	// RegionID is optional: without it the load balancer's own region.
	RegionID       string
	LoadBalancerID string
	// LoadBalancerName (required) is 1–80 characters, a letter first.
	LoadBalancerName string
}

// SetLoadBalancerName renames a load balancer.
func (s *Service) SetLoadBalancerName(ctx context.Context, p *slbcert.Principal, in SetLoadBalancerNameInput) error {
	name := in.LoadBalancerName
	_, err := s.changeLoadBalancer(ctx, p, "SetLoadBalancerName", in.RegionID, in.LoadBalancerID, regionOptional,
		func(*LoadBalancer) error {
			if name == "" {
				return slbcert.MissingParameter("LoadBalancerName")
			}
			return checkLoadBalancerName(name)
		},
		func(lb *LoadBalancer) error { lb.Name = name; return nil })
	return err
}

// SetLoadBalancerStatusInput is SetLoadBalancerStatus' request.
type SetLoadBalancerStatusInput struct {
	// RegionID is optional: without it the load balancer's own region.
	RegionID       string
	LoadBalancerID string
	// LoadBalancerStatus (required) is active or inactive.
	LoadBalancerStatus string
}

// SetLoadBalancerStatus makes a load balancer active or inactive.
func (s *Service) SetLoadBalancerStatus(ctx context.Context, p *slbcert.Principal, in SetLoadBalancerStatusInput) error {
	var status string
	_, err := s.changeLoadBalancer(ctx, p, "SetLoadBalancerStatus", in.RegionID, in.LoadBalancerID, regionOptional,
		func(*LoadBalancer) (err error) {
			v := in.LoadBalancerStatus
			if v == "" {
				return slbcert.MissingParameter("LoadBalancerStatus")
			}
			status, err = choice("LoadBalancerStatus", v, LoadBalancerActive, LoadBalancerInactive)
			return err
		},
		func(lb *LoadBalancer) error { lb.Status = status; return nil })
	return s.served(ctx, err)
}

// SetLoadBalancerDeleteProtectionInput is
// SetLoadBalancerDeleteProtection's request.
type SetLoadBalancerDeleteProtectionInput struct {
	// RegionID is required.
	RegionID       string
	LoadBalancerID string
	// DeleteProtection (required) is on or off.
	DeleteProtection string
}

// SetLoadBalancerDeleteProtection turns delete protection on or off
// (RegionId required).
func (s *Service) SetLoadBalancerDeleteProtection(ctx context.Context, p *slbcert.Principal, in SetLoadBalancerDeleteProtectionInput) error {
	var on string
	_, err := s.changeLoadBalancer(ctx, p, "SetLoadBalancerDeleteProtection", in.RegionID, in.LoadBalancerID, regionRequired,
		func(*LoadBalancer) (err error) {
			v := in.DeleteProtection
			if v == "" {
				return slbcert.MissingParameter("DeleteProtection")
			}
			on, err = flag("DeleteProtection", v)
			return err
		},
		func(lb *LoadBalancer) error { lb.DeleteProtection = on; return nil })
	return err
}

// SetLoadBalancerModificationProtectionInput is
// SetLoadBalancerModificationProtection's request.
type SetLoadBalancerModificationProtectionInput struct {
	// RegionID is required.
	RegionID       string
	LoadBalancerID string
	// ModificationProtectionStatus (required) is NonProtection, which
	// clears the reason, or ConsoleProtection; ModificationProtectionReason
	// is 1–80 characters, a letter first.
	ModificationProtectionStatus string
	ModificationProtectionReason string
}

// SetLoadBalancerModificationProtection sets the modification protection
// and its reason (RegionId required); NonProtection clears the reason.
func (s *Service) SetLoadBalancerModificationProtection(ctx context.Context, p *slbcert.Principal, in SetLoadBalancerModificationProtectionInput) error {
	_, err := s.changeLoadBalancer(ctx, p, "SetLoadBalancerModificationProtection", in.RegionID, in.LoadBalancerID, regionRequired,
		func(lb *LoadBalancer) error {
			if in.ModificationProtectionStatus == "" {
				return slbcert.MissingParameter("ModificationProtectionStatus")
			}
			return readModificationProtection(in.ModificationProtectionStatus, in.ModificationProtectionReason, &LoadBalancer{})
		},
		func(lb *LoadBalancer) error {
			return readModificationProtection(in.ModificationProtectionStatus, in.ModificationProtectionReason, lb)
		})
	return err
}

// ModifyLoadBalancerInstanceSpecInput is ModifyLoadBalancerInstanceSpec's
// request.
type ModifyLoadBalancerInstanceSpecInput struct {
	// RegionID is optional: without it the load balancer's own region.
	RegionID       string
	LoadBalancerID string
	// LoadBalancerSpec (required) is the new specification,
	// slb.s1.small … slb.lcu.elastic.
	LoadBalancerSpec string
	// AutoPay is true or false (recorded nowhere).
	AutoPay Param[bool]
}

// ModifyLoadBalancerInstanceSpec changes the specification; it returns the
// OrderId of a PrePay instance's change.
func (s *Service) ModifyLoadBalancerInstanceSpec(ctx context.Context, p *slbcert.Principal, in ModifyLoadBalancerInstanceSpecInput) (int64, error) {
	var spec string
	lb, err := s.changeLoadBalancer(ctx, p, "ModifyLoadBalancerInstanceSpec", in.RegionID, in.LoadBalancerID, regionOptional,
		func(*LoadBalancer) (err error) {
			v := in.LoadBalancerSpec
			if v == "" {
				return slbcert.MissingParameter("LoadBalancerSpec")
			}
			if spec, err = choice("LoadBalancerSpec", v, loadBalancerSpecs...); err != nil {
				return err
			}
			return checkBool("AutoPay", in.AutoPay)
		},
		func(lb *LoadBalancer) error { lb.Spec = spec; return nil })
	if err != nil {
		return 0, err
	}
	return s.orderID(lb), nil
}

// ModifyLoadBalancerInternetSpecInput is ModifyLoadBalancerInternetSpec's
// request; what is not given is kept.
type ModifyLoadBalancerInternetSpecInput struct {
	// RegionID is optional: without it the load balancer's own region.
	RegionID       string
	LoadBalancerID string
	// InternetChargeType is paybytraffic or paybybandwidth, any case.
	InternetChargeType string
	// Bandwidth is in Mbit/s, 1–5000.
	Bandwidth Param[int]
	// Ratio (1–100) and AutoPay (true or false) are checked, and recorded
	// nowhere.
	Ratio   Param[int]
	AutoPay Param[bool]
}

// ModifyLoadBalancerInternetSpec changes the internet charge type (matched
// case-insensitively: Terraform sends PayByTraffic here, paybytraffic on
// create) and the bandwidth (1–5000).
func (s *Service) ModifyLoadBalancerInternetSpec(ctx context.Context, p *slbcert.Principal, in ModifyLoadBalancerInternetSpecInput) (int64, error) {
	var charge string
	bandwidth := 0
	lb, err := s.changeLoadBalancer(ctx, p, "ModifyLoadBalancerInternetSpec", in.RegionID, in.LoadBalancerID, regionOptional,
		func(*LoadBalancer) (err error) {
			if v := in.InternetChargeType; v != "" {
				if charge, err = choice("InternetChargeType", v, "paybytraffic", "paybybandwidth"); err != nil {
					return err
				}
			}
			if bandwidth, err = optionalInt("Bandwidth", in.Bandwidth, 1, 5000, 0); err != nil {
				return err
			}
			if _, err := optionalInt("Ratio", in.Ratio, 1, 100, 0); err != nil {
				return err
			}
			return checkBool("AutoPay", in.AutoPay)
		},
		func(lb *LoadBalancer) error {
			if charge != "" {
				lb.InternetChargeType = charge
			}
			if bandwidth != 0 {
				lb.Bandwidth = bandwidth
			}
			return nil
		})
	if err != nil {
		return 0, err
	}
	return s.orderID(lb), nil
}

// ModifyLoadBalancerInstanceChargeTypeInput is
// ModifyLoadBalancerInstanceChargeType's request.
type ModifyLoadBalancerInstanceChargeTypeInput struct {
	// RegionID is optional: without it the load balancer's own region.
	RegionID       string
	LoadBalancerID string
	// InstanceChargeType (required) is PayBySpec or PayByCLCU.
	InstanceChargeType string
	// LoadBalancerSpec, InternetChargeType (paybytraffic or
	// paybybandwidth, any case) and Bandwidth (Mbit/s, 1–5120) go with
	// PayBySpec; what is not given is kept.
	LoadBalancerSpec   string
	InternetChargeType string
	Bandwidth          Param[int]
}

// ModifyLoadBalancerInstanceChargeType switches between PayBySpec and
// PayByCLCU (with the specification, bandwidth and internet charge type
// that go with it), recorded as given.
func (s *Service) ModifyLoadBalancerInstanceChargeType(ctx context.Context, p *slbcert.Principal, in ModifyLoadBalancerInstanceChargeTypeInput) error {
	var chargeType, spec, internet string
	bandwidth := 0
	_, err := s.changeLoadBalancer(ctx, p, "ModifyLoadBalancerInstanceChargeType", in.RegionID, in.LoadBalancerID, regionOptional,
		func(lb *LoadBalancer) (err error) {
			v := in.InstanceChargeType
			if v == "" {
				return slbcert.MissingParameter("InstanceChargeType")
			}
			if chargeType, err = choice("InstanceChargeType", v, "PayBySpec", "PayByCLCU"); err != nil {
				return err
			}
			if chargeType == "PayByCLCU" && lb.PayType == "PrePay" {
				return slbcert.Errorf(EOperationNotAllowed, "A PrePay instance cannot be charged by CLCU (InstanceChargeType PayByCLCU).")
			}
			if v := in.LoadBalancerSpec; v != "" {
				if spec, err = choice("LoadBalancerSpec", v, loadBalancerSpecs...); err != nil {
					return err
				}
			}
			if v := in.InternetChargeType; v != "" {
				if internet, err = choice("InternetChargeType", v, "paybytraffic", "paybybandwidth"); err != nil {
					return err
				}
			}
			bandwidth, err = optionalInt("Bandwidth", in.Bandwidth, 1, 5120, 0)
			return err
		},
		func(lb *LoadBalancer) error {
			lb.InstanceChargeType = chargeType
			switch {
			case chargeType == "PayByCLCU":
				lb.Spec, lb.InternetChargeType = "slb.lcu.elastic", "paybytraffic"
			case spec != "":
				lb.Spec = spec
			}
			if internet != "" && chargeType != "PayByCLCU" {
				lb.InternetChargeType = internet
			}
			if bandwidth != 0 {
				lb.Bandwidth = bandwidth
			}
			return nil
		})
	return err
}

// ModifyLoadBalancerPayTypeInput is ModifyLoadBalancerPayType's request.
type ModifyLoadBalancerPayTypeInput struct {
	// RegionID is optional: without it the load balancer's own region.
	RegionID       string
	LoadBalancerID string
	// PayType (required) is PayOnDemand or PrePay.
	PayType string
	// PricingCycle (month, the default, or year), Duration (1–9 months or
	// 1–5 years, default 1) and AutoPay (true or false) go with PrePay.
	PricingCycle string
	Duration     Param[int]
	AutoPay      Param[bool]
}

// ModifyLoadBalancerPayType switches a pay-as-you-go instance to PrePay
// (with its period), recorded as given.
func (s *Service) ModifyLoadBalancerPayType(ctx context.Context, p *slbcert.Principal, in ModifyLoadBalancerPayTypeInput) (int64, error) {
	var payType string
	lb, err := s.changeLoadBalancer(ctx, p, "ModifyLoadBalancerPayType", in.RegionID, in.LoadBalancerID, regionOptional,
		func(lb *LoadBalancer) (err error) {
			v := in.PayType
			if v == "" {
				return slbcert.MissingParameter("PayType")
			}
			if payType, err = choice("PayType", v, "PayOnDemand", "PrePay"); err != nil {
				return err
			}
			if payType == "PrePay" {
				if lb.InstanceChargeType == "PayByCLCU" {
					return slbcert.Errorf(EOperationNotAllowed, "A PayByCLCU instance cannot be switched to PrePay.")
				}
				return readPrePay(in.PricingCycle, in.Duration, in.AutoPay, &LoadBalancer{})
			}
			return nil
		},
		func(lb *LoadBalancer) error {
			lb.PayType = payType
			if payType == "PrePay" {
				return readPrePay(in.PricingCycle, in.Duration, in.AutoPay, lb)
			}
			lb.Duration, lb.PricingCycle = 0, ""
			return nil
		})
	if err != nil {
		return 0, err
	}
	return s.orderID(lb), nil
}

// ParseLegacyTags reads DescribeLoadBalancers' older Tags filter, a JSON
// list of {"TagKey": …, "TagValue": …}; its Err is the API's answer.
func ParseLegacyTags(raw string) Param[[]slbcert.Tag] {
	if raw == "" {
		return Param[[]slbcert.Tag]{}
	}
	var list []struct{ TagKey, TagValue string }
	if err := json.Unmarshal([]byte(raw), &list); err != nil {
		return Param[[]slbcert.Tag]{Set: true, Raw: raw, Err: errInvalidValue("Tags", raw, `a JSON list of {"TagKey": …, "TagValue": …}`)}
	}
	out := make([]slbcert.Tag, 0, len(list))
	for _, t := range list {
		out = append(out, slbcert.Tag{Key: t.TagKey, Value: t.TagValue})
	}
	return Param[[]slbcert.Tag]{Set: true, Raw: raw, Value: out}
}
