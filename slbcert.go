// Package slbcert is the kernel every product of the server shares:
// accounts and their quotas, principals and their authorization (RAM),
// tags and their rules, resource groups, the API's Error with the
// gateway's codes, the sentinels stores answer with, and the time layout.
// It knows no product and imports nothing of its own module: each product
// (slb, cas, sts, …) is a folder that brings its own nouns, codes, store
// interfaces and rules (README, "Layout").
package slbcert

// TimeLayout is the form of every time the APIs exchange: UTC to the
// second, "Z" (Timestamp, x-acs-date, CreateTime, ExpireTime, STS
// Expiration — which the credential libraries parse with exactly this
// layout — and acs:CurrentTime).
const TimeLayout = "2006-01-02T15:04:05Z"

// DefaultAccountID is the id of the account the root credentials from the
// environment belong to, unless SLBCERT_ACCOUNT_ID says otherwise.
const DefaultAccountID = "1000000000000001"

// MaxTagsPerResource is the number of tags one resource may carry.
const MaxTagsPerResource = 20

// Tag is a key/value pair attached to a resource.
type Tag struct {
	Key   string
	Value string
}

// Account is a tenant: it owns resources, and its limits apply to them.
type Account struct {
	ID string
	// AuthorizedRegions lists the regions the account may use; nil means all.
	AuthorizedRegions []string
	// Quotas are the limits the IAM file sets, by the name the product
	// that enforces them gives (Quota); a name absent means the
	// product's default.
	Quotas map[string]int
	// ResourceGroups are the resource groups the IAM file declares for the
	// account, beside its default one (DefaultResourceGroupID), in the
	// file's order: what Resource Manager lists.
	ResourceGroups []ResourceGroup
}

// Quota returns the account's limit called name, or def when the IAM file
// sets none. Each product declares the names it reads (slb.Quotas,
// cas.Quotas), and the IAM file may only set those.
func (a *Account) Quota(name string, def int) int {
	if n, ok := a.Quotas[name]; ok && n > 0 {
		return n
	}
	return def
}

// RegionAuthorized reports whether the account may use region id.
func (a *Account) RegionAuthorized(id string) bool {
	if a.AuthorizedRegions == nil {
		return true
	}
	for _, r := range a.AuthorizedRegions {
		if r == id {
			return true
		}
	}
	return false
}

// DefaultResourceGroupID returns the id of the account's default resource group.
func (a *Account) DefaultResourceGroupID() string { return DefaultResourceGroupID(a.ID) }

// Principal is who signed a request: an account's root AccessKey, a RAM
// user's, or an STS session's (a role assumed by someone); and where the
// request came from, for policy conditions.
type Principal struct {
	Account     *Account
	AccessKeyID string
	// UserName is the RAM user's name and UserID its 16-digit id; empty
	// for the account's root key and for sessions.
	UserName, UserID string
	// RoleName and SessionName name an assumed-role session (STS): the
	// role of Account that was assumed, and the RoleSessionName given.
	RoleName, SessionName string
	// Permissions decide what a RAM user or a session may do; nil for the
	// root key, which may do everything in its own account.
	Permissions Authorizer

	// SourceIP and SecureTransport describe the request being served
	// (acs:SourceIp, acs:SecureTransport).
	SourceIP        string
	SecureTransport bool
}

// AccessRequest is one authorization question: may the principal perform
// Action (slb:<ApiName>) on Resource (an ARN), given the condition keys in
// Context (acs:SourceIp, acs:CurrentTime, acs:SecureTransport, slb:tag/<key>)?
type AccessRequest struct {
	Action   string
	Resource string
	Context  map[string][]string
}

// Authorizer answers access requests for a principal.
type Authorizer interface {
	// Authorize reports whether req is allowed, and if not whether an
	// explicit Deny (rather than the absence of an Allow) refused it.
	Authorize(req AccessRequest) (allowed, explicitDeny bool)
}

// IsRoot reports whether the principal is the account itself rather than a
// RAM user or a session.
func (p *Principal) IsRoot() bool { return p.UserName == "" && p.RoleName == "" }

// IsSession reports whether the principal is an assumed-role session.
func (p *Principal) IsSession() bool { return p.RoleName != "" }

// Principal types, as AccessDeniedDetail.AuthPrincipalType and
// GetCallerIdentity's IdentityType name them.
const (
	PrincipalAccount         = "Account"
	PrincipalSubUser         = "SubUser"
	PrincipalAssumedRoleUser = "AssumedRoleUser"
)

// Type names the kind of principal: PrincipalAccount, PrincipalSubUser or
// PrincipalAssumedRoleUser.
func (p *Principal) Type() string {
	switch {
	case p.IsSession():
		return PrincipalAssumedRoleUser
	case p.UserName != "":
		return PrincipalSubUser
	}
	return PrincipalAccount
}

// DisplayName is how denials name the principal (AccessDeniedDetail's
// AuthPrincipalDisplayName; docs/choices.md, "Identity and access"): the
// RAM user's id (its name when it has none), a session's "role:session",
// the account id for the root key.
func (p *Principal) DisplayName() string {
	switch {
	case p.IsSession():
		return p.RoleName + ":" + p.SessionName
	case p.UserID != "":
		return p.UserID
	case p.UserName != "":
		return p.UserName
	}
	return p.Account.ID
}

// SealedKey is one stored private key, still sealed, with the record it is
// bound to.
type SealedKey struct {
	ID        string
	AccountID string
	Blob      []byte
}
