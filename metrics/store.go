package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// StoreOp times one store operation into slbcert_store_duration_seconds,
// labelled op. It is resolved once, when the store is wired: timing a call
// then costs a clock read and an observation, no label lookup.
type StoreOp struct{ o prometheus.Observer }

// StoreOp returns the timer of store operation op. The server's timed
// store takes one per method of its store (docs/choices.md, "Layout").
func (m *Metrics) StoreOp(op string) StoreOp { return StoreOp{m.store.WithLabelValues(op)} }

// Since records one call that began at start.
func (o StoreOp) Since(start time.Time) { o.o.Observe(time.Since(start).Seconds()) }
