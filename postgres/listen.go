package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Reconnection back-off of Listen.
const (
	listenRetryMin = 100 * time.Millisecond
	listenRetryMax = 5 * time.Second
)

// Listen returns a channel that receives a value after each notification
// on channel by any other process sharing the database — a pg_notify, as
// sqlstore's Tx.Notify sends from inside its transaction, delivered at
// commit; this Store's own notifications are skipped, since its process
// hears them through sqlstore's Subscribe — coalesced: at most one value is pending, however many
// notifications arrived. It is how a replica learns, within moments, of a
// change another replica made.
//
// Listen holds a connection of its own, outside the pool (a LISTEN lives
// as long as its session). The first connection is made before Listen
// returns, and its failure returned. When the connection drops, Listen
// reconnects with a back-off of 100 ms doubling to 5 s, and sends a value
// once it listens again, since notifications may have been missed
// meanwhile. The channel is closed when ctx ends.
//
// Channels are database-wide: stores of different schemas in one database
// hear each other's notifications (a needless re-read, never a missed one).
func (s *Store) Listen(ctx context.Context, channel string) (<-chan struct{}, error) {
	cfg := s.pool.Config().ConnConfig.Copy()
	conn, err := listen(ctx, cfg, channel)
	if err != nil {
		return nil, err
	}
	self := s.Tables.DB.ID()
	out := make(chan struct{}, 1)
	signal := func() {
		select {
		case out <- struct{}{}:
		default:
		}
	}
	go func() {
		defer close(out)
		for {
			n, err := conn.WaitForNotification(ctx)
			if err == nil {
				if n.Payload != self {
					signal()
				}
				continue
			}
			conn.Close(context.Background())
			if conn = reconnect(ctx, cfg, channel); conn == nil {
				return
			}
			signal()
		}
	}()
	return out, nil
}

// listen connects and subscribes to channel.
func listen(ctx context.Context, cfg *pgx.ConnConfig, channel string) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: listen %s: %w", channel, err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		conn.Close(context.Background())
		return nil, fmt.Errorf("postgres: listen %s: %w", channel, err)
	}
	return conn, nil
}

// reconnect listens again, retrying with back-off until it does or ctx
// ends (nil).
func reconnect(ctx context.Context, cfg *pgx.ConnConfig, channel string) *pgx.Conn {
	wait := listenRetryMin
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		if conn, err := listen(ctx, cfg, channel); err == nil {
			return conn
		}
		wait = min(2*wait, listenRetryMax)
	}
}
