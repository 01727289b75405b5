package rpc

import (
	"context"

	"slbcert"
	"slbcert/service"
)

// caCertificateFields are the fields UploadCACertificate answers and every
// DescribeCACertificates item carries, as the SDK names them.
type caCertificateFields struct {
	CACertificateID   string `json:"CACertificateId" xml:"CACertificateId"`
	CACertificateName string `json:"CACertificateName" xml:"CACertificateName"`
	Fingerprint       string `json:"Fingerprint" xml:"Fingerprint"`
	CommonName        string `json:"CommonName" xml:"CommonName"`
	CreateTime        string `json:"CreateTime" xml:"CreateTime"`
	CreateTimeStamp   int64  `json:"CreateTimeStamp" xml:"CreateTimeStamp"`
	ExpireTime        string `json:"ExpireTime" xml:"ExpireTime"`
	ExpireTimeStamp   int64  `json:"ExpireTimeStamp" xml:"ExpireTimeStamp"`
	ResourceGroupID   string `json:"ResourceGroupId" xml:"ResourceGroupId"`
}

func caCertificateFieldsOf(cert *slbcert.Certificate) caCertificateFields {
	return caCertificateFields{
		CACertificateID:   cert.ID,
		CACertificateName: cert.Name,
		Fingerprint:       cert.Fingerprint,
		CommonName:        cert.CommonName,
		CreateTime:        apiTime(cert.CreateTime),
		CreateTimeStamp:   apiTimeStamp(cert.CreateTime),
		ExpireTime:        apiTime(cert.ExpireTime),
		ExpireTimeStamp:   cert.ExpireTime.UnixMilli(),
		ResourceGroupID:   cert.ResourceGroupID,
	}
}

type uploadCACertificateResponse struct {
	base
	caCertificateFields
}

func (s *Server) uploadCACertificate(ctx context.Context, c *call) (any, error) {
	p := c.params
	cert, err := s.Service.UploadCACertificate(ctx, c.principal, service.UploadCACertificateInput{
		RegionID:          p.Get("RegionId"),
		CACertificate:     p.Get("CACertificate"),
		CACertificateName: p.Get("CACertificateName"),
		ResourceGroupID:   p.Get("ResourceGroupId"),
		Tags:              tags(p),
		StandardType:      p.Get("StandardType"),
	})
	if err != nil {
		return nil, err
	}
	return &uploadCACertificateResponse{caCertificateFields: caCertificateFieldsOf(cert)}, nil
}

// caCertificateItem mirrors the SDK's slb.CACertificate.
type caCertificateItem struct {
	caCertificateFields
	RegionID            string  `json:"RegionId" xml:"RegionId"`
	EncryptionAlgorithm string  `json:"EncryptionAlgorithm" xml:"EncryptionAlgorithm"`
	EncryptionKeyLength int     `json:"EncryptionKeyLength" xml:"EncryptionKeyLength"`
	StandardType        string  `json:"StandardType,omitempty" xml:"StandardType,omitempty"`
	Tags                tagList `json:"Tags" xml:"Tags"`
}

type caCertificateList struct {
	CACertificate []caCertificateItem `json:"CACertificate" xml:"CACertificate"`
}

type describeCACertificatesResponse struct {
	base
	CACertificates caCertificateList `json:"CACertificates" xml:"CACertificates"`
}

func (s *Server) describeCACertificates(ctx context.Context, c *call) (any, error) {
	p := c.params
	list, err := s.Service.DescribeCACertificates(ctx, c.principal, service.DescribeCACertificatesInput{
		RegionID:        p.Get("RegionId"),
		CACertificateID: p.Get("CACertificateId"),
		ResourceGroupID: p.Get("ResourceGroupId"),
		Tags:            tags(p),
	})
	if err != nil {
		return nil, err
	}
	out := &describeCACertificatesResponse{CACertificates: caCertificateList{CACertificate: make([]caCertificateItem, 0, len(list))}}
	for _, cert := range list {
		out.CACertificates.CACertificate = append(out.CACertificates.CACertificate, caCertificateItem{
			caCertificateFields: caCertificateFieldsOf(cert),
			RegionID:            cert.RegionID,
			EncryptionAlgorithm: cert.EncryptionAlgorithm,
			EncryptionKeyLength: cert.EncryptionKeyLength,
			StandardType:        cert.StandardType,
			Tags:                tagsOf(cert),
		})
	}
	return out, nil
}

func (s *Server) setCACertificateName(ctx context.Context, c *call) (any, error) {
	p := c.params
	return &base{}, s.Service.SetCertificateName(ctx, c.principal, slbcert.KindCA, p.Get("RegionId"), p.Get("CACertificateId"), p.Get("CACertificateName"))
}

func (s *Server) deleteCACertificate(ctx context.Context, c *call) (any, error) {
	p := c.params
	return &base{}, s.Service.DeleteCertificate(ctx, c.principal, slbcert.KindCA, p.Get("RegionId"), p.Get("CACertificateId"))
}
