package postgres

import (
	"context"
	"fmt"
	"slbcert/slb"
	"time"
)

var _ slb.StatsReader = (*Store)(nil)

// CertificateStats counts the certificates of every account.
func (s *Store) CertificateStats(ctx context.Context, horizon time.Time) (slb.CertificateStats, error) {
	var st slb.CertificateStats
	rows, err := s.pool.Query(ctx,
		"SELECT kind, COUNT(*), COUNT(*) FILTER (WHERE expire_time_ms < $1) FROM certificates GROUP BY kind",
		horizon.UnixMilli())
	if err != nil {
		return st, fmt.Errorf("postgres: stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var n, soon int
		if err := rows.Scan(&kind, &n, &soon); err != nil {
			return st, fmt.Errorf("postgres: stats: %w", err)
		}
		st.Add(slb.CertificateKind(kind), n, soon)
	}
	return st, rows.Err()
}
