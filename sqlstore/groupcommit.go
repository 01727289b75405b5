package sqlstore

import (
	"context"
	"errors"
	"sync"
)

// maxGroup bounds how many writes share one commit.
const maxGroup = 64

// errClosed answers a grouped write that arrives after Close.
var errClosed = errors.New("store closed")

// grouped is one WriteGrouped call waiting for its group's commit.
type grouped struct {
	ctx  context.Context
	fn   func(ctx context.Context, tx *Tx) error
	done chan error
}

// groupCommit runs writes in groups (Dialect.GroupCommit): one goroutine
// takes every write waiting when it is free, runs each in a savepoint of
// one transaction (so a refused one — over quota, duplicate id — leaves
// the others), commits once, and only then answers them all. Under
// concurrent uploads one fsync serves many; alone, a write costs what it
// did on its own. A write whose context ended before its turn is not run;
// once run, it is answered after the commit whatever its context says, so
// that an error always means nothing was stored.
type groupCommit struct {
	db     *DB
	queue  chan *grouped
	closed chan struct{}
	once   sync.Once
	wg     sync.WaitGroup
}

func startGroupCommit(db *DB) *groupCommit {
	g := &groupCommit{
		db:     db,
		queue:  make(chan *grouped), // unbuffered: a write is either taken or refused at Close
		closed: make(chan struct{}),
	}
	g.wg.Add(1)
	go g.loop()
	return g
}

// do hands fn to the committer and waits for its answer.
func (g *groupCommit) do(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) error {
	r := &grouped{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case g.queue <- r:
	case <-ctx.Done():
		return ctx.Err()
	case <-g.closed:
		return errClosed
	}
	return <-r.done
}

// stop ends the committer after its current group.
func (g *groupCommit) stop() {
	g.once.Do(func() { close(g.closed) })
	g.wg.Wait()
}

func (g *groupCommit) loop() {
	defer g.wg.Done()
	for {
		var group []*grouped
		select {
		case r := <-g.queue:
			group = append(group, r)
		case <-g.closed:
			return
		}
	gather:
		for len(group) < maxGroup {
			select {
			case r := <-g.queue:
				group = append(group, r)
			default:
				break gather
			}
		}
		g.commit(group)
	}
}

// commit runs a group in one transaction and answers each write.
func (g *groupCommit) commit(group []*grouped) {
	ctx := context.Background() // a group outlives any one caller's context
	errs := make([]error, len(group))
	answer := func() {
		for i, r := range group {
			r.done <- errs[i]
		}
	}
	stx, err := g.db.w.BeginTx(ctx, nil)
	if err != nil {
		for i := range errs {
			errs[i] = err
		}
		answer()
		return
	}
	var notified map[string]bool // channels the group's writes notified
	ran := false
	for i, r := range group {
		if err := r.ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		tx := &Tx{tx: stx, db: g.db, stmts: g.db.ws}
		errs[i] = tx.savepoint(ctx, func() error { return r.fn(ctx, tx) })
		if errs[i] == nil {
			ran = true
			for ch := range tx.notified {
				if notified == nil {
					notified = map[string]bool{}
				}
				notified[ch] = true
			}
		}
	}
	if ran {
		err = stx.Commit()
	} else {
		err = stx.Rollback()
	}
	if err != nil {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
	} else {
		g.db.announce(notified)
	}
	answer()
}

// savepoint runs fn inside a savepoint of the transaction, undone if fn
// fails.
func (t *Tx) savepoint(ctx context.Context, fn func() error) error {
	if _, err := t.tx.ExecContext(ctx, "SAVEPOINT one_write"); err != nil {
		return err
	}
	if err := fn(); err != nil {
		if _, rerr := t.tx.ExecContext(ctx, "ROLLBACK TO one_write"); rerr != nil {
			return errors.Join(err, rerr)
		}
		t.tx.ExecContext(ctx, "RELEASE one_write")
		return err
	}
	_, err := t.tx.ExecContext(ctx, "RELEASE one_write")
	return err
}
