package cas_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	cassvc "slbcert/cas"
	"slbcert/internal/e2e"
)

// catalogIAM: account A with a reader, a writer and a user whose policy
// names the resource by ARN; account B with a root key.
const catalogIAM = `{"accounts": [
 {"id": "1000000000000002",
  "accessKeys": [{"id": "AKA-root", "secret": "a-root"}],
  "policies": [
   {"name": "CasRead", "document": {"Version": "1", "Statement": [
     {"Effect": "Allow", "Action": ["yundun-cert:Get*", "yundun-cert:ListUserCertificateOrder", "yundun-cert:DescribeUserCertificateDetail"], "Resource": "*"}]}},
   {"name": "CasAll", "document": {"Version": "1", "Statement": [
     {"Effect": "Allow", "Action": "yundun-cert:*", "Resource": "*"},
     {"Effect": "Allow", "Action": "slb:UploadServerCertificate", "Resource": "*"}]}},
   {"name": "NoDelete", "document": {"Version": "1", "Statement": [
     {"Effect": "Deny", "Action": "yundun-cert:DeleteUserCertificate", "Resource": "*"}]}},
   {"name": "CasByARN", "document": {"Version": "1", "Statement": [
     {"Effect": "Allow", "Action": "yundun-cert:*", "Resource": "acs:yundun-cert:*:1000000000000002:*"}]}}
  ],
  "users": [
   {"name": "reader", "accessKeys": [{"id": "AKA-reader", "secret": "s-reader"}], "policies": ["CasRead"]},
   {"name": "writer", "accessKeys": [{"id": "AKA-writer", "secret": "s-writer"}], "policies": ["CasAll", "NoDelete"]},
   {"name": "arn", "accessKeys": [{"id": "AKA-arn", "secret": "s-arn"}], "policies": ["CasByARN"]}
  ]},
 {"id": "1000000000000003", "accessKeys": [{"id": "AKB-root", "secret": "b-root"}]}
]}`

// TestCatalogRAM: yundun-cert:<Action> on resource "*", through the RAM
// policy engine, with SLB's NoPermission answer.
func TestCatalogRAM(t *testing.T) {
	s, _ := e2e.StartWithIAM(t, catalogIAM)
	pki := e2e.NewCatalogPKI(t, "rsa2048", "ram.example.com", nil, time.Time{}, time.Time{})
	root := s.CASClient(t, "AKA-root", "a-root")
	reader := s.CASClient(t, "AKA-reader", "s-reader")
	writer := s.CASClient(t, "AKA-writer", "s-writer")
	arn := s.CASClient(t, "AKA-arn", "s-arn")
	id := e2e.UploadUserCertificate(t, root, "by-root", pki.CertPEM, pki.KeyPEM)
	ids := fmt.Sprint(id)
	upload := map[string]string{"Name": "by-user", "Cert": pki.CertPEM, "Key": pki.KeyPEM}

	// The reader reads and lists, and nothing else.
	if d := e2e.GetUserCertificateDetail(t, reader, id, false); d.Key != pki.KeyPEM {
		t.Errorf("reader's detail %+v", d)
	}
	if l := listOrders(t, reader, nil); l.TotalCount != 1 {
		t.Errorf("reader's list %+v", l)
	}
	if _, err := s.CASCall(t, reader, cassvc.LegacyVersion, "DescribeUserCertificateDetail", map[string]string{"CertId": ids}); err != nil {
		t.Errorf("reader's legacy detail: %v", err)
	}
	for _, tc := range []struct{ version, action string }{
		{cassvc.Version, "UploadUserCertificate"},
		{cassvc.Version, "DeleteUserCertificate"},
		{cassvc.RenameVersion, "CreateCertificateName"},
	} {
		_, err := s.CASCall(t, reader, tc.version, tc.action, map[string]string{"CertId": ids, "CertificateId": ids, "Name": "n", "Cert": pki.CertPEM, "Key": pki.KeyPEM})
		e2e.NoPermission(t, err, "yundun-cert:"+tc.action, "reader", "ImplicitDeny")
	}

	// The writer may do everything but delete, which is explicitly denied.
	if _, err := s.CASCall(t, writer, cassvc.Version, "UploadUserCertificate", upload); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CASCall(t, writer, cassvc.RenameVersion, "CreateCertificateName", map[string]string{"CertificateId": ids, "Name": "renamed"}); err != nil {
		t.Fatal(err)
	}
	_, err := s.CASCall(t, writer, cassvc.Version, "DeleteUserCertificate", map[string]string{"CertId": ids})
	e2e.NoPermission(t, err, "yundun-cert:DeleteUserCertificate", "writer", "ExplicitDeny")

	// Authorization comes before validation: a denied caller learns nothing
	// of the id.
	_, err = s.CASCall(t, reader, cassvc.Version, "DeleteUserCertificate", map[string]string{"CertId": "nonsense"})
	e2e.NoPermission(t, err, "yundun-cert:DeleteUserCertificate", "reader", "ImplicitDeny")

	// The catalog has no resource ARNs: a policy that names one grants nothing.
	_, err = s.CASCall(t, arn, cassvc.Version, "ListUserCertificateOrder", nil)
	e2e.NoPermission(t, err, "yundun-cert:ListUserCertificateOrder", "arn", "ImplicitDeny")
}

// TestCatalogIsolation: accounts never see, change, count or use each
// other's catalog entries; names are unique per account only.
func TestCatalogIsolation(t *testing.T) {
	s, _ := e2e.StartWithIAM(t, catalogIAM)
	pki := e2e.NewCatalogPKI(t, "rsa2048", "iso.example.com", nil, time.Time{}, time.Time{})
	a, b := s.CASClient(t, "AKA-root", "a-root"), s.CASClient(t, "AKB-root", "b-root")
	idA := e2e.UploadUserCertificate(t, a, "same-name", pki.CertPEM, pki.KeyPEM)
	idB := e2e.UploadUserCertificate(t, b, "same-name", pki.CertPEM, pki.KeyPEM)
	if idB <= idA {
		t.Errorf("ids %d then %d: increasing across accounts", idA, idB)
	}
	ida := fmt.Sprint(idA)
	for _, tc := range []struct{ version, action string }{
		{cassvc.Version, "GetUserCertificateDetail"},
		{cassvc.Version, "DeleteUserCertificate"},
		{cassvc.RenameVersion, "CreateCertificateName"},
	} {
		_, err := s.CASCall(t, b, tc.version, tc.action, map[string]string{"CertId": ida, "CertificateId": ida, "Name": "stolen"})
		e2e.ServerError(t, err, "NotFound", 404)
	}
	legacy, err := s.CASCall(t, b, cassvc.LegacyVersion, "DescribeUserCertificateDetail", map[string]string{"CertId": ida})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := legacy["Id"]; ok {
		t.Errorf("B's legacy detail of A's entry answers %v", legacy)
	}
	if l := listOrders(t, b, nil); l.TotalCount != 1 || l.CertificateOrderList[0].CertificateId != idB {
		t.Errorf("B lists %+v", l)
	}
	// B cannot point SLB at A's entry.
	req := slb.CreateUploadServerCertificateRequest()
	req.Scheme = "http"
	req.RegionId = "cn-hangzhou"
	req.AliCloudCertificateId = ida
	_, err = s.Client(t, "cn-hangzhou", "AKB-root", "b-root").UploadServerCertificate(req)
	se := e2e.ServerError(t, err, "InvalidParameter.AliCloudCertificateId", 400)
	if se.Message() != "The specified AliCloudCertificateId is invalid." {
		t.Errorf("message %q", se.Message())
	}
	// A's entry is untouched.
	if d := e2e.GetUserCertificateDetail(t, a, idA, true); d.Name != "same-name" {
		t.Errorf("A's entry now %+v", d)
	}
}
