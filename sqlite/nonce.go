package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// purgeInterval is how often UseNonce deletes expired nonces, at most. The
// delete runs in the transaction of the UseNonce call that finds it due.
const purgeInterval = time.Minute

// UseNonce records that nonce was used by accessKeyID, to be remembered until
// expires. It returns false if the pair was already recorded and has not
// expired (a replay). A record has expired once expires is not after the
// wall clock (time.Now), so an expires in the past is remembered for no time.
//
// One statement decides: it inserts the pair, or on conflict overwrites the
// old record only if that has expired, and a row was written exactly when the
// nonce is fresh.
func (s *Store) UseNonce(ctx context.Context, accessKeyID, nonce string, expires time.Time) (bool, error) {
	now := s.now().UnixMilli()
	last := s.lastPurge.Load()
	purge := now-last >= purgeInterval.Milliseconds() && s.lastPurge.CompareAndSwap(last, now)
	var fresh bool
	err := s.write(ctx, func(tx *sql.Tx) error {
		if purge {
			if _, err := tx.ExecContext(ctx, "DELETE FROM nonces WHERE expires_ms <= ?", now); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO nonces (access_key_id, nonce, expires_ms) VALUES (?, ?, ?)
			ON CONFLICT (access_key_id, nonce) DO UPDATE SET expires_ms = excluded.expires_ms
			WHERE nonces.expires_ms <= ?`,
			accessKeyID, nonce, expires.UnixMilli(), now)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		fresh = n > 0
		return err
	})
	if err != nil {
		if purge {
			s.lastPurge.CompareAndSwap(now, last) // let the next call try again
		}
		return false, fmt.Errorf("sqlite: use nonce: %w", err)
	}
	return fresh, nil
}
