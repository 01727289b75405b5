// Package sqlstore holds the query code the SQLite and PostgreSQL stores
// share, over database/sql, with what differs between the two databases
// isolated in a Dialect: placeholders, locks, error classes, notifications,
// how a list of strings is kept, whether statements are prepared here and
// creates committed in groups, how a commit that need not reach the disk
// is made. Every product's tables are kept here once — SLB's certificates,
// tags, load balancers and everything hanging off them, the certificate
// catalog, the gateway's nonces — each product's in files of their own;
// each store embeds a *Tables and a *Nonces and brings its own schema
// migrations (the DDL differs), connections and Dialect (docs/choices.md,
// "Layout").
package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"sync"
)

// Dialect is what the shared queries need to know of a database.
type Dialect struct {
	// Numbered placeholders: queries are written with ?, rewritten to $1,
	// $2 … for PostgreSQL.
	Numbered bool
	// Lock serialises the transaction with every other one that locks the
	// same key of the same space, until it ends (PostgreSQL:
	// pg_advisory_xact_lock(space, hashtext(key))). Nil when writes are
	// serialised anyway (SQLite: BEGIN IMMEDIATE locks the whole file).
	Lock func(ctx context.Context, tx *sql.Tx, space LockSpace, key string) error
	// RowLock is appended to a read of rows the transaction goes on to
	// change, to lock them until it ends (PostgreSQL " FOR UPDATE"; SQLite
	// "": the write transaction holds the whole file). Where waiting for
	// a row is pointless, " SKIP LOCKED" follows it.
	RowLock string
	// UniqueViolation and ForeignKeyViolation classify constraint errors.
	UniqueViolation     func(error) bool
	ForeignKeyViolation func(error) bool
	// Notify, when set, announces on channel from inside tx, delivered when
	// it commits, to every process sharing the database (PostgreSQL:
	// pg_notify), with payload naming the sender (DB.ID), so that a
	// listener can skip what its own process already heard through
	// Subscribe. Nil: notifications stay in this process.
	Notify func(ctx context.Context, tx *sql.Tx, channel, payload string) error

	// ListArg binds a list of strings for a column that holds one (a
	// certificate's SANs), and ListJSON reads such a column as a JSON
	// array: SQLite keeps the JSON text itself; PostgreSQL a text[], which
	// pgx encodes from the []string and array_to_json reads back.
	ListArg  func(list []string) (any, error)
	ListJSON func(column string) string
	// JSONArray and JSONGroupArray name the functions that build a JSON
	// array of their arguments and aggregate rows into one (SQLite
	// json_array and json_group_array, PostgreSQL json_build_array and
	// json_agg), with which a read returns each row's list (tags) in the
	// same statement.
	JSONArray, JSONGroupArray string

	// Prepare keeps statements prepared here, by query text, per pool:
	// SQLite parses and plans a statement in about as long as a lookup by
	// id takes. (pgx caches prepared statements per connection itself, and
	// behind a pooler in transaction mode must not prepare them apart.)
	Prepare bool
	// GroupCommit lets writes that ask for it (WriteGrouped) share one
	// transaction and its commit: SQLite admits one writer at a time, so
	// one fsync then serves many concurrent uploads. PostgreSQL commits
	// concurrently and is better without.
	GroupCommit bool
	// CountInInsert reads a create's quota count in its INSERT … SELECT …
	// WHERE, a round trip less to PostgreSQL. SQLite counts in a statement
	// of its own: an INSERT … SELECT whose row a trigger counts costs it
	// twice the count and the INSERT … VALUES apart.
	CountInInsert bool
	// Relaxed, when set, runs one statement (placeholders already
	// numbered) as a transaction of its own whose commit may return before
	// it reaches the disk, and returns the rows it changed: PostgreSQL
	// sends BEGIN, SET LOCAL synchronous_commit = off, the statement and
	// COMMIT in one round trip. Nil: the statement runs as it is, and the
	// pool decides (SQLite's nonce file runs with synchronous=NORMAL).
	Relaxed func(ctx context.Context, query string, args ...any) (int64, error)
}

// LockSpace separates lock keys: keys of different spaces never exclude
// each other. The values are PostgreSQL's advisory-lock classes, kept from
// release to release so that replicas of two versions, while they are
// rolled, lock alike.
type LockSpace int32

const (
	// TableLocks are the shared tables' keys (load balancers, catalogs):
	// "slbt".
	TableLocks LockSpace = 0x736c6274
	// QuotaLocks order the certificate creates of one owner (account,
	// region, kind), so that the quota count cannot race: "slbc".
	QuotaLocks LockSpace = 0x736c6263
)

// DB is a database seen through database/sql: a pool for writes and one for
// reads (the same pool for PostgreSQL; for SQLite the single-connection
// writer and the query-only readers).
type DB struct {
	w, r *sql.DB
	d    Dialect
	id   string

	// ws and rs are the pools' prepared statements (Dialect.Prepare).
	ws, rs *stmtCache
	// group commits WriteGrouped's writes together (Dialect.GroupCommit).
	group *groupCommit

	mu   sync.Mutex
	subs map[string][]chan struct{}
}

// New returns a DB writing through w and reading through r. Close stops
// what it started; the pools stay the caller's.
func New(w, r *sql.DB, d Dialect) *DB {
	db := &DB{w: w, r: r, d: d, id: rand.Text(), subs: map[string][]chan struct{}{}}
	if d.Prepare {
		db.ws = newStmtCache(w)
		db.rs = db.ws
		if r != w {
			db.rs = newStmtCache(r)
		}
	}
	if d.GroupCommit {
		db.group = startGroupCommit(db)
	}
	return db
}

// Close waits for the group being committed, refuses later grouped
// writes, and closes the prepared statements. The pools are left open (the
// store closes them next); closing twice does nothing more.
func (db *DB) Close() error {
	if db.group != nil {
		db.group.stop()
	}
	var errs []error
	if db.ws != nil {
		errs = append(errs, db.ws.close())
	}
	if db.rs != nil && db.rs != db.ws {
		errs = append(errs, db.rs.close())
	}
	return errors.Join(errs...)
}

// ID names this DB (this process's view of the database) in the payload of
// its notifications.
func (db *DB) ID() string { return db.id }

// Tx is a transaction whose queries are written with ? placeholders.
type Tx struct {
	tx       *sql.Tx
	db       *DB
	stmts    *stmtCache // nil: statements are not prepared here
	notified map[string]bool
}

// Write runs fn in a write transaction and commits it if fn returns nil;
// otherwise it rolls back and returns fn's error. Channels fn notified are
// announced once the commit succeeded.
func (db *DB) Write(ctx context.Context, fn func(tx *Tx) error) error {
	return db.run(ctx, db.w, db.ws, nil, fn)
}

// WriteGrouped runs fn as Write does, or, where the dialect commits in
// groups (GroupCommit), inside a savepoint of a transaction shared with
// the other grouped writes waiting at the time: each is undone alone if it
// fails, and none is answered before the shared commit. fn must run its
// statements under the context it is given — the group's, which no one
// caller's cancellation interrupts — and is not run at all if ctx has
// ended before its turn.
func (db *DB) WriteGrouped(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) error {
	if db.group == nil {
		return db.Write(ctx, func(tx *Tx) error { return fn(ctx, tx) })
	}
	return db.group.do(ctx, fn)
}

// Exec runs one statement on the writer pool as a transaction of its own
// (one statement is atomic and, committed, durable).
func (db *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query = db.rebind(query)
	if st := db.ws.stmt(query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return db.w.ExecContext(ctx, query, args...)
}

// ExecRelaxed runs one statement as Exec does, except that its commit may
// return before it reaches the disk where the dialect can say so
// (Relaxed), and returns how many rows it changed. For what a crash may
// forget without harm, written on every request: nonces.
func (db *DB) ExecRelaxed(ctx context.Context, query string, args ...any) (int64, error) {
	if db.d.Relaxed != nil {
		return db.d.Relaxed(ctx, db.rebind(query), args...)
	}
	res, err := db.Exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Read runs fn in a read-only transaction: one snapshot. PostgreSQL's
// default (READ COMMITTED) takes a snapshot per statement, so reads ask for
// REPEATABLE READ; SQLite's read transactions are one snapshot anyway (the
// driver ignores the level).
func (db *DB) Read(ctx context.Context, fn func(tx *Tx) error) error {
	return db.run(ctx, db.r, db.rs, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}, fn)
}

// Reader runs reads of one statement on the reader pool, each outside any
// transaction: one statement reads one consistent snapshot on both
// databases (PostgreSQL takes one per statement; a SQLite statement in
// autocommit is its own read transaction), and no BEGIN and COMMIT cost
// PostgreSQL two round trips. Reads of several statements that must agree
// use Read.
func (db *DB) Reader() Reader { return Reader{db} }

// Reader is DB's reader pool for one-statement reads (DB.Reader).
type Reader struct{ db *DB }

// Query runs a query.
func (r Reader) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query = r.db.rebind(query)
	if st := r.db.rs.stmt(query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return r.db.r.QueryContext(ctx, query, args...)
}

// QueryRow runs a query that returns at most one row.
func (r Reader) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	query = r.db.rebind(query)
	if st := r.db.rs.stmt(query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return r.db.r.QueryRowContext(ctx, query, args...)
}

// querier runs queries written with ? placeholders: a Tx, or a Reader.
type querier interface {
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) *sql.Row
}

func (db *DB) run(ctx context.Context, pool *sql.DB, stmts *stmtCache, opts *sql.TxOptions, fn func(tx *Tx) error) error {
	stx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	tx := &Tx{tx: stx, db: db, stmts: stmts}
	if err := fn(tx); err != nil {
		stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return err
	}
	db.announce(tx.notified)
	return nil
}

// announce broadcasts the channels a committed transaction notified.
func (db *DB) announce(notified map[string]bool) {
	for ch := range notified {
		db.broadcast(ch)
	}
}

// Exec runs a statement.
func (t *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query = t.db.rebind(query)
	if st := t.stmts.stmt(query); st != nil {
		return t.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

// Query runs a query.
func (t *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query = t.db.rebind(query)
	if st := t.stmts.stmt(query); st != nil {
		return t.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

// QueryRow runs a query that returns at most one row.
func (t *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	query = t.db.rebind(query)
	if st := t.stmts.stmt(query); st != nil {
		return t.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

// Lock serialises this transaction with every other one locking key (of
// the shared tables' space), across processes sharing the database, until
// it ends.
func (t *Tx) Lock(ctx context.Context, key string) error {
	return t.LockIn(ctx, TableLocks, key)
}

// LockIn is Lock in another space of keys.
func (t *Tx) LockIn(ctx context.Context, space LockSpace, key string) error {
	if t.db.d.Lock == nil {
		return nil
	}
	return t.db.d.Lock(ctx, t.tx, space, key)
}

// locking reports whether Lock takes a lock, which may wait for another
// transaction: only then can what was read before it have changed.
func (t *Tx) locking() bool { return t.db.d.Lock != nil }

// Notify announces a change on channel once the transaction commits: to
// this process's Subscribe channels, and through the database to other
// processes when the dialect can.
func (t *Tx) Notify(ctx context.Context, channel string) error {
	if t.notified[channel] {
		return nil
	}
	if t.notified == nil {
		t.notified = map[string]bool{}
	}
	t.notified[channel] = true
	if t.db.d.Notify != nil {
		return t.db.d.Notify(ctx, t.tx, channel, t.db.id)
	}
	return nil
}

// Subscribe returns a channel that receives a value (coalesced: at most one
// pending) after each commit of this process that notified channel; cancel
// stops it. Other processes' notifications arrive through the store's own
// listener (PostgreSQL LISTEN), not here.
func (db *DB) Subscribe(channel string) (c <-chan struct{}, cancel func()) {
	ch := make(chan struct{}, 1)
	db.mu.Lock()
	db.subs[channel] = append(db.subs[channel], ch)
	db.mu.Unlock()
	return ch, func() {
		db.mu.Lock()
		defer db.mu.Unlock()
		list := db.subs[channel]
		for i, x := range list {
			if x == ch {
				db.subs[channel] = append(list[:i:i], list[i+1:]...)
				break
			}
		}
	}
}

func (db *DB) broadcast(channel string) {
	db.mu.Lock()
	defer db.mu.Unlock()
	for _, ch := range db.subs[channel] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// IsUniqueViolation reports whether err is a unique or primary-key violation.
func (db *DB) IsUniqueViolation(err error) bool {
	return err != nil && db.d.UniqueViolation != nil && db.d.UniqueViolation(err)
}

// IsForeignKeyViolation reports whether err is a foreign-key violation.
func (db *DB) IsForeignKeyViolation(err error) bool {
	return err != nil && db.d.ForeignKeyViolation != nil && db.d.ForeignKeyViolation(err)
}

// rebind rewrites ? placeholders to $n for numbered dialects. Queries here
// never hold a literal "?" in strings.
func (db *DB) rebind(q string) string {
	if !db.d.Numbered || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// Placeholders returns "?, ?, ?" for n parameters.
func Placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// Tables is the shared implementation of the products' tables: SQLite's
// and PostgreSQL's Store embed it, so its methods are theirs. Each
// product's tables live in files of their own (SLB's certificate*.go and
// the load balancers', the catalog's catalog.go).
type Tables struct {
	DB *DB

	certs certificateQueries
}

// NewTables returns the shared tables over db.
func NewTables(db *DB) *Tables { return &Tables{DB: db, certs: newCertificateQueries(db.d)} }
