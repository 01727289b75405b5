package storetest

import (
	"context"
	"errors"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"slbcert"
	"slbcert/ecs"
)

// RunECS runs ECS's conformance suite (ecs.Store) against the stores open
// makes, each fresh and empty, cleaned up by open.
//
// Besides the doc comments of ecs/store.go, it pins down:
//
//   - Every field comes back as written: times in UTC at the millisecond,
//     lists (tags, rules, groups) non-nil and in the order given,
//     addresses equal.
//   - An account never sees, changes, counts or names another's records;
//     a region filter excludes other regions; an empty (non-nil) id list
//     matches nothing.
//   - fn's error comes back as it is (errors.As finds an *slbcert.Error),
//     and nothing is written.
//   - Update cannot change a record's identity (id, account, region, the
//     interface and disk ids, the address, the token, the creation time).
//   - Stores keep no reference to the values passed in or handed out.
func RunECS(t *testing.T, open func(t *testing.T) ecs.Store) {
	t.Helper()
	groups := []struct {
		name string
		run  func(*testing.T, func(t *testing.T) ecs.Store)
	}{
		{"SecurityGroups", testECSGroups},
		{"Rules", testECSRules},
		{"Instances", testECSInstances},
		{"InUse", testECSInUse},
		{"Tags", testECSTags},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) { g.run(t, open) })
	}
}

var ecsTime = time.Date(2026, 3, 1, 2, 15, 21, 123_000_000, time.UTC)

func ecsGroup(id, accountID, regionID string, n int) *ecs.SecurityGroup {
	return &ecs.SecurityGroup{
		ID: id, AccountID: accountID, RegionID: regionID, Name: "group-" + id, Description: "the group " + id,
		Type: ecs.GroupTypeNormal, VpcID: "vpc-1", ResourceGroupID: "rg-acfm", InnerAccessPolicy: "Accept",
		CreationTime: ecsTime.Add(time.Duration(n) * time.Second), Tags: []slbcert.Tag{{Key: "k", Value: id}, {Key: "a", Value: ""}},
		Permissions: []ecs.Permission{},
	}
}

func ecsInstance(id, accountID, regionID string, n int, groups ...string) *ecs.Instance {
	return &ecs.Instance{
		ID: id, AccountID: accountID, RegionID: regionID, ZoneID: regionID + "-b",
		Name: "web-" + id, Description: "instance " + id, HostName: "iZ" + id + "Z",
		InstanceType: "ecs.g6.large", ImageID: "aliyun_3_x64_20G_alibase_20240528.vhd", Status: ecs.StatusRunning,
		VpcID: "vpc-1", VSwitchID: "vsw-1", PrivateIP: netip.AddrFrom4([4]byte{192, 168, 0, byte(10 + n)}),
		SecurityGroupIDs: groups, InstanceChargeType: "PostPaid", UserData: "ZWNobyBoaQ==", DeletionProtection: n%2 == 1,
		ResourceGroupID: "rg-acfm", StoppedMode: ecs.StoppedModeNotApplicable,
		CreationTime: ecsTime.Add(time.Duration(n) * time.Second), StartTime: ecsTime.Add(time.Duration(n)*time.Second + time.Minute),
		Tags:       []slbcert.Tag{{Key: "app", Value: id}},
		ENI:        ecs.NetworkInterface{ID: "eni-" + id, MacAddress: "00:16:3e:00:00:0" + string(rune('0'+n%10)), Tags: []slbcert.Tag{{Key: "eni", Value: id}}},
		SystemDisk: ecs.Disk{ID: "d-" + id, Category: "cloud_essd", SizeGiB: 40 + n, Name: "sys", Description: "system disk", PerformanceLevel: "PL1", Tags: []slbcert.Tag{}},
		Settings: ecs.InstanceSettings{InstanceTypeFamily: "ecs.g6", CPU: 2, MemoryMiB: 8192, OSName: "Alibaba Cloud Linux", OSType: "linux",
			InternetChargeType: "PayByTraffic", InternetMaxBandwidthIn: 10, SpotStrategy: "NoSpot", SpotPriceLimit: 0.5,
			HTTPEndpoint: "enabled", HTTPTokens: "optional", HTTPPutResponseHopLimit: 1, RAMRoleName: "role", EnableJumboFrame: true},
	}
}

func ecsRule(id, direction string, n int) ecs.Permission {
	return ecs.Permission{ID: id, Direction: direction, IPProtocol: "TCP", PortRange: "22/22", Policy: "Accept", Priority: n,
		NicType: "intranet", SourceCidrIP: "10.0.0.0/8", Description: "ssh", CreateTime: ecsTime}
}

func mustECS(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func findGroup(t *testing.T, s ecs.Store, accountID, id string) *ecs.SecurityGroup {
	t.Helper()
	list, err := s.FindSecurityGroups(context.Background(), ecs.SecurityGroupFilter{AccountID: accountID, IDs: []string{id}})
	mustECS(t, err)
	if len(list) != 1 {
		t.Fatalf("group %s of %s: %d found", id, accountID, len(list))
	}
	return list[0]
}

func findInstance(t *testing.T, s ecs.Store, accountID, id string) *ecs.Instance {
	t.Helper()
	list, err := s.FindInstances(context.Background(), ecs.InstanceFilter{AccountID: accountID, IDs: []string{id}})
	mustECS(t, err)
	if len(list) != 1 {
		t.Fatalf("instance %s of %s: %d found", id, accountID, len(list))
	}
	return list[0]
}

func groupIDs(list []*ecs.SecurityGroup) []string {
	out := []string{}
	for _, g := range list {
		out = append(out, g.ID)
	}
	return out
}

func instanceIDs(list []*ecs.Instance) []string {
	out := []string{}
	for _, i := range list {
		out = append(out, i.ID)
	}
	return out
}

func testECSGroups(t *testing.T, open func(t *testing.T) ecs.Store) {
	ctx := context.Background()
	s := open(t)
	g1 := ecsGroup("sg-1", account, region, 1)
	g1.ClientToken = "token-1"
	mustECS(t, s.CreateSecurityGroup(ctx, g1, 3))
	mustECS(t, s.CreateSecurityGroup(ctx, ecsGroup("sg-2", account, region, 2), 3))
	mustECS(t, s.CreateSecurityGroup(ctx, ecsGroup("sg-3", account, "cn-beijing", 3), 3))
	mustECS(t, s.CreateSecurityGroup(ctx, ecsGroup("sg-4", otherAccount, region, 0), 3))

	want := ecsGroup("sg-1", account, region, 1)
	want.ClientToken = "token-1"
	if got := findGroup(t, s, account, "sg-1"); !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
	g1.Name, g1.Tags[0].Value = "changed", "changed" // the store kept no reference
	if got := findGroup(t, s, account, "sg-1"); got.Name != want.Name || got.Tags[0].Value != "sg-1" {
		t.Errorf("the store kept the caller's value: %+v", got)
	}

	all, err := s.FindSecurityGroups(ctx, ecs.SecurityGroupFilter{AccountID: account})
	mustECS(t, err)
	if ids := groupIDs(all); !reflect.DeepEqual(ids, []string{"sg-1", "sg-2", "sg-3"}) {
		t.Errorf("the account's groups: %v (oldest first, no other account's)", ids)
	}
	inRegion, err := s.FindSecurityGroups(ctx, ecs.SecurityGroupFilter{AccountID: account, RegionID: region})
	mustECS(t, err)
	if ids := groupIDs(inRegion); !reflect.DeepEqual(ids, []string{"sg-1", "sg-2"}) {
		t.Errorf("region filter: %v", ids)
	}
	none, err := s.FindSecurityGroups(ctx, ecs.SecurityGroupFilter{AccountID: account, IDs: []string{}})
	mustECS(t, err)
	if len(none) != 0 {
		t.Errorf("an empty id list matched %v", groupIDs(none))
	}
	foreign, err := s.FindSecurityGroups(ctx, ecs.SecurityGroupFilter{AccountID: account, IDs: []string{"sg-4"}})
	mustECS(t, err)
	if len(foreign) != 0 {
		t.Errorf("another account's group was found")
	}
	byToken, err := s.FindSecurityGroups(ctx, ecs.SecurityGroupFilter{AccountID: account, ClientToken: "token-1"})
	mustECS(t, err)
	if ids := groupIDs(byToken); !reflect.DeepEqual(ids, []string{"sg-1"}) {
		t.Errorf("client token filter: %v", ids)
	}

	again := ecsGroup("sg-5", account, region, 5)
	again.ClientToken = "token-1"
	if err := s.CreateSecurityGroup(ctx, again, 10); !errors.Is(err, slbcert.ErrAlreadyExists) {
		t.Errorf("a taken client token: %v, want ErrAlreadyExists", err)
	}
	if err := s.CreateSecurityGroup(ctx, ecsGroup("sg-6", account, region, 6), 2); !errors.Is(err, slbcert.ErrQuotaExceeded) {
		t.Errorf("a third group in the region with limit 2: %v, want ErrQuotaExceeded", err)
	}
	mustECS(t, s.CreateSecurityGroup(ctx, ecsGroup("sg-7", otherAccount, region, 7), 2)) // other accounts do not count

	got, err := s.UpdateSecurityGroup(ctx, account, "sg-2", func(g *ecs.SecurityGroup) error {
		g.Name, g.InnerAccessPolicy, g.ResourceGroupID = "renamed", "Drop", "rg-other"
		g.ID, g.AccountID = "sg-hijack", otherAccount
		return nil
	})
	mustECS(t, err)
	if got.Name != "renamed" || got.ID != "sg-2" {
		t.Errorf("update answered %+v", got)
	}
	if g := findGroup(t, s, account, "sg-2"); g.Name != "renamed" || g.InnerAccessPolicy != "Drop" || g.ResourceGroupID != "rg-other" {
		t.Errorf("after update: %+v", g)
	}
	refusal := slbcert.Errorf("Refused", "no")
	_, err = s.UpdateSecurityGroup(ctx, account, "sg-2", func(g *ecs.SecurityGroup) error { g.Name = "lost"; return refusal })
	var e *slbcert.Error
	if !errors.As(err, &e) || e.Code != "Refused" {
		t.Errorf("fn's error came back as %v", err)
	}
	if g := findGroup(t, s, account, "sg-2"); g.Name != "renamed" {
		t.Errorf("a refused update wrote %q", g.Name)
	}
	for _, c := range []struct{ account, id string }{{account, "sg-none"}, {otherAccount, "sg-1"}} {
		if _, err := s.UpdateSecurityGroup(ctx, c.account, c.id, func(*ecs.SecurityGroup) error { return nil }); !errors.Is(err, slbcert.ErrNotFound) {
			t.Errorf("update %s as %s: %v, want ErrNotFound", c.id, c.account, err)
		}
		if err := s.DeleteSecurityGroup(ctx, c.account, c.id); !errors.Is(err, slbcert.ErrNotFound) {
			t.Errorf("delete %s as %s: %v, want ErrNotFound", c.id, c.account, err)
		}
	}
	mustECS(t, s.DeleteSecurityGroup(ctx, account, "sg-2"))
	if list, _ := s.FindSecurityGroups(ctx, ecs.SecurityGroupFilter{AccountID: account, IDs: []string{"sg-2"}}); len(list) != 0 {
		t.Errorf("deleted group still found")
	}
	mustECS(t, s.CreateSecurityGroup(ctx, ecsGroup("sg-8", account, region, 8), 2)) // a delete frees its place
}

func testECSRules(t *testing.T, open func(t *testing.T) ecs.Store) {
	ctx := context.Background()
	s := open(t)
	for i, g := range []*ecs.SecurityGroup{ecsGroup("sg-a", account, region, 1), ecsGroup("sg-b", account, region, 2),
		ecsGroup("sg-c", account, "cn-beijing", 3), ecsGroup("sg-x", otherAccount, region, 4)} {
		_ = i
		mustECS(t, s.CreateSecurityGroup(ctx, g, 10))
	}
	ssh := ecsRule("sgr-1", ecs.Ingress, 1)
	fromB := ecsRule("sgr-2", ecs.Ingress, 2)
	fromB.SourceCidrIP, fromB.SourceGroupID, fromB.SourceGroupOwnerAccount = "", "sg-b", account
	out := ecsRule("sgr-3", ecs.Egress, 3)
	out.SourceCidrIP, out.DestCidrIP, out.IPProtocol, out.PortRange, out.Policy = "", "0.0.0.0/0", "ALL", "-1/-1", "Drop"
	_, err := s.UpdateSecurityGroup(ctx, account, "sg-a", func(g *ecs.SecurityGroup) error {
		g.Permissions = append(g.Permissions, ssh, fromB, out)
		return nil
	})
	mustECS(t, err)
	if got := findGroup(t, s, account, "sg-a").Permissions; !reflect.DeepEqual(got, []ecs.Permission{ssh, fromB, out}) {
		t.Errorf("rules round trip:\n got %+v\nwant %+v", got, []ecs.Permission{ssh, fromB, out})
	}
	for _, ref := range []string{"sg-none", "sg-c", "sg-x"} { // unknown, another region's, another account's
		bad := ecsRule("sgr-9", ecs.Egress, 9)
		bad.DestGroupID = ref
		_, err := s.UpdateSecurityGroup(ctx, account, "sg-a", func(g *ecs.SecurityGroup) error {
			g.Permissions = append(g.Permissions, bad)
			return nil
		})
		if !errors.Is(err, slbcert.ErrInvalidReference) {
			t.Errorf("a rule naming %s: %v, want ErrInvalidReference", ref, err)
		}
	}
	if got := findGroup(t, s, account, "sg-a").Permissions; len(got) != 3 {
		t.Errorf("a refused rule was written: %d rules", len(got))
	}
	if err := s.DeleteSecurityGroup(ctx, account, "sg-b"); !errors.Is(err, ecs.ErrGroupReferenced) || !errors.Is(err, slbcert.ErrInUse) {
		t.Errorf("deleting a group another's rule names: %v, want ErrGroupReferenced (ErrInUse)", err)
	}
	_, err = s.UpdateSecurityGroup(ctx, account, "sg-a", func(g *ecs.SecurityGroup) error {
		g.Permissions = g.Permissions[:1]
		return nil
	})
	mustECS(t, err)
	mustECS(t, s.DeleteSecurityGroup(ctx, account, "sg-b")) // no longer named
	self := ecsRule("sgr-4", ecs.Ingress, 4)
	self.SourceCidrIP, self.SourceGroupID = "", "sg-a"
	_, err = s.UpdateSecurityGroup(ctx, account, "sg-a", func(g *ecs.SecurityGroup) error {
		g.Permissions = append(g.Permissions, self)
		return nil
	})
	mustECS(t, err)
	mustECS(t, s.DeleteSecurityGroup(ctx, account, "sg-a")) // a group naming itself is no dependency
}

func testECSInstances(t *testing.T, open func(t *testing.T) ecs.Store) {
	ctx := context.Background()
	s := open(t)
	mustECS(t, s.CreateSecurityGroup(ctx, ecsGroup("sg-1", account, region, 1), 10))
	mustECS(t, s.CreateSecurityGroup(ctx, ecsGroup("sg-2", account, region, 2), 10))
	mustECS(t, s.CreateSecurityGroup(ctx, ecsGroup("sg-9", otherAccount, region, 3), 10))

	i1, i2 := ecsInstance("i-1", account, region, 1, "sg-1", "sg-2"), ecsInstance("i-2", account, region, 2, "sg-2")
	i1.ClientToken = "run-1"
	mustECS(t, s.CreateInstances(ctx, []*ecs.Instance{i1, i2}, 3))
	stopped := ecsInstance("i-3", account, region, 3, "sg-1")
	stopped.Status, stopped.StartTime, stopped.StoppedMode = ecs.StatusStopped, time.Time{}, ecs.StoppedModeKeepCharging
	mustECS(t, s.CreateInstances(ctx, []*ecs.Instance{stopped}, 3))

	want := ecsInstance("i-1", account, region, 1, "sg-1", "sg-2")
	want.ClientToken = "run-1"
	if got := findInstance(t, s, account, "i-1"); !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
	if got := findInstance(t, s, account, "i-3"); !got.StartTime.IsZero() || got.Status != ecs.StatusStopped {
		t.Errorf("a stopped instance came back %+v", got)
	}
	i1.SecurityGroupIDs[0], i1.Tags[0].Value = "sg-changed", "changed"
	if got := findInstance(t, s, account, "i-1"); got.SecurityGroupIDs[0] != "sg-1" || got.Tags[0].Value != "i-1" {
		t.Errorf("the store kept the caller's value: %+v", got)
	}

	if err := s.CreateInstances(ctx, []*ecs.Instance{ecsInstance("i-4", account, region, 4, "sg-1")}, 3); !errors.Is(err, slbcert.ErrQuotaExceeded) {
		t.Errorf("a fourth instance with limit 3: %v, want ErrQuotaExceeded", err)
	}
	twin := ecsInstance("i-5", account, region, 5, "sg-1")
	twin.ClientToken = "run-1"
	if err := s.CreateInstances(ctx, []*ecs.Instance{twin}, 10); !errors.Is(err, slbcert.ErrAlreadyExists) {
		t.Errorf("a taken client token: %v, want ErrAlreadyExists", err)
	}
	for _, g := range []string{"sg-none", "sg-9"} {
		ok, bad := ecsInstance("i-6", account, region, 6, "sg-1"), ecsInstance("i-7", account, region, 7, g)
		if err := s.CreateInstances(ctx, []*ecs.Instance{ok, bad}, 10); !errors.Is(err, slbcert.ErrInvalidReference) {
			t.Errorf("an instance in group %s: %v, want ErrInvalidReference", g, err)
		}
	}
	if list, _ := s.FindInstances(ctx, ecs.InstanceFilter{AccountID: account, IDs: []string{"i-6"}}); len(list) != 0 {
		t.Errorf("a refused create kept part of its instances")
	}

	for _, c := range []struct {
		name string
		f    ecs.InstanceFilter
		want []string
	}{
		{"all", ecs.InstanceFilter{AccountID: account}, []string{"i-1", "i-2", "i-3"}},
		{"ids", ecs.InstanceFilter{AccountID: account, IDs: []string{"i-3", "i-1", "i-none"}}, []string{"i-1", "i-3"}},
		{"no ids", ecs.InstanceFilter{AccountID: account, IDs: []string{}}, []string{}},
		{"region", ecs.InstanceFilter{AccountID: account, RegionID: "cn-beijing"}, []string{}},
		{"interface", ecs.InstanceFilter{AccountID: account, ENIIDs: []string{"eni-i-2"}}, []string{"i-2"}},
		{"disk", ecs.InstanceFilter{AccountID: account, DiskIDs: []string{"d-i-3"}}, []string{"i-3"}},
		{"token", ecs.InstanceFilter{AccountID: account, ClientTokens: []string{"run-1", "run-9"}}, []string{"i-1"}},
		{"another account", ecs.InstanceFilter{AccountID: otherAccount}, []string{}},
	} {
		list, err := s.FindInstances(ctx, c.f)
		mustECS(t, err)
		if ids := instanceIDs(list); !reflect.DeepEqual(ids, c.want) {
			t.Errorf("find %s: %v, want %v", c.name, ids, c.want)
		}
	}

	got, err := s.UpdateInstance(ctx, account, "i-2", func(i *ecs.Instance) error {
		i.Status, i.StoppedMode, i.Name = ecs.StatusStopped, ecs.StoppedModeStopCharging, "renamed"
		i.SecurityGroupIDs = []string{"sg-1", "sg-2"}
		i.Settings.EnableJumboFrame = true
		i.ID, i.PrivateIP, i.ENI.ID, i.ClientToken = "i-hijack", netip.MustParseAddr("10.0.0.1"), "eni-x", "x"
		return nil
	})
	mustECS(t, err)
	if got.ID != "i-2" || got.PrivateIP != i2.PrivateIP {
		t.Errorf("update answered %+v", got)
	}
	after := findInstance(t, s, account, "i-2")
	if after.Status != ecs.StatusStopped || after.Name != "renamed" || !reflect.DeepEqual(after.SecurityGroupIDs, []string{"sg-1", "sg-2"}) ||
		!after.Settings.EnableJumboFrame || after.ENI.ID != "eni-i-2" || after.ClientToken != "" || after.PrivateIP != i2.PrivateIP {
		t.Errorf("after update: %+v", after)
	}
	if _, err := s.UpdateInstance(ctx, account, "i-2", func(i *ecs.Instance) error {
		i.SecurityGroupIDs = []string{"sg-9"}
		return nil
	}); !errors.Is(err, slbcert.ErrInvalidReference) {
		t.Errorf("moving into another account's group: %v, want ErrInvalidReference", err)
	}
	refusal := slbcert.Errorf("IncorrectInstanceStatus", "no")
	if _, err := s.UpdateInstance(ctx, account, "i-2", func(i *ecs.Instance) error { i.Name = "lost"; return refusal }); !errors.Is(err, refusal) {
		t.Errorf("fn's error came back as %v", err)
	}
	if findInstance(t, s, account, "i-2").Name != "renamed" {
		t.Errorf("a refused update was written")
	}
	for _, c := range []struct{ account, id string }{{account, "i-none"}, {otherAccount, "i-1"}} {
		if _, err := s.UpdateInstance(ctx, c.account, c.id, func(*ecs.Instance) error { return nil }); !errors.Is(err, slbcert.ErrNotFound) {
			t.Errorf("update %s as %s: %v, want ErrNotFound", c.id, c.account, err)
		}
		if err := s.DeleteInstance(ctx, c.account, c.id); !errors.Is(err, slbcert.ErrNotFound) {
			t.Errorf("delete %s as %s: %v, want ErrNotFound", c.id, c.account, err)
		}
	}
	mustECS(t, s.DeleteInstance(ctx, account, "i-3"))
	if list, _ := s.FindInstances(ctx, ecs.InstanceFilter{AccountID: account, DiskIDs: []string{"d-i-3"}}); len(list) != 0 {
		t.Errorf("a deleted instance's disk is still found")
	}
	mustECS(t, s.CreateInstances(ctx, []*ecs.Instance{ecsInstance("i-4", account, region, 4, "sg-1")}, 3)) // a delete frees its place
}

func testECSInUse(t *testing.T, open func(t *testing.T) ecs.Store) {
	ctx := context.Background()
	s := open(t)
	mustECS(t, s.CreateSecurityGroup(ctx, ecsGroup("sg-1", account, region, 1), 10))
	mustECS(t, s.CreateSecurityGroup(ctx, ecsGroup("sg-2", account, region, 2), 10))
	mustECS(t, s.CreateInstances(ctx, []*ecs.Instance{ecsInstance("i-1", account, region, 1, "sg-1")}, 10))
	other := ecsInstance("i-2", account, region, 2, "sg-1", "sg-2")
	other.ImageID = "ubuntu_22_04_x64_20G_alibase_20241224.vhd"
	mustECS(t, s.CreateInstances(ctx, []*ecs.Instance{other}, 10))
	mustECS(t, s.CreateSecurityGroup(ctx, ecsGroup("sg-9", otherAccount, region, 9), 10))
	mustECS(t, s.CreateInstances(ctx, []*ecs.Instance{ecsInstance("i-9", otherAccount, region, 9, "sg-9")}, 10))
	counts, err := s.GroupMembers(ctx, account, region, []string{"sg-1", "sg-2", "sg-9", "sg-none"})
	mustECS(t, err)
	if !reflect.DeepEqual(counts, map[string]int{"sg-1": 2, "sg-2": 1}) {
		t.Errorf("GroupMembers: %v", counts)
	}
	if counts, err := s.GroupMembers(ctx, account, "cn-beijing", []string{"sg-1"}); err != nil || len(counts) != 0 {
		t.Errorf("GroupMembers in another region: %v, %v", counts, err)
	}
	images, err := s.ImagesInUse(ctx, account, region)
	mustECS(t, err)
	if !reflect.DeepEqual(images, []string{"aliyun_3_x64_20G_alibase_20240528.vhd", "ubuntu_22_04_x64_20G_alibase_20241224.vhd"}) {
		t.Errorf("ImagesInUse: %v", images)
	}
	mustECS(t, s.DeleteInstance(ctx, account, "i-2"))
	if err := s.DeleteSecurityGroup(ctx, account, "sg-1"); !errors.Is(err, ecs.ErrGroupHasInstances) || !errors.Is(err, slbcert.ErrInUse) {
		t.Errorf("deleting a group with an instance: %v, want ErrGroupHasInstances (ErrInUse)", err)
	}
	_, err = s.UpdateInstance(ctx, account, "i-1", func(i *ecs.Instance) error {
		i.SecurityGroupIDs = []string{"sg-2"}
		return nil
	})
	mustECS(t, err)
	mustECS(t, s.DeleteSecurityGroup(ctx, account, "sg-1")) // the instance left it
	if err := s.DeleteSecurityGroup(ctx, account, "sg-2"); !errors.Is(err, ecs.ErrGroupHasInstances) {
		t.Errorf("deleting the group the instance joined: %v", err)
	}
	mustECS(t, s.DeleteInstance(ctx, account, "i-1"))
	mustECS(t, s.DeleteSecurityGroup(ctx, account, "sg-2")) // its instance is gone
}

func testECSTags(t *testing.T, open func(t *testing.T) ecs.Store) {
	ctx := context.Background()
	s := open(t)
	mustECS(t, s.CreateSecurityGroup(ctx, ecsGroup("sg-1", account, region, 1), 10))
	mustECS(t, s.CreateInstances(ctx, []*ecs.Instance{ecsInstance("i-1", account, region, 1, "sg-1"), ecsInstance("i-2", account, region, 2, "sg-1")}, 10))
	add := func(key string) func(string, []slbcert.Tag) ([]slbcert.Tag, error) {
		return func(id string, tags []slbcert.Tag) ([]slbcert.Tag, error) {
			return append(tags, slbcert.Tag{Key: key, Value: id}), nil
		}
	}
	for _, c := range []struct {
		kind string
		ids  []string
		read func() []slbcert.Tag
		want []slbcert.Tag
	}{
		{ecs.ResourceSecurityGroup, []string{"sg-1"}, func() []slbcert.Tag { return findGroup(t, s, account, "sg-1").Tags },
			[]slbcert.Tag{{Key: "k", Value: "sg-1"}, {Key: "a"}, {Key: "new", Value: "sg-1"}}},
		{ecs.ResourceInstance, []string{"i-2", "i-1"}, func() []slbcert.Tag { return findInstance(t, s, account, "i-1").Tags },
			[]slbcert.Tag{{Key: "app", Value: "i-1"}, {Key: "new", Value: "i-1"}}},
		{ecs.ResourceENI, []string{"eni-i-1"}, func() []slbcert.Tag { return findInstance(t, s, account, "i-1").ENI.Tags },
			[]slbcert.Tag{{Key: "eni", Value: "i-1"}, {Key: "new", Value: "eni-i-1"}}},
		{ecs.ResourceDisk, []string{"d-i-1"}, func() []slbcert.Tag { return findInstance(t, s, account, "i-1").SystemDisk.Tags },
			[]slbcert.Tag{{Key: "new", Value: "d-i-1"}}},
	} {
		mustECS(t, s.UpdateECSTags(ctx, account, region, c.kind, c.ids, add("new")))
		if got := c.read(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s tags: %+v, want %+v", c.kind, got, c.want)
		}
	}
	if got := findInstance(t, s, account, "i-2").Tags; len(got) != 2 {
		t.Errorf("i-2 was tagged too: %+v", got)
	}
	for _, c := range []struct {
		account, region string
		ids             []string
	}{{account, region, []string{"i-1", "i-none"}}, {otherAccount, region, []string{"i-1"}}, {account, "cn-beijing", []string{"i-1"}}} {
		if err := s.UpdateECSTags(ctx, c.account, c.region, ecs.ResourceInstance, c.ids, add("lost")); !errors.Is(err, slbcert.ErrNotFound) {
			t.Errorf("tagging %v as %s in %s: %v, want ErrNotFound", c.ids, c.account, c.region, err)
		}
	}
	refusal := slbcert.Errorf("OperationDenied.QuotaExceed", "too many")
	err := s.UpdateECSTags(ctx, account, region, ecs.ResourceInstance, []string{"i-1", "i-2"}, func(id string, tags []slbcert.Tag) ([]slbcert.Tag, error) {
		if id == "i-2" {
			return nil, refusal
		}
		return append(tags, slbcert.Tag{Key: "lost"}), nil
	})
	if !errors.Is(err, refusal) {
		t.Errorf("fn's error came back as %v", err)
	}
	if got := findInstance(t, s, account, "i-1").Tags; len(got) != 2 {
		t.Errorf("a refused tag update wrote i-1: %+v", got)
	}
}
