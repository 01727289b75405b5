package slbcert

// Codes of temporary credentials (STS, sts-api.md §2.4 and §4.2): the
// gateway's security-token checks and AssumeRole's own.
const (
	EMissingSecurityToken   = "MissingSecurityToken"
	ESecurityTokenExpired   = "InvalidSecurityToken.Expired"
	ESecurityTokenMismatch  = "InvalidSecurityToken.MismatchWithAccessKey"
	EInvalidRoleArn         = "InvalidParameter.RoleArn"
	EInvalidRoleSessionName = "InvalidParameter.RoleSessionName"
	EInvalidDurationSeconds = "InvalidParameter.DurationSeconds"
	EInvalidExternalID      = "InvalidParameter.ExternalId"
	EInvalidSourceIdentity  = "InvalidParameter.SourceIdentity"
	EPolicyGrammar          = "InvalidParameter.PolicyGrammar"
	EPolicySize             = "InvalidParameter.PolicySize"
	EInvalidContentType     = "InvalidParameter.ContentType"
	ERoleNotExist           = "EntityNotExist.Role"
)

// Policy types, as AccessDeniedDetail.PolicyType names the kind of policy
// that refused (sts-api.md §7).
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
