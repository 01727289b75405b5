package postgres

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"slbcert/sqlstore"
	"slbcert/vpc"
)

// tablesLockClass is the first key of the advisory locks the shared tables
// take (sqlstore.Tx.Lock): "slbt", apart from the quota locks' class.
const tablesLockClass int32 = 0x736c6274

// dialect is PostgreSQL's for the shared tables: $n placeholders,
// transaction-scoped advisory locks, pg_notify.
var dialect = sqlstore.Dialect{
	Numbered: true,
	Lock: func(ctx context.Context, tx *sql.Tx, key string) error {
		_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1, hashtext($2))", tablesLockClass, key)
		return err
	},
	UniqueViolation:     func(err error) bool { return pgCode(err) == "23505" },
	ForeignKeyViolation: func(err error) bool { return pgCode(err) == "23503" },
	Notify: func(ctx context.Context, tx *sql.Tx, channel, payload string) error {
		_, err := tx.ExecContext(ctx, "SELECT pg_notify($1, $2)", channel, payload)
		return err
	},
}

func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// newTables returns the shared tables over pool, through database/sql.
func newTables(pool *pgxpool.Pool) *sqlstore.Tables {
	db := stdlib.OpenDBFromPool(pool)
	return sqlstore.NewTables(sqlstore.New(db, db, dialect))
}

var _ vpc.Store = (*Store)(nil)
