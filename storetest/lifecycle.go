package storetest

import (
	"context"
	"testing"
)

func testLifecycle(t *testing.T, open opener) {
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
