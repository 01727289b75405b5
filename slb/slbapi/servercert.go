package slbapi

import (
	"context"
	"slbcert/rpc"
	"slbcert/slb"
)

// serverCertificateFields are the fields UploadServerCertificate answers
// and every DescribeServerCertificates item carries, as the SDK names them.
type serverCertificateFields struct {
	ServerCertificateID     string                  `json:"ServerCertificateId" xml:"ServerCertificateId"`
	ServerCertificateName   string                  `json:"ServerCertificateName" xml:"ServerCertificateName"`
	Fingerprint             string                  `json:"Fingerprint" xml:"Fingerprint"`
	CommonName              string                  `json:"CommonName" xml:"CommonName"`
	SubjectAlternativeNames subjectAlternativeNames `json:"SubjectAlternativeNames" xml:"SubjectAlternativeNames"`
	CreateTime              string                  `json:"CreateTime" xml:"CreateTime"`
	CreateTimeStamp         int64                   `json:"CreateTimeStamp" xml:"CreateTimeStamp"`
	ExpireTime              string                  `json:"ExpireTime" xml:"ExpireTime"`
	ExpireTimeStamp         int64                   `json:"ExpireTimeStamp" xml:"ExpireTimeStamp"`
	RegionID                string                  `json:"RegionId" xml:"RegionId"`
	RegionIDAlias           string                  `json:"RegionIdAlias" xml:"RegionIdAlias"`
	ResourceGroupID         string                  `json:"ResourceGroupId" xml:"ResourceGroupId"`
	AliCloudCertificateID   string                  `json:"AliCloudCertificateId" xml:"AliCloudCertificateId"`
	AliCloudCertificateName string                  `json:"AliCloudCertificateName" xml:"AliCloudCertificateName"`
	IsAliCloudCertificate   int                     `json:"IsAliCloudCertificate" xml:"IsAliCloudCertificate"`
}

func serverCertificateFieldsOf(cert *slb.Certificate) serverCertificateFields {
	return serverCertificateFields{
		ServerCertificateID:     cert.ID,
		ServerCertificateName:   cert.Name,
		Fingerprint:             cert.Fingerprint,
		CommonName:              cert.CommonName,
		SubjectAlternativeNames: sans(cert),
		CreateTime:              apiTime(cert.CreateTime),
		CreateTimeStamp:         apiTimeStamp(cert.CreateTime),
		ExpireTime:              apiTime(cert.ExpireTime),
		ExpireTimeStamp:         cert.ExpireTime.UnixMilli(),
		RegionID:                cert.RegionID,
		RegionIDAlias:           cert.RegionID,
		ResourceGroupID:         cert.ResourceGroupID,
		AliCloudCertificateID:   cert.AliCloudCertificateID,
		AliCloudCertificateName: cert.AliCloudCertificateName,
		IsAliCloudCertificate:   boolInt(cert.IsAliCloudCertificate),
	}
}

// uploadServerCertificateResponse mirrors the SDK's UploadServerCertificateResponse.
type uploadServerCertificateResponse struct {
	base
	serverCertificateFields
}

func (a *API) uploadServerCertificate(ctx context.Context, c *rpc.Call) (any, error) {
	cert, err := a.Service.UploadServerCertificate(ctx, c.Principal, slb.UploadServerCertificateInput{
		RegionID:                    c.Get("RegionId"),
		ServerCertificate:           c.Get("ServerCertificate"),
		PrivateKey:                  c.Get("PrivateKey"),
		ServerCertificateName:       c.Get("ServerCertificateName"),
		ResourceGroupID:             c.Get("ResourceGroupId"),
		Tags:                        c.Tags("Tag"),
		AliCloudCertificateID:       c.Get("AliCloudCertificateId"),
		AliCloudCertificateName:     c.Get("AliCloudCertificateName"),
		AliCloudCertificateRegionID: c.Get("AliCloudCertificateRegionId"),
		StandardType:                c.Get("StandardType"),
	})
	if err != nil {
		return nil, err
	}
	return &uploadServerCertificateResponse{serverCertificateFields: serverCertificateFieldsOf(cert)}, nil
}

// serverCertificateItem mirrors the SDK's slb.ServerCertificate.
type serverCertificateItem struct {
	serverCertificateFields
	EncryptionAlgorithm string  `json:"EncryptionAlgorithm" xml:"EncryptionAlgorithm"`
	EncryptionKeyLength int     `json:"EncryptionKeyLength" xml:"EncryptionKeyLength"`
	StandardType        string  `json:"StandardType,omitempty" xml:"StandardType,omitempty"`
	Tags                tagList `json:"Tags" xml:"Tags"`
}

type serverCertificateList struct {
	ServerCertificate []serverCertificateItem `json:"ServerCertificate" xml:"ServerCertificate"`
}

type describeServerCertificatesResponse struct {
	base
	ServerCertificates serverCertificateList `json:"ServerCertificates" xml:"ServerCertificates"`
}

func (a *API) describeServerCertificates(ctx context.Context, c *rpc.Call) (any, error) {
	list, err := a.Service.DescribeServerCertificates(ctx, c.Principal, slb.DescribeServerCertificatesInput{
		RegionID:            c.Get("RegionId"),
		ServerCertificateID: c.Get("ServerCertificateId"),
		ResourceGroupID:     c.Get("ResourceGroupId"),
		Tags:                c.Tags("Tag"),
	})
	if err != nil {
		return nil, err
	}
	out := &describeServerCertificatesResponse{ServerCertificates: serverCertificateList{ServerCertificate: make([]serverCertificateItem, 0, len(list))}}
	for _, cert := range list {
		out.ServerCertificates.ServerCertificate = append(out.ServerCertificates.ServerCertificate, serverCertificateItem{
			serverCertificateFields: serverCertificateFieldsOf(cert),
			EncryptionAlgorithm:     cert.EncryptionAlgorithm,
			EncryptionKeyLength:     cert.EncryptionKeyLength,
			StandardType:            cert.StandardType,
			Tags:                    tagsOf(cert),
		})
	}
	return out, nil
}

func (a *API) setServerCertificateName(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.SetServerCertificateName(ctx, c.Principal, slb.SetServerCertificateNameInput{
		RegionID: c.Get("RegionId"), ServerCertificateID: c.Get("ServerCertificateId"), ServerCertificateName: c.Get("ServerCertificateName"),
	})
}

func (a *API) deleteServerCertificate(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.DeleteServerCertificate(ctx, c.Principal, slb.DeleteServerCertificateInput{
		RegionID: c.Get("RegionId"), ServerCertificateID: c.Get("ServerCertificateId"),
	})
}
