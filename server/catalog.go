package server

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"slbcert"
	"slbcert/catalog"
	"slbcert/keyring"
	"slbcert/localca"
)

// openCatalog builds the certificate catalog (CAS) over the raw store: the
// metrics wrapper forwards only slbcert.Store's methods.
func (m *Main) openCatalog(ring *keyring.Keyring) (*catalog.Service, error) {
	cs, ok := m.store.(slbcert.CatalogStore)
	if !ok {
		return nil, errors.New("this store keeps no certificate catalog")
	}
	return catalog.New(cs, ring), nil
}

// catalogKeys shows a catalog's sealed keys as a slbcert.KeyResealer, so
// that rotate-master-key and the start-up key check walk them like the
// server certificates' keys. Its ids are the records' AAD ids ("cas/N").
type catalogKeys struct {
	r slbcert.CatalogKeyResealer
}

func (k catalogKeys) SealedKeys(ctx context.Context, afterID string, limit int) ([]slbcert.SealedKey, error) {
	after := int64(0)
	if afterID != "" {
		var err error
		if after, err = catalogRecordID(afterID); err != nil {
			return nil, err
		}
	}
	return k.r.SealedUserCertificateKeys(ctx, after, limit)
}

func (k catalogKeys) ResealKey(ctx context.Context, id string, old, new []byte) error {
	n, err := catalogRecordID(id)
	if err != nil {
		return err
	}
	return k.r.ResealUserCertificateKeys(ctx, n, old, new)
}

// catalogRecordID reads back slbcert.UserCertificateRecordID ("cas/N").
func catalogRecordID(id string) (int64, error) {
	digits, ok := strings.CutPrefix(id, "cas/")
	if !ok {
		return 0, errors.New("not a catalog record id: " + id)
	}
	return strconv.ParseInt(digits, 10, 64)
}

// sealedKeySources are every set of sealed keys store holds: its server
// certificates', its catalog's and the local CA's.
func sealedKeySources(store slbcert.Store) []slbcert.KeyResealer {
	var out []slbcert.KeyResealer
	if r, ok := store.(slbcert.KeyResealer); ok {
		out = append(out, r)
	}
	if r, ok := store.(slbcert.CatalogKeyResealer); ok {
		out = append(out, catalogKeys{r})
	}
	if r, ok := store.(localca.Store); ok {
		out = append(out, localCAKeys{r})
	}
	return out
}
