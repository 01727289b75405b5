package server

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cas"

	"slbcert/internal/testpki"
)

// casClient returns the official SDK's CAS client signing with key (the
// test root key when none is given), pointed at the server: the same
// address as SLB's.
func (s *testServer) casClient(t testing.TB, key ...string) *cas.Client {
	t.Helper()
	id, secret := testAccessKeyID, testAccessKeySecret
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

// casRequest is a CommonRequest for a CAS action; params go in the query
// (as the Go SDK and the CLI send them) unless form is set (as Terraform
// sends them).
func (s *testServer) casRequest(version, action string, params map[string]string, form bool) *requests.CommonRequest {
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

// casCall sends a CAS CommonRequest and decodes the JSON answer, numbers
// as json.Number so that int64 ids stay exact.
func (s *testServer) casCall(t testing.TB, c *cas.Client, version, action string, params map[string]string) (map[string]any, error) {
	t.Helper()
	resp, err := c.ProcessCommonRequest(s.casRequest(version, action, params, false))
	if err != nil {
		return nil, err
	}
	return decodeJSON(t, resp.GetHttpContentString()), nil
}

func decodeJSON(t testing.TB, body string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("body %q: %v", body, err)
	}
	return m
}

// noCodeOrSuccess fails when a success body carries Code or Success,
// which Terraform would take for an error.
func noCodeOrSuccess(t testing.TB, body map[string]any) {
	t.Helper()
	for _, k := range []string{"Code", "Success"} {
		if _, ok := body[k]; ok {
			t.Errorf("success body carries %s: %v", k, body)
		}
	}
}

// catalogPKI is a certificate to upload to the catalog: a leaf with a full
// subject, issued by an intermediate, with its key.
type catalogPKI struct {
	Leaf, Inter *x509.Certificate
	Key         crypto.Signer
	CertPEM     string // leaf then intermediate, with a trailing newline
	KeyPEM      string // PKCS#8
}

var caRoot = testpki.NewRoot("Catalog Test Root", testpki.Key("rsa2048"))

// catalogIssuer is an intermediate under caRoot with a CN.
var catalogIssuer = caRoot.Intermediate("Catalog Test CA", testpki.Key("p256"))

// newCatalogPKI issues a leaf for key (a testpki key kind) with cn, sans
// and the given validity (zero: an hour ago to a year on), with O, ST, L
// and C in its subject and a serial whose first byte is below 0x10.
func newCatalogPKI(t testing.TB, keyKind, cn string, sans []string, notBefore, notAfter time.Time) *catalogPKI {
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
	return &catalogPKI{
		Leaf: leaf, Inter: catalogIssuer.Cert, Key: key,
		CertPEM: testpki.ChainPEM(leaf, catalogIssuer.Cert),
		KeyPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8})),
	}
}

// upperSHA1 and upperSHA256 are the catalog's fingerprints of c.
func upperSHA1(c *x509.Certificate) string {
	s := sha1.Sum(c.Raw)
	return strings.ToUpper(hex.EncodeToString(s[:]))
}

func upperSHA256(c *x509.Certificate) string {
	s := sha256.Sum256(c.Raw)
	return strings.ToUpper(hex.EncodeToString(s[:]))
}

// siteDate is a time's date on the China site's clock (UTC+8).
func siteDate(t time.Time) string {
	return t.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
}

// pkcs1UnderPrivateKeyLabel is what Terraform's CAS acceptance test
// uploads: a PKCS#1 RSA key under a "PRIVATE KEY" label.
func pkcs1UnderPrivateKeyLabel(key crypto.Signer) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key.(*rsa.PrivateKey))}))
}

// teaRPC sends what Terraform's tea-rpc helper sends, signed with the
// root key: POST /, the common parameters (Format=json) in the query, the
// business parameters in a form body.
func (s *testServer) teaRPC(t testing.TB, version, action string, body map[string]string) *http.Response {
	t.Helper()
	form := url.Values{}
	for k, v := range body {
		form.Set(k, v)
	}
	resp, err := s.sendV1("POST", version, url.Values{"Action": {action}, "Format": {"json"}}, form, testAccessKeyID, testAccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// teaRPCJSON is teaRPC for a call that must succeed: its decoded body.
func (s *testServer) teaRPCJSON(t testing.TB, version, action string, body map[string]string) map[string]any {
	t.Helper()
	resp := s.teaRPC(t, version, action, body)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", action, resp.StatusCode, raw)
	}
	out := decodeJSON(t, string(raw))
	noCodeOrSuccess(t, out)
	return out
}
