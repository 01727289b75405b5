package slbapi

import (
	"context"
	"slbcert/rpc"
	"slbcert/slb"
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

func caCertificateFieldsOf(cert *slb.Certificate) caCertificateFields {
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

func (a *API) uploadCACertificate(ctx context.Context, c *rpc.Call) (any, error) {
	cert, err := a.Service.UploadCACertificate(ctx, c.Principal, slb.UploadCACertificateInput{
		RegionID:          c.Get("RegionId"),
		CACertificate:     c.Get("CACertificate"),
		CACertificateName: c.Get("CACertificateName"),
		ResourceGroupID:   c.Get("ResourceGroupId"),
		Tags:              c.Tags("Tag"),
		StandardType:      c.Get("StandardType"),
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

func (a *API) describeCACertificates(ctx context.Context, c *rpc.Call) (any, error) {
	list, err := a.Service.DescribeCACertificates(ctx, c.Principal, slb.DescribeCACertificatesInput{
		RegionID:        c.Get("RegionId"),
		CACertificateID: c.Get("CACertificateId"),
		ResourceGroupID: c.Get("ResourceGroupId"),
		Tags:            c.Tags("Tag"),
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

func (a *API) setCACertificateName(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.SetCACertificateName(ctx, c.Principal, slb.SetCACertificateNameInput{
		RegionID: c.Get("RegionId"), CACertificateID: c.Get("CACertificateId"), CACertificateName: c.Get("CACertificateName"),
	})
}

func (a *API) deleteCACertificate(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.DeleteCACertificate(ctx, c.Principal, slb.DeleteCACertificateInput{
		RegionID: c.Get("RegionId"), CACertificateID: c.Get("CACertificateId"),
	})
}
