package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// NoncePath is where a store on path keeps its nonces: a file of its own
// beside the database (slbcert.db → slbcert-nonces.db).
func NoncePath(path string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + "-nonces" + filepath.Ext(path)
}

// openNonces opens the nonce file. Nonces are written by every signed
// request, so they live apart from the certificates, with
// synchronous=NORMAL: in WAL mode a commit then reaches the operating
// system before UseNonce returns — it survives the process being killed and
// restarted — but is not fsynced, so only a power loss or kernel crash can
// forget the last nonces, reopening their 15-minute replay window. The
// certificates keep synchronous=FULL, and neither file waits for the other's
// lock.
func openNonces(ctx context.Context, path string) (*sql.DB, error) {
	db, err := openDSN(path, false, "NORMAL")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS nonces (
		access_key_id TEXT NOT NULL,
		nonce TEXT NOT NULL,
		expires_ms INTEGER NOT NULL,
		PRIMARY KEY (access_key_id, nonce)
	) WITHOUT ROWID;
	CREATE INDEX IF NOT EXISTS nonces_expires ON nonces (expires_ms);`); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	return db, nil
}

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
	if !purge {
		// One statement needs no transaction of its own.
		res, err := s.stmts.useNonce.ExecContext(ctx, accessKeyID, nonce, expires.UnixMilli(), now)
		if err != nil {
			return false, fmt.Errorf("sqlite: use nonce: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return false, fmt.Errorf("sqlite: use nonce: %w", err)
		}
		return n > 0, nil
	}
	var fresh bool
	err := writeTx(ctx, s.n, func(tx *sql.Tx) error {
		if purge {
			if _, err := tx.ExecContext(ctx, "DELETE FROM nonces WHERE expires_ms <= ?", now); err != nil {
				return err
			}
		}
		res, err := tx.StmtContext(ctx, s.stmts.useNonce).ExecContext(ctx, accessKeyID, nonce, expires.UnixMilli(), now)
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
