package slb_test

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
)

// BenchmarkUploadHTTP is one full upload: the official SDK signs and sends
// an RSA 2048 chain and key, the server verifies, parses, seals, stores
// durably and answers. A fresh server takes over every 100 uploads, before
// the region's quota of 100 is reached (outside the timed part).
func BenchmarkUploadHTTP(b *testing.B) {
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "bench.example.com", DNSNames: []string{"bench.example.com"}})
	var s *e2e.Server
	var c *slb.Client
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%100 == 0 {
			b.StopTimer()
			if s != nil {
				s.Close()
			}
			s = e2e.Start(b)
			c = s.Client(b, "cn-hangzhou")
			b.StartTimer()
		}
		if _, err := c.UploadServerCertificate(e2e.UploadRequest("cn-hangzhou", srv.ChainPEM, srv.KeyPEM)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDescribeByIDHTTP is DescribeServerCertificates by id, over HTTP
// through the SDK, with 100 certificates stored.
func BenchmarkDescribeByIDHTTP(b *testing.B) {
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "bench.example.com"})
	s := e2e.Start(b)
	c := s.Client(b, "cn-hangzhou")
	var id string
	for i := 0; i < 100; i++ {
		resp, err := c.UploadServerCertificate(e2e.UploadRequest("cn-hangzhou", srv.ChainPEM, srv.KeyPEM))
		if err != nil {
			b.Fatal(err)
		}
		id = resp.ServerCertificateId
	}
	b.ReportAllocs()
	for b.Loop() {
		if n := len(e2e.ServerCertificates(b, c, "cn-hangzhou", id)); n != 1 {
			b.Fatalf("%d results", n)
		}
	}
}
