package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"slbcert/internal/pgtest"
	"slbcert/sqlstore"
)

// listenChannel is a channel name of the test's own: channels are
// database-wide, shared by the schemas of parallel tests.
func listenChannel() string {
	b := make([]byte, 6)
	rand.Read(b)
	return "slbcert_test_" + hex.EncodeToString(b)
}

func received(t *testing.T, c <-chan struct{}, what string) {
	t.Helper()
	select {
	case _, ok := <-c:
		if !ok {
			t.Fatalf("%s: the channel closed", what)
		}
	case <-time.After(time.Second):
		t.Fatalf("%s: nothing within a second", what)
	}
}

func quiet(t *testing.T, c <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-c:
		t.Fatalf("%s: a value", what)
	case <-time.After(100 * time.Millisecond):
	}
}

func TestListen(t *testing.T) {
	admin(t)
	url := freshURL(t)
	a, b := open(t, url), open(t, url) // two replicas
	channel := listenChannel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, err := a.Listen(ctx, channel)
	if err != nil {
		t.Fatal(err)
	}
	quiet(t, c, "before any notification")

	notify := func(s *Store) error {
		return s.Tables.DB.Write(ctx, func(tx *sqlstore.Tx) error { return tx.Notify(ctx, channel) })
	}
	if err := notify(b); err != nil {
		t.Fatal(err)
	}
	received(t, c, "another replica's Tx.Notify")
	if err := notify(a); err != nil {
		t.Fatal(err)
	}
	quiet(t, c, "this replica's own Tx.Notify (heard through Subscribe)")

	t.Run("ok/a rolled-back transaction notifies nobody", func(t *testing.T) {
		b.Tables.DB.Write(ctx, func(tx *sqlstore.Tx) error {
			tx.Notify(ctx, channel)
			return context.Canceled
		})
		quiet(t, c, "after a rollback")
	})

	t.Run("ok/reconnects after the connection is killed", func(t *testing.T) {
		var killed int
		err := pgtest.Admin(t).QueryRow(ctx,
			"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query = $1",
			`LISTEN "`+channel+`"`).Scan(&killed)
		if err != nil || killed != 1 {
			t.Fatalf("terminated %d listening sessions: %v", killed, err)
		}
		received(t, c, "after a reconnection (notifications may have been missed)")
		if err := notify(b); err != nil {
			t.Fatal(err)
		}
		received(t, c, "a notification after the reconnection")
	})

	t.Run("ok/closed when the context ends", func(t *testing.T) {
		cancel()
		deadline := time.After(2 * time.Second)
		for {
			select {
			case _, ok := <-c:
				if !ok {
					return
				}
			case <-deadline:
				t.Fatal("the channel stayed open")
			}
		}
	})
}

func TestListenUnreachable(t *testing.T) {
	admin(t)
	s := open(t, freshURL(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Listen(ctx, listenChannel()); err == nil {
		t.Fatal("Listen with an ended context succeeded")
	}
}
