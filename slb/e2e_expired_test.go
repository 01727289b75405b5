package slb_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
	"slbcert/server"
)

// apiTime is how the API writes CreateTime and ExpireTime.
const apiTime = "2006-01-02T15:04:05Z"

// selfSignedRSA1024 is a self-signed certificate made from tmpl with a fresh
// RSA 1024 key, and that key.
func selfSignedRSA1024(t *testing.T, tmpl *x509.Certificate) (*x509.Certificate, *rsa.PrivateKey) {
	t.Helper()
	key := testpki.NewKey("rsa1024").(*rsa.PrivateKey)
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		t.Fatal(err)
	}
	tmpl.SerialNumber = serial
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c, key
}

// terraformShape is a certificate of the shape Alibaba's published
// Terraform examples upload, and the real service accepts (their weekly runs
// against the real cloud succeed): self-signed, RSA 1024, CA:TRUE, no
// CommonName, no SAN, expired in 2020.
func terraformShape(t *testing.T) (*x509.Certificate, *rsa.PrivateKey) {
	c, key := selfSignedRSA1024(t, &x509.Certificate{
		Subject:               pkix.Name{Country: []string{"CN"}, Province: []string{"cn-beijing"}, Organization: []string{"Internet Widgits Pty Ltd"}},
		NotBefore:             time.Date(2020, 10, 20, 6, 19, 51, 0, time.UTC),
		NotAfter:              time.Date(2020, 11, 19, 6, 19, 51, 0, time.UTC),
		BasicConstraintsValid: true,
		IsCA:                  true,
	})
	if c.Subject.CommonName != "" || len(c.DNSNames) != 0 || !c.IsCA || c.PublicKey.(*rsa.PublicKey).N.BitLen() != 1024 {
		t.Fatalf("terraform shape: %v", c.Subject)
	}
	return c, key
}

// sha1Shape is the older certificate of those examples: a self-signed
// RSA 1024 CA signed with SHA-1, subject CN "test" and an emailAddress,
// expired in 2024.
func sha1Shape(t *testing.T) (*x509.Certificate, *rsa.PrivateKey) {
	emailAddress := asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}
	c, key := selfSignedRSA1024(t, &x509.Certificate{
		Subject: pkix.Name{
			Country: []string{"CN"}, Province: []string{"BJ"}, Locality: []string{"BJ"},
			Organization: []string{"ALI"}, OrganizationalUnit: []string{"ALIYUN"}, CommonName: "test",
			ExtraNames: []pkix.AttributeTypeAndValue{{Type: emailAddress, Value: asn1.RawValue{Tag: asn1.TagIA5String, Bytes: []byte("test@example.com")}}},
		},
		NotBefore:             time.Date(2014, 11, 24, 6, 4, 25, 0, time.UTC),
		NotAfter:              time.Date(2024, 11, 21, 6, 4, 25, 0, time.UTC),
		SignatureAlgorithm:    x509.SHA1WithRSA,
		BasicConstraintsValid: true,
		IsCA:                  true,
	})
	if c.SignatureAlgorithm != x509.SHA1WithRSA || c.Subject.CommonName != "test" || !strings.Contains(c.Subject.String(), "1.2.840.113549.1.9.1=") {
		t.Fatalf("sha1 shape: %v %v", c.SignatureAlgorithm, c.Subject)
	}
	return c, key
}

// noTrailingNewline is PEM text as Terraform's file() of a file without a
// final newline passes it.
func noTrailingNewline(pemText string) string { return strings.TrimSuffix(pemText, "\n") }

// rawFields decodes a JSON answer into its top-level fields, unparsed.
func rawFields(t *testing.T, body string) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("answer is not a JSON object: %v\n%s", err, body)
	}
	return m
}

// checkEmptySANs checks that a certificate object of a JSON answer holds
// SubjectAlternativeNames.SubjectAlternativeName as [], not null or absent.
func checkEmptySANs(t *testing.T, cert map[string]json.RawMessage) {
	t.Helper()
	var sans map[string]json.RawMessage
	if err := json.Unmarshal(cert["SubjectAlternativeNames"], &sans); err != nil {
		t.Fatalf("SubjectAlternativeNames %s: %v", cert["SubjectAlternativeNames"], err)
	}
	if got := string(sans["SubjectAlternativeName"]); got != "[]" {
		t.Errorf("SubjectAlternativeNames.SubjectAlternativeName is %s in the JSON, want []", got)
	}
	if got := string(cert["CommonName"]); got != `""` {
		t.Errorf("CommonName is %s in the JSON, want \"\"", got)
	}
}

// TestUploadExpiredTerraformShape uploads the certificate shape of Alibaba's
// Terraform examples (self-signed, expired, CA:TRUE, RSA 1024, no CN, no
// SAN; PKCS#1 key; no trailing newline) and runs it through its life.
func TestUploadExpiredTerraformShape(t *testing.T) {
	s := e2e.Start(t)
	k := s.Calls(t, "cn-hangzhou", "")
	cert, key := terraformShape(t)
	certPEM, keyPEM := noTrailingNewline(testpki.ChainPEM(cert)), noTrailingNewline(testpki.PKCS1PEM(key))
	if !strings.HasPrefix(keyPEM, "-----BEGIN RSA PRIVATE KEY-----\n") || strings.HasSuffix(certPEM, "\n") || strings.HasSuffix(keyPEM, "\n") {
		t.Fatal("the test does not send what it means to")
	}
	if !cert.NotAfter.Before(time.Now()) {
		t.Fatal("the certificate has not expired")
	}
	wantExpire, wantStamp := cert.NotAfter.UTC().Format(apiTime), cert.NotAfter.UnixMilli()
	if wantExpire != "2020-11-19T06:19:51Z" {
		t.Fatalf("NotAfter %s", wantExpire)
	}

	resp := k.Upload(certPEM, keyPEM, "slbservercertificate")
	if !idPattern.MatchString(resp.ServerCertificateId) {
		t.Errorf("ServerCertificateId %q", resp.ServerCertificateId)
	}
	for name, gw := range map[string][2]any{
		"ServerCertificateName": {resp.ServerCertificateName, "slbservercertificate"},
		"Fingerprint":           {resp.Fingerprint, e2e.Fingerprint(cert)},
		"CommonName":            {resp.CommonName, ""},
		"ExpireTime":            {resp.ExpireTime, wantExpire},
		"ExpireTimeStamp":       {resp.ExpireTimeStamp, wantStamp},
		"RegionId":              {resp.RegionId, "cn-hangzhou"},
		"IsAliCloudCertificate": {resp.IsAliCloudCertificate, 0},
		"SAN count":             {len(resp.SubjectAlternativeNames.SubjectAlternativeName), 0},
	} {
		if gw[0] != gw[1] {
			t.Errorf("%s = %v, want %v", name, gw[0], gw[1])
		}
	}
	checkEmptySANs(t, rawFields(t, resp.GetHttpContentString()))

	// Expired certificates are counted by the expiry metric.
	code, body := s.Get(t, "/metrics")
	if code != 200 || !strings.Contains(body, "\nslbcert_certificates_expiring 1\n") || !strings.Contains(body, `slbcert_certificates{kind="server"} 1`) {
		t.Errorf("/metrics: %d\n%s", code, e2e.GrepLines(body, "slbcert_certificates"))
	}

	// Describe reports the same, in typed fields and in the raw JSON.
	id := resp.ServerCertificateId
	dreq := slb.CreateDescribeServerCertificatesRequest()
	dreq.ServerCertificateId = id
	dresp, err := k.C.DescribeServerCertificates(dreq)
	if err != nil {
		t.Fatal(err)
	}
	list := dresp.ServerCertificates.ServerCertificate
	if len(list) != 1 {
		t.Fatalf("described %d certificates", len(list))
	}
	if d := list[0]; d.ServerCertificateId != id || d.Fingerprint != e2e.Fingerprint(cert) || d.CommonName != "" ||
		d.ExpireTime != wantExpire || d.ExpireTimeStamp != wantStamp || d.EncryptionAlgorithm != "RSA" ||
		d.EncryptionKeyLength != 1024 || len(d.SubjectAlternativeNames.SubjectAlternativeName) != 0 ||
		d.CreateTime != resp.CreateTime || d.ServerCertificateName != "slbservercertificate" {
		t.Errorf("described %+v", d)
	}
	var raw struct {
		ServerCertificates struct {
			ServerCertificate []map[string]json.RawMessage
		}
	}
	if err := json.Unmarshal([]byte(dresp.GetHttpContentString()), &raw); err != nil || len(raw.ServerCertificates.ServerCertificate) != 1 {
		t.Fatalf("describe JSON: %v\n%s", err, dresp.GetHttpContentString())
	}
	checkEmptySANs(t, raw.ServerCertificates.ServerCertificate[0])

	// Rename, tag, delete.
	rename := slb.CreateSetServerCertificateNameRequest()
	rename.ServerCertificateId, rename.ServerCertificateName = id, "expired-2020"
	if _, err := k.C.SetServerCertificateName(rename); err != nil {
		t.Fatal(err)
	}
	if err := k.Tag([]string{id}, "env", "legacy"); err != nil {
		t.Fatal(err)
	}
	list, err = k.Describe(id)
	if err != nil || len(list) != 1 || list[0].ServerCertificateName != "expired-2020" ||
		len(list[0].Tags.Tag) != 1 || list[0].Tags.Tag[0] != (slb.Tag{TagKey: "env", TagValue: "legacy"}) {
		t.Fatalf("after rename and tag: %+v %v", list, err)
	}
	del := slb.CreateDeleteServerCertificateRequest()
	del.ServerCertificateId = id
	if _, err := k.C.DeleteServerCertificate(del); err != nil {
		t.Fatal(err)
	}
	if list, err := k.Describe(id); err != nil || len(list) != 0 {
		t.Fatalf("after delete: %+v %v", list, err)
	}

	// The same certificate is accepted as a CA certificate.
	ca, err := k.C.UploadCACertificate(e2e.UploadCARequest(k, certPEM, "expired-ca"))
	if err != nil {
		t.Fatal(err)
	}
	if ca.CommonName != "" || ca.ExpireTime != wantExpire || ca.ExpireTimeStamp != wantStamp || ca.Fingerprint != e2e.Fingerprint(cert) {
		t.Errorf("CA upload answered %+v", ca)
	}
}

// TestUploadExpiredSHA1CA uploads a self-signed RSA 1024 CA signed with
// SHA-1, expired, with CN "test" and an emailAddress: as a CA certificate,
// and with its key as a server certificate.
func TestUploadExpiredSHA1CA(t *testing.T) {
	s := e2e.Start(t)
	k := s.Calls(t, "cn-beijing", "")
	cert, key := sha1Shape(t)
	certPEM := testpki.ChainPEM(cert)
	wantExpire, wantStamp := cert.NotAfter.UTC().Format(apiTime), cert.NotAfter.UnixMilli()
	if wantExpire != "2024-11-21T06:04:25Z" || !cert.NotAfter.Before(time.Now()) {
		t.Fatalf("NotAfter %s", wantExpire)
	}

	ca, err := k.C.UploadCACertificate(e2e.UploadCARequest(k, certPEM, "sha1-ca"))
	if err != nil {
		t.Fatal(err)
	}
	for name, gw := range map[string][2]any{
		"CACertificateName": {ca.CACertificateName, "sha1-ca"},
		"Fingerprint":       {ca.Fingerprint, e2e.Fingerprint(cert)},
		"CommonName":        {ca.CommonName, "test"},
		"ExpireTime":        {ca.ExpireTime, wantExpire},
		"ExpireTimeStamp":   {ca.ExpireTimeStamp, wantStamp},
		"id shape":          {idPattern.MatchString(ca.CACertificateId), true},
	} {
		if gw[0] != gw[1] {
			t.Errorf("CA %s = %v, want %v", name, gw[0], gw[1])
		}
	}
	list, err := k.DescribeCA(ca.CACertificateId, "")
	if err != nil || len(list) != 1 {
		t.Fatalf("describe CA: %+v %v", list, err)
	}
	if d := list[0]; d.CommonName != "test" || d.Fingerprint != e2e.Fingerprint(cert) || d.ExpireTime != wantExpire ||
		d.ExpireTimeStamp != wantStamp || d.EncryptionAlgorithm != "RSA" || d.EncryptionKeyLength != 1024 || d.RegionId != "cn-beijing" {
		t.Errorf("described CA %+v", d)
	}

	srv := k.Upload(certPEM, testpki.PKCS1PEM(key), "sha1-server")
	for name, gw := range map[string][2]any{
		"Fingerprint":     {srv.Fingerprint, e2e.Fingerprint(cert)},
		"CommonName":      {srv.CommonName, "test"},
		"ExpireTime":      {srv.ExpireTime, wantExpire},
		"ExpireTimeStamp": {srv.ExpireTimeStamp, wantStamp},
		"SAN count":       {len(srv.SubjectAlternativeNames.SubjectAlternativeName), 0},
	} {
		if gw[0] != gw[1] {
			t.Errorf("server %s = %v, want %v", name, gw[0], gw[1])
		}
	}
	var sans struct{ SubjectAlternativeNames map[string]json.RawMessage }
	if err := json.Unmarshal([]byte(srv.GetHttpContentString()), &sans); err != nil || string(sans.SubjectAlternativeNames["SubjectAlternativeName"]) != "[]" {
		t.Errorf("SubjectAlternativeNames in the JSON: %s %v", sans.SubjectAlternativeNames["SubjectAlternativeName"], err)
	}
	if d, err := k.Describe(srv.ServerCertificateId); err != nil || len(d) != 1 || d[0].CommonName != "test" || d[0].ExpireTimeStamp != wantStamp {
		t.Errorf("described %+v %v", d, err)
	}
	if _, body := s.Get(t, "/metrics"); !strings.Contains(body, "\nslbcert_certificates_expiring 2\n") {
		t.Errorf("/metrics: %s", e2e.GrepLines(body, "slbcert_certificates"))
	}
}

// TestRejectExpiredRegion: a region with "rejectExpired": true refuses
// expired server and CA certificates; others, and valid certificates, are
// unaffected.
func TestRejectExpiredRegion(t *testing.T) {
	regionsFile := filepath.Join(t.TempDir(), "regions.json")
	if err := os.WriteFile(regionsFile, []byte(`[
		{"id":"cn-hangzhou","serverCertificates":true},
		{"id":"lab-strict-1","serverCertificates":true,"rejectExpired":true}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	s := e2e.Start(t, func(c *server.Config) { c.RegionsFile = regionsFile })
	strict, lenient := s.Calls(t, "lab-strict-1", ""), s.Calls(t, "cn-hangzhou", "")

	tf, tfKey := terraformShape(t)
	old, oldKey := sha1Shape(t)
	lastYear := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "old.example.com", NotBefore: time.Now().AddDate(-2, 0, 0), NotAfter: time.Now().AddDate(-1, 0, 0)})
	valid := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "valid.example.com"})
	root := testpki.NewRoot("valid root", testpki.Key("p256"))

	for _, tc := range []struct {
		name, certPEM, keyPEM string
		notAfter              time.Time
	}{
		{"terraform shape", noTrailingNewline(testpki.ChainPEM(tf)), testpki.PKCS1PEM(tfKey), tf.NotAfter},
		{"sha1 CA", testpki.ChainPEM(old), testpki.PKCS1PEM(oldKey), old.NotAfter},
		{"chain expired last year", lastYear.ChainPEM, lastYear.KeyPEM, lastYear.Leaf.NotAfter},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantMsg := "valid until " + tc.notAfter.UTC().Format(time.RFC3339) + ", and this region does not accept expired certificates."
			_, err := strict.C.UploadServerCertificate(e2e.UploadRequest("lab-strict-1", tc.certPEM, tc.keyPEM))
			if se := e2e.ServerError(t, err, "IllegalParam.ServerCertificate", 400); !strings.Contains(se.Message(), "The specified parameter ServerCertificate has expired: the certificate was "+wantMsg) {
				t.Errorf("message %q", se.Message())
			}
			_, err = strict.C.UploadCACertificate(e2e.UploadCARequest(strict, tc.certPEM, ""))
			if se := e2e.ServerError(t, err, "IllegalParam.CACertificate", 400); !strings.Contains(se.Message(), "The specified parameter CACertificate has expired: the certificate was "+wantMsg) {
				t.Errorf("message %q", se.Message())
			}
			// The default region takes them.
			up := lenient.Upload(tc.certPEM, tc.keyPEM, "")
			if up.ExpireTime != tc.notAfter.UTC().Format(apiTime) {
				t.Errorf("ExpireTime %s, want %s", up.ExpireTime, tc.notAfter.UTC().Format(apiTime))
			}
			if _, err := lenient.C.UploadCACertificate(e2e.UploadCARequest(lenient, tc.certPEM, "")); err != nil {
				t.Fatal(err)
			}
		})
	}

	// Valid certificates are accepted where expired ones are refused.
	strict.Upload(valid.ChainPEM, valid.KeyPEM, "")
	uploadCA(t, strict, root.Cert, "")
	if l, err := strict.Describe(""); err != nil || len(l) != 1 || l[0].CommonName != "valid.example.com" {
		t.Errorf("server certificates in lab-strict-1: %+v %v", l, err)
	}
	if l, err := strict.DescribeCA("", ""); err != nil || len(l) != 1 || l[0].CommonName != "valid root" {
		t.Errorf("CA certificates in lab-strict-1: %+v %v", l, err)
	}
}
