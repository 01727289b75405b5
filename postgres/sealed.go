package postgres

import (
	"context"
	"fmt"
	"slbcert/slb"

	"slbcert"
)

var _ slb.KeyResealer = (*Store)(nil)

// SealedKeys returns up to limit sealed keys after afterID, in id order.
func (s *Store) SealedKeys(ctx context.Context, afterID string, limit int) ([]slbcert.SealedKey, error) {
	rows, err := s.pool.Query(ctx,
		`SELECT id, account_id, sealed_private_key FROM certificates
		 WHERE sealed_private_key IS NOT NULL AND id > $1 ORDER BY id LIMIT $2`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: sealed keys: %w", err)
	}
	defer rows.Close()
	var out []slbcert.SealedKey
	for rows.Next() {
		var k slbcert.SealedKey
		if err := rows.Scan(&k.ID, &k.AccountID, &k.Blob); err != nil {
			return nil, fmt.Errorf("postgres: sealed keys: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// ResealKey swaps the sealed key of id from old to new, if it is still old.
func (s *Store) ResealKey(ctx context.Context, id string, old, new []byte) error {
	return s.changeOne(ctx, "reseal key of "+id,
		"UPDATE certificates SET sealed_private_key = $1 WHERE id = $2 AND sealed_private_key = $3", new, id, old)
}
