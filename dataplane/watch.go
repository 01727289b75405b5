package dataplane

import (
	"context"
	"errors"
	"time"
)

// Source is where the data plane reads its configuration: a snapshot of
// the desired state, and a signal after each change of it. The store's
// adapter implements it; the data plane never writes back.
type Source interface {
	// Snapshot returns the whole desired configuration, read at one
	// point in time.
	Snapshot(ctx context.Context) (Config, error)
	// Changes receives a value (coalesced) after each change the Source
	// learns of, from this process or from other replicas.
	Changes() <-chan struct{}
}

// Watch defaults.
const (
	// DefaultResync is the safety re-read of Watch: a change whose
	// notification was lost (a dropped database connection) is served
	// after at most this long.
	DefaultResync = 30 * time.Second
	// snapshotRetry is the wait after a failed snapshot.
	snapshotRetry = time.Second
)

// Watch applies src's snapshot now, then again after each change, each
// Sync and every resync (DefaultResync when 0), until ctx ends. A failed
// snapshot is logged and counted and retried after a second; the
// listeners keep serving the last configuration meanwhile. Watch returns
// ctx's error; it does not shut the runtime down. One Watch at a time.
func (r *Runtime) Watch(ctx context.Context, src Source, resync time.Duration) error {
	if resync <= 0 {
		resync = DefaultResync
	}
	if !r.watching.CompareAndSwap(false, true) {
		return errors.New("dataplane: already watching")
	}
	defer r.watching.Store(false)
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		var waiting []chan error
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-src.Changes():
		case <-t.C:
		case w := <-r.syncs:
			waiting = append(waiting, w)
		}
		// Syncs asked for by now are all answered by the snapshot read
		// next, which is later than each of them.
		for more := true; more; {
			select {
			case w := <-r.syncs:
				waiting = append(waiting, w)
			default:
				more = false
			}
		}
		err := r.applyFrom(ctx, src)
		for _, w := range waiting {
			w <- err
		}
		next := resync
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			next = snapshotRetry
		}
		t.Reset(next) // Go 1.23 timers: no stale tick survives a Reset
	}
}

// ErrNotWatching is Sync's answer when no Watch runs.
var ErrNotWatching = errors.New("dataplane: no watch is running")

// Sync makes the running Watch read a snapshot now and apply it, and
// returns once it is served: a change committed before Sync is then
// visible to new connections and handshakes (when the API answers, the data
// plane reflects the change: docs/choices.md, "Data plane (listeners that
// serve)"). Concurrent Syncs share a
// snapshot. Only a failed read of the snapshot is an error; a listener
// that cannot be served reports it in its status.
func (r *Runtime) Sync(ctx context.Context) error {
	if !r.watching.Load() {
		return ErrNotWatching
	}
	w := make(chan error, 1)
	select {
	case r.syncs <- w:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-w:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// applyFrom reads a snapshot and applies it; only a failed read is an
// error (a listener's problems are its own, in its status).
func (r *Runtime) applyFrom(ctx context.Context, src Source) error {
	cfg, err := src.Snapshot(ctx)
	if err != nil {
		r.metrics.reloads.WithLabelValues("error").Inc()
		r.log.Error("dataplane: reading the configuration failed; serving the last one", "err", err)
		return err
	}
	r.metrics.reloads.WithLabelValues("ok").Inc()
	if err := r.Apply(cfg); err == ErrShutdown {
		return err
	}
	return nil
}
