package storetest

import (
	"context"
	"errors"
	"slbcert/slb"
	"testing"

	"slbcert"
)

// notFoundCases are the addresses that must miss a server certificate "sc-1"
// of account in region (and a CA certificate "ca-1" next to it).
var notFoundCases = []struct {
	name            string
	account, region string
	kind            slb.CertificateKind
	id              string
	kindMatters     bool // the case only misses for operations that take a kind
}{
	{name: "unknown id", account: account, region: region, kind: slb.KindServer, id: "missing"},
	{name: "other account", account: otherAccount, region: region, kind: slb.KindServer, id: "sc-1"},
	{name: "other region", account: account, region: otherRegion, kind: slb.KindServer, id: "sc-1"},
	{name: "wrong kind", account: account, region: region, kind: slb.KindCA, id: "sc-1", kindMatters: true},
	{name: "wrong kind of a CA certificate", account: account, region: region, kind: slb.KindServer, id: "ca-1", kindMatters: true},
}

// fixture is a server certificate sc-1 and a CA certificate ca-1 of account
// in region, and sc-other of the other account, as tests expect them stored.
type fixture struct{ sc, ca, other *slb.Certificate }

func newFixture(t *testing.T, s slb.CertificateStore) *fixture {
	t.Helper()
	f := &fixture{sc: serverCert("sc-1", 1), ca: caCert("ca-1", 2), other: serverCert("sc-other", 3)}
	f.ca.Tags = tags("env", "ca")
	f.other.AccountID = otherAccount
	create(t, s, f.sc, f.ca, f.other)
	return f
}

// check checks that the store holds the fixture's certificates as expected.
func (f *fixture) check(t *testing.T, s slb.CertificateStore) {
	t.Helper()
	wantIDs(t, "certificates", all(t, s), "sc-1", "ca-1")
	wantCert(t, mustGet(t, s, "sc-1"), f.sc)
	wantCert(t, mustGet(t, s, "ca-1"), f.ca)
	others := find(t, s, slb.CertificateFilter{AccountID: otherAccount, RegionID: region})
	wantIDs(t, "other account", others, "sc-other")
	if len(others) == 1 {
		wantCert(t, others[0], f.other)
	}
}

func testRename(t *testing.T, open opener) {
	ctx := context.Background()
	t.Run("sets the name of that certificate only", func(t *testing.T) {
		s := open(t)
		f := newFixture(t, s)
		if err := s.RenameCertificate(ctx, account, region, slb.KindServer, "sc-1", "renamed"); err != nil {
			t.Fatal(err)
		}
		f.sc.Name = "renamed"
		f.check(t, s)
		if err := s.RenameCertificate(ctx, account, region, slb.KindCA, "ca-1", "renamed-ca"); err != nil {
			t.Fatal(err)
		}
		f.ca.Name = "renamed-ca"
		f.check(t, s)
	})

	t.Run("to the current name succeeds", func(t *testing.T) {
		s := open(t)
		f := newFixture(t, s)
		if err := s.RenameCertificate(ctx, account, region, slb.KindServer, "sc-1", f.sc.Name); err != nil {
			t.Fatalf("got %v, want nil", err)
		}
		f.check(t, s)
	})

	for _, tc := range notFoundCases {
		t.Run("ErrNotFound for "+tc.name, func(t *testing.T) {
			s := open(t)
			f := newFixture(t, s)
			err := s.RenameCertificate(ctx, tc.account, tc.region, tc.kind, tc.id, "renamed")
			if !errors.Is(err, slbcert.ErrNotFound) {
				t.Errorf("got %v, want ErrNotFound", err)
			}
			f.check(t, s)
		})
	}
}

func testDelete(t *testing.T, open opener) {
	ctx := context.Background()
	t.Run("removes the certificate and its tags", func(t *testing.T) {
		s := open(t)
		f := newFixture(t, s)
		if err := s.DeleteCertificate(ctx, account, region, slb.KindServer, "sc-1"); err != nil {
			t.Fatal(err)
		}
		wantIDs(t, "after delete", all(t, s), "ca-1")
		wantCert(t, mustGet(t, s, "ca-1"), f.ca)
		wantIDs(t, "other account", find(t, s, slb.CertificateFilter{AccountID: otherAccount, RegionID: region}), "sc-other")
		// Created again without tags, it must not find the old ones.
		f.sc.Tags = nil
		create(t, s, f.sc)
		wantTags(t, s, "sc-1")
		if err := s.DeleteCertificate(ctx, account, region, slb.KindCA, "ca-1"); err != nil {
			t.Fatal(err)
		}
		f.ca.Tags = nil
		create(t, s, f.ca)
		wantTags(t, s, "ca-1")
		f.check(t, s)
	})

	t.Run("twice is ErrNotFound", func(t *testing.T) {
		s := open(t)
		newFixture(t, s)
		if err := s.DeleteCertificate(ctx, account, region, slb.KindServer, "sc-1"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteCertificate(ctx, account, region, slb.KindServer, "sc-1"); !errors.Is(err, slbcert.ErrNotFound) {
			t.Errorf("got %v, want ErrNotFound", err)
		}
	})

	for _, tc := range notFoundCases {
		t.Run("ErrNotFound for "+tc.name, func(t *testing.T) {
			s := open(t)
			f := newFixture(t, s)
			err := s.DeleteCertificate(ctx, tc.account, tc.region, tc.kind, tc.id)
			if !errors.Is(err, slbcert.ErrNotFound) {
				t.Errorf("got %v, want ErrNotFound", err)
			}
			f.check(t, s)
		})
	}
}

func testMove(t *testing.T, open opener) {
	ctx := context.Background()
	t.Run("sets the resource group of a certificate of any kind", func(t *testing.T) {
		s := open(t)
		f := newFixture(t, s)
		if err := s.MoveCertificate(ctx, account, region, "sc-1", otherRG); err != nil {
			t.Fatal(err)
		}
		f.sc.ResourceGroupID = otherRG
		f.check(t, s)
		if err := s.MoveCertificate(ctx, account, region, "ca-1", otherRG); err != nil {
			t.Fatal(err)
		}
		f.ca.ResourceGroupID = otherRG
		f.check(t, s)
		wantIDs(t, "by new group", find(t, s, slb.CertificateFilter{AccountID: account, RegionID: region, ResourceGroupID: otherRG}), "sc-1", "ca-1")
	})

	t.Run("to the current group succeeds", func(t *testing.T) {
		s := open(t)
		f := newFixture(t, s)
		if err := s.MoveCertificate(ctx, account, region, "sc-1", f.sc.ResourceGroupID); err != nil {
			t.Fatalf("got %v, want nil", err)
		}
		f.check(t, s)
	})

	for _, tc := range notFoundCases {
		if tc.kindMatters {
			continue
		}
		t.Run("ErrNotFound for "+tc.name, func(t *testing.T) {
			s := open(t)
			f := newFixture(t, s)
			err := s.MoveCertificate(ctx, tc.account, tc.region, tc.id, otherRG)
			if !errors.Is(err, slbcert.ErrNotFound) {
				t.Errorf("got %v, want ErrNotFound", err)
			}
			f.check(t, s)
		})
	}
}
