package storetest

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"slbcert/localca"
)

// RunLocalCA covers localca.Store: one CA, the first stored wins, replace
// and reseal swap only what they expect. open makes a fresh, empty store.
func RunLocalCA(t *testing.T, open func(t *testing.T) localca.Store) {
	ctx := context.Background()
	s := open(t)
	if _, found, err := s.LocalCA(ctx); err != nil || found {
		t.Fatalf("empty store: found %v, %v", found, err)
	}
	first := localca.Record{CertPEM: []byte("-----BEGIN CERTIFICATE-----\nfirst\n"), SealedKey: []byte{1, 0, 2, 0xff}}
	recs := make([]localca.Record, 4)
	var wg sync.WaitGroup
	for i := range recs {
		wg.Go(func() {
			rec := first
			if i > 0 {
				rec = localca.Record{CertPEM: []byte{byte('a' + i)}, SealedKey: []byte{byte(i)}}
			}
			got, err := s.CreateLocalCA(ctx, rec)
			if err != nil {
				t.Error(err)
			}
			recs[i] = got
		})
	}
	wg.Wait()
	stored, found, err := s.LocalCA(ctx)
	if err != nil || !found {
		t.Fatalf("after create: found %v, %v", found, err)
	}
	for i, r := range recs {
		if !bytes.Equal(r.CertPEM, stored.CertPEM) || !bytes.Equal(r.SealedKey, stored.SealedKey) {
			t.Fatalf("create %d returned %q, the store holds %q: every create returns the one stored", i, r.CertPEM, stored.CertPEM)
		}
	}
	t.Run("reseal swaps only the expected blob", func(t *testing.T) {
		if ok, err := s.ResealLocalCAKey(ctx, []byte("stale"), []byte("x")); err != nil || ok {
			t.Fatalf("stale: %v %v", ok, err)
		}
		if ok, err := s.ResealLocalCAKey(ctx, stored.SealedKey, []byte("resealed")); err != nil || !ok {
			t.Fatalf("reseal: %v %v", ok, err)
		}
		if got, _, _ := s.LocalCA(ctx); string(got.SealedKey) != "resealed" || !bytes.Equal(got.CertPEM, stored.CertPEM) {
			t.Fatalf("after reseal %q %q", got.CertPEM, got.SealedKey)
		}
	})
	t.Run("replace swaps only the expected CA", func(t *testing.T) {
		next := localca.Record{CertPEM: []byte("next"), SealedKey: []byte("next key")}
		if ok, err := s.ReplaceLocalCA(ctx, []byte("not it"), next); err != nil || ok {
			t.Fatalf("stale: %v %v", ok, err)
		}
		if ok, err := s.ReplaceLocalCA(ctx, stored.CertPEM, next); err != nil || !ok {
			t.Fatalf("replace: %v %v", ok, err)
		}
		if got, _, _ := s.LocalCA(ctx); string(got.CertPEM) != "next" || string(got.SealedKey) != "next key" {
			t.Fatalf("after replace %q %q", got.CertPEM, got.SealedKey)
		}
		if got, err := s.CreateLocalCA(ctx, first); err != nil || string(got.CertPEM) != "next" {
			t.Fatalf("create over a CA: %q %v", got.CertPEM, err)
		}
	})
}
