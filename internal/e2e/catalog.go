package e2e

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cas"

	cassvc "slbcert/cas"
	"slbcert/internal/testpki"
)

// CASClient returns the official SDK's CAS client signing with key (the
// test root key when none is given), pointed at the server: the same
// address as SLB's.
func (s *Server) CASClient(t testing.TB, key ...string) *cas.Client {
	t.Helper()
	id, secret := AccessKeyID, AccessKeySecret
	if len(key) == 2 {
		id, secret = key[0], key[1]
	}
	c, err := cas.NewClientWithAccessKey("cn-hangzhou", id, secret)
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = s.Addr()
	return c
}

// CASRequest is a CommonRequest for a CAS action; params go in the query
// (as the Go SDK and the CLI send them) unless form is set (as Terraform
// sends them).
func (s *Server) CASRequest(version, action string, params map[string]string, form bool) *requests.CommonRequest {
	r := requests.NewCommonRequest()
	r.Scheme = "http"
	r.Domain = s.Addr()
	r.Product = "Cas"
	r.Version = version
	r.ApiName = action
	r.Method = requests.POST
	for k, v := range params {
		if form {
			r.FormParams[k] = v
		} else {
			r.QueryParams[k] = v
		}
	}
	return r
}

// CASCall sends a CAS CommonRequest and decodes the JSON answer, numbers
// as json.Number so that int64 ids stay exact.
func (s *Server) CASCall(t testing.TB, c *cas.Client, version, action string, params map[string]string) (map[string]any, error) {
	t.Helper()
	resp, err := c.ProcessCommonRequest(s.CASRequest(version, action, params, false))
	if err != nil {
		return nil, err
	}
	return DecodeJSON(t, resp.GetHttpContentString()), nil
}

// CatalogPKI is a certificate to upload to the catalog: a leaf with a full
// subject, issued by an intermediate, with its key.
type CatalogPKI struct {
	Leaf, Inter *x509.Certificate
	Key         crypto.Signer
	CertPEM     string // leaf then intermediate, with a trailing newline
	KeyPEM      string // PKCS#8
}

var catalogRoot = testpki.NewRoot("Catalog Test Root", testpki.Key("rsa2048"))

// catalogIssuer is an intermediate under catalogRoot with a CN.
var catalogIssuer = catalogRoot.Intermediate("Catalog Test CA", testpki.Key("p256"))

// NewCatalogPKI issues a leaf for key (a testpki key kind) with cn, sans
// and the given validity (zero: an hour ago to a year on), with O, ST, L
// and C in its subject and a serial whose first byte is below 0x10.
func NewCatalogPKI(t testing.TB, keyKind, cn string, sans []string, notBefore, notAfter time.Time) *CatalogPKI {
	t.Helper()
	if notBefore.IsZero() {
		notBefore = time.Now().Add(-time.Hour).Truncate(time.Second)
	}
	if notAfter.IsZero() {
		notAfter = time.Now().AddDate(1, 0, 0).Truncate(time.Second)
	}
	key := testpki.NewKey(keyKind)
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 124)) // 16 bytes, first nibble 0
	if err != nil {
		t.Fatal(err)
	}
	serial.SetBit(serial, 120, 1) // exactly 16 bytes, the first below 0x10
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{CommonName: cn, Organization: []string{"Example Org"}, Province: []string{"Zhejiang"},
			Locality: []string{"Hangzhou"}, Country: []string{"CN"}},
		DNSNames:    sans,
		NotBefore:   notBefore,
		NotAfter:    notAfter,
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, catalogIssuer.Cert, key.Public(), catalogIssuer.Key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	p8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return &CatalogPKI{
		Leaf: leaf, Inter: catalogIssuer.Cert, Key: key,
		CertPEM: testpki.ChainPEM(leaf, catalogIssuer.Cert),
		KeyPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8})),
	}
}

// PKCS1UnderPrivateKeyLabel is what Terraform's CAS acceptance test
// uploads: a PKCS#1 RSA key under a "PRIVATE KEY" label.
func PKCS1UnderPrivateKeyLabel(key crypto.Signer) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key.(*rsa.PrivateKey))}))
}

// UploadUserCertificate uploads through the SDK's typed request.
func UploadUserCertificate(t testing.TB, c *cas.Client, name, cert, key string) int64 {
	t.Helper()
	req := cas.CreateUploadUserCertificateRequest()
	req.Scheme = "http"
	req.Name, req.Cert, req.Key = name, cert, key
	resp, err := c.UploadUserCertificate(req)
	if err != nil {
		t.Fatalf("UploadUserCertificate(%s): %v", name, err)
	}
	if resp.CertId < cassvc.FirstUserCertificateID || resp.RequestId == "" {
		t.Fatalf("upload answered %+v", resp)
	}
	return resp.CertId
}

// GetUserCertificateDetail reads a catalog entry through the SDK (with
// CertFilter when filter is set), failing the test on error.
func GetUserCertificateDetail(t testing.TB, c *cas.Client, id int64, filter bool) *cas.GetUserCertificateDetailResponse {
	t.Helper()
	req := cas.CreateGetUserCertificateDetailRequest()
	req.Scheme = "http"
	req.CertId = requests.NewInteger64(id)
	if filter {
		req.CertFilter = requests.NewBoolean(true)
	}
	resp, err := c.GetUserCertificateDetail(req)
	if err != nil {
		t.Fatalf("GetUserCertificateDetail(%d): %v", id, err)
	}
	return resp
}
