package storetest

import (
	"context"
	"errors"
	"slbcert/slb"
	"testing"

	"slbcert"
)

func testUpdateTags(t *testing.T, open opener) {
	ctx := context.Background()
	const max = 5
	// tagged stores sc-1 with tags a=1, b=2, c=3 and ca-1 with none.
	tagged := func(t *testing.T) slb.CertificateStore {
		s := open(t)
		sc, ca := serverCert("sc-1", 1), caCert("ca-1", 2)
		sc.Tags = tags("a", "1", "b", "2", "c", "3")
		create(t, s, sc, ca)
		return s
	}
	update := func(t *testing.T, s slb.CertificateStore, ids []string, set []slbcert.Tag, remove []string, removeAll bool, max int) {
		t.Helper()
		if err := s.UpdateTags(ctx, account, region, ids, set, remove, removeAll, max); err != nil {
			t.Fatalf("UpdateTags(%q, set %v, remove %q, all %v, max %d): %v", ids, set, remove, removeAll, max, err)
		}
	}

	t.Run("set appends new keys in order", func(t *testing.T) {
		s := tagged(t)
		update(t, s, []string{"sc-1"}, tags("z", "26", "d", "4"), nil, false, max)
		wantTags(t, s, "sc-1", tags("a", "1", "b", "2", "c", "3", "z", "26", "d", "4")...)
	})

	t.Run("set replaces the value of an existing key in place", func(t *testing.T) {
		s := tagged(t)
		update(t, s, []string{"sc-1"}, tags("b", "two", "a", ""), nil, false, max)
		wantTags(t, s, "sc-1", tags("a", "", "b", "two", "c", "3")...)
	})

	t.Run("remove deletes the keys, missing keys are ignored", func(t *testing.T) {
		s := tagged(t)
		update(t, s, []string{"sc-1"}, nil, []string{"b", "nope", "A"}, false, max)
		wantTags(t, s, "sc-1", tags("a", "1", "c", "3")...)
	})

	t.Run("removeAll deletes every tag", func(t *testing.T) {
		s := tagged(t)
		update(t, s, []string{"sc-1"}, nil, nil, true, max)
		wantTags(t, s, "sc-1")
	})

	t.Run("removeAll happens before set", func(t *testing.T) {
		s := tagged(t)
		update(t, s, []string{"sc-1"}, tags("c", "new", "x", "y"), []string{"ignored"}, true, max)
		wantTags(t, s, "sc-1", tags("c", "new", "x", "y")...)
	})

	t.Run("remove happens before set, and a key set again moves to the end", func(t *testing.T) {
		s := tagged(t)
		update(t, s, []string{"sc-1"}, tags("a", "again", "b", "kept-place"), []string{"a"}, false, max)
		wantTags(t, s, "sc-1", tags("b", "kept-place", "c", "3", "a", "again")...)
	})

	t.Run("a key given twice in set ends with the last value", func(t *testing.T) {
		s := tagged(t)
		update(t, s, []string{"sc-1"}, tags("n", "first", "b", "x", "n", "last"), nil, false, max)
		wantTags(t, s, "sc-1", tags("a", "1", "b", "x", "c", "3", "n", "last")...)
	})

	t.Run("several ids of any kind in one call", func(t *testing.T) {
		s := tagged(t)
		update(t, s, []string{"ca-1", "sc-1"}, tags("env", "prod", "a", "A"), []string{"c"}, false, max)
		wantTags(t, s, "sc-1", tags("a", "A", "b", "2", "env", "prod")...)
		wantTags(t, s, "ca-1", tags("env", "prod", "a", "A")...)
	})

	t.Run("a repeated id counts once", func(t *testing.T) {
		s := tagged(t)
		update(t, s, []string{"sc-1", "sc-1"}, tags("d", "4"), nil, false, max)
		wantTags(t, s, "sc-1", tags("a", "1", "b", "2", "c", "3", "d", "4")...)
	})

	t.Run("no ids changes nothing", func(t *testing.T) {
		s := tagged(t)
		update(t, s, nil, tags("d", "4"), nil, true, max)
		wantTags(t, s, "sc-1", tags("a", "1", "b", "2", "c", "3")...)
	})

	t.Run("other fields are untouched", func(t *testing.T) {
		s := tagged(t)
		want := serverCert("sc-1", 1)
		want.Tags = tags("a", "1", "c", "3", "new", "v")
		update(t, s, []string{"sc-1"}, tags("new", "v"), []string{"b"}, false, max)
		wantCert(t, mustGet(t, s, "sc-1"), want)
	})

	t.Run("exactly max tags is allowed", func(t *testing.T) {
		s := tagged(t)
		update(t, s, []string{"sc-1", "ca-1"}, tags("d", "4", "e", "5"), nil, false, max)
		wantTags(t, s, "sc-1", tags("a", "1", "b", "2", "c", "3", "d", "4", "e", "5")...)
	})

	t.Run("max counts the tags after removal", func(t *testing.T) {
		s := tagged(t)
		update(t, s, []string{"sc-1"}, tags("x", "1", "y", "2"), []string{"a", "b"}, false, 3)
		wantTags(t, s, "sc-1", tags("c", "3", "x", "1", "y", "2")...)
	})

	failures := []struct {
		name    string
		ids     []string
		set     []slbcert.Tag
		remove  []string
		all     bool
		max     int
		account string
		region  string
		want    error
	}{
		{"ErrNotFound when an id is missing", []string{"sc-1", "missing", "ca-1"}, tags("d", "4"), []string{"a"}, false, max, account, region, slbcert.ErrNotFound},
		{"ErrNotFound when the only id is missing", []string{"missing"}, tags("d", "4"), nil, true, max, account, region, slbcert.ErrNotFound},
		{"ErrNotFound for another account", []string{"sc-1", "ca-1"}, tags("d", "4"), nil, false, max, otherAccount, region, slbcert.ErrNotFound},
		{"ErrNotFound for another region", []string{"sc-1"}, tags("d", "4"), nil, true, max, account, otherRegion, slbcert.ErrNotFound},
		{"ErrTagLimit when one certificate would exceed max", []string{"ca-1", "sc-1"}, tags("d", "4", "e", "5", "f", "6"), []string{"nope"}, false, max, account, region, slbcert.ErrTagLimit},
		{"ErrTagLimit when new keys exceed max after removal", []string{"sc-1"}, tags("d", "4", "e", "5"), []string{"a"}, false, 3, account, region, slbcert.ErrTagLimit},
		{"ErrTagLimit for a certificate already over max", []string{"sc-1"}, tags("a", "new"), nil, false, 2, account, region, slbcert.ErrTagLimit},
		{"ErrTagLimit with max 0", []string{"ca-1"}, tags("d", "4"), nil, false, 0, account, region, slbcert.ErrTagLimit},
	}
	for _, tc := range failures {
		t.Run(tc.name+", nothing changes", func(t *testing.T) {
			s := tagged(t)
			twin := serverCert("sc-1", 1) // same IDs in the other account and region
			twin.ID, twin.AccountID = "sc-twin", otherAccount
			create(t, s, twin)
			err := s.UpdateTags(ctx, tc.account, tc.region, tc.ids, tc.set, tc.remove, tc.all, tc.max)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			wantTags(t, s, "sc-1", tags("a", "1", "b", "2", "c", "3")...)
			wantTags(t, s, "ca-1")
			if got := find(t, s, slb.CertificateFilter{AccountID: otherAccount, RegionID: region}); len(got) != 1 || len(got[0].Tags) != 2 {
				t.Errorf("other account's certificate changed: %+v", got)
			}
		})
	}
}
