package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// purgeInterval is how often a Store deletes expired nonces, at most. Every
// replica purges on its own schedule; that is harmless, as purges skip the
// rows another one is deleting.
const purgeInterval = time.Minute

// UseNonce records that nonce was used by accessKeyID, to be remembered until
// expires. It returns false if the pair was already recorded and has not
// expired (a replay). A record has expired once expires is not after this
// Store's wall clock (time.Now), so an expires in the past is remembered for
// no time.
//
// One statement decides: it inserts the pair, or on conflict overwrites the
// old record only if that has expired, and a row was written exactly when the
// nonce is fresh. PostgreSQL makes INSERT … ON CONFLICT atomic: of several
// transactions inserting one pair at once, from any replica, one inserts and
// the others wait for it to commit, then see its row and write nothing.
//
// Every signed request records a nonce, so the transaction commits with
// synchronous_commit off (for itself alone; the store refuses connections
// where it is off for everything): the commit is visible to every replica at
// once and survives any slbcert restart, but a PostgreSQL crash may forget
// the last few hundred milliseconds of nonces. The four statements travel in
// one round trip.
func (s *Store) UseNonce(ctx context.Context, accessKeyID, nonce string, expires time.Time) (bool, error) {
	now := s.now().UnixMilli()
	if err := s.purgeNonces(ctx, now); err != nil {
		return false, fmt.Errorf("postgres: use nonce: %w", err)
	}
	batch := &pgx.Batch{}
	batch.Queue("BEGIN")
	batch.Queue("SET LOCAL synchronous_commit = off")
	insert := batch.Queue(`INSERT INTO nonces (access_key_id, nonce, expires_ms) VALUES ($1, $2, $3)
		ON CONFLICT (access_key_id, nonce) DO UPDATE SET expires_ms = EXCLUDED.expires_ms
		WHERE nonces.expires_ms <= $4`,
		accessKeyID, nonce, expires.UnixMilli(), now)
	batch.Queue("COMMIT")
	var fresh bool
	insert.Exec(func(tag pgconn.CommandTag) error {
		fresh = tag.RowsAffected() > 0
		return nil
	})
	if err := s.pool.SendBatch(ctx, batch).Close(); err != nil {
		return false, fmt.Errorf("postgres: use nonce: %w", err)
	}
	return fresh, nil
}

// purgeNonces deletes the nonces expired at now, if this Store has not done so
// for purgeInterval. It skips rows locked by others (another replica's
// purge, or an insert re-using an expired pair), so purges never wait for
// each other. It is a transaction of its own, apart from the insert: were
// they one, two replicas could each lock rows for deletion and then each
// insert a pair the other had locked, a deadlock.
func (s *Store) purgeNonces(ctx context.Context, now int64) error {
	last := s.lastPurge.Load()
	if now-last < purgeInterval.Milliseconds() || !s.lastPurge.CompareAndSwap(last, now) {
		return nil
	}
	_, err := s.pool.Exec(ctx, `DELETE FROM nonces WHERE (access_key_id, nonce) IN (
		SELECT access_key_id, nonce FROM nonces WHERE expires_ms <= $1 FOR UPDATE SKIP LOCKED)`, now)
	if err != nil {
		s.lastPurge.CompareAndSwap(now, last) // let the next call try again
	}
	return err
}
