package slb

import (
	"context"
	"slbcert"
	"time"
)

// CertificateFilter selects certificates of one account in one region.
// Zero-valued fields do not filter.
type CertificateFilter struct {
	AccountID       string // required
	RegionID        string // required
	Kind            CertificateKind
	IDs             []string
	ResourceGroupID string
	// Tags: a certificate must carry every pair. A pair with an empty Value
	// and MatchAnyValue set matches any value of that key.
	Tags []slbcert.TagFilter
}

// CertificateStore keeps certificates durably. Stores are dumb: validation,
// authorization and sealing happen above them, in the service, so that every
// implementation behaves alike (storetest checks that). A write that returns
// nil is durable; a write that returns an error has changed nothing.
type CertificateStore interface {
	// CreateCertificate inserts c with its tags, unless c's account already
	// holds limit certificates of c.Kind in c.RegionID: then it returns
	// ErrQuotaExceeded. The count and the insert are atomic, so concurrent
	// creates — from any number of servers sharing the database — never
	// exceed limit.
	CreateCertificate(ctx context.Context, c *Certificate, limit int) error

	// FindCertificates returns the matching certificates with their tags,
	// oldest first (by CreateTime, then ID). No match is an empty slice.
	FindCertificates(ctx context.Context, f CertificateFilter) ([]*Certificate, error)

	// RenameCertificate sets the name of one certificate of the given kind.
	// ErrNotFound when there is no such certificate for that account and region.
	RenameCertificate(ctx context.Context, accountID, regionID string, kind CertificateKind, id, name string) error

	// DeleteCertificate removes one certificate of the given kind and its tags.
	// ErrNotFound as for RenameCertificate; ErrInUse while a listener or a
	// domain extension references it (LoadBalancerStore).
	DeleteCertificate(ctx context.Context, accountID, regionID string, kind CertificateKind, id string) error

	// MoveCertificate sets the resource group of one certificate of any kind.
	// ErrNotFound as for RenameCertificate.
	MoveCertificate(ctx context.Context, accountID, regionID, id, resourceGroupID string) error

	// UpdateTags changes the tags of the certificates ids (any kind) in one
	// transaction: first it removes the keys in remove (every tag when
	// removeAll), then sets each of set (replacing the value of an existing
	// key). If any id does not exist it returns ErrNotFound; if a certificate
	// would end with more than max tags, ErrTagLimit. Either way nothing changes.
	UpdateTags(ctx context.Context, accountID, regionID string, ids []string, set []slbcert.Tag, remove []string, removeAll bool, max int) error
}

// KeyResealer re-wraps the certificates' sealed keys under a new master key
// while the server runs (slbcert rotate-master-key), and shows the server
// at start one key to check its master key against.
type KeyResealer interface {
	// SealedKeys returns up to limit sealed keys of certificates whose id
	// sorts after afterID (byte-wise), in id order.
	SealedKeys(ctx context.Context, afterID string, limit int) ([]slbcert.SealedKey, error)
	// ResealKey replaces the sealed key of certificate id, provided it is
	// still old; otherwise (changed or deleted meanwhile) ErrNotFound.
	ResealKey(ctx context.Context, id string, old, new []byte) error
}

// CertificateStats counts stored certificates across all accounts.
type CertificateStats struct {
	Server, CA int
	// ExpiringSoon counts certificates of either kind whose ExpireTime is
	// before the horizon asked for, those already expired included.
	ExpiringSoon int
}

// Add counts n certificates of kind, expiring of which are expiring soon:
// what a store reads per kind, summed.
func (st *CertificateStats) Add(kind CertificateKind, n, expiring int) {
	if kind == KindCA {
		st.CA += n
	} else {
		st.Server += n
	}
	st.ExpiringSoon += expiring
}

// StatsReader counts the certificates stored, for the server's metrics.
type StatsReader interface {
	CertificateStats(ctx context.Context, horizon time.Time) (CertificateStats, error)
}
