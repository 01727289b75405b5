package storetest

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"slbcert"
)

// testSealedKeys covers slb.KeyResealer.
func testSealedKeys(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	other := serverCert("sc-b", 2)
	other.AccountID = otherAccount
	create(t, s, serverCert("sc-c", 3), serverCert("sc-a", 1), other, caCert("ca-1", 4))

	t.Run("pages in id order, only records with a key, of every account", func(t *testing.T) {
		page, err := s.SealedKeys(ctx, "", 2)
		if err != nil || len(page) != 2 || page[0].ID != "sc-a" || page[1].ID != "sc-b" || page[1].AccountID != otherAccount {
			t.Fatalf("first page %+v, %v", page, err)
		}
		page, err = s.SealedKeys(ctx, page[1].ID, 2)
		if err != nil || len(page) != 1 || page[0].ID != "sc-c" || !bytes.Equal(page[0].Blob, serverCert("sc-c", 3).SealedPrivateKey) {
			t.Fatalf("second page %+v, %v", page, err)
		}
		if page, err = s.SealedKeys(ctx, "sc-c", 2); err != nil || len(page) != 0 {
			t.Fatalf("past the end %+v, %v", page, err)
		}
	})
	t.Run("reseal swaps only the expected blob", func(t *testing.T) {
		old := serverCert("sc-a", 1).SealedPrivateKey
		if err := s.ResealKey(ctx, "sc-a", []byte("not the blob"), []byte("x")); !errors.Is(err, slbcert.ErrNotFound) {
			t.Fatalf("reseal with a stale blob: %v", err)
		}
		if err := s.ResealKey(ctx, "sc-a", old, []byte("new blob")); err != nil {
			t.Fatal(err)
		}
		if got := mustGet(t, s, "sc-a").SealedPrivateKey; string(got) != "new blob" {
			t.Fatalf("after reseal %q", got)
		}
		if err := s.ResealKey(ctx, "missing", old, []byte("x")); !errors.Is(err, slbcert.ErrNotFound) {
			t.Fatalf("reseal of a missing record: %v", err)
		}
	})
}
