package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slbcert/rpc"
	"slbcert/slb"
	"sync/atomic"
	"testing"
	"time"

	"slbcert"
)

// BenchCertificates runs the same certificate benchmarks on every store:
// creates alone and from 8 goroutines per CPU, finds by id among 1000
// (alone and in parallel), one account's listing of 100. open returns a
// fresh, empty store and registers its cleanup with b.
func BenchCertificates(b *testing.B, open func(b *testing.B) slb.CertificateStore) {
	b.Run("CreateCertificate", func(b *testing.B) {
		s := open(b)
		i := 0
		for b.Loop() {
			benchCreate(b, s, i)
			i++
		}
	})
	b.Run("CreateCertificateParallel", func(b *testing.B) {
		s := open(b)
		var next atomic.Int64
		b.SetParallelism(8) // concurrent uploads, which group commit shares fsyncs among
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				benchCreate(b, s, int(next.Add(1)))
			}
		})
	})
	b.Run("FindByID", func(b *testing.B) {
		s, fs := benchFilled(b, open, 1000)
		for b.Loop() {
			benchFindOne(b, s, fs[rand.IntN(len(fs))])
		}
	})
	b.Run("FindByIDParallel", func(b *testing.B) {
		s, fs := benchFilled(b, open, 1000)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				benchFindOne(b, s, fs[rand.IntN(len(fs))])
			}
		})
	})
	b.Run("ListAccount", func(b *testing.B) {
		s, _ := benchFilled(b, open, 1000)
		for b.Loop() {
			got, err := s.FindCertificates(context.Background(), slb.CertificateFilter{AccountID: "1005", RegionID: "cn-hangzhou"})
			if err != nil || len(got) != 100 {
				b.Fatalf("got %d, %v", len(got), err)
			}
		}
	})
}

// BenchNonces times the nonce every signed request writes, on every store.
func BenchNonces(b *testing.B, open func(b *testing.B) rpc.Nonces) {
	b.Run("UseNonce", func(b *testing.B) {
		s := open(b)
		expires := time.Now().Add(15 * time.Minute)
		i := 0
		for b.Loop() {
			if ok, err := s.UseNonce(context.Background(), "LTAIbenchkey", fmt.Sprint(i), expires); !ok || err != nil {
				b.Fatal(ok, err)
			}
			i++
		}
	})
}

// benchCert is a server certificate of realistic size: a two-certificate
// chain, a sealed 2048-bit RSA key, three SANs and three tags. Accounts hold
// 100 certificates each, like the default quota.
func benchCert(i int) *slb.Certificate {
	pem := make([]byte, 3500)
	for j := range pem {
		pem[j] = 'A' + byte(j%26)
	}
	return &slb.Certificate{
		ID:                      fmt.Sprintf("%d-cn-hangzhou-%08d", 1000+i/100, i),
		Kind:                    slb.KindServer,
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

func benchCreate(b *testing.B, s slb.CertificateStore, i int) {
	if err := s.CreateCertificate(context.Background(), benchCert(i), slb.DefaultServerCertificateQuota); err != nil {
		b.Fatal(err)
	}
}

// benchFilled returns a store holding n benchCerts and the filters that
// find each by id.
func benchFilled(b *testing.B, open func(b *testing.B) slb.CertificateStore, n int) (slb.CertificateStore, []slb.CertificateFilter) {
	s := open(b)
	fs := make([]slb.CertificateFilter, n)
	for i := range fs {
		c := benchCert(i)
		benchCreate(b, s, i)
		fs[i] = slb.CertificateFilter{AccountID: c.AccountID, RegionID: c.RegionID, Kind: slb.KindServer, IDs: []string{c.ID}}
	}
	b.ResetTimer()
	return s, fs
}

func benchFindOne(b *testing.B, s slb.CertificateStore, f slb.CertificateFilter) {
	got, err := s.FindCertificates(context.Background(), f)
	if err == nil && (len(got) != 1 || len(got[0].Tags) != 3) {
		err = fmt.Errorf("FindCertificates(%s) = %d certificates", f.IDs[0], len(got))
	}
	if err != nil {
		b.Fatal(err)
	}
}
