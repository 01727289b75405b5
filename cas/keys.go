package cas

import (
	"encoding/json"
	"fmt"

	"slbcert/keyring"
)

// Keys are an entry's private keys as uploaded, byte for byte: Key, and
// the ShangMi pair's EncryptPrivateKey and SignPrivateKey.
type Keys struct {
	Key               string `json:"Key"`
	EncryptPrivateKey string `json:"EncryptPrivateKey"`
	SignPrivateKey    string `json:"SignPrivateKey"`
}

// aad binds an entry's sealed keys to its account and record: a blob
// copied onto another entry, or onto a server certificate, does not open.
func aad(accountID string, id int64) []byte {
	return keyring.AAD(accountID, UserCertificateRecordID(id))
}

// seal seals every key of entry id together, so that rotating the master
// key re-wraps one blob per entry.
func (s *Service) seal(accountID string, id int64, k Keys) ([]byte, error) {
	plain, err := json.Marshal(k)
	if err != nil {
		return nil, err
	}
	defer clear(plain)
	return s.Keyring.Seal(plain, aad(accountID, id))
}

// open unseals c's keys. A blob that does not open is an internal error:
// the master key in force is not the one it was sealed with.
func (s *Service) open(c *UserCertificate) (Keys, error) {
	plain, err := s.Keyring.Open(c.SealedKeys, aad(c.AccountID, c.ID))
	if err != nil {
		return Keys{}, fmt.Errorf("catalog entry %d: %w", c.ID, err)
	}
	defer clear(plain)
	var k Keys
	if err := json.Unmarshal(plain, &k); err != nil {
		return Keys{}, fmt.Errorf("catalog entry %d: sealed keys: %w", c.ID, err)
	}
	return k, nil
}
