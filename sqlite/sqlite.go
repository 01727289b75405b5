// Package sqlite keeps slbcert's stores — every product's, and the
// gateway's nonces — in a SQLite database file, with the pure-Go driver
// modernc.org/sqlite (no cgo). The queries are package sqlstore's; this
// package brings the connections, the pragmas, the schema migrations, the
// dialect and the backup.
//
// Durability: the database runs in WAL mode with synchronous=FULL, so every
// commit syncs the write-ahead log before it returns; a write that returned
// nil survives a power loss, not only a crash of the process (WAL with
// synchronous=NORMAL would not).
//
// Concurrency: SQLite admits one writer at a time, and a Store is built
// around that. It keeps two connection pools on the file. The writer pool
// has exactly one connection, and every write transaction on it begins with
// BEGIN IMMEDIATE: it takes the write lock before its first read, so the
// quota count and the insert that depends on it cannot interleave with any
// other write — from this process, which queues for the one connection
// honouring each caller's context, or from another process sharing the file,
// which waits up to the busy timeout for the lock. The reader pool has
// several query_only connections whose transactions are deferred, so reads
// run concurrently with each other and with the writer, each on a consistent
// snapshot. Creates are committed in groups: concurrent uploads share one
// BEGIN IMMEDIATE transaction and its fsync (sqlstore's group commit), and
// the statements every request runs are prepared once per connection.
//
// All pragmas are set in the DSN, so every connection either pool opens gets
// them. The schema is kept by numbered migrations embedded in the binary and
// applied by Open.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"slbcert/sqlstore"
)

// busyTimeout is how long a connection waits for a lock another one holds
// (another process's write lock, or the lock that switches a new file to
// WAL) before it fails with SQLITE_BUSY. Writers of this process never get
// there: they queue for the one writer connection instead.
const busyTimeout = 10 * time.Second

// Store keeps every product's tables on one SQLite file, and the nonces
// in a second one beside it. It is safe for concurrent use, and several
// processes on one host may open the same file (not over a network file
// system, where SQLite's locks and WAL's shared memory fail).
type Store struct {
	// Tables are every product's tables, shared with the PostgreSQL store.
	*sqlstore.Tables
	// Nonces are the gateway's, in the nonce file.
	*sqlstore.Nonces

	w *sql.DB // one connection, BEGIN IMMEDIATE
	r *sql.DB // query_only connections, deferred transactions
	n *sql.DB // the nonce file: one connection, BEGIN IMMEDIATE, synchronous=NORMAL
	// nonces is the nonce file seen by sqlstore.
	nonces *sqlstore.DB

	// now is the wall clock nonce expiry is measured against.
	now func() time.Time
}

// Open opens the SQLite database at path, creating the file if it does not
// exist, and brings its schema up to date. It fails if the schema is newer
// than this program knows.
func Open(ctx context.Context, path string) (*Store, error) {
	w, err := openDB(path, false)
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}

	r, err := openDB(path, true)
	if err != nil {
		w.Close()
		return nil, err
	}
	readers := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	if err := r.PingContext(ctx); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	n, err := openNonces(ctx, NoncePath(path))
	if err != nil {
		r.Close()
		w.Close()
		return nil, err
	}
	s := &Store{Tables: sqlstore.NewTables(sqlstore.New(w, r, dialect)), w: w, r: r, n: n, now: time.Now}
	s.nonces = sqlstore.New(n, n, nonceDialect)
	s.Nonces = sqlstore.NewNonces(s.nonces, func() time.Time { return s.now() })
	return s, nil
}

// openDB returns a pool on path whose connections are set up for writing
// (BEGIN IMMEDIATE) or for reading only.
func openDB(path string, readOnly bool) (*sql.DB, error) {
	return openDSN(path, readOnly, "FULL")
}

// openDSN opens a pool on path with the given synchronous level.
func openDSN(path string, readOnly bool, synchronous string) (*sql.DB, error) {
	dsn, err := dataSourceName(path, readOnly, synchronous)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// dataSourceName turns path into a file: URI, escaped so that any file name
// works, carrying the pragmas every connection runs when it opens. The order
// matters: busy_timeout first, so that switching to WAL waits for a lock
// rather than failing; query_only last, after the pragmas that may write.
func dataSourceName(path string, readOnly bool, synchronous string) (string, error) {
	if path == "" || strings.HasPrefix(path, "file:") || path == ":memory:" {
		return "", fmt.Errorf("sqlite: %q is not a database file path", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("sqlite: %s: %w", path, err)
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous("+synchronous+")")
	q.Add("_pragma", "foreign_keys(ON)")
	if readOnly {
		q.Add("_pragma", "query_only(ON)")
	} else {
		q.Set("_txlock", "immediate")
	}
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter: file:///C:/...
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}
	return u.String(), nil
}

// Ping reports whether both pools can reach the database: a reader reads the
// schema, and the writer connection is free to take a request.
func (s *Store) Ping(ctx context.Context) error {
	var v int
	if err := s.r.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	if err := s.w.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

// Close stops the group commit after its current group, then closes the
// pools. Closing a closed Store does nothing.
func (s *Store) Close() error {
	return errors.Join(s.Tables.DB.Close(), s.nonces.Close(), s.r.Close(), s.w.Close(), s.n.Close())
}

// Listen implements slbdataplane.Listener for a store no other process
// announces its changes to: the channel receives nothing, and is closed
// when ctx ends. (Processes sharing a file each serve what they change;
// another's changes reach them when they restart.)
func (s *Store) Listen(ctx context.Context, channel string) (<-chan struct{}, error) {
	c := make(chan struct{})
	context.AfterFunc(ctx, func() { close(c) })
	return c, nil
}

// Backup writes a consistent copy of the database to path (which must not
// exist) while the store stays in use: SQLite's VACUUM INTO, on the writer
// connection (reader connections are query_only), so it waits its turn
// behind writes rather than blocking reads. Sealed keys stay sealed in the
// copy; the nonces are not in it.
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := s.w.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("sqlite: backup to %s: %w", path, err)
	}
	return nil
}
