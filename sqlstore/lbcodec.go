package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// jsonText encodes v for a TEXT column holding JSON. A nil slice is
// written as null: pass lists through orEmpty to store [].
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

// orEmpty never hands out a nil list: stored as [], read back non-nil.
func orEmpty[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

// exists reports whether query returns a row.
func exists(ctx context.Context, tx *Tx, query string, args ...any) (bool, error) {
	var one int
	err := tx.QueryRow(ctx, query, args...).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}
