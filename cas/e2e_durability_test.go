package cas_test

import (
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"slbcert"
	cassvc "slbcert/cas"
	"slbcert/internal/e2e"
	"slbcert/keyring"
	"slbcert/server"
)

// TestCatalogSurvivesRestart: a restart keeps the catalog, byte for byte,
// and its id counter; a catalog is enough for the start-up check of the
// master key; and rotate-master-key re-wraps catalog keys too.
func TestCatalogSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	pki := e2e.NewCatalogPKI(t, "rsa2048", "restart.example.com", nil, time.Time{}, time.Time{})
	crlfCert := strings.ReplaceAll(pki.CertPEM, "\n", "\r\n") // kept as sent
	s := e2e.Start(t, func(c *server.Config) { c.DataDir = dir })
	first := e2e.UploadUserCertificate(t, s.CASClient(t), "kept", crlfCert, pki.KeyPEM)
	s.Close()

	// Only the catalog holds sealed keys: a wrong or missing master key
	// still stops the server.
	open := func(edit func(*server.Config)) error { return e2e.OpenAndClose(dir, edit) }
	wrong := base64.StdEncoding.EncodeToString(keyring.NewKey())
	if err := open(func(c *server.Config) { c.MasterKey = wrong }); err == nil || !strings.Contains(err.Error(), "master key does not open") {
		t.Fatalf("wrong master key over a catalog: %v", err)
	}

	s = e2e.Start(t, func(c *server.Config) { c.DataDir = dir })
	c := s.CASClient(t)
	d := e2e.GetUserCertificateDetail(t, c, first, false)
	if d.Cert != crlfCert || d.Key != pki.KeyPEM || d.Name != "kept" || d.Fingerprint != upperSHA1(pki.Leaf) {
		t.Fatalf("after restart: %+v", d)
	}
	second := e2e.UploadUserCertificate(t, c, "after", pki.CertPEM, pki.KeyPEM)
	if second <= first {
		t.Errorf("id %d after restart, the first was %d", second, first)
	}

	// Rotate (online), restart on the new key, retire the old one.
	out, err := e2e.RunCommand(t, "rotate-master-key", "--data", dir)
	if err != nil {
		t.Fatalf("rotate: %v\n%s", err, out)
	}
	s.Close()
	s = e2e.Start(t, func(c *server.Config) { c.DataDir = dir })
	if out, err := e2e.RunCommand(t, "rotate-master-key", "--data", dir, "--retire"); err != nil || !strings.Contains(out, "re-wrapped 2 private key(s)") {
		t.Fatalf("retire: %v\n%s", err, out)
	}
	s.Close()
	keys, err := keyring.ReadKeyFile(filepath.Join(dir, "master.key"))
	if err != nil || len(keys) != 1 {
		t.Fatalf("key file after retire: %d keys, %v", len(keys), err)
	}
	s = e2e.Start(t, func(c *server.Config) { c.DataDir = dir })
	c = s.CASClient(t)
	for _, id := range []int64{first, second} {
		if d := e2e.GetUserCertificateDetail(t, c, id, false); d.Key != pki.KeyPEM {
			t.Errorf("entry %d after rotation: key %q", id, d.Key)
		}
	}
	// The SLB copy still works from the rotated catalog.
	if _, err := s.Client(t, "cn-hangzhou").UploadServerCertificate(e2e.FromCatalog("cn-hangzhou", fmt.Sprint(first), "kept")); err != nil {
		t.Fatal(err)
	}
}

// TestCatalogSealedAtRest: no uploaded private key sits in the data
// directory in any form; each catalog entry's sealed blob opens, under
// its account and record, to the keys exactly as uploaded.
func TestCatalogSealedAtRest(t *testing.T) {
	dir := t.TempDir()
	s := e2e.Start(t, func(c *server.Config) { c.DataDir = dir })
	c := s.CASClient(t)
	cases := e2e.SealedCases()
	ids := map[int64]e2e.SealedCase{}
	for _, sc := range cases {
		id := e2e.UploadUserCertificate(t, c, sc.Name, sc.Srv.ChainPEM, sc.KeyPEM)
		ids[id] = sc
		// And its SLB copy, whose key is re-encoded: sealed all the same.
		if _, err := s.Client(t, sc.Region).UploadServerCertificate(e2e.FromCatalog(sc.Region, fmt.Sprint(id), sc.Name)); err != nil {
			t.Fatalf("%s: %v", sc.Name, err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	files := e2e.ReadTree(t, dir)
	e2e.AssertNoKeys(t, "catalog", files, cases)
	e2e.AssertCertificatesFound(t, "catalog", files, cases, 0.5)

	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "slbcert.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ring := e2e.DataKeyring(t, dir)
	for id, sc := range ids {
		var blob []byte
		if err := db.QueryRow("SELECT sealed_keys FROM user_certificates WHERE id = ?", id).Scan(&blob); err != nil {
			t.Fatal(err)
		}
		if _, err := ring.Open(blob, keyring.AAD(slbcert.DefaultAccountID+"0", cassvc.UserCertificateRecordID(id))); err == nil {
			t.Fatalf("%s: the blob opens under another account", sc.Name)
		}
		plain, err := ring.Open(blob, keyring.AAD(slbcert.DefaultAccountID, cassvc.UserCertificateRecordID(id)))
		if err != nil {
			t.Fatalf("%s: %v", sc.Name, err)
		}
		var k cassvc.Keys
		if err := json.Unmarshal(plain, &k); err != nil || k.Key != sc.KeyPEM {
			t.Fatalf("%s: the blob opens to something else than the uploaded key (%v)", sc.Name, err)
		}
	}
}
