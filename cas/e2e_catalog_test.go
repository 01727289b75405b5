package cas_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cas"

	"slbcert"
	cassvc "slbcert/cas"
	"slbcert/internal/e2e"
)

var instanceIDPattern = regexp.MustCompile(`^cas-upload-[a-z0-9]{6}$`)

func listOrders(t testing.TB, c *cas.Client, edit func(*cas.ListUserCertificateOrderRequest)) *cas.ListUserCertificateOrderResponse {
	t.Helper()
	req := cas.CreateListUserCertificateOrderRequest()
	req.Scheme = "http"
	req.OrderType = "CERT"
	if edit != nil {
		edit(req)
	}
	resp, err := c.ListUserCertificateOrder(req)
	if err != nil {
		t.Fatalf("ListUserCertificateOrder: %v", err)
	}
	return resp
}

// TestCatalogLifecycle uploads through the SDK's typed client, reads every
// field back against values computed here, lists, renames through
// CreateCertificateName and deletes.
func TestCatalogLifecycle(t *testing.T) {
	s := e2e.Start(t)
	c := s.CASClient(t)
	pki := e2e.NewCatalogPKI(t, "rsa2048", "shop.example.com", []string{"shop.example.com", "www.shop.example.com"}, time.Time{}, time.Time{})
	cert := pki.CertPEM // ends with a newline, which must survive

	req := cas.CreateUploadUserCertificateRequest()
	req.Scheme = "http"
	req.Name, req.Cert, req.Key = "shop-cert", cert, pki.KeyPEM
	up, err := c.UploadUserCertificate(req)
	if err != nil {
		t.Fatal(err)
	}
	id := up.CertId
	upBody := e2e.DecodeJSON(t, up.GetHttpContentString())
	noCodeOrSuccess(t, upBody)
	resourceID, _ := upBody["ResourceId"].(string)
	if !instanceIDPattern.MatchString(resourceID) || id < cassvc.FirstUserCertificateID {
		t.Fatalf("upload answered %v", upBody)
	}

	d := e2e.GetUserCertificateDetail(t, c, id, false)
	for field, got := range map[string][2]any{
		"Id":              {d.Id, id},
		"Name":            {d.Name, "shop-cert"},
		"Common":          {d.Common, "shop.example.com"},
		"Sans":            {d.Sans, "shop.example.com,www.shop.example.com"},
		"Fingerprint":     {d.Fingerprint, upperSHA1(pki.Leaf)},
		"Issuer":          {d.Issuer, "Catalog Test CA"},
		"OrgName":         {d.OrgName, "Example Org"},
		"Province":        {d.Province, "Zhejiang"},
		"City":            {d.City, "Hangzhou"},
		"Country":         {d.Country, "CN"},
		"StartDate":       {d.StartDate, siteDate(pki.Leaf.NotBefore)},
		"EndDate":         {d.EndDate, siteDate(pki.Leaf.NotAfter)},
		"Expired":         {d.Expired, false},
		"BuyInAliyun":     {d.BuyInAliyun, false},
		"OrderId":         {d.OrderId, int64(0)},
		"Algorithm":       {d.Algorithm, "RSA"},
		"ResourceGroupId": {d.ResourceGroupId, slbcert.DefaultResourceGroupID(slbcert.DefaultAccountID)},
		"Cert":            {d.Cert, cert},
		"Key":             {d.Key, pki.KeyPEM},
		"EncryptCert":     {d.EncryptCert, ""},
		"SignPrivateKey":  {d.SignPrivateKey, ""},
	} {
		if !reflect.DeepEqual(got[0], got[1]) {
			t.Errorf("%s = %#v, want %#v", field, got[0], got[1])
		}
	}

	// The fields the SDK struct lacks, from the body itself.
	body := e2e.DecodeJSON(t, d.GetHttpContentString())
	noCodeOrSuccess(t, body)
	serial := fmt.Sprintf("%032x", pki.Leaf.SerialNumber)
	for field, want := range map[string]any{
		"CertIdentifier": fmt.Sprintf("%d-cn-hangzhou", id),
		"InstanceId":     resourceID,
		"Sha2":           upperSHA256(pki.Leaf),
		"SerialNo":       serial,
		"NotBefore":      json.Number(fmt.Sprint(pki.Leaf.NotBefore.UnixMilli())),
		"NotAfter":       json.Number(fmt.Sprint(pki.Leaf.NotAfter.UnixMilli())),
		"Tags":           []any{},
	} {
		if !reflect.DeepEqual(body[field], want) {
			t.Errorf("%s = %#v, want %#v", field, body[field], want)
		}
	}
	if !strings.HasPrefix(serial, "0") {
		t.Fatalf("serial %s: the test wants one with a leading zero nibble", serial)
	}
	chain, _ := body["CertChain"].([]any)
	if len(chain) != 2 {
		t.Fatalf("CertChain %v", body["CertChain"])
	}
	for i, cert := range [](struct {
		cn, issuer string
		nb, na     time.Time
	}){
		{"shop.example.com", "Catalog Test CA", pki.Leaf.NotBefore, pki.Leaf.NotAfter},
		{"Catalog Test CA", "Catalog Test Root", pki.Inter.NotBefore, pki.Inter.NotAfter},
	} {
		e := chain[i].(map[string]any)
		remain := json.Number(fmt.Sprint(int(time.Until(cert.na) / (24 * time.Hour))))
		if e["CommonName"] != cert.cn || e["IssuerCommonName"] != cert.issuer ||
			e["NotBefore"] != json.Number(fmt.Sprint(cert.nb.UnixMilli())) || e["NotAfter"] != json.Number(fmt.Sprint(cert.na.UnixMilli())) ||
			e["RemainDay"] != remain {
			t.Errorf("CertChain[%d] = %v, want %+v and RemainDay %s", i, e, cert, remain)
		}
	}

	// CertFilter=true leaves the six PEM fields out.
	filtered := e2e.DecodeJSON(t, e2e.GetUserCertificateDetail(t, c, id, true).GetHttpContentString())
	for _, k := range []string{"Cert", "Key", "EncryptCert", "EncryptPrivateKey", "SignCert", "SignPrivateKey"} {
		if _, ok := filtered[k]; ok {
			t.Errorf("CertFilter=true still answers %s", k)
		}
	}
	if filtered["Fingerprint"] != upperSHA1(pki.Leaf) {
		t.Errorf("filtered detail %v", filtered)
	}

	// Listed under CERT and UPLOAD, not as a purchase order.
	for _, orderType := range []string{"CERT", "UPLOAD", "upload"} {
		l := listOrders(t, c, func(r *cas.ListUserCertificateOrderRequest) { r.OrderType = orderType })
		if l.TotalCount != 1 || l.CurrentPage != 1 || l.ShowSize != 50 || len(l.CertificateOrderList) != 1 {
			t.Fatalf("%s: list %+v", orderType, l)
		}
		it := l.CertificateOrderList[0]
		want := cas.CertificateOrderListItem{CertificateId: id, Name: "shop-cert", CommonName: "shop.example.com",
			Sans: "shop.example.com,www.shop.example.com", Fingerprint: upperSHA1(pki.Leaf), Sha2: upperSHA256(pki.Leaf),
			SerialNo: serial, Issuer: "Catalog Test CA", OrgName: "Example Org", Province: "Zhejiang", City: "Hangzhou",
			Country: "CN", Upload: true, StartDate: siteDate(pki.Leaf.NotBefore), EndDate: siteDate(pki.Leaf.NotAfter),
			ResourceGroupId: slbcert.DefaultResourceGroupID(slbcert.DefaultAccountID), InstanceId: resourceID}
		if it != want {
			t.Errorf("%s: item\n%+v\nwant\n%+v", orderType, it, want)
		}
	}
	for _, orderType := range []string{"", "CPACK", "BUY"} {
		l := listOrders(t, c, func(r *cas.ListUserCertificateOrderRequest) { r.OrderType = orderType })
		if l.TotalCount != 0 || len(l.CertificateOrderList) != 0 {
			t.Errorf("OrderType %q lists %+v", orderType, l)
		}
		if !strings.Contains(l.GetHttpContentString(), `"CertificateOrderList":[]`) {
			t.Errorf("OrderType %q: empty list body %s", orderType, l.GetHttpContentString())
		}
	}

	// Rename through CreateCertificateName (2018-08-13).
	if _, err := s.CASCall(t, c, cassvc.RenameVersion, "CreateCertificateName", map[string]string{
		"CertificateId": fmt.Sprint(id), "Name": "shop-cert-renamed"}); err != nil {
		t.Fatal(err)
	}
	if d := e2e.GetUserCertificateDetail(t, c, id, true); d.Name != "shop-cert-renamed" {
		t.Errorf("name after rename %q", d.Name)
	}

	// Delete; the id is then unknown.
	dreq := cas.CreateDeleteUserCertificateRequest()
	dreq.Scheme = "http"
	dreq.CertId = requests.NewInteger64(id)
	del, err := c.DeleteUserCertificate(dreq)
	if err != nil {
		t.Fatal(err)
	}
	noCodeOrSuccess(t, e2e.DecodeJSON(t, del.GetHttpContentString()))
	greq := cas.CreateGetUserCertificateDetailRequest()
	greq.Scheme = "http"
	greq.CertId = requests.NewInteger64(id)
	_, err = c.GetUserCertificateDetail(greq)
	se := e2e.ServerError(t, err, "NotFound", 404)
	if se.Message() != "The certificate does not exist." || se.HostId() != "cas.aliyuncs.com" {
		t.Errorf("NotFound answer %q from %q", se.Message(), se.HostId())
	}
	_, err = c.DeleteUserCertificate(dreq)
	e2e.ServerError(t, err, "NotFound", 404)
	if l := listOrders(t, c, nil); l.TotalCount != 0 {
		t.Errorf("deleted entry still listed: %+v", l)
	}
}
