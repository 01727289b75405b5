package iam

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"slbcert"
	"slbcert/policy"
)

// File is the IAM file: the tenants, their AccessKeys, RAM users, roles and
// policies (README, "Tenants and policies"; examples/iam.json).
type File struct {
	Accounts []FileAccount `json:"accounts"`
}

// FileAccount is one account of the IAM file.
type FileAccount struct {
	ID                string       `json:"id"`
	AccessKeys        []FileKey    `json:"accessKeys"`
	AuthorizedRegions []string     `json:"authorizedRegions"`
	Quotas            FileQuotas   `json:"quotas"`
	Policies          []FilePolicy `json:"policies"`
	Users             []FileUser   `json:"users"`
	Roles             []FileRole   `json:"roles"`
	// ResourceGroups are the account's resource groups beside its default
	// one, as Resource Manager lists them.
	ResourceGroups []FileResourceGroup `json:"resourceGroups"`
}

// FileResourceGroup declares a resource group: Name (2 to 50 letters,
// digits and hyphens, a letter first; unique in the account; not
// "default"), an optional DisplayName (1 to 50 characters; the name when
// absent) and an optional ID ("rg-" and 1 to 15 lowercase letters and
// digits; derived from the account and the name when absent).
type FileResourceGroup struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
}

// FileKey is an AccessKey; Status is "Active" (the default) or "Inactive".
type FileKey struct {
	ID     string `json:"id"`
	Secret string `json:"secret"`
	Status string `json:"status"`
}

// FileQuotas are an account's limits by name (each product declares the
// names it enforces: Vocabulary.Quotas); an absent name or zero means the
// product's default.
type FileQuotas map[string]int

// FilePolicy is a named RAM policy document of an account.
type FilePolicy struct {
	Name     string          `json:"name"`
	Document json.RawMessage `json:"document"`
}

// FileUser is a RAM user: its AccessKeys and the names of its policies.
type FileUser struct {
	Name       string    `json:"name"`
	AccessKeys []FileKey `json:"accessKeys"`
	Policies   []string  `json:"policies"`
}

// ReadFile reads and decodes an IAM file strictly: unknown fields are errors,
// so a misspelt "authorisedRegions" does not silently grant every region.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("IAM file %s: %w", path, err)
	}
	return &f, nil
}

// Root is the default account's root AccessKey, from the environment or
// generated; it adds to the IAM file's accounts.
type Root struct {
	AccountID string
	Key       RootKey
}

// Vocabulary is what an IAM file may name: known regions (for
// authorizedRegions) and the quota names of the products served.
type Vocabulary struct {
	KnownRegion func(id string) bool
	Quotas      []string
}

// Build turns an IAM file (nil for none) and the root key into a directory.
// v validates authorizedRegions and quotas. Every problem is an error naming
// where it is: a directory is built whole or not at all.
func Build(f *File, root *Root, v Vocabulary) (*Directory, error) {
	var keys []*AccessKey
	accounts := map[string]*slbcert.Account{}
	roles := map[string]*Role{}
	if f != nil {
		for i, fa := range f.Accounts {
			where := fmt.Sprintf("accounts[%d]", i)
			if !ValidAccountID(fa.ID) {
				return nil, fmt.Errorf("%s: id %q is not a 16-digit account id", where, fa.ID)
			}
			if _, dup := accounts[fa.ID]; dup {
				return nil, fmt.Errorf("%s: account %s is declared twice", where, fa.ID)
			}
			acct, accountKeys, accountRoles, err := buildAccount(where, &fa, v)
			if err != nil {
				return nil, err
			}
			accounts[fa.ID] = acct
			keys = append(keys, accountKeys...)
			for k, r := range accountRoles {
				roles[k] = r
			}
		}
	}
	if root != nil {
		acct := accounts[root.AccountID]
		if acct == nil {
			acct = &slbcert.Account{ID: root.AccountID}
		}
		keys = append(keys, &AccessKey{ID: root.Key.AccessKeyID, Secret: root.Key.AccessKeySecret,
			Principal: &slbcert.Principal{Account: acct, AccessKeyID: root.Key.AccessKeyID}})
	}
	d, err := NewDirectory(keys...)
	if err != nil {
		return nil, err
	}
	// Accounts without keys still own roles that others may assume.
	for id, a := range accounts {
		d.accounts[id] = a
	}
	d.roles = roles
	return d, nil
}

func buildAccount(where string, fa *FileAccount, v Vocabulary) (*slbcert.Account, []*AccessKey, map[string]*Role, error) {
	acct := &slbcert.Account{ID: fa.ID, Quotas: map[string]int{}}
	for name, n := range fa.Quotas {
		if !slices.Contains(v.Quotas, name) {
			return nil, nil, nil, fmt.Errorf("%s: quotas names unknown quota %q (known: %s)", where, name, strings.Join(v.Quotas, ", "))
		}
		if n < 0 {
			return nil, nil, nil, fmt.Errorf("%s: quotas must not be negative", where)
		}
		acct.Quotas[name] = n
	}
	if fa.AuthorizedRegions != nil {
		acct.AuthorizedRegions = []string{}
		for _, r := range fa.AuthorizedRegions {
			if !v.KnownRegion(r) {
				return nil, nil, nil, fmt.Errorf("%s: authorizedRegions names unknown region %q", where, r)
			}
			acct.AuthorizedRegions = append(acct.AuthorizedRegions, r)
		}
	}
	policies := map[string]*policy.Policy{}
	for j, fp := range fa.Policies {
		if fp.Name == "" {
			return nil, nil, nil, fmt.Errorf("%s.policies[%d]: a policy needs a name", where, j)
		}
		if _, dup := policies[fp.Name]; dup {
			return nil, nil, nil, fmt.Errorf("%s.policies[%d]: policy %q is declared twice", where, j, fp.Name)
		}
		pol, err := policy.Parse(fp.Document)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s: policy %q: %w", where, fp.Name, err)
		}
		policies[fp.Name] = pol
	}
	var keys []*AccessKey
	for j, fk := range fa.AccessKeys {
		k, err := accessKey(fmt.Sprintf("%s.accessKeys[%d]", where, j), fk, &slbcert.Principal{Account: acct, AccessKeyID: fk.ID})
		if err != nil {
			return nil, nil, nil, err
		}
		keys = append(keys, k)
	}
	users := map[string]bool{}
	for j, fu := range fa.Users {
		uwhere := fmt.Sprintf("%s.users[%d]", where, j)
		if fu.Name == "" || users[fu.Name] {
			return nil, nil, nil, fmt.Errorf("%s: user name %q is empty or declared twice", uwhere, fu.Name)
		}
		users[fu.Name] = true
		perms := &Permissions{}
		for _, name := range fu.Policies {
			pol, ok := policies[name]
			if !ok {
				return nil, nil, nil, fmt.Errorf("%s: policy %q is not declared in the account", uwhere, name)
			}
			perms.policies = append(perms.policies, pol)
		}
		for k, fk := range fu.AccessKeys {
			key, err := accessKey(fmt.Sprintf("%s.accessKeys[%d]", uwhere, k), fk,
				&slbcert.Principal{Account: acct, AccessKeyID: fk.ID, UserName: fu.Name, UserID: UserID(acct.ID, fu.Name), Permissions: perms})
			if err != nil {
				return nil, nil, nil, err
			}
			keys = append(keys, key)
		}
	}
	roles, err := buildRoles(where, fa.ID, fa.Roles, policies)
	if err != nil {
		return nil, nil, nil, err
	}
	if acct.ResourceGroups, err = buildResourceGroups(where, fa.ID, fa.ResourceGroups); err != nil {
		return nil, nil, nil, err
	}
	return acct, keys, roles, nil
}

var (
	resourceGroupName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{1,49}$`)
	resourceGroupID   = regexp.MustCompile(`^rg-[a-z0-9]{1,15}$`)
)

// buildResourceGroups checks an account's declared resource groups and
// gives each its id: names and ids unique, apart from the default group's.
func buildResourceGroups(where, accountID string, groups []FileResourceGroup) ([]slbcert.ResourceGroup, error) {
	var out []slbcert.ResourceGroup
	names := map[string]bool{"default": true}
	ids := map[string]bool{slbcert.DefaultResourceGroupID(accountID): true}
	for i, g := range groups {
		gwhere := fmt.Sprintf("%s.resourceGroups[%d]", where, i)
		if !resourceGroupName.MatchString(g.Name) {
			return nil, fmt.Errorf("%s: name %q must be 2 to 50 letters, digits and hyphens, starting with a letter", gwhere, g.Name)
		}
		if names[strings.ToLower(g.Name)] {
			return nil, fmt.Errorf("%s: name %q is taken (by the default group, or declared twice)", gwhere, g.Name)
		}
		names[strings.ToLower(g.Name)] = true
		display := g.DisplayName
		if display == "" {
			display = g.Name
		}
		if n := len([]rune(display)); n > 50 {
			return nil, fmt.Errorf("%s: displayName is %d characters, at most 50", gwhere, n)
		}
		id := g.ID
		if id == "" {
			id = slbcert.DeclaredResourceGroupID(accountID, g.Name)
		} else if !resourceGroupID.MatchString(id) {
			return nil, fmt.Errorf("%s: id %q must be rg- and 1 to 15 lowercase letters and digits", gwhere, id)
		}
		if ids[id] {
			return nil, fmt.Errorf("%s: id %s is taken (by the default group, or declared twice)", gwhere, id)
		}
		ids[id] = true
		out = append(out, slbcert.ResourceGroup{ID: id, Name: g.Name, DisplayName: display})
	}
	return out, nil
}

func accessKey(where string, fk FileKey, p *slbcert.Principal) (*AccessKey, error) {
	if fk.ID == "" || fk.Secret == "" {
		return nil, fmt.Errorf("%s: an AccessKey needs an id and a secret", where)
	}
	k := &AccessKey{ID: fk.ID, Secret: fk.Secret, Principal: p}
	switch fk.Status {
	case "", "Active":
	case "Inactive":
		k.Inactive = true
	default:
		return nil, fmt.Errorf("%s: status %q is neither Active nor Inactive", where, fk.Status)
	}
	return k, nil
}

// Permissions are a RAM user's or a role's attached policies.
type Permissions struct {
	policies []*policy.Policy
}

// Authorize implements slbcert.Authorizer: default deny, an explicit Deny wins.
func (p *Permissions) Authorize(req slbcert.AccessRequest) (allowed, explicitDeny bool) {
	switch policy.Evaluate(p.policies, policy.Request{Action: req.Action, Resource: req.Resource, Context: req.Context}) {
	case policy.Allow:
		return true, false
	case policy.ExplicitDeny:
		return false, true
	}
	return false, false
}

var _ slbcert.Authorizer = (*Permissions)(nil)
