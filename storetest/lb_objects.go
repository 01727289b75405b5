package storetest

import (
	"errors"
	"reflect"
	"slbcert/slb"
	"strconv"
	"sync"
	"testing"
	"time"

	"slbcert"
)

func newExtension(id string, port int, domain, cert string, i int) *slb.DomainExtension {
	return &slb.DomainExtension{ID: id, LoadBalancerID: "lb-a", ListenerPort: port, Domain: domain,
		ServerCertificateID: cert, CreateTime: lbTime0.Add(time.Duration(i) * time.Second)}
}

func testDomainExtensions(t *testing.T, open func(t *testing.T) LoadBalancerStore) {
	s := open(t)
	serverCertN(t, s, "sc-1", "sc-2")
	createLB(t, s, newLB("lb-a", 1))
	createListener(t, s, newListener("lb-a", 443, "sc-1"))
	createListener(t, s, newListener("lb-a", 8443, "sc-1"))
	for i, e := range []*slb.DomainExtension{
		newExtension("de-2", 443, "b.example.com", "sc-1", 2),
		newExtension("de-1", 443, "a.example.com", "sc-2", 1),
		newExtension("de-3", 8443, "a.example.com", "sc-2", 3),
	} {
		if err := s.CreateDomainExtension(ctx, account, e, 2); err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
	}
	wantErr(t, "duplicate domain", s.CreateDomainExtension(ctx, account, newExtension("de-4", 8443, "a.example.com", "sc-1", 4), 9), slbcert.ErrAlreadyExists)
	wantErr(t, "quota", s.CreateDomainExtension(ctx, account, newExtension("de-4", 443, "c.example.com", "sc-1", 4), 2), slbcert.ErrQuotaExceeded)
	wantErr(t, "no such listener", s.CreateDomainExtension(ctx, account, newExtension("de-4", 80, "c.example.com", "sc-1", 4), 9), slbcert.ErrNotFound)
	wantErr(t, "another account", s.CreateDomainExtension(ctx, otherAccount, newExtension("de-4", 443, "c.example.com", "sc-1", 4), 9), slbcert.ErrNotFound)
	wantErr(t, "unknown certificate", s.CreateDomainExtension(ctx, account, newExtension("de-4", 8443, "c.example.com", "sc-x", 4), 9), slbcert.ErrInvalidReference)

	got, err := s.FindDomainExtensions(ctx, account, "lb-a", 443)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "de-1" || got[1].ID != "de-2" || got[0].ServerCertificateID != "sc-2" || got[0].Domain != "a.example.com" {
		t.Errorf("find: %+v", got)
	}
	if l := listener(t, s, "lb-a", 443); len(l.DomainExtensions) != 2 || l.DomainExtensions[0].ID != "de-1" {
		t.Errorf("listener's extensions: %+v", l.DomainExtensions)
	}
	if none, err := s.FindDomainExtensions(ctx, account, "lb-a", 9999); err != nil || none == nil || len(none) != 0 {
		t.Errorf("none: %v %v", none, err)
	}
	e, err := s.GetDomainExtension(ctx, account, "de-3")
	if err != nil || !reflect.DeepEqual(e, newExtension("de-3", 8443, "a.example.com", "sc-2", 3)) {
		t.Errorf("get: %+v %v", e, err)
	}
	_, err = s.GetDomainExtension(ctx, otherAccount, "de-3")
	wantErr(t, "get by another account", err, slbcert.ErrNotFound)
	if err := s.SetDomainExtensionCertificate(ctx, account, "de-3", "sc-1"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "set unknown certificate", s.SetDomainExtensionCertificate(ctx, account, "de-3", "sc-x"), slbcert.ErrInvalidReference)
	wantErr(t, "set unknown extension", s.SetDomainExtensionCertificate(ctx, account, "de-x", "sc-1"), slbcert.ErrNotFound)
	if e, _ := s.GetDomainExtension(ctx, account, "de-3"); e.ServerCertificateID != "sc-1" {
		t.Errorf("after set: %s", e.ServerCertificateID)
	}
	if err := s.DeleteDomainExtension(ctx, account, "de-3"); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetDomainExtension(ctx, account, "de-3")
	wantErr(t, "deleted at once", err, slbcert.ErrNotFound)
	wantErr(t, "delete again", s.DeleteDomainExtension(ctx, account, "de-3"), slbcert.ErrNotFound)
	if err := s.DeleteListener(ctx, account, "lb-a", 443, slb.FamilyTCP); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetDomainExtension(ctx, account, "de-1")
	wantErr(t, "gone with the listener", err, slbcert.ErrNotFound)
}

func testVServerGroups(t *testing.T, open func(t *testing.T) LoadBalancerStore) {
	s := open(t)
	serverCertN(t, s, "sc-1")
	createLB(t, s, newLB("lb-a", 1))
	members := []slb.BackendServer{{ServerID: "i-1", Port: 80, Weight: 100, Type: "ecs"}, {ServerID: "eni-2", Port: 81, Weight: 0, Type: "eni", ServerIP: "10.0.0.2", Description: "d"}}
	g := &slb.VServerGroup{ID: "rsp-1", LoadBalancerID: "lb-a", Name: "web", CreateTime: lbTime0, BackendServers: members, Tags: tags("k", "v")}
	if err := s.CreateVServerGroup(ctx, account, g); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateVServerGroup(ctx, account, &slb.VServerGroup{ID: "rsp-2", LoadBalancerID: "lb-a", CreateTime: lbTime0.Add(time.Second)}); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "no such load balancer", s.CreateVServerGroup(ctx, otherAccount, &slb.VServerGroup{ID: "rsp-3", LoadBalancerID: "lb-a"}), slbcert.ErrNotFound)
	got, err := s.GetVServerGroup(ctx, account, "rsp-1")
	if err != nil || !reflect.DeepEqual(got, g) {
		t.Errorf("get %+v %v", got, err)
	}
	list, err := s.FindVServerGroups(ctx, account, "lb-a")
	if err != nil || len(list) != 2 || list[0].ID != "rsp-1" || list[1].BackendServers == nil || list[1].Tags == nil {
		t.Errorf("find %+v %v", list, err)
	}
	if _, err := s.UpdateVServerGroup(ctx, account, "rsp-1", func(g *slb.VServerGroup) error {
		g.Name, g.BackendServers = "renamed", g.BackendServers[:1]
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetVServerGroup(ctx, account, "rsp-1"); got.Name != "renamed" || len(got.BackendServers) != 1 {
		t.Errorf("after update %+v", got)
	}
	l := newListener("lb-a", 443, "sc-1")
	l.VServerGroupID = "rsp-1"
	createListener(t, s, l)
	wantErr(t, "delete in use", s.DeleteVServerGroup(ctx, account, "rsp-1"), slbcert.ErrInUse)
	if err := s.DeleteVServerGroup(ctx, account, "rsp-2"); err != nil {
		t.Errorf("delete unused: %v", err)
	}
	wantErr(t, "delete again", s.DeleteVServerGroup(ctx, account, "rsp-2"), slbcert.ErrNotFound)
	if _, err := s.UpdateListener(ctx, account, "lb-a", 443, slb.FamilyTCP, func(l *slb.Listener) error { l.VServerGroupID = ""; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteVServerGroup(ctx, account, "rsp-1"); err != nil {
		t.Errorf("delete after the listener let go: %v", err)
	}
}

func testTLSCipherPolicies(t *testing.T, open func(t *testing.T) LoadBalancerStore) {
	s := open(t)
	serverCertN(t, s, "sc-1")
	createLB(t, s, newLB("lb-a", 1))
	p := &slb.TLSCipherPolicy{ID: "tls-1", AccountID: account, RegionID: region, Name: "p",
		TLSVersions: []string{"TLSv1.2"}, Ciphers: []string{"AES128-SHA"}, CreateTime: lbTime0}
	if err := s.CreateTLSCipherPolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindTLSCipherPolicies(ctx, account, region)
	if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], p) {
		t.Errorf("find %+v %v", got, err)
	}
	if other, _ := s.FindTLSCipherPolicies(ctx, otherAccount, region); len(other) != 0 {
		t.Error("another account sees the policy")
	}
	if _, err := s.UpdateTLSCipherPolicy(ctx, account, region, "tls-1", func(p *slb.TLSCipherPolicy) error {
		p.Name, p.TLSVersions = "q", []string{"TLSv1.2", "TLSv1.3"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	_, err = s.UpdateTLSCipherPolicy(ctx, account, otherRegion, "tls-1", func(*slb.TLSCipherPolicy) error { return nil })
	wantErr(t, "another region", err, slbcert.ErrNotFound)
	l := newListener("lb-a", 443, "sc-1")
	l.TLSCipherPolicy = "tls-1"
	createListener(t, s, l)
	wantErr(t, "delete in use", s.DeleteTLSCipherPolicy(ctx, account, region, "tls-1"), slbcert.ErrInUse)
	if _, err := s.UpdateListener(ctx, account, "lb-a", 443, slb.FamilyTCP, func(l *slb.Listener) error {
		l.TLSCipherPolicy = slb.DefaultTLSCipherPolicy
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTLSCipherPolicy(ctx, account, region, "tls-1"); err != nil {
		t.Errorf("delete unused: %v", err)
	}
	wantErr(t, "delete again", s.DeleteTLSCipherPolicy(ctx, account, region, "tls-1"), slbcert.ErrNotFound)
}

func testSnapshot(t *testing.T, open func(t *testing.T) LoadBalancerStore) {
	s := open(t)
	serverCertN(t, s, "sc-1", "sc-2", "sc-unused", "sc-stopped", "sc-stopped-ext")
	caCertN(t, s, "ca-1")
	changes, cancel := s.SubscribeLoadBalancers()
	defer cancel()
	createLB(t, s, newLB("lb-a", 1))
	select {
	case <-changes:
	case <-time.After(5 * time.Second):
		t.Fatal("no notification after CreateLoadBalancer")
	}
	off := newLB("lb-off", 2)
	off.Status = slb.LoadBalancerInactive
	createLB(t, s, off)
	createListener(t, s, newListener("lb-off", 443, "sc-unused"))
	l := newListener("lb-a", 443, "sc-1")
	l.Status = slb.ListenerRunning
	l.CACertificateID = "ca-1"
	l.TLSCipherPolicy = "tls-1"
	if err := s.CreateTLSCipherPolicy(ctx, &slb.TLSCipherPolicy{ID: "tls-1", AccountID: account, RegionID: region, Name: "p",
		TLSVersions: []string{"TLSv1.2"}, Ciphers: []string{"AES128-SHA"}, CreateTime: lbTime0}); err != nil {
		t.Fatal(err)
	}
	createListener(t, s, l)
	if err := s.CreateDomainExtension(ctx, account, newExtension("de-1", 443, "a.example.com", "sc-2", 0), noLimit); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateVServerGroup(ctx, account, &slb.VServerGroup{ID: "rsp-1", LoadBalancerID: "lb-a", CreateTime: lbTime0}); err != nil {
		t.Fatal(err)
	}
	// A stopped listener is not served: neither it nor what it references
	// is in the snapshot.
	createListener(t, s, newListener("lb-a", 8443, "sc-stopped"))
	if err := s.CreateDomainExtension(ctx, account, newExtension("de-2", 8443, "b.example.com", "sc-stopped-ext", 0), noLimit); err != nil {
		t.Fatal(err)
	}
	snap, err := s.DataPlaneSnapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.LoadBalancers) != 1 || snap.LoadBalancers[0].LoadBalancer.ID != "lb-a" {
		t.Fatalf("active load balancers: %+v", snap.LoadBalancers)
	}
	d := snap.LoadBalancers[0]
	if len(d.Listeners) != 1 || len(d.Listeners[0].DomainExtensions) != 1 || len(d.VServerGroups) != 1 || d.LoadBalancer.Address == "" {
		t.Errorf("load balancer %+v", d)
	}
	if len(snap.Certificates) != 3 || snap.Certificates["sc-unused"] != nil || snap.Certificates["sc-stopped"] != nil || snap.Certificates["sc-stopped-ext"] != nil {
		t.Errorf("certificates: %v", len(snap.Certificates))
	}
	want := serverCert("sc-1", 0)
	if c := snap.Certificates["sc-1"]; c == nil || c.CertificatePEM != want.CertificatePEM ||
		!reflect.DeepEqual(c.SealedPrivateKey, want.SealedPrivateKey) || c.Kind != slb.KindServer || c.AccountID != account {
		t.Errorf("sc-1 in the snapshot: %+v", c)
	}
	if c := snap.Certificates["ca-1"]; c == nil || c.SealedPrivateKey != nil || c.Kind != slb.KindCA {
		t.Errorf("ca-1 in the snapshot: %+v", c)
	}
	if p := snap.TLSCipherPolicies["tls-1"]; p == nil || p.Ciphers[0] != "AES128-SHA" {
		t.Errorf("policies: %+v", snap.TLSCipherPolicies)
	}
}

// testSnapshotServedOnly: a snapshot holds the active load balancers that
// have a running listener, oldest first, each with its own groups and its
// running listeners' extensions; an active one without a running listener
// serves nothing and is left out.
func testSnapshotServedOnly(t *testing.T, open func(t *testing.T) LoadBalancerStore) {
	s := open(t)
	serverCertN(t, s, "sc-1")
	for i, id := range []string{"lb-2", "lb-idle", "lb-1"} {
		createLB(t, s, newLB(id, map[string]int{"lb-1": 1, "lb-2": 2, "lb-idle": 0}[id]))
		g := &slb.VServerGroup{ID: "rsp-" + id, LoadBalancerID: id, CreateTime: lbTime0.Add(time.Duration(i) * time.Second)}
		if err := s.CreateVServerGroup(ctx, account, g); err != nil {
			t.Fatal(err)
		}
		createListener(t, s, newListener(id, 8443, "sc-1")) // stopped
		if id != "lb-idle" {
			l := newListener(id, 443, "sc-1")
			l.Status = slb.ListenerRunning
			createListener(t, s, l)
		}
		e := &slb.DomainExtension{ID: "de-" + id, LoadBalancerID: id, ListenerPort: 8443, Domain: "a.example.com",
			ServerCertificateID: "sc-1", CreateTime: lbTime0}
		if err := s.CreateDomainExtension(ctx, account, e, noLimit); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateDomainExtension(ctx, account, &slb.DomainExtension{ID: "de-served", LoadBalancerID: "lb-2", ListenerPort: 443,
		Domain: "b.example.com", ServerCertificateID: "sc-1", CreateTime: lbTime0}, noLimit); err != nil {
		t.Fatal(err)
	}
	snap, err := s.DataPlaneSnapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range snap.LoadBalancers {
		got = append(got, d.LoadBalancer.ID)
		if len(d.VServerGroups) != 1 || d.VServerGroups[0].ID != "rsp-"+d.LoadBalancer.ID {
			t.Errorf("%s: groups %+v", d.LoadBalancer.ID, d.VServerGroups)
		}
		if len(d.Listeners) != 1 || d.Listeners[0].Port != 443 || d.Listeners[0].LoadBalancerID != d.LoadBalancer.ID {
			t.Fatalf("%s: listeners %+v", d.LoadBalancer.ID, d.Listeners)
		}
		exts := d.Listeners[0].DomainExtensions
		if want := map[string]int{"lb-1": 0, "lb-2": 1}[d.LoadBalancer.ID]; len(exts) != want || want == 1 && exts[0].ID != "de-served" {
			t.Errorf("%s: extensions %+v", d.LoadBalancer.ID, exts)
		}
	}
	if !reflect.DeepEqual(got, []string{"lb-1", "lb-2"}) {
		t.Errorf("load balancers %v, want [lb-1 lb-2]: served ones only, oldest first", got)
	}
}

// testConcurrentSwapAndDelete races listener certificate swaps against
// deletes of the certificate swapped away from: whatever the order, a
// delete succeeds only when no listener references the certificate.
func testConcurrentSwapAndDelete(t *testing.T, open func(t *testing.T) LoadBalancerStore) {
	s := open(t)
	createLB(t, s, newLB("lb-a", 1))
	serverCertN(t, s, "sc-0")
	createListener(t, s, newListener("lb-a", 443, "sc-0"))
	for i := 1; i <= 15; i++ {
		old, next := "sc-"+strconv.Itoa(i-1), "sc-"+strconv.Itoa(i)
		create(t, s, serverCert(next, i))
		var wg sync.WaitGroup
		var swapErr, delErr error
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, swapErr = s.UpdateListener(ctx, account, "lb-a", 443, slb.FamilyTCP, func(l *slb.Listener) error {
				l.ServerCertificateID = next
				return nil
			})
		}()
		go func() {
			defer wg.Done()
			delErr = s.DeleteCertificate(ctx, account, region, slb.KindServer, old)
		}()
		wg.Wait()
		if swapErr != nil {
			t.Fatalf("round %d: swap: %v", i, swapErr)
		}
		if delErr != nil && !errors.Is(delErr, slbcert.ErrInUse) {
			t.Fatalf("round %d: delete: %v", i, delErr)
		}
		if delErr != nil { // the delete came first: the swap has let go since
			if err := s.DeleteCertificate(ctx, account, region, slb.KindServer, old); err != nil {
				t.Fatalf("round %d: delete after the swap: %v", i, err)
			}
		}
		if l := listener(t, s, "lb-a", 443); l.ServerCertificateID != next {
			t.Fatalf("round %d: listener serves %s", i, l.ServerCertificateID)
		}
	}
}
