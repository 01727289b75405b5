package slb_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
)

// TestSLBFromCatalog: UploadServerCertificate with AliCloudCertificateId
// copies the caller's catalog entry into a server certificate of the
// request's region, under that region's rules, and echoes the id and name
// exactly as sent.
func TestSLBFromCatalog(t *testing.T) {
	s := e2e.Start(t)
	c := s.CASClient(t)
	hz := s.Client(t, "cn-hangzhou")
	pki := e2e.NewCatalogPKI(t, "rsa2048", "cas.example.com", []string{"cas.example.com", "www.cas.example.com"}, time.Time{}, time.Time{})
	id := fmt.Sprint(e2e.UploadUserCertificate(t, c, "cas-entry", pki.CertPEM, pki.KeyPEM))

	req := e2e.FromCatalog("cn-hangzhou", id, "cas-entry")
	req.AliCloudCertificateRegionId = "cn-hangzhou"
	req.ServerCertificateName = "from-cas"
	up, err := hz.UploadServerCertificate(req)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]any{
		"IsAliCloudCertificate":   {up.IsAliCloudCertificate, 1},
		"AliCloudCertificateId":   {up.AliCloudCertificateId, id},
		"AliCloudCertificateName": {up.AliCloudCertificateName, "cas-entry"},
		"ServerCertificateName":   {up.ServerCertificateName, "from-cas"},
		"Fingerprint":             {up.Fingerprint, e2e.Fingerprint(pki.Leaf)},
		"CommonName":              {up.CommonName, "cas.example.com"},
		"SubjectAlternativeNames": {up.SubjectAlternativeNames.SubjectAlternativeName, []string{"cas.example.com", "www.cas.example.com"}},
		"ExpireTimeStamp":         {up.ExpireTimeStamp, pki.Leaf.NotAfter.UnixMilli()},
		"RegionId":                {up.RegionId, "cn-hangzhou"},
	}
	for field, v := range want {
		if !reflect.DeepEqual(v[0], v[1]) {
			t.Errorf("upload %s = %#v, want %#v", field, v[0], v[1])
		}
	}
	d := e2e.ServerCertificate(t, hz, "cn-hangzhou", up.ServerCertificateId)
	if d.IsAliCloudCertificate != 1 || d.AliCloudCertificateId != id || d.AliCloudCertificateName != "cas-entry" ||
		d.Fingerprint != e2e.Fingerprint(pki.Leaf) || d.EncryptionAlgorithm != "RSA" || d.EncryptionKeyLength != 2048 {
		t.Errorf("describe %+v", d)
	}

	t.Run("ok/the CertIdentifier form, echoed as sent, without a name", func(t *testing.T) {
		up, err := hz.UploadServerCertificate(e2e.FromCatalog("cn-hangzhou", id+"-cn-hangzhou", ""))
		if err != nil {
			t.Fatal(err)
		}
		if up.AliCloudCertificateId != id+"-cn-hangzhou" || up.AliCloudCertificateName != "" || up.IsAliCloudCertificate != 1 || up.Fingerprint != e2e.Fingerprint(pki.Leaf) {
			t.Errorf("upload %+v", up)
		}
	})

	t.Run("ok/the catalog wins over PEM parameters", func(t *testing.T) {
		other := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "pem.example.com"})
		req := e2e.FromCatalog("cn-shanghai", id, "cas-entry")
		req.ServerCertificate, req.PrivateKey = other.ChainPEM, other.KeyPEM
		up, err := s.Client(t, "cn-shanghai").UploadServerCertificate(req)
		if err != nil {
			t.Fatal(err)
		}
		if up.Fingerprint != e2e.Fingerprint(pki.Leaf) || up.CommonName != "cas.example.com" || up.RegionId != "cn-shanghai" {
			t.Errorf("upload %+v", up)
		}
	})

	t.Run("ok/a PEM upload answers empty catalog fields", func(t *testing.T) {
		req := e2e.UploadRequest("cn-hangzhou", pki.CertPEM, pki.KeyPEM)
		req.AliCloudCertificateName = "ignored without an id"
		up, err := hz.UploadServerCertificate(req)
		if err != nil {
			t.Fatal(err)
		}
		if up.IsAliCloudCertificate != 0 || up.AliCloudCertificateId != "" || up.AliCloudCertificateName != "" {
			t.Errorf("upload %+v", up)
		}
		if d := e2e.ServerCertificate(t, hz, "cn-hangzhou", up.ServerCertificateId); d.IsAliCloudCertificate != 0 || d.AliCloudCertificateName != "" {
			t.Errorf("describe %+v", d)
		}
	})

	t.Run("ok/a key whose label says PRIVATE KEY over PKCS#1", func(t *testing.T) {
		p := e2e.NewCatalogPKI(t, "rsa2048", "tf.example.com", nil, time.Time{}, time.Time{})
		id := fmt.Sprint(e2e.UploadUserCertificate(t, c, "tf-style", p.CertPEM, e2e.PKCS1UnderPrivateKeyLabel(p.Key)))
		up, err := hz.UploadServerCertificate(e2e.FromCatalog("cn-hangzhou", id, "tf-style"))
		if err != nil {
			t.Fatal(err)
		}
		if up.Fingerprint != e2e.Fingerprint(p.Leaf) {
			t.Errorf("upload %+v", up)
		}
	})

	t.Run("error/the region's rules apply to the copy", func(t *testing.T) {
		ecc := e2e.NewCatalogPKI(t, "p256", "ecc.example.com", nil, time.Time{}, time.Time{})
		eccID := fmt.Sprint(e2e.UploadUserCertificate(t, c, "ecc", ecc.CertPEM, ecc.KeyPEM))
		_, err := hz.UploadServerCertificate(e2e.FromCatalog("cn-hangzhou", eccID, "ecc"))
		e2e.ServerError(t, err, "EccCertificateNotSupport", 400)
		up, err := s.Client(t, "eu-west-1").UploadServerCertificate(e2e.FromCatalog("eu-west-1", eccID, "ecc"))
		if err != nil {
			t.Fatal(err)
		}
		if d := e2e.ServerCertificate(t, s.Client(t, "eu-west-1"), "eu-west-1", up.ServerCertificateId); d.EncryptionAlgorithm != "ECC" || d.EncryptionKeyLength != 256 || d.IsAliCloudCertificate != 1 {
			t.Errorf("describe %+v", d)
		}
		big := e2e.NewCatalogPKI(t, "rsa3072", "big.example.com", nil, time.Time{}, time.Time{})
		bigID := fmt.Sprint(e2e.UploadUserCertificate(t, c, "rsa3072", big.CertPEM, big.KeyPEM))
		_, err = hz.UploadServerCertificate(e2e.FromCatalog("cn-hangzhou", bigID, "rsa3072"))
		e2e.ServerError(t, err, "OperationDenied.IllegalKeyLength", 400)
	})

	t.Run("error/ids the catalog does not hold", func(t *testing.T) {
		for _, bad := range []string{"99999999", "abc", "-5", "+" + id, id + "x", "12345-", "99999999999999999999", " " + id} {
			_, err := hz.UploadServerCertificate(e2e.FromCatalog("cn-hangzhou", bad, "x"))
			se := e2e.ServerError(t, err, "InvalidParameter.AliCloudCertificateId", 400)
			if se.Message() != "The specified AliCloudCertificateId is invalid." {
				t.Errorf("%q: message %q", bad, se.Message())
			}
		}
	})

	t.Run("ok/deleting the catalog entry leaves the copy", func(t *testing.T) {
		if _, err := s.CASCall(t, c, "2020-04-07", "DeleteUserCertificate", map[string]string{"CertId": id}); err != nil {
			t.Fatal(err)
		}
		if d := e2e.ServerCertificate(t, hz, "cn-hangzhou", up.ServerCertificateId); d.Fingerprint != e2e.Fingerprint(pki.Leaf) || d.AliCloudCertificateId != id {
			t.Errorf("copy after the entry's deletion %+v", d)
		}
		_, err := hz.UploadServerCertificate(e2e.FromCatalog("cn-hangzhou", id, "cas-entry"))
		e2e.ServerError(t, err, "InvalidParameter.AliCloudCertificateId", 400)
		dreq := slb.CreateDeleteServerCertificateRequest()
		dreq.Scheme = "http"
		dreq.RegionId = "cn-hangzhou"
		dreq.ServerCertificateId = up.ServerCertificateId
		if _, err := hz.DeleteServerCertificate(dreq); err != nil {
			t.Fatal(err)
		}
	})
}
