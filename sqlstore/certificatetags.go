package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"slbcert"
)

// UpdateTags implements slb.CertificateStore, in one transaction: first it
// removes the keys in remove (every tag when removeAll), then sets each of
// set in order, replacing the value of an existing key in place and
// appending a new key after the others, then checks every certificate's
// count against max. A repeated id counts once; no ids do nothing.
//
// The transaction begins by reading the certificates with the dialect's
// row lock (PostgreSQL: FOR UPDATE, in id order, so that calls on
// overlapping ids take their locks in the same order and cannot deadlock;
// SQLite's write transaction holds the whole file). Every writer of a
// certificate's tags holds that lock — DeleteCertificate's cascade too — so
// under READ COMMITTED the positions and counts read by the later
// statements cannot change under them.
func (t *Tables) UpdateTags(ctx context.Context, accountID, regionID string, ids []string, set []slbcert.Tag, remove []string, removeAll bool, max int) error {
	ids = unique(ids)
	if len(ids) == 0 {
		return nil
	}
	in, idArgs := inList(ids)
	err := t.DB.Write(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, "SELECT id FROM certificates WHERE account_id = ? AND region_id = ? AND id IN "+in+
			" ORDER BY id"+t.DB.d.RowLock, slices.Concat([]any{accountID, regionID}, idArgs)...)
		if err != nil {
			return err
		}
		found := 0
		for rows.Next() {
			found++
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if found != len(ids) {
			return slbcert.ErrNotFound
		}

		switch {
		case removeAll:
			_, err = tx.Exec(ctx, "DELETE FROM certificate_tags WHERE certificate_id IN "+in, idArgs...)
		case len(remove) > 0:
			keys, keyArgs := inList(remove)
			_, err = tx.Exec(ctx, "DELETE FROM certificate_tags WHERE certificate_id IN "+in+" AND key IN "+keys, slices.Concat(idArgs, keyArgs)...)
		}
		if err != nil {
			return err
		}
		// One statement per tag, in order, so that a key given twice ends
		// with its last value. A new key goes after every key the
		// certificate has; a key that exists keeps its position. (The
		// WHERE clause also keeps SQLite from reading ON CONFLICT as a
		// join's ON.)
		for _, tag := range set {
			if _, err := tx.Exec(ctx, `INSERT INTO certificate_tags (certificate_id, position, key, value)
				SELECT c.id, (SELECT COALESCE(MAX(t.position), -1) + 1 FROM certificate_tags t WHERE t.certificate_id = c.id), ?, ?
				FROM certificates c WHERE c.id IN `+in+`
				ON CONFLICT (certificate_id, key) DO UPDATE SET value = excluded.value`,
				slices.Concat([]any{tag.Key, tag.Value}, idArgs)...); err != nil {
				return err
			}
		}
		var (
			overID string
			over   int
		)
		switch err := tx.QueryRow(ctx, "SELECT certificate_id, COUNT(*) FROM certificate_tags WHERE certificate_id IN "+in+
			" GROUP BY certificate_id HAVING COUNT(*) > ? ORDER BY certificate_id LIMIT 1", slices.Concat(idArgs, []any{max})...).Scan(&overID, &over); {
		case err == nil:
			return fmt.Errorf("certificate %s would carry %d tags, at most %d: %w", overID, over, max, slbcert.ErrTagLimit)
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("update tags: %w", err)
	}
	return nil
}

// unique returns ids without repetitions, in the order of first appearance.
func unique(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
