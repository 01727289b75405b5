package postgres

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"slbcert/sqlstore"
)

// dialect is PostgreSQL's for sqlstore: $n placeholders, transaction-scoped
// advisory locks (the lock space is their first key, hashtext of the key
// their second, computed by the server so that every replica derives the
// same lock whatever its build), FOR UPDATE, pg_notify, text[] lists, and
// relaxed commits for nonces, on pool.
func dialect(pool *pgxpool.Pool) sqlstore.Dialect {
	return sqlstore.Dialect{
		Numbered: true,
		Lock: func(ctx context.Context, tx *sql.Tx, space sqlstore.LockSpace, key string) error {
			_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1, hashtext($2))", int32(space), key)
			return err
		},
		RowLock:             " FOR UPDATE",
		UniqueViolation:     func(err error) bool { return pgCode(err) == "23505" },
		ForeignKeyViolation: func(err error) bool { return pgCode(err) == "23503" },
		Notify: func(ctx context.Context, tx *sql.Tx, channel, payload string) error {
			_, err := tx.ExecContext(ctx, "SELECT pg_notify($1, $2)", channel, payload)
			return err
		},
		ListArg:        func(list []string) (any, error) { return list, nil },
		ListJSON:       func(column string) string { return "array_to_json(" + column + ")" },
		JSONArray:      "json_build_array",
		JSONGroupArray: "json_agg",
		CountInInsert:  true,
		Relaxed: func(ctx context.Context, query string, args ...any) (int64, error) {
			return relaxed(ctx, pool, query, args...)
		},
	}
}

// relaxed runs query in a transaction of its own committed with
// synchronous_commit off — for itself alone; the store refuses connections
// where it is off for everything — and returns the rows it changed. The
// four statements travel in one round trip.
func relaxed(ctx context.Context, pool *pgxpool.Pool, query string, args ...any) (int64, error) {
	batch := &pgx.Batch{}
	batch.Queue("BEGIN")
	batch.Queue("SET LOCAL synchronous_commit = off")
	var n int64
	batch.Queue(query, args...).Exec(func(tag pgconn.CommandTag) error {
		n = tag.RowsAffected()
		return nil
	})
	batch.Queue("COMMIT")
	if err := pool.SendBatch(ctx, batch).Close(); err != nil {
		return 0, err
	}
	return n, nil
}

func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
