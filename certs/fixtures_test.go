package certs

import (
	"bytes"
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testNow is the clock of every test: fixtures are valid around it.
var testNow = time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)

// leafNotAfter is the expiry of the generated leaves.
var leafNotAfter = testNow.Add(365 * 24 * time.Hour)

// Keys are expensive (RSA 4096 takes a second), so each is made once per
// test binary, on first use.
var keyMakers = map[string]func() crypto.Signer{}

func init() {
	for _, bits := range []int{1024, 2048, 3072, 4096} {
		for _, suffix := range []string{"", "-b", "-ca", "-inter"} {
			keyMakers[fmt.Sprintf("rsa%d%s", bits, suffix)] = sync.OnceValue(func() crypto.Signer {
				k, err := rsa.GenerateKey(rand.Reader, bits)
				if err != nil {
					panic(err)
				}
				return k
			})
		}
	}
	keyMakers["rsa512"] = sync.OnceValue(func() crypto.Signer { return weakRSAKey(512) })
	curves := map[string]elliptic.Curve{"p224": elliptic.P224(), "p256": elliptic.P256(), "p384": elliptic.P384(), "p521": elliptic.P521()}
	for name, curve := range curves {
		for _, suffix := range []string{"", "-b", "-ca", "-inter"} {
			keyMakers[name+suffix] = sync.OnceValue(func() crypto.Signer {
				k, err := ecdsa.GenerateKey(curve, rand.Reader)
				if err != nil {
					panic(err)
				}
				return k
			})
		}
	}
	keyMakers["ed25519"] = sync.OnceValue(func() crypto.Signer {
		_, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			panic(err)
		}
		return k
	})
}

// key returns the test key called name ("rsa2048", "p256-b", ...).
func key(name string) crypto.Signer {
	mk, ok := keyMakers[name]
	if !ok {
		panic("no test key " + name)
	}
	return mk()
}

// weakRSAKey builds an RSA key under 1024 bits by hand: rsa.GenerateKey
// refuses such sizes, but uploads of them must still be answered properly.
func weakRSAKey(bits int) *rsa.PrivateKey {
	e := big.NewInt(65537)
	one := big.NewInt(1)
	for {
		p, err := rand.Prime(rand.Reader, bits/2)
		if err != nil {
			panic(err)
		}
		q, err := rand.Prime(rand.Reader, bits/2)
		if err != nil {
			panic(err)
		}
		n := new(big.Int).Mul(p, q)
		if p.Cmp(q) == 0 || n.BitLen() != bits {
			continue
		}
		phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
		d := new(big.Int).ModInverse(e, phi)
		if d == nil {
			continue
		}
		k := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n, E: 65537}, D: d, Primes: []*big.Int{p, q}}
		if k.Validate() != nil {
			continue
		}
		k.Precompute()
		return k
	}
}

// issuer is a CA certificate with its key.
type issuer struct {
	cert *x509.Certificate
	key  crypto.Signer
}

var serial = func() func() *big.Int {
	var mu sync.Mutex
	var n int64
	return func() *big.Int {
		mu.Lock()
		defer mu.Unlock()
		n++
		return big.NewInt(n)
	}
}()

// issue signs tmpl for pub with parent (self-signed when parent is nil).
func issue(tmpl *x509.Certificate, parent *issuer, pub crypto.PublicKey, self crypto.Signer) *x509.Certificate {
	tmpl.SerialNumber = serial()
	parentCert, signer := tmpl, self
	if parent != nil {
		parentCert, signer = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, pub, signer)
	if err != nil {
		panic(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return c
}

// caTemplate is a CA certificate valid for years around testNow.
func caTemplate(cn string) *x509.Certificate {
	return &x509.Certificate{
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"slbcert tests"}},
		NotBefore:             testNow.Add(-5 * 365 * 24 * time.Hour),
		NotAfter:              testNow.Add(10 * 365 * 24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
}

// hierarchy is a root and an intermediate under it.
type hierarchy struct{ root, inter *issuer }

func newHierarchy(prefix, keyName string) hierarchy {
	rootKey := key(keyName + "-ca")
	root := &issuer{issue(caTemplate(prefix+" Root CA"), nil, rootKey.Public(), rootKey), rootKey}
	interKey := key(keyName + "-inter")
	inter := &issuer{issue(caTemplate(prefix+" Intermediate CA"), root, interKey.Public(), nil), interKey}
	return hierarchy{root, inter}
}

var (
	rsaCA = sync.OnceValue(func() hierarchy { return newHierarchy("RSA", "rsa2048") })
	ecCA  = sync.OnceValue(func() hierarchy { return newHierarchy("ECC", "p384") })
)

// testSANs are deliberately not sorted: the order must be kept.
var testSANs = []string{"www.example.com", "example.com", "api.example.com"}

// leafTemplate is a server certificate for www.example.com expiring at leafNotAfter.
func leafTemplate() *x509.Certificate {
	return &x509.Certificate{
		Subject:     pkix.Name{CommonName: "www.example.com", Organization: []string{"Example"}},
		DNSNames:    append([]string(nil), testSANs...),
		NotBefore:   testNow.Add(-24 * time.Hour),
		NotAfter:    leafNotAfter,
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
}

// fixture is a leaf certificate, its key and its issuers.
type fixture struct {
	leaf *x509.Certificate
	key  crypto.Signer
	h    hierarchy
}

// leaves are the generated leaves by key name; RSA ones hang under rsaCA,
// the others under ecCA.
var leaves sync.Map // string -> func() fixture

// leaf returns the fixture whose leaf has key keyName, made on first use.
func leaf(keyName string) fixture {
	f, _ := leaves.LoadOrStore(keyName, sync.OnceValue(func() fixture {
		h := ecCA()
		if strings.HasPrefix(keyName, "rsa") {
			h = rsaCA()
		}
		k := key(keyName)
		return fixture{issue(leafTemplate(), h.inter, k.Public(), nil), k, h}
	}))
	return f.(func() fixture)()
}

// chain is leaf + intermediate, the usual upload.
func (f fixture) chain() []*x509.Certificate { return []*x509.Certificate{f.leaf, f.h.inter.cert} }

// full is leaf + intermediate + root.
func (f fixture) full() []*x509.Certificate {
	return []*x509.Certificate{f.leaf, f.h.inter.cert, f.h.root.cert}
}

// certsPEM encodes certificates as CERTIFICATE blocks, in order.
func certsPEM(certs ...*x509.Certificate) string {
	var b bytes.Buffer
	for _, c := range certs {
		if err := pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}); err != nil {
			panic(err)
		}
	}
	return b.String()
}

func pemString(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

// pkcs1 encodes an RSA key as RSA PRIVATE KEY.
func pkcs1(k crypto.Signer) string {
	return pemString("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k.(*rsa.PrivateKey)))
}

// pkcs8 encodes any key as PRIVATE KEY.
func pkcs8(k any) string {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		panic(err)
	}
	return pemString("PRIVATE KEY", der)
}

// sec1 encodes an ECDSA key as EC PRIVATE KEY.
func sec1(k crypto.Signer) string {
	der, err := x509.MarshalECPrivateKey(k.(*ecdsa.PrivateKey))
	if err != nil {
		panic(err)
	}
	return pemString("EC PRIVATE KEY", der)
}

// ecParams is the EC PARAMETERS block naming curve, as openssl ecparam writes it.
func ecParams(curve elliptic.Curve) string {
	der, err := asn1.Marshal(curveOIDs[curve])
	if err != nil {
		panic(err)
	}
	return pemString("EC PARAMETERS", der)
}

// nativeKey encodes k the way its algorithm traditionally is: PKCS#1 for
// RSA, SEC1 for ECDSA.
func nativeKey(k crypto.Signer) string {
	if _, ok := k.(*rsa.PrivateKey); ok {
		return pkcs1(k)
	}
	return sec1(k)
}

// legacyEncrypted is k in OpenSSL's legacy encrypted PEM (Proc-Type, DEK-Info).
func legacyEncrypted(k crypto.Signer) string {
	// Deprecated in x509, but it is the format users upload and must be detected.
	b, err := x509.EncryptPEMBlock(rand.Reader, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k.(*rsa.PrivateKey)), []byte("secret"), x509.PEMCipherAES128)
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(b))
}

func x25519Key() *ecdh.PrivateKey {
	k, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

// md5Signed returns a copy of leaf re-signed by parent with MD5: Go will not
// create such a certificate, but old ones exist.
func md5Signed(leaf *x509.Certificate, parent *issuer) *x509.Certificate {
	sha256RSA := []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b} // 1.2.840.113549.1.1.11
	md5RSA := []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04}    // 1.2.840.113549.1.1.4
	if leaf.SignatureAlgorithm != x509.SHA256WithRSA {
		panic("md5Signed needs a SHA256WithRSA certificate")
	}
	der := bytes.ReplaceAll(leaf.Raw, sha256RSA, md5RSA) // in the TBS and the outer AlgorithmIdentifier
	c, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	sum := md5.Sum(c.RawTBSCertificate)
	sig, err := rsa.SignPKCS1v15(rand.Reader, parent.key.(*rsa.PrivateKey), crypto.MD5, sum[:])
	if err != nil {
		panic(err)
	}
	der = append(der[:len(der)-len(sig)], sig...) // the signature BIT STRING ends the certificate
	c, err = x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return c
}

// readTestdata returns a file of testdata/ (see testdata/generate.sh).
func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// crlf turns every "\n" into "\r\n".
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// emailAddress is the PKCS#9 attribute openssl writes for a subject's
// emailAddress, as an IA5String.
var emailAddress = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}

// terraformShape is a certificate of the shape Alibaba's own Terraform
// examples upload to the real service, which accepts it: self-signed,
// RSA 1024, CA:TRUE, a subject without CommonName, no SAN, expired in 2020.
var terraformShape = sync.OnceValue(func() fixture {
	k := key("rsa1024-b")
	tmpl := &x509.Certificate{
		Subject:               pkix.Name{Country: []string{"CN"}, Province: []string{"cn-beijing"}, Organization: []string{"Internet Widgits Pty Ltd"}},
		NotBefore:             time.Date(2020, 10, 20, 6, 19, 51, 0, time.UTC),
		NotAfter:              time.Date(2020, 11, 19, 6, 19, 51, 0, time.UTC),
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	return fixture{leaf: issue(tmpl, nil, k.Public(), k), key: k}
})

// sha1Shape is the older certificate of those examples: a self-signed
// RSA 1024 CA signed with SHA-1, subject CN "test" with an emailAddress,
// expired in 2024.
var sha1Shape = sync.OnceValue(func() fixture {
	k := key("rsa1024-ca")
	tmpl := &x509.Certificate{
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
	}
	c := issue(tmpl, nil, k.Public(), k)
	if c.SignatureAlgorithm != x509.SHA1WithRSA {
		panic("sha1Shape is not signed with SHA-1")
	}
	return fixture{leaf: c, key: k}
})
