package postgres

import (
	"context"
	"testing"

	"slbcert/cas"
)

// TestCatalogSurvivesReopen: the catalog and its id counter are in the
// database, and a second replica reserves ids after the first's.
func TestCatalogSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	conn := freshURL(t)
	s, err := Open(ctx, conn)
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
	s.Close()

	s = open(t, conn)
	got, err := s.GetUserCertificate(ctx, "1", id)
	if err != nil || got.Name != "kept" || got.Cert != "pem\n" {
		t.Fatalf("after reopen: %+v, %v", got, err)
	}
	next, err := open(t, conn).NextUserCertificateID(ctx)
	if err != nil || next <= id {
		t.Errorf("next id on another replica %d (%v), want above %d", next, err, id)
	}
}
