package slb

import (
	"time"

	"slbcert"
)

// ACL is an access control list of an account in a region: the source
// networks that listeners using it admit (AclType white) or refuse
// (black). See docs/choices.md, "Access control lists", and Alibaba's
// CreateAccessControlList API page.
type ACL struct {
	ID        string
	AccountID string
	RegionID  string
	Name      string
	// AddressIPVersion is "ipv4" or "ipv6": the family of every entry.
	AddressIPVersion string
	ResourceGroupID  string
	CreateTime       time.Time
	// Entries in the order they were added, each as it was given.
	Entries []ACLEntry
	Tags    []slbcert.Tag
}

// ACLEntry is one network of an ACL, as given (a CIDR block or an
// address), with its comment.
type ACLEntry struct {
	Entry   string `json:"Entry"`
	Comment string `json:"Comment"`
}

// ACLFilter selects ACLs of one account. Zero-valued fields do not
// filter.
type ACLFilter struct {
	AccountID string // required
	RegionID  string
	IDs       []string
}
