package server

import (
	"fmt"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/cas"
)

// BenchmarkCatalogUploadHTTP is one full catalog upload through the SDK:
// RSA 2048 leaf and intermediate, a name check, the parse, an id reserved
// and the entry stored (two write transactions), the key sealed. A fresh
// server takes over every 1000 uploads, the default quota.
func BenchmarkCatalogUploadHTTP(b *testing.B) {
	pki := newCatalogPKI(b, "rsa2048", "bench.example.com", []string{"bench.example.com"}, time.Time{}, time.Time{})
	var s *testServer
	var c *cas.Client
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%1000 == 0 {
			b.StopTimer()
			if s != nil {
				s.Close()
			}
			s = startServer(b)
			c = s.casClient(b)
			b.StartTimer()
		}
		uploadUserCertificate(b, c, fmt.Sprint("bench-", i), pki.CertPEM, pki.KeyPEM)
	}
}

// BenchmarkCatalogDetailHTTP is GetUserCertificateDetail with the PEM
// texts (the key unsealed), over HTTP through the SDK, 100 entries stored.
func BenchmarkCatalogDetailHTTP(b *testing.B) {
	pki := newCatalogPKI(b, "rsa2048", "bench.example.com", nil, time.Time{}, time.Time{})
	s := startServer(b)
	c := s.casClient(b)
	var id int64
	for i := 0; i < 100; i++ {
		id = uploadUserCertificate(b, c, fmt.Sprint("bench-", i), pki.CertPEM, pki.KeyPEM)
	}
	b.ReportAllocs()
	for b.Loop() {
		if d := getDetail(b, c, id, false); d.Key == "" {
			b.Fatal("no key")
		}
	}
}
