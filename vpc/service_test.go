package vpc_test

import (
	"context"
	"errors"
	"net/netip"
	"path/filepath"
	"testing"

	"slbcert"
	"slbcert/localnet"
	"slbcert/region"
	"slbcert/sqlite"
	"slbcert/vpc"
)

// The allocator contract other products are wired to (VSwitchOf, CheckVPC,
// AllocateAddress, ReleaseAddresses), on a real store.

func newService(t *testing.T) (*vpc.Service, *slbcert.Principal) {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "slbcert.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	svc := vpc.New(s, region.Default())
	svc.Excluded = []netip.Prefix{netip.MustParsePrefix("127.1.0.0/16")}
	return svc, &slbcert.Principal{Account: &slbcert.Account{ID: "1000000000000001"}}
}

func mustNet(t *testing.T, svc *vpc.Service, p *slbcert.Principal, vpcCidr, vswCidr string) (*vpc.VPC, *vpc.VSwitch) {
	t.Helper()
	ctx := context.Background()
	v, err := svc.CreateVPC(ctx, p, vpc.CreateVPCInput{RegionID: "cn-hangzhou", CidrBlock: vpcCidr})
	if err != nil {
		t.Fatal(err)
	}
	sw, err := svc.CreateVSwitch(ctx, p, vpc.CreateVSwitchInput{VPCID: v.ID, ZoneID: "cn-hangzhou-h", CidrBlock: vswCidr})
	if err != nil {
		t.Fatal(err)
	}
	return v, sw
}

func TestAllocator(t *testing.T) {
	ctx := context.Background()
	svc, p := newService(t)
	acct := p.Account.ID
	v, sw := mustNet(t, svc, p, "192.168.0.0/16", "192.168.1.0/29")

	vpcID, zone, cidr, err := svc.VSwitchOf(ctx, acct, "cn-hangzhou", sw.ID)
	if err != nil || vpcID != v.ID || zone != "cn-hangzhou-h" || cidr.String() != "192.168.1.0/29" {
		t.Fatalf("VSwitchOf %s %s %s %v", vpcID, zone, cidr, err)
	}
	for _, c := range []struct{ account, region, id string }{
		{acct, "cn-shanghai", sw.ID}, {"1000000000000002", "cn-hangzhou", sw.ID}, {acct, "cn-hangzhou", "vsw-none"},
	} {
		if _, _, _, err := svc.VSwitchOf(ctx, c.account, c.region, c.id); !errors.Is(err, slbcert.ErrNotFound) {
			t.Errorf("VSwitchOf %v: %v", c, err)
		}
	}
	if err := svc.CheckVPC(ctx, acct, "cn-hangzhou", v.ID); err != nil {
		t.Errorf("CheckVPC: %v", err)
	}
	if err := svc.CheckVPC(ctx, acct, "cn-shanghai", v.ID); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("CheckVPC in another region: %v", err)
	}

	// a /29: .1 to .4 usable
	a1, err := svc.AllocateAddress(ctx, acct, sw.ID, "lb-1", netip.Addr{})
	if err != nil || a1.String() != "192.168.1.1" {
		t.Fatalf("first address %v, %v", a1, err)
	}
	if _, err := svc.AllocateAddress(ctx, acct, sw.ID, "i-1", netip.MustParseAddr("192.168.1.1")); !errors.Is(err, slbcert.ErrAlreadyExists) {
		t.Errorf("a taken address: %v", err)
	}
	for _, bad := range []string{"192.168.1.0", "192.168.1.5", "192.168.1.7", "192.168.2.1"} {
		if _, err := svc.AllocateAddress(ctx, acct, sw.ID, "i-1", netip.MustParseAddr(bad)); !errors.Is(err, slbcert.ErrInvalidReference) {
			t.Errorf("%s: %v, want ErrInvalidReference", bad, err)
		}
	}
	if a, err := svc.AllocateAddress(ctx, acct, sw.ID, "i-1", netip.MustParseAddr("192.168.1.4")); err != nil || a.String() != "192.168.1.4" {
		t.Errorf("a wanted address %v, %v", a, err)
	}
	for _, want := range []string{"192.168.1.2", "192.168.1.3"} {
		if a, err := svc.AllocateAddress(ctx, acct, sw.ID, "i-2", netip.Addr{}); err != nil || a.String() != want {
			t.Errorf("next %v, %v; want %s", a, err, want)
		}
	}
	if _, err := svc.AllocateAddress(ctx, acct, sw.ID, "i-3", netip.Addr{}); !errors.Is(err, slbcert.ErrQuotaExceeded) {
		t.Errorf("a full vSwitch: %v", err)
	}
	if _, err := svc.AllocateAddress(ctx, acct, "vsw-none", "i-3", netip.Addr{}); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("an unknown vSwitch: %v", err)
	}
	if _, err := svc.AllocateAddress(ctx, "1000000000000002", sw.ID, "i-3", netip.Addr{}); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("another account's vSwitch: %v", err)
	}

	page, err := svc.DescribeVSwitches(ctx, p, vpc.DescribeVSwitchesInput{RegionID: "cn-hangzhou"})
	if err != nil || page.VSwitches[0].AvailableIPAddressCount != 0 {
		t.Errorf("AvailableIpAddressCount of a full vSwitch: %+v, %v", page, err)
	}
	if err := svc.DeleteVSwitch(ctx, p, "", sw.ID, false); slbcert.ErrorCode(err) != vpc.EDependency {
		t.Errorf("deleting a vSwitch in use: %v", err)
	}
	d, err := svc.DescribeVSwitchAttributes(ctx, p, "", sw.ID, false)
	if err != nil || len(d.CloudResources) != 2 || d.CloudResources[0] != (vpc.CloudResource{Type: "ECS", Count: 2}) || d.CloudResources[1] != (vpc.CloudResource{Type: "SLB", Count: 1}) {
		t.Errorf("CloudResources %+v, %v", d, err)
	}
	if err := svc.ReleaseAddresses(ctx, acct, "i-2"); err != nil {
		t.Fatal(err)
	}
	if err := svc.ReleaseAddresses(ctx, acct, "i-none"); err != nil {
		t.Errorf("releasing nothing: %v", err)
	}
	if a, err := svc.AllocateAddress(ctx, acct, sw.ID, "i-3", netip.Addr{}); err != nil || a.String() != "192.168.1.2" {
		t.Errorf("after a release %v, %v", a, err)
	}
	for _, owner := range []string{"lb-1", "i-1", "i-3"} {
		if err := svc.ReleaseAddresses(ctx, acct, owner); err != nil {
			t.Fatal(err)
		}
	}
	if err := svc.DeleteVSwitch(ctx, p, "", sw.ID, false); err != nil {
		t.Errorf("deleting the vSwitch once free: %v", err)
	}
}

// TestAllocatorImages: VPCs sharing a block, and blocks whose local images
// coincide, never hand out addresses served at one place.
func TestAllocatorImages(t *testing.T) {
	ctx := context.Background()
	svc, p := newService(t)
	other := &slbcert.Principal{Account: &slbcert.Account{ID: "1000000000000002"}}
	_, a := mustNet(t, svc, p, "192.168.0.0/16", "192.168.1.0/24")
	_, b := mustNet(t, svc, other, "192.168.0.0/16", "192.168.1.0/24")
	_, c := mustNet(t, svc, p, "10.168.0.0/16", "10.168.1.0/24")
	got := map[string]bool{}
	for i, x := range []struct {
		acct string
		vsw  *vpc.VSwitch
	}{{p.Account.ID, a}, {other.Account.ID, b}, {p.Account.ID, c}, {other.Account.ID, b}} {
		addr, err := svc.AllocateAddress(ctx, x.acct, x.vsw.ID, "i-x", netip.Addr{})
		if err != nil {
			t.Fatal(err)
		}
		image := localnet.Served(addr)
		if got[image.String()] {
			t.Fatalf("allocation %d: %s is served at %s, already taken", i, addr, image)
		}
		got[image.String()] = true
	}
	if len(got) != 4 {
		t.Errorf("images %v", got)
	}
	// 10.0.0.0/24 is served at 127.0.0.0/24 (the host's), 10.1.0.0/24 at
	// the load balancers' pool: nothing can be handed out there
	_, host := mustNet(t, svc, p, "10.0.0.0/16", "10.0.0.0/24")
	if _, err := svc.AllocateAddress(ctx, p.Account.ID, host.ID, "i-y", netip.Addr{}); !errors.Is(err, slbcert.ErrQuotaExceeded) {
		t.Errorf("10.0.0.0/24: %v", err)
	}
	_, pool := mustNet(t, svc, p, "10.1.0.0/16", "10.1.0.0/24")
	if _, err := svc.AllocateAddress(ctx, p.Account.ID, pool.ID, "i-y", netip.Addr{}); !errors.Is(err, slbcert.ErrQuotaExceeded) {
		t.Errorf("10.1.0.0/24: %v", err)
	}
}
