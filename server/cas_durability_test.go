package server

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
	"slbcert/cas"
	"slbcert/keyring"
)

// TestCatalogSurvivesRestart: a restart keeps the catalog, byte for byte,
// and its id counter; a catalog is enough for the start-up check of the
// master key; and rotate-master-key re-wraps catalog keys too.
func TestCatalogSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	pki := newCatalogPKI(t, "rsa2048", "restart.example.com", nil, time.Time{}, time.Time{})
	crlfCert := strings.ReplaceAll(pki.CertPEM, "\n", "\r\n") // kept as sent
	s := startServer(t, func(c *Config) { c.DataDir = dir })
	first := uploadUserCertificate(t, s.casClient(t), "kept", crlfCert, pki.KeyPEM)
	s.Close()

	// Only the catalog holds sealed keys: a wrong or missing master key
	// still stops the server.
	open := func(edit func(*Config)) error { return openAndClose(dir, edit) }
	wrong := base64.StdEncoding.EncodeToString(keyring.NewKey())
	if err := open(func(c *Config) { c.MasterKey = wrong }); err == nil || !strings.Contains(err.Error(), "master key does not open") {
		t.Fatalf("wrong master key over a catalog: %v", err)
	}

	s = startServer(t, func(c *Config) { c.DataDir = dir })
	c := s.casClient(t)
	d := getDetail(t, c, first, false)
	if d.Cert != crlfCert || d.Key != pki.KeyPEM || d.Name != "kept" || d.Fingerprint != upperSHA1(pki.Leaf) {
		t.Fatalf("after restart: %+v", d)
	}
	second := uploadUserCertificate(t, c, "after", pki.CertPEM, pki.KeyPEM)
	if second <= first {
		t.Errorf("id %d after restart, the first was %d", second, first)
	}

	// Rotate (online), restart on the new key, retire the old one.
	out, err := runCommand(t, "rotate-master-key", "--data", dir)
	if err != nil {
		t.Fatalf("rotate: %v\n%s", err, out)
	}
	s.Close()
	s = startServer(t, func(c *Config) { c.DataDir = dir })
	if out, err := runCommand(t, "rotate-master-key", "--data", dir, "--retire"); err != nil || !strings.Contains(out, "re-wrapped 2 private key(s)") {
		t.Fatalf("retire: %v\n%s", err, out)
	}
	s.Close()
	keys, err := keyring.ReadKeyFile(filepath.Join(dir, "master.key"))
	if err != nil || len(keys) != 1 {
		t.Fatalf("key file after retire: %d keys, %v", len(keys), err)
	}
	s = startServer(t, func(c *Config) { c.DataDir = dir })
	c = s.casClient(t)
	for _, id := range []int64{first, second} {
		if d := getDetail(t, c, id, false); d.Key != pki.KeyPEM {
			t.Errorf("entry %d after rotation: key %q", id, d.Key)
		}
	}
	// The SLB copy still works from the rotated catalog.
	if _, err := s.client(t, "cn-hangzhou").UploadServerCertificate(fromCatalog("cn-hangzhou", fmt.Sprint(first), "kept")); err != nil {
		t.Fatal(err)
	}
}

// TestCatalogSealedAtRest: no uploaded private key sits in the data
// directory in any form; each catalog entry's sealed blob opens, under
// its account and record, to the keys exactly as uploaded.
func TestCatalogSealedAtRest(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, func(c *Config) { c.DataDir = dir })
	c := s.casClient(t)
	cases := sealedCases()
	ids := map[int64]sealedCase{}
	for _, sc := range cases {
		id := uploadUserCertificate(t, c, sc.name, sc.srv.ChainPEM, sc.keyPEM)
		ids[id] = sc
		// And its SLB copy, whose key is re-encoded: sealed all the same.
		if _, err := s.client(t, sc.region).UploadServerCertificate(fromCatalog(sc.region, fmt.Sprint(id), sc.name)); err != nil {
			t.Fatalf("%s: %v", sc.name, err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	files := readTree(t, dir)
	assertNoKeys(t, "catalog", files, cases)
	assertCertificatesFound(t, "catalog", files, cases, 0.5)

	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "slbcert.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ring := dataKeyring(t, dir)
	for id, sc := range ids {
		var blob []byte
		if err := db.QueryRow("SELECT sealed_keys FROM user_certificates WHERE id = ?", id).Scan(&blob); err != nil {
			t.Fatal(err)
		}
		if _, err := ring.Open(blob, keyring.AAD(slbcert.DefaultAccountID+"0", cas.UserCertificateRecordID(id))); err == nil {
			t.Fatalf("%s: the blob opens under another account", sc.name)
		}
		plain, err := ring.Open(blob, keyring.AAD(slbcert.DefaultAccountID, cas.UserCertificateRecordID(id)))
		if err != nil {
			t.Fatalf("%s: %v", sc.name, err)
		}
		var k cas.Keys
		if err := json.Unmarshal(plain, &k); err != nil || k.Key != sc.keyPEM {
			t.Fatalf("%s: the blob opens to something else than the uploaded key (%v)", sc.name, err)
		}
	}
}
