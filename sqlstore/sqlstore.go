// Package sqlstore holds the query code the SQLite and PostgreSQL stores
// share, over database/sql, with what differs between the two databases
// isolated in a Dialect: placeholders, locks, error classes, notifications.
// The certificate catalog, the load balancers and everything hanging off
// them are kept here once; each store embeds a *Tables and brings its own
// schema migrations (the DDL differs) and its Dialect.
//
// The stores keep their older, database-specific code for certificates,
// tags and nonces, whose hot paths were tuned per database.
package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
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
	// same key, until it ends (PostgreSQL: pg_advisory_xact_lock). Nil
	// when writes are serialised anyway (SQLite: BEGIN IMMEDIATE locks the
	// whole file).
	Lock func(ctx context.Context, tx *sql.Tx, key string) error
	// UniqueViolation and ForeignKeyViolation classify constraint errors.
	UniqueViolation     func(error) bool
	ForeignKeyViolation func(error) bool
	// Notify, when set, announces on channel from inside tx, delivered when
	// it commits, to every process sharing the database (PostgreSQL:
	// pg_notify), with payload naming the sender (DB.ID), so that a
	// listener can skip what its own process already heard through
	// Subscribe. Nil: notifications stay in this process.
	Notify func(ctx context.Context, tx *sql.Tx, channel, payload string) error
}

// DB is a database seen through database/sql: a pool for writes and one for
// reads (the same pool for PostgreSQL; for SQLite the single-connection
// writer and the query-only readers).
type DB struct {
	w, r *sql.DB
	d    Dialect
	id   string

	mu   sync.Mutex
	subs map[string][]chan struct{}
}

// New returns a DB writing through w and reading through r.
func New(w, r *sql.DB, d Dialect) *DB {
	return &DB{w: w, r: r, d: d, id: rand.Text(), subs: map[string][]chan struct{}{}}
}

// ID names this DB (this process's view of the database) in the payload of
// its notifications.
func (db *DB) ID() string { return db.id }

// Tx is a transaction whose queries are written with ? placeholders.
type Tx struct {
	tx       *sql.Tx
	db       *DB
	notified map[string]bool
}

// Write runs fn in a write transaction and commits it if fn returns nil;
// otherwise it rolls back and returns fn's error. Channels fn notified are
// announced once the commit succeeded.
func (db *DB) Write(ctx context.Context, fn func(tx *Tx) error) error {
	return db.run(ctx, db.w, nil, fn)
}

// Read runs fn in a read-only transaction: one snapshot. PostgreSQL's
// default (READ COMMITTED) takes a snapshot per statement, so reads ask for
// REPEATABLE READ; SQLite's read transactions are one snapshot anyway (the
// driver ignores the level).
func (db *DB) Read(ctx context.Context, fn func(tx *Tx) error) error {
	return db.run(ctx, db.r, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}, fn)
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
	return r.db.r.QueryContext(ctx, r.db.rebind(query), args...)
}

// QueryRow runs a query that returns at most one row.
func (r Reader) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return r.db.r.QueryRowContext(ctx, r.db.rebind(query), args...)
}

// querier runs queries written with ? placeholders: a Tx, or a Reader.
type querier interface {
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) *sql.Row
}

func (db *DB) run(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(tx *Tx) error) error {
	stx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	tx := &Tx{tx: stx, db: db}
	if err := fn(tx); err != nil {
		stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return err
	}
	for ch := range tx.notified {
		db.broadcast(ch)
	}
	return nil
}

// Exec runs a statement.
func (t *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.db.rebind(query), args...)
}

// Query runs a query.
func (t *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.db.rebind(query), args...)
}

// QueryRow runs a query that returns at most one row.
func (t *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.db.rebind(query), args...)
}

// Lock serialises this transaction with every other one locking key, across
// processes sharing the database, until it ends.
func (t *Tx) Lock(ctx context.Context, key string) error {
	if t.db.d.Lock == nil {
		return nil
	}
	return t.db.d.Lock(ctx, t.tx, key)
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

// Tables is the shared implementation of the stores' tables beyond
// certificates; SQLite's and PostgreSQL's Store embed it, so its methods are
// theirs. Each product's tables live in a file of their own.
type Tables struct {
	DB *DB
}

// NewTables returns the shared tables over db.
func NewTables(db *DB) *Tables { return &Tables{DB: db} }
