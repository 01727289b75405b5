package slb_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"slbcert/internal/e2e"
	"slbcert/internal/pgtest"
	"slbcert/keyring"
	"slbcert/server"
)

// upload sends every case to s through the SDK and returns the ids.
func uploadSealed(t *testing.T, s *e2e.Server, cases []e2e.SealedCase) []string {
	t.Helper()
	var ids []string
	for _, c := range cases {
		resp, err := s.Client(t, c.Region).UploadServerCertificate(e2e.UploadRequest(c.Region, c.Srv.ChainPEM, c.KeyPEM))
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		ids = append(ids, resp.ServerCertificateId)
	}
	return ids
}

// openSealed checks that each sealed blob opens, under ring and its record,
// to the key that was uploaded: the key was kept, sealed.
func openSealed(t *testing.T, ring *keyring.Keyring, account string, ids []string, sealed map[string][]byte, cases []e2e.SealedCase) {
	t.Helper()
	for i, id := range ids {
		plain, err := ring.Open(sealed[id], keyring.AAD(account, id))
		if err != nil {
			t.Fatalf("%s: the stored key does not open: %v", cases[i].Name, err)
		}
		if strings.TrimSpace(string(plain)) != strings.TrimSpace(cases[i].KeyPEM) {
			t.Fatalf("%s: the stored key opens to something else than the uploaded key", cases[i].Name)
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
	s := e2e.Start(t, func(c *server.Config) { c.DataDir = dir })
	cases := e2e.SealedCases()
	ids := uploadSealed(t, s, cases)

	running := e2e.ReadTree(t, dir)
	e2e.AssertNoKeys(t, "server running", running, cases)
	e2e.AssertCertificatesFound(t, "server running", running, cases, 0.5)

	backupDir := t.TempDir()
	if out, err := e2e.RunCommand(t, "backup", "--data", dir, filepath.Join(backupDir, "backup.db")); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	backup := e2e.ReadTree(t, backupDir)
	e2e.AssertNoKeys(t, "backup", backup, cases)
	e2e.AssertCertificatesFound(t, "backup", backup, cases, 0.5)

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	stopped := e2e.ReadTree(t, dir)
	e2e.AssertNoKeys(t, "server stopped", stopped, cases)
	e2e.AssertCertificatesFound(t, "server stopped", stopped, cases, 0.5)

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
		if len(e2e.Where(stopped, blob[:32])) == 0 {
			t.Errorf("control failed: the head of the sealed blob of %s is not found in the files", id)
		}
	}
	openSealed(t, e2e.DataKeyring(t, dir), s.Config.AccountID, ids, sealed, cases)
}

// TestSealedAtRestPostgreSQL: a pg_dump of a PostgreSQL-backed server's
// schema holds no uploaded private key in any form; it holds the
// certificates, and the sealed keys (bytea, in hex), which open to the
// uploaded keys.
func TestSealedAtRestPostgreSQL(t *testing.T) {
	schema := e2e.FreshPGSchema(t)
	pgDump, err := exec.LookPath("pg_dump")
	if err != nil {
		msg := fmt.Sprintf("!!! no pg_dump (%v): the PostgreSQL dump is NOT checked for plaintext keys", err)
		if pgtest.InCI() {
			t.Fatal(msg + "; CI is set, and CI must check it")
		}
		t.Skip(msg)
	}
	masterKey := e2e.NewMasterKey()
	s := e2e.Start(t, func(c *server.Config) { c.DatabaseURL = schema.URL; c.MasterKey = masterKey })
	cases := e2e.SealedCases()
	ids := uploadSealed(t, s, cases)

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
	e2e.AssertNoKeys(t, "pg_dump", dump, cases)
	e2e.AssertCertificatesFound(t, "pg_dump", dump, cases, 1)

	sealed := map[string][]byte{}
	for _, id := range ids {
		var blob []byte
		err := pgtest.Admin(t).QueryRow(context.Background(),
			"SELECT sealed_private_key FROM "+pgx.Identifier{schema.Name, "certificates"}.Sanitize()+" WHERE id = $1", id).Scan(&blob)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		sealed[id] = blob
		if len(e2e.Where(dump, []byte(hex.EncodeToString(blob)))) == 0 {
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
