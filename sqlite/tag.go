package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"slbcert"
	"slbcert/sqlstore"
)

// UpdateTags changes the tags of the certificates ids (any kind) of the
// account in the region, in one transaction: first it removes the keys in
// remove (every tag when removeAll), then sets each of set in order,
// replacing the value of an existing key in place and appending a new key
// after the others. slbcert.ErrNotFound if any id does not exist,
// slbcert.ErrTagLimit if a certificate would end with more than max tags;
// either way nothing changes. A repeated id counts once; no ids do nothing.
func (s *Store) UpdateTags(ctx context.Context, accountID, regionID string, ids []string, set []slbcert.Tag, remove []string, removeAll bool, max int) error {
	ids = unique(ids)
	if len(ids) == 0 {
		return nil
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		args := []any{accountID, regionID}
		for _, id := range ids {
			args = append(args, id)
		}
		var found int
		if err := tx.QueryRowContext(ctx,
			"SELECT COUNT(*) FROM certificates WHERE account_id = ? AND region_id = ? AND id IN ("+sqlstore.Placeholders(len(ids))+")",
			args...).Scan(&found); err != nil {
			return err
		}
		if found != len(ids) {
			return slbcert.ErrNotFound
		}

		var del *sql.Stmt
		var err error
		switch {
		case removeAll:
			del, err = tx.PrepareContext(ctx, "DELETE FROM certificate_tags WHERE certificate_id = ?")
		case len(remove) > 0:
			del, err = tx.PrepareContext(ctx, "DELETE FROM certificate_tags WHERE certificate_id = ? AND key IN ("+sqlstore.Placeholders(len(remove))+")")
		}
		if err != nil {
			return err
		}
		// A new key goes after every key the certificate has; a key that
		// exists keeps its position and takes the new value.
		upsert, err := tx.PrepareContext(ctx, `INSERT INTO certificate_tags (certificate_id, position, key, value)
			VALUES (?, (SELECT COALESCE(MAX(position), -1) + 1 FROM certificate_tags WHERE certificate_id = ?), ?, ?)
			ON CONFLICT (certificate_id, key) DO UPDATE SET value = excluded.value`)
		if err != nil {
			return err
		}
		count, err := tx.PrepareContext(ctx, "SELECT COUNT(*) FROM certificate_tags WHERE certificate_id = ?")
		if err != nil {
			return err
		}

		for _, id := range ids {
			if del != nil {
				delArgs := []any{id}
				if !removeAll {
					for _, k := range remove {
						delArgs = append(delArgs, k)
					}
				}
				if _, err := del.ExecContext(ctx, delArgs...); err != nil {
					return err
				}
			}
			for _, t := range set {
				if _, err := upsert.ExecContext(ctx, id, id, t.Key, t.Value); err != nil {
					return err
				}
			}
			var n int
			if err := count.QueryRowContext(ctx, id).Scan(&n); err != nil {
				return err
			}
			if n > max {
				return fmt.Errorf("certificate %s would carry %d tags, at most %d: %w", id, n, max, slbcert.ErrTagLimit)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: update tags: %w", err)
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
