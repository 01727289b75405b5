package slbcert

import (
	"crypto/sha256"
	"regexp"
)

var resourceGroupIDPattern = regexp.MustCompile(`^rg-[a-z0-9]{1,64}$`)

// ValidResourceGroupID reports whether id is a well-formed resource group id.
func ValidResourceGroupID(id string) bool { return resourceGroupIDPattern.MatchString(id) }

// CheckResourceGroupID refuses an id given as parameter param (a filter,
// a target) that is not well formed: 400 InvalidParameter.ResourceGroupId
// (docs/choices.md, "Certificate checks"). An empty id is not checked:
// absent parameters are the caller's to require.
func CheckResourceGroupID(param, id string) error {
	if id == "" || ValidResourceGroupID(id) {
		return nil
	}
	return Errorf(EInvalidResourceGroupID, "The specified %s %q is invalid: it must match ^rg-[a-z0-9]{1,64}$.", param, id)
}

// ResourceGroup returns the resource group a new resource of the account
// goes in: id when given (checked as CheckResourceGroupID does), else the
// account's default group.
func (a *Account) ResourceGroup(id string) (string, error) {
	if id == "" {
		return a.DefaultResourceGroupID(), nil
	}
	return id, CheckResourceGroupID("ResourceGroupId", id)
}

// DefaultResourceGroupID derives an account's default resource group id:
// "rg-" and 15 lowercase letters and digits, stable for the account, so that
// every replica and every restart agree on it without storing it.
func DefaultResourceGroupID(accountID string) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	sum := sha256.Sum256([]byte("slbcert/resource-group/" + accountID))
	b := make([]byte, 0, 18)
	b = append(b, "rg-"...)
	for i := 0; i < 15; i++ {
		b = append(b, alphabet[int(sum[i])%len(alphabet)])
	}
	return string(b)
}

// ResourceGroup is a resource group an account declares in the IAM file,
// beside its default one. Resource Manager lists them; the products accept
// any well-formed id in ResourceGroupId, declared or not (docs/choices.md,
// "Resource Manager").
type ResourceGroup struct {
	ID          string // "rg-" and 1 to 15 lowercase letters and digits
	Name        string // the group's unique identifier in the account
	DisplayName string
}

// DeclaredResourceGroupID derives the id of a declared resource group the
// IAM file gives no id: "rg-" and 15 characters from the account and the
// name, the same on every replica.
func DeclaredResourceGroupID(accountID, name string) string {
	return DefaultResourceGroupID(accountID + "/" + name)
}
