package slb

import (
	"context"
	"net/netip"
	"slbcert"
)

// LoadBalancerFilter selects load balancers of one account. Zero-valued
// fields do not filter.
type LoadBalancerFilter struct {
	AccountID string // required
	RegionID  string
	IDs       []string
}

// ListenerFilter selects listeners of one account's load balancers.
// Zero-valued fields do not filter.
type ListenerFilter struct {
	AccountID       string // required
	RegionID        string
	LoadBalancerIDs []string
	Port            int
	Protocol        string
	// TLSCipherPolicies selects listeners using one of these policies.
	TLSCipherPolicies []string
}

// LoadBalancerStore keeps load balancers and everything hanging off them:
// listeners, domain extensions, VServer groups, default backend lists,
// custom TLS policies (docs/choices.md, "Load balancers, listeners and
// certificates in use (CLB)"). Like CertificateStore it is dumb: the service
// validates and authorizes; the store keeps the references consistent. A
// listener's or extension's certificate reference is a foreign key, so a
// referenced certificate cannot be deleted (DeleteCertificate answers
// ErrInUse) and a reference to a certificate being deleted fails
// (ErrInvalidReference), whatever the interleaving, on any number of
// servers sharing the database. Every write that changes what a data plane
// serves announces it (SubscribeLoadBalancers) when it commits.
//
// Operations addressed by id answer ErrNotFound when the record does not
// exist for that account. Writes are atomic: an error changes nothing.
type LoadBalancerStore interface {
	// CreateLoadBalancer inserts lb with its tags and returns it. With a
	// ClientToken that an earlier load balancer of the account was created
	// with, it creates nothing and returns that one. Otherwise, when the
	// account already holds limit load balancers in lb.RegionID:
	// ErrQuotaExceeded. lb.Address, when set, must be free
	// (ErrAddressInUse); when empty, the lowest free host address of pool
	// is allocated (ErrAddressPoolExhausted). Addresses are unique in the
	// whole database, across accounts.
	CreateLoadBalancer(ctx context.Context, lb *LoadBalancer, limit int, pool netip.Prefix) (*LoadBalancer, error)

	// FindLoadBalancers returns the matching load balancers with tags and
	// default backend servers, oldest first (CreateTime, then ID).
	FindLoadBalancers(ctx context.Context, f LoadBalancerFilter) ([]*LoadBalancer, error)

	// UpdateLoadBalancer reads load balancer id of the account, lets fn
	// change it, and writes back what fn left: name, status, spec, billing,
	// protection, resource group and default backend servers (not the id,
	// owner, address or tags). An error of fn is returned as is, and
	// nothing is written. Changes to one load balancer are serialised. fn
	// runs inside the write transaction, holding its connection: it must
	// not call the store (on PostgreSQL that waits for a second connection
	// of a pool others may hold while they wait for this lock).
	UpdateLoadBalancer(ctx context.Context, accountID, id string, fn func(*LoadBalancer) error) (*LoadBalancer, error)

	// DeleteLoadBalancer removes the load balancer with its listeners,
	// domain extensions, VServer groups, backend servers and tags; their
	// certificate references go with them.
	DeleteLoadBalancer(ctx context.Context, accountID, id string) error

	// UpdateLoadBalancerTags changes the tags of load balancers as
	// CertificateStore.UpdateTags changes certificates' (ErrNotFound,
	// ErrTagLimit).
	UpdateLoadBalancerTags(ctx context.Context, accountID, regionID string, ids []string, set []slbcert.Tag, remove []string, removeAll bool, max int) error

	// CreateListener adds l to its load balancer. ErrNotFound: no such load
	// balancer for the account; ErrAlreadyExists: the port is taken;
	// ErrQuotaExceeded: the load balancer already has limit listeners;
	// ErrInvalidReference: a referenced record does not exist.
	CreateListener(ctx context.Context, accountID string, l *Listener, limit int) error

	// FindListeners returns the matching listeners with their domain
	// extensions, by load balancer (oldest first) then port.
	FindListeners(ctx context.Context, f ListenerFilter) ([]*Listener, error)

	// UpdateListener reads the listener on port of load balancer lbID, lets
	// fn change its status, references and configuration, and writes them
	// back; as UpdateLoadBalancer otherwise (ErrInvalidReference as for
	// CreateListener). The previous references are released at once.
	UpdateListener(ctx context.Context, accountID, lbID string, port int, fn func(*Listener) error) (*Listener, error)

	// DeleteListener removes the listener and its domain extensions.
	DeleteListener(ctx context.Context, accountID, lbID string, port int) error

	// CreateDomainExtension adds e to its listener. ErrNotFound: no such
	// listener; ErrAlreadyExists: the listener already has e.Domain;
	// ErrQuotaExceeded: it already has limit extensions;
	// ErrInvalidReference: the certificate does not exist.
	CreateDomainExtension(ctx context.Context, accountID string, e *DomainExtension, limit int) error

	// FindDomainExtensions returns the extensions of the listener on port
	// of load balancer lbID, oldest first; none is an empty slice.
	FindDomainExtensions(ctx context.Context, accountID, lbID string, port int) ([]DomainExtension, error)

	// GetDomainExtension returns one extension of the account.
	GetDomainExtension(ctx context.Context, accountID, id string) (*DomainExtension, error)

	// SetDomainExtensionCertificate points extension id at certificate
	// certID (ErrInvalidReference when it does not exist).
	SetDomainExtensionCertificate(ctx context.Context, accountID, id, certID string) error

	// DeleteDomainExtension removes one extension.
	DeleteDomainExtension(ctx context.Context, accountID, id string) error

	// CreateVServerGroup adds g to its load balancer (ErrNotFound when the
	// load balancer does not exist for the account).
	CreateVServerGroup(ctx context.Context, accountID string, g *VServerGroup) error

	// FindVServerGroups returns the groups of load balancer lbID, oldest first.
	FindVServerGroups(ctx context.Context, accountID, lbID string) ([]*VServerGroup, error)

	// GetVServerGroup returns one group of the account.
	GetVServerGroup(ctx context.Context, accountID, id string) (*VServerGroup, error)

	// UpdateVServerGroup lets fn change a group's name, backend servers
	// and tags, as UpdateLoadBalancer does.
	UpdateVServerGroup(ctx context.Context, accountID, id string, fn func(*VServerGroup) error) (*VServerGroup, error)

	// DeleteVServerGroup removes a group; ErrInUse while a listener uses it.
	DeleteVServerGroup(ctx context.Context, accountID, id string) error

	// CreateTLSCipherPolicy inserts a custom TLS policy.
	CreateTLSCipherPolicy(ctx context.Context, p *TLSCipherPolicy) error

	// FindTLSCipherPolicies returns the custom policies of an account in a
	// region, oldest first.
	FindTLSCipherPolicies(ctx context.Context, accountID, regionID string) ([]*TLSCipherPolicy, error)

	// UpdateTLSCipherPolicy lets fn change a policy's name, versions and
	// ciphers.
	UpdateTLSCipherPolicy(ctx context.Context, accountID, regionID, id string, fn func(*TLSCipherPolicy) error) (*TLSCipherPolicy, error)

	// DeleteTLSCipherPolicy removes a policy; ErrInUse while a listener uses it.
	DeleteTLSCipherPolicy(ctx context.Context, accountID, regionID, id string) error

	// DataPlaneSnapshot reads, in one consistent snapshot, everything a
	// data plane serves: every active load balancer of every account that
	// has a running listener, with its running listeners (stopped ones are
	// left out, with what only they reference; a load balancer left with
	// none serves nothing and is left out too).
	DataPlaneSnapshot(ctx context.Context) (*DataPlaneSnapshot, error)

	// SubscribeLoadBalancers returns a channel that receives a value
	// (coalesced) after each committed change a data plane must follow;
	// cancel stops it.
	SubscribeLoadBalancers() (c <-chan struct{}, cancel func())
}

// LoadBalancerNotifyChannel is the notification channel (PostgreSQL
// NOTIFY, and in-process) of changes to what a data plane serves.
const LoadBalancerNotifyChannel = "slbcert_lb"

// DataPlaneSnapshot is the configuration a data plane serves, read at one
// instant: the active load balancers that have running listeners, oldest
// first, with those listeners (and their domain extensions), VServer groups
// and default backend lists, and every certificate and custom TLS policy
// those listeners reference, by id. Certificates carry their chains and
// sealed private keys.
type DataPlaneSnapshot struct {
	LoadBalancers     []*DataPlaneLoadBalancer
	Certificates      map[string]*Certificate
	TLSCipherPolicies map[string]*TLSCipherPolicy
}

// DataPlaneLoadBalancer is one load balancer of a snapshot with the
// objects hanging off it; listeners by port, groups oldest first.
type DataPlaneLoadBalancer struct {
	LoadBalancer  *LoadBalancer
	Listeners     []*Listener
	VServerGroups []*VServerGroup
}
