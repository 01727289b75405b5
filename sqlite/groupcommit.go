package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slbcert/slb"
	"sync"
)

// maxGroup bounds how many creates share one commit.
const maxGroup = 64

// errClosed answers a create that arrives after Close.
var errClosed = errors.New("sqlite: store closed")

// create is one CreateCertificate waiting for its group's commit.
type create struct {
	ctx   context.Context
	c     *slb.Certificate
	limit int
	sans  string
	done  chan error
}

// groupCommit runs creates in groups: one goroutine takes every create
// waiting when it is free, runs each in a savepoint of one transaction (so a
// refused one — over quota, duplicate id — leaves the others), commits once,
// and only then answers them all. Under concurrent uploads one fsync serves
// many; alone, a create costs what it did on its own. A create whose
// context ended before its turn is not run; once run, it is answered after
// the commit whatever its context says, so that an error always means
// nothing was stored.
type groupCommit struct {
	queue  chan *create
	closed chan struct{}
	wg     sync.WaitGroup
	run    func(ctx context.Context, tx *sql.Tx, r *create) error
	db     *sql.DB
}

func (g *groupCommit) start(db *sql.DB, run func(ctx context.Context, tx *sql.Tx, r *create) error) {
	g.db, g.run = db, run
	g.queue = make(chan *create) // unbuffered: a create is either taken or refused at Close
	g.closed = make(chan struct{})
	g.wg.Add(1)
	go g.loop()
}

// do hands r to the committer and waits for its answer.
func (g *groupCommit) do(ctx context.Context, r *create) error {
	r.ctx, r.done = ctx, make(chan error, 1)
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
	select {
	case <-g.closed:
	default:
		close(g.closed)
	}
	g.wg.Wait()
}

func (g *groupCommit) loop() {
	defer g.wg.Done()
	for {
		var group []*create
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

// commit runs a group in one transaction and answers each create.
func (g *groupCommit) commit(group []*create) {
	ctx := context.Background() // a group outlives any one caller's context
	errs := make([]error, len(group))
	answer := func() {
		for i, r := range group {
			r.done <- errs[i]
		}
	}
	tx, err := g.db.BeginTx(ctx, nil)
	if err != nil {
		for i := range errs {
			errs[i] = err
		}
		answer()
		return
	}
	ran := false
	for i, r := range group {
		if err := r.ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		errs[i] = savepoint(ctx, tx, func() error { return g.run(ctx, tx, r) })
		ran = ran || errs[i] == nil
	}
	if ran {
		err = tx.Commit()
	} else {
		err = tx.Rollback()
	}
	if err != nil {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
	}
	answer()
}

// savepoint runs fn inside a savepoint of tx, undone if fn fails.
func savepoint(ctx context.Context, tx *sql.Tx, fn func() error) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT one_create"); err != nil {
		return err
	}
	if err := fn(); err != nil {
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO one_create"); rerr != nil {
			return errors.Join(err, rerr)
		}
		tx.ExecContext(ctx, "RELEASE one_create")
		return err
	}
	_, err := tx.ExecContext(ctx, "RELEASE one_create")
	return err
}
