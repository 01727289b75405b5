// Package testpki makes real certificates and keys for tests: a root CA, an
// intermediate, leaves with names and SANs, in RSA or ECDSA of any size.
// Keys of a size are generated once per process, since RSA 4096 is slow.
package testpki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"
)

var (
	mu   sync.Mutex
	keys = map[string]crypto.Signer{}
)

// Key returns a process-wide key of the given type: "rsa1024", "rsa2048",
// "rsa4096", "p256", "p384", "p521". Fresh keys come from NewKey.
func Key(kind string) crypto.Signer {
	mu.Lock()
	defer mu.Unlock()
	if k, ok := keys[kind]; ok {
		return k
	}
	k := NewKey(kind)
	keys[kind] = k
	return k
}

// NewKey generates a new key of the given type (see Key).
func NewKey(kind string) crypto.Signer {
	var k crypto.Signer
	var err error
	switch kind {
	case "p256":
		k, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "p384":
		k, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case "p521":
		k, err = ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	default:
		var bits int
		if _, e := fmt.Sscanf(kind, "rsa%d", &bits); e != nil {
			panic("testpki: unknown key kind " + kind)
		}
		k, err = rsa.GenerateKey(rand.Reader, bits)
	}
	if err != nil {
		panic(err)
	}
	return k
}

// Issuer is a CA that signs certificates.
type Issuer struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

var serial int64

func nextSerial() *big.Int {
	mu.Lock()
	defer mu.Unlock()
	serial++
	return big.NewInt(time.Now().UnixNano() + serial)
}

// NewRoot returns a self-signed root CA valid for ten years.
func NewRoot(name string, key crypto.Signer) *Issuer {
	tmpl := &x509.Certificate{
		SerialNumber:          nextSerial(),
		Subject:               pkix.Name{CommonName: name, Organization: []string{"slbcert tests"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	return &Issuer{Cert: sign(tmpl, tmpl, key.Public(), key), Key: key}
}

// Intermediate returns a CA certificate signed by iss.
func (iss *Issuer) Intermediate(name string, key crypto.Signer) *Issuer {
	tmpl := &x509.Certificate{
		SerialNumber:          nextSerial(),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().AddDate(5, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	return &Issuer{Cert: sign(tmpl, iss.Cert, key.Public(), iss.Key), Key: key}
}

// Leaf describes a server certificate to issue.
type Leaf struct {
	CommonName string
	DNSNames   []string
	NotBefore  time.Time // zero: an hour ago
	NotAfter   time.Time // zero: a year from now
	// ClientAuth issues a client certificate (extended key usage
	// clientAuth) instead of a server certificate.
	ClientAuth bool
}

// Issue signs a server certificate for pub.
func (iss *Issuer) Issue(l Leaf, pub crypto.PublicKey) *x509.Certificate {
	if l.NotBefore.IsZero() {
		l.NotBefore = time.Now().Add(-time.Hour)
	}
	if l.NotAfter.IsZero() {
		l.NotAfter = time.Now().AddDate(1, 0, 0)
	}
	tmpl := &x509.Certificate{
		SerialNumber: nextSerial(),
		Subject:      pkix.Name{CommonName: l.CommonName},
		DNSNames:     l.DNSNames,
		NotBefore:    l.NotBefore,
		NotAfter:     l.NotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if l.ClientAuth {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}
	return sign(tmpl, iss.Cert, pub, iss.Key)
}

func sign(tmpl, parent *x509.Certificate, pub crypto.PublicKey, key crypto.Signer) *x509.Certificate {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		panic(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return c
}

// ChainPEM encodes certificates as consecutive PEM blocks, in the order given.
func ChainPEM(certs ...*x509.Certificate) string {
	var b strings.Builder
	for _, c := range certs {
		pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	return b.String()
}

// KeyPEM encodes key as PKCS#8 ("PRIVATE KEY").
func KeyPEM(key crypto.Signer) string {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// PKCS1PEM encodes an RSA key as PKCS#1 ("RSA PRIVATE KEY").
func PKCS1PEM(key *rsa.PrivateKey) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
}

// SEC1PEM encodes an ECDSA key as SEC 1 ("EC PRIVATE KEY").
func SEC1PEM(key *ecdsa.PrivateKey) string {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
}

// Server is a ready-made server certificate chain (leaf, intermediate) and key.
type Server struct {
	Leaf, Intermediate *x509.Certificate
	Key                crypto.Signer
	ChainPEM, KeyPEM   string
}

// NewServer issues a leaf for l with the shared key of kind (see Key) under
// a fresh root and intermediate, which have fresh P-256 keys of their own.
func NewServer(kind string, l Leaf) *Server { return NewServerWithKey(Key(kind), l) }

// NewServerWithKey is NewServer with the leaf key given.
func NewServerWithKey(key crypto.Signer, l Leaf) *Server {
	root := NewRoot("slbcert test root", NewKey("p256"))
	mid := root.Intermediate("slbcert test intermediate", NewKey("p256"))
	leaf := mid.Issue(l, key.Public())
	return &Server{Leaf: leaf, Intermediate: mid.Cert, Key: key, ChainPEM: ChainPEM(leaf, mid.Cert), KeyPEM: KeyPEM(key)}
}
