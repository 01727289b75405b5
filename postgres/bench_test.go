package postgres

import (
	"testing"

	"slbcert/rpc"
	"slbcert/slb"
	"slbcert/storetest"
)

// BenchmarkStore runs the stores' common certificate and nonce benchmarks
// on PostgreSQL, each in a fresh schema.
func BenchmarkStore(b *testing.B) {
	storetest.BenchCertificates(b, func(b *testing.B) slb.CertificateStore { return open(b, freshURL(b)) })
	storetest.BenchNonces(b, func(b *testing.B) rpc.Nonces { return open(b, freshURL(b)) })
}

// BenchmarkDataPlaneSnapshot is the read a data plane makes after every
// change, on PostgreSQL in a fresh schema.
func BenchmarkDataPlaneSnapshot(b *testing.B) {
	storetest.BenchDataPlaneSnapshot(b, openLBBench)
}

// BenchmarkLoadBalancerReads are the reads every load-balancer request
// makes, on PostgreSQL in a fresh schema.
func BenchmarkLoadBalancerReads(b *testing.B) {
	storetest.BenchLoadBalancerReads(b, openLBBench)
}

func openLBBench(b *testing.B) storetest.LoadBalancerStore { return open(b, freshURL(b)) }
