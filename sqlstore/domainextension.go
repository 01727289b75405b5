package sqlstore

import (
	"context"
	"fmt"
	"slbcert/slb"

	"slbcert"
)

const domainExtensionColumns = "e.id, e.load_balancer_id, e.listener_port, e.domain, e.server_certificate_id, e.create_time_ms"

// CreateDomainExtension implements slb.LoadBalancerStore.
func (t *Tables) CreateDomainExtension(ctx context.Context, accountID string, e *slb.DomainExtension, limit int) error {
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if _, err := t.lockedListener(ctx, tx, accountID, e.LoadBalancerID, e.ListenerPort, slb.FamilyTCP); err != nil {
			return err
		}
		taken, err := exists(ctx, tx, "SELECT 1 FROM lb_domain_extensions WHERE load_balancer_id = ? AND listener_port = ? AND domain = ?",
			e.LoadBalancerID, e.ListenerPort, e.Domain)
		if err != nil {
			return err
		}
		if taken {
			return slbcert.ErrAlreadyExists
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM lb_domain_extensions WHERE load_balancer_id = ? AND listener_port = ?",
			e.LoadBalancerID, e.ListenerPort).Scan(&n); err != nil {
			return err
		}
		if n >= limit {
			return slbcert.ErrQuotaExceeded
		}
		_, err = tx.Exec(ctx, `INSERT INTO lb_domain_extensions
			(id, load_balancer_id, listener_port, domain, server_certificate_id, create_time_ms) VALUES (`+Placeholders(6)+`)`,
			e.ID, e.LoadBalancerID, e.ListenerPort, e.Domain, e.ServerCertificateID, millis(e.CreateTime))
		switch {
		case t.DB.IsUniqueViolation(err):
			return slbcert.ErrAlreadyExists
		case t.DB.IsForeignKeyViolation(err):
			return slbcert.ErrInvalidReference
		case err != nil:
			return err
		}
		return tx.Notify(ctx, slb.LoadBalancerNotifyChannel)
	})
	if err != nil {
		return fmt.Errorf("create domain extension %s: %w", e.ID, err)
	}
	return nil
}

// queryDomainExtensions returns the extensions e (of load balancers b)
// matching where, oldest first.
func (t *Tables) queryDomainExtensions(ctx context.Context, q querier, where string, args ...any) ([]slb.DomainExtension, error) {
	rows, err := q.Query(ctx, "SELECT "+domainExtensionColumns+` FROM lb_domain_extensions e
		JOIN load_balancers b ON b.id = e.load_balancer_id
		WHERE `+where+" ORDER BY e.create_time_ms, e.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []slb.DomainExtension{}
	for rows.Next() {
		var (
			e       slb.DomainExtension
			created int64
		)
		if err := rows.Scan(&e.ID, &e.LoadBalancerID, &e.ListenerPort, &e.Domain, &e.ServerCertificateID, &created); err != nil {
			return nil, err
		}
		e.CreateTime = fromMillis(created)
		out = append(out, e)
	}
	return out, rows.Err()
}

// FindDomainExtensions implements slb.LoadBalancerStore.
func (t *Tables) FindDomainExtensions(ctx context.Context, accountID, lbID string, port int) ([]slb.DomainExtension, error) {
	out, err := t.queryDomainExtensions(ctx, t.DB.Reader(), "b.account_id = ? AND e.load_balancer_id = ? AND e.listener_port = ?", accountID, lbID, port)
	if err != nil {
		return nil, fmt.Errorf("find domain extensions: %w", err)
	}
	return out, nil
}

// GetDomainExtension implements slb.LoadBalancerStore.
func (t *Tables) GetDomainExtension(ctx context.Context, accountID, id string) (*slb.DomainExtension, error) {
	out, err := t.domainExtension(ctx, t.DB.Reader(), accountID, id)
	if err != nil {
		return nil, fmt.Errorf("get domain extension %s: %w", id, err)
	}
	return out, nil
}

func (t *Tables) domainExtension(ctx context.Context, q querier, accountID, id string) (*slb.DomainExtension, error) {
	found, err := t.queryDomainExtensions(ctx, q, "b.account_id = ? AND e.id = ?", accountID, id)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, slbcert.ErrNotFound
	}
	return &found[0], nil
}

// lockedDomainExtension reads extension id under its load balancer's lock.
func (t *Tables) lockedDomainExtension(ctx context.Context, tx *Tx, accountID, id string) (*slb.DomainExtension, error) {
	return lockedByLoadBalancer(ctx, tx,
		func() (*slb.DomainExtension, error) { return t.domainExtension(ctx, tx, accountID, id) },
		func(e *slb.DomainExtension) string { return e.LoadBalancerID })
}

// SetDomainExtensionCertificate implements slb.LoadBalancerStore.
func (t *Tables) SetDomainExtensionCertificate(ctx context.Context, accountID, id, certID string) error {
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if _, err := t.lockedDomainExtension(ctx, tx, accountID, id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "UPDATE lb_domain_extensions SET server_certificate_id = ? WHERE id = ?", certID, id)
		if t.DB.IsForeignKeyViolation(err) {
			return slbcert.ErrInvalidReference
		}
		if err != nil {
			return err
		}
		return tx.Notify(ctx, slb.LoadBalancerNotifyChannel)
	})
	if err != nil {
		return fmt.Errorf("set domain extension %s: %w", id, err)
	}
	return nil
}

// DeleteDomainExtension implements slb.LoadBalancerStore.
func (t *Tables) DeleteDomainExtension(ctx context.Context, accountID, id string) error {
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if _, err := t.lockedDomainExtension(ctx, tx, accountID, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM lb_domain_extensions WHERE id = ?", id); err != nil {
			return err
		}
		return tx.Notify(ctx, slb.LoadBalancerNotifyChannel)
	})
	if err != nil {
		return fmt.Errorf("delete domain extension %s: %w", id, err)
	}
	return nil
}
