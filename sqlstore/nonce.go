package sqlstore

import (
	"context"
	"fmt"
	"slbcert/rpc"
	"sync/atomic"
	"time"
)

// The gateway's signature nonces: rpc.Nonces over the nonces table (in
// SQLite a file of its own, in PostgreSQL the database's).

var _ rpc.Nonces = (*Nonces)(nil)

// NoncePurgeInterval is how often a Nonces deletes expired nonces, at
// most. Every replica purges on its own schedule; that is harmless, as
// purges skip the rows another one is deleting.
const NoncePurgeInterval = time.Minute

// Nonces is the shared implementation of rpc.Nonces; the stores embed
// one, so its method is theirs.
type Nonces struct {
	db  *DB
	now func() time.Time
	// lastPurge is when expired nonces were last purged, in Unix ms.
	lastPurge atomic.Int64
}

// NewNonces returns the nonces kept in db, whose expiry is measured
// against now (the wall clock; tests inject one).
func NewNonces(db *DB, now func() time.Time) *Nonces { return &Nonces{db: db, now: now} }

// UseNonce implements rpc.Nonces. A record has expired once expires is
// not after now, so an expires in the past is remembered for no time.
//
// One statement decides: it inserts the pair, or on conflict overwrites the
// old record only if that has expired, and a row was written exactly when
// the nonce is fresh. Both databases make INSERT … ON CONFLICT atomic: of
// several inserting one pair at once, from any replica, one inserts and
// the others see its row and write nothing.
//
// Every signed request records a nonce, so its commit need not reach the
// disk (DB.ExecRelaxed: SQLite's nonce file runs with synchronous=NORMAL,
// PostgreSQL commits it with synchronous_commit off): it is visible to
// every replica at once and survives any restart of slbcert, but a power
// loss (or a PostgreSQL crash) may forget the last moments of nonces,
// reopening their replay window.
func (n *Nonces) UseNonce(ctx context.Context, accessKeyID, nonce string, expires time.Time) (bool, error) {
	now := n.now().UnixMilli()
	if err := n.purge(ctx, now); err != nil {
		return false, fmt.Errorf("use nonce: %w", err)
	}
	written, err := n.db.ExecRelaxed(ctx, `INSERT INTO nonces (access_key_id, nonce, expires_ms) VALUES (?, ?, ?)
		ON CONFLICT (access_key_id, nonce) DO UPDATE SET expires_ms = excluded.expires_ms
		WHERE nonces.expires_ms <= ?`,
		accessKeyID, nonce, expires.UnixMilli(), now)
	if err != nil {
		return false, fmt.Errorf("use nonce: %w", err)
	}
	return written > 0, nil
}

// purge deletes the nonces expired at now, if this Nonces has not done so
// for NoncePurgeInterval. With a row lock (PostgreSQL), it skips rows
// locked by others (another replica's purge, or an insert re-using an
// expired pair), so purges never wait for each other. It is a statement of
// its own, apart from the insert: were they one transaction, two replicas
// could each lock rows for deletion and then each insert a pair the other
// had locked, a deadlock.
func (n *Nonces) purge(ctx context.Context, now int64) error {
	last := n.lastPurge.Load()
	if now-last < NoncePurgeInterval.Milliseconds() || !n.lastPurge.CompareAndSwap(last, now) {
		return nil
	}
	query := "DELETE FROM nonces WHERE expires_ms <= ?"
	if lock := n.db.d.RowLock; lock != "" {
		query = `DELETE FROM nonces WHERE (access_key_id, nonce) IN (
			SELECT access_key_id, nonce FROM nonces WHERE expires_ms <= ?` + lock + " SKIP LOCKED)"
	}
	if _, err := n.db.Exec(ctx, query, now); err != nil {
		n.lastPurge.CompareAndSwap(now, last) // let the next call try again
		return err
	}
	return nil
}
