package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"slbcert"
)

// jsonText encodes v for a TEXT column holding JSON. Nil slices are written
// as [] so that every reader sees a list.
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// fromJSONText decodes a JSON TEXT column into v.
func fromJSONText(column, text string, v any) error {
	if err := json.Unmarshal([]byte(text), v); err != nil {
		return fmt.Errorf("%s: %w", column, err)
	}
	return nil
}

// millis and fromMillis store times as Unix milliseconds, read back in UTC.
func millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// nullable writes "" as NULL: a reference column without a reference.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// inList returns "(?, ?, …)" and the arguments for ids.
func inList(ids []string) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "(" + Placeholders(len(ids)) + ")", args
}

// tagsOrEmpty never hands out a nil tag list.
func tagsOrEmpty(tags []slbcert.Tag) []slbcert.Tag {
	if tags == nil {
		return []slbcert.Tag{}
	}
	return tags
}

// serversOrEmpty never hands out a nil server list.
func serversOrEmpty(s []slbcert.BackendServer) []slbcert.BackendServer {
	if s == nil {
		return []slbcert.BackendServer{}
	}
	return s
}

// stringOf reads a nullable reference column.
func stringOf(s sql.NullString) string { return s.String }

// exists reports whether query returns a row.
func exists(ctx context.Context, tx *Tx, query string, args ...any) (bool, error) {
	var one int
	err := tx.QueryRow(ctx, query, args...).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}
