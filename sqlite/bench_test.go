package sqlite

import (
	"path/filepath"
	"testing"

	"slbcert/rpc"
	"slbcert/slb"
	"slbcert/storetest"
)

// BenchmarkStore runs the stores' common certificate and nonce benchmarks
// on a SQLite file.
func BenchmarkStore(b *testing.B) {
	storetest.BenchCertificates(b, func(b *testing.B) slb.CertificateStore { return open(b, filepath.Join(b.TempDir(), "bench.db")) })
	storetest.BenchNonces(b, func(b *testing.B) rpc.Nonces { return open(b, filepath.Join(b.TempDir(), "bench.db")) })
}

// BenchmarkDataPlaneSnapshot is the read a data plane makes after every
// change, on a SQLite file.
func BenchmarkDataPlaneSnapshot(b *testing.B) {
	storetest.BenchDataPlaneSnapshot(b, openLBBench)
}

// BenchmarkLoadBalancerReads are the reads every load-balancer request
// makes, on a SQLite file.
func BenchmarkLoadBalancerReads(b *testing.B) {
	storetest.BenchLoadBalancerReads(b, openLBBench)
}

func openLBBench(b *testing.B) storetest.LoadBalancerStore {
	return open(b, filepath.Join(b.TempDir(), "bench.db"))
}
