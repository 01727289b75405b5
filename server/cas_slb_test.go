package server

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/testpki"
)

// fromCatalog is an UploadServerCertificate request pointing at the catalog.
func fromCatalog(region, id, name string) *slb.UploadServerCertificateRequest {
	req := slb.CreateUploadServerCertificateRequest()
	req.Scheme = "http"
	req.RegionId = region
	req.AliCloudCertificateId = id
	req.AliCloudCertificateName = name
	return req
}

// describeOne is describe for one certificate that must be there.
func describeOne(t *testing.T, c *slb.Client, region, id string) slb.ServerCertificate {
	t.Helper()
	l := describe(t, c, region, id)
	if len(l) != 1 {
		t.Fatalf("describe %s: %+v", id, l)
	}
	return l[0]
}

// TestSLBFromCatalog: UploadServerCertificate with AliCloudCertificateId
// copies the caller's catalog entry into a server certificate of the
// request's region, under that region's rules, and echoes the id and name
// exactly as sent.
func TestSLBFromCatalog(t *testing.T) {
	s := startServer(t)
	c := s.casClient(t)
	hz := s.client(t, "cn-hangzhou")
	pki := newCatalogPKI(t, "rsa2048", "cas.example.com", []string{"cas.example.com", "www.cas.example.com"}, time.Time{}, time.Time{})
	id := fmt.Sprint(uploadUserCertificate(t, c, "cas-entry", pki.CertPEM, pki.KeyPEM))

	req := fromCatalog("cn-hangzhou", id, "cas-entry")
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
		"Fingerprint":             {up.Fingerprint, fingerprint(pki.Leaf)},
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
	d := describeOne(t, hz, "cn-hangzhou", up.ServerCertificateId)
	if d.IsAliCloudCertificate != 1 || d.AliCloudCertificateId != id || d.AliCloudCertificateName != "cas-entry" ||
		d.Fingerprint != fingerprint(pki.Leaf) || d.EncryptionAlgorithm != "RSA" || d.EncryptionKeyLength != 2048 {
		t.Errorf("describe %+v", d)
	}

	t.Run("ok/the CertIdentifier form, echoed as sent, without a name", func(t *testing.T) {
		up, err := hz.UploadServerCertificate(fromCatalog("cn-hangzhou", id+"-cn-hangzhou", ""))
		if err != nil {
			t.Fatal(err)
		}
		if up.AliCloudCertificateId != id+"-cn-hangzhou" || up.AliCloudCertificateName != "" || up.IsAliCloudCertificate != 1 || up.Fingerprint != fingerprint(pki.Leaf) {
			t.Errorf("upload %+v", up)
		}
	})

	t.Run("ok/the catalog wins over PEM parameters", func(t *testing.T) {
		other := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "pem.example.com"})
		req := fromCatalog("cn-shanghai", id, "cas-entry")
		req.ServerCertificate, req.PrivateKey = other.ChainPEM, other.KeyPEM
		up, err := s.client(t, "cn-shanghai").UploadServerCertificate(req)
		if err != nil {
			t.Fatal(err)
		}
		if up.Fingerprint != fingerprint(pki.Leaf) || up.CommonName != "cas.example.com" || up.RegionId != "cn-shanghai" {
			t.Errorf("upload %+v", up)
		}
	})

	t.Run("ok/a PEM upload answers empty catalog fields", func(t *testing.T) {
		req := uploadRequest("cn-hangzhou", pki.CertPEM, pki.KeyPEM)
		req.AliCloudCertificateName = "ignored without an id"
		up, err := hz.UploadServerCertificate(req)
		if err != nil {
			t.Fatal(err)
		}
		if up.IsAliCloudCertificate != 0 || up.AliCloudCertificateId != "" || up.AliCloudCertificateName != "" {
			t.Errorf("upload %+v", up)
		}
		if d := describeOne(t, hz, "cn-hangzhou", up.ServerCertificateId); d.IsAliCloudCertificate != 0 || d.AliCloudCertificateName != "" {
			t.Errorf("describe %+v", d)
		}
	})

	t.Run("ok/a key whose label says PRIVATE KEY over PKCS#1", func(t *testing.T) {
		p := newCatalogPKI(t, "rsa2048", "tf.example.com", nil, time.Time{}, time.Time{})
		id := fmt.Sprint(uploadUserCertificate(t, c, "tf-style", p.CertPEM, pkcs1UnderPrivateKeyLabel(p.Key)))
		up, err := hz.UploadServerCertificate(fromCatalog("cn-hangzhou", id, "tf-style"))
		if err != nil {
			t.Fatal(err)
		}
		if up.Fingerprint != fingerprint(p.Leaf) {
			t.Errorf("upload %+v", up)
		}
	})

	t.Run("error/the region's rules apply to the copy", func(t *testing.T) {
		ecc := newCatalogPKI(t, "p256", "ecc.example.com", nil, time.Time{}, time.Time{})
		eccID := fmt.Sprint(uploadUserCertificate(t, c, "ecc", ecc.CertPEM, ecc.KeyPEM))
		_, err := hz.UploadServerCertificate(fromCatalog("cn-hangzhou", eccID, "ecc"))
		serverError(t, err, "EccCertificateNotSupport", 400)
		up, err := s.client(t, "eu-west-1").UploadServerCertificate(fromCatalog("eu-west-1", eccID, "ecc"))
		if err != nil {
			t.Fatal(err)
		}
		if d := describeOne(t, s.client(t, "eu-west-1"), "eu-west-1", up.ServerCertificateId); d.EncryptionAlgorithm != "ECC" || d.EncryptionKeyLength != 256 || d.IsAliCloudCertificate != 1 {
			t.Errorf("describe %+v", d)
		}
		big := newCatalogPKI(t, "rsa3072", "big.example.com", nil, time.Time{}, time.Time{})
		bigID := fmt.Sprint(uploadUserCertificate(t, c, "rsa3072", big.CertPEM, big.KeyPEM))
		_, err = hz.UploadServerCertificate(fromCatalog("cn-hangzhou", bigID, "rsa3072"))
		serverError(t, err, "OperationDenied.IllegalKeyLength", 400)
	})

	t.Run("error/ids the catalog does not hold", func(t *testing.T) {
		for _, bad := range []string{"99999999", "abc", "-5", "+" + id, id + "x", "12345-", "99999999999999999999", " " + id} {
			_, err := hz.UploadServerCertificate(fromCatalog("cn-hangzhou", bad, "x"))
			se := serverError(t, err, "InvalidParameter.AliCloudCertificateId", 400)
			if se.Message() != "The specified AliCloudCertificateId is invalid." {
				t.Errorf("%q: message %q", bad, se.Message())
			}
		}
	})

	t.Run("ok/deleting the catalog entry leaves the copy", func(t *testing.T) {
		if _, err := s.casCall(t, c, "2020-04-07", "DeleteUserCertificate", map[string]string{"CertId": id}); err != nil {
			t.Fatal(err)
		}
		if d := describeOne(t, hz, "cn-hangzhou", up.ServerCertificateId); d.Fingerprint != fingerprint(pki.Leaf) || d.AliCloudCertificateId != id {
			t.Errorf("copy after the entry's deletion %+v", d)
		}
		_, err := hz.UploadServerCertificate(fromCatalog("cn-hangzhou", id, "cas-entry"))
		serverError(t, err, "InvalidParameter.AliCloudCertificateId", 400)
		dreq := slb.CreateDeleteServerCertificateRequest()
		dreq.Scheme = "http"
		dreq.RegionId = "cn-hangzhou"
		dreq.ServerCertificateId = up.ServerCertificateId
		if _, err := hz.DeleteServerCertificate(dreq); err != nil {
			t.Fatal(err)
		}
	})
}
