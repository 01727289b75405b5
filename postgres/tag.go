package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"slbcert"
)

// UpdateTags changes the tags of the certificates ids (any kind) of the
// account in the region, in one transaction: first it removes the keys in
// remove (every tag when removeAll), then sets each of set in order,
// replacing the value of an existing key in place and appending a new key
// after the others. slbcert.ErrNotFound if any id does not exist,
// slbcert.ErrTagLimit if a certificate would end with more than max tags;
// either way nothing changes. A repeated id counts once; no ids do nothing.
//
// The transaction begins by locking the certificates (SELECT … FOR UPDATE,
// in id order, so that calls on overlapping ids take their locks in the same
// order and cannot deadlock). Every writer of a certificate's tags holds that
// lock — DeleteCertificate's cascade too — so under READ COMMITTED the
// positions and counts read by the later statements cannot change under
// them. The changes and the final count then go in one round trip.
func (s *Store) UpdateTags(ctx context.Context, accountID, regionID string, ids []string, set []slbcert.Tag, remove []string, removeAll bool, max int) error {
	ids = unique(ids)
	if len(ids) == 0 {
		return nil
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id FROM certificates
			WHERE account_id = $1 AND region_id = $2 AND id = ANY($3::text[])
			ORDER BY id COLLATE "C" FOR UPDATE`, accountID, regionID, ids)
		if err != nil {
			return err
		}
		found, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		if len(found) != len(ids) {
			return slbcert.ErrNotFound
		}

		b := &pgx.Batch{}
		switch {
		case removeAll:
			b.Queue("DELETE FROM certificate_tags WHERE certificate_id = ANY($1::text[])", ids)
		case len(remove) > 0:
			b.Queue("DELETE FROM certificate_tags WHERE certificate_id = ANY($1::text[]) AND key = ANY($2::text[])", ids, remove)
		}
		// One statement per tag, in order, so that a key given twice ends
		// with its last value. A new key goes after every key the
		// certificate has; a key that exists keeps its position.
		for _, t := range set {
			b.Queue(`INSERT INTO certificate_tags (certificate_id, position, key, value)
				SELECT i.id, COALESCE((SELECT MAX(t.position) FROM certificate_tags t WHERE t.certificate_id = i.id), -1) + 1, $2, $3
				FROM unnest($1::text[]) AS i (id)
				ON CONFLICT (certificate_id, key) DO UPDATE SET value = EXCLUDED.value`,
				ids, t.Key, t.Value)
		}
		var (
			over    bool
			overID  string
			overTag int
		)
		b.Queue(`SELECT i.id, n.n FROM unnest($1::text[]) AS i (id)
			CROSS JOIN LATERAL (SELECT COUNT(*) AS n FROM certificate_tags t WHERE t.certificate_id = i.id) n
			WHERE n.n > $2 LIMIT 1`, ids, max).QueryRow(func(row pgx.Row) error {
			switch err := row.Scan(&overID, &overTag); {
			case err == nil:
				over = true
			case !errors.Is(err, pgx.ErrNoRows):
				return err
			}
			return nil
		})
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		if over {
			return fmt.Errorf("certificate %s would carry %d tags, at most %d: %w", overID, overTag, max, slbcert.ErrTagLimit)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: update tags: %w", err)
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
