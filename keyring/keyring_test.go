package keyring

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"
)

func newKey(t *testing.T) []byte {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpen(t *testing.T) {
	k1, k2 := newKey(t), newKey(t)
	ring, err := New(k1)
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n")
	blob, err := ring.Seal(secret, AAD("1000000000000001", "cert-1"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(blob, []byte("MIIE")) || bytes.Contains(blob, []byte("PRIVATE")) {
		t.Fatal("sealed blob holds plaintext")
	}
	if id, _ := SealedKeyID(blob); id != KeyID(k1) {
		t.Fatalf("key id %q, want %q", id, KeyID(k1))
	}
	got, err := ring.Open(blob, AAD("1000000000000001", "cert-1"))
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("open: %q, %v", got, err)
	}
	for name, aad := range map[string][]byte{
		"error/other record":  AAD("1000000000000001", "cert-2"),
		"error/other account": AAD("1000000000000002", "cert-1"),
	} {
		if _, err := ring.Open(blob, aad); err != ErrOpen {
			t.Errorf("%s: err = %v, want ErrOpen", name, err)
		}
	}
	tampered := bytes.Clone(blob)
	tampered[len(tampered)-1] ^= 1
	if _, err := ring.Open(tampered, AAD("1000000000000001", "cert-1")); err != ErrOpen {
		t.Errorf("tampered: err = %v", err)
	}
	other, _ := New(k2)
	if _, err := other.Open(blob, AAD("1000000000000001", "cert-1")); err == nil {
		t.Error("a keyring without the sealing key opened the blob")
	}
	rotated, _ := New(k2, k1)
	if got, err := rotated.Open(blob, AAD("1000000000000001", "cert-1")); err != nil || !bytes.Equal(got, secret) {
		t.Errorf("rotated keyring: %v", err)
	}
	if _, err := ring.Open([]byte{9, 9}, nil); err == nil {
		t.Error("garbage opened")
	}
}

func TestLoadOrCreateFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sub", "master.key")
	ks, created, err := LoadOrCreateFile(p)
	if err != nil || !created || len(ks) != 1 || len(ks[0]) != KeySize {
		t.Fatalf("create: %v %v %d", err, created, len(ks))
	}
	k := ks[0]
	st, err := os.Stat(p)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", st.Mode(), err)
	}
	k2, created, err := LoadOrCreateFile(p)
	if err != nil || created || len(k2) != 1 || !bytes.Equal(k, k2[0]) {
		t.Fatalf("reload: %v %v", err, created)
	}
	if err := os.WriteFile(p, []byte("not base64!"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadOrCreateFile(p); err == nil {
		t.Fatal("garbage key accepted")
	}
	if _, err := ParseKey("c2hvcnQ="); err == nil {
		t.Fatal("short key accepted")
	}
}

func TestKeyFileRotation(t *testing.T) {
	p := filepath.Join(t.TempDir(), "master.key")
	old, fresh := newKey(t), newKey(t)
	if err := WriteKeyFile(p, [][]byte{fresh, old}); err != nil {
		t.Fatal(err)
	}
	keys, err := ReadKeyFile(p)
	if err != nil || len(keys) != 2 || !bytes.Equal(keys[0], fresh) || !bytes.Equal(keys[1], old) {
		t.Fatalf("read back %d keys, %v", len(keys), err)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode())
	}
	ring, _ := New(keys[0], keys[1:]...)
	if ring.PrimaryID() != KeyID(fresh) {
		t.Fatal("the first key is not the primary")
	}
	for _, tc := range []struct {
		in string
		n  int
	}{{"", 0}, {" , \n", 0}, {"x", 0}, {base64.StdEncoding.EncodeToString(old) + "," + base64.StdEncoding.EncodeToString(fresh), 2}} {
		keys, err := ParseKeys(tc.in)
		if len(keys) != tc.n || (tc.n == 0) != (err != nil) {
			t.Errorf("ParseKeys(%q) = %d keys, %v", tc.in, len(keys), err)
		}
	}
}
