package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"slbcert"
	"slbcert/slb"
)

const aclColumns = "a.id, a.account_id, a.region_id, a.name, a.address_ip_version, a.resource_group_id, a.create_time_ms, a.entries, a.tags"

// aclLock serialises the changes to one ACL; aclOwnerLock the creates and
// renames of an account's ACLs in a region (the quota count and the unique
// name).
func aclLock(id string) string { return "acl/" + id }

func aclOwnerLock(accountID, regionID string) string { return "acls/" + accountID + "/" + regionID }

// CreateACL implements slb.ACLStore.
func (t *Tables) CreateACL(ctx context.Context, a *slb.ACL, limit int) error {
	entries, err := jsonText(orEmpty(a.Entries))
	if err != nil {
		return err
	}
	tags, err := jsonText(orEmpty(a.Tags))
	if err != nil {
		return err
	}
	err = t.DB.Write(ctx, func(tx *Tx) error {
		if err := tx.Lock(ctx, aclOwnerLock(a.AccountID, a.RegionID)); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM lb_acls WHERE account_id = ? AND region_id = ?", a.AccountID, a.RegionID).Scan(&n); err != nil {
			return err
		}
		if n >= limit {
			return slbcert.ErrQuotaExceeded
		}
		// Checked before the insert: after a failed statement PostgreSQL
		// runs nothing more in the transaction.
		if taken, err := t.aclNameTaken(ctx, tx, a.AccountID, a.RegionID, a.Name, ""); err != nil || taken {
			if taken {
				return slbcert.ErrAlreadyExists
			}
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO lb_acls (id, account_id, region_id, name, address_ip_version, resource_group_id,
			create_time_ms, entries, tags) VALUES (`+Placeholders(9)+`)`,
			a.ID, a.AccountID, a.RegionID, a.Name, a.AddressIPVersion, a.ResourceGroupID, millis(a.CreateTime), entries, tags)
		if t.DB.IsUniqueViolation(err) {
			return slbcert.ErrAlreadyExists
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("create ACL %s: %w", a.ID, err)
	}
	return nil
}

func (t *Tables) aclNameTaken(ctx context.Context, tx *Tx, accountID, regionID, name, except string) (bool, error) {
	return exists(ctx, tx, "SELECT 1 FROM lb_acls WHERE account_id = ? AND region_id = ? AND name = ? AND id <> ?",
		accountID, regionID, name, except)
}

func (t *Tables) queryACLs(ctx context.Context, q querier, where string, args ...any) ([]*slb.ACL, error) {
	rows, err := q.Query(ctx, "SELECT "+aclColumns+" FROM lb_acls a WHERE "+where+" ORDER BY a.create_time_ms, a.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*slb.ACL{}
	for rows.Next() {
		a, err := scanACL(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func scanACL(rows *sql.Rows) (*slb.ACL, error) {
	var (
		a             slb.ACL
		created       int64
		entries, tags string
	)
	if err := rows.Scan(&a.ID, &a.AccountID, &a.RegionID, &a.Name, &a.AddressIPVersion, &a.ResourceGroupID,
		&created, &entries, &tags); err != nil {
		return nil, err
	}
	a.CreateTime = fromMillis(created)
	if err := fromJSONText("entries", entries, &a.Entries); err != nil {
		return nil, fmt.Errorf("ACL %s: %w", a.ID, err)
	}
	if err := fromJSONText("tags", tags, &a.Tags); err != nil {
		return nil, fmt.Errorf("ACL %s: %w", a.ID, err)
	}
	a.Entries, a.Tags = orEmpty(a.Entries), orEmpty(a.Tags)
	return &a, nil
}

// FindACLs implements slb.ACLStore.
func (t *Tables) FindACLs(ctx context.Context, f slb.ACLFilter) ([]*slb.ACL, error) {
	where := []string{"a.account_id = ?"}
	args := []any{f.AccountID}
	if f.RegionID != "" {
		where = append(where, "a.region_id = ?")
		args = append(args, f.RegionID)
	}
	if len(f.IDs) > 0 {
		in, ids := inList(f.IDs)
		where = append(where, "a.id IN "+in)
		args = append(args, ids...)
	}
	out, err := t.queryACLs(ctx, t.DB.Reader(), strings.Join(where, " AND "), args...)
	if err != nil {
		return nil, fmt.Errorf("find ACLs: %w", err)
	}
	return out, nil
}

// lockedACL locks ACL id and reads it.
func (t *Tables) lockedACL(ctx context.Context, tx *Tx, accountID, id string) (*slb.ACL, error) {
	if err := tx.Lock(ctx, aclLock(id)); err != nil {
		return nil, err
	}
	found, err := t.queryACLs(ctx, tx, "a.account_id = ? AND a.id = ?", accountID, id)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, slbcert.ErrNotFound
	}
	return found[0], nil
}

// UpdateACL implements slb.ACLStore. Listeners using the ACL serve its
// new entries: the change is announced.
func (t *Tables) UpdateACL(ctx context.Context, accountID, id string, fn func(*slb.ACL) error) (*slb.ACL, error) {
	var out *slb.ACL
	err := t.DB.Write(ctx, func(tx *Tx) error {
		a, err := t.lockedACL(ctx, tx, accountID, id)
		if err != nil {
			return err
		}
		name := a.Name
		if err := fn(a); err != nil {
			return err
		}
		if a.Name != name {
			if err := tx.Lock(ctx, aclOwnerLock(a.AccountID, a.RegionID)); err != nil {
				return err
			}
			if taken, err := t.aclNameTaken(ctx, tx, a.AccountID, a.RegionID, a.Name, a.ID); err != nil || taken {
				if taken {
					return slbcert.ErrAlreadyExists
				}
				return err
			}
		}
		entries, err := jsonText(orEmpty(a.Entries))
		if err != nil {
			return err
		}
		tags, err := jsonText(orEmpty(a.Tags))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE lb_acls SET name = ?, resource_group_id = ?, entries = ?, tags = ? WHERE id = ?",
			a.Name, a.ResourceGroupID, entries, tags, id); err != nil {
			return err
		}
		out = a
		return tx.Notify(ctx, slb.LoadBalancerNotifyChannel)
	})
	if err != nil {
		return nil, fmt.Errorf("update ACL %s: %w", id, err)
	}
	return out, nil
}

// DeleteACL implements slb.ACLStore: a listener's reference refuses the
// delete while the ACL is in use.
func (t *Tables) DeleteACL(ctx context.Context, accountID, id string) error {
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if _, err := t.lockedACL(ctx, tx, accountID, id); err != nil {
			return err
		}
		// Looked up first: PostgreSQL checks a RESTRICT at once, but the
		// error would end the transaction; the foreign key stays the
		// guarantee against a listener write racing this one.
		used, err := exists(ctx, tx, "SELECT 1 FROM lb_listener_acls WHERE acl_id = ?", id)
		if err != nil {
			return err
		}
		if used {
			return slbcert.ErrInUse
		}
		_, err = tx.Exec(ctx, "DELETE FROM lb_acls WHERE id = ?", id)
		if t.DB.IsForeignKeyViolation(err) {
			return slbcert.ErrInUse
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("delete ACL %s: %w", id, err)
	}
	return nil
}

// writeListenerACLs replaces the ACL references of listener l. A reference
// to an ACL that does not exist (or is being deleted) is
// ErrInvalidReference.
func (t *Tables) writeListenerACLs(ctx context.Context, tx *Tx, l *slb.Listener, replace bool) error {
	family := slb.ListenerFamily(l.Protocol)
	if replace {
		if _, err := tx.Exec(ctx, "DELETE FROM lb_listener_acls WHERE load_balancer_id = ? AND port = ? AND family = ?",
			l.LoadBalancerID, l.Port, family); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for i, id := range l.ACLIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		// Checked first (and under the ACL's lock, so that a delete waits
		// for this write): PostgreSQL's foreign-key error would end the
		// transaction.
		if err := tx.Lock(ctx, aclLock(id)); err != nil {
			return err
		}
		ok, err := exists(ctx, tx, "SELECT 1 FROM lb_acls WHERE id = ?", id)
		if err != nil {
			return err
		}
		if !ok {
			return slbcert.ErrInvalidReference
		}
		_, err = tx.Exec(ctx, "INSERT INTO lb_listener_acls (load_balancer_id, port, family, acl_id, position) VALUES (?, ?, ?, ?, ?)",
			l.LoadBalancerID, l.Port, family, id, i)
		if t.DB.IsForeignKeyViolation(err) {
			return slbcert.ErrInvalidReference
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// attachListenerACLs fills in the ACLIDs of listeners from the references
// of the listeners l (of load balancers b) matching where.
func (t *Tables) attachListenerACLs(ctx context.Context, q querier, listeners map[listenerKey]*slb.Listener, where string, args ...any) error {
	rows, err := q.Query(ctx, `SELECT r.load_balancer_id, r.port, r.family, r.acl_id FROM lb_listener_acls r
		WHERE (r.load_balancer_id, r.port, r.family) IN (SELECT l.load_balancer_id, l.port, l.family
		FROM lb_listeners l JOIN load_balancers b ON b.id = l.load_balancer_id WHERE `+where+`)
		ORDER BY r.load_balancer_id, r.port, r.family, r.position`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k listenerKey
		var id string
		if err := rows.Scan(&k.lbID, &k.port, &k.family, &id); err != nil {
			return err
		}
		if l := listeners[k]; l != nil {
			l.ACLIDs = append(l.ACLIDs, id)
		}
	}
	return rows.Err()
}

var _ slb.ACLStore = (*Tables)(nil)
