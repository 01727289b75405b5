// Package postgres keeps slbcert's stores — every product's, and the
// gateway's nonces — in PostgreSQL, with pgx and its connection pool. Any
// number of servers may share one database: that is how slbcert runs as
// several replicas. The queries are package sqlstore's; this package
// brings the connections, the schema migrations, the dialect (advisory
// locks, row locks, text[] lists, NOTIFY, relaxed commits) and LISTEN.
//
// Durability: a write returns once its transaction has committed, and
// PostgreSQL's commits are durable by default (synchronous_commit = on: the
// WAL is flushed before COMMIT returns). Open refuses a connection on which
// synchronous_commit is off, since a write it acknowledged could be lost.
// Nonces alone are committed with it off, for their own transaction.
//
// Concurrency: transactions run at READ COMMITTED, the server's default, and
// get their guarantees from locks rather than from retries:
//
//   - CreateCertificate serialises the count and the insert that depends on
//     it per (account, region, kind) with a transaction-scoped advisory lock
//     (sqlstore.QuotaLocks); see its doc comment for why that is enough.
//   - UpdateTags locks the certificates it changes (SELECT … FOR UPDATE, in id
//     order, so that two calls on overlapping ids cannot deadlock).
//   - UseNonce decides with one INSERT … ON CONFLICT, which PostgreSQL makes
//     atomic against concurrent inserts of the same key.
//   - FindCertificates is one statement, so it reads one snapshot.
//   - Changes to one load balancer, and creates in one catalog, are
//     serialised by advisory locks (sqlstore.TableLocks).
//
// The schema is kept by numbered migrations embedded in the binary and applied
// by Open under an advisory lock, so replicas starting at once apply each
// migration exactly once. Tables live in the first schema of the connection's
// search_path, which a URL can set (search_path=… or options=-c search_path=…).
//
// Values are stored as given, within PostgreSQL's limits on text: a string
// holding a NUL character or invalid UTF-8 (in a UTF8 database) makes the
// write fail, where SQLite would store it.
package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"slbcert/sqlstore"
)

// applicationName is reported to the server (pg_stat_activity) unless the
// URL names the application itself.
const applicationName = "slbcert"

// Store keeps every product's tables, and the nonces, in a PostgreSQL
// database. It is safe for concurrent use, and any number of Stores, in any
// number of processes, may share one database.
type Store struct {
	// Tables are every product's tables, shared with the SQLite store.
	*sqlstore.Tables
	// Nonces are the gateway's.
	*sqlstore.Nonces

	pool *pgxpool.Pool

	// now is the wall clock nonce expiry is measured against.
	now func() time.Time
}

// Open connects to the database at url — a postgres:// URL or a key=value
// connection string, as pgx accepts — and brings its schema up to date. It
// fails if the schema is newer than this program knows.
//
// The connection pool has pgxpool's defaults (at most max(4, NumCPU)
// connections, each recycled after an hour, closed after 30 idle minutes),
// which the URL can override with pool_max_conns, pool_min_conns,
// pool_max_conn_lifetime, pool_max_conn_idle_time and
// pool_health_check_period. Statements are prepared and cached per
// connection; behind a pooler in transaction mode (PgBouncer), add
// default_query_exec_mode=exec to the URL.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = applicationName
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := checkDurable(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %s/%s: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Database, err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %s/%s: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Database, err)
	}
	sqlDB := stdlib.OpenDBFromPool(pool)
	db := sqlstore.New(sqlDB, sqlDB, dialect(pool))
	s := &Store{Tables: sqlstore.NewTables(db), pool: pool, now: time.Now}
	s.Nonces = sqlstore.NewNonces(db, func() time.Time { return s.now() })
	return s, nil
}

// Ping reports whether the store can serve: a pooled connection reads the
// schema version.
func (s *Store) Ping(ctx context.Context) error {
	var v int
	if err := s.pool.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// Close closes the pool, waiting for connections in use to be released.
// Closing a closed Store does nothing.
func (s *Store) Close() error {
	err := s.Tables.DB.Close()
	s.pool.Close()
	return err
}

// checkDurable fails if the server would acknowledge commits before they are
// on disk (synchronous_commit = off, set for the server, the database, the
// role or in the URL), because a Store promises that a write that returned
// nil survives a crash.
func checkDurable(ctx context.Context, pool *pgxpool.Pool) error {
	var syncCommit string
	if err := pool.QueryRow(ctx, "SELECT current_setting('synchronous_commit')").Scan(&syncCommit); err != nil {
		return err
	}
	if syncCommit == "off" {
		return fmt.Errorf("synchronous_commit is off: an acknowledged write could be lost in a crash; set it to on (the default)")
	}
	return nil
}
