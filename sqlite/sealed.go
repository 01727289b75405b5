package sqlite

import (
	"context"
	"fmt"
	"slbcert/slb"

	"slbcert"
)

var _ slb.KeyResealer = (*Store)(nil)

// SealedKeys returns up to limit sealed keys after afterID, in id order.
func (s *Store) SealedKeys(ctx context.Context, afterID string, limit int) ([]slbcert.SealedKey, error) {
	rows, err := s.r.QueryContext(ctx,
		"SELECT id, account_id, sealed_private_key FROM certificates WHERE sealed_private_key IS NOT NULL AND id > ? ORDER BY id LIMIT ?",
		afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: sealed keys: %w", err)
	}
	defer rows.Close()
	var out []slbcert.SealedKey
	for rows.Next() {
		var k slbcert.SealedKey
		if err := rows.Scan(&k.ID, &k.AccountID, &k.Blob); err != nil {
			return nil, fmt.Errorf("sqlite: sealed keys: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// ResealKey swaps the sealed key of id from old to new, if it is still old.
func (s *Store) ResealKey(ctx context.Context, id string, old, new []byte) error {
	return s.changeOne(ctx, "reseal key of "+id,
		"UPDATE certificates SET sealed_private_key = ? WHERE id = ? AND sealed_private_key = ?", new, id, old)
}

// Backup writes a consistent copy of the database to path (which must not
// exist) while the store stays in use: SQLite's VACUUM INTO, on the writer
// connection (reader connections are query_only), so it waits its turn
// behind writes rather than blocking reads. Sealed keys stay sealed in the copy.
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := s.w.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("sqlite: backup to %s: %w", path, err)
	}
	return nil
}
