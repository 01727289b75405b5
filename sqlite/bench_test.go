package sqlite

import (
	"path/filepath"
	"testing"

	"slbcert"
	"slbcert/storetest"
)

// BenchmarkStore runs the stores' common benchmarks on a SQLite file.
func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) slbcert.Store { return open(b, filepath.Join(b.TempDir(), "bench.db")) })
}
