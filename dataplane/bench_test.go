package dataplane_test

import (
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/netip"
	"testing"

	"slbcert/dataplane"
)

// benchListener serves cert with one backend, under the strict TLS 1.3
// policy (the only one taking ECDSA).
func benchListener(b *testing.B, kind string) string {
	rt := runtime(b, nil)
	be := newBackend(b, "a")
	be.setHandler(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	l := httpsListener(b, "lb-bench/https/443", issue(b, kind, "www.example.com"), be.backend(100))
	l.TLSCipherPolicy = "tls_cipher_policy_1_2_strict_with_1_3"
	apply(b, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	return addr(b, rt, l.ID)
}

// BenchmarkHandshake is full TLS 1.3 handshakes (no resumption), client
// and server in this process.
func BenchmarkHandshake(b *testing.B) {
	for _, kind := range []string{"rsa2048", "p256"} {
		b.Run(kind, func(b *testing.B) {
			a := benchListener(b, kind)
			cfg := &tls.Config{ServerName: "www.example.com", RootCAs: roots()}
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					c, err := tls.Dial("tcp", a, cfg)
					if err != nil {
						b.Fatal(err)
					}
					c.Close()
				}
			})
		})
	}
}

// BenchmarkKeepAlive is proxied requests on kept-alive connections, client,
// data plane and backend in this process.
func BenchmarkKeepAlive(b *testing.B) {
	for _, h2 := range []bool{false, true} {
		name := "http1"
		if h2 {
			name = "h2"
		}
		b.Run(name, func(b *testing.B) {
			a := benchListener(b, "p256")
			c := client(a, h2)
			c.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					resp, err := c.Get("https://www.example.com/")
					if err != nil {
						b.Fatal(err)
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
		})
	}
}

// BenchmarkTCPConnections is a new connection through a TCP listener to a
// backend that writes one byte and closes, 32 clients at a time; with
// acl300, through a white list of 300 entries.
func BenchmarkTCPConnections(b *testing.B) {
	for _, acl := range []bool{false, true} {
		name := "no ACL"
		if acl {
			name = "ACL of 300"
		}
		b.Run(name, func(b *testing.B) {
			rt := runtime(b, nil)
			be := newTCPEcho(b, "a")
			be.greet.Store(true)
			l := tcpListener(b, "lb_tcp_80", be.backend(100))
			l.HealthCheck.Enabled = false
			if acl {
				var entries []netip.Prefix
				for i := range 299 {
					entries = append(entries, netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i / 250), byte(i % 250), 0}), 24))
				}
				entries = append(entries, netip.MustParsePrefix("127.0.0.0/8"))
				l.AccessControl = []dataplane.AccessControl{{Type: dataplane.AccessWhite, Entries: entries}}
			}
			if err := rt.Apply(dataplane.Config{Listeners: []dataplane.Listener{l}}); err != nil {
				b.Fatal(err)
			}
			a := addr(b, rt, l.ID)
			b.SetParallelism(16)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				buf := make([]byte, 2)
				for pb.Next() {
					c, err := net.Dial("tcp", a)
					if err != nil {
						b.Error(err)
						return
					}
					if _, err := io.ReadFull(c, buf); err != nil {
						b.Error(err)
					}
					c.(*net.TCPConn).SetLinger(0)
					c.Close()
				}
			})
		})
	}
}
