package slb

import (
	"context"
	"errors"

	"slbcert"
	"slbcert/certs"
)

// UploadCACertificateInput carries UploadCACertificate's parameters.
type UploadCACertificateInput struct {
	RegionID          string
	CACertificate     string
	CACertificateName string
	ResourceGroupID   string
	Tags              []slbcert.Tag
	StandardType      string
}

// UploadCACertificate stores a client-authentication CA certificate: no
// private key, its own quota. The checks run in the order of
// UploadServerCertificate, less those about keys.
func (s *Service) UploadCACertificate(ctx context.Context, p *slbcert.Principal, in UploadCACertificateInput) (*Certificate, error) {
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeCollection(p, "UploadCACertificate", reg.ID, in.Tags); err != nil {
		return nil, err
	}
	if err := checkTagsToWrite(in.Tags); err != nil {
		return nil, err
	}
	if in.CACertificateName != "" && !validName(in.CACertificateName) {
		return nil, errInvalidName(KindCA)
	}
	group, err := p.Account.ResourceGroup(in.ResourceGroupID)
	if err != nil {
		return nil, err
	}
	if in.CACertificate == "" {
		return nil, slbcert.MissingParameter("CACertificate")
	}
	chain, err := certs.ParseCA(in.CACertificate, certRules(reg), s.Now())
	if err != nil {
		return nil, err
	}
	c := &Certificate{
		Kind:            KindCA,
		AccountID:       p.Account.ID,
		RegionID:        reg.ID,
		Name:            in.CACertificateName,
		ResourceGroupID: group,
		StandardType:    in.StandardType,
		Tags:            dedupeTags(in.Tags),
	}
	describeChain(c, chain)
	return c, s.create(ctx, p, c, nil)
}

// create gives c its id and creation time, seals key (if any) to the new
// record, and stores c within the owner's quota for its kind.
func (s *Service) create(ctx context.Context, p *slbcert.Principal, c *Certificate, key []byte) error {
	c.CreateTime = s.now()
	id, err := newCertificateID(p.Account.ID, c.CreateTime)
	if err != nil {
		return err
	}
	c.ID = id
	if key != nil {
		if c.SealedPrivateKey, err = s.Keyring.Seal(key, keyringAAD(c)); err != nil {
			return err
		}
	}
	limit, what := p.Account.Quota(QuotaServerCertificates, DefaultServerCertificateQuota), "server"
	if c.Kind == KindCA {
		limit, what = p.Account.Quota(QuotaCACertificates, DefaultCACertificateQuota), "CA"
	}
	err = s.Store.CreateCertificate(ctx, c, limit)
	if errors.Is(err, slbcert.ErrQuotaExceeded) {
		return slbcert.Errorf(slbcert.EOverQuota, "The Total is over the quota: the account already holds %d %s certificates in region %s.", limit, what, c.RegionID)
	}
	return storeError(err, nil)
}

// DescribeCACertificatesInput carries DescribeCACertificates' filters.
type DescribeCACertificatesInput struct {
	RegionID        string
	CACertificateID string // one id, or a comma-separated list
	ResourceGroupID string
	Tags            []slbcert.Tag
}

// DescribeCACertificates lists CA certificates as DescribeServerCertificates
// lists server certificates.
func (s *Service) DescribeCACertificates(ctx context.Context, p *slbcert.Principal, in DescribeCACertificatesInput) ([]*Certificate, error) {
	return s.describe(ctx, p, KindCA, in.RegionID, in.CACertificateID, in.ResourceGroupID, in.Tags)
}
