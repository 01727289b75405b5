package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slbcert/slb"
	"slices"
	"strings"

	"slbcert"
)

const listenerColumns = "l.load_balancer_id, l.port, l.family, l.protocol, l.status, l.server_certificate_id, l.ca_certificate_id, l.vserver_group_id, l.tls_cipher_policy, l.create_time_ms, l.config"

// customPolicyID is the foreign key of a listener's TLS policy: the id of
// a custom policy, NULL for a built-in one.
func customPolicyID(policy string) any {
	if slb.IsCustomTLSCipherPolicy(policy) {
		return policy
	}
	return nil
}

// CreateListener implements slb.LoadBalancerStore.
func (t *Tables) CreateListener(ctx context.Context, accountID string, l *slb.Listener, limit int) error {
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if _, err := t.lockedLoadBalancer(ctx, tx, accountID, l.LoadBalancerID); err != nil {
			return err
		}
		family := slb.ListenerFamily(l.Protocol)
		taken, err := exists(ctx, tx, "SELECT 1 FROM lb_listeners WHERE load_balancer_id = ? AND port = ? AND family = ?", l.LoadBalancerID, l.Port, family)
		if err != nil {
			return err
		}
		if taken {
			return slbcert.ErrAlreadyExists
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM lb_listeners WHERE load_balancer_id = ?", l.LoadBalancerID).Scan(&n); err != nil {
			return err
		}
		if n >= limit {
			return slbcert.ErrQuotaExceeded
		}
		config, err := jsonText(l.Config)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO lb_listeners (load_balancer_id, port, family, protocol, status,
			server_certificate_id, ca_certificate_id, vserver_group_id, tls_cipher_policy, tls_cipher_policy_id,
			create_time_ms, config) VALUES (`+Placeholders(12)+`)`,
			l.LoadBalancerID, l.Port, family, l.Protocol, l.Status,
			nullable(l.ServerCertificateID), nullable(l.CACertificateID), nullable(l.VServerGroupID),
			l.TLSCipherPolicy, customPolicyID(l.TLSCipherPolicy), millis(l.CreateTime), config)
		switch {
		case t.DB.IsUniqueViolation(err):
			return slbcert.ErrAlreadyExists
		case t.DB.IsForeignKeyViolation(err):
			return slbcert.ErrInvalidReference
		case err != nil:
			return err
		}
		if err := t.writeListenerACLs(ctx, tx, l, false); err != nil {
			return err
		}
		return tx.Notify(ctx, slb.LoadBalancerNotifyChannel)
	})
	if err != nil {
		return fmt.Errorf("create listener %s:%d: %w", l.LoadBalancerID, l.Port, err)
	}
	return nil
}

// listenerWhere returns the condition on listeners l of load balancers b
// that f selects.
func listenerWhere(f slb.ListenerFilter) (string, []any) {
	where := []string{"b.account_id = ?"}
	args := []any{f.AccountID}
	if f.RegionID != "" {
		where = append(where, "b.region_id = ?")
		args = append(args, f.RegionID)
	}
	if len(f.LoadBalancerIDs) > 0 {
		in, ids := inList(f.LoadBalancerIDs)
		where = append(where, "l.load_balancer_id IN "+in)
		args = append(args, ids...)
	}
	if f.Port != 0 {
		where = append(where, "l.port = ?")
		args = append(args, f.Port)
	}
	if f.Protocol != "" {
		where = append(where, "l.protocol = ?")
		args = append(args, f.Protocol)
	}
	if f.ACLID != "" {
		where = append(where, `EXISTS (SELECT 1 FROM lb_listener_acls r WHERE r.load_balancer_id = l.load_balancer_id
			AND r.port = l.port AND r.family = l.family AND r.acl_id = ?)`)
		args = append(args, f.ACLID)
	}
	if len(f.TLSCipherPolicies) > 0 {
		in, ids := inList(f.TLSCipherPolicies)
		where = append(where, "l.tls_cipher_policy IN "+in)
		args = append(args, ids...)
	}
	return strings.Join(where, " AND "), args
}

// FindListeners implements slb.LoadBalancerStore: the listeners and
// their extensions are read in one snapshot.
func (t *Tables) FindListeners(ctx context.Context, f slb.ListenerFilter) ([]*slb.Listener, error) {
	where, args := listenerWhere(f)
	var out []*slb.Listener
	err := t.DB.Read(ctx, func(tx *Tx) error {
		var err error
		out, err = t.queryListeners(ctx, tx, where, args...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find listeners: %w", err)
	}
	return out, nil
}

// queryListeners returns the listeners l (of load balancers b) matching
// where, with their domain extensions.
func (t *Tables) queryListeners(ctx context.Context, tx *Tx, where string, args ...any) ([]*slb.Listener, error) {
	out, err := t.queryListenersAlone(ctx, tx, where, args...)
	if err != nil || len(out) == 0 {
		return out, err
	}
	exts, err := t.queryDomainExtensions(ctx, tx, `(e.load_balancer_id, e.listener_port, e.listener_family) IN (SELECT l.load_balancer_id, l.port, l.family
		FROM lb_listeners l JOIN load_balancers b ON b.id = l.load_balancer_id WHERE `+where+")", args...)
	if err != nil {
		return nil, err
	}
	keyed := byListenerKey(out)
	attachDomainExtensions(keyed, exts)
	if err := t.attachListenerACLs(ctx, tx, keyed, where, args...); err != nil {
		return nil, err
	}
	return out, nil
}

// queryListenersAlone returns the listeners l (of load balancers b)
// matching where, by load balancer (oldest first) then port, without
// their domain extensions.
func (t *Tables) queryListenersAlone(ctx context.Context, tx *Tx, where string, args ...any) ([]*slb.Listener, error) {
	rows, err := tx.Query(ctx, "SELECT "+listenerColumns+` FROM lb_listeners l
		JOIN load_balancers b ON b.id = l.load_balancer_id
		WHERE `+where+" ORDER BY b.create_time_ms, b.id, l.port, l.family", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*slb.Listener{}
	for rows.Next() {
		l, err := scanListener(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// listenerKey names a listener: its load balancer, port and family.
type listenerKey struct {
	lbID   string
	port   int
	family string
}

func byListenerKey(listeners []*slb.Listener) map[listenerKey]*slb.Listener {
	out := make(map[listenerKey]*slb.Listener, len(listeners))
	for _, l := range listeners {
		out[listenerKey{l.LoadBalancerID, l.Port, slb.ListenerFamily(l.Protocol)}] = l
	}
	return out
}

// attachDomainExtensions appends each extension, in order, to its
// listener among listeners; the others are dropped.
func attachDomainExtensions(listeners map[listenerKey]*slb.Listener, exts []slb.DomainExtension) {
	for _, e := range exts {
		if l := listeners[listenerKey{e.LoadBalancerID, e.ListenerPort, slb.FamilyTCP}]; l != nil {
			l.DomainExtensions = append(l.DomainExtensions, e)
		}
	}
}

func scanListener(rows *sql.Rows) (*slb.Listener, error) {
	var (
		l                 slb.Listener
		server, ca, group sql.NullString
		created           int64
		config, family    string
	)
	if err := rows.Scan(&l.LoadBalancerID, &l.Port, &family, &l.Protocol, &l.Status, &server, &ca, &group,
		&l.TLSCipherPolicy, &created, &config); err != nil {
		return nil, err
	}
	l.ServerCertificateID, l.CACertificateID, l.VServerGroupID = server.String, ca.String, group.String
	l.CreateTime = fromMillis(created)
	if err := fromJSONText("config", config, &l.Config); err != nil {
		return nil, fmt.Errorf("listener %s:%d: %w", l.LoadBalancerID, l.Port, err)
	}
	l.Config.Tags = orEmpty(l.Config.Tags)
	l.DomainExtensions = []slb.DomainExtension{}
	l.ACLIDs = []string{}
	return &l, nil
}

// lockedListener locks the listener's load balancer and reads the listener.
func (t *Tables) lockedListener(ctx context.Context, tx *Tx, accountID, lbID string, port int, family string) (*slb.Listener, error) {
	if err := tx.Lock(ctx, lbLock(lbID)); err != nil {
		return nil, err
	}
	found, err := t.queryListeners(ctx, tx, "b.account_id = ? AND l.load_balancer_id = ? AND l.port = ? AND l.family = ?", accountID, lbID, port, family)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, slbcert.ErrNotFound
	}
	return found[0], nil
}

// UpdateListener implements slb.LoadBalancerStore.
func (t *Tables) UpdateListener(ctx context.Context, accountID, lbID string, port int, family string, fn func(*slb.Listener) error) (*slb.Listener, error) {
	var out *slb.Listener
	err := t.DB.Write(ctx, func(tx *Tx) error {
		l, err := t.lockedListener(ctx, tx, accountID, lbID, port, family)
		if err != nil {
			return err
		}
		acls := slices.Clone(l.ACLIDs)
		if err := fn(l); err != nil {
			return err
		}
		// The key and the protocol are the listener's own.
		l.LoadBalancerID, l.Port = lbID, port
		config, err := jsonText(l.Config)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE lb_listeners SET status = ?, server_certificate_id = ?, ca_certificate_id = ?,
			vserver_group_id = ?, tls_cipher_policy = ?, tls_cipher_policy_id = ?, config = ?
			WHERE load_balancer_id = ? AND port = ? AND family = ?`,
			l.Status, nullable(l.ServerCertificateID), nullable(l.CACertificateID), nullable(l.VServerGroupID),
			l.TLSCipherPolicy, customPolicyID(l.TLSCipherPolicy), config, lbID, port, family)
		if t.DB.IsForeignKeyViolation(err) {
			return slbcert.ErrInvalidReference
		}
		if err != nil {
			return err
		}
		if !slices.Equal(acls, l.ACLIDs) {
			if err := t.writeListenerACLs(ctx, tx, l, true); err != nil {
				return err
			}
		}
		out = l
		return tx.Notify(ctx, slb.LoadBalancerNotifyChannel)
	})
	if err != nil {
		return nil, fmt.Errorf("update listener %s:%d: %w", lbID, port, err)
	}
	return out, nil
}

// DeleteListener implements slb.LoadBalancerStore: the domain
// extensions go with the listener (ON DELETE CASCADE).
func (t *Tables) DeleteListener(ctx context.Context, accountID, lbID string, port int, family string) error {
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if _, err := t.lockedListener(ctx, tx, accountID, lbID, port, family); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM lb_listeners WHERE load_balancer_id = ? AND port = ? AND family = ?", lbID, port, family); err != nil {
			return err
		}
		return tx.Notify(ctx, slb.LoadBalancerNotifyChannel)
	})
	if err != nil {
		return fmt.Errorf("delete listener %s:%d: %w", lbID, port, err)
	}
	return nil
}
