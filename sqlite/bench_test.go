package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"slbcert"
)

// benchCert is a server certificate of realistic size: a two-certificate
// chain, a sealed 2048-bit RSA key, three SANs and three tags. Accounts hold
// 100 certificates each, like the default quota.
func benchCert(i int) *slbcert.Certificate {
	pem := make([]byte, 3500)
	for j := range pem {
		pem[j] = 'A' + byte(j%26)
	}
	return &slbcert.Certificate{
		ID:                      fmt.Sprintf("%d-cn-hangzhou-%08d", 1000+i/100, i),
		Kind:                    slbcert.KindServer,
		AccountID:               fmt.Sprint(1000 + i/100),
		RegionID:                "cn-hangzhou",
		Name:                    fmt.Sprintf("cert-%d", i),
		ResourceGroupID:         "rg-acfmabc123",
		Fingerprint:             "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01",
		CommonName:              "www.example.com",
		SubjectAlternativeNames: []string{"www.example.com", "example.com", "api.example.com"},
		EncryptionAlgorithm:     "RSA",
		EncryptionKeyLength:     2048,
		CreateTime:              time.UnixMilli(1_700_000_000_000 + int64(i)).UTC(),
		ExpireTime:              time.UnixMilli(1_800_000_000_000).UTC(),
		CertificatePEM:          string(pem),
		SealedPrivateKey:        make([]byte, 1250),
		Tags:                    []slbcert.Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: "edge"}, {Key: "n", Value: fmt.Sprint(i)}},
	}
}

func BenchmarkCreateCertificate(b *testing.B) {
	s := open(b, filepath.Join(b.TempDir(), "bench.db"))
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if err := s.CreateCertificate(ctx, benchCert(i), slbcert.DefaultServerCertificateQuota); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkCreateCertificateParallel creates from 8 goroutines per CPU, as
// concurrent uploads do: group commit shares each fsync among them.
func BenchmarkCreateCertificateParallel(b *testing.B) {
	s := open(b, filepath.Join(b.TempDir(), "bench.db"))
	ctx := context.Background()
	var next atomic.Int64
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := s.CreateCertificate(ctx, benchCert(int(next.Add(1))), slbcert.DefaultServerCertificateQuota); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// filled returns a store holding n certificates made by benchCert.
func filled(b *testing.B, n int) *Store {
	s := open(b, filepath.Join(b.TempDir(), "bench.db"))
	ctx := context.Background()
	for i := 0; i < n; i++ {
		if err := s.CreateCertificate(ctx, benchCert(i), slbcert.DefaultServerCertificateQuota); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// byID returns the filters that find each of the first n benchCerts.
func byID(n int) []slbcert.CertificateFilter {
	fs := make([]slbcert.CertificateFilter, n)
	for i := range fs {
		c := benchCert(i)
		fs[i] = slbcert.CertificateFilter{AccountID: c.AccountID, RegionID: c.RegionID, Kind: slbcert.KindServer, IDs: []string{c.ID}}
	}
	return fs
}

func findOne(s *Store, f slbcert.CertificateFilter) error {
	got, err := s.FindCertificates(context.Background(), f)
	if err == nil && (len(got) != 1 || len(got[0].Tags) != 3) {
		err = fmt.Errorf("FindCertificates(%s) = %d certificates", f.IDs[0], len(got))
	}
	return err
}

// BenchmarkFindByID looks up one certificate with its tags among 1000.
func BenchmarkFindByID(b *testing.B) {
	const rows = 1000
	s, fs := filled(b, rows), byID(rows)
	for b.Loop() {
		if err := findOne(s, fs[rand.IntN(rows)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFindByIDParallel is BenchmarkFindByID from GOMAXPROCS goroutines.
func BenchmarkFindByIDParallel(b *testing.B) {
	const rows = 1000
	s, fs := filled(b, rows), byID(rows)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := findOne(s, fs[rand.IntN(rows)]); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkListAccount lists one account's 100 certificates with their tags.
func BenchmarkListAccount(b *testing.B) {
	s := filled(b, 1000)
	ctx := context.Background()
	for b.Loop() {
		got, err := s.FindCertificates(ctx, slbcert.CertificateFilter{AccountID: "1005", RegionID: "cn-hangzhou"})
		if err != nil || len(got) != 100 {
			b.Fatalf("got %d, %v", len(got), err)
		}
	}
}

// BenchmarkUseNonce is the write every signed request makes.
func BenchmarkUseNonce(b *testing.B) {
	s := open(b, filepath.Join(b.TempDir(), "bench.db"))
	ctx := context.Background()
	expires := time.Now().Add(15 * time.Minute)
	i := 0
	for b.Loop() {
		if ok, err := s.UseNonce(ctx, "LTAIbenchkey", fmt.Sprint(i), expires); !ok || err != nil {
			b.Fatal(ok, err)
		}
		i++
	}
}
