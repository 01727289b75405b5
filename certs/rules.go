package certs

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"slices"
	"strconv"
	"strings"

	"slbcert"
)

// CheckRules judges the leaf's public key against a region's rules
// (docs/choices.md, "Certificate checks"), from the certificate alone,
// before any private key is read:
//
//   - neither RSA nor ECDSA (Ed25519, DSA, unknown): IllegalParam.ServerCertificate
//   - RSA modulus size not in r.RSABits: OperationDenied.IllegalKeyLength
//   - ECDSA when !r.ECC, or on a curve other than P-256, P-384, P-521:
//     EccCertificateNotSupport
func CheckRules(c *Chain, r Rules) error {
	if len(c.Certs) == 0 {
		return slbcert.Errorf(ECertificateFormatInvalid, "The specified parameter %s holds no certificate.", c.paramName())
	}
	leaf := c.Leaf()
	switch pub := leaf.PublicKey.(type) {
	case *rsa.PublicKey:
		bits := pub.N.BitLen()
		if !slices.Contains(r.RSABits, bits) {
			return slbcert.Errorf(EIllegalKeyLength,
				"The specified parameter %s has a %d-bit RSA key; this region accepts %s.", c.paramName(), bits, rsaSizes(r.RSABits))
		}
		return nil
	case *ecdsa.PublicKey:
		if !r.ECC {
			return slbcert.Errorf(EEccNotSupported,
				"The specified parameter %s has an ECC (ECDSA) key; this region does not support ECC certificates.", c.paramName())
		}
		switch pub.Curve {
		case elliptic.P256(), elliptic.P384(), elliptic.P521():
			return nil
		}
		return slbcert.Errorf(EEccNotSupported,
			"The specified parameter %s has an ECDSA key on curve %s; only P-256, P-384 and P-521 are supported.", c.paramName(), pub.Curve.Params().Name)
	}
	return slbcert.Errorf(EIllegalServerCertificate,
		"The specified parameter %s has a public key of type %s; only RSA and ECDSA (ECC) certificates are supported.", c.paramName(), keyAlgorithmName(leaf.PublicKeyAlgorithm.String()))
}

// keyAlgorithmName makes x509's name for an unknown algorithm ("0") readable.
func keyAlgorithmName(s string) string {
	if _, err := strconv.Atoi(s); err == nil {
		return "unknown"
	}
	return s
}

// rsaSizes words the allowed sizes for a message: "RSA keys of 1024, 2048 or
// 4096 bits".
func rsaSizes(bits []int) string {
	if len(bits) == 0 {
		return "no RSA keys"
	}
	s := make([]string, len(bits))
	for i, b := range bits {
		s[i] = strconv.Itoa(b)
	}
	if len(s) == 1 {
		return "RSA keys of " + s[0] + " bits only"
	}
	return "RSA keys of " + strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1] + " bits"
}
