package sqlite

import (
	"encoding/json"
	"errors"
	"strings"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"slbcert/sqlstore"
)

// dialect is SQLite's for sqlstore: ? placeholders, no locks (BEGIN
// IMMEDIATE on the one writer connection already serialises every write to
// the file), notifications within the process, lists as JSON text,
// statements prepared once per connection, creates committed in groups.
var dialect = sqlstore.Dialect{
	UniqueViolation: func(err error) bool {
		return hasCode(err, sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
	},
	ForeignKeyViolation: foreignKeyViolation,
	ListArg: func(list []string) (any, error) {
		b, err := json.Marshal(list)
		return string(b), err
	},
	ListJSON:       func(column string) string { return column },
	JSONArray:      "json_array",
	JSONGroupArray: "json_group_array",
	Prepare:        true,
	GroupCommit:    true,
}

// nonceDialect is dialect on the nonce file: one statement per nonce, no
// creates to group. Its commits need not be relaxed: the file runs with
// synchronous=NORMAL (openNonces).
var nonceDialect = func() sqlstore.Dialect {
	d := dialect
	d.GroupCommit = false
	return d
}()

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
