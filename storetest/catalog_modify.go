package storetest

import (
	"bytes"
	"context"
	"errors"
	"slbcert/cas"
	"testing"

	"slbcert"
)

func testCatalogUpdate(t *testing.T, open catalogOpener) {
	ctx := context.Background()
	str := func(s string) *string { return &s }
	tags := func(ts ...slbcert.Tag) *[]slbcert.Tag { return &ts }

	t.Run("ok/name, group and tags, each alone", func(t *testing.T) {
		s := open(t)
		c := userCert(t, s, "before", 1)
		createUserCert(t, s, c)
		want := cloneUserCert(c)

		if err := s.UpdateUserCertificate(ctx, account, c.ID, cas.UserCertificateUpdate{Name: str("after")}); err != nil {
			t.Fatal(err)
		}
		want.Name = "after"
		wantUserCert(t, getUserCert(t, s, account, c.ID), want)

		if err := s.UpdateUserCertificate(ctx, account, c.ID, cas.UserCertificateUpdate{ResourceGroupID: str(otherRG)}); err != nil {
			t.Fatal(err)
		}
		want.ResourceGroupID = otherRG
		wantUserCert(t, getUserCert(t, s, account, c.ID), want)

		newTags := []slbcert.Tag{{Key: "Created", Value: "TF"}, {Key: "For", Value: "Test"}}
		if err := s.UpdateUserCertificate(ctx, account, c.ID, cas.UserCertificateUpdate{Tags: tags(newTags...)}); err != nil {
			t.Fatal(err)
		}
		want.Tags = newTags
		wantUserCert(t, getUserCert(t, s, account, c.ID), want)

		if err := s.UpdateUserCertificate(ctx, account, c.ID, cas.UserCertificateUpdate{Tags: tags()}); err != nil {
			t.Fatal(err)
		}
		want.Tags = []slbcert.Tag{}
		wantUserCert(t, getUserCert(t, s, account, c.ID), want)
	})

	t.Run("ok/all at once, and the entry's own name", func(t *testing.T) {
		s := open(t)
		c := userCert(t, s, "same", 1)
		createUserCert(t, s, c)
		u := cas.UserCertificateUpdate{Name: str("same"), ResourceGroupID: str(otherRG), Tags: tags(slbcert.Tag{Key: "k", Value: "v"})}
		if err := s.UpdateUserCertificate(ctx, account, c.ID, u); err != nil {
			t.Fatal(err)
		}
		want := cloneUserCert(c)
		want.ResourceGroupID, want.Tags = otherRG, []slbcert.Tag{{Key: "k", Value: "v"}}
		wantUserCert(t, getUserCert(t, s, account, c.ID), want)
	})

	t.Run("error/name taken changes nothing", func(t *testing.T) {
		s := open(t)
		a, b := userCert(t, s, "a", 1), userCert(t, s, "b", 2)
		createUserCert(t, s, a)
		createUserCert(t, s, b)
		u := cas.UserCertificateUpdate{Name: str("a"), ResourceGroupID: str(otherRG), Tags: tags()}
		if err := s.UpdateUserCertificate(ctx, account, b.ID, u); !errors.Is(err, cas.ErrNameTaken) {
			t.Fatalf("got %v, want ErrNameTaken", err)
		}
		wantUserCert(t, getUserCert(t, s, account, b.ID), b)
	})

	t.Run("ok/another account's name is free", func(t *testing.T) {
		s := open(t)
		theirs := userCert(t, s, "taken-there", 1)
		theirs.AccountID = otherAccount
		mine := userCert(t, s, "mine", 2)
		createUserCert(t, s, theirs)
		createUserCert(t, s, mine)
		if err := s.UpdateUserCertificate(ctx, account, mine.ID, cas.UserCertificateUpdate{Name: str("taken-there")}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("error/unknown or another account's entry", func(t *testing.T) {
		s := open(t)
		c := userCert(t, s, "x", 1)
		createUserCert(t, s, c)
		for _, u := range []cas.UserCertificateUpdate{{Name: str("y")}, {}} {
			if err := s.UpdateUserCertificate(ctx, otherAccount, c.ID, u); !errors.Is(err, slbcert.ErrNotFound) {
				t.Errorf("foreign %+v: got %v, want ErrNotFound", u, err)
			}
			if err := s.UpdateUserCertificate(ctx, account, c.ID+100, u); !errors.Is(err, slbcert.ErrNotFound) {
				t.Errorf("unknown %+v: got %v, want ErrNotFound", u, err)
			}
		}
		wantUserCert(t, getUserCert(t, s, account, c.ID), c)
	})
}

func testCatalogDelete(t *testing.T, open catalogOpener) {
	ctx := context.Background()
	s := open(t)
	a, b := userCert(t, s, "a", 1), userCert(t, s, "b", 2)
	createUserCert(t, s, a)
	createUserCert(t, s, b)

	if err := s.DeleteUserCertificate(ctx, otherAccount, a.ID); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("another account's delete: got %v, want ErrNotFound", err)
	}
	if err := s.DeleteUserCertificate(ctx, account, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUserCertificate(ctx, account, a.ID); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("second delete: got %v, want ErrNotFound", err)
	}
	if _, err := s.GetUserCertificate(ctx, account, a.ID); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("get after delete: got %v, want ErrNotFound", err)
	}
	got, total := findUserCerts(t, s, cas.UserCertificateFilter{AccountID: account})
	wantCatalogIDs(t, "after delete", got, b)
	if total != 1 {
		t.Errorf("total %d, want 1", total)
	}
	// The name is free again; the id is not handed out again.
	again := userCert(t, s, "a", 3)
	createUserCert(t, s, again)
	if again.ID <= b.ID {
		t.Errorf("id %d after %d: ids must keep growing", again.ID, b.ID)
	}
}

func testCatalogReseal(t *testing.T, open catalogOpener) {
	ctx := context.Background()
	s := open(t)
	var all []*cas.UserCertificate
	for i, name := range []string{"a", "b", "c"} {
		c := userCert(t, s, name, i)
		if i == 1 {
			c.AccountID = otherAccount // resealing spans every account
		}
		createUserCert(t, s, c)
		all = append(all, c)
	}
	first, err := s.SealedUserCertificateKeys(ctx, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	rest, err := s.SealedUserCertificateKeys(ctx, all[1].ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	got := append(first, rest...)
	if len(got) != 3 {
		t.Fatalf("%d sealed keys over two pages, want 3", len(got))
	}
	for i, k := range got {
		c := all[i]
		if k.ID != cas.UserCertificateRecordID(c.ID) || k.AccountID != c.AccountID || !bytes.Equal(k.Blob, c.SealedKeys) {
			t.Errorf("page entry %d = %+v, want id %s account %s", i, k, cas.UserCertificateRecordID(c.ID), c.AccountID)
		}
	}

	fresh := []byte("resealed")
	if err := s.ResealUserCertificateKeys(ctx, all[0].ID, []byte("stale"), fresh); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("reseal over a changed blob: got %v, want ErrNotFound", err)
	}
	if err := s.ResealUserCertificateKeys(ctx, all[0].ID, all[0].SealedKeys, fresh); err != nil {
		t.Fatal(err)
	}
	if g := getUserCert(t, s, account, all[0].ID); !bytes.Equal(g.SealedKeys, fresh) {
		t.Errorf("sealed keys %q after reseal, want %q", g.SealedKeys, fresh)
	}
	if err := s.ResealUserCertificateKeys(ctx, all[0].ID+1000, fresh, fresh); !errors.Is(err, slbcert.ErrNotFound) {
		t.Errorf("reseal of an unknown entry: got %v, want ErrNotFound", err)
	}
}
