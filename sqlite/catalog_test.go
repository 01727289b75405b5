package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"slbcert/cas"
)

// TestCatalogSurvivesReopen: the catalog and its id counter are on disk.
func TestCatalogSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "slbcert.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.NextUserCertificateID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := &cas.UserCertificate{ID: id, AccountID: "1", Name: "kept", Cert: "pem\n", SealedKeys: []byte{1, 2}}
	if err := s.CreateUserCertificate(ctx, c, 10); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = open(t, path)
	got, err := s.GetUserCertificate(ctx, "1", id)
	if err != nil || got.Name != "kept" || got.Cert != "pem\n" {
		t.Fatalf("after reopen: %+v, %v", got, err)
	}
	next, err := s.NextUserCertificateID(ctx)
	if err != nil || next <= id {
		t.Errorf("next id after reopen %d (%v), want above %d", next, err, id)
	}
}
