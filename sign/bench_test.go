package sign_test

import (
	"net/url"
	"testing"

	"slbcert/sign"
)

// BenchmarkVerifyV1Upload verifies a typical UploadServerCertificate request:
// a certificate and a key of about 2 KiB each, a name, tags and the common
// parameters.
func BenchmarkVerifyV1Upload(b *testing.B) {
	params := signedV1(b, url.Values{
		"RegionId":              {"cn-hangzhou"},
		"ServerCertificate":     {fixture(b, "server-cert.pem")},
		"PrivateKey":            {fixture(b, "server-key.pem")},
		"ServerCertificateName": {"www.example.com 2026"},
		"ResourceGroupId":       {"rg-acfmxazb4ph6aiy"},
		"Tag.1.Key":             {"env"},
		"Tag.1.Value":           {"production"},
	})
	if err := sign.VerifyV1("POST", params, testSecret); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := sign.VerifyV1("POST", params, testSecret); err != nil {
			b.Fatal(err)
		}
	}
}
