package cas

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"slbcert"
	"slbcert/certs"
)

// Material returns what SLB's UploadServerCertificate copies from account's
// catalog entry aliCloudCertificateID (docs/choices.md, "Certificate
// checks": the AliCloudCertificateId row and the note below the table): the
// certificate text as uploaded, and the private key re-encoded as PKCS#8
// PEM, which SLB's parser reads whatever label the upload gave it.
//
// aliCloudCertificateID is the plain CertId, or the "{CertId}-{region}"
// CertIdentifier form, read by its digits. A malformed id, or one this
// account's catalog does not hold (unknown, deleted, another account's), is
// slbcert.ErrNotFound, which SLB answers as its own code. No RAM action of the catalog
// is asked: the caller's slb:UploadServerCertificate decides, and SLB never
// shows the key.
func (s *Service) Material(ctx context.Context, accountID, aliCloudCertificateID string) (certPEM, keyPEM string, err error) {
	digits, _, _ := strings.Cut(aliCloudCertificateID, "-")
	id, perr := strconv.ParseInt(digits, 10, 64)
	if perr != nil || digits == "" || digits[0] < '0' || digits[0] > '9' {
		return "", "", slbcert.ErrNotFound
	}
	c, err := s.Store.GetUserCertificate(ctx, accountID, id)
	if errors.Is(err, slbcert.ErrNotFound) {
		return "", "", err
	}
	if err != nil {
		return "", "", storeError(err)
	}
	k, err := s.open(c)
	if err != nil {
		return "", "", err
	}
	key, err := certs.ParseAnyPrivateKey("Key", k.Key)
	if err != nil {
		return "", "", fmt.Errorf("catalog entry %d: its stored key no longer parses: %w", c.ID, err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", err
	}
	defer clear(der)
	return c.Cert, string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}
