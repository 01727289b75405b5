package server

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"database/sql"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"slbcert/internal/pgtest"
	"slbcert/internal/testpki"
	"slbcert/keyring"
)

// sealedCase is a certificate uploaded to look for its key at rest.
type sealedCase struct {
	name, region string
	srv          *testpki.Server
	keyPEM       string // as uploaded
}

// sealedCases returns fresh keys (so no other test's upload can match) in
// every format a key is uploaded in.
func sealedCases() []sealedCase {
	var cases []sealedCase
	for _, tc := range []struct {
		name, kind, region string
		encode             func(crypto.Signer) string
	}{
		{"rsa2048 pkcs1", "rsa2048", "cn-hangzhou", func(k crypto.Signer) string { return testpki.PKCS1PEM(k.(*rsa.PrivateKey)) }},
		{"rsa2048 pkcs8", "rsa2048", "cn-hangzhou", testpki.KeyPEM},
		{"p256 sec1", "p256", "eu-west-1", func(k crypto.Signer) string { return testpki.SEC1PEM(k.(*ecdsa.PrivateKey)) }},
		{"p384 pkcs8", "p384", "eu-west-1", testpki.KeyPEM},
	} {
		srv := testpki.NewServerWithKey(testpki.NewKey(tc.kind), testpki.Leaf{CommonName: "sealed.example.com"})
		cases = append(cases, sealedCase{tc.name, tc.region, srv, tc.encode(srv.Key)})
	}
	return cases
}

// upload sends every case to s through the SDK and returns the ids.
func (s *testServer) uploadSealed(t *testing.T, cases []sealedCase) []string {
	t.Helper()
	var ids []string
	for _, c := range cases {
		resp, err := s.client(t, c.region).UploadServerCertificate(uploadRequest(c.region, c.srv.ChainPEM, c.keyPEM))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		ids = append(ids, resp.ServerCertificateId)
	}
	return ids
}

// needle is a byte string that must not (or, for a control, must) be found at rest.
type needle struct {
	what string
	b    []byte
}

// pemLines returns the base64 body lines of every PEM block of text, those of
// at least 16 characters.
func pemLines(what, text string) []needle {
	var out []needle
	in := false
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "-----BEGIN "):
			in = true
		case strings.HasPrefix(line, "-----END "):
			in = false
		case in && len(line) >= 16 && !strings.Contains(line, ":"):
			out = append(out, needle{fmt.Sprintf("%s, base64 line %d", what, i), []byte(line)})
		}
	}
	return out
}

// keyNeedles is every form in which c's private key could sit in a file: the
// base64 lines uploaded (as text, and in hex as pg_dump writes a bytea), the DER of each standard encoding (as bytes, in hex
// as pg_dump writes bytea, and as base64 lines of its PEM), and the secret
// numbers themselves.
func keyNeedles(t *testing.T, c sealedCase) []needle {
	t.Helper()
	out := pemLines(c.name+" key as uploaded", c.keyPEM)
	for _, l := range out[:len(out):len(out)] {
		// Text in a bytea column: pg_dump writes it in hex.
		out = append(out, needle{l.what + " in hex", []byte(hex.EncodeToString(l.b))})
	}
	ders := map[string][]byte{}
	block, _ := pem.Decode([]byte(c.keyPEM))
	ders["uploaded DER"] = block.Bytes
	pkcs8, err := x509.MarshalPKCS8PrivateKey(c.srv.Key)
	if err != nil {
		t.Fatal(err)
	}
	ders["PKCS#8 DER"] = pkcs8
	var secrets [][]byte
	switch k := c.srv.Key.(type) {
	case *rsa.PrivateKey:
		ders["PKCS#1 DER"] = x509.MarshalPKCS1PrivateKey(k)
		secrets = [][]byte{k.D.Bytes(), k.Primes[0].Bytes(), k.Primes[1].Bytes()}
	case *ecdsa.PrivateKey:
		sec1, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		ders["SEC1 DER"] = sec1
		d, err := k.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		secrets = [][]byte{d}
	}
	for name, der := range ders {
		out = append(out, needle{c.name + " " + name, der})
		out = append(out, needle{c.name + " " + name + " in hex", []byte(hex.EncodeToString(der))})
		out = append(out, needle{c.name + " " + name + " in HEX", []byte(strings.ToUpper(hex.EncodeToString(der)))})
		out = append(out, pemLines(c.name+" "+name+" as PEM", string(pem.EncodeToMemory(&pem.Block{Type: "X", Bytes: der})))...)
	}
	for i, s := range secrets {
		out = append(out, needle{fmt.Sprintf("%s secret number %d", c.name, i), s})
		out = append(out, needle{fmt.Sprintf("%s secret number %d in hex", c.name, i), []byte(hex.EncodeToString(s))})
	}
	return out
}

// readTree reads every regular file under dir.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(path)
		files[path] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no files in %s", dir)
	}
	return files
}

// where returns the files n occurs in.
func where(files map[string][]byte, n []byte) []string {
	var in []string
	for name, b := range files {
		if bytes.Contains(b, n) {
			in = append(in, filepath.Base(name))
		}
	}
	return in
}

// assertNoKeys fails t for every key needle found in files.
func assertNoKeys(t *testing.T, when string, files map[string][]byte, cases []sealedCase) {
	t.Helper()
	for _, c := range cases {
		needles := keyNeedles(t, c)
		if len(needles) < 20 {
			t.Fatalf("%s: only %d needles", c.name, len(needles))
		}
		var found []string
		for _, k := range needles {
			if in := where(files, k.b); len(in) > 0 {
				found = append(found, fmt.Sprintf("%s in %v", k.what, in))
			}
		}
		if len(found) > 0 {
			t.Errorf("%s: PLAINTEXT KEY AT REST: %d of %d forms of the %s key found, such as\n\t%s",
				when, len(found), len(needles), c.name, strings.Join(found[:min(3, len(found))], "\n\t"))
		}
	}
}

// assertCertificatesFound is the control: the same search finds each
// certificate, which is stored in clear. In SQLite a record larger than a
// page is split over overflow pages, so a line may straddle two pages; at
// least min of each certificate's lines must be found.
func assertCertificatesFound(t *testing.T, when string, files map[string][]byte, cases []sealedCase, min float64) {
	t.Helper()
	for _, c := range cases {
		lines := pemLines(c.name+" certificate", testpki.ChainPEM(c.srv.Leaf))
		found := 0
		for _, l := range lines {
			if len(where(files, l.b)) > 0 {
				found++
			}
		}
		t.Logf("%s: control: %d of %d base64 lines of the %s certificate found", when, found, len(lines), c.name)
		if float64(found) < min*float64(len(lines)) {
			t.Errorf("%s: control failed: only %d of %d base64 lines of the %s certificate found, so the search proves nothing", when, found, len(lines), c.name)
		}
	}
}

// openSealed checks that each sealed blob opens, under ring and its record,
// to the key that was uploaded: the key was kept, sealed.
func openSealed(t *testing.T, ring *keyring.Keyring, account string, ids []string, sealed map[string][]byte, cases []sealedCase) {
	t.Helper()
	for i, id := range ids {
		plain, err := ring.Open(sealed[id], keyring.AAD(account, id))
		if err != nil {
			t.Fatalf("%s: the stored key does not open: %v", cases[i].name, err)
		}
		if strings.TrimSpace(string(plain)) != strings.TrimSpace(cases[i].keyPEM) {
			t.Fatalf("%s: the stored key opens to something else than the uploaded key", cases[i].name)
		}
	}
}

// TestSealedAtRestSQLite: nothing in the embedded store's data directory —
// database, WAL, shared memory, key files — holds any uploaded private key in
// any form, while the server runs and after it stops, nor does a backup; yet
// the certificates are found there, and the sealed keys open to the uploaded
// keys.
func TestSealedAtRestSQLite(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, func(c *Config) { c.DataDir = dir })
	cases := sealedCases()
	ids := s.uploadSealed(t, cases)

	running := readTree(t, dir)
	assertNoKeys(t, "server running", running, cases)
	assertCertificatesFound(t, "server running", running, cases, 0.5)

	backupDir := t.TempDir()
	if out, err := runCommand(t, "backup", "--data", dir, filepath.Join(backupDir, "backup.db")); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	backup := readTree(t, backupDir)
	assertNoKeys(t, "backup", backup, cases)
	assertCertificatesFound(t, "backup", backup, cases, 0.5)

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	stopped := readTree(t, dir)
	assertNoKeys(t, "server stopped", stopped, cases)
	assertCertificatesFound(t, "server stopped", stopped, cases, 0.5)

	// Read the sealed blobs (after the files were read: opening the database
	// may touch them) and control that the search finds binary data too.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "slbcert.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sealed := map[string][]byte{}
	for _, id := range ids {
		var blob []byte
		if err := db.QueryRowContext(context.Background(), "SELECT sealed_private_key FROM certificates WHERE id = ?", id).Scan(&blob); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		sealed[id] = blob
		if len(where(stopped, blob[:32])) == 0 {
			t.Errorf("control failed: the head of the sealed blob of %s is not found in the files", id)
		}
	}
	openSealed(t, dataKeyring(t, dir), s.Config.AccountID, ids, sealed, cases)
}

// TestSealedAtRestPostgreSQL: a pg_dump of a PostgreSQL-backed server's
// schema holds no uploaded private key in any form; it holds the
// certificates, and the sealed keys (bytea, in hex), which open to the
// uploaded keys.
func TestSealedAtRestPostgreSQL(t *testing.T) {
	schema := freshPGSchema(t)
	pgDump, err := exec.LookPath("pg_dump")
	if err != nil {
		msg := fmt.Sprintf("!!! no pg_dump (%v): the PostgreSQL dump is NOT checked for plaintext keys", err)
		if pgtest.InCI() {
			t.Fatal(msg + "; CI is set, and CI must check it")
		}
		t.Skip(msg)
	}
	masterKey := newMasterKey()
	s := startServer(t, func(c *Config) { c.DatabaseURL = schema.URL; c.MasterKey = masterKey })
	cases := sealedCases()
	ids := s.uploadSealed(t, cases)

	out, err := exec.Command(pgDump, "--schema="+schema.Name, schema.Base).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("pg_dump: %v\n%s", err, stderr)
	}
	dump := map[string][]byte{"pg_dump": out}
	if !bytes.Contains(out, []byte("COPY "+schema.Name+".certificates")) {
		t.Fatalf("the dump has no certificates table data:\n%.2000s", out)
	}
	assertNoKeys(t, "pg_dump", dump, cases)
	assertCertificatesFound(t, "pg_dump", dump, cases, 1)

	sealed := map[string][]byte{}
	for _, id := range ids {
		var blob []byte
		err := pgtest.Admin(t).QueryRow(context.Background(),
			"SELECT sealed_private_key FROM "+pgx.Identifier{schema.Name, "certificates"}.Sanitize()+" WHERE id = $1", id).Scan(&blob)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		sealed[id] = blob
		if len(where(dump, []byte(hex.EncodeToString(blob)))) == 0 {
			t.Errorf("control failed: the sealed blob of %s is not found in the dump in hex", id)
		}
	}
	key, err := keyring.ParseKey(masterKey)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := keyring.New(key)
	if err != nil {
		t.Fatal(err)
	}
	openSealed(t, ring, s.Config.AccountID, ids, sealed, cases)
}
