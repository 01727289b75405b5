package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// TrustPolicy is a parsed role trust policy (RAM's AssumeRolePolicyDocument):
// who may assume the role. Its statements name principals instead of
// resources:
//
//	{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
//	  "Principal": {"RAM": ["acs:ram::1000000000000002:root"]},
//	  "Condition": {"StringEquals": {"sts:ExternalId": "abcd1234"}}}]}
//
// It is immutable and safe for concurrent use. The zero TrustPolicy trusts
// nobody.
type TrustPolicy struct {
	p Policy
}

// trustStatementElements is the hint given for an unknown element of a
// trust policy statement.
const trustStatementElements = "a trust policy statement has Effect, Action or NotAction, Principal, and Condition"

// ParseTrust parses a trust policy: the grammar of Parse, except that every
// statement must name a Principal and must not name a Resource or
// NotResource (the role is the resource). Principal is an object of one or
// more of:
//
//	"RAM":       "acs:ram::<account>:root"            any RAM user or role session of the account
//	             "acs:ram::<account>:user/<UserName>"  that RAM user
//	             "acs:ram::<account>:role/<RoleName>"  sessions of that role (role chaining)
//	"Service":   "<service>.aliyuncs.com"              a cloud service
//	"Federated": "acs:ram::<account>:saml-provider/<name>" or ":oidc-provider/<name>"
//
// each a string or a non-empty array of strings, without wildcards: a
// trust policy that let anyone in by a pattern would be a mistake worth an
// error. Errors name the element at fault, as Parse's do.
func ParseTrust(doc []byte) (*TrustPolicy, error) {
	p, err := parse(doc, trustDoc)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	return &TrustPolicy{p: *p}, nil
}

// UnmarshalJSON parses a trust policy embedded in a larger JSON file (an
// object, or a string holding one).
func (t *TrustPolicy) UnmarshalJSON(data []byte) error {
	q, err := ParseTrust(data)
	if err != nil {
		return err
	}
	*t = *q
	return nil
}

// MarshalJSON returns the document the trust policy was parsed from,
// compacted; null for the zero TrustPolicy.
func (t *TrustPolicy) MarshalJSON() ([]byte, error) {
	if t.p.doc == nil {
		return []byte("null"), nil
	}
	return bytes.Clone(t.p.doc), nil
}

// Caller is who asks to assume a role, as a trust policy's Principal sees
// it. A RAM caller has AccountID and, for a RAM user, UserName or, for a
// role session, RoleName (both empty: the account's root identity).
type Caller struct {
	AccountID string
	UserName  string
	RoleName  string
	// Service is a cloud service ("ecs.aliyuncs.com"); Federated an
	// identity provider's ARN. Either makes the caller a non-RAM one.
	Service   string
	Federated string
}

// TrustRequest is one question to a trust policy: may Caller perform
// Action ("sts:AssumeRole") on the role, given the condition keys in
// Context (sts:ExternalId, acs:SourceIp …, lower case as KeyExternalID)?
type TrustRequest struct {
	Action  string
	Caller  Caller
	Context map[string][]string
}

// KeyExternalID is the canonical condition key of AssumeRole's ExternalId
// (sts:ExternalId); absent from the context when the request sent none.
const KeyExternalID = "sts:externalid"

// Evaluate decides whether t lets req's caller assume the role:
// ExplicitDeny when a Deny statement applies, else Allow when an Allow
// statement does, else ImplicitDeny. A statement applies when its Action
// (or NotAction) matches, one of its principals is the caller, and every
// condition holds.
func (t *TrustPolicy) Evaluate(req TrustRequest) Decision {
	if t == nil {
		return ImplicitDeny
	}
	e := evaluation{req: &Request{Action: req.Action, Context: req.Context}, caller: &req.Caller}
	return e.decide([]*Policy{&t.p}).Decision
}

// principalSet is a trust statement's Principal.
type principalSet struct {
	ram       []ramPrincipal
	services  []string
	federated []string
}

// ramPrincipal is one "RAM" entry: an account's root, a user or a role.
type ramPrincipal struct {
	account string
	kind    string // "root", "user" or "role"
	name    string
}

// matches reports whether c is one of the set's principals. Role names are
// compared without regard to case, as RAM looks roles up; user names,
// service names and provider ARNs exactly (services without case).
func (ps *principalSet) matches(c *Caller) bool {
	if c.Service != "" {
		for _, s := range ps.services {
			if strings.EqualFold(s, c.Service) {
				return true
			}
		}
		return false
	}
	if c.Federated != "" {
		for _, f := range ps.federated {
			if f == c.Federated {
				return true
			}
		}
		return false
	}
	for _, r := range ps.ram {
		if r.account != c.AccountID {
			continue
		}
		switch r.kind {
		case "root":
			return true
		case "user":
			if c.UserName != "" && c.UserName == r.name {
				return true
			}
		case "role":
			if c.RoleName != "" && strings.EqualFold(c.RoleName, r.name) {
				return true
			}
		}
	}
	return false
}

var (
	ramPrincipalPattern = regexp.MustCompile(`^acs:ram::([0-9]{16}):(root|user/(.+)|role/(.+))$`)
	rolePrincipalName   = regexp.MustCompile(`^[A-Za-z0-9.\-]{1,64}$`)
	federatedPattern    = regexp.MustCompile(`^acs:ram::[0-9]{16}:(saml-provider|oidc-provider)/[^*?\s]+$`)
)

// trustTarget reads a trust statement's Principal; a Resource or
// NotResource is an error.
func trustTarget(principal, resource, notResource json.RawMessage, st *statement) error {
	switch {
	case resource != nil:
		return errors.New("a trust policy names no Resource (the role is the resource): remove it")
	case notResource != nil:
		return errors.New("a trust policy names no NotResource (the role is the resource): remove it")
	case principal == nil:
		return errors.New(`Principal is missing: a trust policy statement names who may assume the role, e.g. {"RAM": ["acs:ram::<account>:root"]}`)
	}
	ps, err := parsePrincipal(principal)
	if err != nil {
		return at("Principal", err)
	}
	st.principals = ps
	return nil
}

// parsePrincipal reads {"RAM": …, "Service": …, "Federated": …}.
func parsePrincipal(raw json.RawMessage) (*principalSet, error) {
	fields, err := objectFields(raw)
	if err != nil {
		return nil, fmt.Errorf(`must be an object such as {"RAM": ["acs:ram::<account>:root"]}: %w`, err)
	}
	if len(fields) == 0 {
		return nil, errors.New(`is empty: name a "RAM", "Service" or "Federated" principal`)
	}
	ps := &principalSet{}
	for _, f := range fields {
		if f.name != "RAM" && f.name != "Service" && f.name != "Federated" {
			return nil, unknownElement(f.name, `a Principal has "RAM", "Service" and "Federated"`, "RAM", "Service", "Federated")
		}
		list, err := stringList(f.value)
		if err != nil {
			return nil, at(f.name, errors.New("must be a string or an array of strings"))
		}
		if len(list) == 0 {
			return nil, at(f.name, errors.New("is empty"))
		}
		for i, v := range list {
			if err := ps.add(f.name, v); err != nil {
				return nil, at(fmt.Sprintf("%s[%d]", f.name, i), fmt.Errorf("%q: %w", v, err))
			}
		}
	}
	return ps, nil
}

// add checks one principal of kind ("RAM", "Service", "Federated") and adds it.
func (ps *principalSet) add(kind, v string) error {
	if strings.ContainsAny(v, "*?") {
		return errors.New("principals take no wildcards")
	}
	if v == "" || strings.ContainsFunc(v, unicode.IsSpace) {
		return errors.New("a principal is a name without white space")
	}
	switch kind {
	case "Service":
		ps.services = append(ps.services, v)
	case "Federated":
		if !federatedPattern.MatchString(v) {
			return errors.New(`a federated principal is "acs:ram::<account>:saml-provider/<name>" or "acs:ram::<account>:oidc-provider/<name>"`)
		}
		ps.federated = append(ps.federated, v)
	default:
		m := ramPrincipalPattern.FindStringSubmatch(v)
		if m == nil {
			return errors.New(`a RAM principal is "acs:ram::<16-digit account>:root", "…:user/<UserName>" or "…:role/<RoleName>"`)
		}
		r := ramPrincipal{account: m[1], kind: "root"}
		switch {
		case m[3] != "":
			r.kind, r.name = "user", m[3]
		case m[4] != "":
			if !rolePrincipalName.MatchString(m[4]) {
				return errors.New("a role name is 1–64 letters, digits, '.' and '-'")
			}
			r.kind, r.name = "role", m[4]
		}
		ps.ram = append(ps.ram, r)
	}
	return nil
}
