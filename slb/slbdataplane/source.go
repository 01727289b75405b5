// Package slbdataplane feeds the data plane from the load-balancer store: it
// reads the store's snapshot of what should be served, translates it into
// a dataplane.Config (addresses and port offset, backend addresses,
// certificates with their keys unsealed in memory, custom TLS policies),
// and signals each change another process commits (on PostgreSQL: LISTEN
// on slb.LoadBalancerNotifyChannel); this process's own changes are
// applied through the data plane's Sync, which the API calls.
//
// It sits between SLB's store and package dataplane, and
// knows nothing of the API: the API does not know how listeners are
// served, and the data plane does not know where its configuration comes
// from.
package slbdataplane

import (
	"context"
	"fmt"

	"slbcert/dataplane"
	"slbcert/slb"
)

// Listener hears other processes' commits: PostgreSQL's Listen. A store
// no other process announces to (SQLite) answers a channel that receives
// nothing.
type Listener interface {
	Listen(ctx context.Context, channel string) (<-chan struct{}, error)
}

// Store is what a Source reads: the load-balancer store, and how it hears
// other processes' changes.
type Store interface {
	slb.LoadBalancerStore
	Listener
}

// Source implements dataplane.Source over a load-balancer store.
type Source struct {
	store   Store
	tr      Translation
	changes chan struct{}
	cancel  context.CancelFunc
	done    chan struct{}
}

var _ dataplane.Source = (*Source)(nil)

// New subscribes to the changes other processes make — the store's Listen,
// whose first connection must succeed — and returns the Source. Close stops it. This process's own changes need no signal: the
// API waits for the data plane (Runtime.Sync) after each write that
// changes what is served, and a signal as well would read every such
// change twice.
func New(store Store, tr Translation) (*Source, error) {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Source{store: store, tr: tr, changes: make(chan struct{}, 1), cancel: cancel, done: make(chan struct{})}
	remote, err := store.Listen(ctx, slb.LoadBalancerNotifyChannel)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("data plane: %w", err)
	}
	go func() {
		defer close(s.done)
		for {
			select {
			case <-ctx.Done():
				return
			case _, ok := <-remote:
				if !ok {
					remote = nil // Listen ended: only with ctx
					continue
				}
			}
			select {
			case s.changes <- struct{}{}:
			default: // one pending signal covers every change so far
			}
		}
	}()
	return s, nil
}

// Snapshot implements dataplane.Source: the store's snapshot, translated.
func (s *Source) Snapshot(ctx context.Context) (dataplane.Config, error) {
	snap, err := s.store.DataPlaneSnapshot(ctx)
	if err != nil {
		return dataplane.Config{}, err
	}
	return s.tr.Config(snap), nil
}

// Changes implements dataplane.Source.
func (s *Source) Changes() <-chan struct{} { return s.changes }

// Close stops following the store's changes.
func (s *Source) Close() {
	s.cancel()
	<-s.done
}
