package slb

import (
	"context"

	"slbcert"
	"slbcert/certs"
	"slbcert/region"
)

// UploadServerCertificateInput carries UploadServerCertificate's parameters.
type UploadServerCertificateInput struct {
	RegionID                    string
	ServerCertificate           string
	PrivateKey                  string
	ServerCertificateName       string
	ResourceGroupID             string
	Tags                        []slbcert.Tag // as given; an absent Tag.N.Key is ""
	AliCloudCertificateID       string
	AliCloudCertificateName     string
	AliCloudCertificateRegionID string
	StandardType                string
}

// UploadServerCertificate validates a certificate and its private key in the
// order of docs/choices.md's table ("Certificate checks"), seals the key and
// stores both. The first failing check answers, and a failed call stores
// nothing.
func (s *Service) UploadServerCertificate(ctx context.Context, p *slbcert.Principal, in UploadServerCertificateInput) (*Certificate, error) {
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeCollection(p, "UploadServerCertificate", reg.ID, in.Tags); err != nil {
		return nil, err
	}
	if !reg.ServerCertificates {
		return nil, slbcert.Errorf(EServerCertNotSupported, "Region %q does not support server certificates.", reg.ID)
	}
	if err := checkTagsToWrite(in.Tags); err != nil {
		return nil, err
	}
	if in.ServerCertificateName != "" && !validName(in.ServerCertificateName) {
		return nil, errInvalidName(KindServer)
	}
	group, err := p.Account.ResourceGroup(in.ResourceGroupID)
	if err != nil {
		return nil, err
	}
	if err := s.certificateSource(ctx, p, &in); err != nil {
		return nil, err
	}
	if in.ServerCertificate == "" {
		return nil, slbcert.MissingParameter("ServerCertificate")
	}
	if in.PrivateKey == "" {
		return nil, slbcert.MissingParameter("PrivateKey")
	}
	pair, err := certs.ParseServer(in.ServerCertificate, in.PrivateKey, certRules(reg), s.Now())
	if err != nil {
		return nil, err
	}

	c := &Certificate{
		Kind:                        KindServer,
		AccountID:                   p.Account.ID,
		RegionID:                    reg.ID,
		Name:                        in.ServerCertificateName,
		ResourceGroupID:             group,
		AliCloudCertificateID:       in.AliCloudCertificateID,
		AliCloudCertificateName:     in.AliCloudCertificateName,
		AliCloudCertificateRegionID: in.AliCloudCertificateRegionID,
		IsAliCloudCertificate:       in.AliCloudCertificateID != "",
		StandardType:                in.StandardType,
		Tags:                        dedupeTags(in.Tags),
	}
	describeChain(c, pair.Chain)
	if err := s.create(ctx, p, c, []byte(pair.KeyPEM)); err != nil {
		return nil, err
	}
	return c, nil
}

// certRules are the certificate rules of region reg.
func certRules(reg *region.Region) certs.Rules {
	return certs.Rules{RSABits: reg.RSABits, ECC: reg.ECC, RejectExpired: reg.RejectExpired}
}

// describeChain copies what the API reports about a parsed chain onto c.
func describeChain(c *Certificate, ch *certs.Chain) {
	c.Fingerprint = ch.Fingerprint
	c.CommonName = ch.CommonName
	c.SubjectAlternativeNames = ch.DNSNames
	c.EncryptionAlgorithm = ch.Algorithm
	c.EncryptionKeyLength = ch.KeyBits
	c.ExpireTime = ch.NotAfter.UTC()
	c.CertificatePEM = ch.PEM
}

// DescribeServerCertificatesInput carries DescribeServerCertificates' filters.
type DescribeServerCertificatesInput struct {
	RegionID            string
	ServerCertificateID string // one id, or a comma-separated list
	ResourceGroupID     string
	Tags                []slbcert.Tag
}

// DescribeServerCertificates lists the principal's server certificates in a
// region, oldest first. An unknown id yields an empty list; an id that
// exists but lies in another resource group than the one asked for is
// Abs.ServerCertificateIdAndResourceGroupId.MissMatch.
func (s *Service) DescribeServerCertificates(ctx context.Context, p *slbcert.Principal, in DescribeServerCertificatesInput) ([]*Certificate, error) {
	return s.describe(ctx, p, KindServer, in.RegionID, in.ServerCertificateID, in.ResourceGroupID, in.Tags)
}

// describe serves both Describe operations.
func (s *Service) describe(ctx context.Context, p *slbcert.Principal, kind CertificateKind, regionID, ids, group string, tags []slbcert.Tag) ([]*Certificate, error) {
	reg, err := s.region(p, regionID)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeCollection(p, kindNames[kind].describe, reg.ID, tags); err != nil {
		return nil, err
	}
	if err := checkTagCount(len(tags)); err != nil {
		return nil, err
	}
	if err := slbcert.CheckResourceGroupID("ResourceGroupId", group); err != nil {
		return nil, err
	}
	f := CertificateFilter{AccountID: p.Account.ID, RegionID: reg.ID, Kind: kind, IDs: splitIDs(ids)}
	for _, t := range tags {
		f.Tags = append(f.Tags, slbcert.TagFilter{Key: t.Key, Value: t.Value})
	}
	list, err := s.Store.FindCertificates(ctx, f)
	if err != nil {
		return nil, storeError(err, nil)
	}
	if group == "" {
		return list, nil
	}
	out := list[:0:0]
	for _, c := range list {
		if c.ResourceGroupID == group {
			out = append(out, c)
		}
	}
	if len(f.IDs) > 0 && len(out) < len(list) {
		code, idName := EServerCertRGMismatch, "ServerCertificateId"
		if kind == KindCA {
			code, idName = ECACertRGMismatch, "CACertificateId"
		}
		return nil, slbcert.Errorf(code, "%s or ResourceGroupId miss match.", idName)
	}
	return out, nil
}
