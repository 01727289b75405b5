// Package localca is slbcert's local certificate authority. A client that
// reaches slbcert under an Alibaba Cloud name (slb.aliyuncs.com through
// slbcert's DNS, or /etc/hosts) verifies the server's certificate against
// that name; the CA mints, for whatever name under its zones the client
// asks for in SNI, a leaf that passes, so trusting one CA certificate is
// enough for every product's regional endpoint.
//
// The CA is generated once and kept in a Store (the database, so that
// replicas sharing PostgreSQL share it), its private key sealed. Its
// certificate carries name constraints: it can vouch only for its zones
// (aliyuncs.com), localhost and the host names it was made with, so
// trusting it does not let it speak for any other site. Leaves are made in
// memory, never stored, under one key per process.
package localca

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"
	"time"
)

// Lifetime is how long a generated CA is valid; LeafLifetime how long a
// minted leaf is (it is minted again once half of it has passed).
const (
	Lifetime     = 10 * 365 * 24 * time.Hour
	LeafLifetime = 30 * 24 * time.Hour
)

// RecordID names the CA's sealed key in the associated data it is sealed
// with (Sealer), apart from every certificate's.
const RecordID = "localca"

// maxLeaves bounds the leaves kept: a client sending random SNI names costs
// a signature each, never unbounded memory.
const maxLeaves = 1024

// Record is the CA as a Store keeps it: the certificate and its sealed key.
type Record struct {
	CertPEM   []byte
	SealedKey []byte
}

// Store keeps a deployment's one CA. Implementations must be safe across
// processes sharing the database: the first CreateLocalCA wins.
type Store interface {
	// LocalCA returns the stored CA; ok is false when there is none.
	LocalCA(ctx context.Context) (rec Record, ok bool, err error)
	// CreateLocalCA stores rec unless a CA is stored already, and returns
	// the CA stored: rec, or the one another process stored first.
	CreateLocalCA(ctx context.Context, rec Record) (Record, error)
	// ReplaceLocalCA stores rec in place of the CA whose certificate is
	// oldCertPEM; ok is false (and nothing changes) when the stored CA is
	// another or there is none.
	ReplaceLocalCA(ctx context.Context, oldCertPEM []byte, rec Record) (ok bool, err error)
	// ResealLocalCAKey replaces the sealed key with new, provided it is
	// still old; ok is false otherwise (master key rotation).
	ResealLocalCAKey(ctx context.Context, old, new []byte) (ok bool, err error)
}

// Sealer seals the CA's private key at rest (a *keyring.Keyring, with the
// associated data AAD gives).
type Sealer interface {
	Seal(plaintext, aad []byte) ([]byte, error)
	Open(blob, aad []byte) ([]byte, error)
}

// Options say what a CA vouches for.
type Options struct {
	// Zones are the domains under which a leaf is minted for any name a
	// client asks for ("aliyuncs.com"). A generated CA is constrained to
	// them and to the DNS names of Hosts.
	Zones []string
	// Hosts are the DNS names and IP addresses every leaf carries:
	// localhost, 127.0.0.1, ::1, the listen host.
	Hosts []string
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// CA is an opened CA that mints leaves.
type CA struct {
	// Cert is the CA's certificate.
	Cert    *x509.Certificate
	certPEM []byte
	key     crypto.Signer
	leafKey *ecdsa.PrivateKey
	opts    Options
	dns     []string // Hosts' DNS names the CA permits, lower case
	ips     []net.IP

	mu     sync.Mutex
	leaves map[string]*tls.Certificate // "" is the leaf without an SNI name
}

// Generate makes a new CA: ECDSA P-256, valid Lifetime, constrained to
// opts.Zones and the DNS names of opts.Hosts, its key sealed by sealer.
func Generate(sealer Sealer, aad []byte, opts Options) (Record, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return Record{}, err
	}
	permitted := []string{}
	for _, z := range append(append([]string{}, opts.Zones...), opts.Hosts...) {
		z = strings.TrimSuffix(strings.ToLower(z), ".")
		if net.ParseIP(z) == nil && z != "" {
			permitted = append(permitted, z)
		}
	}
	id := make([]byte, 4)
	rand.Read(id)
	now := opts.now()
	tmpl := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject: pkix.Name{
			CommonName:   "slbcert local CA " + hex.EncodeToString(id),
			Organization: []string{"slbcert"},
		},
		NotBefore:                   now.Add(-time.Hour),
		NotAfter:                    now.Add(Lifetime),
		KeyUsage:                    x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid:       true,
		IsCA:                        true,
		MaxPathLenZero:              true,
		PermittedDNSDomainsCritical: true,
		PermittedDNSDomains:         permitted,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return Record{}, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return Record{}, err
	}
	sealed, err := sealer.Seal(keyDER, aad)
	clear(keyDER)
	if err != nil {
		return Record{}, err
	}
	return Record{CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), SealedKey: sealed}, nil
}

// Open returns the CA store keeps, generating and storing one first when it
// keeps none (created tells). Processes starting at once end up with the
// same CA: the first to store wins and the others read it back.
func Open(ctx context.Context, store Store, sealer Sealer, aad []byte, opts Options) (ca *CA, created bool, err error) {
	rec, ok, err := store.LocalCA(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("reading the local CA: %w", err)
	}
	if !ok {
		fresh, err := Generate(sealer, aad, opts)
		if err != nil {
			return nil, false, err
		}
		if rec, err = store.CreateLocalCA(ctx, fresh); err != nil {
			return nil, false, fmt.Errorf("storing the local CA: %w", err)
		}
		created = string(rec.CertPEM) == string(fresh.CertPEM)
	}
	ca, err = Parse(rec, sealer, aad, opts)
	return ca, created, err
}

// Rotate replaces the stored CA with a new one and returns it. Servers
// running keep minting with the CA they opened until they restart; clients
// must trust the new certificate.
func Rotate(ctx context.Context, store Store, sealer Sealer, aad []byte, opts Options) (*CA, error) {
	old, ok, err := store.LocalCA(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the local CA: %w", err)
	}
	fresh, err := Generate(sealer, aad, opts)
	if err != nil {
		return nil, err
	}
	if !ok {
		if fresh, err = store.CreateLocalCA(ctx, fresh); err != nil {
			return nil, fmt.Errorf("storing the local CA: %w", err)
		}
	} else if replaced, err := store.ReplaceLocalCA(ctx, old.CertPEM, fresh); err != nil {
		return nil, fmt.Errorf("replacing the local CA: %w", err)
	} else if !replaced {
		return nil, errors.New("the local CA changed while it was being rotated; run the rotation again")
	}
	return Parse(fresh, sealer, aad, opts)
}

// Parse opens a stored CA: its certificate, and its key unsealed by sealer.
func Parse(rec Record, sealer Sealer, aad []byte, opts Options) (*CA, error) {
	cert, err := ParseCertificate(rec.CertPEM)
	if err != nil {
		return nil, err
	}
	keyDER, err := sealer.Open(rec.SealedKey, aad)
	if err != nil {
		return nil, fmt.Errorf("the local CA's key does not open with the master key: %w", err)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(keyDER)
	clear(keyDER)
	if err != nil {
		return nil, fmt.Errorf("the local CA's key: %w", err)
	}
	key, ok := parsed.(crypto.Signer)
	if !ok || !publicKeyEqual(key.Public(), cert.PublicKey) {
		return nil, errors.New("the local CA's key is not its certificate's")
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	ca := &CA{Cert: cert, certPEM: rec.CertPEM, key: key, leafKey: leafKey, opts: opts, leaves: map[string]*tls.Certificate{}}
	for _, h := range opts.Hosts {
		if ip := net.ParseIP(h); ip != nil {
			ca.ips = append(ca.ips, ip)
		} else if h = strings.TrimSuffix(strings.ToLower(h), "."); ca.Permits(h) {
			ca.dns = append(ca.dns, h)
		}
	}
	return ca, nil
}

// ParseCertificate reads a CA certificate as stored (one PEM block).
func ParseCertificate(certPEM []byte) (*x509.Certificate, error) {
	block, _ := pem.Decode(certPEM)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, errors.New("the local CA's certificate is not PEM")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("the local CA's certificate: %w", err)
	}
	if !cert.IsCA {
		return nil, errors.New("the local CA's certificate is not a CA's")
	}
	return cert, nil
}

// CertificatePEM returns the CA's certificate, what clients trust.
func (ca *CA) CertificatePEM() []byte { return append([]byte(nil), ca.certPEM...) }

// Permits reports whether the CA's name constraints allow it to vouch for
// the DNS name (lower case, no final dot).
func (ca *CA) Permits(name string) bool {
	if len(ca.Cert.PermittedDNSDomains) == 0 {
		return true
	}
	for _, d := range ca.Cert.PermittedDNSDomains {
		if name == d || strings.HasSuffix(name, "."+d) {
			return true
		}
	}
	return false
}

// GetCertificate is tls.Config's: the leaf for the SNI name when it is
// under one of the zones, else the leaf of the hosts alone (which a client
// asking for another name will refuse, as it should).
func (ca *CA) GetCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	return ca.Leaf(hello.ServerName)
}

// Leaf returns a leaf for name (and the hosts), minted now or kept from
// earlier; for a name outside the zones, the hosts' leaf.
func (ca *CA) Leaf(name string) (*tls.Certificate, error) {
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	if !ca.mintable(name) {
		name = ""
	}
	now := ca.opts.now()
	ca.mu.Lock()
	leaf := ca.leaves[name]
	ca.mu.Unlock()
	if leaf != nil && now.Before(leaf.Leaf.NotBefore.Add(LeafLifetime/2)) && now.After(leaf.Leaf.NotBefore) {
		return leaf, nil
	}
	leaf, err := ca.mint(name, now)
	if err != nil {
		return nil, err
	}
	ca.mu.Lock()
	if len(ca.leaves) >= maxLeaves {
		for k := range ca.leaves { // any one: map order is random
			delete(ca.leaves, k)
			break
		}
	}
	ca.leaves[name] = leaf
	ca.mu.Unlock()
	return leaf, nil
}

// mintable reports whether a leaf is made for name: a host name under a
// zone that the CA permits.
func (ca *CA) mintable(name string) bool {
	if name == "" || len(name) > 253 || !ca.Permits(name) {
		return false
	}
	inZone := false
	for _, z := range ca.opts.Zones {
		z = strings.TrimSuffix(strings.ToLower(z), ".")
		if name == z || strings.HasSuffix(name, "."+z) {
			inZone = true
		}
	}
	if !inZone {
		return false
	}
	for _, label := range strings.Split(name, ".") {
		if !hostLabel(label) {
			return false
		}
	}
	return true
}

func (ca *CA) mint(name string, now time.Time) (*tls.Certificate, error) {
	dnsNames := append([]string{}, ca.dns...)
	if name != "" {
		dnsNames = append([]string{name}, dnsNames...)
	}
	cn := "slbcert"
	if len(dnsNames) > 0 {
		cn = dnsNames[0]
	}
	notAfter := now.Add(LeafLifetime)
	if notAfter.After(ca.Cert.NotAfter) {
		notAfter = ca.Cert.NotAfter
	}
	tmpl := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject:      pkix.Name{CommonName: cn, Organization: []string{"slbcert"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     dnsNames,
		IPAddresses:  ca.ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, ca.leafKey.Public(), ca.key)
	if err != nil {
		return nil, fmt.Errorf("minting a leaf for %q: %w", name, err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: ca.leafKey, Leaf: leaf}, nil
}

// hostLabel reports whether l is a host name label: letters, digits, '-'
// (not at either end) and '_', 1 to 63 of them.
func hostLabel(l string) bool {
	if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func randomSerial() *big.Int {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	return serial
}

func publicKeyEqual(a, b crypto.PublicKey) bool {
	eq, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && eq.Equal(b)
}
