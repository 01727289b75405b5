package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// maxCachedQueries bounds a statement cache: query texts vary only with
// the shape of a filter (which filters, how many ids and tags), so a few
// dozen cover real use; past the bound, queries are run unprepared.
const maxCachedQueries = 256

// stmtCache keeps one pool's statements prepared, by query text
// (Dialect.Prepare). database/sql prepares a cached statement once per
// connection of the pool, and again on a connection that lacks it — a
// transaction's own, while it holds it.
//
// A query not yet cached runs unprepared while it is prepared in the
// background: preparing needs a connection of the pool, and the caller
// may hold the only one (SQLite's writer, in a transaction), or every
// other caller may.
type stmtCache struct {
	db *sql.DB
	// ctx ends the preparations under way when the cache closes.
	ctx    context.Context
	cancel context.CancelFunc

	mu     sync.RWMutex
	m      map[string]*sql.Stmt // nil: being prepared, or failed to
	closed bool
	wg     sync.WaitGroup
}

func newStmtCache(db *sql.DB) *stmtCache {
	ctx, cancel := context.WithCancel(context.Background())
	return &stmtCache{db: db, ctx: ctx, cancel: cancel}
}

// stmt returns the prepared statement for query, or nil when statements
// are not prepared here (a nil cache), or not yet, or the cache is full or
// closed.
func (c *stmtCache) stmt(query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.RLock()
	st, ok := c.m[query]
	c.mu.RUnlock()
	if ok {
		return st
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok || c.closed || len(c.m) >= maxCachedQueries {
		return st
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = nil
	c.wg.Add(1)
	go c.prepare(query)
	return nil
}

// prepare prepares query on the pool and caches it. A query that fails to
// prepare (the pool closing, or the query wrong, which its runs report)
// stays unprepared.
func (c *stmtCache) prepare(query string) {
	defer c.wg.Done()
	st, err := c.db.PrepareContext(c.ctx, query)
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		st.Close()
		return
	}
	c.m[query] = st
}

// close ends the preparations under way and closes every statement;
// later lookups prepare nothing.
func (c *stmtCache) close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.cancel()
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for _, st := range c.m {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	c.m = nil
	return errors.Join(errs...)
}
