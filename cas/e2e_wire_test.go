package cas_test

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cas"

	cassvc "slbcert/cas"
	"slbcert/internal/e2e"
)

// TestCatalogXML drives every operation with Format=XML: the SDK parses
// the typed answers from XML, and the rest is read here.
func TestCatalogXML(t *testing.T) {
	s := e2e.Start(t)
	c := s.CASClient(t)
	pki := e2e.NewCatalogPKI(t, "rsa2048", "xml.example.com", []string{"xml.example.com", "b.example.com"}, time.Time{}, time.Time{})
	cert := strings.ReplaceAll(pki.CertPEM, "\n", "\r\n") // XML must carry CR too

	up := cas.CreateUploadUserCertificateRequest()
	up.Scheme, up.AcceptFormat = "http", "XML"
	up.Name, up.Cert, up.Key = "xml <&> cert", cert, pki.KeyPEM
	uresp, err := c.UploadUserCertificate(up)
	if err != nil {
		t.Fatal(err)
	}
	body := uresp.GetHttpContentString()
	if !strings.HasPrefix(body, `<?xml version="1.0" encoding="UTF-8"?>`) || !strings.Contains(body, "<UploadUserCertificateResponse>") ||
		uresp.CertId < cassvc.FirstUserCertificateID || uresp.GetHttpHeaders()["Content-Type"][0] != "text/xml;charset=utf-8" {
		t.Fatalf("upload: %+v\n%s", uresp, body)
	}
	id := uresp.CertId

	get := cas.CreateGetUserCertificateDetailRequest()
	get.Scheme, get.AcceptFormat = "http", "XML"
	get.CertId = requests.NewInteger64(id)
	d, err := c.GetUserCertificateDetail(get)
	if err != nil {
		t.Fatal(err)
	}
	if d.Id != id || d.Name != "xml <&> cert" || d.Cert != cert || d.Key != pki.KeyPEM || d.Sans != "xml.example.com,b.example.com" ||
		d.Fingerprint != upperSHA1(pki.Leaf) || d.Expired {
		t.Errorf("detail %+v", d)
	}
	var detail struct {
		XMLName   xml.Name
		CertChain []struct {
			CommonName string
			RemainDay  int
		}
		Tags []struct{ TagKey, TagValue string }
	}
	if err := xml.Unmarshal(d.GetHttpContentBytes(), &detail); err != nil {
		t.Fatal(err)
	}
	if detail.XMLName.Local != "GetUserCertificateDetailResponse" || len(detail.CertChain) != 2 || detail.CertChain[1].CommonName != "Catalog Test CA" {
		t.Errorf("detail XML %+v", detail)
	}

	// Tags in XML: set them, then read them back.
	rename := s.CASRequest(cassvc.RenameVersion, "CreateCertificateName", map[string]string{
		"CertificateId": fmt.Sprint(id), "Tags.1.Key": "env", "Tags.1.Value": "x&y"}, false)
	rename.AcceptFormat = "XML"
	rresp, err := c.ProcessCommonRequest(rename)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rresp.GetHttpContentString(), "<CreateCertificateNameResponse><RequestId>") {
		t.Errorf("rename body %s", rresp.GetHttpContentString())
	}
	d, _ = c.GetUserCertificateDetail(get)
	if err := xml.Unmarshal(d.GetHttpContentBytes(), &detail); err != nil || len(detail.Tags) != 1 || detail.Tags[0].TagValue != "x&y" {
		t.Errorf("tags in XML %+v, %v", detail.Tags, err)
	}

	list := cas.CreateListUserCertificateOrderRequest()
	list.Scheme, list.AcceptFormat = "http", "XML"
	list.OrderType = "UPLOAD"
	l, err := c.ListUserCertificateOrder(list)
	if err != nil {
		t.Fatal(err)
	}
	if l.TotalCount != 1 || len(l.CertificateOrderList) != 1 || l.CertificateOrderList[0].CertificateId != id || !l.CertificateOrderList[0].Upload {
		t.Errorf("list %+v", l)
	}
	list.OrderType = "CPACK"
	if l, err := c.ListUserCertificateOrder(list); err != nil || l.TotalCount != 0 || len(l.CertificateOrderList) != 0 {
		t.Errorf("empty list %+v, %v", l, err)
	}

	legacy := s.CASRequest(cassvc.LegacyVersion, "DescribeUserCertificateDetail", map[string]string{"CertId": fmt.Sprint(id)}, false)
	legacy.AcceptFormat = "XML"
	lresp, err := c.ProcessCommonRequest(legacy)
	if err != nil || !strings.Contains(lresp.GetHttpContentString(), fmt.Sprintf("<Id>%d</Id>", id)) {
		t.Errorf("legacy detail %v %s", err, lresp.GetHttpContentString())
	}

	del := cas.CreateDeleteUserCertificateRequest()
	del.Scheme, del.AcceptFormat = "http", "XML"
	del.CertId = requests.NewInteger64(id)
	if _, err := c.DeleteUserCertificate(del); err != nil {
		t.Fatal(err)
	}

	// An error in XML (the Go SDK reads error bodies as JSON only: raw HTTP).
	resp := teaRPC(t, s, cassvc.Version, "GetUserCertificateDetail", map[string]string{"CertId": fmt.Sprint(id), "Format": "XML"})
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var e struct {
		XMLName      xml.Name
		Code, HostId string
	}
	if err := xml.Unmarshal(raw, &e); err != nil || resp.StatusCode != 404 || e.XMLName.Local != "Error" || e.Code != "NotFound" || e.HostId != "cas.aliyuncs.com" {
		t.Errorf("XML error %d %s (%v)", resp.StatusCode, raw, err)
	}
}

// TestCatalogV3 runs every operation through darabonba-openapi (signature
// V3): parameters in the query, as the generated CAS SDKs send them, and
// in a form body.
func TestCatalogV3(t *testing.T) {
	s := e2e.Start(t)
	c := s.Darabonba(t, e2e.AccessKeySecret)
	pki := e2e.NewCatalogPKI(t, "p384", "v3.example.com", []string{"v3.example.com"}, time.Time{}, time.Time{})
	call := func(version, action string, query map[string]*string, body map[string]any) (map[string]any, error) {
		out, err := c.CallApi(e2e.OpenAPIParams(version, action, "POST"), &openapiutil.OpenApiRequest{Query: query, Body: body}, &dara.RuntimeOptions{})
		if err != nil {
			return nil, err
		}
		b, _ := out["body"].(map[string]any)
		noCodeOrSuccess(t, b)
		return b, nil
	}
	up, err := call(cassvc.Version, "UploadUserCertificate", map[string]*string{
		"Name": dara.String("v3"), "Cert": dara.String(pki.CertPEM), "Key": dara.String(pki.KeyPEM),
		"Tags.1.Key": dara.String("via"), "Tags.1.Value": dara.String("darabonba"),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprint(up["CertId"])
	if !strings.HasPrefix(id, "1") || len(id) != 8 {
		t.Fatalf("upload answered %v", up)
	}
	d, err := call(cassvc.Version, "GetUserCertificateDetail", map[string]*string{"CertId": dara.String(id)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tags, _ := d["Tags"].([]any)
	if d["Cert"] != pki.CertPEM || d["Key"] != pki.KeyPEM || d["Algorithm"] != "ECC" || len(tags) != 1 ||
		tags[0].(map[string]any)["TagValue"] != "darabonba" {
		t.Errorf("detail %v", d)
	}
	// Business parameters in a form body.
	if _, err := call(cassvc.RenameVersion, "CreateCertificateName", nil, map[string]any{"CertificateId": id, "Name": "v3-renamed"}); err != nil {
		t.Fatal(err)
	}
	l, err := call(cassvc.Version, "ListUserCertificateOrder", map[string]*string{"OrderType": dara.String("CERT"), "Keyword": dara.String("V3.EXAMPLE")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	items, _ := l["CertificateOrderList"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["Name"] != "v3-renamed" {
		t.Errorf("list %v", l)
	}
	legacy, err := call(cassvc.LegacyVersion, "DescribeUserCertificateDetail", map[string]*string{"CertId": dara.String(id)}, nil)
	if err != nil || fmt.Sprint(legacy["Id"]) != id {
		t.Errorf("legacy detail %v, %v", legacy, err)
	}
	if _, err := call(cassvc.Version, "DeleteUserCertificate", nil, map[string]any{"CertId": id}); err != nil {
		t.Fatal(err)
	}
	_, err = call(cassvc.Version, "GetUserCertificateDetail", map[string]*string{"CertId": dara.String(id)}, nil)
	var sdkErr *tea.SDKError
	if !errors.As(err, &sdkErr) || tea.StringValue(sdkErr.Code) != "NotFound" || tea.IntValue(sdkErr.StatusCode) != 404 {
		t.Fatalf("after delete: %v", err)
	}
}
