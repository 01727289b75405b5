package server

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"slbcert"
	"slbcert/cas"
	"slbcert/slb"
)

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
func sealedKeySources(store KeyStores) []slb.KeyResealer {
	return []slb.KeyResealer{store, catalogKeys{store}, localCAKeys{store}}
}
