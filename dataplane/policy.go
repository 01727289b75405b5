package dataplane

import "crypto/tls"

// Policy is a TLS cipher policy as Go's crypto/tls serves it.
type Policy struct {
	// MinVersion and MaxVersion bound the protocol versions.
	MinVersion, MaxVersion uint16
	// CipherSuites are the TLS 1.0–1.2 suites offered. TLS 1.3's suites
	// are not configurable in Go: AES-128-GCM, AES-256-GCM and
	// ChaCha20-Poly1305, all three in the only policy with TLS 1.3.
	CipherSuites []uint16
	// Unsupported are the policy's suites (OpenSSL names) that Go does not
	// implement and that are therefore not offered.
	Unsupported []string
}

// DefaultPolicy is the API's default TLSCipherPolicy.
const DefaultPolicy = "tls_cipher_policy_1_0"

// suite13 are the 13 TLS 1.0–1.2 suites of the 1_0, 1_1 and 1_2 policies
// (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/user-guide/tls-security-policies),
// mapped to Go's constants by the usual naming rule. RSA key
// exchange, 3DES and the CBC-SHA256 suites are in Go's "insecure" list and
// off by default, but negotiate when listed in Config.CipherSuites.
var suite13 = []uint16{
	tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, // ECDHE-RSA-AES128-GCM-SHA256
	tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, // ECDHE-RSA-AES256-GCM-SHA384
	tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, // ECDHE-RSA-AES128-SHA256
	tls.TLS_RSA_WITH_AES_128_GCM_SHA256,       // AES128-GCM-SHA256
	tls.TLS_RSA_WITH_AES_256_GCM_SHA384,       // AES256-GCM-SHA384
	tls.TLS_RSA_WITH_AES_128_CBC_SHA256,       // AES128-SHA256
	tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,    // ECDHE-RSA-AES128-SHA
	tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,    // ECDHE-RSA-AES256-SHA
	tls.TLS_RSA_WITH_AES_128_CBC_SHA,          // AES128-SHA
	tls.TLS_RSA_WITH_AES_256_CBC_SHA,          // AES256-SHA
	tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA,         // DES-CBC3-SHA
}

var suite13Unsupported = []string{"ECDHE-RSA-AES256-SHA384", "AES256-SHA256"}

var strictRSA = []uint16{
	tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, // ECDHE-RSA-AES128-GCM-SHA256
	tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, // ECDHE-RSA-AES256-GCM-SHA384
	tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, // ECDHE-RSA-AES128-SHA256
	tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,    // ECDHE-RSA-AES128-SHA
	tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,    // ECDHE-RSA-AES256-SHA
}

var strictWith13 = []uint16{
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, // ECDHE-ECDSA-AES128-GCM-SHA256
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, // ECDHE-ECDSA-AES256-GCM-SHA384
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, // ECDHE-ECDSA-AES128-SHA256
	tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,   // ECDHE-RSA-AES128-GCM-SHA256
	tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,   // ECDHE-RSA-AES256-GCM-SHA384
	tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,   // ECDHE-RSA-AES128-SHA256
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,    // ECDHE-ECDSA-AES128-SHA
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,    // ECDHE-ECDSA-AES256-SHA
	tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,      // ECDHE-RSA-AES128-SHA
	tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,      // ECDHE-RSA-AES256-SHA
}

// Policies are the built-in TLS cipher policies (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/user-guide/tls-security-policies;
// how Go serves them: docs/choices.md, "Data plane (listeners that serve)"),
// by name. Only tls_cipher_policy_1_2_strict_with_1_3 has ECDSA
// suites: under the others an ECDSA certificate fails every handshake,
// as it does on Alibaba Cloud.
var Policies = map[string]Policy{
	"tls_cipher_policy_1_0": {MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS12,
		CipherSuites: suite13, Unsupported: suite13Unsupported},
	"tls_cipher_policy_1_1": {MinVersion: tls.VersionTLS11, MaxVersion: tls.VersionTLS12,
		CipherSuites: suite13, Unsupported: suite13Unsupported},
	"tls_cipher_policy_1_2": {MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS12,
		CipherSuites: suite13, Unsupported: suite13Unsupported},
	"tls_cipher_policy_1_2_strict": {MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS12,
		CipherSuites: strictRSA, Unsupported: []string{"ECDHE-RSA-AES256-SHA384"}},
	"tls_cipher_policy_1_2_strict_with_1_3": {MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS13,
		CipherSuites: strictWith13, Unsupported: []string{
			"TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256",
			"ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384"}},
}

// policyName returns name, or the default for "".
func policyName(name string) string {
	if name == "" {
		return DefaultPolicy
	}
	return name
}
