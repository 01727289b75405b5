package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedQueries bounds the statement cache: query texts vary only with
// the shape of a filter (which filters, how many ids and tags), so a few
// dozen cover real use; past the bound, queries are prepared each time.
const maxCachedQueries = 256

// stmtCache keeps the reader pool's statements prepared, by query text.
// SQLite parses and plans a statement in about as much time as a lookup by
// id takes; database/sql prepares a cached statement once per connection.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// stmt returns the statement for query within tx: prepared once for the
// pool, or, when the cache is full, for this transaction alone.
func (c *stmtCache) stmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	st, ok := c.m[query]
	if !ok && len(c.m) < maxCachedQueries {
		var err error
		if st, err = c.db.PrepareContext(ctx, query); err != nil {
			c.mu.Unlock()
			return nil, err
		}
		if c.m == nil {
			c.m = map[string]*sql.Stmt{}
		}
		c.m[query] = st
	}
	c.mu.Unlock()
	if st == nil {
		return tx.PrepareContext(ctx, query)
	}
	return tx.StmtContext(ctx, st), nil
}
