package certs

import (
	"crypto/tls"
	"testing"
)

// benchInputs are the uploads the benchmarks parse: leaf + intermediate
// (RSA 2048 for RSA leaves, P-384 for ECDSA ones, as public CAs do) and the
// key in its algorithm's traditional encoding.
func benchInputs() []struct{ name, cert, key string } {
	var in []struct{ name, cert, key string }
	for _, k := range []struct{ name, key string }{
		{"rsa2048", "rsa2048"}, {"rsa4096", "rsa4096"}, {"p256", "p256"}, {"p384", "p384"},
	} {
		f := leaf(k.key)
		in = append(in, struct{ name, cert, key string }{k.name, certsPEM(f.chain()...), nativeKey(f.key)})
	}
	// Without the intermediate there is no signature to verify: the
	// difference with the chain shows what the order check costs.
	for _, k := range []string{"rsa2048", "p256"} {
		f := leaf(k)
		in = append(in, struct{ name, cert, key string }{k + "-leafonly", certsPEM(f.leaf), nativeKey(f.key)})
	}
	return in
}

func BenchmarkParseServer(b *testing.B) {
	rules := Rules{RSABits: []int{1024, 2048, 4096}, ECC: true}
	for _, in := range benchInputs() {
		b.Run(in.name, func(b *testing.B) {
			if _, err := ParseServer(in.cert, in.key, rules, testNow); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseServer(in.cert, in.key, rules, testNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkX509KeyPair is the floor ParseServer compares with: the standard
// library's own PEM pair loading (parse leaf and key, match them) on the same
// inputs, without chain, rules or reported fields.
func BenchmarkX509KeyPair(b *testing.B) {
	for _, in := range benchInputs() {
		b.Run(in.name, func(b *testing.B) {
			cert, key := []byte(in.cert), []byte(in.key)
			if _, err := tls.X509KeyPair(cert, key); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tls.X509KeyPair(cert, key); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
