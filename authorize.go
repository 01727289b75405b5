package slbcert

import (
	"strconv"
	"time"
)

// ConditionContext returns the condition keys every request carries:
// acs:CurrentTime (now, UTC to the second), acs:SecureTransport and
// acs:SourceIp. Keys are lower case, as policies match them
// case-insensitively. Products add their own keys (slb:tag/<key>,
// sts:ExternalId) to the map returned, which is the caller's.
func (p *Principal) ConditionContext(now time.Time) map[string][]string {
	ctx := map[string][]string{
		"acs:currenttime":     {now.UTC().Format(TimeLayout)},
		"acs:securetransport": {strconv.FormatBool(p.SecureTransport)},
	}
	if p.SourceIP != "" {
		ctx["acs:sourceip"] = []string{p.SourceIP}
	}
	return ctx
}

// Authorize asks p's permissions whether it may perform req.Action (a RAM
// action such as "slb:UploadServerCertificate") on req.Resource (an ARN).
// The root key may do everything in its own account: nil. A denial is 403
// NoPermission with the AccessDeniedDetail object the gateway renders
// (docs/choices.md, "Identity and access"): AuthAction, AuthPrincipalType,
// AuthPrincipalOwnerId, AuthPrincipalDisplayName, PolicyType,
// NoPermissionType (ImplicitDeny or ExplicitDeny).
func (p *Principal) Authorize(req AccessRequest) error {
	if p.Permissions == nil {
		return nil
	}
	if d, ok := p.Permissions.(DetailedAuthorizer); ok {
		allowed, explicit, policyType := d.AuthorizeDetail(req)
		if allowed {
			return nil
		}
		return p.Denied(req.Action, req.Resource, explicit, policyType)
	}
	allowed, explicit := p.Permissions.Authorize(req)
	if allowed {
		return nil
	}
	return p.Denied(req.Action, req.Resource, explicit, PolicyTypeIdentity)
}

// Denied is the NoPermission answer to p for action on resource; policyType
// names the kind of policy that refused (AccountLevelIdentityBasedPolicy,
// SessionPolicy, AssumeRolePolicy).
func (p *Principal) Denied(action, resource string, explicit bool, policyType string) *Error {
	kind := "ImplicitDeny"
	if explicit {
		kind = "ExplicitDeny"
	}
	return &Error{
		Code:    ENoPermission,
		Message: "You are not authorized to perform this operation: " + action + " on " + resource + ".",
		Extra: map[string]any{"AccessDeniedDetail": map[string]any{
			"AuthAction":               action,
			"AuthPrincipalType":        p.Type(),
			"AuthPrincipalOwnerId":     p.Account.ID,
			"AuthPrincipalDisplayName": p.DisplayName(),
			"PolicyType":               policyType,
			"NoPermissionType":         kind,
			"EncodedDiagnosticMessage": "",
		}},
	}
}

// Policy types, as AccessDeniedDetail.PolicyType names the kind of policy
// that refused (docs/choices.md, "STS (temporary credentials)").
const (
	PolicyTypeIdentity         = "AccountLevelIdentityBasedPolicy"
	PolicyTypeSession          = "SessionPolicy"
	PolicyTypeAssumeRolePolicy = "AssumeRolePolicy"
)

// DetailedAuthorizer is an Authorizer that also names the kind of policy
// that refused (PolicyTypeIdentity, PolicyTypeSession): a session's
// permissions are two sets of policies, and a denial says which one.
type DetailedAuthorizer interface {
	Authorizer
	// AuthorizeDetail is Authorize, with the PolicyType of a denial.
	AuthorizeDetail(req AccessRequest) (allowed, explicitDeny bool, policyType string)
}
