package slb

import (
	"context"
	"errors"

	"slbcert"
)

// Catalog is the certificate catalog (CAS) that UploadServerCertificate's
// AliCloudCertificateId points into; package cas implements it.
type Catalog interface {
	// Material returns the certificate (as uploaded) and private key (PEM)
	// of account's catalog entry aliCloudCertificateID — the plain CertId
	// or "{CertId}-{region}" — or slbcert.ErrNotFound when the id is
	// malformed or not one of the account's entries.
	Material(ctx context.Context, accountID, aliCloudCertificateID string) (certPEM, keyPEM string, err error)
}

// certificateSource decides where an upload's certificate and key come from
// (docs/choices.md, "Certificate checks": the AliCloudCertificateId row and the
// note below the table). With AliCloudCertificateId, the caller's catalog entry
// is the source, even if PEM parameters are given too, and the result then
// passes the region's rules like any upload; AliCloudCertificateRegionId
// defaults to the catalog's site, cn-hangzhou. Without it, the PEM parameters
// are, and the catalog name and region are dropped: a PEM upload answers empty
// catalog fields.
func (s *Service) certificateSource(ctx context.Context, p *slbcert.Principal, in *UploadServerCertificateInput) error {
	if in.AliCloudCertificateID == "" {
		in.AliCloudCertificateName, in.AliCloudCertificateRegionID = "", ""
		return nil
	}
	if s.Catalog == nil {
		return errInvalidAliCloudCertificateID()
	}
	cert, key, err := s.Catalog.Material(ctx, p.Account.ID, in.AliCloudCertificateID)
	if errors.Is(err, slbcert.ErrNotFound) {
		return errInvalidAliCloudCertificateID()
	}
	if err != nil {
		return err
	}
	in.ServerCertificate, in.PrivateKey = cert, key
	if in.AliCloudCertificateRegionID == "" {
		in.AliCloudCertificateRegionID = CatalogRegionID
	}
	return nil
}

// CatalogRegionID is the region of the certificate catalog's site, what
// AliCloudCertificateRegionId defaults to (the China site: docs/choices.md,
// "Certificate catalog (CAS)").
const CatalogRegionID = "cn-hangzhou"

// msgInvalidAliCloudCertID is the message of InvalidParameter.AliCloudCertificateId, as Alibaba words it.
const msgInvalidAliCloudCertID = "The specified AliCloudCertificateId is invalid."

func errInvalidAliCloudCertificateID() error {
	return slbcert.Errorf(EInvalidAliCloudCertID, msgInvalidAliCloudCertID)
}
