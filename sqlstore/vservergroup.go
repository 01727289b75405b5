package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slbcert/slb"

	"slbcert"
)

const vserverGroupColumns = "g.id, g.load_balancer_id, g.name, g.create_time_ms, g.backend_servers, g.tags"

// CreateVServerGroup implements slb.LoadBalancerStore.
func (t *Tables) CreateVServerGroup(ctx context.Context, accountID string, g *slb.VServerGroup) error {
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if _, err := t.lockedLoadBalancer(ctx, tx, accountID, g.LoadBalancerID); err != nil {
			return err
		}
		servers, err := jsonText(orEmpty(g.BackendServers))
		if err != nil {
			return err
		}
		tags, err := jsonText(orEmpty(g.Tags))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO lb_vserver_groups (id, load_balancer_id, name, create_time_ms, backend_servers, tags)
			VALUES (`+Placeholders(6)+`)`, g.ID, g.LoadBalancerID, g.Name, millis(g.CreateTime), servers, tags); err != nil {
			return err
		}
		return tx.Notify(ctx, slb.LoadBalancerNotifyChannel)
	})
	if err != nil {
		return fmt.Errorf("create VServer group %s: %w", g.ID, err)
	}
	return nil
}

// queryVServerGroups returns the groups g (of load balancers b) matching
// where, oldest first.
func (t *Tables) queryVServerGroups(ctx context.Context, q querier, where string, args ...any) ([]*slb.VServerGroup, error) {
	rows, err := q.Query(ctx, "SELECT "+vserverGroupColumns+` FROM lb_vserver_groups g
		JOIN load_balancers b ON b.id = g.load_balancer_id
		WHERE `+where+" ORDER BY g.create_time_ms, g.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*slb.VServerGroup{}
	for rows.Next() {
		g, err := scanVServerGroup(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func scanVServerGroup(rows *sql.Rows) (*slb.VServerGroup, error) {
	var (
		g             slb.VServerGroup
		created       int64
		servers, tags string
	)
	if err := rows.Scan(&g.ID, &g.LoadBalancerID, &g.Name, &created, &servers, &tags); err != nil {
		return nil, err
	}
	g.CreateTime = fromMillis(created)
	if err := fromJSONText("backend_servers", servers, &g.BackendServers); err != nil {
		return nil, fmt.Errorf("VServer group %s: %w", g.ID, err)
	}
	if err := fromJSONText("tags", tags, &g.Tags); err != nil {
		return nil, fmt.Errorf("VServer group %s: %w", g.ID, err)
	}
	g.BackendServers = orEmpty(g.BackendServers)
	g.Tags = orEmpty(g.Tags)
	return &g, nil
}

// FindVServerGroups implements slb.LoadBalancerStore.
func (t *Tables) FindVServerGroups(ctx context.Context, accountID, lbID string) ([]*slb.VServerGroup, error) {
	out, err := t.queryVServerGroups(ctx, t.DB.Reader(), "b.account_id = ? AND g.load_balancer_id = ?", accountID, lbID)
	if err != nil {
		return nil, fmt.Errorf("find VServer groups: %w", err)
	}
	return out, nil
}

// GetVServerGroup implements slb.LoadBalancerStore.
func (t *Tables) GetVServerGroup(ctx context.Context, accountID, id string) (*slb.VServerGroup, error) {
	out, err := t.vserverGroup(ctx, t.DB.Reader(), accountID, id)
	if err != nil {
		return nil, fmt.Errorf("get VServer group %s: %w", id, err)
	}
	return out, nil
}

func (t *Tables) vserverGroup(ctx context.Context, q querier, accountID, id string) (*slb.VServerGroup, error) {
	found, err := t.queryVServerGroups(ctx, q, "b.account_id = ? AND g.id = ?", accountID, id)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, slbcert.ErrNotFound
	}
	return found[0], nil
}

// lockedVServerGroup reads group id under its load balancer's lock.
func (t *Tables) lockedVServerGroup(ctx context.Context, tx *Tx, accountID, id string) (*slb.VServerGroup, error) {
	return lockedByLoadBalancer(ctx, tx,
		func() (*slb.VServerGroup, error) { return t.vserverGroup(ctx, tx, accountID, id) },
		func(g *slb.VServerGroup) string { return g.LoadBalancerID })
}

// UpdateVServerGroup implements slb.LoadBalancerStore.
func (t *Tables) UpdateVServerGroup(ctx context.Context, accountID, id string, fn func(*slb.VServerGroup) error) (*slb.VServerGroup, error) {
	var out *slb.VServerGroup
	err := t.DB.Write(ctx, func(tx *Tx) error {
		g, err := t.lockedVServerGroup(ctx, tx, accountID, id)
		if err != nil {
			return err
		}
		if err := fn(g); err != nil {
			return err
		}
		servers, err := jsonText(orEmpty(g.BackendServers))
		if err != nil {
			return err
		}
		tags, err := jsonText(orEmpty(g.Tags))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE lb_vserver_groups SET name = ?, backend_servers = ?, tags = ? WHERE id = ?", g.Name, servers, tags, id); err != nil {
			return err
		}
		out = g
		return tx.Notify(ctx, slb.LoadBalancerNotifyChannel)
	})
	if err != nil {
		return nil, fmt.Errorf("update VServer group %s: %w", id, err)
	}
	return out, nil
}

// DeleteVServerGroup implements slb.LoadBalancerStore: a listener's
// foreign key refuses the delete while the group is in use.
func (t *Tables) DeleteVServerGroup(ctx context.Context, accountID, id string) error {
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if _, err := t.lockedVServerGroup(ctx, tx, accountID, id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "DELETE FROM lb_vserver_groups WHERE id = ?", id)
		if t.DB.IsForeignKeyViolation(err) {
			return slbcert.ErrInUse
		}
		if err != nil {
			return err
		}
		return tx.Notify(ctx, slb.LoadBalancerNotifyChannel)
	})
	if err != nil {
		return fmt.Errorf("delete VServer group %s: %w", id, err)
	}
	return nil
}
