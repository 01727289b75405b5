package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"slbcert"
	"slbcert/ecs"
	"slbcert/slb"
)

// ECS: ecs.Store over ecs_security_groups, ecs_instances and their link
// tables (each store's migration "ecs").

var _ ecs.Store = (*Tables)(nil)

// ecsLock is the key serialising one account's ECS writes across
// processes: quota counts, client tokens and the references between
// groups and instances are read under it.
func ecsLock(accountID string) string { return "ecs/" + accountID }

// groupAttributes are a security group's columns beyond the indexed ones.
type groupAttributes struct {
	Name              string `json:"name"`
	Description       string `json:"description"`
	Type              string `json:"type"`
	VpcID             string `json:"vpcId"`
	ResourceGroupID   string `json:"resourceGroupId"`
	InnerAccessPolicy string `json:"innerAccessPolicy"`
}

// permissionJSON is one stored rule.
type permissionJSON struct {
	ID                      string `json:"id"`
	Direction               string `json:"direction"`
	IPProtocol              string `json:"ipProtocol"`
	PortRange               string `json:"portRange"`
	SourcePortRange         string `json:"sourcePortRange,omitempty"`
	Policy                  string `json:"policy"`
	Priority                int    `json:"priority"`
	NicType                 string `json:"nicType"`
	SourceCidrIP            string `json:"sourceCidrIp,omitempty"`
	DestCidrIP              string `json:"destCidrIp,omitempty"`
	IPv6SourceCidrIP        string `json:"ipv6SourceCidrIp,omitempty"`
	IPv6DestCidrIP          string `json:"ipv6DestCidrIp,omitempty"`
	SourceGroupID           string `json:"sourceGroupId,omitempty"`
	DestGroupID             string `json:"destGroupId,omitempty"`
	SourceGroupOwnerAccount string `json:"sourceGroupOwnerAccount,omitempty"`
	DestGroupOwnerAccount   string `json:"destGroupOwnerAccount,omitempty"`
	SourcePrefixListID      string `json:"sourcePrefixListId,omitempty"`
	DestPrefixListID        string `json:"destPrefixListId,omitempty"`
	Description             string `json:"description"`
	CreateTimeMS            int64  `json:"createTimeMs"`
}

func permissionsJSON(list []ecs.Permission) []permissionJSON {
	out := make([]permissionJSON, len(list))
	for i, r := range list {
		out[i] = permissionJSON{r.ID, r.Direction, r.IPProtocol, r.PortRange, r.SourcePortRange, r.Policy, r.Priority, r.NicType,
			r.SourceCidrIP, r.DestCidrIP, r.IPv6SourceCidrIP, r.IPv6DestCidrIP, r.SourceGroupID, r.DestGroupID,
			r.SourceGroupOwnerAccount, r.DestGroupOwnerAccount, r.SourcePrefixListID, r.DestPrefixListID,
			r.Description, millis(r.CreateTime)}
	}
	return out
}

func permissionsOf(list []permissionJSON) []ecs.Permission {
	out := make([]ecs.Permission, len(list))
	for i, r := range list {
		out[i] = ecs.Permission{ID: r.ID, Direction: r.Direction, IPProtocol: r.IPProtocol, PortRange: r.PortRange,
			SourcePortRange: r.SourcePortRange, Policy: r.Policy, Priority: r.Priority, NicType: r.NicType,
			SourceCidrIP: r.SourceCidrIP, DestCidrIP: r.DestCidrIP, IPv6SourceCidrIP: r.IPv6SourceCidrIP, IPv6DestCidrIP: r.IPv6DestCidrIP,
			SourceGroupID: r.SourceGroupID, DestGroupID: r.DestGroupID,
			SourceGroupOwnerAccount: r.SourceGroupOwnerAccount, DestGroupOwnerAccount: r.DestGroupOwnerAccount,
			SourcePrefixListID: r.SourcePrefixListID, DestPrefixListID: r.DestPrefixListID,
			Description: r.Description, CreateTime: fromMillis(r.CreateTimeMS)}
	}
	return out
}

const groupColumns = "id, account_id, region_id, client_token, create_time_ms, attributes, permissions, tags"

func groupArgs(g *ecs.SecurityGroup) ([]any, error) {
	attrs, err := jsonText(groupAttributes{g.Name, g.Description, g.Type, g.VpcID, g.ResourceGroupID, g.InnerAccessPolicy})
	if err != nil {
		return nil, err
	}
	perms, err := jsonText(permissionsJSON(g.Permissions))
	if err != nil {
		return nil, err
	}
	tags, err := jsonText(orEmpty(g.Tags))
	if err != nil {
		return nil, err
	}
	return []any{g.ID, g.AccountID, g.RegionID, g.ClientToken, millis(g.CreationTime), attrs, perms, tags}, nil
}

func scanGroups(rows *sql.Rows) ([]*ecs.SecurityGroup, error) {
	defer rows.Close()
	var out []*ecs.SecurityGroup
	for rows.Next() {
		var (
			g                  ecs.SecurityGroup
			created            int64
			attrs, perms, tags string
			a                  groupAttributes
			rules              []permissionJSON
		)
		if err := rows.Scan(&g.ID, &g.AccountID, &g.RegionID, &g.ClientToken, &created, &attrs, &perms, &tags); err != nil {
			return nil, err
		}
		if err := fromJSONText("attributes", attrs, &a); err != nil {
			return nil, fmt.Errorf("security group %s: %w", g.ID, err)
		}
		if err := fromJSONText("permissions", perms, &rules); err != nil {
			return nil, fmt.Errorf("security group %s: %w", g.ID, err)
		}
		if err := fromJSONText("tags", tags, &g.Tags); err != nil {
			return nil, fmt.Errorf("security group %s: %w", g.ID, err)
		}
		g.Name, g.Description, g.Type, g.VpcID, g.ResourceGroupID, g.InnerAccessPolicy = a.Name, a.Description, a.Type, a.VpcID, a.ResourceGroupID, a.InnerAccessPolicy
		g.CreationTime, g.Permissions, g.Tags = fromMillis(created), permissionsOf(rules), orEmpty(g.Tags)
		out = append(out, &g)
	}
	return out, rows.Err()
}

// CreateSecurityGroup implements ecs.Store.
func (t *Tables) CreateSecurityGroup(ctx context.Context, g *ecs.SecurityGroup, limit int) error {
	args, err := groupArgs(g)
	if err != nil {
		return err
	}
	err = t.DB.Write(ctx, func(tx *Tx) error {
		if err := tx.Lock(ctx, ecsLock(g.AccountID)); err != nil {
			return err
		}
		if g.ClientToken != "" {
			taken, err := exists(ctx, tx, "SELECT 1 FROM ecs_security_groups WHERE account_id = ? AND client_token = ?", g.AccountID, g.ClientToken)
			if err != nil {
				return err
			}
			if taken {
				return slbcert.ErrAlreadyExists
			}
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM ecs_security_groups WHERE account_id = ? AND region_id = ?", g.AccountID, g.RegionID).Scan(&n); err != nil {
			return err
		}
		if n >= limit {
			return slbcert.ErrQuotaExceeded
		}
		if _, err := tx.Exec(ctx, "INSERT INTO ecs_security_groups ("+groupColumns+") VALUES ("+Placeholders(len(args))+")", args...); err != nil {
			return err
		}
		return t.writeReferences(ctx, tx, g)
	})
	if err != nil {
		return fmt.Errorf("create security group %s: %w", g.ID, err)
	}
	return nil
}

// FindSecurityGroups implements ecs.Store.
func (t *Tables) FindSecurityGroups(ctx context.Context, f ecs.SecurityGroupFilter) ([]*ecs.SecurityGroup, error) {
	where, args := ownerWhere(f.AccountID, f.RegionID, f.ClientToken)
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			return nil, nil
		}
		in, ids := inList(f.IDs)
		where += " AND id IN " + in
		args = append(args, ids...)
	}
	return t.queryGroups(ctx, t.DB.Reader(), where, args...)
}

func (t *Tables) queryGroups(ctx context.Context, q querier, where string, args ...any) ([]*ecs.SecurityGroup, error) {
	rows, err := q.Query(ctx, "SELECT "+groupColumns+" FROM ecs_security_groups WHERE "+where+" ORDER BY create_time_ms, id", args...)
	if err != nil {
		return nil, err
	}
	return scanGroups(rows)
}

// ownerWhere is the condition of an account's rows, in a region and with a
// client token when given.
func ownerWhere(accountID, regionID, token string) (string, []any) {
	where, args := "account_id = ?", []any{accountID}
	if regionID != "" {
		where += " AND region_id = ?"
		args = append(args, regionID)
	}
	if token != "" {
		where += " AND client_token = ?"
		args = append(args, token)
	}
	return where, args
}

// lockedGroup reads the account's group id under the account's lock.
func (t *Tables) lockedGroup(ctx context.Context, tx *Tx, accountID, id string) (*ecs.SecurityGroup, error) {
	if err := tx.Lock(ctx, ecsLock(accountID)); err != nil {
		return nil, err
	}
	list, err := t.queryGroups(ctx, tx, "account_id = ? AND id = ?", accountID, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, slbcert.ErrNotFound
	}
	return list[0], nil
}

// UpdateSecurityGroup implements ecs.Store.
func (t *Tables) UpdateSecurityGroup(ctx context.Context, accountID, id string, fn func(*ecs.SecurityGroup) error) (*ecs.SecurityGroup, error) {
	var out *ecs.SecurityGroup
	err := t.DB.Write(ctx, func(tx *Tx) error {
		g, err := t.lockedGroup(ctx, tx, accountID, id)
		if err != nil {
			return err
		}
		if err := fn(g); err != nil {
			return err
		}
		g.ID, g.AccountID = id, accountID // not fn's to change
		args, err := groupArgs(g)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE ecs_security_groups SET attributes = ?, permissions = ?, tags = ? WHERE id = ?", args[5], args[6], args[7], id); err != nil {
			return err
		}
		if err := t.writeReferences(ctx, tx, g); err != nil {
			return err
		}
		out = g
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("update security group %s: %w", id, err)
	}
	return out, nil
}

// writeReferences replaces the group's rows in ecs_security_group_references
// with the groups its rules name, each of which must be the account's in
// the group's region (else ErrInvalidReference).
func (t *Tables) writeReferences(ctx context.Context, tx *Tx, g *ecs.SecurityGroup) error {
	var refs []string
	for _, r := range g.Permissions {
		for _, id := range []string{r.SourceGroupID, r.DestGroupID} {
			if id != "" && !slices.Contains(refs, id) {
				refs = append(refs, id)
			}
		}
	}
	if err := t.checkGroups(ctx, tx, g.AccountID, g.RegionID, refs); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "DELETE FROM ecs_security_group_references WHERE security_group_id = ?", g.ID); err != nil {
		return err
	}
	for _, ref := range refs {
		if _, err := tx.Exec(ctx, "INSERT INTO ecs_security_group_references (security_group_id, referenced_group_id) VALUES (?, ?)", g.ID, ref); err != nil {
			return err
		}
	}
	return nil
}

// checkGroups returns ErrInvalidReference unless every id is a group of the
// account in the region.
func (t *Tables) checkGroups(ctx context.Context, tx *Tx, accountID, regionID string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	in, args := inList(ids)
	var n int
	if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM ecs_security_groups WHERE account_id = ? AND region_id = ? AND id IN "+in,
		append([]any{accountID, regionID}, args...)...).Scan(&n); err != nil {
		return err
	}
	if n != len(ids) {
		return slbcert.ErrInvalidReference
	}
	return nil
}

// DeleteSecurityGroup implements ecs.Store. The link tables' RESTRICT
// references refuse it too; they are checked first to say why.
func (t *Tables) DeleteSecurityGroup(ctx context.Context, accountID, id string) error {
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if _, err := t.lockedGroup(ctx, tx, accountID, id); err != nil {
			return err
		}
		used, err := exists(ctx, tx, "SELECT 1 FROM ecs_instance_security_groups WHERE security_group_id = ?", id)
		if err != nil {
			return err
		}
		if used {
			return ecs.ErrGroupHasInstances
		}
		named, err := exists(ctx, tx, "SELECT 1 FROM ecs_security_group_references WHERE referenced_group_id = ? AND security_group_id <> ?", id, id)
		if err != nil {
			return err
		}
		if named {
			return ecs.ErrGroupReferenced
		}
		if _, err := tx.Exec(ctx, "DELETE FROM ecs_security_group_references WHERE security_group_id = ?", id); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "DELETE FROM ecs_security_groups WHERE id = ?", id)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete security group %s: %w", id, err)
	}
	return nil
}

// instanceAttributes are an instance's columns beyond the indexed ones.
// Settings is stored with ecs.InstanceSettings's field names as keys:
// renaming one of those fields is a schema change.
type instanceAttributes struct {
	ZoneID             string               `json:"zoneId"`
	Name               string               `json:"name"`
	Description        string               `json:"description"`
	HostName           string               `json:"hostName"`
	InstanceType       string               `json:"instanceType"`
	Status             string               `json:"status"`
	VpcID              string               `json:"vpcId"`
	VSwitchID          string               `json:"vswitchId"`
	SecurityGroupIDs   []string             `json:"securityGroupIds"`
	InstanceChargeType string               `json:"instanceChargeType"`
	UserData           string               `json:"userData"`
	DeletionProtection bool                 `json:"deletionProtection"`
	ResourceGroupID    string               `json:"resourceGroupId"`
	StoppedMode        string               `json:"stoppedMode"`
	StartTimeMS        int64                `json:"startTimeMs"`
	MacAddress         string               `json:"macAddress"`
	Disk               diskAttributes       `json:"systemDisk"`
	Settings           ecs.InstanceSettings `json:"settings"`
}

type diskAttributes struct {
	Category         string `json:"category"`
	SizeGiB          int    `json:"sizeGiB"`
	Name             string `json:"name"`
	Description      string `json:"description"`
	PerformanceLevel string `json:"performanceLevel"`
}

const instanceColumns = "id, account_id, region_id, eni_id, disk_id, private_ip, image_id, client_token, create_time_ms, attributes, tags, eni_tags, disk_tags"

func instanceArgs(i *ecs.Instance) ([]any, error) {
	start := int64(0)
	if !i.StartTime.IsZero() {
		start = millis(i.StartTime)
	}
	d := i.SystemDisk
	attrs, err := jsonText(instanceAttributes{
		ZoneID: i.ZoneID, Name: i.Name, Description: i.Description, HostName: i.HostName,
		InstanceType: i.InstanceType, Status: i.Status, VpcID: i.VpcID, VSwitchID: i.VSwitchID,
		SecurityGroupIDs: orEmpty(i.SecurityGroupIDs), InstanceChargeType: i.InstanceChargeType, UserData: i.UserData,
		DeletionProtection: i.DeletionProtection, ResourceGroupID: i.ResourceGroupID, StoppedMode: i.StoppedMode,
		StartTimeMS: start, MacAddress: i.ENI.MacAddress,
		Disk:     diskAttributes{d.Category, d.SizeGiB, d.Name, d.Description, d.PerformanceLevel},
		Settings: i.Settings,
	})
	if err != nil {
		return nil, err
	}
	var tags [3]string
	for k, list := range [][]slbcert.Tag{i.Tags, i.ENI.Tags, i.SystemDisk.Tags} {
		if tags[k], err = jsonText(orEmpty(list)); err != nil {
			return nil, err
		}
	}
	return []any{i.ID, i.AccountID, i.RegionID, i.ENI.ID, i.SystemDisk.ID, i.PrivateIP.String(), i.ImageID, i.ClientToken,
		millis(i.CreationTime), attrs, tags[0], tags[1], tags[2]}, nil
}

func scanInstances(rows *sql.Rows) ([]*ecs.Instance, error) {
	defer rows.Close()
	var out []*ecs.Instance
	for rows.Next() {
		var (
			i                       ecs.Instance
			ip, image, attrs        string
			tags, eniTags, diskTags string
			created                 int64
			a                       instanceAttributes
		)
		if err := rows.Scan(&i.ID, &i.AccountID, &i.RegionID, &i.ENI.ID, &i.SystemDisk.ID, &ip, &image, &i.ClientToken,
			&created, &attrs, &tags, &eniTags, &diskTags); err != nil {
			return nil, err
		}
		if err := fromJSONText("attributes", attrs, &a); err != nil {
			return nil, fmt.Errorf("instance %s: %w", i.ID, err)
		}
		for _, c := range []struct {
			name, text string
			into       *[]slbcert.Tag
		}{{"tags", tags, &i.Tags}, {"eni_tags", eniTags, &i.ENI.Tags}, {"disk_tags", diskTags, &i.SystemDisk.Tags}} {
			if err := fromJSONText(c.name, c.text, c.into); err != nil {
				return nil, fmt.Errorf("instance %s: %w", i.ID, err)
			}
			*c.into = orEmpty(*c.into)
		}
		addr, err := netip.ParseAddr(ip)
		if err != nil {
			return nil, fmt.Errorf("instance %s: private_ip: %w", i.ID, err)
		}
		i.PrivateIP, i.CreationTime = addr, fromMillis(created)
		i.ZoneID, i.Name, i.Description, i.HostName = a.ZoneID, a.Name, a.Description, a.HostName
		i.InstanceType, i.ImageID, i.Status, i.VpcID, i.VSwitchID = a.InstanceType, image, a.Status, a.VpcID, a.VSwitchID
		i.SecurityGroupIDs, i.InstanceChargeType, i.UserData = orEmpty(a.SecurityGroupIDs), a.InstanceChargeType, a.UserData
		i.DeletionProtection, i.ResourceGroupID, i.StoppedMode = a.DeletionProtection, a.ResourceGroupID, a.StoppedMode
		if a.StartTimeMS != 0 {
			i.StartTime = fromMillis(a.StartTimeMS)
		}
		i.ENI.MacAddress = a.MacAddress
		d := a.Disk
		i.SystemDisk.Category, i.SystemDisk.SizeGiB, i.SystemDisk.Name = d.Category, d.SizeGiB, d.Name
		i.SystemDisk.Description, i.SystemDisk.PerformanceLevel = d.Description, d.PerformanceLevel
		i.Settings = a.Settings
		out = append(out, &i)
	}
	return out, rows.Err()
}

// CreateInstances implements ecs.Store. It announces the change on
// slb.LoadBalancerNotifyChannel, which other processes' data planes hear
// (PostgreSQL LISTEN): a backend naming an instance is served at the
// instance's address. (This process's data plane is synced by the service:
// ecs.Service.AddressesChanged.)
func (t *Tables) CreateInstances(ctx context.Context, list []*ecs.Instance, limit int) error {
	if len(list) == 0 {
		return nil
	}
	first := list[0]
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if err := tx.Lock(ctx, ecsLock(first.AccountID)); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM ecs_instances WHERE account_id = ? AND region_id = ?", first.AccountID, first.RegionID).Scan(&n); err != nil {
			return err
		}
		if n+len(list) > limit {
			return slbcert.ErrQuotaExceeded
		}
		for _, i := range list {
			if i.AccountID != first.AccountID || i.RegionID != first.RegionID {
				return fmt.Errorf("instances of one call must share an account and a region")
			}
			if i.ClientToken != "" {
				taken, err := exists(ctx, tx, "SELECT 1 FROM ecs_instances WHERE account_id = ? AND client_token = ?", i.AccountID, i.ClientToken)
				if err != nil {
					return err
				}
				if taken {
					return slbcert.ErrAlreadyExists
				}
			}
			if err := t.checkGroups(ctx, tx, i.AccountID, i.RegionID, i.SecurityGroupIDs); err != nil {
				return err
			}
			args, err := instanceArgs(i)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "INSERT INTO ecs_instances ("+instanceColumns+") VALUES ("+Placeholders(len(args))+")", args...); err != nil {
				return err
			}
			if err := writeMembership(ctx, tx, i); err != nil {
				return err
			}
		}
		return tx.Notify(ctx, slb.LoadBalancerNotifyChannel)
	})
	if err != nil {
		return fmt.Errorf("create instances: %w", err)
	}
	return nil
}

// writeMembership replaces the instance's rows in ecs_instance_security_groups.
func writeMembership(ctx context.Context, tx *Tx, i *ecs.Instance) error {
	if _, err := tx.Exec(ctx, "DELETE FROM ecs_instance_security_groups WHERE instance_id = ?", i.ID); err != nil {
		return err
	}
	for n, g := range i.SecurityGroupIDs {
		if _, err := tx.Exec(ctx, "INSERT INTO ecs_instance_security_groups (instance_id, security_group_id, position) VALUES (?, ?, ?)", i.ID, g, n); err != nil {
			return err
		}
	}
	return nil
}

// FindInstances implements ecs.Store.
func (t *Tables) FindInstances(ctx context.Context, f ecs.InstanceFilter) ([]*ecs.Instance, error) {
	where, args := ownerWhere(f.AccountID, f.RegionID, "")
	for _, c := range []struct {
		column string
		ids    []string
	}{{"id", f.IDs}, {"disk_id", f.DiskIDs}, {"eni_id", f.ENIIDs}, {"client_token", f.ClientTokens}} {
		if c.ids == nil {
			continue
		}
		if len(c.ids) == 0 {
			return nil, nil
		}
		in, ids := inList(c.ids)
		where += " AND " + c.column + " IN " + in
		args = append(args, ids...)
	}
	return t.queryInstances(ctx, t.DB.Reader(), where, args...)
}

func (t *Tables) queryInstances(ctx context.Context, q querier, where string, args ...any) ([]*ecs.Instance, error) {
	rows, err := q.Query(ctx, "SELECT "+instanceColumns+" FROM ecs_instances WHERE "+where+" ORDER BY create_time_ms, id", args...)
	if err != nil {
		return nil, err
	}
	return scanInstances(rows)
}

// lockedInstance reads the account's instance where column = id under the
// account's lock.
func (t *Tables) lockedInstance(ctx context.Context, tx *Tx, accountID, column, id string) (*ecs.Instance, error) {
	if err := tx.Lock(ctx, ecsLock(accountID)); err != nil {
		return nil, err
	}
	list, err := t.queryInstances(ctx, tx, "account_id = ? AND "+column+" = ?", accountID, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, slbcert.ErrNotFound
	}
	return list[0], nil
}

// UpdateInstance implements ecs.Store.
func (t *Tables) UpdateInstance(ctx context.Context, accountID, id string, fn func(*ecs.Instance) error) (*ecs.Instance, error) {
	var out *ecs.Instance
	err := t.DB.Write(ctx, func(tx *Tx) error {
		i, err := t.lockedInstance(ctx, tx, accountID, "id", id)
		if err != nil {
			return err
		}
		before := *i
		if err := fn(i); err != nil {
			return err
		}
		// The identity, the interface, the disk and the address are the
		// record's, not fn's to change.
		i.ID, i.AccountID, i.RegionID, i.PrivateIP = before.ID, before.AccountID, before.RegionID, before.PrivateIP
		i.ENI.ID, i.SystemDisk.ID, i.ClientToken, i.CreationTime = before.ENI.ID, before.SystemDisk.ID, before.ClientToken, before.CreationTime
		if err := t.checkGroups(ctx, tx, accountID, i.RegionID, i.SecurityGroupIDs); err != nil {
			return err
		}
		args, err := instanceArgs(i)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE ecs_instances SET image_id = ?, attributes = ?, tags = ?, eni_tags = ?, disk_tags = ? WHERE id = ?", args[6], args[9], args[10], args[11], args[12], id); err != nil {
			return err
		}
		if !slices.Equal(before.SecurityGroupIDs, i.SecurityGroupIDs) {
			if err := writeMembership(ctx, tx, i); err != nil {
				return err
			}
		}
		out = i
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("update instance %s: %w", id, err)
	}
	return out, nil
}

// DeleteInstance implements ecs.Store; the schema's ON DELETE CASCADE takes
// the instance's group memberships with it. It announces the change as
// CreateInstances does.
func (t *Tables) DeleteInstance(ctx context.Context, accountID, id string) error {
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if _, err := t.lockedInstance(ctx, tx, accountID, "id", id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM ecs_instances WHERE id = ?", id); err != nil {
			return err
		}
		return tx.Notify(ctx, slb.LoadBalancerNotifyChannel)
	})
	if err != nil {
		return fmt.Errorf("delete instance %s: %w", id, err)
	}
	return nil
}

// GroupMembers implements ecs.Store.
func (t *Tables) GroupMembers(ctx context.Context, accountID, regionID string, groupIDs []string) (map[string]int, error) {
	out := map[string]int{}
	if len(groupIDs) == 0 {
		return out, nil
	}
	in, args := inList(groupIDs)
	rows, err := t.DB.Reader().Query(ctx, `SELECT m.security_group_id, COUNT(*) FROM ecs_instance_security_groups m
		JOIN ecs_instances i ON i.id = m.instance_id
		WHERE i.account_id = ? AND i.region_id = ? AND m.security_group_id IN `+in+` GROUP BY m.security_group_id`,
		append([]any{accountID, regionID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// ImagesInUse implements ecs.Store.
func (t *Tables) ImagesInUse(ctx context.Context, accountID, regionID string) ([]string, error) {
	rows, err := t.DB.Reader().Query(ctx, "SELECT DISTINCT image_id FROM ecs_instances WHERE account_id = ? AND region_id = ? ORDER BY image_id", accountID, regionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// tagColumns are where each kind of resource keeps its tags: the table,
// the id column, the tags column.
var tagColumns = map[string][3]string{
	ecs.ResourceSecurityGroup: {"ecs_security_groups", "id", "tags"},
	ecs.ResourceInstance:      {"ecs_instances", "id", "tags"},
	ecs.ResourceENI:           {"ecs_instances", "eni_id", "eni_tags"},
	ecs.ResourceDisk:          {"ecs_instances", "disk_id", "disk_tags"},
}

// UpdateECSTags implements ecs.Store. Resources are written in id order.
func (t *Tables) UpdateECSTags(ctx context.Context, accountID, regionID, kind string, ids []string, fn func(id string, tags []slbcert.Tag) ([]slbcert.Tag, error)) error {
	cols, ok := tagColumns[kind]
	if !ok {
		return fmt.Errorf("update tags: no resource kind %q", kind)
	}
	table, idColumn, tagColumn := cols[0], cols[1], cols[2]
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if err := tx.Lock(ctx, ecsLock(accountID)); err != nil {
			return err
		}
		for _, id := range sortedUnique(ids) {
			var text string
			err := tx.QueryRow(ctx, "SELECT "+tagColumn+" FROM "+table+" WHERE account_id = ? AND region_id = ? AND "+idColumn+" = ?",
				accountID, regionID, id).Scan(&text)
			if err == sql.ErrNoRows {
				return slbcert.ErrNotFound
			}
			if err != nil {
				return err
			}
			var tags []slbcert.Tag
			if err := fromJSONText(tagColumn, text, &tags); err != nil {
				return err
			}
			tags, err = fn(id, orEmpty(tags))
			if err != nil {
				return err
			}
			js, err := jsonText(orEmpty(tags))
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "UPDATE "+table+" SET "+tagColumn+" = ? WHERE "+idColumn+" = ?", js, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("update %s tags: %w", strings.ToLower(kind), err)
	}
	return nil
}
