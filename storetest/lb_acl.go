package storetest

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"slbcert"
	"slbcert/slb"
)

// newACL returns an ACL of account in region created i minutes after
// lbTime0.
func newACL(id, name string, i int, entries ...string) *slb.ACL {
	a := &slb.ACL{ID: id, AccountID: account, RegionID: region, Name: name, AddressIPVersion: "ipv4", ResourceGroupID: rg,
		CreateTime: lbTime0.Add(time.Duration(i) * time.Minute), Entries: []slb.ACLEntry{}, Tags: []slbcert.Tag{}}
	for _, e := range entries {
		a.Entries = append(a.Entries, slb.ACLEntry{Entry: e, Comment: "c-" + e})
	}
	return a
}

func createACL(t *testing.T, s LoadBalancerStore, a *slb.ACL) {
	t.Helper()
	if err := s.CreateACL(ctx, a, noLimit); err != nil {
		t.Fatalf("CreateACL(%s): %v", a.ID, err)
	}
}

func findACLs(t *testing.T, s LoadBalancerStore, f slb.ACLFilter) []*slb.ACL {
	t.Helper()
	if f.AccountID == "" {
		f.AccountID = account
	}
	got, err := s.FindACLs(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if got == nil {
		t.Fatal("FindACLs returned nil")
	}
	return got
}

// testACLs: ACLs round-trip with their entries in order, are counted per
// account and region, have unique names there, and are serialised per ACL.
func testACLs(t *testing.T, open func(t *testing.T) LoadBalancerStore) {
	t.Run("create, find, round-trip, quota, names", func(t *testing.T) {
		s := open(t)
		a := newACL("acl-1", "office", 1, "10.0.0.0/8", "192.168.1.7", "2001:db8::/32")
		a.Tags = tags("k", "v")
		createACL(t, s, a)
		createACL(t, s, newACL("acl-2", "empty", 2))
		got := findACLs(t, s, slb.ACLFilter{RegionID: region})
		if len(got) != 2 || !reflect.DeepEqual(got[0], a) || len(got[1].Entries) != 0 || got[1].Entries == nil {
			t.Fatalf("got %+v\nwant %+v", got[0], a)
		}
		if got := findACLs(t, s, slb.ACLFilter{IDs: []string{"acl-2", "acl-x"}}); len(got) != 1 || got[0].ID != "acl-2" {
			t.Errorf("by id: %+v", got)
		}
		if got := findACLs(t, s, slb.ACLFilter{AccountID: otherAccount}); len(got) != 0 {
			t.Errorf("another account sees %d", len(got))
		}
		wantErr(t, "quota", s.CreateACL(ctx, newACL("acl-3", "third", 3), 2), slbcert.ErrQuotaExceeded)
		wantErr(t, "name taken", s.CreateACL(ctx, newACL("acl-3", "office", 3), noLimit), slbcert.ErrAlreadyExists)
		other := newACL("acl-4", "office", 4)
		other.AccountID = otherAccount
		if err := s.CreateACL(ctx, other, 1); err != nil {
			t.Errorf("another account's name and quota: %v", err)
		}
		other = newACL("acl-5", "office", 5)
		other.RegionID = "cn-beijing"
		if err := s.CreateACL(ctx, other, 1); err != nil {
			t.Errorf("another region's name and quota: %v", err)
		}
	})
	t.Run("update and delete", func(t *testing.T) {
		s := open(t)
		createACL(t, s, newACL("acl-1", "a", 1, "10.0.0.0/8"))
		createACL(t, s, newACL("acl-2", "b", 2))
		got, err := s.UpdateACL(ctx, account, "acl-1", func(a *slb.ACL) error {
			a.Name = "renamed"
			a.Entries = append(a.Entries, slb.ACLEntry{Entry: "1.2.3.4/32"})
			a.ID, a.AccountID = "acl-z", otherAccount // not written
			return nil
		})
		if err != nil || got.Name != "renamed" {
			t.Fatalf("%+v %v", got, err)
		}
		a := findACLs(t, s, slb.ACLFilter{IDs: []string{"acl-1"}})[0]
		if a.Name != "renamed" || len(a.Entries) != 2 || a.Entries[1].Entry != "1.2.3.4/32" {
			t.Errorf("after update %+v", a)
		}
		_, err = s.UpdateACL(ctx, account, "acl-1", func(a *slb.ACL) error { a.Name = "b"; return nil })
		wantErr(t, "rename onto a taken name", err, slbcert.ErrAlreadyExists)
		_, err = s.UpdateACL(ctx, account, "acl-1", func(a *slb.ACL) error { a.Entries = nil; return errTest })
		wantErr(t, "fn's error", err, errTest)
		_, err = s.UpdateACL(ctx, otherAccount, "acl-1", func(*slb.ACL) error { return nil })
		wantErr(t, "another account's", err, slbcert.ErrNotFound)
		if a := findACLs(t, s, slb.ACLFilter{IDs: []string{"acl-1"}})[0]; a.Name != "renamed" || len(a.Entries) != 2 {
			t.Errorf("failed updates wrote %+v", a)
		}
		wantErr(t, "delete by another account", s.DeleteACL(ctx, otherAccount, "acl-1"), slbcert.ErrNotFound)
		if err := s.DeleteACL(ctx, account, "acl-1"); err != nil {
			t.Fatal(err)
		}
		wantErr(t, "delete again", s.DeleteACL(ctx, account, "acl-1"), slbcert.ErrNotFound)
	})
	t.Run("concurrent entry changes are serialised", func(t *testing.T) {
		s := open(t)
		createACL(t, s, newACL("acl-1", "a", 1))
		var wg sync.WaitGroup
		for i := range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.UpdateACL(ctx, account, "acl-1", func(a *slb.ACL) error {
					a.Entries = append(a.Entries, slb.ACLEntry{Entry: "10.0.0." + string(rune('0'+i))})
					return nil
				}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if a := findACLs(t, s, slb.ACLFilter{})[0]; len(a.Entries) != 10 {
			t.Fatalf("%d entries after 10 concurrent adds", len(a.Entries))
		}
	})
}

// testListenerACLs: a listener's ACL references round-trip in order, are
// enforced (an ACL in use is not deleted; an unknown one is not
// referenced), and go with the listener or its load balancer.
func testListenerACLs(t *testing.T, open func(t *testing.T) LoadBalancerStore) {
	s := open(t)
	createLB(t, s, newLB("lb-a", 1))
	createACL(t, s, newACL("acl-1", "a", 1, "10.0.0.0/8"))
	createACL(t, s, newACL("acl-2", "b", 2))
	l := newTCP("lb-a", 80)
	l.ACLIDs = []string{"acl-2", "acl-1"}
	createListener(t, s, l)
	if got := listener(t, s, "lb-a", 80); !reflect.DeepEqual(got.ACLIDs, []string{"acl-2", "acl-1"}) {
		t.Fatalf("ACLIDs %v", got.ACLIDs)
	}
	if got := findListeners(t, s, slb.ListenerFilter{ACLID: "acl-1"}); len(got) != 1 || got[0].Port != 80 {
		t.Fatalf("by ACL: %+v", got)
	}
	if got := findListeners(t, s, slb.ListenerFilter{ACLID: "acl-x"}); len(got) != 0 {
		t.Fatalf("by unknown ACL: %+v", got)
	}
	wantErr(t, "delete an ACL in use", s.DeleteACL(ctx, account, "acl-1"), slbcert.ErrInUse)
	bad := newTCP("lb-a", 81)
	bad.ACLIDs = []string{"acl-1", "acl-x"}
	wantErr(t, "an unknown ACL", s.CreateListener(ctx, account, bad, noLimit), slbcert.ErrInvalidReference)
	if got := findListeners(t, s, slb.ListenerFilter{}); len(got) != 1 {
		t.Fatalf("the failed create left %d listeners", len(got))
	}
	_, err := s.UpdateListener(ctx, account, "lb-a", 80, slb.FamilyTCP, func(l *slb.Listener) error {
		l.ACLIDs = []string{"acl-x"}
		return nil
	})
	wantErr(t, "update to an unknown ACL", err, slbcert.ErrInvalidReference)
	if _, err := s.UpdateListener(ctx, account, "lb-a", 80, slb.FamilyTCP, func(l *slb.Listener) error {
		l.ACLIDs = []string{"acl-2"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteACL(ctx, account, "acl-1"); err != nil {
		t.Fatalf("an ACL released by an update: %v", err)
	}
	u := newTCP("lb-a", 80)
	u.Protocol = slb.ProtocolUDP
	u.ACLIDs = []string{"acl-2"}
	createListener(t, s, u)
	if err := s.DeleteListener(ctx, account, "lb-a", 80, slb.FamilyTCP); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "still used by the UDP listener", s.DeleteACL(ctx, account, "acl-2"), slbcert.ErrInUse)
	if err := s.DeleteLoadBalancer(ctx, account, "lb-a"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteACL(ctx, account, "acl-2"); err != nil {
		t.Fatalf("an ACL released by its load balancer's delete: %v", err)
	}
}

// newTCP returns a stopped TCP listener.
func newTCP(lbID string, port int) *slb.Listener {
	return &slb.Listener{LoadBalancerID: lbID, Port: port, Protocol: slb.ProtocolTCP, Status: slb.ListenerStopped,
		CreateTime: lbTime0, ACLIDs: []string{}, DomainExtensions: []slb.DomainExtension{},
		Config: slb.ListenerConfig{Bandwidth: -1, BackendServerPort: 80, Scheduler: "wrr", Tags: []slbcert.Tag{}}}
}

// testListenerFamilies: a port is unique in its family; a UDP listener
// shares one with an HTTPS listener, each addressed by its own family.
func testListenerFamilies(t *testing.T, open func(t *testing.T) LoadBalancerStore) {
	s := open(t)
	serverCertN(t, s, "sc-1")
	createLB(t, s, newLB("lb-a", 1))
	createListener(t, s, newListener("lb-a", 443, "sc-1"))
	if err := s.CreateDomainExtension(ctx, account, newExtension("de-1", 443, "a.example.com", "sc-1", 0), noLimit); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "TCP beside HTTPS", s.CreateListener(ctx, account, newTCP("lb-a", 443), noLimit), slbcert.ErrAlreadyExists)
	u := newTCP("lb-a", 443)
	u.Protocol = slb.ProtocolUDP
	createListener(t, s, u)
	u2 := newTCP("lb-a", 443)
	u2.Protocol = slb.ProtocolUDP
	wantErr(t, "two UDP", s.CreateListener(ctx, account, u2, noLimit), slbcert.ErrAlreadyExists)
	got := findListeners(t, s, slb.ListenerFilter{Port: 443})
	if len(got) != 2 || got[0].Protocol != slb.ProtocolHTTPS || got[1].Protocol != slb.ProtocolUDP ||
		len(got[0].DomainExtensions) != 1 || len(got[1].DomainExtensions) != 0 {
		t.Fatalf("listeners on 443: %+v", got)
	}
	if _, err := s.UpdateListener(ctx, account, "lb-a", 443, slb.FamilyUDP, func(l *slb.Listener) error {
		l.Status = slb.ListenerRunning
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if l := findListeners(t, s, slb.ListenerFilter{Port: 443, Protocol: slb.ProtocolHTTPS})[0]; l.Status != slb.ListenerStopped {
		t.Fatalf("the UDP listener's update reached the HTTPS one: %+v", l)
	}
	if err := s.DeleteListener(ctx, account, "lb-a", 443, slb.FamilyUDP); err != nil {
		t.Fatal(err)
	}
	if got := findListeners(t, s, slb.ListenerFilter{Port: 443}); len(got) != 1 || got[0].Protocol != slb.ProtocolHTTPS || len(got[0].DomainExtensions) != 1 {
		t.Fatalf("after deleting the UDP one: %+v", got)
	}
	wantErr(t, "delete the UDP one again", s.DeleteListener(ctx, account, "lb-a", 443, slb.FamilyUDP), slbcert.ErrNotFound)
}

// testSnapshotACLs: a served listener's ACLs are in the snapshot with
// their entries; a stopped listener's are not.
func testSnapshotACLs(t *testing.T, open func(t *testing.T) LoadBalancerStore) {
	s := open(t)
	createLB(t, s, newLB("lb-a", 1))
	createACL(t, s, newACL("acl-1", "a", 1, "10.0.0.0/8", "10.1.0.0/16"))
	createACL(t, s, newACL("acl-stopped", "b", 2))
	l := newTCP("lb-a", 80)
	l.Status, l.ACLIDs = slb.ListenerRunning, []string{"acl-1"}
	createListener(t, s, l)
	stopped := newTCP("lb-a", 81)
	stopped.ACLIDs = []string{"acl-stopped"}
	createListener(t, s, stopped)
	changes, cancel := s.SubscribeLoadBalancers()
	defer cancel()
	snap, err := s.DataPlaneSnapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.LoadBalancers) != 1 || len(snap.LoadBalancers[0].Listeners) != 1 ||
		!reflect.DeepEqual(snap.LoadBalancers[0].Listeners[0].ACLIDs, []string{"acl-1"}) {
		t.Fatalf("served: %+v", snap.LoadBalancers)
	}
	if len(snap.ACLs) != 1 || len(snap.ACLs["acl-1"].Entries) != 2 {
		t.Fatalf("ACLs %+v", snap.ACLs)
	}
	if _, err := s.UpdateACL(ctx, account, "acl-1", func(a *slb.ACL) error { a.Entries = a.Entries[:1]; return nil }); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changes:
	case <-time.After(5 * time.Second):
		t.Fatal("no notification after an ACL's entries changed")
	}
}
