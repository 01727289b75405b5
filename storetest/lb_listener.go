package storetest

import (
	"errors"
	"reflect"
	"slbcert/slb"
	"testing"

	"slbcert"
)

var errTest = errors.New("test error")

func testListeners(t *testing.T, open func(t *testing.T) LoadBalancerStore) {
	t.Run("create, find, round-trip", func(t *testing.T) {
		s := open(t)
		serverCertN(t, s, "sc-1")
		caCertN(t, s, "ca-1")
		createLB(t, s, newLB("lb-a", 1))
		want := newListener("lb-a", 443, "sc-1")
		want.CACertificateID = "ca-1"
		want.Config.Description, want.Config.XForwardedForSLBIP, want.Config.Tags = "d", "on", tags("k", "v")
		want.Config.ProxyProtocolV2Enabled = true
		createListener(t, s, want)
		plain := newListener("lb-a", 80, "")
		plain.Protocol, plain.TLSCipherPolicy = slb.ProtocolHTTP, ""
		createListener(t, s, plain)
		got := findListeners(t, s, slb.ListenerFilter{LoadBalancerIDs: []string{"lb-a"}})
		if len(got) != 2 || got[0].Port != 80 || got[1].Port != 443 {
			t.Fatalf("listeners %+v", got)
		}
		w := *want
		w.DomainExtensions = []slb.DomainExtension{}
		if !reflect.DeepEqual(got[1], &w) {
			t.Errorf("got  %+v\nwant %+v", got[1], &w)
		}
		if got[0].ServerCertificateID != "" || got[0].CACertificateID != "" || got[0].VServerGroupID != "" {
			t.Errorf("empty references read back %+v", got[0])
		}
		if got := findListeners(t, s, slb.ListenerFilter{Protocol: "https"}); len(got) != 1 || got[0].Port != 443 {
			t.Errorf("protocol filter: %d", len(got))
		}
		if got := findListeners(t, s, slb.ListenerFilter{AccountID: otherAccount}); len(got) != 0 {
			t.Errorf("another account sees %d", len(got))
		}
		if got := findListeners(t, s, slb.ListenerFilter{TLSCipherPolicies: []string{slb.DefaultTLSCipherPolicy}}); len(got) != 1 {
			t.Errorf("policy filter: %d", len(got))
		}
	})

	t.Run("port taken, quota, unknown load balancer, unknown references", func(t *testing.T) {
		s := open(t)
		serverCertN(t, s, "sc-1")
		createLB(t, s, newLB("lb-a", 1))
		createListener(t, s, newListener("lb-a", 443, "sc-1"))
		wantErr(t, "port taken", s.CreateListener(ctx, account, newListener("lb-a", 443, "sc-1"), noLimit), slbcert.ErrAlreadyExists)
		wantErr(t, "quota", s.CreateListener(ctx, account, newListener("lb-a", 444, "sc-1"), 1), slbcert.ErrQuotaExceeded)
		wantErr(t, "no such load balancer", s.CreateListener(ctx, account, newListener("lb-b", 443, "sc-1"), noLimit), slbcert.ErrNotFound)
		wantErr(t, "another account's", s.CreateListener(ctx, otherAccount, newListener("lb-a", 8443, "sc-1"), noLimit), slbcert.ErrNotFound)
		wantErr(t, "unknown certificate", s.CreateListener(ctx, account, newListener("lb-a", 8443, "sc-x"), noLimit), slbcert.ErrInvalidReference)
		l := newListener("lb-a", 8443, "sc-1")
		l.VServerGroupID = "rsp-x"
		wantErr(t, "unknown group", s.CreateListener(ctx, account, l, noLimit), slbcert.ErrInvalidReference)
		l = newListener("lb-a", 8443, "sc-1")
		l.TLSCipherPolicy = "tls-nope"
		wantErr(t, "unknown custom policy", s.CreateListener(ctx, account, l, noLimit), slbcert.ErrInvalidReference)
		if got := findListeners(t, s, slb.ListenerFilter{}); len(got) != 1 {
			t.Errorf("failed creates left %d listeners", len(got))
		}
	})

	t.Run("update and delete", func(t *testing.T) {
		s := open(t)
		serverCertN(t, s, "sc-1", "sc-2")
		createLB(t, s, newLB("lb-a", 1))
		createListener(t, s, newListener("lb-a", 443, "sc-1"))
		got, err := s.UpdateListener(ctx, account, "lb-a", 443, slb.FamilyTCP, func(l *slb.Listener) error {
			l.Status, l.ServerCertificateID, l.Config.Scheduler = slb.ListenerRunning, "sc-2", "rr"
			l.Port, l.LoadBalancerID = 1, "lb-z" // not written
			return nil
		})
		if err != nil || got.Status != "running" {
			t.Fatalf("update: %v %v", got, err)
		}
		l := listener(t, s, "lb-a", 443)
		if l.Status != "running" || l.ServerCertificateID != "sc-2" || l.Config.Scheduler != "rr" {
			t.Errorf("after update %+v", l)
		}
		_, err = s.UpdateListener(ctx, account, "lb-a", 443, slb.FamilyTCP, func(l *slb.Listener) error {
			l.ServerCertificateID = "sc-x"
			return nil
		})
		wantErr(t, "unknown certificate", err, slbcert.ErrInvalidReference)
		_, err = s.UpdateListener(ctx, account, "lb-a", 443, slb.FamilyTCP, func(l *slb.Listener) error { l.Config.Scheduler = "wlc"; return errTest })
		wantErr(t, "fn's error", err, errTest)
		if l := listener(t, s, "lb-a", 443); l.ServerCertificateID != "sc-2" || l.Config.Scheduler != "rr" {
			t.Errorf("failed updates wrote %+v", l)
		}
		_, err = s.UpdateListener(ctx, account, "lb-a", 80, slb.FamilyTCP, func(*slb.Listener) error { return nil })
		wantErr(t, "no such port", err, slbcert.ErrNotFound)
		wantErr(t, "delete by another account", s.DeleteListener(ctx, otherAccount, "lb-a", 443, slb.FamilyTCP), slbcert.ErrNotFound)
		if err := s.DeleteListener(ctx, account, "lb-a", 443, slb.FamilyTCP); err != nil {
			t.Fatal(err)
		}
		wantErr(t, "delete again", s.DeleteListener(ctx, account, "lb-a", 443, slb.FamilyTCP), slbcert.ErrNotFound)
	})
}

func testCertificatesInUse(t *testing.T, open func(t *testing.T) LoadBalancerStore) {
	s := open(t)
	serverCertN(t, s, "sc-1", "sc-2", "sc-3")
	caCertN(t, s, "ca-1")
	createLB(t, s, newLB("lb-a", 1))
	l := newListener("lb-a", 443, "sc-1")
	l.CACertificateID = "ca-1"
	createListener(t, s, l)
	if err := s.CreateDomainExtension(ctx, account, &slb.DomainExtension{ID: "de-1", LoadBalancerID: "lb-a",
		ListenerPort: 443, Domain: "a.example.com", ServerCertificateID: "sc-3", CreateTime: lbTime0}, noLimit); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		kind slb.CertificateKind
		id   string
	}{{slb.KindServer, "sc-1"}, {slb.KindCA, "ca-1"}, {slb.KindServer, "sc-3"}} {
		wantErr(t, "delete "+c.id, s.DeleteCertificate(ctx, account, region, c.kind, c.id), slbcert.ErrInUse)
		if get(t, s, c.id) == nil {
			t.Errorf("%s was deleted", c.id)
		}
	}
	if err := s.DeleteCertificate(ctx, account, region, slb.KindServer, "sc-2"); err != nil {
		t.Errorf("an unreferenced certificate: %v", err)
	}
	serverCertN(t, s, "sc-2")
	// A swap releases the old reference at once.
	if _, err := s.UpdateListener(ctx, account, "lb-a", 443, slb.FamilyTCP, func(l *slb.Listener) error {
		l.ServerCertificateID, l.CACertificateID = "sc-2", ""
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDomainExtensionCertificate(ctx, account, "de-1", "sc-2"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		kind slb.CertificateKind
		id   string
	}{{slb.KindServer, "sc-1"}, {slb.KindCA, "ca-1"}, {slb.KindServer, "sc-3"}} {
		if err := s.DeleteCertificate(ctx, account, region, c.kind, c.id); err != nil {
			t.Errorf("delete %s after the swap: %v", c.id, err)
		}
	}
	wantErr(t, "the new one", s.DeleteCertificate(ctx, account, region, slb.KindServer, "sc-2"), slbcert.ErrInUse)
	// Deleting the listener releases the listener's and its extensions'.
	if err := s.DeleteListener(ctx, account, "lb-a", 443, slb.FamilyTCP); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteCertificate(ctx, account, region, slb.KindServer, "sc-2"); err != nil {
		t.Errorf("after the listener is gone: %v", err)
	}
}
