package certs

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"strings"

	"slbcert"
)

// ParsePrivateKey parses text, the PrivateKey parameter: one unencrypted PEM
// private key, in PKCS#1 ("RSA PRIVATE KEY"), PKCS#8 ("PRIVATE KEY") or SEC1
// ("EC PRIVATE KEY", optionally preceded by the "EC PARAMETERS" block openssl
// ecparam writes, which must then name the key's curve). The key is an
// *rsa.PrivateKey or an *ecdsa.PrivateKey.
//
// Errors:
//   - InvalidParameter when text is over MaxPEMSize;
//   - PrivateKeyEncryption when any block is encrypted: type "ENCRYPTED
//     PRIVATE KEY" (PKCS#8), or a legacy OpenSSL block with a "Proc-Type:
//     4,ENCRYPTED" or "DEK-Info" header. This is judged before the text's
//     format, so an encrypted key in otherwise sloppy text still gets the
//     more useful answer;
//   - InvalidParameter for anything else that is not exactly one supported
//     key: no PEM, text outside the blocks (CRLF and surrounding whitespace
//     are fine), several keys, other block types or PEM headers, DER that does
//     not parse, and keys other than RSA and ECDSA (Ed25519, X25519).
//
// Messages never quote the key.
func ParsePrivateKey(text string) (crypto.Signer, error) {
	if err := checkSize(paramPrivateKey, text); err != nil {
		return nil, err
	}
	key, _, err := parsePrivateKey(text)
	return key, err
}

// parsePrivateKey is ParsePrivateKey without the size check; it also returns
// the normalised text for ServerPair.KeyPEM.
func parsePrivateKey(text string) (crypto.Signer, string, error) {
	data := normalise(text)
	blocks, defect := splitPEM(data)
	for _, b := range blocks {
		if encrypted(b) {
			return nil, "", slbcert.Errorf(EPrivateKeyEncrypted,
				"The specified parameter %s is encrypted; upload it unencrypted (for example: openssl pkey -in key.pem -out key-plain.pem).", paramPrivateKey)
		}
	}
	if defect != "" {
		return nil, "", keyFormatError("it " + defect)
	}
	if len(blocks) == 0 {
		return nil, "", keyFormatError("it has no PEM block (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)")
	}
	var params *pem.Block
	if len(blocks) > 1 && blocks[0].Type == "EC PARAMETERS" {
		params, blocks = blocks[0], blocks[1:]
	}
	if len(blocks) != 1 {
		return nil, "", keyFormatError("it holds more than one PEM block; upload exactly one private key")
	}
	b := blocks[0]
	if params != nil && b.Type != "EC PRIVATE KEY" {
		return nil, "", keyFormatError("an EC PARAMETERS block may only precede an EC PRIVATE KEY block")
	}
	if len(b.Headers) > 0 || (params != nil && len(params.Headers) > 0) {
		return nil, "", keyFormatError("its PEM block has headers; an unencrypted key has none")
	}
	key, err := parseKeyBlock(b)
	if err != nil {
		return nil, "", err
	}
	if params != nil {
		if err := checkECParameters(params, key); err != nil {
			return nil, "", err
		}
	}
	return key, keyPEMText(data), nil
}

func parseKeyBlock(b *pem.Block) (crypto.Signer, error) {
	switch b.Type {
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(b.Bytes)
		if err != nil {
			return nil, keyFormatError("the RSA PRIVATE KEY block is not a valid PKCS#1 RSA key")
		}
		return k, nil
	case "EC PRIVATE KEY":
		k, err := x509.ParseECPrivateKey(b.Bytes)
		if err != nil {
			return nil, keyFormatError("the EC PRIVATE KEY block is not a valid SEC 1 EC key on a supported curve")
		}
		return k, nil
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
		if err != nil {
			return nil, keyFormatError("the PRIVATE KEY block is not a valid PKCS#8 key of a supported type")
		}
		switch k := k.(type) {
		case *rsa.PrivateKey:
			return k, nil
		case *ecdsa.PrivateKey:
			return k, nil
		case ed25519.PrivateKey:
			return nil, keyFormatError("it is an Ed25519 key; only RSA and ECDSA keys are supported")
		case *ecdh.PrivateKey:
			return nil, keyFormatError("it is an X25519 key; only RSA and ECDSA keys are supported")
		}
		return nil, keyFormatError("only RSA and ECDSA keys are supported")
	}
	return nil, keyFormatError("a PEM block of type " + blockType(b.Type) +
		" is not a supported private key (RSA PRIVATE KEY, PRIVATE KEY or EC PRIVATE KEY)")
}

// Named curve OIDs (RFC 5480), for EC PARAMETERS blocks.
var curveOIDs = map[elliptic.Curve]asn1.ObjectIdentifier{
	elliptic.P224(): {1, 3, 132, 0, 33},
	elliptic.P256(): {1, 2, 840, 10045, 3, 1, 7},
	elliptic.P384(): {1, 3, 132, 0, 34},
	elliptic.P521(): {1, 3, 132, 0, 35},
}

// checkECParameters accepts an EC PARAMETERS block only if it names the
// curve of key: explicit parameters, or another curve, make the upload
// ambiguous.
func checkECParameters(params *pem.Block, key crypto.Signer) error {
	k, _ := key.(*ecdsa.PrivateKey) // an EC PRIVATE KEY block always yields one
	var oid asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(params.Bytes, &oid)
	if err != nil || len(rest) > 0 || k == nil || !oid.Equal(curveOIDs[k.Curve]) {
		return keyFormatError("its EC PARAMETERS block does not name the key's curve")
	}
	return nil
}

// encrypted reports whether b is an encrypted key, PKCS#8 or legacy OpenSSL.
func encrypted(b *pem.Block) bool {
	if b.Type == "ENCRYPTED PRIVATE KEY" {
		return true
	}
	if strings.Contains(strings.ToUpper(b.Headers["Proc-Type"]), "ENCRYPTED") {
		return true
	}
	_, dek := b.Headers["DEK-Info"]
	return dek
}

func keyFormatError(reason string) error {
	return slbcert.Errorf(slbcert.EInvalidParameter,
		"The specified parameter %s format is invalid: %s.", paramPrivateKey, reason)
}

// MatchKey reports whether key is the private key of leaf: nil if so, else
// InvalidParameter with the message certs.MsgKeyMismatch (also for a key of
// another algorithm than the certificate's).
//
// Comparing public halves is enough: the x509 parsers validate private keys
// (an RSA key's primes must multiply to its modulus, an EC public point is
// derived from the scalar), so a key whose public half matches is the key.
func MatchKey(leaf *x509.Certificate, key crypto.Signer) error {
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(leaf.PublicKey) {
		return &slbcert.Error{Code: slbcert.EInvalidParameter, Message: MsgKeyMismatch}
	}
	return nil
}
