package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slbcert/slb"

	"slbcert"
)

const tlsPolicyColumns = "p.id, p.account_id, p.region_id, p.name, p.tls_versions, p.ciphers, p.create_time_ms"

// tlsPolicyLock serialises the changes to one custom policy.
func tlsPolicyLock(id string) string { return "tls-cipher-policy/" + id }

// CreateTLSCipherPolicy implements slb.LoadBalancerStore.
func (t *Tables) CreateTLSCipherPolicy(ctx context.Context, p *slb.TLSCipherPolicy) error {
	versions, err := jsonText(p.TLSVersions)
	if err != nil {
		return err
	}
	ciphers, err := jsonText(p.Ciphers)
	if err != nil {
		return err
	}
	err = t.DB.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO lb_tls_cipher_policies (id, account_id, region_id, name, tls_versions, ciphers, create_time_ms)
			VALUES (`+Placeholders(7)+`)`, p.ID, p.AccountID, p.RegionID, p.Name, versions, ciphers, millis(p.CreateTime))
		return err
	})
	if err != nil {
		return fmt.Errorf("create TLS cipher policy %s: %w", p.ID, err)
	}
	return nil
}

func (t *Tables) queryTLSCipherPolicies(ctx context.Context, q querier, where string, args ...any) ([]*slb.TLSCipherPolicy, error) {
	rows, err := q.Query(ctx, "SELECT "+tlsPolicyColumns+" FROM lb_tls_cipher_policies p WHERE "+where+" ORDER BY p.create_time_ms, p.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*slb.TLSCipherPolicy{}
	for rows.Next() {
		p, err := scanTLSCipherPolicy(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func scanTLSCipherPolicy(rows *sql.Rows) (*slb.TLSCipherPolicy, error) {
	var (
		p                 slb.TLSCipherPolicy
		versions, ciphers string
		created           int64
	)
	if err := rows.Scan(&p.ID, &p.AccountID, &p.RegionID, &p.Name, &versions, &ciphers, &created); err != nil {
		return nil, err
	}
	p.CreateTime = fromMillis(created)
	if err := fromJSONText("tls_versions", versions, &p.TLSVersions); err != nil {
		return nil, fmt.Errorf("TLS cipher policy %s: %w", p.ID, err)
	}
	if err := fromJSONText("ciphers", ciphers, &p.Ciphers); err != nil {
		return nil, fmt.Errorf("TLS cipher policy %s: %w", p.ID, err)
	}
	p.TLSVersions, p.Ciphers = orEmpty(p.TLSVersions), orEmpty(p.Ciphers)
	return &p, nil
}

// FindTLSCipherPolicies implements slb.LoadBalancerStore.
func (t *Tables) FindTLSCipherPolicies(ctx context.Context, accountID, regionID string) ([]*slb.TLSCipherPolicy, error) {
	out, err := t.queryTLSCipherPolicies(ctx, t.DB.Reader(), "p.account_id = ? AND p.region_id = ?", accountID, regionID)
	if err != nil {
		return nil, fmt.Errorf("find TLS cipher policies: %w", err)
	}
	return out, nil
}

// lockedTLSCipherPolicy locks policy id and reads it.
func (t *Tables) lockedTLSCipherPolicy(ctx context.Context, tx *Tx, accountID, regionID, id string) (*slb.TLSCipherPolicy, error) {
	if err := tx.Lock(ctx, tlsPolicyLock(id)); err != nil {
		return nil, err
	}
	found, err := t.queryTLSCipherPolicies(ctx, tx, "p.account_id = ? AND p.region_id = ? AND p.id = ?", accountID, regionID, id)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, slbcert.ErrNotFound
	}
	return found[0], nil
}

// UpdateTLSCipherPolicy implements slb.LoadBalancerStore. Listeners
// using the policy serve the new one: the change is announced.
func (t *Tables) UpdateTLSCipherPolicy(ctx context.Context, accountID, regionID, id string, fn func(*slb.TLSCipherPolicy) error) (*slb.TLSCipherPolicy, error) {
	var out *slb.TLSCipherPolicy
	err := t.DB.Write(ctx, func(tx *Tx) error {
		p, err := t.lockedTLSCipherPolicy(ctx, tx, accountID, regionID, id)
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
		versions, err := jsonText(p.TLSVersions)
		if err != nil {
			return err
		}
		ciphers, err := jsonText(p.Ciphers)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE lb_tls_cipher_policies SET name = ?, tls_versions = ?, ciphers = ? WHERE id = ?",
			p.Name, versions, ciphers, id); err != nil {
			return err
		}
		out = p
		return tx.Notify(ctx, slb.LoadBalancerNotifyChannel)
	})
	if err != nil {
		return nil, fmt.Errorf("update TLS cipher policy %s: %w", id, err)
	}
	return out, nil
}

// DeleteTLSCipherPolicy implements slb.LoadBalancerStore: a listener's
// foreign key refuses the delete while the policy is in use.
func (t *Tables) DeleteTLSCipherPolicy(ctx context.Context, accountID, regionID, id string) error {
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if _, err := t.lockedTLSCipherPolicy(ctx, tx, accountID, regionID, id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "DELETE FROM lb_tls_cipher_policies WHERE id = ?", id)
		if t.DB.IsForeignKeyViolation(err) {
			return slbcert.ErrInUse
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("delete TLS cipher policy %s: %w", id, err)
	}
	return nil
}
