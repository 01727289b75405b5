// Package keyring seals private keys at rest with AES-256-GCM. Every sealed
// blob names the key that sealed it, so that keys can be rotated, and binds
// its record through associated data (owner account and certificate id), so
// that a blob copied onto another record does not open.
package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the size of a master key: 32 bytes, for AES-256.
const KeySize = 32

const formatV1 = 1

// ErrOpen is returned when a blob does not open: wrong key, wrong record, or tampering.
var ErrOpen = errors.New("keyring: sealed data does not open with this key and record")

// Keyring seals with its primary key and opens with any key it holds.
type Keyring struct {
	primary string
	aeads   map[string]cipher.AEAD
}

// New builds a keyring whose primary key is primary; older keys may follow
// so that blobs they sealed still open.
func New(primary []byte, older ...[]byte) (*Keyring, error) {
	k := &Keyring{aeads: map[string]cipher.AEAD{}}
	for i, key := range append([][]byte{primary}, older...) {
		if len(key) != KeySize {
			return nil, fmt.Errorf("keyring: master key must be %d bytes, got %d", KeySize, len(key))
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		id := KeyID(key)
		if i == 0 {
			k.primary = id
		}
		k.aeads[id] = aead
	}
	return k, nil
}

// KeyID names a key without revealing it: the first 8 bytes of its SHA-256, in hex.
func KeyID(key []byte) string {
	sum := sha256.Sum256(append([]byte("slbcert/keyring/id/"), key...))
	return hex.EncodeToString(sum[:8])
}

// PrimaryID returns the id of the key new blobs are sealed with.
func (k *Keyring) PrimaryID() string { return k.primary }

// AAD builds the associated data binding a blob to its record.
func AAD(accountID, recordID string) []byte {
	return []byte("slbcert/v1|" + accountID + "|" + recordID)
}

// Seal encrypts plaintext for the record named by aad.
// Layout: version(1) | len(keyID)(1) | keyID | nonce(12) | ciphertext+tag.
func (k *Keyring) Seal(plaintext, aad []byte) ([]byte, error) {
	aead := k.aeads[k.primary]
	out := make([]byte, 0, 2+len(k.primary)+aead.NonceSize()+len(plaintext)+aead.Overhead())
	out = append(out, formatV1, byte(len(k.primary)))
	out = append(out, k.primary...)
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out = append(out, nonce...)
	return aead.Seal(out, nonce, plaintext, aad), nil
}

// SealedKeyID returns the id of the key that sealed blob.
func SealedKeyID(blob []byte) (string, error) {
	if len(blob) < 2 || blob[0] != formatV1 || len(blob) < 2+int(blob[1]) {
		return "", errors.New("keyring: not a sealed blob")
	}
	return string(blob[2 : 2+int(blob[1])]), nil
}

// Open decrypts blob for the record named by aad.
func (k *Keyring) Open(blob, aad []byte) ([]byte, error) {
	id, err := SealedKeyID(blob)
	if err != nil {
		return nil, err
	}
	aead, ok := k.aeads[id]
	if !ok {
		return nil, fmt.Errorf("keyring: blob sealed with key %s, which this keyring does not hold", id)
	}
	rest := blob[2+len(id):]
	if len(rest) < aead.NonceSize()+aead.Overhead() {
		return nil, ErrOpen
	}
	plain, err := aead.Open(nil, rest[:aead.NonceSize()], rest[aead.NonceSize():], aad)
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// ParseKey decodes a base64 master key (standard or URL alphabet, padding optional).
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if key, err := enc.DecodeString(s); err == nil {
			if len(key) != KeySize {
				return nil, fmt.Errorf("master key is %d bytes, want %d (base64 of 32 random bytes)", len(key), KeySize)
			}
			return key, nil
		}
	}
	return nil, errors.New("master key is not valid base64")
}

// ParseKeys decodes a list of base64 master keys separated by newlines or
// commas: the primary first, then older keys still needed to open blobs
// they sealed. Blank entries are skipped.
func ParseKeys(s string) ([][]byte, error) {
	var keys [][]byte
	for i, f := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' || r == '\r' }) {
		if strings.TrimSpace(f) == "" {
			continue
		}
		k, err := ParseKey(f)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, errors.New("no master key given")
	}
	return keys, nil
}

// NewKey returns a fresh random master key.
func NewKey() []byte {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return key
}

// ReadKeyFile reads a key file: one base64 key per line, the primary first.
func ReadKeyFile(path string) ([][]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	keys, err := ParseKeys(string(data))
	if err != nil {
		return nil, fmt.Errorf("master key file %s: %w", path, err)
	}
	return keys, nil
}

// WriteKeyFile replaces path with keys (the primary first), mode 0600,
// atomically: a crash leaves the old file or the new one, never a mix.
func WriteKeyFile(path string, keys [][]byte) error {
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(base64.StdEncoding.EncodeToString(k) + "\n")
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".master-key-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// LoadOrCreateFile reads the key file at path or, when it does not exist,
// generates a key and writes it there with mode 0600. created reports the
// latter.
func LoadOrCreateFile(path string) (keys [][]byte, created bool, err error) {
	keys, err = ReadKeyFile(path)
	if err == nil {
		return keys, false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, false, err
	}
	keys = [][]byte{NewKey()}
	return keys, true, WriteKeyFile(path, keys)
}
