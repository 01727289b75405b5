package postgres

import (
	"testing"

	"slbcert"
	"slbcert/storetest"
)

// BenchmarkStore runs the stores' common benchmarks on PostgreSQL, each in
// a fresh schema.
func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) slbcert.Store { return open(b, freshURL(b)) })
}
