package dataplane

import (
	"context"
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

// Watch applies src's snapshot now, then again after each change and every
// resync (DefaultResync when 0), until ctx ends. A failed snapshot is
// logged and counted and retried after a second; the listeners keep
// serving the last configuration meanwhile. Watch returns ctx's error; it
// does not shut the runtime down.
func (r *Runtime) Watch(ctx context.Context, src Source, resync time.Duration) error {
	if resync <= 0 {
		resync = DefaultResync
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-src.Changes():
		case <-t.C:
		}
		next := resync
		if err := r.applyFrom(ctx, src); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			next = snapshotRetry
		}
		t.Reset(next) // Go 1.23 timers: no stale tick survives a Reset

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
