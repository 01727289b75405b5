package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slbcert/cas"
	"strings"

	"slbcert"
)

// The certificate catalog (CAS): cas.Store and
// cas.KeyResealer over the user_certificates table (each store's
// migration "catalog").

var (
	_ cas.Store       = (*Tables)(nil)
	_ cas.KeyResealer = (*Tables)(nil)
)

const userCertificateColumns = `id, account_id, instance_id, name, resource_group_id,
	cert, encrypt_cert, sign_cert, sealed_keys,
	common_name, sans, search_text, fingerprint, sha2, serial_no, issuer,
	org_name, province, city, country, algorithm,
	not_before_ms, not_after_ms, cert_chain, tags, create_time_ms`

// NextUserCertificateID implements cas.Store.
func (t *Tables) NextUserCertificateID(ctx context.Context) (int64, error) {
	var id int64
	err := t.DB.Write(ctx, func(tx *Tx) error {
		return tx.QueryRow(ctx, "UPDATE user_certificate_ids SET last_id = last_id + 1 WHERE one = 1 RETURNING last_id").Scan(&id)
	})
	return id, err
}

// catalogLock is the lock key that orders the creates of one account's
// catalog across PostgreSQL replicas, so the quota count cannot race.
func catalogLock(accountID string) string { return "catalog/" + accountID }

// CreateUserCertificate implements cas.Store.
func (t *Tables) CreateUserCertificate(ctx context.Context, c *cas.UserCertificate, limit int) error {
	args, err := userCertificateArgs(c)
	if err != nil {
		return err
	}
	return t.DB.Write(ctx, func(tx *Tx) error {
		if err := tx.Lock(ctx, catalogLock(c.AccountID)); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM user_certificates WHERE account_id = ?", c.AccountID).Scan(&n); err != nil {
			return err
		}
		if n >= limit {
			return slbcert.ErrQuotaExceeded
		}
		// The id is checked before the insert: after a failed statement
		// PostgreSQL runs nothing more in the transaction, so the insert's
		// unique violation is left to mean the name (the caller's mistake).
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM user_certificates WHERE id = ?", c.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("catalog: CertId %d is taken: reserve ids with NextUserCertificateID", c.ID)
		}
		_, err := tx.Exec(ctx, "INSERT INTO user_certificates ("+userCertificateColumns+") VALUES ("+Placeholders(len(args))+")", args...)
		if t.DB.IsUniqueViolation(err) {
			return cas.ErrNameTaken
		}
		return err
	})
}

// GetUserCertificate implements cas.Store.
func (t *Tables) GetUserCertificate(ctx context.Context, accountID string, id int64) (*cas.UserCertificate, error) {
	rows, err := t.DB.Reader().Query(ctx, "SELECT "+userCertificateColumns+" FROM user_certificates WHERE account_id = ? AND id = ?", accountID, id)
	if err != nil {
		return nil, err
	}
	list, err := scanUserCertificates(rows)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, slbcert.ErrNotFound
	}
	return list[0], nil
}

// FindUserCertificates implements cas.Store.
func (t *Tables) FindUserCertificates(ctx context.Context, f cas.UserCertificateFilter) ([]*cas.UserCertificate, int, error) {
	where := []string{"account_id = ?"}
	args := []any{f.AccountID}
	if f.Name != "" {
		where = append(where, "name = ?")
		args = append(args, f.Name)
	}
	switch {
	case strings.Contains(f.Keyword, "\n"), len(f.Keyword) > maxKeywordBytes:
		// No name holds a line break (search_text separates names with
		// one) or comes near maxKeywordBytes.
		where = append(where, "1 = 0")
	case f.Keyword != "":
		where = append(where, `search_text LIKE ? ESCAPE '\'`)
		args = append(args, "%"+escapeLike(strings.ToLower(f.Keyword))+"%")
	}
	if f.ResourceGroupID != "" {
		where = append(where, "resource_group_id = ?")
		args = append(args, f.ResourceGroupID)
	}
	if !f.NotAfterFrom.IsZero() {
		where = append(where, "not_after_ms >= ?")
		args = append(args, millis(f.NotAfterFrom))
	}
	if !f.NotAfterBefore.IsZero() {
		where = append(where, "not_after_ms < ?")
		args = append(args, millis(f.NotAfterBefore))
	}
	cond := strings.Join(where, " AND ")
	page := " ORDER BY id DESC"
	if f.Limit > 0 || f.Offset > 0 {
		limit := int64(f.Limit)
		if limit <= 0 {
			limit = math.MaxInt64 // SQLite takes an OFFSET only after a LIMIT
		}
		page += fmt.Sprintf(" LIMIT %d OFFSET %d", limit, max(f.Offset, 0))
	}
	var (
		list  []*cas.UserCertificate
		total int
	)
	err := t.DB.Read(ctx, func(tx *Tx) error {
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM user_certificates WHERE "+cond, args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, "SELECT "+userCertificateColumns+" FROM user_certificates WHERE "+cond+page, args...)
		if err != nil {
			return err
		}
		list, err = scanUserCertificates(rows)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return orEmpty(list), total, nil
}

// escapeLike makes s match itself literally in a LIKE pattern with ESCAPE '\'.
// maxKeywordBytes bounds the Keyword searched with LIKE: SQLite refuses
// patterns over 50 000 bytes ("LIKE or GLOB pattern too complex"), and
// escaping may double a keyword. No name a certificate is for comes near it
// (a DNS name is at most 253 bytes), so a longer keyword matches nothing.
const maxKeywordBytes = 4096

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// UpdateUserCertificate implements cas.Store.
func (t *Tables) UpdateUserCertificate(ctx context.Context, accountID string, id int64, u cas.UserCertificateUpdate) error {
	var sets []string
	var args []any
	if u.Name != nil {
		sets = append(sets, "name = ?")
		args = append(args, *u.Name)
	}
	if u.ResourceGroupID != nil {
		sets = append(sets, "resource_group_id = ?")
		args = append(args, *u.ResourceGroupID)
	}
	if u.Tags != nil {
		tags, err := jsonText(orEmpty(*u.Tags))
		if err != nil {
			return err
		}
		sets = append(sets, "tags = ?")
		args = append(args, tags)
	}
	if len(sets) == 0 {
		// Nothing to change, but the entry must exist.
		_, err := t.GetUserCertificate(ctx, accountID, id)
		return err
	}
	args = append(args, accountID, id)
	return t.DB.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, "UPDATE user_certificates SET "+strings.Join(sets, ", ")+" WHERE account_id = ? AND id = ?", args...)
		if t.DB.IsUniqueViolation(err) {
			return cas.ErrNameTaken
		}
		if err != nil {
			return err
		}
		return oneRow(res)
	})
}

// DeleteUserCertificate implements cas.Store.
func (t *Tables) DeleteUserCertificate(ctx context.Context, accountID string, id int64) error {
	return t.DB.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, "DELETE FROM user_certificates WHERE account_id = ? AND id = ?", accountID, id)
		if err != nil {
			return err
		}
		return oneRow(res)
	})
}

// SealedUserCertificateKeys implements cas.KeyResealer.
func (t *Tables) SealedUserCertificateKeys(ctx context.Context, afterID int64, limit int) ([]slbcert.SealedKey, error) {
	var out []slbcert.SealedKey
	err := t.DB.Read(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, "SELECT id, account_id, sealed_keys FROM user_certificates WHERE id > ? ORDER BY id LIMIT ?", afterID, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var k slbcert.SealedKey
			if err := rows.Scan(&id, &k.AccountID, &k.Blob); err != nil {
				return err
			}
			k.ID = cas.UserCertificateRecordID(id)
			out = append(out, k)
		}
		return rows.Err()
	})
	return out, err
}

// ResealUserCertificateKeys implements cas.KeyResealer.
func (t *Tables) ResealUserCertificateKeys(ctx context.Context, id int64, old, new []byte) error {
	return t.DB.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, "UPDATE user_certificates SET sealed_keys = ? WHERE id = ? AND sealed_keys = ?", new, id, old)
		if err != nil {
			return err
		}
		return oneRow(res)
	})
}

// oneRow is nil when res changed a row, else ErrNotFound.
func oneRow(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return slbcert.ErrNotFound
	}
	return nil
}

// chainJSON is how chain entries are kept in their TEXT column. (Tags are
// kept as slbcert.Tag encodes: [{"Key":…,"Value":…}].)
type chainJSON struct {
	CommonName       string `json:"CommonName"`
	IssuerCommonName string `json:"IssuerCommonName"`
	NotBefore        int64  `json:"NotBefore"` // Unix ms
	NotAfter         int64  `json:"NotAfter"`
}

// searchText is what Keyword searches: the names the certificate is for and
// the instance id, lower-cased, one per line (so a keyword never matches
// across two of them).
func searchText(c *cas.UserCertificate) string {
	parts := append([]string{c.CommonName}, c.Sans...)
	parts = append(parts, c.InstanceID)
	return strings.ToLower(strings.Join(parts, "\n"))
}

// userCertificateArgs are c's column values, in userCertificateColumns order.
func userCertificateArgs(c *cas.UserCertificate) ([]any, error) {
	sansText, err := jsonText(orEmpty(c.Sans))
	if err != nil {
		return nil, err
	}
	chain := make([]chainJSON, len(c.Chain))
	for i, e := range c.Chain {
		chain[i] = chainJSON{e.CommonName, e.IssuerCommonName, millis(e.NotBefore), millis(e.NotAfter)}
	}
	chainText, err := jsonText(chain)
	if err != nil {
		return nil, err
	}
	tagsText, err := jsonText(orEmpty(c.Tags))
	if err != nil {
		return nil, err
	}
	return []any{c.ID, c.AccountID, c.InstanceID, c.Name, c.ResourceGroupID,
		c.Cert, c.EncryptCert, c.SignCert, orEmpty(c.SealedKeys),
		c.CommonName, sansText, searchText(c), c.Fingerprint, c.Sha2, c.SerialNo, c.Issuer,
		c.OrgName, c.Province, c.City, c.Country, c.Algorithm,
		millis(c.NotBefore), millis(c.NotAfter), chainText, tagsText, millis(c.CreateTime)}, nil
}

// scanUserCertificates reads rows of userCertificateColumns and closes them.
func scanUserCertificates(rows *sql.Rows) ([]*cas.UserCertificate, error) {
	defer rows.Close()
	var out []*cas.UserCertificate
	for rows.Next() {
		var (
			c                               cas.UserCertificate
			sans, search, chain, tags       string
			notBefore, notAfter, createTime int64
		)
		if err := rows.Scan(&c.ID, &c.AccountID, &c.InstanceID, &c.Name, &c.ResourceGroupID,
			&c.Cert, &c.EncryptCert, &c.SignCert, &c.SealedKeys,
			&c.CommonName, &sans, &search, &c.Fingerprint, &c.Sha2, &c.SerialNo, &c.Issuer,
			&c.OrgName, &c.Province, &c.City, &c.Country, &c.Algorithm,
			&notBefore, &notAfter, &chain, &tags, &createTime); err != nil {
			return nil, err
		}
		c.NotBefore, c.NotAfter, c.CreateTime = fromMillis(notBefore), fromMillis(notAfter), fromMillis(createTime)
		if err := fromJSONText("sans", sans, &c.Sans); err != nil {
			return nil, fmt.Errorf("user certificate %d: %w", c.ID, err)
		}
		var entries []chainJSON
		if err := fromJSONText("chain", chain, &entries); err != nil {
			return nil, fmt.Errorf("user certificate %d: %w", c.ID, err)
		}
		c.Chain = make([]cas.CertChainEntry, len(entries))
		for i, e := range entries {
			c.Chain[i] = cas.CertChainEntry{CommonName: e.CommonName, IssuerCommonName: e.IssuerCommonName, NotBefore: fromMillis(e.NotBefore), NotAfter: fromMillis(e.NotAfter)}
		}
		if err := fromJSONText("tags", tags, &c.Tags); err != nil {
			return nil, fmt.Errorf("user certificate %d: %w", c.ID, err)
		}
		c.Sans, c.Tags = orEmpty(c.Sans), orEmpty(c.Tags)
		out = append(out, &c)
	}
	return out, rows.Err()
}
