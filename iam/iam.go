// Package iam knows who may call the API: accounts, their AccessKeys, and the
// root credentials the server is started with.
package iam

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"slbcert"
)

// AccessKey is one AccessKey pair and whom it authenticates.
type AccessKey struct {
	ID        string
	Secret    string
	Inactive  bool
	Principal *slbcert.Principal
}

// Directory finds AccessKeys by id, and accounts and roles for STS. It is
// immutable; build a new one to change it.
type Directory struct {
	keys     map[string]*AccessKey
	accounts map[string]*slbcert.Account
	roles    map[string]*Role // by roleKey
}

// TemporaryKeyPrefix starts every STS AccessKeyId; no long-term key may
// use it, so the gateway can tell the two apart by the id alone.
const TemporaryKeyPrefix = "STS."

// NewDirectory returns a directory of keys; an id given twice is an error.
func NewDirectory(keys ...*AccessKey) (*Directory, error) {
	d := &Directory{keys: make(map[string]*AccessKey, len(keys)), accounts: map[string]*slbcert.Account{}, roles: map[string]*Role{}}
	for _, k := range keys {
		if k.ID == "" || k.Secret == "" {
			return nil, errors.New("iam: an AccessKey needs an id and a secret")
		}
		if strings.HasPrefix(k.ID, TemporaryKeyPrefix) {
			return nil, fmt.Errorf("iam: AccessKey %s: ids starting %q are reserved for temporary (STS) keys", k.ID, TemporaryKeyPrefix)
		}
		if _, dup := d.keys[k.ID]; dup {
			return nil, fmt.Errorf("iam: AccessKey %s is declared twice", k.ID)
		}
		d.keys[k.ID] = k
		if k.Principal != nil && k.Principal.Account != nil {
			d.accounts[k.Principal.Account.ID] = k.Principal.Account
		}
	}
	return d, nil
}

// AccessKey returns the key with id, if any.
func (d *Directory) AccessKey(id string) (*AccessKey, bool) {
	k, ok := d.keys[id]
	return k, ok
}

// Account returns the account with id, if the directory declares it.
func (d *Directory) Account(id string) (*slbcert.Account, bool) {
	a, ok := d.accounts[id]
	return a, ok
}

// Role returns the role of account named name, whatever its case.
func (d *Directory) Role(accountID, name string) (*Role, bool) {
	r, ok := d.roles[roleKey(accountID, name)]
	return r, ok
}

var accountIDPattern = regexp.MustCompile(`^[0-9]{16}$`)

// ValidAccountID reports whether id is a 16-digit account id.
func ValidAccountID(id string) bool { return accountIDPattern.MatchString(id) }

// RootKey is the persisted form of a generated root AccessKey.
type RootKey struct {
	AccessKeyID     string `json:"accessKeyId"`
	AccessKeySecret string `json:"accessKeySecret"`
}

// LoadOrCreateRootKey reads the root AccessKey kept in path or, when there is
// none, generates one and writes it there (mode 0600). created reports the
// latter, so the caller can print the new pair once.
func LoadOrCreateRootKey(path string) (key RootKey, created bool, err error) {
	data, err := os.ReadFile(path)
	if err == nil {
		if err := json.Unmarshal(data, &key); err != nil || key.AccessKeyID == "" || key.AccessKeySecret == "" {
			return RootKey{}, false, fmt.Errorf("root key file %s is damaged; remove it to generate a new key", path)
		}
		return key, false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return RootKey{}, false, err
	}
	key = RootKey{AccessKeyID: "LTAI" + rand.Text()[:20], AccessKeySecret: rand.Text() + rand.Text()[:4]}
	data, _ = json.MarshalIndent(key, "", "  ")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return RootKey{}, false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return RootKey{}, false, err
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return RootKey{}, false, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return RootKey{}, false, err
	}
	return key, true, f.Close()
}
