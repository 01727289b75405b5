// Package sqlite implements slb.CertificateStore on a SQLite database file, with the
// pure-Go driver modernc.org/sqlite (no cgo).
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
// snapshot.
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
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"slbcert/slb"
	"slbcert/sqlstore"
)

// busyTimeout is how long a connection waits for a lock another one holds
// (another process's write lock, or the lock that switches a new file to
// WAL) before it fails with SQLITE_BUSY. Writers of this process never get
// there: they queue for the one writer connection instead.
const busyTimeout = 10 * time.Second

// Store is a slb.CertificateStore on one SQLite file. It is safe for concurrent use,
// and several processes on one host may open the same file (not over a
// network file system, where SQLite's locks and WAL's shared memory fail).
type Store struct {
	// Tables are the tables beyond certificates (catalog, load
	// balancers …), shared with the PostgreSQL store.
	*sqlstore.Tables

	w *sql.DB // one connection, BEGIN IMMEDIATE
	r *sql.DB // query_only connections, deferred transactions
	n *sql.DB // the nonce file: one connection, BEGIN IMMEDIATE, synchronous=NORMAL

	// stmts are the statements every upload and every request run,
	// prepared once: parsing them again took a tenth of an upload's CPU.
	stmts statements
	// readers caches the reader pool's statements by query text.
	readers stmtCache
	// group commits creates together (groupcommit.go).
	group groupCommit

	// now is the wall clock nonce expiry is measured against.
	now func() time.Time
	// lastPurge is when expired nonces were last purged, in Unix ms.
	lastPurge atomic.Int64
}

var _ slb.CertificateStore = (*Store)(nil)

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
	s := &Store{Tables: newTables(w, r), w: w, r: r, n: n, now: time.Now, readers: stmtCache{db: r}}
	if err := s.stmts.prepare(ctx, w, n); err != nil {
		errors.Join(r.Close(), w.Close(), n.Close())
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	s.group.start(w, s.insert)
	return s, nil
}

// statements are prepared once per Store, on the writer's and the nonce
// file's single connections, where they stay valid.
type statements struct {
	count, insertCertificate, insertTag *sql.Stmt // on the writer
	useNonce                            *sql.Stmt // on the nonce file
}

func (st *statements) prepare(ctx context.Context, w, n *sql.DB) error {
	var err error
	for _, p := range []struct {
		db    *sql.DB
		dst   **sql.Stmt
		query string
	}{
		{w, &st.count, "SELECT COALESCE((SELECT n FROM certificate_counts WHERE account_id = ? AND region_id = ? AND kind = ?), 0)"},
		{w, &st.insertCertificate, "INSERT INTO certificates (" + certificateColumns + ") VALUES (" + sqlstore.Placeholders(20) + ")"},
		{w, &st.insertTag, "INSERT INTO certificate_tags (certificate_id, position, key, value) VALUES (?, ?, ?, ?)"},
		{n, &st.useNonce, `INSERT INTO nonces (access_key_id, nonce, expires_ms) VALUES (?, ?, ?)
			ON CONFLICT (access_key_id, nonce) DO UPDATE SET expires_ms = excluded.expires_ms
			WHERE nonces.expires_ms <= ?`},
	} {
		if *p.dst, err = p.db.PrepareContext(ctx, p.query); err != nil {
			return err
		}
	}
	return nil
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

// Close closes both pools. Closing a closed Store does nothing.
func (s *Store) Close() error {
	s.group.stop()
	return errors.Join(s.r.Close(), s.w.Close(), s.n.Close())
}

// write runs fn in a write transaction (BEGIN IMMEDIATE) and commits it if fn
// returns nil; otherwise it rolls back and returns fn's error.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return writeTx(ctx, s.w, fn)
}

// writeTx runs fn in a write transaction on db, as write does.
func writeTx(ctx context.Context, db *sql.DB, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
