package casapi

import (
	"context"
	"strings"

	"slbcert/cas"
	"slbcert/rpc"
)

// orderItem is one CertificateOrderList item of an uploaded certificate:
// the CERT/UPLOAD fields of ListUserCertificateOrder
// (https://www.alibabacloud.com/help/en/ssl-certificate/developer-reference/api-cas-2020-04-07-listusercertificateorder).
// The purchase-order fields are left out; Name, SerialNo and CertificateId
// are always there, since tools read them unchecked.
type orderItem struct {
	CertificateID   int64  `json:"CertificateId" xml:"CertificateId"`
	Name            string `json:"Name" xml:"Name"`
	CommonName      string `json:"CommonName" xml:"CommonName"`
	Sans            string `json:"Sans" xml:"Sans"`
	Fingerprint     string `json:"Fingerprint" xml:"Fingerprint"`
	Sha2            string `json:"Sha2" xml:"Sha2"`
	SerialNo        string `json:"SerialNo" xml:"SerialNo"`
	Issuer          string `json:"Issuer" xml:"Issuer"`
	OrgName         string `json:"OrgName" xml:"OrgName"`
	Province        string `json:"Province" xml:"Province"`
	City            string `json:"City" xml:"City"`
	Country         string `json:"Country" xml:"Country"`
	Expired         bool   `json:"Expired" xml:"Expired"`
	Upload          bool   `json:"Upload" xml:"Upload"`
	StartDate       string `json:"StartDate" xml:"StartDate"`
	EndDate         string `json:"EndDate" xml:"EndDate"`
	ResourceGroupID string `json:"ResourceGroupId" xml:"ResourceGroupId"`
	InstanceID      string `json:"InstanceId" xml:"InstanceId"`
}

// listResponse: CertificateOrderList is a flat array, as the Go SDK types it.
type listResponse struct {
	base
	TotalCount           int64       `json:"TotalCount" xml:"TotalCount"`
	CurrentPage          int64       `json:"CurrentPage" xml:"CurrentPage"`
	ShowSize             int64       `json:"ShowSize" xml:"ShowSize"`
	CertificateOrderList []orderItem `json:"CertificateOrderList" xml:"CertificateOrderList"`
}

func (a *API) listUserCertificateOrder(ctx context.Context, c *rpc.Call) (any, error) {
	page, err := a.Catalog.List(ctx, c.Principal, cas.ListInput{
		OrderType:       c.Get("OrderType"),
		Status:          c.Get("Status"),
		Keyword:         c.Get("Keyword"),
		ResourceGroupID: c.Get("ResourceGroupId"),
		CurrentPage:     cas.ParseLong(c.Get("CurrentPage")),
		ShowSize:        cas.ParseLong(c.Get("ShowSize")),
	})
	if err != nil {
		return nil, err
	}
	out := &listResponse{TotalCount: page.TotalCount, CurrentPage: page.CurrentPage, ShowSize: page.ShowSize,
		CertificateOrderList: make([]orderItem, 0, len(page.Entries))}
	for _, e := range page.Entries {
		out.CertificateOrderList = append(out.CertificateOrderList, orderItem{
			CertificateID:   e.ID,
			Name:            e.Name,
			CommonName:      e.CommonName,
			Sans:            strings.Join(e.Sans, ","),
			Fingerprint:     e.Fingerprint,
			Sha2:            e.Sha2,
			SerialNo:        e.SerialNo,
			Issuer:          e.Issuer,
			OrgName:         e.OrgName,
			Province:        e.Province,
			City:            e.City,
			Country:         e.Country,
			Expired:         e.Expired,
			Upload:          true,
			StartDate:       cas.Date(e.NotBefore),
			EndDate:         cas.Date(e.NotAfter),
			ResourceGroupID: e.ResourceGroupID,
			InstanceID:      e.InstanceID,
		})
	}
	return out, nil
}
