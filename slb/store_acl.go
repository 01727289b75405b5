package slb

import "context"

// ACLStore keeps access control lists; it is part of LoadBalancerStore
// because listeners reference ACLs and the store enforces the references
// (Listener.ACLIDs): an ACL a listener names cannot be deleted (ErrInUse),
// and a listener write naming an ACL being deleted fails
// (ErrInvalidReference), whatever the interleaving. Operations addressed by
// id answer ErrNotFound when the ACL does not exist for that account.
// Writes are atomic and announce themselves as load-balancer writes do
// (an ACL's entries are served).
type ACLStore interface {
	// CreateACL inserts a with its entries and tags. ErrQuotaExceeded when
	// the account already holds limit ACLs in a.RegionID; ErrAlreadyExists
	// when the account has an ACL of that name in the region.
	CreateACL(ctx context.Context, a *ACL, limit int) error

	// FindACLs returns the matching ACLs with their entries and tags,
	// oldest first (CreateTime, then ID).
	FindACLs(ctx context.Context, f ACLFilter) ([]*ACL, error)

	// UpdateACL reads ACL id of the account, lets fn change its name,
	// entries, resource group and tags, and writes back what fn left. An
	// error of fn is returned as is and nothing is written; changes to one
	// ACL are serialised. ErrAlreadyExists when the new name is taken. As
	// UpdateLoadBalancer, fn must not call the store.
	UpdateACL(ctx context.Context, accountID, id string, fn func(*ACL) error) (*ACL, error)

	// DeleteACL removes an ACL; ErrInUse while a listener names it.
	DeleteACL(ctx context.Context, accountID, id string) error
}
