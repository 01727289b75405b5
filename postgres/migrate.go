package postgres

import (
	"context"
	"embed"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"slbcert/internal/migration"
)

// migrationLockKey is the advisory lock (single 64-bit key space) that Opens
// hold while they check and apply migrations: "slbcert" in ASCII. It is one
// key for the whole database, so Opens of Stores on different schemas of one
// database wait for each other too; that costs a few milliseconds at start.
const migrationLockKey int64 = 0x736c6263657274

// migrationFiles are the schema changes (see package migration).
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrate applies the migrations the database has not seen, all in one
// transaction together with their schema_migrations rows: PostgreSQL's DDL is
// transactional, so they are applied entirely or not at all.
//
// The transaction first takes pg_advisory_xact_lock(migrationLockKey), and
// only then creates schema_migrations if needed and reads it. Replicas
// starting at once therefore queue on the lock, and each one that gets it
// reads (READ COMMITTED: a snapshot taken after the lock was granted) what the
// previous holder committed, finds nothing left to do and commits at once.
// The lock goes with the transaction, also when a connection dies mid-way.
// Without it, concurrent CREATE TABLE IF NOT EXISTS can fail, and two
// replicas could both apply a migration.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := migration.Load(migrationFiles, "migrations")
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLockKey); err != nil {
			return fmt.Errorf("lock migrations: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version       INTEGER NOT NULL PRIMARY KEY,
			name          TEXT    NOT NULL,
			applied_at_ms BIGINT  NOT NULL
		)`); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		var current int
		if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		if latest := ms[len(ms)-1].Version; current > latest {
			return fmt.Errorf("database schema version %d is newer than this program's %d", current, latest)
		}
		for _, m := range ms[current:] {
			// Without arguments pgx sends the simple protocol, which runs
			// every statement of the file.
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES ($1, $2, $3)",
				m.Version, m.Name, time.Now().UnixMilli()); err != nil {
				return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
			}
		}
		return nil
	})
}
