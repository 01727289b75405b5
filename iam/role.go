package iam

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"slbcert/policy"
)

// Session durations a role may allow, in seconds, as RAM's CreateRole takes
// MaxSessionDuration
// (https://www.alibabacloud.com/help/en/ram/developer-reference/api-ram-2015-05-01-createrole):
// the maximum is 3600–43200, 3600 when the file says nothing.
const (
	MinMaxSessionDuration     = 3600
	MaxMaxSessionDuration     = 43200
	DefaultMaxSessionDuration = 3600
)

// FileRole is a RAM role of the IAM file (README, "Temporary credentials
// (STS)"): who may assume it
// (trustPolicy, a policy document with Principal), what its sessions may do
// (policies, names of the account's policies) and for how long at most
// (maxSessionDuration, seconds).
type FileRole struct {
	Name               string          `json:"name"`
	TrustPolicy        json.RawMessage `json:"trustPolicy"`
	Policies           []string        `json:"policies"`
	MaxSessionDuration int             `json:"maxSessionDuration"`
}

// Role is a RAM role that STS sessions assume.
type Role struct {
	AccountID string
	// Name is as declared; lookups ignore its case.
	Name string
	// ID is the RoleId: 18 digits derived from the account and the
	// lower-cased name, so every replica and restart gives the same one.
	ID    string
	Trust *policy.TrustPolicy
	// Permissions are the role's attached policies; a session is allowed
	// what they allow, narrowed by its session policy.
	Permissions *Permissions
	// MaxSessionDuration bounds AssumeRole's DurationSeconds, in seconds.
	MaxSessionDuration int
}

// ARN returns acs:ram::<account>:role/<Name>.
func (r *Role) ARN() string { return RoleARN(r.AccountID, r.Name) }

// RoleARN returns the ARN of role name in account.
func RoleARN(accountID, name string) string { return "acs:ram::" + accountID + ":role/" + name }

// RoleNamePattern is what a role name may be: 1–64 letters, digits, '.'
// and '-' (RAM CreateRole).
var RoleNamePattern = regexp.MustCompile(`^[A-Za-z0-9.\-]{1,64}$`)

// RoleID derives the RoleId of role name in account: "3" and 17 digits of a
// hash of both, the name lower-cased as lookups are.
func RoleID(accountID, name string) string {
	return derivedID("3", 17, "role", accountID, strings.ToLower(name))
}

// UserID derives the UserId of RAM user name in account: "2" and 15 digits
// of a hash of both (GetCallerIdentity reports it; RAM user ids are 16
// digits).
func UserID(accountID, name string) string {
	return derivedID("2", 15, "user", accountID, name)
}

func derivedID(first string, digits int, parts ...string) string {
	sum := sha256.Sum256([]byte("slbcert/iam/" + strings.Join(parts, "\x00")))
	n := binary.BigEndian.Uint64(sum[:8])
	mod := uint64(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%s%0*d", first, digits, n%mod)
}

// roleKey is the directory's index of a role: account and lower-cased name.
func roleKey(accountID, name string) string { return accountID + "/" + strings.ToLower(name) }

// buildRoles checks an account's roles and resolves their policies.
func buildRoles(where, accountID string, roles []FileRole, policies map[string]*policy.Policy) (map[string]*Role, error) {
	out := map[string]*Role{}
	for j, fr := range roles {
		rwhere := fmt.Sprintf("%s.roles[%d]", where, j)
		if !RoleNamePattern.MatchString(fr.Name) {
			return nil, fmt.Errorf("%s: role name %q must be 1–64 letters, digits, '.' and '-'", rwhere, fr.Name)
		}
		key := roleKey(accountID, fr.Name)
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("%s: role %q is declared twice (role names ignore case)", rwhere, fr.Name)
		}
		if len(fr.TrustPolicy) == 0 || string(fr.TrustPolicy) == "null" {
			return nil, fmt.Errorf("%s: role %q needs a trustPolicy naming who may assume it", rwhere, fr.Name)
		}
		trust, err := policy.ParseTrust(fr.TrustPolicy)
		if err != nil {
			return nil, fmt.Errorf("%s: role %q: trustPolicy: %w", rwhere, fr.Name, err)
		}
		max := fr.MaxSessionDuration
		if max == 0 {
			max = DefaultMaxSessionDuration
		}
		if max < MinMaxSessionDuration || max > MaxMaxSessionDuration {
			return nil, fmt.Errorf("%s: role %q: maxSessionDuration %d is not within %d–%d seconds", rwhere, fr.Name, fr.MaxSessionDuration, MinMaxSessionDuration, MaxMaxSessionDuration)
		}
		perms := &Permissions{}
		for _, name := range fr.Policies {
			pol, ok := policies[name]
			if !ok {
				return nil, fmt.Errorf("%s: policy %q is not declared in the account", rwhere, name)
			}
			perms.policies = append(perms.policies, pol)
		}
		out[key] = &Role{AccountID: accountID, Name: fr.Name, ID: RoleID(accountID, fr.Name),
			Trust: trust, Permissions: perms, MaxSessionDuration: max}
	}
	return out, nil
}
