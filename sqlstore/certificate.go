package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slbcert/slb"
	"slices"
	"strings"

	"slbcert"
)

// SLB's certificates: slb.CertificateStore, slb.KeyResealer and
// slb.StatsReader over the certificates and certificate_tags tables (each
// store's migration "init"), whose per-owner count certificate_counts is
// kept by a trigger (migration "certificate_counts").

var (
	_ slb.CertificateStore = (*Tables)(nil)
	_ slb.KeyResealer      = (*Tables)(nil)
	_ slb.StatsReader      = (*Tables)(nil)
)

// certificateColumns are the columns of certificates in the order
// CreateCertificate writes them (and scanCertificate reads them, with the
// SANs read through Dialect.ListJSON).
var certificateColumns = []string{"id", "kind", "account_id", "region_id", "name", "resource_group_id",
	"fingerprint", "common_name", "sans", "encryption_algorithm", "encryption_key_length",
	"create_time_ms", "expire_time_ms",
	"alicloud_certificate_id", "alicloud_certificate_name", "alicloud_certificate_region_id", "is_alicloud",
	"standard_type", "certificate_pem", "sealed_private_key"}

// certificateQueries are the statements of the certificate hot paths,
// written once per DB with its dialect's fragments.
type certificateQueries struct {
	// count reads an owner's count, and insert inserts a certificate;
	// insertUnder inserts it unless its owner already holds the limit,
	// reading the count in the same statement (Dialect.CountInInsert).
	count, insert, insertUnder string
	// selectFrom reads certificateColumns of certificates c, and then the
	// certificate's tags as a JSON array of [key, value] in position
	// order, in the one statement.
	selectFrom string
}

func newCertificateQueries(d Dialect) certificateQueries {
	read := make([]string, len(certificateColumns))
	for i, c := range certificateColumns {
		read[i] = "c." + c
		if c == "sans" {
			read[i] = d.ListJSON("c.sans")
		}
	}
	count := "COALESCE((SELECT n FROM certificate_counts WHERE account_id = ? AND region_id = ? AND kind = ?), 0)"
	insert := "INSERT INTO certificates (" + strings.Join(certificateColumns, ", ") + ")"
	return certificateQueries{
		count:       "SELECT " + count,
		insert:      insert + " VALUES (" + Placeholders(len(certificateColumns)) + ")",
		insertUnder: insert + " SELECT " + Placeholders(len(certificateColumns)) + " WHERE " + count + " < ?",
		selectFrom: "SELECT " + strings.Join(read, ", ") + ", COALESCE((SELECT " + d.JSONGroupArray + "(" + d.JSONArray + "(t.key, t.value) ORDER BY t.position)" +
			" FROM certificate_tags t WHERE t.certificate_id = c.id), '[]') FROM certificates c",
	}
}

// quotaOwner is the key of the lock that orders one owner's creates.
func quotaOwner(c *slb.Certificate) string {
	return c.AccountID + "/" + c.RegionID + "/" + string(c.Kind)
}

// CreateCertificate implements slb.CertificateStore. The owner's quota
// lock (QuotaLocks; nothing on SQLite, whose write transactions exclude
// each other) is taken by a statement of its own before the count, which
// the insert itself reads where the dialect says so (CountInInsert). Under
// PostgreSQL's READ COMMITTED the count's snapshot is taken once the lock
// is granted, so it sees every certificate of the owner an earlier holder
// committed — a holder releases the lock only when its transaction ends —
// and no two creates can both count below the limit. Nothing else adds to
// an owner's count (Move and Rename leave account, region and kind alone);
// a delete committing concurrently can only make the count too high, which
// refuses a create that could as well have come first. Creates of
// different owners do not wait for each other (two owners whose keys hash
// alike merely share a lock). Where the dialect commits in groups
// (SQLite), concurrent creates share one commit, and none is answered
// before it is durable. Times are stored as Unix milliseconds, so
// sub-millisecond parts are lost.
func (t *Tables) CreateCertificate(ctx context.Context, c *slb.Certificate, limit int) error {
	args, err := t.certificateArgs(c)
	if err != nil {
		return fmt.Errorf("create certificate %s: %w", c.ID, err)
	}
	owner := []any{c.AccountID, c.RegionID, string(c.Kind)}
	tags := tagRows(c)
	err = t.DB.WriteGrouped(ctx, func(ctx context.Context, tx *Tx) error {
		if err := tx.LockIn(ctx, QuotaLocks, quotaOwner(c)); err != nil {
			return err
		}
		if err := t.insertUnder(ctx, tx, args, owner, limit); err != nil {
			return err
		}
		if len(tags) == 0 {
			return nil
		}
		// A repeated key violates the primary key and fails the create.
		_, err := tx.Exec(ctx, "INSERT INTO certificate_tags (certificate_id, position, key, value) VALUES "+
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", len(c.Tags)), ", "), tags...)
		return err
	})
	if err != nil {
		return fmt.Errorf("create certificate %s: %w", c.ID, err)
	}
	return nil
}

// insertUnder inserts a certificate of args unless owner already holds
// limit certificates (ErrQuotaExceeded).
func (t *Tables) insertUnder(ctx context.Context, tx *Tx, args, owner []any, limit int) error {
	if !t.DB.d.CountInInsert {
		var n int
		if err := tx.QueryRow(ctx, t.certs.count, owner...).Scan(&n); err != nil {
			return err
		}
		if n >= limit {
			return slbcert.ErrQuotaExceeded
		}
		_, err := tx.Exec(ctx, t.certs.insert, args...)
		return err
	}
	res, err := tx.Exec(ctx, t.certs.insertUnder, slices.Concat(args, owner, []any{limit})...)
	if err != nil {
		return err
	}
	switch n, err := res.RowsAffected(); {
	case err != nil:
		return err
	case n == 0: // the count was at the limit
		return slbcert.ErrQuotaExceeded
	}
	return nil
}

// certificateArgs are c's values in certificateColumns order.
func (t *Tables) certificateArgs(c *slb.Certificate) ([]any, error) {
	sans, err := t.DB.d.ListArg(orEmpty(c.SubjectAlternativeNames))
	if err != nil {
		return nil, err
	}
	var key any // NULL, not an empty blob, when there is no key
	if len(c.SealedPrivateKey) > 0 {
		key = c.SealedPrivateKey
	}
	args := make([]any, 0, len(certificateColumns))
	return append(args, c.ID, string(c.Kind), c.AccountID, c.RegionID, c.Name, c.ResourceGroupID,
		c.Fingerprint, c.CommonName, sans, c.EncryptionAlgorithm, c.EncryptionKeyLength,
		millis(c.CreateTime), millis(c.ExpireTime),
		c.AliCloudCertificateID, c.AliCloudCertificateName, c.AliCloudCertificateRegionID, c.IsAliCloudCertificate,
		c.StandardType, c.CertificatePEM, key), nil
}

// tagRows are the certificate_tags values of c's tags, positions in order.
func tagRows(c *slb.Certificate) []any {
	rows := make([]any, 0, 4*len(c.Tags))
	for i, tag := range c.Tags {
		rows = append(rows, c.ID, i, tag.Key, tag.Value)
	}
	return rows
}

// FindCertificates implements slb.CertificateStore: one statement, so one
// snapshot on both databases (the tags are aggregated per certificate in
// it), on the reader pool outside any transaction. Ties on CreateTime are
// broken by ID byte-wise (PostgreSQL's ids are COLLATE "C").
func (t *Tables) FindCertificates(ctx context.Context, f slb.CertificateFilter) ([]*slb.Certificate, error) {
	where, args := certificateWhere(f)
	rows, err := t.DB.Reader().Query(ctx, t.certs.selectFrom+" WHERE "+where+" ORDER BY c.create_time_ms, c.id", args...)
	if err != nil {
		return nil, fmt.Errorf("find certificates: %w", err)
	}
	defer rows.Close()
	certs := []*slb.Certificate{}
	for rows.Next() {
		c, err := scanCertificate(rows)
		if err != nil {
			return nil, fmt.Errorf("find certificates: %w", err)
		}
		certs = append(certs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find certificates: %w", err)
	}
	return certs, nil
}

// certificateWhere returns the condition on certificates c that f
// selects, and its parameters. Values only ever travel as parameters; the
// text varies only with which filters are set and how many, so few
// distinct statements are prepared.
func certificateWhere(f slb.CertificateFilter) (string, []any) {
	var b strings.Builder
	b.WriteString("c.account_id = ? AND c.region_id = ?")
	args := []any{f.AccountID, f.RegionID}
	if f.Kind != "" {
		b.WriteString(" AND c.kind = ?")
		args = append(args, string(f.Kind))
	}
	if len(f.IDs) > 0 {
		in, ids := inList(f.IDs)
		b.WriteString(" AND c.id IN " + in)
		args = append(args, ids...)
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

// scanCertificate reads a row of certificateQueries.selectFrom.
func scanCertificate(rows *sql.Rows) (*slb.Certificate, error) {
	var (
		c                slb.Certificate
		kind             string
		sans, tags       []byte
		created, expires int64
	)
	if err := rows.Scan(&c.ID, &kind, &c.AccountID, &c.RegionID, &c.Name, &c.ResourceGroupID,
		&c.Fingerprint, &c.CommonName, &sans, &c.EncryptionAlgorithm, &c.EncryptionKeyLength,
		&created, &expires,
		&c.AliCloudCertificateID, &c.AliCloudCertificateName, &c.AliCloudCertificateRegionID, &c.IsAliCloudCertificate,
		&c.StandardType, &c.CertificatePEM, &c.SealedPrivateKey, &tags); err != nil {
		return nil, err
	}
	c.Kind = slb.CertificateKind(kind)
	c.CreateTime, c.ExpireTime = fromMillis(created), fromMillis(expires)
	if err := json.Unmarshal(sans, &c.SubjectAlternativeNames); err != nil {
		return nil, fmt.Errorf("certificate %s: sans: %w", c.ID, err)
	}
	c.SubjectAlternativeNames = orEmpty(c.SubjectAlternativeNames)
	var pairs [][2]string
	if err := json.Unmarshal(tags, &pairs); err != nil {
		return nil, fmt.Errorf("certificate %s: tags: %w", c.ID, err)
	}
	c.Tags = make([]slbcert.Tag, len(pairs))
	for i, p := range pairs {
		c.Tags[i] = slbcert.Tag{Key: p[0], Value: p[1]}
	}
	return &c, nil
}

// RenameCertificate implements slb.CertificateStore.
func (t *Tables) RenameCertificate(ctx context.Context, accountID, regionID string, kind slb.CertificateKind, id, name string) error {
	return t.changeOne(ctx, "rename certificate "+id,
		"UPDATE certificates SET name = ? WHERE id = ? AND account_id = ? AND region_id = ? AND kind = ?",
		name, id, accountID, regionID, string(kind))
}

// DeleteCertificate implements slb.CertificateStore: its tags go with it
// (ON DELETE CASCADE); listeners' and domain extensions' foreign keys
// RESTRICT the delete of one they reference, also against a bind
// committing concurrently (ErrInUse).
func (t *Tables) DeleteCertificate(ctx context.Context, accountID, regionID string, kind slb.CertificateKind, id string) error {
	err := t.changeOne(ctx, "delete certificate "+id,
		"DELETE FROM certificates WHERE id = ? AND account_id = ? AND region_id = ? AND kind = ?",
		id, accountID, regionID, string(kind))
	if t.DB.IsForeignKeyViolation(err) {
		return fmt.Errorf("delete certificate %s: %w", id, slbcert.ErrInUse)
	}
	return err
}

// MoveCertificate implements slb.CertificateStore.
func (t *Tables) MoveCertificate(ctx context.Context, accountID, regionID, id, resourceGroupID string) error {
	return t.changeOne(ctx, "move certificate "+id,
		"UPDATE certificates SET resource_group_id = ? WHERE id = ? AND account_id = ? AND region_id = ?",
		resourceGroupID, id, accountID, regionID)
}

// changeOne runs a single-row UPDATE or DELETE as a transaction of its own
// (atomic, durable), and answers ErrNotFound if it matched no row. Both
// databases count the rows matched, so setting the current value counts.
func (t *Tables) changeOne(ctx context.Context, what, query string, args ...any) error {
	res, err := t.DB.Exec(ctx, query, args...)
	if err == nil {
		err = oneRow(res)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
