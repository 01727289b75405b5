package storetest

import (
	"context"
	"errors"
	"slbcert/slb"
	"strings"
	"testing"
	"time"

	"slbcert"
)

func testCreate(t *testing.T, open opener) {
	t.Run("round trip keeps every field", func(t *testing.T) {
		s := open(t)
		c := serverCert("sc-1", 1)
		c.Tags = tags("env", "prod", "app", "web", "owner", "", "Team", "Ünïcode ✓")
		create(t, s, c)
		wantCert(t, mustGet(t, s, c.ID), c)
	})

	t.Run("round trip of a CA certificate without key, SANs or tags", func(t *testing.T) {
		s := open(t)
		c := caCert("ca-1", 1)
		create(t, s, c)
		got := mustGet(t, s, c.ID)
		wantCert(t, got, c)
		if got.SealedPrivateKey != nil {
			t.Errorf("SealedPrivateKey = %v, want nil", got.SealedPrivateKey)
		}
	})

	t.Run("nil and empty SANs both come back empty and non-nil", func(t *testing.T) {
		s := open(t)
		a, b := serverCert("sc-nil", 1), serverCert("sc-empty", 2)
		a.SubjectAlternativeNames, b.SubjectAlternativeNames = nil, []string{}
		create(t, s, a, b)
		for _, id := range []string{a.ID, b.ID} {
			if got := mustGet(t, s, id).SubjectAlternativeNames; got == nil || len(got) != 0 {
				t.Errorf("%s: SubjectAlternativeNames = %#v, want []string{}", id, got)
			}
		}
	})

	t.Run("SANs keep their order and duplicates", func(t *testing.T) {
		s := open(t)
		c := serverCert("sc-1", 1)
		c.SubjectAlternativeNames = []string{"z.example.com", "a.example.com", "m.example.com", "a.example.com", "xn--bcher-kva.example"}
		create(t, s, c)
		wantCert(t, mustGet(t, s, c.ID), c)
	})

	t.Run("times come back in UTC truncated to the millisecond", func(t *testing.T) {
		s := open(t)
		c := serverCert("sc-1", 1)
		c.CreateTime = time.Date(2024, 2, 29, 23, 59, 59, 999_999_999, time.FixedZone("UTC-7", -7*3600))
		c.ExpireTime = time.Date(2049, 12, 31, 23, 59, 59, 1_500_000, time.FixedZone("UTC+5:45", 5*3600+45*60))
		create(t, s, c)
		got := mustGet(t, s, c.ID)
		wantCert(t, got, c)
		if want := time.Date(2024, 3, 1, 6, 59, 59, 999_000_000, time.UTC); !got.CreateTime.Equal(want) {
			t.Errorf("CreateTime = %v, want %v", got.CreateTime, want)
		}
	})

	t.Run("sealed private key bytes are intact", func(t *testing.T) {
		s := open(t)
		c := serverCert("sc-1", 1)
		c.SealedPrivateKey = make([]byte, 4096)
		for i := range c.SealedPrivateKey {
			c.SealedPrivateKey[i] = byte(255 - i%256)
		}
		create(t, s, c)
		wantCert(t, mustGet(t, s, c.ID), c)
	})

	t.Run("large and unusual text is intact", func(t *testing.T) {
		s := open(t)
		c := serverCert("sc-1", 1)
		c.Name = "证书-'quote'-\"dq\"-;--"
		c.CertificatePEM = strings.Repeat(c.CertificatePEM, 400)
		c.CommonName = ""
		create(t, s, c)
		wantCert(t, mustGet(t, s, c.ID), c)
	})

	t.Run("stores keep no reference to values passed in or out", func(t *testing.T) {
		s := open(t)
		c := serverCert("sc-1", 1)
		want := clone(c)
		if err := s.CreateCertificate(context.Background(), c, noLimit); err != nil {
			t.Fatal(err)
		}
		c.Name = "changed"
		c.SubjectAlternativeNames[0] = "changed"
		c.SealedPrivateKey[0]++
		c.Tags[0].Value = "changed"
		got := mustGet(t, s, c.ID)
		wantCert(t, got, want)
		got.SubjectAlternativeNames[0] = "changed"
		got.SealedPrivateKey[0]++
		got.Tags[0].Value = "changed"
		wantCert(t, mustGet(t, s, c.ID), want)
	})

	t.Run("duplicate ID fails and changes nothing", func(t *testing.T) {
		s := open(t)
		orig := serverCert("sc-1", 1)
		create(t, s, orig)
		dup := serverCert("sc-1", 2)
		dup.Name = "duplicate"
		dup.Tags = tags("other", "tag")
		err := s.CreateCertificate(context.Background(), dup, noLimit)
		if err == nil {
			t.Fatal("second CreateCertificate with the same ID succeeded")
		}
		if errors.Is(err, slbcert.ErrQuotaExceeded) || errors.Is(err, slbcert.ErrNotFound) {
			t.Errorf("duplicate ID: got %v, which claims to be a sentinel it is not", err)
		}
		ca := caCert("sc-1", 3)
		if err := s.CreateCertificate(context.Background(), ca, noLimit); err == nil {
			t.Fatal("CreateCertificate of a CA certificate with a server certificate's ID succeeded")
		}
		foreign := serverCert("sc-1", 4)
		foreign.AccountID, foreign.RegionID = otherAccount, otherRegion
		if err := s.CreateCertificate(context.Background(), foreign, noLimit); err == nil {
			t.Fatal("CreateCertificate with an ID used by another account succeeded")
		}
		wantIDs(t, "account", all(t, s), "sc-1")
		wantCert(t, mustGet(t, s, "sc-1"), orig)
		wantIDs(t, "other account", find(t, s, slb.CertificateFilter{AccountID: otherAccount, RegionID: otherRegion}))
	})

	t.Run("a create that fails on its tags stores nothing", func(t *testing.T) {
		s := open(t)
		c := serverCert("sc-1", 1)
		c.Tags = tags("k", "1", "j", "2", "k", "3")
		if err := s.CreateCertificate(context.Background(), c, noLimit); err == nil {
			t.Fatal("CreateCertificate with a repeated tag key succeeded")
		}
		wantIDs(t, "after failed create", all(t, s))
		// The ID is free again, and no stray tag of the failed create shows up.
		c = serverCert("sc-1", 1)
		c.Tags = nil
		create(t, s, c)
		wantTags(t, s, "sc-1")
	})

	t.Run("a create with a canceled context fails and stores nothing", func(t *testing.T) {
		s := open(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := s.CreateCertificate(ctx, serverCert("sc-1", 1), noLimit); err == nil {
			t.Fatal("CreateCertificate with a canceled context succeeded")
		}
		wantIDs(t, "after failed create", all(t, s))
	})
}
