package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"time"
)

// Pair is the certificate chain and key every upload sends: an RSA 2048
// leaf issued by an RSA 2048 intermediate, under a root that is not sent.
type Pair struct {
	LeafPEM         string // the server certificate alone
	IntermediatePEM string // the issuing CA certificate
	ChainPEM        string // leaf then intermediate, as SLB takes it
	KeyPEM          string // the leaf's PKCS #1 private key
}

// NewPair generates a fresh chain and key.
func NewPair() (*Pair, error) {
	var keys [3]*rsa.PrivateKey
	for i := range keys {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	now := time.Now()
	root := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "slbcert-bench root"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(10, 0, 0),
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, BasicConstraintsValid: true, IsCA: true,
	}
	inter := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "slbcert-bench intermediate"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(5, 0, 0),
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, BasicConstraintsValid: true, IsCA: true,
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "bench.example.com"},
		DNSNames:  []string{"bench.example.com", "www.bench.example.com"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	rootDER, err := x509.CreateCertificate(rand.Reader, root, root, &keys[0].PublicKey, keys[0])
	if err != nil {
		return nil, err
	}
	if root, err = x509.ParseCertificate(rootDER); err != nil {
		return nil, err
	}
	interDER, err := x509.CreateCertificate(rand.Reader, inter, root, &keys[1].PublicKey, keys[0])
	if err != nil {
		return nil, err
	}
	if inter, err = x509.ParseCertificate(interDER); err != nil {
		return nil, err
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, inter, &keys[2].PublicKey, keys[1])
	if err != nil {
		return nil, err
	}
	p := &Pair{
		LeafPEM:         encodePEM("CERTIFICATE", leafDER),
		IntermediatePEM: encodePEM("CERTIFICATE", interDER),
		KeyPEM:          encodePEM("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(keys[2])),
	}
	p.ChainPEM = p.LeafPEM + p.IntermediatePEM
	return p, nil
}

func encodePEM(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}
