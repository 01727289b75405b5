package cas

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"strings"
	"time"

	"slbcert/certs"
)

// describe fills in what the catalog reports about an upload from its
// parsed chain (docs/choices.md, "Certificate catalog (CAS)": Records);
// the certs engine has already derived the common name, the SANs (a copy)
// and the key algorithm.
func describe(c *UserCertificate, ch *certs.Chain) {
	chain, leaf := ch.Certs, ch.Leaf()
	sha1Sum, sha2Sum := sha1.Sum(leaf.Raw), sha256.Sum256(leaf.Raw)
	c.CommonName = ch.CommonName
	c.Sans = ch.DNSNames
	c.Fingerprint = strings.ToUpper(hex.EncodeToString(sha1Sum[:]))
	c.Sha2 = strings.ToUpper(hex.EncodeToString(sha2Sum[:]))
	c.SerialNo = SerialNo(leaf)
	c.Issuer = issuerName(leaf.Issuer)
	c.OrgName = first(leaf.Subject.Organization)
	c.Province = first(leaf.Subject.Province)
	c.City = first(leaf.Subject.Locality)
	c.Country = first(leaf.Subject.Country)
	c.Algorithm = ch.Algorithm
	c.NotBefore = leaf.NotBefore.UTC()
	c.NotAfter = leaf.NotAfter.UTC()
	c.Chain = make([]CertChainEntry, len(chain))
	for i, cert := range chain {
		c.Chain[i] = CertChainEntry{
			CommonName:       cert.Subject.CommonName,
			IssuerCommonName: cert.Issuer.CommonName,
			NotBefore:        cert.NotBefore.UTC(),
			NotAfter:         cert.NotAfter.UTC(),
		}
	}
}

// SerialNo is the catalog's serial number: lowercase hex of the serial's
// big-endian bytes, byte-aligned, so a leading zero nibble shows
// ("06ea48…"), as Alibaba's examples do.
func SerialNo(c *x509.Certificate) string {
	if c.SerialNumber == nil || c.SerialNumber.Sign() == 0 {
		return "00"
	}
	return hex.EncodeToString(c.SerialNumber.Bytes())
}

// issuerName is the issuer's CN, or its organization when it has no CN.
func issuerName(n pkix.Name) string {
	if n.CommonName != "" {
		return n.CommonName
	}
	return first(n.Organization)
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// siteZone is the China site's clock, on which the catalog's dates fall
// (Alibaba's examples match UTC+8).
var siteZone = time.FixedZone("UTC+8", 8*3600)

// Date formats t as StartDate and EndDate do: YYYY-MM-DD on the China
// site's clock (UTC+8).
func Date(t time.Time) string { return t.In(siteZone).Format("2006-01-02") }

// Expired reports whether a certificate valid until notAfter has expired
// at now: after its NotAfter, not at it.
func Expired(notAfter, now time.Time) bool { return now.After(notAfter) }

// RemainDay is how many whole days remain until notAfter at now; 0 once
// it has passed.
func RemainDay(notAfter, now time.Time) int {
	d := notAfter.Sub(now)
	if d <= 0 {
		return 0
	}
	return int(d / (24 * time.Hour))
}

// willExpireWithin is the window in which a valid certificate counts as
// WILLEXPIRED rather than ISSUED (Alibaba does not publish it).
const willExpireWithin = 30 * 24 * time.Hour
