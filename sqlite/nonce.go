package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
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
// lock. The table is the file's only one, created here rather than by the
// database's migrations (migration 2 dropped it from there).
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
