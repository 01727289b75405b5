package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"slbcert"
	"slbcert/slb"
	"slbcert/sqlstore"
)

// certificateColumns are the columns of certificates in the order
// scanCertificate reads them and CreateCertificate writes them.
const certificateColumns = `id, kind, account_id, region_id, name, resource_group_id,
	fingerprint, common_name, sans, encryption_algorithm, encryption_key_length,
	create_time_ms, expire_time_ms,
	alicloud_certificate_id, alicloud_certificate_name, alicloud_certificate_region_id, is_alicloud,
	standard_type, certificate_pem, sealed_private_key`

// CreateCertificate inserts c with its tags, unless c's account already holds
// limit certificates of c.Kind in c.RegionID: then it returns
// slbcert.ErrQuotaExceeded. Creates are committed in groups (groupcommit.go):
// each is counted and inserted in turn inside one BEGIN IMMEDIATE
// transaction, which excludes every other writer of the file, and none is
// answered before that transaction is durable. Times are stored as Unix
// milliseconds, so sub-millisecond parts are lost.
func (s *Store) CreateCertificate(ctx context.Context, c *slb.Certificate, limit int) error {
	sans := c.SubjectAlternativeNames
	if sans == nil {
		sans = []string{}
	}
	sansJSON, err := json.Marshal(sans)
	if err != nil {
		return fmt.Errorf("sqlite: create certificate %s: %w", c.ID, err)
	}
	if err := s.group.do(ctx, &create{c: c, limit: limit, sans: string(sansJSON)}); err != nil {
		return fmt.Errorf("sqlite: create certificate %s: %w", c.ID, err)
	}
	return nil
}

// insert counts and inserts one create within tx.
func (s *Store) insert(ctx context.Context, tx *sql.Tx, r *create) error {
	c := r.c
	var n int
	if err := tx.StmtContext(ctx, s.stmts.count).QueryRowContext(ctx,
		c.AccountID, c.RegionID, string(c.Kind)).Scan(&n); err != nil {
		return err
	}
	if n >= r.limit {
		return slbcert.ErrQuotaExceeded
	}
	var key any // NULL, not an empty blob, when there is no key
	if len(c.SealedPrivateKey) > 0 {
		key = c.SealedPrivateKey
	}
	if _, err := tx.StmtContext(ctx, s.stmts.insertCertificate).ExecContext(ctx,
		c.ID, string(c.Kind), c.AccountID, c.RegionID, c.Name, c.ResourceGroupID,
		c.Fingerprint, c.CommonName, r.sans, c.EncryptionAlgorithm, c.EncryptionKeyLength,
		c.CreateTime.UnixMilli(), c.ExpireTime.UnixMilli(),
		c.AliCloudCertificateID, c.AliCloudCertificateName, c.AliCloudCertificateRegionID, c.IsAliCloudCertificate,
		c.StandardType, c.CertificatePEM, key); err != nil {
		return err
	}
	insertTag := tx.StmtContext(ctx, s.stmts.insertTag)
	for i, t := range c.Tags {
		if _, err := insertTag.ExecContext(ctx, c.ID, i, t.Key, t.Value); err != nil {
			return err
		}
	}
	return nil
}

// FindCertificates returns the certificates matching f with their tags,
// oldest first (by CreateTime, then ID byte-wise). It reads the certificates
// and then all their tags with a second query, both in one read transaction,
// so the tags belong to the same snapshot as the certificates. A zero field
// of f, and an empty f.IDs, do not filter.
func (s *Store) FindCertificates(ctx context.Context, f slb.CertificateFilter) ([]*slb.Certificate, error) {
	certs, err := s.find(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("sqlite: find certificates: %w", err)
	}
	return certs, nil
}

func (s *Store) find(ctx context.Context, f slb.CertificateFilter) ([]*slb.Certificate, error) {
	where, args := filterSQL(f)
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	rows, err := s.query(ctx, tx,
		"SELECT "+certificateColumns+" FROM certificates c WHERE "+where+" ORDER BY c.create_time_ms, c.id", args...)
	if err != nil {
		return nil, err
	}
	certs := []*slb.Certificate{}
	byID := map[string]*slb.Certificate{}
	for rows.Next() {
		c, err := scanCertificate(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		certs = append(certs, c)
		byID[c.ID] = c
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(certs) == 0 {
		return certs, nil
	}

	rows, err = s.query(ctx, tx,
		"SELECT t.certificate_id, t.key, t.value FROM certificate_tags t"+
			" WHERE t.certificate_id IN (SELECT c.id FROM certificates c WHERE "+where+")"+
			" ORDER BY t.certificate_id, t.position", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var t slbcert.Tag
		if err := rows.Scan(&id, &t.Key, &t.Value); err != nil {
			return nil, err
		}
		if c := byID[id]; c != nil {
			c.Tags = append(c.Tags, t)
		}
	}
	return certs, rows.Err()
}

// query runs a read query in tx through the statement cache.
func (s *Store) query(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	st, err := s.readers.stmt(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// filterSQL returns the WHERE condition on certificates c that f selects,
// and its parameters. Values only ever travel as parameters; the text varies
// only with which filters are set and how many.
func filterSQL(f slb.CertificateFilter) (string, []any) {
	var b strings.Builder
	b.WriteString("c.account_id = ? AND c.region_id = ?")
	args := []any{f.AccountID, f.RegionID}
	if f.Kind != "" {
		b.WriteString(" AND c.kind = ?")
		args = append(args, string(f.Kind))
	}
	if len(f.IDs) > 0 {
		b.WriteString(" AND c.id IN (" + sqlstore.Placeholders(len(f.IDs)) + ")")
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	if f.ResourceGroupID != "" {
		b.WriteString(" AND c.resource_group_id = ?")
		args = append(args, f.ResourceGroupID)
	}
	for _, t := range f.Tags {
		if t.MatchAnyValue && t.Value == "" {
			b.WriteString(" AND EXISTS (SELECT 1 FROM certificate_tags t WHERE t.certificate_id = c.id AND t.key = ?)")
			args = append(args, t.Key)
		} else {
			b.WriteString(" AND EXISTS (SELECT 1 FROM certificate_tags t WHERE t.certificate_id = c.id AND t.key = ? AND t.value = ?)")
			args = append(args, t.Key, t.Value)
		}
	}
	return b.String(), args
}

// scanCertificate reads a row of certificateColumns. Tags start empty.
func scanCertificate(rows *sql.Rows) (*slb.Certificate, error) {
	var (
		c                slb.Certificate
		kind, sans       string
		created, expires int64
	)
	if err := rows.Scan(&c.ID, &kind, &c.AccountID, &c.RegionID, &c.Name, &c.ResourceGroupID,
		&c.Fingerprint, &c.CommonName, &sans, &c.EncryptionAlgorithm, &c.EncryptionKeyLength,
		&created, &expires,
		&c.AliCloudCertificateID, &c.AliCloudCertificateName, &c.AliCloudCertificateRegionID, &c.IsAliCloudCertificate,
		&c.StandardType, &c.CertificatePEM, &c.SealedPrivateKey); err != nil {
		return nil, err
	}
	c.Kind = slb.CertificateKind(kind)
	c.CreateTime = time.UnixMilli(created).UTC()
	c.ExpireTime = time.UnixMilli(expires).UTC()
	if err := json.Unmarshal([]byte(sans), &c.SubjectAlternativeNames); err != nil {
		return nil, fmt.Errorf("certificate %s: sans: %w", c.ID, err)
	}
	if c.SubjectAlternativeNames == nil {
		c.SubjectAlternativeNames = []string{}
	}
	c.Tags = []slbcert.Tag{}
	return &c, nil
}

// RenameCertificate sets the name of one certificate of the given kind.
// slbcert.ErrNotFound when there is no such certificate for that account and
// region.
func (s *Store) RenameCertificate(ctx context.Context, accountID, regionID string, kind slb.CertificateKind, id, name string) error {
	return s.changeOne(ctx, "rename certificate "+id,
		"UPDATE certificates SET name = ? WHERE id = ? AND account_id = ? AND region_id = ? AND kind = ?",
		name, id, accountID, regionID, string(kind))
}

// DeleteCertificate removes one certificate of the given kind; its tags go
// with it (ON DELETE CASCADE). slbcert.ErrNotFound as for RenameCertificate;
// slbcert.ErrInUse while a listener or domain extension references it
// (their foreign keys RESTRICT the delete).
func (s *Store) DeleteCertificate(ctx context.Context, accountID, regionID string, kind slb.CertificateKind, id string) error {
	err := s.changeOne(ctx, "delete certificate "+id,
		"DELETE FROM certificates WHERE id = ? AND account_id = ? AND region_id = ? AND kind = ?",
		id, accountID, regionID, string(kind))
	if dialect.ForeignKeyViolation(err) {
		return fmt.Errorf("sqlite: delete certificate %s: %w", id, slbcert.ErrInUse)
	}
	return err
}

// MoveCertificate sets the resource group of one certificate of any kind.
// slbcert.ErrNotFound as for RenameCertificate.
func (s *Store) MoveCertificate(ctx context.Context, accountID, regionID, id, resourceGroupID string) error {
	return s.changeOne(ctx, "move certificate "+id,
		"UPDATE certificates SET resource_group_id = ? WHERE id = ? AND account_id = ? AND region_id = ?",
		resourceGroupID, id, accountID, regionID)
}

// changeOne runs a single-row UPDATE or DELETE on the writer, as its own
// (atomic, durable) transaction, and answers slbcert.ErrNotFound if it matched
// no row. SQLite counts matched rows, so setting the current value counts.
func (s *Store) changeOne(ctx context.Context, what, query string, args ...any) error {
	res, err := s.w.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlite: %s: %w", what, slbcert.ErrNotFound)
	}
	return nil
}
