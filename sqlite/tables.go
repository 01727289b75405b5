package sqlite

import (
	"database/sql"
	"errors"
	"strings"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"slbcert/sqlstore"
	"slbcert/vpc"
)

// dialect is SQLite's for the shared tables: ? placeholders, no locks
// (BEGIN IMMEDIATE on the one writer connection already serialises every
// write to the file), notifications within the process.
var dialect = sqlstore.Dialect{
	UniqueViolation: func(err error) bool {
		return hasCode(err, sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
	},
	ForeignKeyViolation: foreignKeyViolation,
}

// foreignKeyViolation: SQLite reports an ON DELETE RESTRICT refusal, which
// it implements as a trigger, as SQLITE_CONSTRAINT_TRIGGER with the foreign
// key's message, and every other foreign-key failure as
// SQLITE_CONSTRAINT_FOREIGNKEY.
func foreignKeyViolation(err error) bool {
	return hasCode(err, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY) ||
		hasCode(err, sqlite3.SQLITE_CONSTRAINT_TRIGGER) && strings.Contains(err.Error(), "FOREIGN KEY constraint failed")
}

func hasCode(err error, codes ...int) bool {
	var e *msqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	for _, c := range codes {
		if e.Code() == c {
			return true
		}
	}
	return false
}

// newTables returns the shared tables over the writer and reader pools.
func newTables(w, r *sql.DB) *sqlstore.Tables {
	return sqlstore.NewTables(sqlstore.New(w, r, dialect))
}

var _ vpc.Store = (*Store)(nil)
