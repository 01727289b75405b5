package dataplane

import (
	"crypto/tls"
	"fmt"
	"slices"
	"strings"
)

// opensslSuites are the TLS 1.0–1.2 suites a custom policy may name
// (CreateTLSCipherPolicy's Ciphers: https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-createtlscipherpolicy),
// by their OpenSSL names, as Go's crypto/tls offers them.
var opensslSuites = map[string]uint16{
	"ECDHE-ECDSA-AES128-SHA":        tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
	"ECDHE-ECDSA-AES256-SHA":        tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
	"ECDHE-RSA-AES128-SHA":          tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
	"ECDHE-RSA-AES256-SHA":          tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
	"AES128-SHA":                    tls.TLS_RSA_WITH_AES_128_CBC_SHA,
	"AES256-SHA":                    tls.TLS_RSA_WITH_AES_256_CBC_SHA,
	"DES-CBC3-SHA":                  tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
	"ECDHE-ECDSA-AES128-GCM-SHA256": tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	"ECDHE-ECDSA-AES256-GCM-SHA384": tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	"ECDHE-ECDSA-AES128-SHA256":     tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
	"ECDHE-RSA-AES128-GCM-SHA256":   tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	"ECDHE-RSA-AES256-GCM-SHA384":   tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	"ECDHE-RSA-AES128-SHA256":       tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
	"AES128-GCM-SHA256":             tls.TLS_RSA_WITH_AES_128_GCM_SHA256,
	"AES256-GCM-SHA384":             tls.TLS_RSA_WITH_AES_256_GCM_SHA384,
	"AES128-SHA256":                 tls.TLS_RSA_WITH_AES_128_CBC_SHA256,
}

// goTLS13Suites are the TLS 1.3 suites Go implements; it offers all three
// whenever TLS 1.3 is on, and no setting narrows them.
var goTLS13Suites = []string{"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}

// notInGo are the suites the API accepts that Go does not implement.
var notInGo = []string{"ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384", "AES256-SHA256",
	"TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256"}

var tlsVersionNames = map[string]uint16{
	"TLSv1.0": tls.VersionTLS10, "TLSv1.1": tls.VersionTLS11, "TLSv1.2": tls.VersionTLS12, "TLSv1.3": tls.VersionTLS13,
}

// CustomPolicy maps a custom TLS policy (tls-…: its TLSVersions and
// Ciphers, as CreateTLSCipherPolicy takes them) to what Go serves
// (docs/choices.md, "Data plane (listeners that serve)": wired to the API):
//
//   - the versions from the lowest to the highest named (Go has a range,
//     not a set: TLSv1.0 with TLSv1.2 also admits TLS 1.1);
//   - the TLS 1.0–1.2 suites named, in Go's preference order;
//   - TLS 1.3 with Go's three suites when the policy names TLSv1.3 and at
//     least one of them (Go cannot narrow TLS 1.3's suites); a policy whose
//     only TLS 1.3 suites are the CCM ones Go lacks serves up to TLS 1.2;
//   - the suites Go does not implement listed in Unsupported.
//
// An error says that nothing of the policy can be served (no version left
// with a suite), or names a version or suite it does not know.
func CustomPolicy(versions, ciphers []string) (Policy, error) {
	var p Policy
	has13 := false
	p.CipherSuites = []uint16{} // not nil: nil would be Go's defaults
	for _, c := range ciphers {
		switch {
		case opensslSuites[c] != 0:
			if !slices.Contains(p.CipherSuites, opensslSuites[c]) {
				p.CipherSuites = append(p.CipherSuites, opensslSuites[c])
			}
		case slices.Contains(goTLS13Suites, c):
			has13 = true
		case slices.Contains(notInGo, c):
			p.Unsupported = append(p.Unsupported, c)
		default:
			return Policy{}, fmt.Errorf("unknown cipher suite %q", c)
		}
	}
	var want []uint16
	for _, v := range versions {
		n, ok := tlsVersionNames[v]
		if !ok {
			return Policy{}, fmt.Errorf("unknown TLS version %q", v)
		}
		if n == tls.VersionTLS13 && !has13 {
			continue // its only suites are ones Go lacks
		}
		if n < tls.VersionTLS13 && len(p.CipherSuites) == 0 {
			continue // no suite of its own to serve
		}
		want = append(want, n)
	}
	if len(want) == 0 {
		return Policy{}, fmt.Errorf("no TLS version of %s can be served with the cipher suites %s that Go implements",
			strings.Join(versions, ", "), strings.Join(ciphers, ", "))
	}
	p.MinVersion, p.MaxVersion = slices.Min(want), slices.Max(want)
	return p, nil
}

// hasECDSASuite reports whether p can serve an ECDSA certificate.
func (p *Policy) hasECDSASuite() bool {
	if p.MaxVersion >= tls.VersionTLS13 {
		return true
	}
	for _, s := range tls.CipherSuites() {
		if strings.Contains(s.Name, "_ECDSA_") && slices.Contains(p.CipherSuites, s.ID) {
			return true
		}
	}
	for _, s := range tls.InsecureCipherSuites() {
		if strings.Contains(s.Name, "_ECDSA_") && slices.Contains(p.CipherSuites, s.ID) {
			return true
		}
	}
	return false
}
