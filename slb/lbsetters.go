package slb

import (
	"context"
	"encoding/json"

	"slbcert"
)

// The setters of one load balancer. Each resolves the load balancer (RegionId
// optional unless noted: docs/choices.md, "Load balancers, listeners and
// certificates in use (CLB)": RAM and regions), checks its parameters, and
// changes it in one transaction.

// SetLoadBalancerName renames a load balancer.
func (s *Service) SetLoadBalancerName(ctx context.Context, p *slbcert.Principal, in Params) error {
	name := in.Get("LoadBalancerName")
	_, err := s.changeLoadBalancer(ctx, p, "SetLoadBalancerName", in.Get("RegionId"), in.Get("LoadBalancerId"), regionOptional,
		func(*LoadBalancer) error {
			if name == "" {
				return slbcert.MissingParameter("LoadBalancerName")
			}
			return checkLoadBalancerName(name)
		},
		func(lb *LoadBalancer) error { lb.Name = name; return nil })
	return err
}

// SetLoadBalancerStatus makes a load balancer active or inactive.
func (s *Service) SetLoadBalancerStatus(ctx context.Context, p *slbcert.Principal, in Params) error {
	var status string
	_, err := s.changeLoadBalancer(ctx, p, "SetLoadBalancerStatus", in.Get("RegionId"), in.Get("LoadBalancerId"), regionOptional,
		func(*LoadBalancer) (err error) {
			v := in.Get("LoadBalancerStatus")
			if v == "" {
				return slbcert.MissingParameter("LoadBalancerStatus")
			}
			status, err = choice("LoadBalancerStatus", v, LoadBalancerActive, LoadBalancerInactive)
			return err
		},
		func(lb *LoadBalancer) error { lb.Status = status; return nil })
	return s.served(ctx, err)
}

// SetLoadBalancerDeleteProtection turns delete protection on or off
// (RegionId required).
func (s *Service) SetLoadBalancerDeleteProtection(ctx context.Context, p *slbcert.Principal, in Params) error {
	var on string
	_, err := s.changeLoadBalancer(ctx, p, "SetLoadBalancerDeleteProtection", in.Get("RegionId"), in.Get("LoadBalancerId"), regionRequired,
		func(*LoadBalancer) (err error) {
			v := in.Get("DeleteProtection")
			if v == "" {
				return slbcert.MissingParameter("DeleteProtection")
			}
			on, err = flag("DeleteProtection", v)
			return err
		},
		func(lb *LoadBalancer) error { lb.DeleteProtection = on; return nil })
	return err
}

// SetLoadBalancerModificationProtection sets the modification protection
// and its reason (RegionId required); NonProtection clears the reason.
func (s *Service) SetLoadBalancerModificationProtection(ctx context.Context, p *slbcert.Principal, in Params) error {
	_, err := s.changeLoadBalancer(ctx, p, "SetLoadBalancerModificationProtection", in.Get("RegionId"), in.Get("LoadBalancerId"), regionRequired,
		func(lb *LoadBalancer) error {
			if in.Get("ModificationProtectionStatus") == "" {
				return slbcert.MissingParameter("ModificationProtectionStatus")
			}
			return readModificationProtection(in, &LoadBalancer{})
		},
		func(lb *LoadBalancer) error { return readModificationProtection(in, lb) })
	return err
}

// ModifyLoadBalancerInstanceSpec changes the specification; it returns the
// OrderId of a PrePay instance's change.
func (s *Service) ModifyLoadBalancerInstanceSpec(ctx context.Context, p *slbcert.Principal, in Params) (int64, error) {
	var spec string
	lb, err := s.changeLoadBalancer(ctx, p, "ModifyLoadBalancerInstanceSpec", in.Get("RegionId"), in.Get("LoadBalancerId"), regionOptional,
		func(*LoadBalancer) (err error) {
			v := in.Get("LoadBalancerSpec")
			if v == "" {
				return slbcert.MissingParameter("LoadBalancerSpec")
			}
			if spec, err = choice("LoadBalancerSpec", v, loadBalancerSpecs...); err != nil {
				return err
			}
			return checkBooleans(in, "AutoPay")
		},
		func(lb *LoadBalancer) error { lb.Spec = spec; return nil })
	if err != nil {
		return 0, err
	}
	return s.orderID(lb), nil
}

// ModifyLoadBalancerInternetSpec changes the internet charge type (matched
// case-insensitively: Terraform sends PayByTraffic here, paybytraffic on
// create) and the bandwidth (1–5000).
func (s *Service) ModifyLoadBalancerInternetSpec(ctx context.Context, p *slbcert.Principal, in Params) (int64, error) {
	var charge string
	bandwidth := 0
	lb, err := s.changeLoadBalancer(ctx, p, "ModifyLoadBalancerInternetSpec", in.Get("RegionId"), in.Get("LoadBalancerId"), regionOptional,
		func(*LoadBalancer) (err error) {
			if v := in.Get("InternetChargeType"); v != "" {
				if charge, err = choice("InternetChargeType", v, "paybytraffic", "paybybandwidth"); err != nil {
					return err
				}
			}
			if v := in.Get("Bandwidth"); v != "" {
				if bandwidth, err = integer("Bandwidth", v, 1, 5000); err != nil {
					return err
				}
			}
			if v := in.Get("Ratio"); v != "" {
				if _, err := integer("Ratio", v, 1, 100); err != nil {
					return err
				}
			}
			return checkBooleans(in, "AutoPay")
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

// ModifyLoadBalancerInstanceChargeType switches between PayBySpec and
// PayByCLCU (with the specification, bandwidth and internet charge type
// that go with it), recorded as given.
func (s *Service) ModifyLoadBalancerInstanceChargeType(ctx context.Context, p *slbcert.Principal, in Params) error {
	var chargeType, spec, internet string
	bandwidth := 0
	_, err := s.changeLoadBalancer(ctx, p, "ModifyLoadBalancerInstanceChargeType", in.Get("RegionId"), in.Get("LoadBalancerId"), regionOptional,
		func(lb *LoadBalancer) (err error) {
			v := in.Get("InstanceChargeType")
			if v == "" {
				return slbcert.MissingParameter("InstanceChargeType")
			}
			if chargeType, err = choice("InstanceChargeType", v, "PayBySpec", "PayByCLCU"); err != nil {
				return err
			}
			if chargeType == "PayByCLCU" && lb.PayType == "PrePay" {
				return slbcert.Errorf(EOperationNotAllowed, "A PrePay instance cannot be charged by CLCU (InstanceChargeType PayByCLCU).")
			}
			if v := in.Get("LoadBalancerSpec"); v != "" {
				if spec, err = choice("LoadBalancerSpec", v, loadBalancerSpecs...); err != nil {
					return err
				}
			}
			if v := in.Get("InternetChargeType"); v != "" {
				if internet, err = choice("InternetChargeType", v, "paybytraffic", "paybybandwidth"); err != nil {
					return err
				}
			}
			if v := in.Get("Bandwidth"); v != "" {
				bandwidth, err = integer("Bandwidth", v, 1, 5120)
			}
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

// ModifyLoadBalancerPayType switches a pay-as-you-go instance to PrePay
// (with its period), recorded as given.
func (s *Service) ModifyLoadBalancerPayType(ctx context.Context, p *slbcert.Principal, in Params) (int64, error) {
	var payType string
	lb, err := s.changeLoadBalancer(ctx, p, "ModifyLoadBalancerPayType", in.Get("RegionId"), in.Get("LoadBalancerId"), regionOptional,
		func(lb *LoadBalancer) (err error) {
			v := in.Get("PayType")
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
				return readPrePay(in, &LoadBalancer{})
			}
			return nil
		},
		func(lb *LoadBalancer) error {
			lb.PayType = payType
			if payType == "PrePay" {
				return readPrePay(in, lb)
			}
			lb.Duration, lb.PricingCycle = 0, ""
			return nil
		})
	if err != nil {
		return 0, err
	}
	return s.orderID(lb), nil
}

// checkBooleans requires the named parameters, when given, to be true or false.
func checkBooleans(in Params, names ...string) error {
	for _, n := range names {
		if v := in.Get(n); v != "" {
			if _, err := boolean(n, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// legacyTags reads the old Tags filter, a JSON list of {TagKey, TagValue}.
func legacyTags(v string) ([]slbcert.Tag, error) {
	if v == "" {
		return nil, nil
	}
	var list []struct{ TagKey, TagValue string }
	if err := json.Unmarshal([]byte(v), &list); err != nil {
		return nil, errInvalidValue("Tags", v, `a JSON list of {"TagKey": …, "TagValue": …}`)
	}
	out := make([]slbcert.Tag, 0, len(list))
	for _, t := range list {
		out = append(out, slbcert.Tag{Key: t.TagKey, Value: t.TagValue})
	}
	return out, checkTagCount(len(out))
}
