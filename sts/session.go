package sts

import (
	"time"

	"slbcert"
	"slbcert/iam"
	"slbcert/policy"
)

// Authenticate opens the security token sent with accessKeyID at now and
// returns the temporary AccessKey it carries, whose secret verifies the
// request's signature. It implements the gateway's rpc.Sessions. Checks, in
// the order of docs/choices.md, "STS (temporary credentials)" (the
// gateway's order):
//   - not a token of this server (garbage, truncated, tampered, sealed by a
//     key no longer held): InvalidSecurityToken.Malformed;
//   - a token of another AccessKeyId (a long-term key's included):
//     InvalidSecurityToken.MismatchWithAccessKey;
//   - past its expiry: InvalidSecurityToken.Expired.
//
// The principal is the assumed role's session: its account is the role's,
// its permissions the role's policies as the live directory has them now,
// narrowed by the session policy.
func (s *Service) Authenticate(token, accessKeyID string, now time.Time) (*iam.AccessKey, error) {
	sess, err := s.Open(token)
	if err != nil {
		return nil, slbcert.Errorf(slbcert.ESecurityTokenMalformed, "Specified SecurityToken is malformed.")
	}
	if sess.AccessKeyID != accessKeyID {
		return nil, slbcert.Errorf(slbcert.ESecurityTokenMismatch, "Specified SecurityToken mismatch with the AccessKey.")
	}
	if !now.Before(sess.Expires()) {
		return nil, slbcert.Errorf(slbcert.ESecurityTokenExpired, "Specified SecurityToken is expired.")
	}
	perms := &Permissions{}
	if sess.Policy != "" {
		if perms.session, err = s.policies.parse(sess.Policy); err != nil {
			// Accepted when issued; a server that reads policies more
			// strictly cannot honour it, and says so rather than widen it.
			return nil, slbcert.Errorf(slbcert.ESecurityTokenMalformed, "Specified SecurityToken is malformed: its session policy no longer parses.")
		}
	}
	// A role deleted since leaves its sessions valid but powerless: they
	// authenticate (GetCallerIdentity answers) and every action is denied.
	roleName := sess.RoleName
	if role, ok := s.Directory.Role(sess.AccountID, sess.RoleName); ok {
		perms.role = role.Permissions
		roleName = role.Name
	}
	account, ok := s.Directory.Account(sess.AccountID)
	if !ok {
		account = &slbcert.Account{ID: sess.AccountID}
	}
	return &iam.AccessKey{ID: sess.AccessKeyID, Secret: sess.AccessKeySecret, Principal: &slbcert.Principal{
		Account:     account,
		AccessKeyID: sess.AccessKeyID,
		RoleName:    roleName,
		SessionName: sess.SessionName,
		Permissions: perms,
	}}, nil
}

// Permissions are a session's: the role's policies, narrowed by the
// session policy. A request is allowed only if both allow it; an explicit
// Deny in either denies it.
type Permissions struct {
	role    *iam.Permissions // nil: the role no longer exists, nothing is allowed
	session *policy.Policy   // nil: no session policy, the role's policies alone decide
}

// Authorize implements slbcert.Authorizer.
func (p *Permissions) Authorize(req slbcert.AccessRequest) (allowed, explicitDeny bool) {
	allowed, explicitDeny, _ = p.AuthorizeDetail(req)
	return allowed, explicitDeny
}

// AuthorizeDetail implements slbcert.DetailedAuthorizer. A denial names the
// role's policies (AccountLevelIdentityBasedPolicy) when they deny
// explicitly or, failing that, allow nothing; SessionPolicy when the
// session policy is what refused. Explicit denials are reported first.
func (p *Permissions) AuthorizeDetail(req slbcert.AccessRequest) (allowed, explicitDeny bool, policyType string) {
	var roleAllows, roleDenies bool
	if p.role != nil {
		roleAllows, roleDenies = p.role.Authorize(req)
	}
	if roleDenies {
		return false, true, slbcert.PolicyTypeIdentity
	}
	session := policy.Allow
	if p.session != nil {
		session = policy.Evaluate([]*policy.Policy{p.session}, policy.Request{Action: req.Action, Resource: req.Resource, Context: req.Context})
	}
	switch {
	case session == policy.ExplicitDeny:
		return false, true, slbcert.PolicyTypeSession
	case !roleAllows:
		return false, false, slbcert.PolicyTypeIdentity
	case session != policy.Allow:
		return false, false, slbcert.PolicyTypeSession
	}
	return true, false, ""
}

var _ slbcert.DetailedAuthorizer = (*Permissions)(nil)
