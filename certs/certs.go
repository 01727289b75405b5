// Package certs is the certificate engine of slbcert: it parses uploaded PEM
// certificate chains and private keys, checks them against a region's rules
// (key types and sizes; expiry, where the region opts in), matches key to
// certificate and derives the fields the API reports
// (fingerprint, common name, SANs, key algorithm and size, expiry).
//
// It is pure: no I/O, no clock (callers pass now), no state. Every error it
// returns is a *slbcert.Error carrying the API code docs/choices.md's
// "Certificate checks" gives, with a message that names the offending
// parameter and never quotes key material.
//
// Input is read strictly, as a load balancer that will serve it verbatim
// should: CRLF line endings, a leading UTF-8 byte order mark and whitespace
// around the PEM blocks are tolerated; anything else outside a block (text
// before, between or after the blocks, a block pem cannot decode, PEM headers
// on a block that should have none) is rejected rather than skipped. In a
// certificate parameter the blocks must also follow each other line by line,
// as Alibaba Cloud requires: an empty or whitespace-only line between or
// inside them is rejected. The PrivateKey parameter is not held to that
// rule: a legacy encrypted key has a blank line after its headers, and
// deserves the PrivateKeyEncryption answer, not a format complaint.
package certs

import (
	"crypto"
	"crypto/x509"
	"time"

	"slbcert"
)

// MaxPEMSize is the largest accepted ServerCertificate/PrivateKey/CACertificate (64 KiB).
const MaxPEMSize = 64 << 10

// Parameter names as they appear in error messages.
const (
	paramServerCert = "ServerCertificate"
	paramPrivateKey = "PrivateKey"
	paramCACert     = "CACertificate"
)

// Rules are a region's certificate rules.
//
// The zero value allows no key: an empty RSABits rejects every RSA
// certificate with OperationDenied.IllegalKeyLength. Use DefaultRules for the
// contract's defaults.
type Rules struct {
	RSABits []int // allowed RSA modulus sizes, e.g. {1024, 2048, 4096}
	ECC     bool  // ECDSA leaf certificates allowed (P-256/P-384/P-521 only)

	// RejectExpired refuses a certificate whose NotAfter is before now
	// (IllegalParam.ServerCertificate, IllegalParam.CACertificate). Off by
	// default, as on Alibaba Cloud, which accepts expired certificates: an
	// operator opts in per region.
	RejectExpired bool
}

// DefaultRules returns the rules of a region with no special configuration:
// RSA 1024, 2048 and 4096 bits, no ECC, expired certificates accepted
// (docs/choices.md, "Certificate checks").
func DefaultRules() Rules {
	return Rules{RSABits: []int{1024, 2048, 4096}}
}

// Chain is a parsed certificate chain, leaf first.
type Chain struct {
	Certs       []*x509.Certificate // in upload order, leaf first (never empty from ParseChain)
	PEM         string              // normalised: one PEM block per certificate, "\n" line endings, leaf first, trailing newline
	Fingerprint string              // SHA-1 of leaf DER, lowercase hex pairs joined by ':'
	CommonName  string              // leaf Subject CN
	DNSNames    []string            // leaf DNS SANs in certificate order (never nil: empty slice)
	Algorithm   string              // "RSA" or "ECC" ("" for other key types)
	KeyBits     int                 // RSA modulus bits or curve bits 256/384/521
	NotAfter    time.Time           // leaf NotAfter

	param string // the parameter the chain came from, for messages
}

// Leaf returns the first certificate of the chain, the one the key belongs
// to. Chains from ParseChain always have one.
func (c *Chain) Leaf() *x509.Certificate { return c.Certs[0] }

// ServerPair is a validated server certificate and its key.
type ServerPair struct {
	Chain  *Chain
	Key    crypto.Signer // *rsa.PrivateKey or *ecdsa.PrivateKey
	KeyPEM string        // the private key as uploaded, normalised ("\n", trimmed, trailing newline)
}

// ParseServer runs the certificate checks of docs/choices.md's table
// ("Certificate checks") from "ServerCertificate or PrivateKey over 64 KiB"
// down to "private key not the leaf's", in exactly that table order,
// returning the first failure:
//
//  1. either input over MaxPEMSize: InvalidParameter
//  2. certPEM not strictly a sequence of parsable CERTIFICATE blocks
//     without blank lines between or inside them (see ParseChain):
//     CertificateFormatInvalid
//  3. leaf expired (only with rules.RejectExpired), or a chain certificate
//     that does not sign the one before it (see CheckChain):
//     IllegalParam.ServerCertificate
//  4. leaf key neither RSA nor ECDSA: IllegalParam.ServerCertificate
//  5. RSA modulus size not in rules: OperationDenied.IllegalKeyLength
//  6. ECDSA without rules.ECC, or on another curve: EccCertificateNotSupport
//  7. private key encrypted: PrivateKeyEncryption
//  8. private key unparsable or of an unsupported kind: InvalidParameter
//  9. private key not the leaf's: InvalidParameter, MsgKeyMismatch
//
// Steps 4 to 6 judge the certificate's public key, so a key Go would refuse
// to load (RSA under 1024 bits) is reported by its size, not as a parse error.
func ParseServer(certPEM, keyPEM string, rules Rules, now time.Time) (*ServerPair, error) {
	if err := checkSize(paramServerCert, certPEM); err != nil {
		return nil, err
	}
	if err := checkSize(paramPrivateKey, keyPEM); err != nil {
		return nil, err
	}
	chain, err := ParseChain(paramServerCert, certPEM)
	if err != nil {
		return nil, err
	}
	if err := CheckChain(chain, rules, now); err != nil {
		return nil, err
	}
	if err := CheckRules(chain, rules); err != nil {
		return nil, err
	}
	key, normKey, err := parsePrivateKey(keyPEM)
	if err != nil {
		return nil, err
	}
	if err := MatchKey(chain.Leaf(), key); err != nil {
		return nil, err
	}
	return &ServerPair{Chain: chain, Key: key, KeyPEM: normKey}, nil
}

// ParseCA parses a CA certificate upload: over 64 KiB -> InvalidParameter; no
// CERTIFICATE block / unparsable / blank lines -> CertificateFormatInvalid
// (see ParseChain); with rules.RejectExpired, first certificate expired at
// now -> IllegalParam.CACertificate. Of rules only RejectExpired applies: a
// CA certificate has no key rules, and the CA flag is not required.
//
// Several certificates are accepted and need not form a chain: a client-CA
// upload may be a bundle of independent roots. The reported fields describe
// the first certificate.
func ParseCA(certPEM string, rules Rules, now time.Time) (*Chain, error) {
	chain, err := ParseChain(paramCACert, certPEM)
	if err != nil {
		return nil, err
	}
	if rules.RejectExpired {
		if err := checkExpiry(chain, EIllegalCACertificate, now); err != nil {
			return nil, err
		}
	}
	return chain, nil
}

func checkSize(param, text string) error {
	if len(text) > MaxPEMSize {
		return slbcert.Errorf(slbcert.EInvalidParameter,
			"The specified parameter %s is too large: %d bytes, the maximum is %d bytes.", param, len(text), MaxPEMSize)
	}
	return nil
}
