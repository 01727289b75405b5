package sqlstore

import (
	"context"
	"fmt"
	"slbcert/slb"
	"time"

	"slbcert"
)

// SealedKeys implements slb.KeyResealer: up to limit sealed keys after
// afterID, in id order (byte-wise), of every account.
func (t *Tables) SealedKeys(ctx context.Context, afterID string, limit int) ([]slbcert.SealedKey, error) {
	rows, err := t.DB.Reader().Query(ctx,
		"SELECT id, account_id, sealed_private_key FROM certificates WHERE sealed_private_key IS NOT NULL AND id > ? ORDER BY id LIMIT ?",
		afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("sealed keys: %w", err)
	}
	defer rows.Close()
	var out []slbcert.SealedKey
	for rows.Next() {
		var k slbcert.SealedKey
		if err := rows.Scan(&k.ID, &k.AccountID, &k.Blob); err != nil {
			return nil, fmt.Errorf("sealed keys: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// ResealKey implements slb.KeyResealer: it swaps the sealed key of id
// from old to new, if it is still old.
func (t *Tables) ResealKey(ctx context.Context, id string, old, new []byte) error {
	return t.changeOne(ctx, "reseal key of "+id,
		"UPDATE certificates SET sealed_private_key = ? WHERE id = ? AND sealed_private_key = ?", new, id, old)
}

// CertificateStats implements slb.StatsReader: the certificates of every
// account, by kind.
func (t *Tables) CertificateStats(ctx context.Context, horizon time.Time) (slb.CertificateStats, error) {
	var st slb.CertificateStats
	rows, err := t.DB.Reader().Query(ctx,
		"SELECT kind, COUNT(*), COALESCE(SUM(CASE WHEN expire_time_ms < ? THEN 1 ELSE 0 END), 0) FROM certificates GROUP BY kind",
		millis(horizon))
	if err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var n, soon int
		if err := rows.Scan(&kind, &n, &soon); err != nil {
			return st, fmt.Errorf("stats: %w", err)
		}
		st.Add(slb.CertificateKind(kind), n, soon)
	}
	return st, rows.Err()
}
