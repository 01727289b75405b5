package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strings"

	"slbcert"
	"slbcert/localnet"
	"slbcert/vpc"
)

// VPC (Vpc 2016-04-28): vpc.Store over the vpcs, vswitches and
// vpc_addresses tables (each store's migration "vpc").

var _ vpc.Store = (*Tables)(nil)

// vpcAttributes are the columns of vpcs.attributes: what no query filters on.
type vpcAttributes struct {
	Description      string   `json:"description"`
	UserCidrs        []string `json:"userCidrs"`
	DNSHostname      bool     `json:"dnsHostname"`
	RouteTableName   string   `json:"routeTableName"`
	RouteTableDesc   string   `json:"routeTableDescription"`
	RoutePropagation bool     `json:"routePropagation"`
}

type vswitchAttributes struct {
	Description string `json:"description"`
}

const vpcColumns = "v.id, v.account_id, v.region_id, v.name, v.cidr_block, v.vrouter_id, v.route_table_id, v.resource_group_id, v.status, v.client_token, v.create_time_ms, v.attributes, v.tags"

// vswitchColumns read a vSwitch with its VPC's group and route table (the
// query joins vpcs as v).
const vswitchColumns = "s.id, s.vpc_id, s.account_id, s.region_id, s.zone_id, s.name, s.cidr_block, s.status, s.client_token, s.create_time_ms, s.attributes, s.tags, v.resource_group_id, v.route_table_id"

// Lock keys: a VPC (its vSwitches, its settings), an account's VPCs in a
// region (the quota), an account's client tokens, and every address
// allocation (images are unique across the store).
func vpcLock(id string) string                   { return "vpc/" + id }
func vswitchLock(id string) string               { return "vswitch/" + id }
func vpcQuotaLock(account, region string) string { return "vpcs/" + account + "/" + region }
func vswitchTokenLock(account string) string     { return "vswitch-tokens/" + account }
func vpcTokenLock(account string) string         { return "vpc-tokens/" + account }

const vpcAddressesLock = "vpc-addresses"

// CreateVPC implements vpc.Store.
func (t *Tables) CreateVPC(ctx context.Context, v *vpc.VPC, limit int) (*vpc.VPC, error) {
	var out *vpc.VPC
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if err := tx.Lock(ctx, vpcQuotaLock(v.AccountID, v.RegionID)); err != nil {
			return err
		}
		if v.ClientToken != "" {
			if err := tx.Lock(ctx, vpcTokenLock(v.AccountID)); err != nil {
				return err
			}
			found, err := t.queryVPCs(ctx, tx, "v.account_id = ? AND v.client_token = ?", v.AccountID, v.ClientToken)
			if err != nil {
				return err
			}
			if len(found) > 0 {
				out = found[0]
				return nil
			}
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM vpcs WHERE account_id = ? AND region_id = ?", v.AccountID, v.RegionID).Scan(&n); err != nil {
			return err
		}
		if n >= limit {
			return slbcert.ErrQuotaExceeded
		}
		attrs, err := jsonText(vpcAttributes{Description: v.Description, UserCidrs: orEmpty(v.UserCidrs), DNSHostname: v.DNSHostname,
			RouteTableName: v.RouteTable.Name, RouteTableDesc: v.RouteTable.Description, RoutePropagation: v.RouteTable.RoutePropagation})
		if err != nil {
			return err
		}
		tags, err := jsonText(orEmpty(v.Tags))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO vpcs (id, account_id, region_id, name, cidr_block, vrouter_id, route_table_id, resource_group_id, status, client_token, create_time_ms, attributes, tags) VALUES ("+Placeholders(13)+")",
			v.ID, v.AccountID, v.RegionID, v.Name, v.CidrBlock.String(), v.VRouterID, v.RouteTable.ID, v.ResourceGroupID, v.Status, v.ClientToken, millis(v.CreateTime), attrs, tags); err != nil {
			return err
		}
		out = copyVPC(v)
		out.CreateTime = fromMillis(millis(v.CreateTime))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("create vpc %s: %w", v.ID, err)
	}
	return out, nil
}

// GetVPC implements vpc.Store.
func (t *Tables) GetVPC(ctx context.Context, accountID, id string) (*vpc.VPC, error) {
	found, err := t.queryVPCs(ctx, t.DB.Reader(), "v.id = ? AND v.account_id = ?", id, accountID)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, slbcert.ErrNotFound
	}
	return found[0], nil
}

// FindVPCs implements vpc.Store. Tag filters are applied after the query,
// before the page is cut.
func (t *Tables) FindVPCs(ctx context.Context, f vpc.VPCFilter) ([]*vpc.VPC, int, map[string][]string, error) {
	where := []string{"v.account_id = ?", "v.region_id = ?"}
	args := []any{f.AccountID, f.RegionID}
	if len(f.IDs) > 0 {
		in, ids := inList(f.IDs)
		where = append(where, "v.id IN "+in)
		args = append(args, ids...)
	}
	for _, c := range []struct{ column, value string }{
		{"v.name", f.Name}, {"v.resource_group_id", f.ResourceGroupID}, {"v.route_table_id", f.RouteTableID}, {"v.vrouter_id", f.VRouterID},
	} {
		if c.value != "" {
			where = append(where, c.column+" = ?")
			args = append(args, c.value)
		}
	}
	var (
		page  []*vpc.VPC
		total int
		vsw   = map[string][]string{}
	)
	err := t.DB.Read(ctx, func(tx *Tx) error {
		all, err := t.queryVPCs(ctx, tx, strings.Join(where, " AND "), args...)
		if err != nil {
			return err
		}
		all = filterTagged(all, f.Tags, func(v *vpc.VPC) []slbcert.Tag { return v.Tags })
		total = len(all)
		page = pageOf(all, f.Offset, f.Limit)
		if len(page) == 0 {
			return nil
		}
		ids := make([]string, len(page))
		for i, v := range page {
			ids[i] = v.ID
		}
		in, idArgs := inList(ids)
		rows, err := tx.Query(ctx, "SELECT vpc_id, id FROM vswitches WHERE vpc_id IN "+in+" ORDER BY create_time_ms, id", idArgs...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var vpcID, id string
			if err := rows.Scan(&vpcID, &id); err != nil {
				return err
			}
			vsw[vpcID] = append(vsw[vpcID], id)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, nil, err
	}
	if page == nil {
		page = []*vpc.VPC{}
	}
	return page, total, vsw, nil
}

// pageOf cuts list at offset, at most limit long (0: no limit).
func pageOf[T any](list []T, offset, limit int) []T {
	lo := min(max(offset, 0), len(list))
	hi := len(list)
	if limit > 0 && limit < math.MaxInt-lo {
		hi = min(lo+limit, hi)
	}
	return list[lo:hi]
}

// filterTagged keeps the records carrying every tag of want with equal values.
func filterTagged[T any](list []T, want []slbcert.Tag, tags func(T) []slbcert.Tag) []T {
	if len(want) == 0 {
		return list
	}
	var out []T
next:
	for _, r := range list {
		have := tags(r)
		for _, w := range want {
			found := false
			for _, h := range have {
				if h == w {
					found = true
					break
				}
			}
			if !found {
				continue next
			}
		}
		out = append(out, r)
	}
	return out
}

func (t *Tables) queryVPCs(ctx context.Context, q querier, where string, args ...any) ([]*vpc.VPC, error) {
	rows, err := q.Query(ctx, "SELECT "+vpcColumns+" FROM vpcs v WHERE "+where+" ORDER BY v.create_time_ms, v.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vpc.VPC
	for rows.Next() {
		var (
			v                 vpc.VPC
			cidr, attrs, tags string
			created           int64
		)
		if err := rows.Scan(&v.ID, &v.AccountID, &v.RegionID, &v.Name, &cidr, &v.VRouterID, &v.RouteTable.ID, &v.ResourceGroupID,
			&v.Status, &v.ClientToken, &created, &attrs, &tags); err != nil {
			return nil, err
		}
		if v.CidrBlock, err = netip.ParsePrefix(cidr); err != nil {
			return nil, fmt.Errorf("vpc %s: cidr_block: %w", v.ID, err)
		}
		var a vpcAttributes
		if err := fromJSONText("attributes", attrs, &a); err != nil {
			return nil, fmt.Errorf("vpc %s: %w", v.ID, err)
		}
		if err := fromJSONText("tags", tags, &v.Tags); err != nil {
			return nil, fmt.Errorf("vpc %s: %w", v.ID, err)
		}
		v.Description, v.UserCidrs, v.DNSHostname = a.Description, orEmpty(a.UserCidrs), a.DNSHostname
		v.RouteTable.Name, v.RouteTable.Description, v.RouteTable.RoutePropagation = a.RouteTableName, a.RouteTableDesc, a.RoutePropagation
		v.CreateTime = fromMillis(created)
		v.Tags = orEmpty(v.Tags)
		out = append(out, &v)
	}
	return out, rows.Err()
}

// lockedVPC locks VPC id and reads it, or ErrNotFound.
func (t *Tables) lockedVPC(ctx context.Context, tx *Tx, accountID, id string) (*vpc.VPC, error) {
	if err := tx.Lock(ctx, vpcLock(id)); err != nil {
		return nil, err
	}
	found, err := t.queryVPCs(ctx, tx, "v.id = ? AND v.account_id = ?", id, accountID)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, slbcert.ErrNotFound
	}
	return found[0], nil
}

// UpdateVPC implements vpc.Store.
func (t *Tables) UpdateVPC(ctx context.Context, accountID, id string, fn func(v *vpc.VPC, vswitches []*vpc.VSwitch) error) (*vpc.VPC, error) {
	var out *vpc.VPC
	err := t.DB.Write(ctx, func(tx *Tx) error {
		v, err := t.lockedVPC(ctx, tx, accountID, id)
		if err != nil {
			return err
		}
		vsw, err := t.queryVSwitches(ctx, tx, "s.vpc_id = ?", id)
		if err != nil {
			return err
		}
		if err := fn(v, vsw); err != nil {
			return err
		}
		attrs, err := jsonText(vpcAttributes{Description: v.Description, UserCidrs: orEmpty(v.UserCidrs), DNSHostname: v.DNSHostname,
			RouteTableName: v.RouteTable.Name, RouteTableDesc: v.RouteTable.Description, RoutePropagation: v.RouteTable.RoutePropagation})
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE vpcs SET name = ?, cidr_block = ?, resource_group_id = ?, attributes = ? WHERE id = ?",
			v.Name, v.CidrBlock.String(), v.ResourceGroupID, attrs, id); err != nil {
			return err
		}
		out = v
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("update vpc %s: %w", id, err)
	}
	return out, nil
}

// DeleteVPC implements vpc.Store.
func (t *Tables) DeleteVPC(ctx context.Context, accountID, id string) error {
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if _, err := t.lockedVPC(ctx, tx, accountID, id); err != nil {
			return err
		}
		if has, err := exists(ctx, tx, "SELECT 1 FROM vswitches WHERE vpc_id = ? LIMIT 1", id); err != nil || has {
			if has {
				return slbcert.ErrInUse
			}
			return err
		}
		_, err := tx.Exec(ctx, "DELETE FROM vpcs WHERE id = ?", id)
		if t.DB.IsForeignKeyViolation(err) {
			return slbcert.ErrInUse
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("delete vpc %s: %w", id, err)
	}
	return nil
}

// CreateVSwitch implements vpc.Store.
func (t *Tables) CreateVSwitch(ctx context.Context, s *vpc.VSwitch, limit int, check func(v *vpc.VPC, siblings []*vpc.VSwitch) error) (*vpc.VSwitch, error) {
	var out *vpc.VSwitch
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if s.ClientToken != "" {
			if err := tx.Lock(ctx, vswitchTokenLock(s.AccountID)); err != nil {
				return err
			}
			found, err := t.queryVSwitches(ctx, tx, "s.account_id = ? AND s.client_token = ?", s.AccountID, s.ClientToken)
			if err != nil {
				return err
			}
			if len(found) > 0 {
				out = found[0]
				return nil
			}
		}
		v, err := t.lockedVPC(ctx, tx, s.AccountID, s.VPCID)
		if err != nil {
			return err
		}
		if v.RegionID != s.RegionID {
			return slbcert.ErrNotFound
		}
		siblings, err := t.queryVSwitches(ctx, tx, "s.vpc_id = ?", v.ID)
		if err != nil {
			return err
		}
		if len(siblings) >= limit {
			return slbcert.ErrQuotaExceeded
		}
		if err := check(v, siblings); err != nil {
			return err
		}
		attrs, err := jsonText(vswitchAttributes{Description: s.Description})
		if err != nil {
			return err
		}
		tags, err := jsonText(orEmpty(s.Tags))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO vswitches (id, vpc_id, account_id, region_id, zone_id, name, cidr_block, status, client_token, create_time_ms, attributes, tags) VALUES ("+Placeholders(12)+")",
			s.ID, s.VPCID, s.AccountID, s.RegionID, s.ZoneID, s.Name, s.CidrBlock.String(), s.Status, s.ClientToken, millis(s.CreateTime), attrs, tags); err != nil {
			return err
		}
		c := copyVSwitch(s)
		c.ResourceGroupID, c.RouteTableID = v.ResourceGroupID, v.RouteTable.ID
		c.CreateTime = fromMillis(millis(s.CreateTime))
		out = c
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("create vswitch %s: %w", s.ID, err)
	}
	return out, nil
}

// GetVSwitch implements vpc.Store.
func (t *Tables) GetVSwitch(ctx context.Context, accountID, id string) (*vpc.VSwitch, error) {
	found, err := t.queryVSwitches(ctx, t.DB.Reader(), "s.id = ? AND s.account_id = ?", id, accountID)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, slbcert.ErrNotFound
	}
	return found[0], nil
}

// FindVSwitches implements vpc.Store.
func (t *Tables) FindVSwitches(ctx context.Context, f vpc.VSwitchFilter) ([]*vpc.VSwitch, int, error) {
	where := []string{"s.account_id = ?", "s.region_id = ?"}
	args := []any{f.AccountID, f.RegionID}
	if len(f.IDs) > 0 {
		in, ids := inList(f.IDs)
		where = append(where, "s.id IN "+in)
		args = append(args, ids...)
	}
	for _, c := range []struct{ column, value string }{
		{"s.vpc_id", f.VPCID}, {"s.zone_id", f.ZoneID}, {"s.name", f.Name},
		{"v.resource_group_id", f.ResourceGroupID}, {"v.route_table_id", f.RouteTableID},
	} {
		if c.value != "" {
			where = append(where, c.column+" = ?")
			args = append(args, c.value)
		}
	}
	all, err := t.queryVSwitches(ctx, t.DB.Reader(), strings.Join(where, " AND "), args...)
	if err != nil {
		return nil, 0, err
	}
	all = filterTagged(all, f.Tags, func(s *vpc.VSwitch) []slbcert.Tag { return s.Tags })
	page := pageOf(all, f.Offset, f.Limit)
	if page == nil {
		page = []*vpc.VSwitch{}
	}
	return page, len(all), nil
}

func (t *Tables) queryVSwitches(ctx context.Context, q querier, where string, args ...any) ([]*vpc.VSwitch, error) {
	rows, err := q.Query(ctx, "SELECT "+vswitchColumns+" FROM vswitches s JOIN vpcs v ON v.id = s.vpc_id WHERE "+where+" ORDER BY s.create_time_ms, s.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vpc.VSwitch
	for rows.Next() {
		var (
			s                 vpc.VSwitch
			cidr, attrs, tags string
			created           int64
		)
		if err := rows.Scan(&s.ID, &s.VPCID, &s.AccountID, &s.RegionID, &s.ZoneID, &s.Name, &cidr, &s.Status, &s.ClientToken,
			&created, &attrs, &tags, &s.ResourceGroupID, &s.RouteTableID); err != nil {
			return nil, err
		}
		if s.CidrBlock, err = netip.ParsePrefix(cidr); err != nil {
			return nil, fmt.Errorf("vswitch %s: cidr_block: %w", s.ID, err)
		}
		var a vswitchAttributes
		if err := fromJSONText("attributes", attrs, &a); err != nil {
			return nil, fmt.Errorf("vswitch %s: %w", s.ID, err)
		}
		if err := fromJSONText("tags", tags, &s.Tags); err != nil {
			return nil, fmt.Errorf("vswitch %s: %w", s.ID, err)
		}
		s.Description = a.Description
		s.CreateTime = fromMillis(created)
		s.Tags = orEmpty(s.Tags)
		out = append(out, &s)
	}
	return out, rows.Err()
}

// lockedVSwitch locks vSwitch id and reads it, or ErrNotFound.
func (t *Tables) lockedVSwitch(ctx context.Context, tx *Tx, accountID, id string) (*vpc.VSwitch, error) {
	if err := tx.Lock(ctx, vswitchLock(id)); err != nil {
		return nil, err
	}
	found, err := t.queryVSwitches(ctx, tx, "s.id = ? AND s.account_id = ?", id, accountID)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, slbcert.ErrNotFound
	}
	return found[0], nil
}

// UpdateVSwitch implements vpc.Store.
func (t *Tables) UpdateVSwitch(ctx context.Context, accountID, id string, fn func(*vpc.VSwitch) error) (*vpc.VSwitch, error) {
	var out *vpc.VSwitch
	err := t.DB.Write(ctx, func(tx *Tx) error {
		s, err := t.lockedVSwitch(ctx, tx, accountID, id)
		if err != nil {
			return err
		}
		if err := fn(s); err != nil {
			return err
		}
		attrs, err := jsonText(vswitchAttributes{Description: s.Description})
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE vswitches SET name = ?, attributes = ? WHERE id = ?", s.Name, attrs, id); err != nil {
			return err
		}
		out = s
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("update vswitch %s: %w", id, err)
	}
	return out, nil
}

// DeleteVSwitch implements vpc.Store. It takes the allocations' lock, so
// an allocation in flight either lands first (and the delete is refused)
// or finds the vSwitch gone.
func (t *Tables) DeleteVSwitch(ctx context.Context, accountID, id string) error {
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if err := tx.Lock(ctx, vpcAddressesLock); err != nil {
			return err
		}
		if _, err := t.lockedVSwitch(ctx, tx, accountID, id); err != nil {
			return err
		}
		if has, err := exists(ctx, tx, "SELECT 1 FROM vpc_addresses WHERE vswitch_id = ? LIMIT 1", id); err != nil || has {
			if has {
				return slbcert.ErrInUse
			}
			return err
		}
		_, err := tx.Exec(ctx, "DELETE FROM vswitches WHERE id = ?", id)
		if t.DB.IsForeignKeyViolation(err) {
			return slbcert.ErrInUse
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("delete vswitch %s: %w", id, err)
	}
	return nil
}

// UpdateVPCTags implements vpc.Store. Resources are locked in id order, so
// overlapping calls cannot deadlock.
func (t *Tables) UpdateVPCTags(ctx context.Context, accountID, regionID, kind string, ids []string, set []slbcert.Tag, remove []string, removeAll bool, max int) error {
	table, lock := "vpcs", vpcLock
	if kind == "vswitch" {
		table, lock = "vswitches", vswitchLock
	} else if kind != "vpc" {
		return fmt.Errorf("update tags: unknown kind %q", kind)
	}
	err := t.DB.Write(ctx, func(tx *Tx) error {
		for _, id := range sortedUnique(ids) {
			if err := tx.Lock(ctx, lock(id)); err != nil {
				return err
			}
			var tagsJS string
			err := tx.QueryRow(ctx, "SELECT tags FROM "+table+" WHERE id = ? AND account_id = ? AND region_id = ?", id, accountID, regionID).Scan(&tagsJS)
			if err != nil {
				if errors.Is(err, sql.ErrNoRows) {
					return slbcert.ErrNotFound
				}
				return err
			}
			var tags []slbcert.Tag
			if err := fromJSONText("tags", tagsJS, &tags); err != nil {
				return err
			}
			tags = slbcert.ApplyTags(tags, set, remove, removeAll)
			if len(tags) > max {
				return slbcert.ErrTagLimit
			}
			js, err := jsonText(orEmpty(tags))
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "UPDATE "+table+" SET tags = ? WHERE id = ?", js, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("update %s tags: %w", kind, err)
	}
	return nil
}

// imageNumber is an address's image as the vpc_addresses key.
func imageNumber(a netip.Addr) int64 {
	b := localnet.Served(a).As4()
	return int64(b[0])<<24 | int64(b[1])<<16 | int64(b[2])<<8 | int64(b[3])
}

func addrOfNumber(n int64) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
}

// AllocateAddress implements vpc.Store.
func (t *Tables) AllocateAddress(ctx context.Context, want vpc.Address, pick func(vs *vpc.VSwitch, taken []netip.Addr) (netip.Addr, error)) (*vpc.Address, error) {
	accountID, vswitchID := want.AccountID, want.VSwitchID
	var out *vpc.Address
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if err := tx.Lock(ctx, vpcAddressesLock); err != nil {
			return err
		}
		found, err := t.queryVSwitches(ctx, tx, "s.id = ? AND s.account_id = ?", vswitchID, accountID)
		if err != nil {
			return err
		}
		if len(found) == 0 {
			return slbcert.ErrNotFound
		}
		vs := found[0]
		taken, err := takenImages(ctx, tx, vpc.ImagePrefix(vs.CidrBlock))
		if err != nil {
			return err
		}
		a, err := pick(vs, taken)
		if err != nil {
			return err
		}
		if !a.Is4() {
			return fmt.Errorf("allocate address: %v is not an IPv4 address", a)
		}
		image := imageNumber(a)
		if taken, err := exists(ctx, tx, "SELECT 1 FROM vpc_addresses WHERE image = ?", image); err != nil || taken {
			if taken {
				return fmt.Errorf("address %s: its image is held: %w", a, slbcert.ErrAlreadyExists)
			}
			return err
		}
		addr := want
		addr.Address, addr.CreateTime = a, fromMillis(millis(want.CreateTime))
		if _, err := tx.Exec(ctx, "INSERT INTO vpc_addresses (image, address, vswitch_id, account_id, owner, create_time_ms) VALUES (?, ?, ?, ?, ?, ?)",
			image, a.String(), vswitchID, accountID, addr.Owner, millis(addr.CreateTime)); err != nil {
			if t.DB.IsUniqueViolation(err) {
				return fmt.Errorf("address %s: %w", a, slbcert.ErrAlreadyExists)
			}
			if t.DB.IsForeignKeyViolation(err) {
				return slbcert.ErrNotFound
			}
			return err
		}
		out = &addr
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("allocate an address in %s: %w", vswitchID, err)
	}
	return out, nil
}

// ReleaseAddresses implements vpc.Store.
func (t *Tables) ReleaseAddresses(ctx context.Context, accountID, owner string) error {
	err := t.DB.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, "DELETE FROM vpc_addresses WHERE account_id = ? AND owner = ?", accountID, owner)
		return err
	})
	if err != nil {
		return fmt.Errorf("release the addresses of %s: %w", owner, err)
	}
	return nil
}

// TakenImages implements vpc.Store.
func (t *Tables) TakenImages(ctx context.Context, images netip.Prefix) ([]netip.Addr, error) {
	return takenImages(ctx, t.DB.Reader(), images)
}

func takenImages(ctx context.Context, q querier, images netip.Prefix) ([]netip.Addr, error) {
	if !images.Addr().Is4() {
		return []netip.Addr{}, nil
	}
	lo := imageNumber(images.Masked().Addr())
	hi := lo | (int64(1)<<(32-images.Bits()) - 1)
	rows, err := q.Query(ctx, "SELECT image FROM vpc_addresses WHERE image >= ? AND image <= ? ORDER BY image", lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []netip.Addr{}
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, addrOfNumber(n))
	}
	return out, rows.Err()
}

// FindAddresses implements vpc.Store.
func (t *Tables) FindAddresses(ctx context.Context, f vpc.AddressFilter) ([]*vpc.Address, error) {
	where := []string{"account_id = ?"}
	args := []any{f.AccountID}
	if len(f.VSwitchIDs) > 0 {
		in, ids := inList(f.VSwitchIDs)
		where = append(where, "vswitch_id IN "+in)
		args = append(args, ids...)
	}
	if f.Owner != "" {
		where = append(where, "owner = ?")
		args = append(args, f.Owner)
	}
	rows, err := t.DB.Reader().Query(ctx, "SELECT address, account_id, vswitch_id, owner, create_time_ms FROM vpc_addresses WHERE "+strings.Join(where, " AND ")+" ORDER BY vswitch_id, image", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*vpc.Address{}
	for rows.Next() {
		var (
			a       vpc.Address
			text    string
			created int64
		)
		if err := rows.Scan(&text, &a.AccountID, &a.VSwitchID, &a.Owner, &created); err != nil {
			return nil, err
		}
		if a.Address, err = netip.ParseAddr(text); err != nil {
			return nil, fmt.Errorf("address %q: %w", text, err)
		}
		a.CreateTime = fromMillis(created)
		out = append(out, &a)
	}
	return out, rows.Err()
}

func copyVPC(v *vpc.VPC) *vpc.VPC {
	c := *v
	c.UserCidrs = append([]string{}, v.UserCidrs...)
	c.Tags = append([]slbcert.Tag{}, v.Tags...)
	return &c
}

func copyVSwitch(s *vpc.VSwitch) *vpc.VSwitch {
	c := *s
	c.Tags = append([]slbcert.Tag{}, s.Tags...)
	return &c
}
