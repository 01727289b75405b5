package server_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
	"slbcert/keyring"
	"slbcert/server"
	"slbcert/sqlite"
)

// sealedKeyIDs lists the ids of the keys that sealed every stored private key.
func sealedKeyIDs(t *testing.T, dir string) map[string]int {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(dir, "slbcert.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	keys, err := store.SealedKeys(context.Background(), "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int{}
	for _, k := range keys {
		id, _ := keyring.SealedKeyID(k.Blob)
		ids[id]++
	}
	return ids
}

func TestRotateMasterKey(t *testing.T) {
	dir := t.TempDir()
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "rotate.example.com"})
	s := e2e.Start(t, func(c *server.Config) { c.DataDir = dir })
	k := s.Calls(t, "cn-hangzhou", "")
	for i := 0; i < 3; i++ {
		k.Upload(srv.ChainPEM, srv.KeyPEM, "")
	}
	oldKeys, err := keyring.ReadKeyFile(filepath.Join(dir, "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	oldID := keyring.KeyID(oldKeys[0])

	// Online: the server keeps serving; the new key goes first in the file
	// and nothing moves to it yet, since the running server lacks it.
	out, err := e2e.RunCommand(t, "rotate-master-key", "--data", dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	keys, _ := keyring.ReadKeyFile(filepath.Join(dir, "master.key"))
	if len(keys) != 2 || !bytes.Equal(keys[1], oldKeys[0]) {
		t.Fatalf("key file after rotation holds %d keys", len(keys))
	}
	newID := keyring.KeyID(keys[0])
	if ids := sealedKeyIDs(t, dir); ids[newID] != 0 || ids[oldID] != 3 {
		t.Fatalf("after rotation, blobs by key: %v", ids)
	}
	// The running server still seals with the old key until it restarts.
	k.Upload(srv.ChainPEM, srv.KeyPEM, "")
	s.Close()

	s = e2e.Start(t, func(c *server.Config) { c.DataDir = dir })
	k = s.Calls(t, "cn-hangzhou", "")
	k.Upload(srv.ChainPEM, srv.KeyPEM, "")
	if ids := sealedKeyIDs(t, dir); ids[newID] != 1 || ids[oldID] != 4 {
		t.Fatalf("after restart, blobs by key: %v", ids)
	}
	out, err = e2e.RunCommand(t, "rotate-master-key", "--data", dir, "--retire")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if ids := sealedKeyIDs(t, dir); ids[newID] != 5 || len(ids) != 1 {
		t.Fatalf("after retire, blobs by key: %v", ids)
	}
	if keys, _ := keyring.ReadKeyFile(filepath.Join(dir, "master.key")); len(keys) != 1 || keyring.KeyID(keys[0]) != newID {
		t.Fatalf("key file after retire holds %d keys", len(keys))
	}
	s.Close()
	s = e2e.Start(t, func(c *server.Config) { c.DataDir = dir })
	if l, err := s.Calls(t, "cn-hangzhou", "").Describe(""); err != nil || len(l) != 5 {
		t.Fatalf("after rotation: %d certificates, %v", len(l), err)
	}
}

func TestWrongMasterKeyRefusesToStart(t *testing.T) {
	dir := t.TempDir()
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "mk.example.com"})
	s := e2e.Start(t, func(c *server.Config) { c.DataDir = dir })
	s.Calls(t, "cn-hangzhou", "").Upload(srv.ChainPEM, srv.KeyPEM, "")
	s.Close()

	open := func(edit func(*server.Config)) error { return e2e.OpenAndClose(dir, edit) }
	wrong := base64.StdEncoding.EncodeToString(keyring.NewKey())
	if err := open(func(c *server.Config) { c.MasterKey = wrong }); err == nil || !strings.Contains(err.Error(), "master key does not open") {
		t.Fatalf("wrong key: %v", err)
	}
	os.Rename(filepath.Join(dir, "master.key"), filepath.Join(dir, "master.key.away"))
	if err := open(func(*server.Config) {}); err == nil || !strings.Contains(err.Error(), "is missing") {
		t.Fatalf("missing key: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "master.key")); err == nil {
		t.Fatal("a new master key was generated over sealed data")
	}
	os.Rename(filepath.Join(dir, "master.key.away"), filepath.Join(dir, "master.key"))
	if err := open(func(*server.Config) {}); err != nil {
		t.Fatalf("right key: %v", err)
	}
}

func TestBackupRestore(t *testing.T) {
	dir := t.TempDir()
	backupFile := filepath.Join(t.TempDir(), "backup.db")
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "backup.example.com"})
	s := e2e.Start(t, func(c *server.Config) { c.DataDir = dir })
	k := s.Calls(t, "cn-hangzhou", "")
	kept := k.Upload(srv.ChainPEM, srv.KeyPEM, "kept").ServerCertificateId
	if out, err := e2e.RunCommand(t, "backup", "--data", dir, backupFile); err != nil {
		t.Fatalf("backup while serving: %v\n%s", err, out)
	}
	k.Upload(srv.ChainPEM, srv.KeyPEM, "after-backup")
	s.Close()
	raw, _ := os.ReadFile(backupFile)
	if bytes.Contains(raw, []byte(strings.Split(srv.KeyPEM, "\n")[1])) {
		t.Fatal("the backup holds a private key in the clear")
	}
	if _, err := e2e.RunCommand(t, "restore", "--data", dir, backupFile); err == nil {
		t.Fatal("restore over an existing database without --force")
	}
	if out, err := e2e.RunCommand(t, "restore", "--data", dir, "--force", backupFile); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	s = e2e.Start(t, func(c *server.Config) { c.DataDir = dir })
	l, err := s.Calls(t, "cn-hangzhou", "").Describe("")
	if err != nil || len(l) != 1 || l[0].ServerCertificateId != kept {
		t.Fatalf("after restore: %+v %v", l, err)
	}
}
