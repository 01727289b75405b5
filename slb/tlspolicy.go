package slb

import (
	"context"
	"errors"
	"regexp"
	"slices"

	"slbcert"
)

// tlsVersions are the versions a custom TLS policy may name.
var tlsVersions = []string{"TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"}

// tlsCiphersUpTo12 are valid with every version up to TLS 1.2; tls12Ciphers
// with TLS 1.2 only; tls13Ciphers with TLS 1.3 (CreateTLSCipherPolicy:
// https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-createtlscipherpolicy).
var (
	tlsCiphersUpTo12 = []string{"ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES128-SHA",
		"ECDHE-RSA-AES256-SHA", "AES128-SHA", "AES256-SHA", "DES-CBC3-SHA"}
	tls12Ciphers = []string{"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES128-SHA256",
		"ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-SHA256",
		"ECDHE-RSA-AES256-SHA384", "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA256", "AES256-SHA256"}
	tls13Ciphers = []string{"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
		"TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256"}
)

// cipherValid reports whether cipher may be used with one of versions.
func cipherValid(cipher string, versions []string) bool {
	for _, v := range versions {
		switch {
		case v == "TLSv1.3" && slices.Contains(tls13Ciphers, cipher):
			return true
		case v != "TLSv1.3" && slices.Contains(tlsCiphersUpTo12, cipher):
			return true
		case v == "TLSv1.2" && slices.Contains(tls12Ciphers, cipher):
			return true
		}
	}
	return false
}

var tlsPolicyNamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._\-]{1,199}$`)

// checkTLSCipherPolicy validates a policy definition: a name of 2–200
// characters starting with a letter, 1–4 distinct versions, 1–32 ciphers
// each valid with a version given.
func checkTLSCipherPolicy(name string, versions, ciphers []string) error {
	if name == "" {
		return slbcert.MissingParameter("Name")
	}
	if !tlsPolicyNamePattern.MatchString(name) {
		return errInvalidValue("Name", name, "2 to 200 characters, starting with a letter, then letters, digits, '.', '_' or '-'")
	}
	if len(versions) == 0 {
		return slbcert.MissingParameter("TLSVersions.N")
	}
	if len(versions) > 4 {
		return slbcert.Errorf(slbcert.EInvalidParameter, "The specified TLSVersions.N is invalid: at most 4 versions, got %d.", len(versions))
	}
	seen := map[string]bool{}
	for _, v := range versions {
		if !slices.Contains(tlsVersions, v) || seen[v] {
			return errInvalidValue("TLSVersions.N", v, "distinct versions among TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3")
		}
		seen[v] = true
	}
	if len(ciphers) == 0 {
		return slbcert.MissingParameter("Ciphers.N")
	}
	if len(ciphers) > 32 {
		return slbcert.Errorf(slbcert.EInvalidParameter, "The specified Ciphers.N is invalid: at most 32 cipher suites, got %d.", len(ciphers))
	}
	for _, c := range ciphers {
		if !cipherValid(c, versions) {
			return errInvalidValue("Ciphers.N", c, "a cipher suite valid with one of the TLS versions given")
		}
	}
	return nil
}

// tlsPolicyARN names a custom policy (id "*" for the collection) for RAM.
func tlsPolicyARN(regionID, accountID, id string) string {
	return "acs:slb:" + regionID + ":" + accountID + ":tlscipherpolicy/" + id
}

// CreateTLSCipherPolicyInput is CreateTLSCipherPolicy's request.
type CreateTLSCipherPolicyInput struct {
	// RegionID is required.
	RegionID string
	// Name (required) is 2–200 characters, a letter first.
	Name string
	// TLSVersions (TLSVersions.N, 1–4 distinct of TLSv1.0 … TLSv1.3) and
	// Ciphers (Ciphers.N, 1–32 OpenSSL names, each valid with a version
	// given) are required.
	TLSVersions []string
	Ciphers     []string
}

// CreateTLSCipherPolicy creates a custom TLS policy (RegionId required).
func (s *Service) CreateTLSCipherPolicy(ctx context.Context, p *slbcert.Principal, in CreateTLSCipherPolicyInput) (*TLSCipherPolicy, error) {
	store, err := s.lbStore()
	if err != nil {
		return nil, err
	}
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(p, "CreateTLSCipherPolicy", tlsPolicyARN(reg.ID, p.Account.ID, "*"), nil); err != nil {
		return nil, err
	}
	name := in.Name
	if err := checkTLSCipherPolicy(name, in.TLSVersions, in.Ciphers); err != nil {
		return nil, err
	}
	pol := &TLSCipherPolicy{ID: newTLSCipherPolicyID(reg.ID), AccountID: p.Account.ID, RegionID: reg.ID, Name: name,
		TLSVersions: in.TLSVersions, Ciphers: in.Ciphers, CreateTime: s.now()}
	return pol, storeError(store.CreateTLSCipherPolicy(ctx, pol), nil)
}

// TLSCipherPolicyUse is a custom policy with the listeners using it.
type TLSCipherPolicyUse struct {
	Policy    *TLSCipherPolicy
	Listeners []*Listener
}

// TLSCipherPolicyPage is one page of ListTLSCipherPolicies.
type TLSCipherPolicyPage struct {
	Policies   []TLSCipherPolicyUse
	TotalCount int
	NextToken  string
}

// ListTLSCipherPoliciesInput is ListTLSCipherPolicies' request.
type ListTLSCipherPoliciesInput struct {
	// RegionID is required.
	RegionID string
	// TLSCipherPolicyID and Name, when given, select the policy of that
	// id or name.
	TLSCipherPolicyID string
	Name              string
	// MaxItems is the page size, 1–100 (default 20); NextToken continues
	// a listing.
	MaxItems  Param[int]
	NextToken string
	// IncludeListener true adds the listeners using each policy.
	IncludeListener Param[bool]
}

// ListTLSCipherPolicies lists the custom policies of a region (the
// built-in ones are not listed), filtered by TLSCipherPolicyId and Name,
// MaxItems a page; IncludeListener adds the listeners using each.
func (s *Service) ListTLSCipherPolicies(ctx context.Context, p *slbcert.Principal, in ListTLSCipherPoliciesInput) (*TLSCipherPolicyPage, error) {
	store, err := s.lbStore()
	if err != nil {
		return nil, err
	}
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(p, "ListTLSCipherPolicies", tlsPolicyARN(reg.ID, p.Account.ID, "*"), nil); err != nil {
		return nil, err
	}
	maxItems, err := optionalInt("MaxItems", in.MaxItems, 1, 100, 20)
	if err != nil {
		return nil, err
	}
	if err := checkBool("IncludeListener", in.IncludeListener); err != nil {
		return nil, err
	}
	offset, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	all, err := store.FindTLSCipherPolicies(ctx, p.Account.ID, reg.ID)
	if err != nil {
		return nil, storeError(err, nil)
	}
	var matched []*TLSCipherPolicy
	for _, pol := range all {
		if id := in.TLSCipherPolicyID; id != "" && pol.ID != id {
			continue
		}
		if name := in.Name; name != "" && pol.Name != name {
			continue
		}
		matched = append(matched, pol)
	}
	page := &TLSCipherPolicyPage{TotalCount: len(matched), Policies: []TLSCipherPolicyUse{}}
	policies, next := pageOf(matched, offset, maxItems)
	page.NextToken = next
	var users []*Listener
	if includes(in.IncludeListener) && len(policies) > 0 {
		ids := make([]string, 0, len(policies))
		for _, pol := range policies {
			ids = append(ids, pol.ID)
		}
		if users, err = store.FindListeners(ctx, ListenerFilter{AccountID: p.Account.ID, RegionID: reg.ID, TLSCipherPolicies: ids}); err != nil {
			return nil, storeError(err, nil)
		}
	}
	for _, pol := range policies {
		use := TLSCipherPolicyUse{Policy: pol, Listeners: []*Listener{}}
		for _, l := range users {
			if l.TLSCipherPolicy == pol.ID {
				use.Listeners = append(use.Listeners, l)
			}
		}
		page.Policies = append(page.Policies, use)
	}
	return page, nil
}

// tlsPolicyTarget runs the checks of Set and Delete: region, id, RAM.
func (s *Service) tlsPolicyTarget(p *slbcert.Principal, action, regionID, id string) (string, error) {
	if s.LoadBalancers == nil {
		_, err := s.lbStore()
		return "", err
	}
	reg, err := s.region(p, regionID)
	if err != nil {
		return "", err
	}
	if id == "" {
		return "", slbcert.MissingParameter("TLSCipherPolicyId")
	}
	return reg.ID, s.authorize(p, action, tlsPolicyARN(reg.ID, p.Account.ID, id), nil)
}

func errTLSCipherPolicyNotFound(id string) *slbcert.Error {
	return slbcert.Errorf(ETLSCipherPolicyNotFound, "The specified TLSCipherPolicyId %q does not exist.", id)
}

// SetTLSCipherPolicyAttributeInput is SetTLSCipherPolicyAttribute's
// request: the policy's whole new definition.
type SetTLSCipherPolicyAttributeInput struct {
	// RegionID is required.
	RegionID          string
	TLSCipherPolicyID string
	// Name, TLSVersions (TLSVersions.N) and Ciphers (Ciphers.N) are
	// required, as for CreateTLSCipherPolicy.
	Name        string
	TLSVersions []string
	Ciphers     []string
}

// SetTLSCipherPolicyAttribute redefines a custom policy (every field
// required); listeners using it serve the new definition. The change is
// synchronous: the policy is "normal" again when the call answers.
func (s *Service) SetTLSCipherPolicyAttribute(ctx context.Context, p *slbcert.Principal, in SetTLSCipherPolicyAttributeInput) error {
	id := in.TLSCipherPolicyID
	regionID, err := s.tlsPolicyTarget(p, "SetTLSCipherPolicyAttribute", in.RegionID, id)
	if err != nil {
		return err
	}
	name := in.Name
	if err := checkTLSCipherPolicy(name, in.TLSVersions, in.Ciphers); err != nil {
		return err
	}
	_, err = s.LoadBalancers.UpdateTLSCipherPolicy(ctx, p.Account.ID, regionID, id, func(pol *TLSCipherPolicy) error {
		pol.Name, pol.TLSVersions, pol.Ciphers = name, in.TLSVersions, in.Ciphers
		return nil
	})
	return s.served(ctx, storeError(err, errTLSCipherPolicyNotFound(id)))
}

// DeleteTLSCipherPolicyInput is DeleteTLSCipherPolicy's request.
type DeleteTLSCipherPolicyInput struct {
	// RegionID is required.
	RegionID          string
	TLSCipherPolicyID string
}

// DeleteTLSCipherPolicy deletes a custom policy no listener uses.
func (s *Service) DeleteTLSCipherPolicy(ctx context.Context, p *slbcert.Principal, in DeleteTLSCipherPolicyInput) error {
	id := in.TLSCipherPolicyID
	regionID, err := s.tlsPolicyTarget(p, "DeleteTLSCipherPolicy", in.RegionID, id)
	if err != nil {
		return err
	}
	err = s.LoadBalancers.DeleteTLSCipherPolicy(ctx, p.Account.ID, regionID, id)
	if errors.Is(err, slbcert.ErrInUse) {
		return slbcert.Errorf(ETLSCipherPolicyInUse, "The TLS policy %s is used by listeners; change them first.", id)
	}
	return storeError(err, errTLSCipherPolicyNotFound(id))
}
