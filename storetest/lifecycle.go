package storetest

import (
	"context"
	"testing"
)

// Lifecycle is what the server needs of a store beyond the products'
// interfaces: readiness and release.
type Lifecycle interface {
	Ping(ctx context.Context) error
	Close() error
}

// RunLifecycle runs the lifecycle suite against the stores open makes,
// each fresh, as RunCertificates does.
func RunLifecycle(t *testing.T, open func(t *testing.T) Lifecycle) {
	t.Helper()
	t.Run("Lifecycle", func(t *testing.T) { testLifecycle(t, open) })
}

func testLifecycle(t *testing.T, open func(t *testing.T) Lifecycle) {
	t.Run("Ping on an open store", func(t *testing.T) {
		s := open(t)
		if err := s.Ping(context.Background()); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("Close, then Ping fails, and Close again", func(t *testing.T) {
		s := open(t)
		if err := s.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if err := s.Ping(context.Background()); err == nil {
			t.Error("Ping after Close succeeded")
		}
		if err := s.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	})
}
