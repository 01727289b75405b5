package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"net/netip"
	"slbcert/slb"
	"slices"
	"strings"

	"slbcert"
)

// lbAttributes are the columns of load_balancers.attributes: what no query
// filters on.
type lbAttributes struct {
	Name                         string `json:"name"`
	AddressType                  string `json:"addressType"`
	AddressIPVersion             string `json:"addressIPVersion"`
	NetworkType                  string `json:"networkType"`
	VpcID                        string `json:"vpcId"`
	VSwitchID                    string `json:"vSwitchId"`
	Spec                         string `json:"spec"`
	PayType                      string `json:"payType"`
	InstanceChargeType           string `json:"instanceChargeType"`
	InternetChargeType           string `json:"internetChargeType"`
	Bandwidth                    int    `json:"bandwidth"`
	MasterZoneID                 string `json:"masterZoneId"`
	SlaveZoneID                  string `json:"slaveZoneId"`
	ResourceGroupID              string `json:"resourceGroupId"`
	DeleteProtection             string `json:"deleteProtection"`
	ModificationProtectionStatus string `json:"modificationProtectionStatus"`
	ModificationProtectionReason string `json:"modificationProtectionReason"`
	Duration                     int    `json:"duration"`
	PricingCycle                 string `json:"pricingCycle"`
}

func attributesOf(lb *slb.LoadBalancer) lbAttributes {
	return lbAttributes{
		Name: lb.Name, AddressType: lb.AddressType, AddressIPVersion: lb.AddressIPVersion,
		NetworkType: lb.NetworkType, VpcID: lb.VpcID, VSwitchID: lb.VSwitchID, Spec: lb.Spec,
		PayType: lb.PayType, InstanceChargeType: lb.InstanceChargeType, InternetChargeType: lb.InternetChargeType,
		Bandwidth: lb.Bandwidth, MasterZoneID: lb.MasterZoneID, SlaveZoneID: lb.SlaveZoneID,
		ResourceGroupID: lb.ResourceGroupID, DeleteProtection: lb.DeleteProtection,
		ModificationProtectionStatus: lb.ModificationProtectionStatus,
		ModificationProtectionReason: lb.ModificationProtectionReason,
		Duration:                     lb.Duration, PricingCycle: lb.PricingCycle,
	}
}

func (a lbAttributes) apply(lb *slb.LoadBalancer) {
	lb.Name, lb.AddressType, lb.AddressIPVersion = a.Name, a.AddressType, a.AddressIPVersion
	lb.NetworkType, lb.VpcID, lb.VSwitchID, lb.Spec = a.NetworkType, a.VpcID, a.VSwitchID, a.Spec
	lb.PayType, lb.InstanceChargeType, lb.InternetChargeType = a.PayType, a.InstanceChargeType, a.InternetChargeType
	lb.Bandwidth, lb.MasterZoneID, lb.SlaveZoneID = a.Bandwidth, a.MasterZoneID, a.SlaveZoneID
	lb.ResourceGroupID, lb.DeleteProtection = a.ResourceGroupID, a.DeleteProtection
	lb.ModificationProtectionStatus, lb.ModificationProtectionReason = a.ModificationProtectionStatus, a.ModificationProtectionReason
	lb.Duration, lb.PricingCycle = a.Duration, a.PricingCycle
}

const lbColumns = "b.id, b.account_id, b.region_id, b.status, b.address, b.client_token, b.create_time_ms, b.attributes, b.backend_servers, b.tags"

// lbCreateLock serialises load-balancer creates across processes: the
// quota count and the address allocation read the whole table.
const lbCreateLock = "load-balancers/create"

// lbLock is the key serialising every change to one load balancer and what
// hangs off it.
func lbLock(id string) string { return "load-balancer/" + id }

// CreateLoadBalancer implements slb.LoadBalancerStore.
func (t *Tables) CreateLoadBalancer(ctx context.Context, lb *slb.LoadBalancer, limit int, pool netip.Prefix) (*slb.LoadBalancer, error) {
	var out *slb.LoadBalancer
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if err := tx.Lock(ctx, lbCreateLock); err != nil {
			return err
		}
		if lb.ClientToken != "" {
			found, err := t.queryLoadBalancers(ctx, tx, "b.account_id = ? AND b.client_token = ?", lb.AccountID, lb.ClientToken)
			if err != nil {
				return err
			}
			if len(found) > 0 {
				out = found[0]
				return nil
			}
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM load_balancers WHERE account_id = ? AND region_id = ?",
			lb.AccountID, lb.RegionID).Scan(&n); err != nil {
			return err
		}
		if n >= limit {
			return slbcert.ErrQuotaExceeded
		}
		c := *lb
		if c.Address == "" {
			addr, err := t.freeAddress(ctx, tx, pool)
			if err != nil {
				return err
			}
			c.Address = addr
		}
		// The id is checked before the insert: after a failed statement
		// PostgreSQL runs nothing more in the transaction, so the insert's
		// unique violation is left to mean the address (the client token
		// was looked up under the lock).
		taken, err := exists(ctx, tx, "SELECT 1 FROM load_balancers WHERE id = ?", c.ID)
		if err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("load balancer id %s is taken", c.ID)
		}
		if err := t.insertLoadBalancer(ctx, tx, &c); err != nil {
			return err
		}
		out = &c
		return tx.Notify(ctx, slb.LoadBalancerNotifyChannel)
	})
	if err != nil {
		return nil, fmt.Errorf("create load balancer %s: %w", lb.ID, err)
	}
	return copyLoadBalancer(out), nil
}

// freeAddress returns the lowest host address of pool that no load
// balancer holds. (An address the caller asked for needs no scan: the
// insert's UNIQUE (address) refuses a taken one.)
func (t *Tables) freeAddress(ctx context.Context, tx *Tx, pool netip.Prefix) (string, error) {
	rows, err := tx.Query(ctx, "SELECT address FROM load_balancers")
	if err != nil {
		return "", err
	}
	used := map[string]bool{}
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			rows.Close()
			return "", err
		}
		used[a] = true
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	if a, ok := firstFreeAddress(pool, used); ok {
		return a, nil
	}
	return "", slb.ErrAddressPoolExhausted
}

// firstFreeAddress returns the lowest host address of pool not in used.
// In IPv4 pools of four addresses or more, the network and broadcast
// addresses are not hosts.
func firstFreeAddress(pool netip.Prefix, used map[string]bool) (string, bool) {
	pool = pool.Masked()
	first := pool.Addr()
	skipEnds := first.Is4() && pool.Bits() <= 30
	if skipEnds {
		first = first.Next()
	}
	// At most len(used)+1 candidates can be looked at before a free one.
	a := first
	for i := 0; i <= len(used) && a.IsValid() && pool.Contains(a); i++ {
		next := a.Next()
		if skipEnds && !pool.Contains(next) {
			break // the broadcast address
		}
		if !used[a.String()] {
			return a.String(), true
		}
		a = next
	}
	return "", false
}

// insertLoadBalancer inserts lb, whose id the caller checked is free: a
// unique violation is the address.
func (t *Tables) insertLoadBalancer(ctx context.Context, tx *Tx, lb *slb.LoadBalancer) error {
	attrs, err := jsonText(attributesOf(lb))
	if err != nil {
		return err
	}
	servers, err := jsonText(orEmpty(lb.BackendServers))
	if err != nil {
		return err
	}
	tags, err := jsonText(orEmpty(lb.Tags))
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO load_balancers
		(id, account_id, region_id, status, address, client_token, create_time_ms, attributes, backend_servers, tags)
		VALUES (`+Placeholders(10)+`)`,
		lb.ID, lb.AccountID, lb.RegionID, lb.Status, lb.Address, lb.ClientToken, millis(lb.CreateTime), attrs, servers, tags)
	if t.DB.IsUniqueViolation(err) {
		return slb.ErrAddressInUse
	}
	return err
}

// FindLoadBalancers implements slb.LoadBalancerStore.
func (t *Tables) FindLoadBalancers(ctx context.Context, f slb.LoadBalancerFilter) ([]*slb.LoadBalancer, error) {
	where := []string{"b.account_id = ?"}
	args := []any{f.AccountID}
	if f.RegionID != "" {
		where = append(where, "b.region_id = ?")
		args = append(args, f.RegionID)
	}
	if len(f.IDs) > 0 {
		in, ids := inList(f.IDs)
		where = append(where, "b.id IN "+in)
		args = append(args, ids...)
	}
	out, err := t.queryLoadBalancers(ctx, t.DB.Reader(), strings.Join(where, " AND "), args...)
	if err != nil {
		return nil, fmt.Errorf("find load balancers: %w", err)
	}
	return out, nil
}

// queryLoadBalancers returns the load balancers b matching where, oldest first.
func (t *Tables) queryLoadBalancers(ctx context.Context, q querier, where string, args ...any) ([]*slb.LoadBalancer, error) {
	rows, err := q.Query(ctx, "SELECT "+lbColumns+" FROM load_balancers b WHERE "+where+" ORDER BY b.create_time_ms, b.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*slb.LoadBalancer{}
	for rows.Next() {
		lb, err := scanLoadBalancer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, lb)
	}
	return out, rows.Err()
}

func scanLoadBalancer(rows *sql.Rows) (*slb.LoadBalancer, error) {
	var (
		lb                     slb.LoadBalancer
		created                int64
		attrs, servers, tagsJS string
		a                      lbAttributes
	)
	if err := rows.Scan(&lb.ID, &lb.AccountID, &lb.RegionID, &lb.Status, &lb.Address, &lb.ClientToken,
		&created, &attrs, &servers, &tagsJS); err != nil {
		return nil, err
	}
	lb.CreateTime = fromMillis(created)
	if err := fromJSONText("attributes", attrs, &a); err != nil {
		return nil, fmt.Errorf("load balancer %s: %w", lb.ID, err)
	}
	a.apply(&lb)
	if err := fromJSONText("backend_servers", servers, &lb.BackendServers); err != nil {
		return nil, fmt.Errorf("load balancer %s: %w", lb.ID, err)
	}
	if err := fromJSONText("tags", tagsJS, &lb.Tags); err != nil {
		return nil, fmt.Errorf("load balancer %s: %w", lb.ID, err)
	}
	lb.BackendServers = orEmpty(lb.BackendServers)
	lb.Tags = orEmpty(lb.Tags)
	return &lb, nil
}

// lockedLoadBalancer locks load balancer id and reads it, or ErrNotFound.
func (t *Tables) lockedLoadBalancer(ctx context.Context, tx *Tx, accountID, id string) (*slb.LoadBalancer, error) {
	if err := tx.Lock(ctx, lbLock(id)); err != nil {
		return nil, err
	}
	found, err := t.queryLoadBalancers(ctx, tx, "b.id = ? AND b.account_id = ?", id, accountID)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, slbcert.ErrNotFound
	}
	return found[0], nil
}

// lockedByLoadBalancer reads a record hanging off a load balancer, locks
// that load balancer (lbID names it), and reads the record again under the
// lock, in case a writer that held it changed it. Where Lock is a no-op
// (SQLite: the write transaction already excludes every other writer) the
// first read stands.
func lockedByLoadBalancer[T any](ctx context.Context, tx *Tx, read func() (T, error), lbID func(T) string) (T, error) {
	v, err := read()
	if err != nil || !tx.locking() {
		return v, err
	}
	if err := tx.Lock(ctx, lbLock(lbID(v))); err != nil {
		var zero T
		return zero, err
	}
	return read()
}

// UpdateLoadBalancer implements slb.LoadBalancerStore.
func (t *Tables) UpdateLoadBalancer(ctx context.Context, accountID, id string, fn func(*slb.LoadBalancer) error) (*slb.LoadBalancer, error) {
	var out *slb.LoadBalancer
	err := t.DB.Write(ctx, func(tx *Tx) error {
		lb, err := t.lockedLoadBalancer(ctx, tx, accountID, id)
		if err != nil {
			return err
		}
		if err := fn(lb); err != nil {
			return err
		}
		attrs, err := jsonText(attributesOf(lb))
		if err != nil {
			return err
		}
		servers, err := jsonText(orEmpty(lb.BackendServers))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE load_balancers SET status = ?, attributes = ?, backend_servers = ? WHERE id = ?",
			lb.Status, attrs, servers, id); err != nil {
			return err
		}
		out = lb
		return tx.Notify(ctx, slb.LoadBalancerNotifyChannel)
	})
	if err != nil {
		return nil, fmt.Errorf("update load balancer %s: %w", id, err)
	}
	return out, nil
}

// DeleteLoadBalancer implements slb.LoadBalancerStore. The schema's
// ON DELETE CASCADE takes the listeners and VServer groups with the load
// balancer, and the domain extensions with the listeners, in the one
// statement; the listeners' references to the groups (NO ACTION) are
// checked at its end, when both are gone. (SQLite enforces foreign keys
// only with foreign_keys ON, which every connection's DSN sets.)
func (t *Tables) DeleteLoadBalancer(ctx context.Context, accountID, id string) error {
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if _, err := t.lockedLoadBalancer(ctx, tx, accountID, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM load_balancers WHERE id = ?", id); err != nil {
			return err
		}
		return tx.Notify(ctx, slb.LoadBalancerNotifyChannel)
	})
	if err != nil {
		return fmt.Errorf("delete load balancer %s: %w", id, err)
	}
	return nil
}

// UpdateLoadBalancerTags implements slb.LoadBalancerStore. Load
// balancers are locked in id order, so overlapping calls cannot deadlock.
func (t *Tables) UpdateLoadBalancerTags(ctx context.Context, accountID, regionID string, ids []string, set []slbcert.Tag, remove []string, removeAll bool, max int) error {
	err := t.DB.Write(ctx, func(tx *Tx) error {
		for _, id := range sortedUnique(ids) {
			lb, err := t.lockedLoadBalancer(ctx, tx, accountID, id)
			if err != nil {
				return err
			}
			if lb.RegionID != regionID {
				return slbcert.ErrNotFound
			}
			tags := slbcert.ApplyTags(lb.Tags, set, remove, removeAll)
			if len(tags) > max {
				return slbcert.ErrTagLimit
			}
			js, err := jsonText(orEmpty(tags))
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "UPDATE load_balancers SET tags = ? WHERE id = ?", js, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("update load balancer tags: %w", err)
	}
	return nil
}

func sortedUnique(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// copyLoadBalancer returns a copy that shares no slice with lb.
func copyLoadBalancer(lb *slb.LoadBalancer) *slb.LoadBalancer {
	if lb == nil {
		return nil
	}
	c := *lb
	c.BackendServers = append([]slb.BackendServer{}, lb.BackendServers...)
	c.Tags = append([]slbcert.Tag{}, lb.Tags...)
	return &c
}
