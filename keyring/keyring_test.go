package keyring

import (
	"bytes"
	"crypto/rand"
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
	k, created, err := LoadOrCreateFile(p)
	if err != nil || !created || len(k) != KeySize {
		t.Fatalf("create: %v %v %d", err, created, len(k))
	}
	st, err := os.Stat(p)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", st.Mode(), err)
	}
	k2, created, err := LoadOrCreateFile(p)
	if err != nil || created || !bytes.Equal(k, k2) {
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
