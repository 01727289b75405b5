package certs

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"

	"slbcert"
)

// ParseAnyPrivateKey parses text, the value of parameter param (named in
// messages), as one unencrypted PEM private key whose label need not say
// what its DER holds: PKCS#8, PKCS#1 and SEC 1 are tried in that order,
// whatever the label. The certificate catalog (CAS) reads keys this way:
// Terraform's own acceptance test uploads a PKCS#1 RSA key under a
// "PRIVATE KEY" label (docs/choices.md, "Certificate catalog (CAS)": the
// Key rows of Uploads). An "EC PARAMETERS" block before the
// key is allowed when it names the key's curve.
//
// Errors, in this order:
//   - InvalidParameter when text is over MaxPEMSize;
//   - PrivateKeyEncryption when any block is encrypted (PKCS#8 "ENCRYPTED
//     PRIVATE KEY", or a legacy "Proc-Type: 4,ENCRYPTED"/"DEK-Info" block);
//   - InvalidParameter for anything else that is not exactly one RSA or
//     ECDSA key: no PEM, text outside the blocks, several keys, PEM
//     headers, DER none of the three forms parses, Ed25519 and X25519 keys.
//
// Messages never quote the key.
func ParseAnyPrivateKey(param, text string) (crypto.Signer, error) {
	if err := checkSize(param, text); err != nil {
		return nil, err
	}
	blocks, defect := splitPEM(normalise(text))
	for _, b := range blocks {
		if encrypted(b) {
			return nil, slbcert.Errorf(EPrivateKeyEncrypted,
				"The specified parameter %s is encrypted; upload it unencrypted (for example: openssl pkey -in key.pem -out key-plain.pem).", param)
		}
	}
	invalid := func(reason string) error {
		return slbcert.Errorf(slbcert.EInvalidParameter, "The specified parameter %s format is invalid: %s.", param, reason)
	}
	switch {
	case defect != "":
		return nil, invalid("it " + defect)
	case len(blocks) == 0:
		return nil, invalid("it has no PEM block (-----BEGIN PRIVATE KEY-----)")
	}
	params := blocks[0]
	if len(blocks) > 1 && params.Type == "EC PARAMETERS" {
		blocks = blocks[1:]
	} else {
		params = nil
	}
	if len(blocks) != 1 {
		return nil, invalid("it holds more than one PEM block; upload exactly one private key")
	}
	b := blocks[0]
	if len(b.Headers) > 0 || (params != nil && len(params.Headers) > 0) {
		return nil, invalid("its PEM block has headers; an unencrypted key has none")
	}
	key, reason := parseAnyKeyDER(b.Bytes)
	if key == nil {
		return nil, invalid(reason)
	}
	if params != nil {
		if _, ok := key.(*ecdsa.PrivateKey); !ok {
			return nil, invalid("an EC PARAMETERS block may only precede an EC key")
		}
		if err := checkECParameters(params, key); err != nil {
			return nil, invalid("its EC PARAMETERS block does not name the key's curve")
		}
	}
	return key, nil
}

// parseAnyKeyDER tries PKCS#8, PKCS#1 and SEC 1 on der, and returns the
// RSA or ECDSA key, or nil and why not.
func parseAnyKeyDER(der []byte) (crypto.Signer, string) {
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		switch k := k.(type) {
		case *rsa.PrivateKey:
			return k, ""
		case *ecdsa.PrivateKey:
			return k, ""
		case ed25519.PrivateKey:
			return nil, "it is an Ed25519 key; only RSA and ECDSA keys are supported"
		case *ecdh.PrivateKey:
			return nil, "it is an X25519 key; only RSA and ECDSA keys are supported"
		}
		return nil, "only RSA and ECDSA keys are supported"
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, ""
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, ""
	}
	return nil, "its PEM block holds no PKCS#8, PKCS#1 or SEC 1 private key of a supported type"
}
