package slb

import (
	"slbcert"
	"time"
)

// APIVersion is the only SLB API version this server speaks.
const APIVersion = "2014-05-15"

// Default quotas, per account and region.
const (
	DefaultServerCertificateQuota = 100
	DefaultCACertificateQuota     = 100
)

// CertificateKind tells server certificates (with a private key) from CA
// certificates (client-authentication roots, no key). Both are tagged and
// moved between resource groups as ResourceType "certificate".
type CertificateKind string

// The certificate kinds.
const (
	KindServer CertificateKind = "server"
	KindCA     CertificateKind = "ca"
)

// Certificate is one uploaded certificate as stored. Times have millisecond
// precision and are UTC.
type Certificate struct {
	ID              string
	Kind            CertificateKind
	AccountID       string
	RegionID        string
	Name            string
	ResourceGroupID string

	Fingerprint             string   // SHA-1 of the leaf DER, lowercase hex pairs joined by ':'
	CommonName              string   // leaf subject CN
	SubjectAlternativeNames []string // leaf DNS SANs in certificate order
	EncryptionAlgorithm     string   // "RSA" or "ECC"
	EncryptionKeyLength     int      // modulus bits or curve bits
	CreateTime              time.Time
	ExpireTime              time.Time // leaf NotAfter

	AliCloudCertificateID       string
	AliCloudCertificateName     string
	AliCloudCertificateRegionID string
	IsAliCloudCertificate       bool
	StandardType                string

	// CertificatePEM is the uploaded chain, normalised (one PEM block per
	// certificate, leaf first). It never leaves the server through the API.
	CertificatePEM string
	// SealedPrivateKey is the AEAD-sealed private key of a server certificate
	// (nil for CA certificates). Plaintext keys never reach a store.
	SealedPrivateKey []byte

	Tags []slbcert.Tag
}
