package slb

import (
	"context"
	"errors"
	"slices"
	"strings"

	"slbcert"
)

// builtinTLSCipherPolicies are the TLS policies every HTTPS listener may use
// (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/user-guide/tls-security-policies).
var builtinTLSCipherPolicies = []string{
	"tls_cipher_policy_1_0", "tls_cipher_policy_1_1", "tls_cipher_policy_1_2",
	"tls_cipher_policy_1_2_strict", "tls_cipher_policy_1_2_strict_with_1_3",
}

// certificateRef checks a certificate a listener or domain extension is to
// reference: RAM on certificate/{id} (with its tags), then that it exists in
// the load balancer's account and region, of kind. No expiry, name or CA-flag
// check: real runs bind such certificates (docs/choices.md, "Load balancers,
// listeners and certificates in use (CLB)": States and references).
func (s *Service) certificateRef(ctx context.Context, p *slbcert.Principal, action string, lb *LoadBalancer, param, id string, kind CertificateKind) error {
	found, err := s.Store.FindCertificates(ctx, CertificateFilter{AccountID: p.Account.ID, RegionID: lb.RegionID, IDs: []string{id}})
	if err != nil {
		return storeError(err, nil)
	}
	var tags []slbcert.Tag
	if len(found) == 1 {
		tags = found[0].Tags
	}
	if err := s.authorize(p, action, arn(lb.RegionID, p.Account.ID, id), tags); err != nil {
		return err
	}
	if len(found) == 0 {
		return slbcert.Errorf(slbcert.EInvalidParameter, "The specified %s %q does not exist in region %s.", param, id, lb.RegionID)
	}
	if found[0].Kind != kind {
		want := "a server certificate"
		if kind == KindCA {
			want = "a CA certificate"
		}
		return slbcert.Errorf(slbcert.EInvalidParameter, "The specified parameter %s is not Support: %q is not %s.", param, id, want)
	}
	return nil
}

// listenerRefs are the references a Create or Set asks for; empty fields
// are not asked for (keep the current reference).
type listenerRefs struct {
	serverCertificate, caCertificate, vserverGroup, tlsCipherPolicy string
	// dropGroup: VServerGroup=off, back to the default server list.
	dropGroup bool
	// acls, when not nil, are the ACLs AclId names (docs/choices.md,
	// "Access control lists").
	acls []string
}

// readListenerRefs checks the references of a listener request on lb:
// certificates (HTTPS; ServerCertificateId, CACertificateId, or the
// SDK-only ServerCertificate.N list), the access control lists, the
// VServer group, the TLS policy.
func (s *Service) readListenerRefs(ctx context.Context, p *slbcert.Principal, action, protocol string, lb *LoadBalancer, in *HTTPListenerInput) (listenerRefs, error) {
	var r listenerRefs
	if protocol == ProtocolHTTPS {
		r.serverCertificate, r.caCertificate = in.ServerCertificateID, in.CACertificateID
		for _, e := range in.ServerCertificates {
			id := e.CertificateID
			switch {
			case id == "":
			case strings.EqualFold(e.BindingType, "Ca") || strings.EqualFold(e.BindingType, "CA"):
				if r.caCertificate == "" {
					r.caCertificate = id
				}
			case r.serverCertificate == "":
				r.serverCertificate = id
			}
		}
		if r.serverCertificate != "" {
			if err := s.certificateRef(ctx, p, action, lb, "ServerCertificateId", r.serverCertificate, KindServer); err != nil {
				return r, err
			}
		}
		if r.caCertificate != "" {
			if err := s.certificateRef(ctx, p, action, lb, "CACertificateId", r.caCertificate, KindCA); err != nil {
				return r, err
			}
		}
		if v := in.TLSCipherPolicy; v != "" {
			if err := s.checkTLSCipherPolicyRef(ctx, p, lb, v); err != nil {
				return r, err
			}
			r.tlsCipherPolicy = v
		}
	}
	var err error
	if r.acls, err = s.listenerACLRefs(ctx, p, action, lb, in.AclID); err != nil {
		return r, err
	}
	err = s.readGroupRefs(ctx, p, lb, &r, groupParams{vserverGroup: in.VServerGroup, vserverGroupID: in.VServerGroupID,
		masterSlaveGroupID: in.MasterSlaveServerGroupID})
	return r, err
}

// groupParams are the server-group parameters of a listener request.
type groupParams struct {
	vserverGroup, vserverGroupID         string
	masterSlaveGroup, masterSlaveGroupID string
}

// readGroupRefs checks the server group a listener request asks for: a
// VServer group of lb (VServerGroup=off drops it), never with a
// master-slave group too. Master-slave groups are not kept here: every id
// is unknown, with the answer Terraform matches.
func (s *Service) readGroupRefs(ctx context.Context, p *slbcert.Principal, lb *LoadBalancer, r *listenerRefs, in groupParams) error {
	vsOn := false
	if in.vserverGroup != "" {
		on, err := flag("VServerGroup", in.vserverGroup)
		if err != nil {
			return err
		}
		r.dropGroup, vsOn = on == "off", on == "on"
	}
	msOn := false
	if in.masterSlaveGroup != "" {
		on, err := flag("MasterSlaveServerGroup", in.masterSlaveGroup)
		if err != nil {
			return err
		}
		msOn = on == "on"
	}
	if vsOn && msOn || in.vserverGroupID != "" && !r.dropGroup && in.masterSlaveGroupID != "" {
		return slbcert.Errorf(EGroupKindsMissMatch, "A listener forwards to a VServer group or a master-slave server group, not both.")
	}
	if vsOn && in.vserverGroupID == "" {
		return slbcert.MissingParameter("VServerGroupId")
	}
	if id := in.vserverGroupID; id != "" && !r.dropGroup {
		g, err := s.LoadBalancers.GetVServerGroup(ctx, p.Account.ID, id)
		if errors.Is(err, slbcert.ErrNotFound) || err == nil && g.LoadBalancerID != lb.ID {
			return errVServerGroupNotFound()
		}
		if err != nil {
			return storeError(err, nil)
		}
		r.vserverGroup = id
		return nil
	}
	if in.masterSlaveGroupID != "" || msOn {
		return withStatus(slbcert.Errorf(slbcert.EInvalidParameter, "The specified MasterSlaveGroupId does not exist."), 404)
	}
	return nil
}

// listenerACLRefs checks the ACLs a listener request names (AclId, a comma
// list): nil when it names none.
func (s *Service) listenerACLRefs(ctx context.Context, p *slbcert.Principal, action string, lb *LoadBalancer, aclID string) ([]string, error) {
	if aclID == "" {
		return nil, nil
	}
	ids := aclIDList(aclID)
	if err := s.checkListenerACLs(ctx, p, action, lb, ids, nil); err != nil {
		return nil, err
	}
	return ids, nil
}

// checkTLSCipherPolicyRef accepts a built-in policy, or a custom policy (tls-…)
// of the account in the load balancer's region. A shared-resource instance
// keeps the default policy (docs/choices.md, "Load balancers, listeners and
// certificates in use (CLB)": Codes and statuses).
func (s *Service) checkTLSCipherPolicyRef(ctx context.Context, p *slbcert.Principal, lb *LoadBalancer, v string) error {
	if slices.Contains(builtinTLSCipherPolicies, v) {
		if lb.Shared() && v != DefaultTLSCipherPolicy {
			return errSharedInstance("TLSCipherPolicy " + v)
		}
		return nil
	}
	if !IsCustomTLSCipherPolicy(v) {
		return errInvalidValue("TLSCipherPolicy", v, "one of "+strings.Join(builtinTLSCipherPolicies, ", ")+", or the id of a custom TLS policy")
	}
	if lb.Shared() {
		return errSharedInstance("a custom TLS policy")
	}
	policies, err := s.LoadBalancers.FindTLSCipherPolicies(ctx, p.Account.ID, lb.RegionID)
	if err != nil {
		return storeError(err, nil)
	}
	for _, pol := range policies {
		if pol.ID == v {
			return nil
		}
	}
	return slbcert.Errorf(ETLSCipherPolicyNotFound, "The specified TLSCipherPolicy %q does not exist in region %s.", v, lb.RegionID)
}

// errSharedInstance refuses what only performance-guaranteed instances
// (with a LoadBalancerSpec) offer.
func errSharedInstance(what string) error {
	return slbcert.Errorf(ESharedInstanceNotSupport, "A shared-resource load balancer (without LoadBalancerSpec) does not support %s; give it a specification first (ModifyLoadBalancerInstanceSpec).", what)
}

// apply puts the references asked for on l.
func (r listenerRefs) apply(l *Listener) {
	if r.serverCertificate != "" {
		l.ServerCertificateID = r.serverCertificate
	}
	if r.caCertificate != "" {
		l.CACertificateID = r.caCertificate
	}
	if r.tlsCipherPolicy != "" {
		l.TLSCipherPolicy = r.tlsCipherPolicy
	}
	if r.dropGroup {
		l.VServerGroupID = ""
	} else if r.vserverGroup != "" {
		l.VServerGroupID = r.vserverGroup
	}
	if r.acls != nil {
		l.ACLIDs = r.acls
	}
}
