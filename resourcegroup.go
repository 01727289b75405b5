package slbcert

import (
	"crypto/sha256"
	"regexp"
)

var resourceGroupIDPattern = regexp.MustCompile(`^rg-[a-z0-9]{1,64}$`)

// ValidResourceGroupID reports whether id is a well-formed resource group id.
func ValidResourceGroupID(id string) bool { return resourceGroupIDPattern.MatchString(id) }

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
