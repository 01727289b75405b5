package dataplane

import (
	"context"
	"testing"

	"slbcert/internal/testpki"
)

// TestKeyPairsFollowTheListeners: the parsed certificates of a listener
// stay cached while it is applied again unchanged, and go with it.
func TestKeyPairsFollowTheListeners(t *testing.T) {
	rt := New(Options{})
	t.Cleanup(func() { rt.Shutdown(context.Background()) })
	root := testpki.NewRoot("key pairs test root", testpki.NewKey("p256"))
	certificate := func(id, name string) Certificate {
		key := testpki.Key("p256")
		leaf := root.Issue(testpki.Leaf{CommonName: name, DNSNames: []string{name}}, key.Public())
		return Certificate{ID: id, Chain: []byte(testpki.ChainPEM(leaf, root.Cert)), Key: []byte(testpki.KeyPEM(key))}
	}
	def := certificate("cert-default", "www.example.com")
	l := Listener{ID: "lb-test/https/443", LoadBalancerID: "lb-test", Address: "198.51.100.7", Bind: "127.0.0.1:0",
		Protocol: ProtocolHTTPS, ListenerPort: 443, Certificate: &def,
		DomainExtensions: []DomainExtension{{Domain: "api.example.com", Certificate: certificate("cert-api", "api.example.com")}}}
	cached := func() int {
		rt.keyPairs.mu.Lock()
		defer rt.keyPairs.mu.Unlock()
		return len(rt.keyPairs.byID)
	}
	for i := range 3 {
		if err := rt.Apply(Config{Listeners: []Listener{l}}); err != nil {
			t.Fatal(err)
		}
		if n := cached(); n != 2 {
			t.Fatalf("apply %d: %d key pairs cached, want the listener's 2", i+1, n)
		}
	}
	if err := rt.Apply(Config{}); err != nil {
		t.Fatal(err)
	}
	if n := cached(); n != 0 {
		t.Fatalf("%d key pairs cached after the listener went", n)
	}
}
