package postgres

import (
	"context"
	"fmt"
	"slbcert/slb"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"slbcert"
)

// quotaLockClass is the first key of the advisory locks (two-int key space,
// apart from migrationLockKey's) that serialise creates per owner: "slbc".
// The second key is hashtext of the owner, computed by the server, so every
// replica derives the same lock whatever its build.
const quotaLockClass int32 = 0x736c6263

// certificateColumns are the columns of certificates in the order
// scanCertificate reads them and CreateCertificate writes them.
const certificateColumns = `id, kind, account_id, region_id, name, resource_group_id,
	fingerprint, common_name, sans, encryption_algorithm, encryption_key_length,
	create_time_ms, expire_time_ms,
	alicloud_certificate_id, alicloud_certificate_name, alicloud_certificate_region_id, is_alicloud,
	standard_type, certificate_pem, sealed_private_key`

// qualifiedCertificateColumns is certificateColumns of certificates c.
var qualifiedCertificateColumns = prefixed("c.", certificateColumns)

// CreateCertificate inserts c with its tags, unless c's account already holds
// limit certificates of c.Kind in c.RegionID: then it returns
// slbcert.ErrQuotaExceeded. Times are stored as Unix milliseconds, so
// sub-millisecond parts are lost.
//
// The count and the insert are serialised per (account, region, kind) by
// pg_advisory_xact_lock(quotaLockClass, hashtext(owner)), taken by a statement
// of its own before the count. This is correct under READ COMMITTED, where
// every statement reads a fresh snapshot: the count starts only once the lock
// is granted, so it sees every certificate of that owner committed by an
// earlier holder — and a holder releases the lock only when its transaction
// ends, after its insert has become visible. So no two creates of one owner
// can both count below the limit and both insert. Nothing else adds to an
// owner's count (Move and Rename leave account, region and kind alone);
// a delete committing concurrently can only make the count too high, which
// refuses a create that could as well have come first. Two owners whose
// hashes collide merely share a lock. Creates of different owners do not wait
// for each other.
func (s *Store) CreateCertificate(ctx context.Context, c *slb.Certificate, limit int) error {
	sans := c.SubjectAlternativeNames
	if sans == nil {
		sans = []string{}
	}
	var key []byte // NULL, not an empty bytea, when there is no key
	if len(c.SealedPrivateKey) > 0 {
		key = c.SealedPrivateKey
	}
	owner := strings.Join([]string{c.AccountID, c.RegionID, string(c.Kind)}, "/")
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// The server runs a batch's statements one after another, so the
		// count's snapshot is taken after the lock is held.
		var n int
		b := &pgx.Batch{}
		b.Queue("SELECT pg_advisory_xact_lock($1, hashtext($2))", quotaLockClass, owner)
		b.Queue("SELECT COALESCE((SELECT n FROM certificate_counts WHERE account_id = $1 AND region_id = $2 AND kind = $3), 0)",
			c.AccountID, c.RegionID, string(c.Kind)).QueryRow(func(row pgx.Row) error { return row.Scan(&n) })
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		if n >= limit {
			return slbcert.ErrQuotaExceeded
		}

		b = &pgx.Batch{}
		b.Queue("INSERT INTO certificates ("+certificateColumns+") VALUES ("+placeholders(1, 20)+")",
			c.ID, string(c.Kind), c.AccountID, c.RegionID, c.Name, c.ResourceGroupID,
			c.Fingerprint, c.CommonName, sans, c.EncryptionAlgorithm, c.EncryptionKeyLength,
			c.CreateTime.UnixMilli(), c.ExpireTime.UnixMilli(),
			c.AliCloudCertificateID, c.AliCloudCertificateName, c.AliCloudCertificateRegionID, c.IsAliCloudCertificate,
			c.StandardType, c.CertificatePEM, key)
		if len(c.Tags) > 0 {
			keys, values := make([]string, len(c.Tags)), make([]string, len(c.Tags))
			for i, t := range c.Tags {
				keys[i], values[i] = t.Key, t.Value
			}
			// A repeated key violates the primary key and fails the create.
			b.Queue(`INSERT INTO certificate_tags (certificate_id, position, key, value)
				SELECT $1, t.n - 1, t.key, t.value
				FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t (key, value, n)`,
				c.ID, keys, values)
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("postgres: create certificate %s: %w", c.ID, err)
	}
	return nil
}

// FindCertificates returns the certificates matching f with their tags,
// oldest first (by CreateTime, then ID byte-wise). It is one statement — the
// tags are aggregated per certificate in a lateral subquery — so it reads one
// snapshot, and tags belong to the certificates they come with. A zero field
// of f, and an empty f.IDs, do not filter.
func (s *Store) FindCertificates(ctx context.Context, f slb.CertificateFilter) ([]*slb.Certificate, error) {
	certs, err := s.find(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("postgres: find certificates: %w", err)
	}
	return certs, nil
}

func (s *Store) find(ctx context.Context, f slb.CertificateFilter) ([]*slb.Certificate, error) {
	where, args := filterSQL(f)
	rows, err := s.pool.Query(ctx, `SELECT `+qualifiedCertificateColumns+`, tg.keys, tg.vals
		FROM certificates c
		CROSS JOIN LATERAL (
			SELECT array_agg(t.key ORDER BY t.position) AS keys, array_agg(t.value ORDER BY t.position) AS vals
			FROM certificate_tags t WHERE t.certificate_id = c.id
		) tg
		WHERE `+where+`
		ORDER BY c.create_time_ms, c.id COLLATE "C"`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	certs := []*slb.Certificate{}
	for rows.Next() {
		c, err := scanCertificate(rows)
		if err != nil {
			return nil, err
		}
		certs = append(certs, c)
	}
	return certs, rows.Err()
}

// filterSQL returns the WHERE condition on certificates c that f selects,
// and its parameters. Values only ever travel as parameters; the text varies
// only with which filters are set and how many tag filters there are, so few
// distinct statements land in each connection's statement cache.
func filterSQL(f slb.CertificateFilter) (string, []any) {
	var b strings.Builder
	args := []any{f.AccountID, f.RegionID}
	b.WriteString("c.account_id = $1 AND c.region_id = $2")
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.Kind != "" {
		b.WriteString(" AND c.kind = " + arg(string(f.Kind)))
	}
	if len(f.IDs) > 0 {
		b.WriteString(" AND c.id = ANY(" + arg(f.IDs) + "::text[])")
	}
	if f.ResourceGroupID != "" {
		b.WriteString(" AND c.resource_group_id = " + arg(f.ResourceGroupID))
	}
	for _, t := range f.Tags {
		if t.MatchAnyValue && t.Value == "" {
			b.WriteString(" AND EXISTS (SELECT 1 FROM certificate_tags t WHERE t.certificate_id = c.id AND t.key = " + arg(t.Key) + ")")
		} else {
			b.WriteString(" AND EXISTS (SELECT 1 FROM certificate_tags t WHERE t.certificate_id = c.id AND t.key = " +
				arg(t.Key) + " AND t.value = " + arg(t.Value) + ")")
		}
	}
	return b.String(), args
}

// scanCertificate reads a row of certificateColumns followed by the tag keys
// and values in order (NULL when there are none).
func scanCertificate(rows pgx.Rows) (*slb.Certificate, error) {
	var (
		c                slb.Certificate
		kind             string
		created, expires int64
		keys, values     []string
	)
	if err := rows.Scan(&c.ID, &kind, &c.AccountID, &c.RegionID, &c.Name, &c.ResourceGroupID,
		&c.Fingerprint, &c.CommonName, &c.SubjectAlternativeNames, &c.EncryptionAlgorithm, &c.EncryptionKeyLength,
		&created, &expires,
		&c.AliCloudCertificateID, &c.AliCloudCertificateName, &c.AliCloudCertificateRegionID, &c.IsAliCloudCertificate,
		&c.StandardType, &c.CertificatePEM, &c.SealedPrivateKey, &keys, &values); err != nil {
		return nil, err
	}
	if len(keys) != len(values) {
		return nil, fmt.Errorf("certificate %s: %d tag keys, %d values", c.ID, len(keys), len(values))
	}
	c.Kind = slb.CertificateKind(kind)
	c.CreateTime = time.UnixMilli(created).UTC()
	c.ExpireTime = time.UnixMilli(expires).UTC()
	if c.SubjectAlternativeNames == nil {
		c.SubjectAlternativeNames = []string{}
	}
	c.Tags = make([]slbcert.Tag, len(keys))
	for i := range keys {
		c.Tags[i] = slbcert.Tag{Key: keys[i], Value: values[i]}
	}
	return &c, nil
}

// RenameCertificate sets the name of one certificate of the given kind.
// slbcert.ErrNotFound when there is no such certificate for that account and
// region.
func (s *Store) RenameCertificate(ctx context.Context, accountID, regionID string, kind slb.CertificateKind, id, name string) error {
	return s.changeOne(ctx, "rename certificate "+id,
		"UPDATE certificates SET name = $1 WHERE id = $2 AND account_id = $3 AND region_id = $4 AND kind = $5",
		name, id, accountID, regionID, string(kind))
}

// DeleteCertificate removes one certificate of the given kind; its tags go
// with it (ON DELETE CASCADE). slbcert.ErrNotFound as for RenameCertificate;
// slbcert.ErrInUse while a listener or domain extension references it
// (their foreign keys RESTRICT the delete, also against a bind committing
// concurrently).
func (s *Store) DeleteCertificate(ctx context.Context, accountID, regionID string, kind slb.CertificateKind, id string) error {
	err := s.changeOne(ctx, "delete certificate "+id,
		"DELETE FROM certificates WHERE id = $1 AND account_id = $2 AND region_id = $3 AND kind = $4",
		id, accountID, regionID, string(kind))
	if dialect.ForeignKeyViolation(err) {
		return fmt.Errorf("postgres: delete certificate %s: %w", id, slbcert.ErrInUse)
	}
	return err
}

// MoveCertificate sets the resource group of one certificate of any kind.
// slbcert.ErrNotFound as for RenameCertificate.
func (s *Store) MoveCertificate(ctx context.Context, accountID, regionID, id, resourceGroupID string) error {
	return s.changeOne(ctx, "move certificate "+id,
		"UPDATE certificates SET resource_group_id = $1 WHERE id = $2 AND account_id = $3 AND region_id = $4",
		resourceGroupID, id, accountID, regionID)
}

// changeOne runs a single-row UPDATE or DELETE as its own (atomic, durable)
// transaction, and answers slbcert.ErrNotFound if it matched no row.
// PostgreSQL counts every row an UPDATE matched, so setting the current value
// counts.
func (s *Store) changeOne(ctx context.Context, what, query string, args ...any) error {
	tag, err := s.pool.Exec(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("postgres: %s: %w", what, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: %s: %w", what, slbcert.ErrNotFound)
	}
	return nil
}

// placeholders returns "$first, $first+1, …" for n parameters.
func placeholders(first, n int) string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = "$" + strconv.Itoa(first+i)
	}
	return strings.Join(ps, ", ")
}

// prefixed qualifies each column of a comma-separated list with p.
func prefixed(p, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}
