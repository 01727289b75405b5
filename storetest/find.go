package storetest

import (
	"fmt"
	"slbcert/slb"
	"testing"
	"time"

	"slbcert"
)

func testFind(t *testing.T, open opener) {
	t.Run("no match is an empty slice", func(t *testing.T) {
		s := open(t)
		wantIDs(t, "empty store", all(t, s))
		create(t, s, serverCert("sc-1", 1))
		wantIDs(t, "unknown ID", find(t, s, slb.CertificateFilter{AccountID: account, RegionID: region, IDs: []string{"nope"}}))
	})

	t.Run("only the account's certificates in the region", func(t *testing.T) {
		s := open(t)
		mine := serverCert("mine", 1)
		theirs := serverCert("theirs", 2)
		theirs.AccountID = otherAccount
		elsewhere := serverCert("elsewhere", 3)
		elsewhere.RegionID = otherRegion
		create(t, s, mine, theirs, elsewhere)
		wantIDs(t, "account in region", all(t, s), "mine")
		wantIDs(t, "other account", find(t, s, slb.CertificateFilter{AccountID: otherAccount, RegionID: region}), "theirs")
		wantIDs(t, "other region", find(t, s, slb.CertificateFilter{AccountID: account, RegionID: otherRegion}), "elsewhere")
		wantIDs(t, "other account's ID", find(t, s, slb.CertificateFilter{AccountID: account, RegionID: region, IDs: []string{"theirs", "elsewhere"}}))
	})

	t.Run("by kind", func(t *testing.T) {
		s := open(t)
		create(t, s, serverCert("sc-1", 1), caCert("ca-1", 2), serverCert("sc-2", 3))
		wantIDs(t, "any kind", all(t, s), "sc-1", "ca-1", "sc-2")
		wantIDs(t, "server", find(t, s, slb.CertificateFilter{AccountID: account, RegionID: region, Kind: slb.KindServer}), "sc-1", "sc-2")
		wantIDs(t, "ca", find(t, s, slb.CertificateFilter{AccountID: account, RegionID: region, Kind: slb.KindCA}), "ca-1")
	})

	t.Run("by IDs", func(t *testing.T) {
		s := open(t)
		create(t, s, serverCert("sc-1", 1), serverCert("sc-2", 2), serverCert("sc-3", 3), caCert("ca-1", 4))
		f := slb.CertificateFilter{AccountID: account, RegionID: region, IDs: []string{"ca-1", "sc-3", "missing", "sc-1", "sc-3"}}
		wantIDs(t, "IDs", find(t, s, f), "sc-1", "sc-3", "ca-1")
		f.Kind = slb.KindServer
		wantIDs(t, "IDs and kind", find(t, s, f), "sc-1", "sc-3")
	})

	t.Run("by resource group", func(t *testing.T) {
		s := open(t)
		a, b := serverCert("sc-1", 1), serverCert("sc-2", 2)
		b.ResourceGroupID = otherRG
		create(t, s, a, b)
		wantIDs(t, "rg", find(t, s, slb.CertificateFilter{AccountID: account, RegionID: region, ResourceGroupID: otherRG}), "sc-2")
		wantIDs(t, "unknown rg", find(t, s, slb.CertificateFilter{AccountID: account, RegionID: region, ResourceGroupID: "rg-none"}))
	})

	t.Run("by tags", func(t *testing.T) {
		s := open(t)
		mk := func(id string, i int, kv ...string) *slb.Certificate {
			c := serverCert(id, i)
			c.Tags = tags(kv...)
			return c
		}
		create(t, s,
			mk("prod-web", 1, "env", "prod", "app", "web"),
			mk("prod-db", 2, "env", "prod", "app", "db"),
			mk("dev-web", 3, "env", "dev", "app", "web"),
			mk("empty-env", 4, "env", "", "app", "web"),
			mk("untagged", 5),
		)
		other := mk("other-web", 6, "env", "prod", "app", "web")
		other.AccountID = otherAccount
		create(t, s, other)
		for _, tc := range []struct {
			name string
			tags []slbcert.TagFilter
			want []string
		}{
			{"one pair", []slbcert.TagFilter{{Key: "env", Value: "prod"}}, []string{"prod-web", "prod-db"}},
			{"every pair must match", []slbcert.TagFilter{{Key: "env", Value: "prod"}, {Key: "app", Value: "web"}}, []string{"prod-web"}},
			{"no certificate has both", []slbcert.TagFilter{{Key: "env", Value: "dev"}, {Key: "app", Value: "db"}}, nil},
			{"value must be equal", []slbcert.TagFilter{{Key: "env", Value: "Prod"}}, nil},
			{"key must be equal", []slbcert.TagFilter{{Key: "ENV", Value: "prod"}}, nil},
			{"empty value matches only the empty value", []slbcert.TagFilter{{Key: "env"}}, []string{"empty-env"}},
			{"MatchAnyValue matches any value of the key", []slbcert.TagFilter{{Key: "env", MatchAnyValue: true}}, []string{"prod-web", "prod-db", "dev-web", "empty-env"}},
			{"MatchAnyValue and a pair", []slbcert.TagFilter{{Key: "env", MatchAnyValue: true}, {Key: "app", Value: "web"}}, []string{"prod-web", "dev-web", "empty-env"}},
			{"MatchAnyValue with a Value matches that value only", []slbcert.TagFilter{{Key: "env", Value: "dev", MatchAnyValue: true}}, []string{"dev-web"}},
			{"MatchAnyValue of a missing key", []slbcert.TagFilter{{Key: "owner", MatchAnyValue: true}}, nil},
			{"a value of another key does not count", []slbcert.TagFilter{{Key: "env", Value: "web"}}, nil},
		} {
			f := slb.CertificateFilter{AccountID: account, RegionID: region, Tags: tc.tags}
			wantIDs(t, tc.name, find(t, s, f), tc.want...)
		}
	})

	t.Run("filters combine", func(t *testing.T) {
		s := open(t)
		a := serverCert("a", 1)
		b := serverCert("b", 2)
		b.ResourceGroupID = otherRG
		c := caCert("c", 3)
		c.Tags = tags("env", "prod")
		d := serverCert("d", 4)
		d.Tags = tags("env", "dev")
		create(t, s, a, b, c, d)
		f := slb.CertificateFilter{
			AccountID: account, RegionID: region,
			Kind:            slb.KindServer,
			IDs:             []string{"a", "b", "c", "d"},
			ResourceGroupID: rg,
			Tags:            []slbcert.TagFilter{{Key: "env", Value: "prod"}},
		}
		wantIDs(t, "all filters", find(t, s, f), "a")
	})

	t.Run("oldest first, then by ID byte-wise", func(t *testing.T) {
		s := open(t)
		mk := func(id string, minute int) *slb.Certificate { return serverCert(id, minute) }
		// Created out of order; "B" < "a" < "b" byte-wise, unlike most
		// locales; the CA certificate "c" ties with servers of other kinds.
		create(t, s, mk("z", 5), mk("b", 3), caCert("c", 3), mk("a", 3), mk("B", 3), mk("y", 1), caCert("ca", 2), mk("old", -100))
		wantIDs(t, "order", all(t, s), "old", "y", "ca", "B", "a", "b", "c", "z")
		// Same instant written in another zone, and a millisecond apart.
		c1, c2 := serverCert("t1", 0), serverCert("t2", 0)
		c1.AccountID, c2.AccountID = otherAccount, otherAccount
		c1.CreateTime = c2.CreateTime.UTC().Add(time.Millisecond)
		create(t, s, c1, c2)
		wantIDs(t, "ms order", find(t, s, slb.CertificateFilter{AccountID: otherAccount, RegionID: region}), "t2", "t1")
	})

	t.Run("each certificate gets its own tags", func(t *testing.T) {
		s := open(t)
		var want []*slb.Certificate
		for i := 0; i < 30; i++ {
			c := serverCert(fmt.Sprintf("sc-%02d", i), i)
			c.Tags = nil
			for j := 0; j < i%4; j++ {
				c.Tags = append(c.Tags, slbcert.Tag{Key: fmt.Sprintf("k%d", 3-j), Value: c.ID})
			}
			if i%2 == 1 {
				c.Kind = slb.KindCA
			}
			want = append(want, c)
			create(t, s, c)
		}
		got := all(t, s)
		if len(got) != len(want) {
			t.Fatalf("got %d certificates, want %d", len(got), len(want))
		}
		for i := range got {
			wantCert(t, got[i], want[i])
		}
	})
}
