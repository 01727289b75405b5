package sqlite_test

import (
	"context"
	"fmt"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"slbcert"
	"slbcert/sqlite"
)

// BenchmarkDataPlaneSnapshot is the read a data plane makes after every
// change: it follows the running listeners, not the stopped ones.
func BenchmarkDataPlaneSnapshot(b *testing.B) {
	for _, tc := range []struct {
		status string
		n      int
	}{{slbcert.ListenerStopped, 3000}, {slbcert.ListenerRunning, 300}, {slbcert.ListenerRunning, 3000}} {
		b.Run(fmt.Sprintf("%s-%d", tc.status, tc.n), func(b *testing.B) {
			ctx := context.Background()
			s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "slbcert.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			const account = "1000000000000001"
			now := time.Now()
			if err := s.CreateCertificate(ctx, &slbcert.Certificate{ID: "sc-1", Kind: slbcert.KindServer, AccountID: account,
				RegionID: "cn-hangzhou", Name: "c", ResourceGroupID: "rg-1", Fingerprint: "ab", CommonName: "c", EncryptionAlgorithm: "RSA",
				EncryptionKeyLength: 2048, CreateTime: now, ExpireTime: now, CertificatePEM: "pem", SealedPrivateKey: []byte("sealed")}, 10); err != nil {
				b.Fatal(err)
			}
			lb, err := s.CreateLoadBalancer(ctx, &slbcert.LoadBalancer{ID: "lb-1", AccountID: account, RegionID: "cn-hangzhou",
				Status: slbcert.LoadBalancerActive, CreateTime: now}, 10, netip.MustParsePrefix("127.9.0.0/24"))
			if err != nil {
				b.Fatal(err)
			}
			for port := 1; port <= tc.n; port++ {
				if err := s.CreateListener(ctx, account, &slbcert.Listener{LoadBalancerID: lb.ID, Port: port, Protocol: slbcert.ProtocolHTTPS,
					Status: tc.status, ServerCertificateID: "sc-1", TLSCipherPolicy: slbcert.DefaultTLSCipherPolicy, CreateTime: now,
					Config: slbcert.ListenerConfig{BackendServerPort: 80, Tags: []slbcert.Tag{}}}, tc.n); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for range b.N {
				if _, err := s.DataPlaneSnapshot(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
