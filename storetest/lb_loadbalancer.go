package storetest

import (
	"errors"
	"net/netip"
	"reflect"
	"slbcert/slb"
	"testing"
	"time"

	"slbcert"
)

func testLoadBalancers(t *testing.T, open func(t *testing.T) LoadBalancerStore) {
	t.Run("create, find, fields round-trip", func(t *testing.T) {
		s := open(t)
		want := newLB("lb-a", 1)
		want.VpcID, want.VSwitchID, want.MasterZoneID, want.SlaveZoneID = "vpc-1", "vsw-1", "cn-hangzhou-b", "cn-hangzhou-d"
		want.ModificationProtectionReason, want.Duration, want.PricingCycle, want.ClientToken = "why", 3, "Month", "tok"
		got := createLB(t, s, want)
		if got.Address != "127.1.0.1" {
			t.Errorf("Address = %q, want the pool's first host 127.1.0.1", got.Address)
		}
		found := findLBs(t, s, slb.LoadBalancerFilter{AccountID: account, IDs: []string{"lb-a"}})
		if len(found) != 1 {
			t.Fatalf("found %d", len(found))
		}
		w := *want
		w.Address = got.Address
		if !reflect.DeepEqual(found[0], &w) {
			t.Errorf("found %+v\nwant  %+v", found[0], &w)
		}
		if found[0].CreateTime.Location() != time.UTC {
			t.Error("CreateTime not in UTC")
		}
	})

	t.Run("filters and order; other accounts see nothing", func(t *testing.T) {
		s := open(t)
		createLB(t, s, newLB("lb-2", 2))
		createLB(t, s, newLB("lb-1", 1))
		other := newLB("lb-3", 0)
		other.RegionID = otherRegion
		createLB(t, s, other)
		if got := lbIDs(findLBs(t, s, slb.LoadBalancerFilter{AccountID: account, RegionID: region})); !reflect.DeepEqual(got, []string{"lb-1", "lb-2"}) {
			t.Errorf("region filter: %v", got)
		}
		if got := lbIDs(findLBs(t, s, slb.LoadBalancerFilter{AccountID: account})); !reflect.DeepEqual(got, []string{"lb-3", "lb-1", "lb-2"}) {
			t.Errorf("every region, oldest first: %v", got)
		}
		if got := findLBs(t, s, slb.LoadBalancerFilter{AccountID: otherAccount}); len(got) != 0 {
			t.Errorf("another account found %v", lbIDs(got))
		}
		_, err := s.UpdateLoadBalancer(ctx, otherAccount, "lb-1", func(*slb.LoadBalancer) error { return nil })
		wantErr(t, "update by another account", err, slbcert.ErrNotFound)
		wantErr(t, "delete by another account", s.DeleteLoadBalancer(ctx, otherAccount, "lb-1"), slbcert.ErrNotFound)
	})

	t.Run("quota per account and region", func(t *testing.T) {
		s := open(t)
		for i, id := range []string{"lb-1", "lb-2"} {
			if _, err := s.CreateLoadBalancer(ctx, newLB(id, i), 2, lbPool); err != nil {
				t.Fatal(err)
			}
		}
		_, err := s.CreateLoadBalancer(ctx, newLB("lb-3", 3), 2, lbPool)
		wantErr(t, "third of 2", err, slbcert.ErrQuotaExceeded)
		elsewhere := newLB("lb-4", 4)
		elsewhere.RegionID = otherRegion
		if _, err := s.CreateLoadBalancer(ctx, elsewhere, 2, lbPool); err != nil {
			t.Errorf("another region: %v", err)
		}
		if err := s.DeleteLoadBalancer(ctx, account, "lb-1"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateLoadBalancer(ctx, newLB("lb-5", 5), 2, lbPool); err != nil {
			t.Errorf("after a delete: %v", err)
		}
	})

	t.Run("client token returns the first load balancer", func(t *testing.T) {
		s := open(t)
		a := newLB("lb-a", 1)
		a.ClientToken = "token-1"
		createLB(t, s, a)
		b := newLB("lb-b", 2)
		b.ClientToken = "token-1"
		got, err := s.CreateLoadBalancer(ctx, b, 1, lbPool) // over quota, yet answered
		if err != nil || got.ID != "lb-a" {
			t.Fatalf("same token: %v %v", got, err)
		}
		c := newLB("lb-c", 3)
		c.AccountID, c.ClientToken = otherAccount, "token-1"
		if got := createLB(t, s, c); got.ID != "lb-c" {
			t.Errorf("another account's token: got %s", got.ID)
		}
	})

	t.Run("update writes what fn left; an error writes nothing", func(t *testing.T) {
		s := open(t)
		createLB(t, s, newLB("lb-a", 1))
		got, err := s.UpdateLoadBalancer(ctx, account, "lb-a", func(lb *slb.LoadBalancer) error {
			lb.Name, lb.Status, lb.Spec, lb.DeleteProtection = "renamed", slb.LoadBalancerInactive, "slb.s3.small", "on"
			lb.BackendServers = append(lb.BackendServers, slb.BackendServer{ServerID: "i-2", Weight: 50, Type: "ecs", ServerIP: "10.0.0.2"})
			lb.Address, lb.AccountID = "1.2.3.4", otherAccount // not written
			return nil
		})
		if err != nil || got.Name != "renamed" {
			t.Fatalf("update: %v %v", got, err)
		}
		lb := findLBs(t, s, slb.LoadBalancerFilter{AccountID: account})[0]
		if lb.Name != "renamed" || lb.Status != "inactive" || lb.Spec != "slb.s3.small" || lb.DeleteProtection != "on" ||
			len(lb.BackendServers) != 2 || lb.BackendServers[1].ServerIP != "10.0.0.2" || lb.Address != "127.1.0.1" {
			t.Errorf("after update: %+v", lb)
		}
		_, err = s.UpdateLoadBalancer(ctx, account, "lb-a", func(lb *slb.LoadBalancer) error {
			lb.Name = "lost"
			return errTest
		})
		wantErr(t, "fn's error", err, errTest)
		if lb := findLBs(t, s, slb.LoadBalancerFilter{AccountID: account})[0]; lb.Name != "renamed" {
			t.Errorf("a failed update wrote %q", lb.Name)
		}
		_, err = s.UpdateLoadBalancer(ctx, account, "lb-nope", func(*slb.LoadBalancer) error { return nil })
		wantErr(t, "unknown id", err, slbcert.ErrNotFound)
	})

	t.Run("delete removes everything hanging off it", func(t *testing.T) {
		s := open(t)
		serverCertN(t, s, "sc-1")
		createLB(t, s, newLB("lb-a", 1))
		g := &slb.VServerGroup{ID: "rsp-1", LoadBalancerID: "lb-a", Name: "g", CreateTime: lbTime0}
		if err := s.CreateVServerGroup(ctx, account, g); err != nil {
			t.Fatal(err)
		}
		l := newListener("lb-a", 443, "sc-1")
		l.VServerGroupID = "rsp-1"
		createListener(t, s, l)
		if err := s.CreateDomainExtension(ctx, account, &slb.DomainExtension{ID: "de-1", LoadBalancerID: "lb-a",
			ListenerPort: 443, Domain: "a.example.com", ServerCertificateID: "sc-1", CreateTime: lbTime0}, noLimit); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteLoadBalancer(ctx, account, "lb-a"); err != nil {
			t.Fatalf("delete: %v", err)
		}
		if got := findLBs(t, s, slb.LoadBalancerFilter{AccountID: account}); len(got) != 0 {
			t.Errorf("still there: %v", lbIDs(got))
		}
		if got := findListeners(t, s, slb.ListenerFilter{}); len(got) != 0 {
			t.Errorf("listeners left: %d", len(got))
		}
		_, err := s.GetDomainExtension(ctx, account, "de-1")
		wantErr(t, "extension after delete", err, slbcert.ErrNotFound)
		_, err = s.GetVServerGroup(ctx, account, "rsp-1")
		wantErr(t, "group after delete", err, slbcert.ErrNotFound)
		if err := s.DeleteCertificate(ctx, account, region, slb.KindServer, "sc-1"); err != nil {
			t.Errorf("the certificate is still referenced: %v", err)
		}
		wantErr(t, "delete again", s.DeleteLoadBalancer(ctx, account, "lb-a"), slbcert.ErrNotFound)
	})
}

func testAddresses(t *testing.T, open func(t *testing.T) LoadBalancerStore) {
	t.Run("lowest free, reused after delete, unique across accounts", func(t *testing.T) {
		s := open(t)
		a := createLB(t, s, newLB("lb-a", 1))
		b := newLB("lb-b", 2)
		b.AccountID = otherAccount
		bb := createLB(t, s, b)
		if a.Address != "127.1.0.1" || bb.Address != "127.1.0.2" {
			t.Fatalf("addresses %s, %s", a.Address, bb.Address)
		}
		if err := s.DeleteLoadBalancer(ctx, account, "lb-a"); err != nil {
			t.Fatal(err)
		}
		if c := createLB(t, s, newLB("lb-c", 3)); c.Address != "127.1.0.1" {
			t.Errorf("after delete: %s", c.Address)
		}
	})

	t.Run("an address asked for must be free", func(t *testing.T) {
		s := open(t)
		a := newLB("lb-a", 1)
		a.Address = "127.1.3.4"
		if got := createLB(t, s, a); got.Address != "127.1.3.4" {
			t.Fatalf("got %s", got.Address)
		}
		b := newLB("lb-b", 2)
		b.Address = "127.1.3.4"
		_, err := s.CreateLoadBalancer(ctx, b, noLimit, lbPool)
		wantErr(t, "taken", err, slb.ErrAddressInUse)
	})

	t.Run("error/an id taken is not an address taken", func(t *testing.T) {
		s := open(t)
		createLB(t, s, newLB("lb-a", 1))
		again := newLB("lb-a", 2)
		again.Address = "127.1.3.4"
		_, err := s.CreateLoadBalancer(ctx, again, noLimit, lbPool)
		if err == nil || errors.Is(err, slb.ErrAddressInUse) {
			t.Fatalf("a taken id: got %v, want an error other than ErrAddressInUse", err)
		}
		if got := findLBs(t, s, slb.LoadBalancerFilter{AccountID: account}); len(got) != 1 || got[0].Address != "127.1.0.1" {
			t.Errorf("after the refused create: %+v", got)
		}
	})

	t.Run("a small pool runs out", func(t *testing.T) {
		s := open(t)
		pool := netip.MustParsePrefix("10.9.8.4/30") // hosts .5 and .6
		for i, want := range []string{"10.9.8.5", "10.9.8.6"} {
			got, err := s.CreateLoadBalancer(ctx, newLB("lb-"+want, i), noLimit, pool)
			if err != nil || got.Address != want {
				t.Fatalf("got %v %v, want %s", got, err, want)
			}
		}
		_, err := s.CreateLoadBalancer(ctx, newLB("lb-x", 9), noLimit, pool)
		wantErr(t, "exhausted", err, slb.ErrAddressPoolExhausted)
	})
}

func testLoadBalancerTags(t *testing.T, open func(t *testing.T) LoadBalancerStore) {
	s := open(t)
	createLB(t, s, newLB("lb-a", 1))
	createLB(t, s, newLB("lb-b", 2))
	if err := s.UpdateLoadBalancerTags(ctx, account, region, []string{"lb-b", "lb-a"}, tags("app", "x", "env", "prod"), nil, false, 3); err != nil {
		t.Fatal(err)
	}
	for _, lb := range findLBs(t, s, slb.LoadBalancerFilter{AccountID: account}) {
		if want := tags("env", "prod", "app", "x"); !reflect.DeepEqual(lb.Tags, want) {
			t.Errorf("%s tags %v, want %v", lb.ID, lb.Tags, want)
		}
	}
	err := s.UpdateLoadBalancerTags(ctx, account, region, []string{"lb-a"}, tags("b", "1", "c", "2"), nil, false, 3)
	wantErr(t, "over the limit", err, slbcert.ErrTagLimit)
	err = s.UpdateLoadBalancerTags(ctx, account, region, []string{"lb-a", "lb-nope"}, tags("k", "v"), nil, false, 20)
	wantErr(t, "unknown id", err, slbcert.ErrNotFound)
	err = s.UpdateLoadBalancerTags(ctx, account, otherRegion, []string{"lb-a"}, tags("k", "v"), nil, false, 20)
	wantErr(t, "another region", err, slbcert.ErrNotFound)
	if lb := findLBs(t, s, slb.LoadBalancerFilter{AccountID: account, IDs: []string{"lb-a"}})[0]; len(lb.Tags) != 2 {
		t.Errorf("a failed update changed the tags: %v", lb.Tags)
	}
	if err := s.UpdateLoadBalancerTags(ctx, account, region, []string{"lb-a"}, nil, []string{"env"}, false, 20); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateLoadBalancerTags(ctx, account, region, []string{"lb-b"}, nil, nil, true, 20); err != nil {
		t.Fatal(err)
	}
	got := findLBs(t, s, slb.LoadBalancerFilter{AccountID: account})
	if !reflect.DeepEqual(got[0].Tags, tags("app", "x")) || !reflect.DeepEqual(got[1].Tags, []slbcert.Tag{}) {
		t.Errorf("after removal: %v / %v", got[0].Tags, got[1].Tags)
	}
}
