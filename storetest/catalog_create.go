package storetest

import (
	"context"
	"errors"
	"slbcert/cas"
	"sync"
	"testing"

	"slbcert"
)

func testCatalogIDs(t *testing.T, open catalogOpener) {
	ctx := context.Background()

	t.Run("first id, then increasing", func(t *testing.T) {
		s := open(t)
		prev := int64(0)
		for i := 0; i < 3; i++ {
			id, err := s.NextUserCertificateID(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 && id != cas.FirstUserCertificateID {
				t.Errorf("first id %d, want %d", id, cas.FirstUserCertificateID)
			}
			if id <= prev {
				t.Errorf("id %d after %d", id, prev)
			}
			prev = id
		}
	})

	t.Run("unique under concurrency", func(t *testing.T) {
		s := open(t)
		const workers, each = 4, 10
		ids := make(chan int64, workers*each)
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := 0; k < each; k++ {
					id, err := s.NextUserCertificateID(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					ids <- id
				}
			}()
		}
		wg.Wait()
		close(ids)
		seen := map[int64]bool{}
		for id := range ids {
			if seen[id] {
				t.Errorf("id %d handed out twice", id)
			}
			seen[id] = true
		}
		if len(seen) != workers*each {
			t.Errorf("%d ids, want %d", len(seen), workers*each)
		}
	})
}

func testCatalogCreate(t *testing.T, open catalogOpener) {
	ctx := context.Background()

	t.Run("every field round-trips", func(t *testing.T) {
		s := open(t)
		c := userCert(t, s, "cert-1", 1)
		createUserCert(t, s, c)
		wantUserCert(t, getUserCert(t, s, account, c.ID), c)
	})

	t.Run("empty lists and no SM material", func(t *testing.T) {
		s := open(t)
		c := userCert(t, s, "bare", 2)
		c.Sans, c.Chain, c.Tags = nil, nil, nil
		c.EncryptCert, c.SignCert, c.OrgName = "", "", ""
		createUserCert(t, s, c)
		got := getUserCert(t, s, account, c.ID)
		if got.Sans == nil || got.Chain == nil || got.Tags == nil {
			t.Errorf("nil lists: Sans %v, Chain %v, Tags %v", got.Sans == nil, got.Chain == nil, got.Tags == nil)
		}
		wantUserCert(t, got, c)
	})

	t.Run("unknown and another account's ids are ErrNotFound", func(t *testing.T) {
		s := open(t)
		c := userCert(t, s, "mine", 1)
		createUserCert(t, s, c)
		for _, tc := range []struct {
			acct string
			id   int64
		}{{otherAccount, c.ID}, {account, c.ID + 1000}, {account, 0}, {account, -1}} {
			if _, err := s.GetUserCertificate(ctx, tc.acct, tc.id); !errors.Is(err, slbcert.ErrNotFound) {
				t.Errorf("GetUserCertificate(%s, %d) = %v, want ErrNotFound", tc.acct, tc.id, err)
			}
		}
	})

	t.Run("name unique per account, not across accounts", func(t *testing.T) {
		s := open(t)
		first := userCert(t, s, "same", 1)
		createUserCert(t, s, first)
		dup := userCert(t, s, "same", 2)
		if err := s.CreateUserCertificate(ctx, dup, noLimit); !errors.Is(err, cas.ErrNameTaken) {
			t.Fatalf("duplicate name: got %v, want ErrNameTaken", err)
		}
		if _, err := s.GetUserCertificate(ctx, account, dup.ID); !errors.Is(err, slbcert.ErrNotFound) {
			t.Errorf("refused create stored something: %v", err)
		}
		other := userCert(t, s, "same", 3)
		other.AccountID = otherAccount
		createUserCert(t, s, other)
	})

	t.Run("error/an id taken is not a name taken", func(t *testing.T) {
		s := open(t)
		first := userCert(t, s, "first", 1)
		createUserCert(t, s, first)
		again := userCert(t, s, "second", 2)
		again.ID = first.ID
		err := s.CreateUserCertificate(ctx, again, noLimit)
		if err == nil || errors.Is(err, cas.ErrNameTaken) {
			t.Fatalf("a taken id: got %v, want an error other than ErrNameTaken", err)
		}
		if got, err := s.GetUserCertificate(ctx, account, first.ID); err != nil || got.Name != "first" {
			t.Fatalf("the first entry: %+v, %v", got, err)
		}
	})

	t.Run("no reference kept to values passed in or handed out", func(t *testing.T) {
		s := open(t)
		c := userCert(t, s, "refs", 1)
		want := cloneUserCert(c)
		if err := s.CreateUserCertificate(ctx, c, noLimit); err != nil {
			t.Fatal(err)
		}
		c.SealedKeys[0], c.Sans[0], c.Tags[0].Value, c.Chain[0].CommonName = 9, "x", "x", "x"
		got := getUserCert(t, s, account, want.ID)
		got.SealedKeys[1], got.Sans[1], got.Tags[1].Value = 9, "y", "y"
		wantUserCert(t, getUserCert(t, s, account, want.ID), want)
	})
}

func testCatalogQuota(t *testing.T, open catalogOpener) {
	ctx := context.Background()

	t.Run("ErrQuotaExceeded at the limit, per account, freed by delete", func(t *testing.T) {
		s := open(t)
		var mine []*cas.UserCertificate
		for i, name := range []string{"a", "b"} {
			c := userCert(t, s, name, i)
			if err := s.CreateUserCertificate(ctx, c, 2); err != nil {
				t.Fatalf("create %s: %v", name, err)
			}
			mine = append(mine, c)
		}
		over := userCert(t, s, "c", 3)
		if err := s.CreateUserCertificate(ctx, over, 2); !errors.Is(err, slbcert.ErrQuotaExceeded) {
			t.Fatalf("create 3 of 2: got %v, want ErrQuotaExceeded", err)
		}
		if _, err := s.GetUserCertificate(ctx, account, over.ID); !errors.Is(err, slbcert.ErrNotFound) {
			t.Errorf("refused create stored something: %v", err)
		}
		theirs := userCert(t, s, "c", 3)
		theirs.AccountID = otherAccount
		if err := s.CreateUserCertificate(ctx, theirs, 2); err != nil {
			t.Errorf("another account's create: %v", err)
		}
		if err := s.DeleteUserCertificate(ctx, account, mine[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateUserCertificate(ctx, userCert(t, s, "c", 4), 2); err != nil {
			t.Errorf("create after a delete: %v", err)
		}
	})

	t.Run("limit 0 admits nothing", func(t *testing.T) {
		s := open(t)
		if err := s.CreateUserCertificate(ctx, userCert(t, s, "a", 1), 0); !errors.Is(err, slbcert.ErrQuotaExceeded) {
			t.Fatalf("got %v, want ErrQuotaExceeded", err)
		}
	})

	t.Run("concurrent creates never exceed the limit", func(t *testing.T) {
		s := open(t)
		const workers, each, limit = 4, 4, 5
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := 0; k < each; k++ {
					id, err := s.NextUserCertificateID(ctx)
					if err != nil {
						errs <- err
						continue
					}
					c := &cas.UserCertificate{ID: id, AccountID: account, Name: "n" + string(rune('a'+w)) + string(rune('a'+k)), Cert: "c", SealedKeys: []byte{1}}
					errs <- s.CreateUserCertificate(ctx, c, limit)
				}
			}()
		}
		wg.Wait()
		close(errs)
		created := 0
		for err := range errs {
			switch {
			case err == nil:
				created++
			case !errors.Is(err, slbcert.ErrQuotaExceeded):
				t.Errorf("unexpected error: %v", err)
			}
		}
		list, total := findUserCerts(t, s, cas.UserCertificateFilter{AccountID: account})
		if created != limit || total != limit || len(list) != limit {
			t.Errorf("created %d, total %d, listed %d; want %d", created, total, len(list), limit)
		}
	})
}
