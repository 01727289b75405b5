package server

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"slbcert"
	"slbcert/cas"
	"slbcert/keyring"
	"slbcert/localca"
	"slbcert/slb"
)

// openCatalog builds the certificate catalog (CAS) over the raw store: the
// metrics wrapper forwards only slb.CertificateStore's methods.
func (m *Main) openCatalog(ring *keyring.Keyring) (*cas.Service, error) {
	cs, ok := m.store.(cas.Store)
	if !ok {
		return nil, errors.New("this store keeps no certificate catalog")
	}
	return cas.New(cs, ring), nil
}

// catalogKeys shows a catalog's sealed keys as a slb.KeyResealer, so
// that rotate-master-key and the start-up key check walk them like the
// server certificates' keys. Its ids are the records' AAD ids ("cas/N").
type catalogKeys struct {
	r cas.KeyResealer
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

// catalogRecordID reads back cas.UserCertificateRecordID ("cas/N").
func catalogRecordID(id string) (int64, error) {
	digits, ok := strings.CutPrefix(id, "cas/")
	if !ok {
		return 0, errors.New("not a catalog record id: " + id)
	}
	return strconv.ParseInt(digits, 10, 64)
}

// sealedKeySources are every set of sealed keys store holds: its server
// certificates', its catalog's and the local CA's.
func sealedKeySources(store slb.CertificateStore) []slb.KeyResealer {
	var out []slb.KeyResealer
	if r, ok := store.(slb.KeyResealer); ok {
		out = append(out, r)
	}
	if r, ok := store.(cas.KeyResealer); ok {
		out = append(out, catalogKeys{r})
	}
	if r, ok := store.(localca.Store); ok {
		out = append(out, localCAKeys{r})
	}
	return out
}
