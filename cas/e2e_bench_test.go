package cas_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/cas"

	"slbcert/internal/e2e"
)

// BenchmarkCatalogUploadHTTP is one full catalog upload through the SDK:
// RSA 2048 leaf and intermediate, a name check, the parse, an id reserved
// and the entry stored (two write transactions), the key sealed. A fresh
// server takes over every 1000 uploads, the default quota.
func BenchmarkCatalogUploadHTTP(b *testing.B) {
	pki := e2e.NewCatalogPKI(b, "rsa2048", "bench.example.com", []string{"bench.example.com"}, time.Time{}, time.Time{})
	var s *e2e.Server
	var c *cas.Client
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%1000 == 0 {
			b.StopTimer()
			if s != nil {
				s.Close()
			}
			s = e2e.Start(b)
			c = s.CASClient(b)
			b.StartTimer()
		}
		e2e.UploadUserCertificate(b, c, fmt.Sprint("bench-", i), pki.CertPEM, pki.KeyPEM)
	}
}

// BenchmarkCatalogDetailHTTP is GetUserCertificateDetail with the PEM
// texts (the key unsealed), over HTTP through the SDK, 100 entries stored.
func BenchmarkCatalogDetailHTTP(b *testing.B) {
	pki := e2e.NewCatalogPKI(b, "rsa2048", "bench.example.com", nil, time.Time{}, time.Time{})
	s := e2e.Start(b)
	c := s.CASClient(b)
	var id int64
	for i := 0; i < 100; i++ {
		id = e2e.UploadUserCertificate(b, c, fmt.Sprint("bench-", i), pki.CertPEM, pki.KeyPEM)
	}
	b.ReportAllocs()
	for b.Loop() {
		if d := e2e.GetUserCertificateDetail(b, c, id, false); d.Key == "" {
			b.Fatal("no key")
		}
	}
}
