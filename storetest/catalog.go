package storetest

import (
	"context"
	"fmt"
	"reflect"
	"slbcert/cas"
	"testing"
	"time"

	"slbcert"
)

// RunCatalog runs the certificate catalog's conformance suite
// (cas.Store and cas.KeyResealer) against the stores
// open makes, each fresh and empty, cleaned up by open.
//
// Besides the doc comments of catalog.go, it pins down:
//
//   - Cert, EncryptCert and SignCert come back byte for byte (CRLF, a
//     trailing newline); SealedKeys byte for byte; times in UTC at the
//     millisecond; Sans, Chain and Tags non-nil and in the order given.
//   - Names are unique per account, not across accounts; a name taken
//     refuses the create or the rename and changes nothing.
//   - CertIds are reserved store-wide and never reused, deleted or not.
//   - Keyword matches a case-insensitive substring of the CommonName, a SAN
//     or the InstanceID (never the Name); '%' and '_' match themselves.
//   - An account never sees, changes or counts another's entries.
//   - Stores keep no reference to the values passed in or handed out.
func RunCatalog(t *testing.T, open func(t *testing.T) CatalogStore) {
	t.Helper()
	groups := []struct {
		name string
		run  func(*testing.T, catalogOpener)
	}{
		{"IDs", testCatalogIDs},
		{"Create", testCatalogCreate},
		{"Quota", testCatalogQuota},
		{"Find", testCatalogFind},
		{"Update", testCatalogUpdate},
		{"Delete", testCatalogDelete},
		{"Reseal", testCatalogReseal},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) { g.run(t, open) })
	}
}

// CatalogStore is what RunCatalog tests: a catalog store whose sealed
// keys can also be resealed (slbcert rotate-master-key).
type CatalogStore interface {
	cas.Store
	cas.KeyResealer
}

type catalogOpener = func(t *testing.T) CatalogStore

// userCert returns an entry of account with every field set and distinct,
// under a freshly reserved id.
func userCert(t *testing.T, s cas.Store, name string, i int) *cas.UserCertificate {
	t.Helper()
	id, err := s.NextUserCertificateID(context.Background())
	if err != nil {
		t.Fatalf("NextUserCertificateID: %v", err)
	}
	return &cas.UserCertificate{
		ID:              id,
		AccountID:       account,
		InstanceID:      fmt.Sprintf("cas-upload-%06d", i),
		Name:            name,
		ResourceGroupID: rg,
		Cert:            "-----BEGIN CERTIFICATE-----\r\nMIIB" + name + "\r\n-----END CERTIFICATE-----\r\n\n",
		EncryptCert:     "enc " + name,
		SignCert:        "sign " + name,
		SealedKeys:      []byte{0, 1, byte(i), 0xff, 0},
		CommonName:      name + ".Example.com",
		Sans:            []string{"www." + name + ".example.com", name + ".example.com"},
		Fingerprint:     fmt.Sprintf("%040X", i),
		Sha2:            fmt.Sprintf("%064X", i),
		SerialNo:        fmt.Sprintf("0%x", i+10),
		Issuer:          "Test CA",
		OrgName:         "Org " + name,
		Province:        "Zhejiang",
		City:            "Hangzhou",
		Country:         "CN",
		Algorithm:       "RSA",
		NotBefore:       t0.Add(-time.Hour),
		NotAfter:        t0.AddDate(1, 0, i),
		Chain: []cas.CertChainEntry{
			{CommonName: name + ".example.com", IssuerCommonName: "Test CA", NotBefore: t0.Add(-time.Hour), NotAfter: t0.AddDate(1, 0, i)},
			{CommonName: "Test CA", IssuerCommonName: "Test Root", NotBefore: t0.AddDate(-1, 0, 0), NotAfter: t0.AddDate(5, 0, 0)},
		},
		CreateTime: t0.Add(time.Duration(i) * time.Minute),
		Tags:       []slbcert.Tag{{Key: "z", Value: "1"}, {Key: "a", Value: ""}},
	}
}

// cloneUserCert returns a deep copy of c.
func cloneUserCert(c *cas.UserCertificate) *cas.UserCertificate {
	d := *c
	d.SealedKeys = append([]byte(nil), c.SealedKeys...)
	d.Sans = append([]string(nil), c.Sans...)
	d.Chain = append([]cas.CertChainEntry(nil), c.Chain...)
	d.Tags = append([]slbcert.Tag(nil), c.Tags...)
	return &d
}

// storedUserCert is what a store must hand back for c.
func storedUserCert(c *cas.UserCertificate) *cas.UserCertificate {
	d := cloneUserCert(c)
	utc := func(t time.Time) time.Time { return t.Truncate(time.Millisecond).UTC() }
	d.NotBefore, d.NotAfter, d.CreateTime = utc(c.NotBefore), utc(c.NotAfter), utc(c.CreateTime)
	for i := range d.Chain {
		d.Chain[i].NotBefore, d.Chain[i].NotAfter = utc(d.Chain[i].NotBefore), utc(d.Chain[i].NotAfter)
	}
	if d.Sans == nil {
		d.Sans = []string{}
	}
	if d.Chain == nil {
		d.Chain = []cas.CertChainEntry{}
	}
	if d.Tags == nil {
		d.Tags = []slbcert.Tag{}
	}
	if d.SealedKeys == nil {
		d.SealedKeys = []byte{}
	}
	return d
}

func createUserCert(t *testing.T, s cas.Store, c *cas.UserCertificate) {
	t.Helper()
	if err := s.CreateUserCertificate(context.Background(), cloneUserCert(c), noLimit); err != nil {
		t.Fatalf("CreateUserCertificate(%s): %v", c.Name, err)
	}
}

func getUserCert(t *testing.T, s cas.Store, acct string, id int64) *cas.UserCertificate {
	t.Helper()
	got, err := s.GetUserCertificate(context.Background(), acct, id)
	if err != nil {
		t.Fatalf("GetUserCertificate(%s, %d): %v", acct, id, err)
	}
	return got
}

// wantUserCert reports how got differs from what the store must hand back for want.
func wantUserCert(t *testing.T, got, want *cas.UserCertificate) {
	t.Helper()
	w := storedUserCert(want)
	g := *got
	// Compare times with Equal, then the rest field by field.
	times := []struct {
		name      string
		got, want time.Time
	}{{"NotBefore", g.NotBefore, w.NotBefore}, {"NotAfter", g.NotAfter, w.NotAfter}, {"CreateTime", g.CreateTime, w.CreateTime}}
	for _, tm := range times {
		if !tm.got.Equal(tm.want) || tm.got.Location() != time.UTC {
			t.Errorf("entry %d: %s = %v, want %v in UTC", w.ID, tm.name, tm.got, tm.want)
		}
	}
	g.NotBefore, g.NotAfter, g.CreateTime = w.NotBefore, w.NotAfter, w.CreateTime
	for i := range g.Chain {
		if i < len(w.Chain) && g.Chain[i].NotBefore.Equal(w.Chain[i].NotBefore) && g.Chain[i].NotAfter.Equal(w.Chain[i].NotAfter) {
			g.Chain[i].NotBefore, g.Chain[i].NotAfter = w.Chain[i].NotBefore, w.Chain[i].NotAfter
		}
	}
	gv, wv := reflect.ValueOf(g), reflect.ValueOf(*w)
	for i := 0; i < gv.NumField(); i++ {
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			t.Errorf("entry %d: %s = %#v, want %#v", w.ID, gv.Type().Field(i).Name, gv.Field(i).Interface(), wv.Field(i).Interface())
		}
	}
}

func catalogIDs(list []*cas.UserCertificate) []int64 {
	out := make([]int64, len(list))
	for i, c := range list {
		out[i] = c.ID
	}
	return out
}

func wantCatalogIDs(t *testing.T, what string, got []*cas.UserCertificate, want ...*cas.UserCertificate) {
	t.Helper()
	w := catalogIDs(want)
	if g := catalogIDs(got); !reflect.DeepEqual(g, w) {
		t.Errorf("%s: got ids %v, want %v", what, g, w)
	}
}

func findUserCerts(t *testing.T, s cas.Store, f cas.UserCertificateFilter) ([]*cas.UserCertificate, int) {
	t.Helper()
	list, total, err := s.FindUserCertificates(context.Background(), f)
	if err != nil {
		t.Fatalf("FindUserCertificates(%+v): %v", f, err)
	}
	if list == nil {
		t.Fatalf("FindUserCertificates(%+v) = nil, want a non-nil slice", f)
	}
	return list, total
}
