package certs

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"slbcert"
)

// ParseChain parses text, the value of parameter param ("ServerCertificate"
// or "CACertificate", named in messages), as a PEM certificate chain and
// fills in the reported fields from its first certificate.
//
// Errors: InvalidParameter if text is over MaxPEMSize; otherwise
// CertificateFormatInvalid unless text, once CRLF is turned into LF and
// surrounding whitespace (and a leading byte order mark) is trimmed, is one or
// more PEM blocks of type CERTIFICATE, each without PEM headers and each
// holding one X.509 certificate in DER, that follow each other line by line.
// Blocks of any other type (a private key pasted by mistake, EC
// PARAMETERS...) and text outside the blocks (comments, "Bag Attributes" from
// openssl pkcs12, garbage) are rejected, not skipped: the chain is served to
// clients as uploaded. So is an empty or whitespace-only line between or
// inside the blocks, as Alibaba Cloud's format rules say; the message gives
// its line number in text as sent.
//
// It checks neither expiry nor order; see CheckChain.
func ParseChain(param, text string) (*Chain, error) {
	if err := checkSize(param, text); err != nil {
		return nil, err
	}
	blocks, defect := splitPEM(normalise(text))
	if defect != "" {
		return nil, slbcert.Errorf(ECertificateFormatInvalid,
			"The specified parameter %s %s; it must hold only PEM CERTIFICATE blocks.", param, defect)
	}
	if len(blocks) == 0 {
		return nil, slbcert.Errorf(ECertificateFormatInvalid,
			"The specified parameter %s is not a PEM certificate: it has no -----BEGIN CERTIFICATE----- block.", param)
	}
	certs := make([]*x509.Certificate, len(blocks))
	for i, b := range blocks {
		if b.Type != "CERTIFICATE" {
			return nil, slbcert.Errorf(ECertificateFormatInvalid,
				"The specified parameter %s has a PEM block of type %s (block %d); it must hold only CERTIFICATE blocks.", param, blockType(b.Type), i+1)
		}
		if len(b.Headers) > 0 {
			return nil, slbcert.Errorf(ECertificateFormatInvalid,
				"The specified parameter %s has PEM headers in block %d; certificate blocks have none.", param, i+1)
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			// Parse errors describe public certificate structure only.
			return nil, slbcert.Errorf(ECertificateFormatInvalid,
				"The specified parameter %s has a block that is not a valid X.509 certificate (block %d: %v).", param, i+1, err)
		}
		certs[i] = c
	}
	if defect := blankLine(text); defect != "" {
		return nil, slbcert.Errorf(ECertificateFormatInvalid, "The specified parameter %s %s", param, defect)
	}
	return newChain(param, certs), nil
}

func newChain(param string, certs []*x509.Certificate) *Chain {
	leaf := certs[0]
	pemText := encodeCertificates(certs)
	names := make([]string, len(leaf.DNSNames))
	copy(names, leaf.DNSNames)
	algo, bits := keyInfo(leaf)
	return &Chain{
		Certs:       certs,
		PEM:         pemText,
		Fingerprint: fingerprint(leaf.Raw),
		CommonName:  leaf.Subject.CommonName,
		DNSNames:    names,
		Algorithm:   algo,
		KeyBits:     bits,
		NotAfter:    leaf.NotAfter,
		param:       param,
	}
}

// encodeCertificates writes certs as CERTIFICATE blocks, exactly as
// pem.Encode would, into one allocation: the size is known up front, and
// going through pem.Encode costs a base64 encoder per block and repeated
// growth of the output.
func encodeCertificates(certs []*x509.Certificate) string {
	const (
		begin   = "-----BEGIN CERTIFICATE-----\n"
		end     = "-----END CERTIFICATE-----\n"
		lineRaw = 48 // DER bytes per 64-character base64 line
	)
	size := 0
	for _, c := range certs {
		lines := (len(c.Raw) + lineRaw - 1) / lineRaw
		size += len(begin) + base64.StdEncoding.EncodedLen(len(c.Raw)) + lines + len(end)
	}
	var sb strings.Builder
	sb.Grow(size)
	var line [64]byte
	for _, c := range certs {
		sb.WriteString(begin)
		for der := c.Raw; len(der) > 0; {
			n := min(len(der), lineRaw)
			base64.StdEncoding.Encode(line[:], der[:n])
			sb.Write(line[:base64.StdEncoding.EncodedLen(n)])
			sb.WriteByte('\n')
			der = der[n:]
		}
		sb.WriteString(end)
	}
	return sb.String()
}

// fingerprint is the SHA-1 of der as lowercase hex pairs joined by ':'.
func fingerprint(der []byte) string {
	const hexdigits = "0123456789abcdef"
	sum := sha1.Sum(der)
	var out [len(sum)*3 - 1]byte
	for i, b := range sum {
		if i > 0 {
			out[i*3-1] = ':'
		}
		out[i*3] = hexdigits[b>>4]
		out[i*3+1] = hexdigits[b&0xf]
	}
	return string(out[:])
}

// keyInfo names the certificate's key algorithm the way the API does, with
// its size: RSA modulus bits or ECDSA curve bits.
func keyInfo(c *x509.Certificate) (algo string, bits int) {
	switch pub := c.PublicKey.(type) {
	case *rsa.PublicKey:
		return "RSA", pub.N.BitLen()
	case *ecdsa.PublicKey:
		return "ECC", pub.Curve.Params().BitSize
	}
	return "", 0
}

// CheckChain checks a server certificate chain (docs/choices.md,
// "Certificate checks", row "a chain certificate that does not sign the one
// before it"): each certificate after the first must have signed the one
// before it, else IllegalParam.ServerCertificate.
//
// Expiry is no gate unless r.RejectExpired: Alibaba Cloud accepts expired
// certificates, and reports their expiry. With it, the leaf must not have
// expired at now (a certificate is valid through its NotAfter second), else
// IllegalParam.ServerCertificate, judged before the signatures. Only the
// leaf's expiry is judged: an expired intermediate or root is the client's
// business (many clients ignore a served root anyway). NotBefore is never
// checked: a certificate issued for later use may be staged. Of r, only
// RejectExpired applies here; the key rules are CheckRules'.
//
// "Signed" means the signature verifies with the next certificate's public
// key; the issuer is not required to carry the CA flag or the certSign key
// usage, nor to have a matching subject name. This engine rejects misordered
// or unrelated chains, the mistake users make; full path validation,
// including CA constraints, is what each client does when it connects, against
// its own trust store. SHA-1 signatures are accepted for that reason (old
// intermediates use them); MD5 and other algorithms Go considers broken are
// rejected. A lone certificate has no signature checked, so a self-signed
// one signed with anything parsable is accepted.
func CheckChain(c *Chain, r Rules, now time.Time) error {
	if len(c.Certs) == 0 {
		return slbcert.Errorf(ECertificateFormatInvalid, "The specified parameter %s holds no certificate.", c.paramName())
	}
	if r.RejectExpired {
		if err := checkExpiry(c, EIllegalServerCertificate, now); err != nil {
			return err
		}
	}
	for i := 1; i < len(c.Certs); i++ {
		child, parent := c.Certs[i-1], c.Certs[i]
		err := parent.CheckSignature(child.SignatureAlgorithm, child.RawTBSCertificate, child.Signature)
		if err == nil {
			continue
		}
		var insecure x509.InsecureAlgorithmError
		if errors.As(err, &insecure) || errors.Is(err, x509.ErrUnsupportedAlgorithm) {
			return slbcert.Errorf(EIllegalServerCertificate,
				"The specified parameter %s has certificate %d signed with an unsupported or insecure algorithm (%v).", c.paramName(), i, child.SignatureAlgorithm)
		}
		return slbcert.Errorf(EIllegalServerCertificate,
			"The specified parameter %s is not a chain in order: certificate %d does not sign certificate %d. Put the server certificate first, then each issuer right after the certificate it signed.", c.paramName(), i+1, i)
	}
	return nil
}

func checkExpiry(c *Chain, code string, now time.Time) error {
	if now.After(c.NotAfter) {
		return slbcert.Errorf(code,
			"The specified parameter %s has expired: the certificate was valid until %s, and this region does not accept expired certificates.", c.paramName(), c.NotAfter.UTC().Format(time.RFC3339))
	}
	return nil
}

// paramName is the parameter the chain came from, ServerCertificate for a
// Chain built by hand.
func (c *Chain) paramName() string {
	if c.param == "" {
		return paramServerCert
	}
	return c.param
}
