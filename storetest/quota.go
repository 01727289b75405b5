package storetest

import (
	"context"
	"errors"
	"fmt"
	"slbcert/slb"
	"sync"
	"testing"

	"slbcert"
)

func testQuota(t *testing.T, open opener) {
	ctx := context.Background()

	t.Run("ErrQuotaExceeded at the limit and nothing stored", func(t *testing.T) {
		s := open(t)
		for i := 0; i < 3; i++ {
			if err := s.CreateCertificate(ctx, serverCert(fmt.Sprintf("sc-%d", i), i), 3); err != nil {
				t.Fatalf("create %d of 3: %v", i+1, err)
			}
		}
		err := s.CreateCertificate(ctx, serverCert("sc-over", 9), 3)
		if !errors.Is(err, slbcert.ErrQuotaExceeded) {
			t.Fatalf("create 4 of 3: got %v, want ErrQuotaExceeded", err)
		}
		wantIDs(t, "after refused create", all(t, s), "sc-0", "sc-1", "sc-2")
		// A larger limit admits it: the limit is the caller's, not remembered.
		if err := s.CreateCertificate(ctx, serverCert("sc-over", 9), 4); err != nil {
			t.Fatalf("create 4 of 4: %v", err)
		}
	})

	t.Run("limit 0 admits nothing", func(t *testing.T) {
		s := open(t)
		if err := s.CreateCertificate(ctx, serverCert("sc-1", 1), 0); !errors.Is(err, slbcert.ErrQuotaExceeded) {
			t.Fatalf("got %v, want ErrQuotaExceeded", err)
		}
		wantIDs(t, "after refused create", all(t, s))
	})

	t.Run("counted per account, region and kind", func(t *testing.T) {
		s := open(t)
		const limit = 2
		mk := func(id, acct, reg string, kind slb.CertificateKind) *slb.Certificate {
			c := serverCert(id, len(id))
			c.AccountID, c.RegionID, c.Kind = acct, reg, kind
			return c
		}
		for _, c := range []*slb.Certificate{
			mk("a1", account, region, slb.KindServer),
			mk("a2", account, region, slb.KindServer),
			mk("b1", otherAccount, region, slb.KindServer),
			mk("b2", otherAccount, region, slb.KindServer),
			mk("c1", account, otherRegion, slb.KindServer),
			mk("c2", account, otherRegion, slb.KindServer),
			mk("d1", account, region, slb.KindCA),
			mk("d2", account, region, slb.KindCA),
		} {
			if err := s.CreateCertificate(ctx, c, limit); err != nil {
				t.Fatalf("create %s (%s/%s/%s): %v", c.ID, c.AccountID, c.RegionID, c.Kind, err)
			}
		}
		for _, c := range []*slb.Certificate{
			mk("a3", account, region, slb.KindServer),
			mk("b3", otherAccount, region, slb.KindServer),
			mk("c3", account, otherRegion, slb.KindServer),
			mk("d3", account, region, slb.KindCA),
		} {
			if err := s.CreateCertificate(ctx, c, limit); !errors.Is(err, slbcert.ErrQuotaExceeded) {
				t.Errorf("create %s (%s/%s/%s): got %v, want ErrQuotaExceeded", c.ID, c.AccountID, c.RegionID, c.Kind, err)
			}
		}
		wantIDs(t, "account/region", all(t, s), "a1", "a2", "d1", "d2")
	})

	t.Run("deleted certificates no longer count", func(t *testing.T) {
		s := open(t)
		create(t, s, serverCert("sc-1", 1))
		if err := s.CreateCertificate(ctx, serverCert("sc-2", 2), 1); !errors.Is(err, slbcert.ErrQuotaExceeded) {
			t.Fatalf("got %v, want ErrQuotaExceeded", err)
		}
		if err := s.DeleteCertificate(ctx, account, region, slb.KindServer, "sc-1"); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateCertificate(ctx, serverCert("sc-2", 2), 1); err != nil {
			t.Fatalf("create after delete: %v", err)
		}
	})

	t.Run("concurrent creates never exceed the limit", func(t *testing.T) {
		s := open(t)
		const (
			workers = 16
			each    = 4
			limit   = 10
		)
		errs := make(chan error, workers*each)
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					errs <- s.CreateCertificate(ctx, serverCert(fmt.Sprintf("sc-%02d-%d", w, i), w*each+i), limit)
				}
			}()
		}
		wg.Wait()
		close(errs)
		created, refused := 0, 0
		for err := range errs {
			switch {
			case err == nil:
				created++
			case errors.Is(err, slbcert.ErrQuotaExceeded):
				refused++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if created != limit || refused != workers*each-limit {
			t.Errorf("created %d, refused %d; want %d and %d", created, refused, limit, workers*each-limit)
		}
		if got := all(t, s); len(got) != limit {
			t.Errorf("stored %d certificates, want %d", len(got), limit)
		}
	})
}
