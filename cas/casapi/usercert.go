package casapi

import (
	"context"
	"strconv"
	"strings"

	"slbcert"
	"slbcert/cas"
	"slbcert/rpc"
)

// uploadUserCertificateResponse: the Go SDK reads CertId (int64);
// Terraform stores fmt.Sprint(CertId) as the resource id.
type uploadUserCertificateResponse struct {
	base
	CertID     int64  `json:"CertId" xml:"CertId"`
	ResourceID string `json:"ResourceId" xml:"ResourceId"`
}

func (a *API) uploadUserCertificate(ctx context.Context, c *rpc.Call) (any, error) {
	cert, err := a.Catalog.Upload(ctx, c.Principal, cas.UploadInput{
		Name:              c.Get("Name"),
		Cert:              c.Get("Cert"),
		Key:               c.Get("Key"),
		EncryptCert:       c.Get("EncryptCert"),
		EncryptPrivateKey: c.Get("EncryptPrivateKey"),
		SignCert:          c.Get("SignCert"),
		SignPrivateKey:    c.Get("SignPrivateKey"),
		ResourceGroupID:   c.Get("ResourceGroupId"),
		Tags:              c.Tags("Tags"),
	})
	if err != nil {
		return nil, err
	}
	return &uploadUserCertificateResponse{CertID: cert.ID, ResourceID: cert.InstanceID}, nil
}

// chainItem is one CertChain entry (times in ms).
type chainItem struct {
	CommonName       string `json:"CommonName" xml:"CommonName"`
	IssuerCommonName string `json:"IssuerCommonName" xml:"IssuerCommonName"`
	NotBefore        int64  `json:"NotBefore" xml:"NotBefore"`
	NotAfter         int64  `json:"NotAfter" xml:"NotAfter"`
	RemainDay        int    `json:"RemainDay" xml:"RemainDay"`
}

// tagItem: Tags is a flat array of these, no {"Tag": […]} wrapper
// (docs/choices.md, "Certificate catalog (CAS)": Records; Terraform's
// tagsToMap reads it).
type tagItem struct {
	TagKey   string `json:"TagKey" xml:"TagKey"`
	TagValue string `json:"TagValue" xml:"TagValue"`
}

// detailFields are GetUserCertificateDetail's fields, every one its page
// lists (https://www.alibabacloud.com/help/en/ssl-certificate/developer-reference/api-cas-2020-04-07-getusercertificatedetail).
// The six PEM fields are pointers so that CertFilter=true leaves them out.
type detailFields struct {
	ID                int64       `json:"Id" xml:"Id"`
	Name              string      `json:"Name" xml:"Name"`
	InstanceID        string      `json:"InstanceId" xml:"InstanceId"`
	CertIdentifier    string      `json:"CertIdentifier" xml:"CertIdentifier"`
	Common            string      `json:"Common" xml:"Common"`
	Sans              string      `json:"Sans" xml:"Sans"`
	Fingerprint       string      `json:"Fingerprint" xml:"Fingerprint"`
	Sha2              string      `json:"Sha2" xml:"Sha2"`
	SerialNo          string      `json:"SerialNo" xml:"SerialNo"`
	Issuer            string      `json:"Issuer" xml:"Issuer"`
	OrgName           string      `json:"OrgName" xml:"OrgName"`
	Province          string      `json:"Province" xml:"Province"`
	City              string      `json:"City" xml:"City"`
	Country           string      `json:"Country" xml:"Country"`
	StartDate         string      `json:"StartDate" xml:"StartDate"`
	EndDate           string      `json:"EndDate" xml:"EndDate"`
	NotBefore         int64       `json:"NotBefore" xml:"NotBefore"`
	NotAfter          int64       `json:"NotAfter" xml:"NotAfter"`
	Expired           bool        `json:"Expired" xml:"Expired"`
	BuyInAliyun       bool        `json:"BuyInAliyun" xml:"BuyInAliyun"`
	OrderID           int64       `json:"OrderId" xml:"OrderId"`
	Algorithm         string      `json:"Algorithm" xml:"Algorithm"`
	ResourceGroupID   string      `json:"ResourceGroupId" xml:"ResourceGroupId"`
	CertChain         []chainItem `json:"CertChain" xml:"CertChain"`
	Tags              []tagItem   `json:"Tags" xml:"Tags"`
	Cert              *string     `json:"Cert,omitempty" xml:"Cert,omitempty"`
	Key               *string     `json:"Key,omitempty" xml:"Key,omitempty"`
	EncryptCert       *string     `json:"EncryptCert,omitempty" xml:"EncryptCert,omitempty"`
	EncryptPrivateKey *string     `json:"EncryptPrivateKey,omitempty" xml:"EncryptPrivateKey,omitempty"`
	SignCert          *string     `json:"SignCert,omitempty" xml:"SignCert,omitempty"`
	SignPrivateKey    *string     `json:"SignPrivateKey,omitempty" xml:"SignPrivateKey,omitempty"`
}

type detailResponse struct {
	base
	detailFields
}

func detailFieldsOf(d *cas.Detail) detailFields {
	c := d.UserCertificate
	out := detailFields{
		ID:              c.ID,
		Name:            c.Name,
		InstanceID:      c.InstanceID,
		CertIdentifier:  strconv.FormatInt(c.ID, 10) + "-" + cas.RegionID,
		Common:          c.CommonName,
		Sans:            strings.Join(c.Sans, ","),
		Fingerprint:     c.Fingerprint,
		Sha2:            c.Sha2,
		SerialNo:        c.SerialNo,
		Issuer:          c.Issuer,
		OrgName:         c.OrgName,
		Province:        c.Province,
		City:            c.City,
		Country:         c.Country,
		StartDate:       cas.Date(c.NotBefore),
		EndDate:         cas.Date(c.NotAfter),
		NotBefore:       c.NotBefore.UnixMilli(),
		NotAfter:        c.NotAfter.UnixMilli(),
		Expired:         d.Expired,
		Algorithm:       c.Algorithm,
		ResourceGroupID: c.ResourceGroupID,
		CertChain:       make([]chainItem, len(c.Chain)),
		Tags:            make([]tagItem, len(c.Tags)),
	}
	for i, e := range c.Chain {
		out.CertChain[i] = chainItem{CommonName: e.CommonName, IssuerCommonName: e.IssuerCommonName,
			NotBefore: e.NotBefore.UnixMilli(), NotAfter: e.NotAfter.UnixMilli(), RemainDay: d.RemainDays[i]}
	}
	for i, t := range c.Tags {
		out.Tags[i] = tagItem{TagKey: t.Key, TagValue: t.Value}
	}
	if d.Keys != nil {
		k := *d.Keys
		out.Cert, out.Key, out.EncryptCert = &c.Cert, &k.Key, &c.EncryptCert
		out.EncryptPrivateKey, out.SignCert, out.SignPrivateKey = &k.EncryptPrivateKey, &c.SignCert, &k.SignPrivateKey
	}
	return out
}

func (a *API) getUserCertificateDetail(ctx context.Context, c *rpc.Call) (any, error) {
	d, err := a.Catalog.Get(ctx, c.Principal, "GetUserCertificateDetail", cas.GetInput{
		CertID: cas.ParseLong(c.Get("CertId")), CertFilter: cas.ParseBool(c.Get("CertFilter")),
	})
	if err != nil {
		return nil, err
	}
	return &detailResponse{detailFields: detailFieldsOf(d)}, nil
}

// describeUserCertificateDetail is the 2018-07-13 detail: the same fields,
// PEM included. An unknown id is a 200 without Id, which is how
// Terraform's data source recognises "not found" there (docs/choices.md,
// "Certificate catalog (CAS)": Other operations).
func (a *API) describeUserCertificateDetail(ctx context.Context, c *rpc.Call) (any, error) {
	d, err := a.Catalog.Get(ctx, c.Principal, "DescribeUserCertificateDetail", cas.GetInput{CertID: cas.ParseLong(c.Get("CertId"))})
	if slbcert.ErrorCode(err) == cas.ENotFound {
		return &base{}, nil
	}
	if err != nil {
		return nil, err
	}
	return &detailResponse{detailFields: detailFieldsOf(d)}, nil
}

func (a *API) deleteUserCertificate(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Catalog.Delete(ctx, c.Principal, cas.DeleteInput{CertID: cas.ParseLong(c.Get("CertId"))})
}

func (a *API) createCertificateName(ctx context.Context, c *rpc.Call) (any, error) {
	tags := c.Tags("Tags")
	return &base{}, a.Catalog.Update(ctx, c.Principal, cas.UpdateInput{
		CertificateID:   cas.ParseLong(c.Get("CertificateId")),
		Name:            c.Get("Name"),
		Tags:            tags,
		TagsGiven:       len(tags) > 0,
		ResourceGroupID: c.Get("ResourceGroupId"),
	})
}
