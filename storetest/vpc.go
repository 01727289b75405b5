package storetest

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"slbcert"
	"slbcert/vpc"
)

// RunVPC runs the conformance suite of vpc.Store against the stores open
// makes, each fresh and empty, as Run does.
//
// Besides the interface's doc comments, it pins down:
//
//   - Times come back in UTC at millisecond precision; Tags and UserCidrs
//     non-nil, in the order given; a vSwitch carries its VPC's resource
//     group and route table, also after the VPC moves.
//   - Lists are oldest first (creation time, then id); totals count every
//     match, not only the page.
//   - Tag filters match equal key and value; every one must match.
//   - A client token is per account: another account's identical token is
//     a new record.
//   - Images (localnet.Served) of addresses are unique across accounts and
//     VPCs sharing a block; a released address's image is free again.
//   - An account never sees, changes or counts another's records.
func RunVPC(t *testing.T, open func(t *testing.T) vpc.Store) {
	t.Helper()
	for _, g := range []struct {
		name string
		run  func(*testing.T, func(t *testing.T) vpc.Store)
	}{
		{"VPCs", testVPCs},
		{"VPCClientToken", testVPCClientToken},
		{"VPCQuota", testVPCQuota},
		{"FindVPCs", testFindVPCs},
		{"UpdateVPC", testUpdateVPC},
		{"VSwitches", testVSwitches},
		{"FindVSwitches", testFindVSwitches},
		{"Tags", testVPCTags},
		{"Addresses", testVPCAddresses},
	} {
		t.Run(g.name, func(t *testing.T) { g.run(t, open) })
	}
}

func newVPC(id string, i int) *vpc.VPC {
	return &vpc.VPC{
		ID: id, AccountID: account, RegionID: region, Name: "net-" + id, Description: "about " + id,
		CidrBlock: netip.MustParsePrefix("192.168.0.0/16"), UserCidrs: []string{"10.9.0.0/16"},
		VRouterID: "vrt-" + id, RouteTable: vpc.RouteTable{ID: "vtb-" + id, Name: "rt", Description: "d", RoutePropagation: true},
		ResourceGroupID: rg, Status: vpc.StatusAvailable, DNSHostname: true,
		CreateTime: t0.Add(time.Duration(i) * time.Minute),
		Tags:       []slbcert.Tag{{Key: "env", Value: "prod"}, {Key: "app", Value: id}},
	}
}

func newVSwitch(id, vpcID, cidr string, i int) *vpc.VSwitch {
	return &vpc.VSwitch{
		ID: id, AccountID: account, RegionID: region, VPCID: vpcID, ZoneID: region + "-h",
		Name: "sw-" + id, Description: "about " + id, CidrBlock: netip.MustParsePrefix(cidr), Status: vpc.StatusAvailable,
		CreateTime: t0.Add(time.Duration(i) * time.Minute), Tags: []slbcert.Tag{{Key: "tier", Value: id}},
	}
}

// wantVPC is v as a store hands it back.
func wantVPC(v *vpc.VPC) *vpc.VPC {
	c := *v
	c.CreateTime = v.CreateTime.UTC().Truncate(time.Millisecond)
	c.Tags = append([]slbcert.Tag{}, v.Tags...)
	c.UserCidrs = append([]string{}, v.UserCidrs...)
	return &c
}

func mustCreateVPC(t *testing.T, s vpc.Store, v *vpc.VPC) *vpc.VPC {
	t.Helper()
	got, err := s.CreateVPC(context.Background(), v, noLimit)
	if err != nil {
		t.Fatalf("CreateVPC %s: %v", v.ID, err)
	}
	return got
}

func noCheck(*vpc.VPC, []*vpc.VSwitch) error { return nil }

func mustCreateVSwitch(t *testing.T, s vpc.Store, sw *vpc.VSwitch) *vpc.VSwitch {
	t.Helper()
	got, err := s.CreateVSwitch(context.Background(), sw, noLimit, noCheck)
	if err != nil {
		t.Fatalf("CreateVSwitch %s: %v", sw.ID, err)
	}
	return got
}

func testVPCs(t *testing.T, open func(t *testing.T) vpc.Store) {
	ctx := context.Background()
	s := open(t)
	in := newVPC("vpc-a", 0)
	got := mustCreateVPC(t, s, in)
	want := wantVPC(newVPC("vpc-a", 0))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CreateVPC returned\n%+v, want\n%+v", got, want)
	}
	in.Tags[0].Value, in.UserCidrs[0] = "changed", "changed" // the store keeps no reference
	read, err := s.GetVPC(ctx, account, "vpc-a")
	if err != nil || !reflect.DeepEqual(read, want) {
		t.Fatalf("GetVPC = %+v, %v; want %+v", read, err, want)
	}
	if read.CreateTime.Location() != time.UTC {
		t.Errorf("CreateTime in %v", read.CreateTime.Location())
	}
	bare := &vpc.VPC{ID: "vpc-bare", AccountID: account, RegionID: region, CidrBlock: vpc.DefaultVPCCidr,
		VRouterID: "vrt-bare", RouteTable: vpc.RouteTable{ID: "vtb-bare"}, ResourceGroupID: rg, Status: vpc.StatusAvailable, CreateTime: t0}
	mustCreateVPC(t, s, bare)
	if b, err := s.GetVPC(ctx, account, "vpc-bare"); err != nil || b.Tags == nil || b.UserCidrs == nil || len(b.Tags)+len(b.UserCidrs) != 0 {
		t.Errorf("a VPC without tags or user CIDRs: %+v, %v (want empty, non-nil lists)", b, err)
	}
	for _, c := range []struct{ account, id string }{{otherAccount, "vpc-a"}, {account, "vpc-none"}} {
		if _, err := s.GetVPC(ctx, c.account, c.id); !errors.Is(err, slbcert.ErrNotFound) {
			t.Errorf("GetVPC(%s, %s): %v, want ErrNotFound", c.account, c.id, err)
		}
	}
	if err := s.DeleteVPC(ctx, otherAccount, "vpc-a"); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("DeleteVPC by another account: %v", err)
	}
	mustCreateVSwitch(t, s, newVSwitch("vsw-a", "vpc-a", "192.168.1.0/24", 1))
	if err := s.DeleteVPC(ctx, account, "vpc-a"); !errors.Is(err, slbcert.ErrInUse) {
		t.Errorf("DeleteVPC with a vSwitch: %v, want ErrInUse", err)
	}
	if err := s.DeleteVSwitch(ctx, account, "vsw-a"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteVPC(ctx, account, "vpc-a"); err != nil {
		t.Fatalf("DeleteVPC: %v", err)
	}
	if _, err := s.GetVPC(ctx, account, "vpc-a"); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if err := s.DeleteVPC(ctx, account, "vpc-a"); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
}

func testVPCClientToken(t *testing.T, open func(t *testing.T) vpc.Store) {
	ctx := context.Background()
	s := open(t)
	a := newVPC("vpc-a", 0)
	a.ClientToken = "tok"
	mustCreateVPC(t, s, a)
	b := newVPC("vpc-b", 1)
	b.ClientToken = "tok"
	got, err := s.CreateVPC(ctx, b, noLimit)
	if err != nil || got.ID != "vpc-a" {
		t.Fatalf("repeated token: %+v, %v; want vpc-a", got, err)
	}
	if _, err := s.GetVPC(ctx, account, "vpc-b"); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("a repeated token inserted: %v", err)
	}
	c := newVPC("vpc-c", 2)
	c.AccountID, c.ClientToken = otherAccount, "tok"
	if got, err := s.CreateVPC(ctx, c, noLimit); err != nil || got.ID != "vpc-c" {
		t.Errorf("another account's token: %+v, %v", got, err)
	}
	// a token repeated past the quota still answers the first VPC
	d := newVPC("vpc-d", 3)
	d.ClientToken = "tok"
	if got, err := s.CreateVPC(ctx, d, 1); err != nil || got.ID != "vpc-a" {
		t.Errorf("repeated token at the quota: %+v, %v", got, err)
	}

	sw := newVSwitch("vsw-a", "vpc-a", "192.168.1.0/24", 4)
	sw.ClientToken = "stok"
	mustCreateVSwitch(t, s, sw)
	again := newVSwitch("vsw-b", "vpc-a", "192.168.2.0/24", 5)
	again.ClientToken = "stok"
	called := false
	got2, err := s.CreateVSwitch(ctx, again, noLimit, func(*vpc.VPC, []*vpc.VSwitch) error { called = true; return nil })
	if err != nil || got2.ID != "vsw-a" || called {
		t.Errorf("repeated vSwitch token: %+v, %v (check called: %v)", got2, err, called)
	}
}

func testVPCQuota(t *testing.T, open func(t *testing.T) vpc.Store) {
	ctx := context.Background()
	s := open(t)
	if _, err := s.CreateVPC(ctx, newVPC("vpc-0", 0), 0); !errors.Is(err, slbcert.ErrQuotaExceeded) {
		t.Errorf("limit 0: %v", err)
	}
	for i := 0; i < 2; i++ {
		if _, err := s.CreateVPC(ctx, newVPC(fmt.Sprintf("vpc-%d", i), i), 2); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateVPC(ctx, newVPC("vpc-2", 2), 2); !errors.Is(err, slbcert.ErrQuotaExceeded) {
		t.Errorf("third of two: %v", err)
	}
	other := newVPC("vpc-o", 3)
	other.RegionID = otherRegion
	if _, err := s.CreateVPC(ctx, other, 2); err != nil {
		t.Errorf("another region counts apart: %v", err)
	}
	foreign := newVPC("vpc-f", 4)
	foreign.AccountID = otherAccount
	if _, err := s.CreateVPC(ctx, foreign, 1); err != nil {
		t.Errorf("another account counts apart: %v", err)
	}

	mustCreateVSwitch(t, s, newVSwitch("vsw-0", "vpc-0", "192.168.0.0/24", 5))
	if _, err := s.CreateVSwitch(ctx, newVSwitch("vsw-1", "vpc-0", "192.168.1.0/24", 6), 1, noCheck); !errors.Is(err, slbcert.ErrQuotaExceeded) {
		t.Errorf("second vSwitch of one: %v", err)
	}
	if _, err := s.CreateVSwitch(ctx, newVSwitch("vsw-1", "vpc-1", "192.168.1.0/24", 6), 1, noCheck); err != nil {
		t.Errorf("the quota is per VPC: %v", err)
	}
}

func idsOf[T any](list []T, id func(T) string) []string {
	out := []string{}
	for _, r := range list {
		out = append(out, id(r))
	}
	return out
}

func vpcID(v *vpc.VPC) string         { return v.ID }
func vswitchID(s *vpc.VSwitch) string { return s.ID }

func testFindVPCs(t *testing.T, open func(t *testing.T) vpc.Store) {
	ctx := context.Background()
	s := open(t)
	// created out of id order, two in the same millisecond
	for i, id := range []string{"vpc-c", "vpc-a", "vpc-b"} {
		v := newVPC(id, i)
		if id == "vpc-b" {
			v.CreateTime = newVPC("", 1).CreateTime
			v.ResourceGroupID = otherRG
		}
		mustCreateVPC(t, s, v)
	}
	o := newVPC("vpc-o", 9)
	o.RegionID = otherRegion
	mustCreateVPC(t, s, o)
	f := newVPC("vpc-f", 9)
	f.AccountID = otherAccount
	mustCreateVPC(t, s, f)
	mustCreateVSwitch(t, s, newVSwitch("vsw-2", "vpc-a", "192.168.2.0/24", 12))
	mustCreateVSwitch(t, s, newVSwitch("vsw-1", "vpc-a", "192.168.1.0/24", 11))

	for _, tc := range []struct {
		name  string
		f     vpc.VPCFilter
		want  []string
		total int
	}{
		{"all, oldest first, then by id", vpc.VPCFilter{}, []string{"vpc-c", "vpc-a", "vpc-b"}, 3},
		{"ids", vpc.VPCFilter{IDs: []string{"vpc-b", "vpc-c", "vpc-o", "vpc-f"}}, []string{"vpc-c", "vpc-b"}, 2},
		{"name", vpc.VPCFilter{Name: "net-vpc-a"}, []string{"vpc-a"}, 1},
		{"group", vpc.VPCFilter{ResourceGroupID: otherRG}, []string{"vpc-b"}, 1},
		{"route table", vpc.VPCFilter{RouteTableID: "vtb-vpc-c"}, []string{"vpc-c"}, 1},
		{"router", vpc.VPCFilter{VRouterID: "vrt-vpc-b"}, []string{"vpc-b"}, 1},
		{"tag", vpc.VPCFilter{Tags: []slbcert.Tag{{Key: "app", Value: "vpc-a"}, {Key: "env", Value: "prod"}}}, []string{"vpc-a"}, 1},
		{"tag value differs", vpc.VPCFilter{Tags: []slbcert.Tag{{Key: "env", Value: ""}}}, []string{}, 0},
		{"page", vpc.VPCFilter{Offset: 1, Limit: 1}, []string{"vpc-a"}, 3},
		{"past the end", vpc.VPCFilter{Offset: 5, Limit: 10}, []string{}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.f.AccountID, tc.f.RegionID = account, region
			page, total, vsw, err := s.FindVPCs(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if got := idsOf(page, vpcID); !reflect.DeepEqual(got, tc.want) || total != tc.total {
				t.Errorf("got %v (total %d), want %v (total %d)", got, total, tc.want, tc.total)
			}
			for _, v := range page {
				want := []string(nil)
				if v.ID == "vpc-a" {
					want = []string{"vsw-1", "vsw-2"}
				}
				if !reflect.DeepEqual(vsw[v.ID], want) {
					t.Errorf("vSwitches of %s: %v, want %v", v.ID, vsw[v.ID], want)
				}
			}
		})
	}
}

func testUpdateVPC(t *testing.T, open func(t *testing.T) vpc.Store) {
	ctx := context.Background()
	s := open(t)
	mustCreateVPC(t, s, newVPC("vpc-a", 0))
	mustCreateVSwitch(t, s, newVSwitch("vsw-a", "vpc-a", "192.168.1.0/24", 1))
	boom := errors.New("boom")
	_, err := s.UpdateVPC(ctx, account, "vpc-a", func(v *vpc.VPC, vsw []*vpc.VSwitch) error {
		if len(vsw) != 1 || vsw[0].ID != "vsw-a" {
			t.Errorf("fn sees vSwitches %v", idsOf(vsw, vswitchID))
		}
		v.Name = "lost"
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("fn's error: %v", err)
	}
	if v, _ := s.GetVPC(ctx, account, "vpc-a"); v.Name != "net-vpc-a" {
		t.Errorf("a failed update wrote %q", v.Name)
	}
	got, err := s.UpdateVPC(ctx, account, "vpc-a", func(v *vpc.VPC, _ []*vpc.VSwitch) error {
		v.Name, v.Description, v.CidrBlock, v.DNSHostname = "renamed", "new", netip.MustParsePrefix("192.168.0.0/20"), false
		v.ResourceGroupID = otherRG
		v.RouteTable.Name, v.RouteTable.Description, v.RouteTable.RoutePropagation = "rt2", "d2", false
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	read, _ := s.GetVPC(ctx, account, "vpc-a")
	if !reflect.DeepEqual(read, got) || read.Name != "renamed" || read.Description != "new" || read.CidrBlock.String() != "192.168.0.0/20" ||
		read.DNSHostname || read.ResourceGroupID != otherRG || read.RouteTable != (vpc.RouteTable{ID: "vtb-vpc-a", Name: "rt2", Description: "d2"}) {
		t.Errorf("after update %+v (returned %+v)", read, got)
	}
	if sw, _ := s.GetVSwitch(ctx, account, "vsw-a"); sw.ResourceGroupID != otherRG || sw.RouteTableID != "vtb-vpc-a" {
		t.Errorf("the vSwitch does not follow its VPC: %+v", sw)
	}
	if _, err := s.UpdateVPC(ctx, otherAccount, "vpc-a", func(*vpc.VPC, []*vpc.VSwitch) error { return nil }); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("another account's update: %v", err)
	}
}

func testVSwitches(t *testing.T, open func(t *testing.T) vpc.Store) {
	ctx := context.Background()
	s := open(t)
	mustCreateVPC(t, s, newVPC("vpc-a", 0))
	first := mustCreateVSwitch(t, s, newVSwitch("vsw-a", "vpc-a", "192.168.1.0/24", 1))
	want := newVSwitch("vsw-a", "vpc-a", "192.168.1.0/24", 1)
	want.CreateTime = want.CreateTime.UTC()
	want.ResourceGroupID, want.RouteTableID = rg, "vtb-vpc-a"
	if !reflect.DeepEqual(first, want) {
		t.Errorf("CreateVSwitch returned\n%+v, want\n%+v", first, want)
	}
	if got, err := s.GetVSwitch(ctx, account, "vsw-a"); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("GetVSwitch %+v, %v", got, err)
	}
	if _, err := s.GetVSwitch(ctx, otherAccount, "vsw-a"); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("another account's vSwitch: %v", err)
	}

	refuse := errors.New("refused")
	var seen []string
	_, err := s.CreateVSwitch(ctx, newVSwitch("vsw-b", "vpc-a", "192.168.2.0/24", 2), noLimit, func(v *vpc.VPC, sib []*vpc.VSwitch) error {
		seen = append([]string{v.ID}, idsOf(sib, vswitchID)...)
		return refuse
	})
	if !errors.Is(err, refuse) || !reflect.DeepEqual(seen, []string{"vpc-a", "vsw-a"}) {
		t.Errorf("check: %v, saw %v", err, seen)
	}
	if _, err := s.GetVSwitch(ctx, account, "vsw-b"); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("a refused vSwitch was inserted: %v", err)
	}
	for _, c := range []struct {
		name string
		sw   *vpc.VSwitch
	}{
		{"unknown VPC", newVSwitch("vsw-x", "vpc-none", "192.168.3.0/24", 3)},
		{"another account's VPC", func() *vpc.VSwitch {
			s := newVSwitch("vsw-x", "vpc-a", "192.168.3.0/24", 3)
			s.AccountID = otherAccount
			return s
		}()},
		{"the VPC in another region", func() *vpc.VSwitch {
			s := newVSwitch("vsw-x", "vpc-a", "192.168.3.0/24", 3)
			s.RegionID = otherRegion
			return s
		}()},
	} {
		if _, err := s.CreateVSwitch(ctx, c.sw, noLimit, noCheck); !errors.Is(err, slbcert.ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", c.name, err)
		}
	}

	got, err := s.UpdateVSwitch(ctx, account, "vsw-a", func(sw *vpc.VSwitch) error {
		sw.Name, sw.Description = "renamed", "new"
		return nil
	})
	if err != nil || got.Name != "renamed" {
		t.Fatalf("UpdateVSwitch %+v, %v", got, err)
	}
	if read, _ := s.GetVSwitch(ctx, account, "vsw-a"); read.Name != "renamed" || read.Description != "new" || read.CidrBlock.String() != "192.168.1.0/24" {
		t.Errorf("after update %+v", read)
	}
	if _, err := s.UpdateVSwitch(ctx, otherAccount, "vsw-a", func(*vpc.VSwitch) error { return nil }); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("another account's update: %v", err)
	}
	if err := s.DeleteVSwitch(ctx, otherAccount, "vsw-a"); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("another account's delete: %v", err)
	}
	if err := s.DeleteVSwitch(ctx, account, "vsw-a"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteVSwitch(ctx, account, "vsw-a"); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
}

func testFindVSwitches(t *testing.T, open func(t *testing.T) vpc.Store) {
	ctx := context.Background()
	s := open(t)
	mustCreateVPC(t, s, newVPC("vpc-a", 0))
	b := newVPC("vpc-b", 1)
	b.ResourceGroupID = otherRG
	mustCreateVPC(t, s, b)
	mustCreateVSwitch(t, s, newVSwitch("vsw-3", "vpc-a", "192.168.3.0/24", 3))
	mustCreateVSwitch(t, s, newVSwitch("vsw-1", "vpc-a", "192.168.1.0/24", 1))
	z := newVSwitch("vsw-2", "vpc-b", "192.168.1.0/24", 2)
	z.ZoneID = region + "-k"
	mustCreateVSwitch(t, s, z)
	for _, tc := range []struct {
		name  string
		f     vpc.VSwitchFilter
		want  []string
		total int
	}{
		{"all", vpc.VSwitchFilter{}, []string{"vsw-1", "vsw-2", "vsw-3"}, 3},
		{"vpc", vpc.VSwitchFilter{VPCID: "vpc-a"}, []string{"vsw-1", "vsw-3"}, 2},
		{"ids", vpc.VSwitchFilter{IDs: []string{"vsw-3", "vsw-2"}}, []string{"vsw-2", "vsw-3"}, 2},
		{"zone", vpc.VSwitchFilter{ZoneID: region + "-k"}, []string{"vsw-2"}, 1},
		{"name", vpc.VSwitchFilter{Name: "sw-vsw-3"}, []string{"vsw-3"}, 1},
		{"the VPC's group", vpc.VSwitchFilter{ResourceGroupID: otherRG}, []string{"vsw-2"}, 1},
		{"the VPC's route table", vpc.VSwitchFilter{RouteTableID: "vtb-vpc-a"}, []string{"vsw-1", "vsw-3"}, 2},
		{"tag", vpc.VSwitchFilter{Tags: []slbcert.Tag{{Key: "tier", Value: "vsw-1"}}}, []string{"vsw-1"}, 1},
		{"page", vpc.VSwitchFilter{Offset: 2, Limit: 2}, []string{"vsw-3"}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.f.AccountID, tc.f.RegionID = account, region
			page, total, err := s.FindVSwitches(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if got := idsOf(page, vswitchID); !reflect.DeepEqual(got, tc.want) || total != tc.total {
				t.Errorf("got %v (total %d), want %v (total %d)", got, total, tc.want, tc.total)
			}
		})
	}
	if page, total, err := s.FindVSwitches(ctx, vpc.VSwitchFilter{AccountID: otherAccount, RegionID: region}); err != nil || page == nil || len(page)+total != 0 {
		t.Errorf("another account sees %v (%d), %v", idsOf(page, vswitchID), total, err)
	}
}

func testVPCTags(t *testing.T, open func(t *testing.T) vpc.Store) {
	ctx := context.Background()
	s := open(t)
	mustCreateVPC(t, s, newVPC("vpc-a", 0))
	mustCreateVPC(t, s, newVPC("vpc-b", 1))
	mustCreateVSwitch(t, s, newVSwitch("vsw-a", "vpc-a", "192.168.1.0/24", 2))
	set := []slbcert.Tag{{Key: "app", Value: "x"}, {Key: "new", Value: "1"}}
	if err := s.UpdateVPCTags(ctx, account, region, "vpc", []string{"vpc-b", "vpc-a"}, set, nil, false, 20); err != nil {
		t.Fatal(err)
	}
	a, _ := s.GetVPC(ctx, account, "vpc-a")
	if want := []slbcert.Tag{{Key: "env", Value: "prod"}, {Key: "app", Value: "x"}, {Key: "new", Value: "1"}}; !reflect.DeepEqual(a.Tags, want) {
		t.Errorf("tags %v, want %v", a.Tags, want)
	}
	if err := s.UpdateVPCTags(ctx, account, region, "vpc", []string{"vpc-a", "vpc-none"}, []slbcert.Tag{{Key: "lost", Value: "1"}}, nil, false, 20); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("an unknown id: %v", err)
	}
	if err := s.UpdateVPCTags(ctx, account, otherRegion, "vpc", []string{"vpc-a"}, []slbcert.Tag{{Key: "lost", Value: "1"}}, nil, false, 20); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("another region: %v", err)
	}
	if err := s.UpdateVPCTags(ctx, account, region, "vpc", []string{"vpc-a"}, []slbcert.Tag{{Key: "lost", Value: "1"}}, nil, false, 3); !errors.Is(err, slbcert.ErrTagLimit) {
		t.Errorf("past the limit: %v", err)
	}
	if a, _ := s.GetVPC(ctx, account, "vpc-a"); len(a.Tags) != 3 {
		t.Errorf("a failed update changed the tags: %v", a.Tags)
	}
	if err := s.UpdateVPCTags(ctx, account, region, "vpc", []string{"vpc-a"}, nil, []string{"env", "absent"}, false, 20); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.GetVPC(ctx, account, "vpc-a"); !reflect.DeepEqual(a.Tags, []slbcert.Tag{{Key: "app", Value: "x"}, {Key: "new", Value: "1"}}) {
		t.Errorf("after removal %v", a.Tags)
	}
	if err := s.UpdateVPCTags(ctx, account, region, "vswitch", []string{"vsw-a"}, nil, nil, true, 20); err != nil {
		t.Fatal(err)
	}
	if sw, _ := s.GetVSwitch(ctx, account, "vsw-a"); sw.Tags == nil || len(sw.Tags) != 0 {
		t.Errorf("after removing all: %#v", sw.Tags)
	}
	if err := s.UpdateVPCTags(ctx, account, region, "vswitch", []string{"vpc-a"}, set, nil, false, 20); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("a VPC id as a vSwitch: %v", err)
	}
}

func testVPCAddresses(t *testing.T, open func(t *testing.T) vpc.Store) {
	ctx := context.Background()
	s := open(t)
	mustCreateVPC(t, s, newVPC("vpc-a", 0))
	mustCreateVSwitch(t, s, newVSwitch("vsw-a", "vpc-a", "192.168.1.0/24", 1))
	// another account's VPC with the same block, and a block of another
	// first octet whose images are the same
	f := newVPC("vpc-f", 2)
	f.AccountID = otherAccount
	mustCreateVPC(t, s, f)
	fs := newVSwitch("vsw-f", "vpc-f", "192.168.1.0/24", 3)
	fs.AccountID = otherAccount
	mustCreateVSwitch(t, s, fs)
	ten := newVPC("vpc-t", 4)
	ten.CidrBlock = netip.MustParsePrefix("10.168.0.0/16")
	mustCreateVPC(t, s, ten)
	mustCreateVSwitch(t, s, newVSwitch("vsw-t", "vpc-t", "10.168.1.0/24", 5))

	alloc := func(accountID, vsw, owner, addr string) (*vpc.Address, error) {
		return s.AllocateAddress(ctx, vpc.Address{AccountID: accountID, VSwitchID: vsw, Owner: owner, CreateTime: t0},
			func(vs *vpc.VSwitch, taken []netip.Addr) (netip.Addr, error) { return netip.MustParseAddr(addr), nil })
	}
	a, err := alloc(account, "vsw-a", "lb-1", "192.168.1.5")
	if err != nil {
		t.Fatal(err)
	}
	if want := (&vpc.Address{Address: netip.MustParseAddr("192.168.1.5"), AccountID: account, VSwitchID: "vsw-a", Owner: "lb-1", CreateTime: t0.UTC()}); !reflect.DeepEqual(a, want) {
		t.Errorf("allocated %+v, want %+v", a, want)
	}
	var seen []netip.Addr
	var seenVSwitch string
	_, err = s.AllocateAddress(ctx, vpc.Address{AccountID: otherAccount, VSwitchID: "vsw-f", Owner: "i-1", CreateTime: t0},
		func(vs *vpc.VSwitch, taken []netip.Addr) (netip.Addr, error) {
			seen, seenVSwitch = taken, vs.ID
			return netip.MustParseAddr("192.168.1.6"), nil
		})
	if err != nil || seenVSwitch != "vsw-f" || !reflect.DeepEqual(seen, []netip.Addr{netip.MustParseAddr("127.168.1.5")}) {
		t.Errorf("pick saw %s %v (%v); want the other account's image 127.168.1.5", seenVSwitch, seen, err)
	}
	for _, c := range []struct{ name, account, vsw, addr string }{
		{"same address, another account", otherAccount, "vsw-f", "192.168.1.5"},
		{"same image, another block", account, "vsw-t", "10.168.1.6"},
		{"same address again", account, "vsw-a", "192.168.1.5"},
	} {
		if _, err := alloc(c.account, c.vsw, "i-x", c.addr); !errors.Is(err, slbcert.ErrAlreadyExists) {
			t.Errorf("%s: %v, want ErrAlreadyExists", c.name, err)
		}
	}
	for _, c := range []struct{ name, account, vsw string }{
		{"unknown vSwitch", account, "vsw-none"},
		{"another account's vSwitch", otherAccount, "vsw-a"},
	} {
		if _, err := alloc(c.account, c.vsw, "i-x", "192.168.1.9"); !errors.Is(err, slbcert.ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", c.name, err)
		}
	}
	refuse := errors.New("full")
	if _, err := s.AllocateAddress(ctx, vpc.Address{AccountID: account, VSwitchID: "vsw-a", Owner: "i-y"},
		func(*vpc.VSwitch, []netip.Addr) (netip.Addr, error) { return netip.Addr{}, refuse }); !errors.Is(err, refuse) {
		t.Errorf("pick's error: %v", err)
	}
	if _, err := alloc(account, "vsw-a", "lb-1", "192.168.1.7"); err != nil { // a second address of one owner
		t.Fatal(err)
	}
	if _, err := alloc(account, "vsw-t", "i-2", "10.168.1.9"); err != nil {
		t.Fatal(err)
	}

	taken, err := s.TakenImages(ctx, netip.MustParsePrefix("127.168.1.0/24"))
	want := []netip.Addr{netip.MustParseAddr("127.168.1.5"), netip.MustParseAddr("127.168.1.6"), netip.MustParseAddr("127.168.1.7"), netip.MustParseAddr("127.168.1.9")}
	if err != nil || !reflect.DeepEqual(taken, want) {
		t.Errorf("TakenImages %v, %v; want %v", taken, err, want)
	}
	if none, err := s.TakenImages(ctx, netip.MustParsePrefix("127.16.0.0/16")); err != nil || none == nil || len(none) != 0 {
		t.Errorf("TakenImages of an empty range %#v, %v", none, err)
	}
	list, err := s.FindAddresses(ctx, vpc.AddressFilter{AccountID: account})
	if err != nil || len(list) != 3 || list[0].VSwitchID != "vsw-a" || list[0].Address.String() != "192.168.1.5" || list[2].VSwitchID != "vsw-t" {
		t.Errorf("FindAddresses %v, %v", list, err)
	}
	if list, _ := s.FindAddresses(ctx, vpc.AddressFilter{AccountID: account, Owner: "lb-1", VSwitchIDs: []string{"vsw-a"}}); len(list) != 2 {
		t.Errorf("by owner: %d", len(list))
	}
	if err := s.DeleteVSwitch(ctx, account, "vsw-a"); !errors.Is(err, slbcert.ErrInUse) {
		t.Errorf("deleting a vSwitch in use: %v, want ErrInUse", err)
	}
	if err := s.ReleaseAddresses(ctx, otherAccount, "lb-1"); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.FindAddresses(ctx, vpc.AddressFilter{AccountID: account, Owner: "lb-1"}); len(list) != 2 {
		t.Errorf("another account released lb-1's addresses: %d left", len(list))
	}
	if err := s.ReleaseAddresses(ctx, account, "lb-1"); err != nil {
		t.Fatal(err)
	}
	if err := s.ReleaseAddresses(ctx, account, "lb-none"); err != nil {
		t.Errorf("releasing nothing: %v", err)
	}
	if _, err := alloc(account, "vsw-t", "i-3", "10.168.1.5"); err != nil {
		t.Errorf("a released image is free again: %v", err)
	}
	if err := s.DeleteVSwitch(ctx, account, "vsw-a"); err != nil {
		t.Errorf("deleting the vSwitch once free: %v", err)
	}
}

// VPCFixture writes a VPC, a vSwitch of it and an address, for a store's
// durability test to read back with CheckVPCFixture after reopening.
func VPCFixture(t *testing.T, s vpc.Store) {
	t.Helper()
	mustCreateVPC(t, s, newVPC("vpc-kept", 0))
	mustCreateVSwitch(t, s, newVSwitch("vsw-kept", "vpc-kept", "192.168.7.0/24", 1))
	if _, err := s.AllocateAddress(context.Background(), vpc.Address{AccountID: account, VSwitchID: "vsw-kept", Owner: "lb-kept", CreateTime: t0},
		func(*vpc.VSwitch, []netip.Addr) (netip.Addr, error) { return netip.MustParseAddr("192.168.7.1"), nil }); err != nil {
		t.Fatal(err)
	}
}

// CheckVPCFixture reads back what VPCFixture wrote.
func CheckVPCFixture(t *testing.T, s vpc.Store) {
	t.Helper()
	ctx := context.Background()
	if v, err := s.GetVPC(ctx, account, "vpc-kept"); err != nil || !reflect.DeepEqual(v, wantVPC(newVPC("vpc-kept", 0))) {
		t.Errorf("VPC after reopen: %+v, %v", v, err)
	}
	if sw, err := s.GetVSwitch(ctx, account, "vsw-kept"); err != nil || sw.CidrBlock.String() != "192.168.7.0/24" {
		t.Errorf("vSwitch after reopen: %+v, %v", sw, err)
	}
	if a, err := s.FindAddresses(ctx, vpc.AddressFilter{AccountID: account, Owner: "lb-kept"}); err != nil || len(a) != 1 || a[0].Address.String() != "192.168.7.1" {
		t.Errorf("address after reopen: %v, %v", a, err)
	}
}
