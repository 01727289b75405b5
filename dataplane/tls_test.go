package dataplane_test

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"strings"
	"testing"

	"slbcert/dataplane"
	"slbcert/internal/testpki"
)

func sameChain(t *testing.T, got tls.ConnectionState, want issued) {
	t.Helper()
	if len(got.PeerCertificates) != len(want.chain) {
		t.Fatalf("served %d certificates, want %d (%s)", len(got.PeerCertificates), len(want.chain), want.leaf.Subject.CommonName)
	}
	for i, c := range got.PeerCertificates {
		if !bytes.Equal(c.Raw, want.chain[i].Raw) {
			t.Fatalf("certificate %d served is %q, want %q", i, c.Subject.CommonName, want.chain[i].Subject.CommonName)
		}
	}
}

func TestServesTheConfiguredChain(t *testing.T) {
	for _, kind := range []string{"rsa2048", "p256"} {
		t.Run("ok/"+kind, func(t *testing.T) {
			rt := runtime(t, nil)
			cert := issue(t, kind, "www.example.com")
			l := httpsListener(t, "lb-test/https/443", cert)
			// Only the strict TLS 1.3 policy has ECDSA suites.
			l.TLSCipherPolicy = "tls_cipher_policy_1_2_strict_with_1_3"
			apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
			cs, err := handshake(t, addr(t, rt, l.ID), &tls.Config{ServerName: "www.example.com"})
			if err != nil {
				t.Fatal(err)
			}
			sameChain(t, cs, cert)
			if len(cs.VerifiedChains) == 0 {
				t.Fatal("the chain did not verify")
			}
		})
	}
}

func TestSNI(t *testing.T) {
	rt := runtime(t, nil)
	def := issue(t, "rsa2048", "default.test")
	exact := issue(t, "rsa2048", "www.example.com")
	wide := issue(t, "rsa2048", "*.example.com")
	narrow := issue(t, "rsa2048", "*.a.example.com")
	other := issue(t, "rsa2048", "shop.example.org")
	l := httpsListener(t, "lb-test/https/443", def)
	l.DomainExtensions = []dataplane.DomainExtension{
		{Domain: "*.example.com", Certificate: wide.cert},
		{Domain: "www.example.com", Certificate: exact.cert},
		{Domain: "*.a.example.com", Certificate: narrow.cert},
		{Domain: "Shop.Example.ORG", Certificate: other.cert},
	}
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	a := addr(t, rt, l.ID)
	for _, tc := range []struct {
		name, serverName string
		want             issued
	}{
		{"ok/exact beats the wildcard", "www.example.com", exact},
		{"ok/exact, any case", "WWW.Example.Com", exact},
		{"ok/wildcard", "img.example.com", wide},
		{"ok/narrower wildcard", "x.a.example.com", narrow},
		{"ok/a wildcard's own parent label", "a.example.com", wide},
		{"ok/domain configured in capitals", "shop.example.org", other},
		{"fallback/two labels under a wildcard", "x.y.a.example.com", def},
		{"fallback/the wildcard's apex", "example.com", def},
		{"fallback/unknown", "nothing.test", def},
		{"fallback/no SNI", "", def},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Names are checked against the configured domains, not the
			// certificates: skip verification, compare what is served.
			cs, err := handshake(t, a, &tls.Config{ServerName: tc.serverName, InsecureSkipVerify: true})
			if err != nil {
				t.Fatal(err)
			}
			sameChain(t, cs, tc.want)
		})
	}
}

func TestSwapReachesNewHandshakesAndKeepsOpenConnections(t *testing.T) {
	rt := runtime(t, nil)
	be := newBackend(t, "a")
	old := issue(t, "rsa2048", "www.example.com")
	renewed := issue(t, "rsa2048", "www.example.com")
	l := httpsListener(t, "lb-test/https/443", old, be.backend(100))
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	a := addr(t, rt, l.ID)

	open, err := tls.Dial("tcp", a, &tls.Config{ServerName: "www.example.com", RootCAs: roots(), NextProtos: []string{"http/1.1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()
	br := bufio.NewReader(open)
	if resp := rawRequest(t, open, br, "www.example.com", "/before"); resp.StatusCode != 200 {
		t.Fatalf("before the swap: %s", resp.Status)
	}

	l.Certificate = &renewed.cert
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	if addr(t, rt, l.ID) != a {
		t.Fatal("the swap moved the listener")
	}
	cs, err := handshake(t, a, &tls.Config{ServerName: "www.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	sameChain(t, cs, renewed)

	if resp := rawRequest(t, open, br, "www.example.com", "/after"); resp.StatusCode != 200 {
		t.Fatalf("the connection opened before the swap, after it: %s", resp.Status)
	}
	if got := open.ConnectionState().PeerCertificates[0]; !bytes.Equal(got.Raw, old.leaf.Raw) {
		t.Fatal("the open connection changed certificate")
	}
}

func TestSwapEndsResumptionOfOldSessions(t *testing.T) {
	rt := runtime(t, nil)
	old := issue(t, "rsa2048", "www.example.com")
	renewed := issue(t, "rsa2048", "www.example.com")
	l := httpsListener(t, "lb-test/https/443", old)
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	a := addr(t, rt, l.ID)
	cache := tls.NewLRUClientSessionCache(4)
	cfg := func() *tls.Config {
		return &tls.Config{ServerName: "www.example.com", RootCAs: roots(), ClientSessionCache: cache}
	}
	if _, err := handshake(t, a, cfg()); err != nil {
		t.Fatal(err)
	}
	cs, err := handshake(t, a, cfg())
	if err != nil {
		t.Fatal(err)
	}
	if !cs.DidResume {
		t.Fatal("the second handshake did not resume: the test cannot see what a swap does")
	}
	l.Certificate = &renewed.cert
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	cs, err = handshake(t, a, cfg())
	if err != nil {
		t.Fatal(err)
	}
	if cs.DidResume {
		t.Fatal("a session made before the swap resumed after it")
	}
	sameChain(t, cs, renewed)
}

func TestMutualTLS(t *testing.T) {
	rt := runtime(t, nil)
	be := newBackend(t, "a")
	cert := issue(t, "rsa2048", "www.example.com")
	clientCA := testpki.NewRoot("client CA", testpki.NewKey("p256"))
	otherCA := testpki.NewRoot("another CA", testpki.NewKey("p256"))
	clientCert := func(iss *testpki.Issuer) tls.Certificate {
		key := testpki.Key("p256")
		leaf := iss.Issue(testpki.Leaf{CommonName: "client", ClientAuth: true}, key.Public())
		return tls.Certificate{Certificate: [][]byte{leaf.Raw}, PrivateKey: key, Leaf: leaf}
	}
	l := httpsListener(t, "lb-test/https/443", cert, be.backend(100))
	l.ClientCAs = []byte(testpki.ChainPEM(clientCA.Cert))
	for _, policy := range []string{"tls_cipher_policy_1_2", "tls_cipher_policy_1_2_strict_with_1_3"} {
		l.TLSCipherPolicy = policy
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		a := addr(t, rt, l.ID)
		t.Run("ok/client certificate from the CA/"+policy, func(t *testing.T) {
			cs, err := handshake(t, a, &tls.Config{ServerName: "www.example.com", Certificates: []tls.Certificate{clientCert(clientCA)}})
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !cs.HandshakeComplete {
				t.Fatal("no handshake")
			}
		})
		t.Run("error/no client certificate/"+policy, func(t *testing.T) {
			if _, err := handshake(t, a, &tls.Config{ServerName: "www.example.com"}); err == nil {
				t.Fatal("a client without a certificate got through")
			}
		})
		t.Run("error/client certificate from another CA/"+policy, func(t *testing.T) {
			if _, err := handshake(t, a, &tls.Config{ServerName: "www.example.com", Certificates: []tls.Certificate{clientCert(otherCA)}}); err == nil {
				t.Fatal("a client certificate from another CA got through")
			}
		})
	}
	t.Run("ok/mutual TLS turned off", func(t *testing.T) {
		l.ClientCAs = nil
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		if _, err := handshake(t, addr(t, rt, l.ID), &tls.Config{ServerName: "www.example.com"}); err != nil {
			t.Fatalf("refused without mutual TLS: %v", err)
		}
	})
}

func TestPolicies(t *testing.T) {
	rt := runtime(t, nil)
	rsa := issue(t, "rsa2048", "www.example.com")
	ec := issue(t, "p256", "www.example.com")
	type probe struct {
		name     string
		min, max uint16
		suite    uint16 // 0: the client's defaults
		ok       bool
	}
	v10, v11, v12, v13 := uint16(tls.VersionTLS10), uint16(tls.VersionTLS11), uint16(tls.VersionTLS12), uint16(tls.VersionTLS13)
	s13 := []probe{
		{"ECDHE-RSA-AES128-GCM-SHA256", v12, v12, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, true},
		{"ECDHE-RSA-AES256-GCM-SHA384", v12, v12, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, true},
		{"ECDHE-RSA-AES128-SHA256", v12, v12, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, true},
		{"AES128-GCM-SHA256", v12, v12, tls.TLS_RSA_WITH_AES_128_GCM_SHA256, true},
		{"AES256-GCM-SHA384", v12, v12, tls.TLS_RSA_WITH_AES_256_GCM_SHA384, true},
		{"AES128-SHA256", v12, v12, tls.TLS_RSA_WITH_AES_128_CBC_SHA256, true},
		{"ECDHE-RSA-AES128-SHA", v12, v12, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, true},
		{"ECDHE-RSA-AES256-SHA", v12, v12, tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, true},
		{"AES128-SHA", v12, v12, tls.TLS_RSA_WITH_AES_128_CBC_SHA, true},
		{"AES256-SHA", v12, v12, tls.TLS_RSA_WITH_AES_256_CBC_SHA, true},
		{"DES-CBC3-SHA", v12, v12, tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA, true},
		{"not in the policy: ECDHE-RSA-CHACHA20-POLY1305", v12, v12, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, false},
		{"TLS 1.3 only", v13, v13, 0, false},
	}
	for _, tc := range []struct {
		policy string
		cert   issued
		probes []probe
	}{
		{"", rsa, append([]probe{
			{"TLS 1.0", v10, v10, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, true},
			{"TLS 1.0 DES-CBC3-SHA", v10, v10, tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA, true},
			{"TLS 1.1", v11, v11, tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, true},
		}, s13...)},
		{"tls_cipher_policy_1_0", rsa, append([]probe{
			{"TLS 1.0", v10, v10, tls.TLS_RSA_WITH_AES_128_CBC_SHA, true},
		}, s13...)},
		{"tls_cipher_policy_1_1", rsa, append([]probe{
			{"TLS 1.0", v10, v10, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, false},
			{"TLS 1.1", v11, v11, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, true},
		}, s13...)},
		{"tls_cipher_policy_1_2", rsa, append([]probe{
			{"TLS 1.0", v10, v10, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, false},
			{"TLS 1.1", v11, v11, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, false},
		}, s13...)},
		{"tls_cipher_policy_1_2_strict", rsa, []probe{
			{"TLS 1.1", v11, v11, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, false},
			{"ECDHE-RSA-AES128-GCM-SHA256", v12, v12, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, true},
			{"ECDHE-RSA-AES256-GCM-SHA384", v12, v12, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, true},
			{"ECDHE-RSA-AES128-SHA256", v12, v12, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, true},
			{"ECDHE-RSA-AES128-SHA", v12, v12, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, true},
			{"ECDHE-RSA-AES256-SHA", v12, v12, tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, true},
			{"not strict: AES128-GCM-SHA256", v12, v12, tls.TLS_RSA_WITH_AES_128_GCM_SHA256, false},
			{"not strict: AES128-SHA", v12, v12, tls.TLS_RSA_WITH_AES_128_CBC_SHA, false},
			{"not strict: DES-CBC3-SHA", v12, v12, tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA, false},
			{"TLS 1.3 only", v13, v13, 0, false},
		}},
		{"tls_cipher_policy_1_2_strict_with_1_3", rsa, []probe{
			{"TLS 1.1", v11, v11, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, false},
			{"TLS 1.3", v13, v13, 0, true},
			{"ECDHE-RSA-AES128-GCM-SHA256", v12, v12, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, true},
			{"ECDHE-RSA-AES128-SHA", v12, v12, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, true},
			{"not strict: AES128-GCM-SHA256", v12, v12, tls.TLS_RSA_WITH_AES_128_GCM_SHA256, false},
			{"not strict: DES-CBC3-SHA", v12, v12, tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA, false},
		}},
		{"tls_cipher_policy_1_2_strict_with_1_3", ec, []probe{
			{"ECDSA TLS 1.3", v13, v13, 0, true},
			{"ECDHE-ECDSA-AES128-GCM-SHA256", v12, v12, tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, true},
			{"ECDHE-ECDSA-AES256-GCM-SHA384", v12, v12, tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, true},
			{"ECDHE-ECDSA-AES128-SHA256", v12, v12, tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, true},
			{"ECDHE-ECDSA-AES128-SHA", v12, v12, tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, true},
			{"ECDHE-ECDSA-AES256-SHA", v12, v12, tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, true},
		}},
		{"tls_cipher_policy_1_2", ec, []probe{
			{"ECDSA under a policy without ECDSA suites", v12, v12, tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, false},
			{"ECDSA under a policy without ECDSA suites, client defaults", v10, v13, 0, false},
		}},
	} {
		l := httpsListener(t, "lb-test/https/443", tc.cert)
		l.TLSCipherPolicy = tc.policy
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		a := addr(t, rt, l.ID)
		st, _ := rt.Status(l.ID)
		name := tc.policy
		if name == "" {
			name = "default"
		}
		if tc.cert.leaf == ec.leaf {
			name += "/ecdsa"
			if (st.Warning != "") != (tc.policy != "tls_cipher_policy_1_2_strict_with_1_3") {
				t.Errorf("%s: warning %q", name, st.Warning)
			}
		}
		for _, p := range tc.probes {
			verdict := "error"
			if p.ok {
				verdict = "ok"
			}
			t.Run(verdict+"/"+name+"/"+p.name, func(t *testing.T) {
				cfg := &tls.Config{ServerName: "www.example.com", MinVersion: p.min, MaxVersion: p.max}
				if p.suite != 0 {
					cfg.CipherSuites = []uint16{p.suite}
				}
				cs, err := handshake(t, a, cfg)
				if p.ok != (err == nil) {
					t.Fatalf("handshake error %v, want ok=%v", err, p.ok)
				}
				if p.ok && p.suite != 0 && cs.CipherSuite != p.suite {
					t.Fatalf("negotiated %s", tls.CipherSuiteName(cs.CipherSuite))
				}
				if p.ok && p.min == p.max && cs.Version != p.min {
					t.Fatalf("negotiated %s", tls.VersionName(cs.Version))
				}
			})
		}
	}
}

func TestPolicyTable(t *testing.T) {
	names := []string{"tls_cipher_policy_1_0", "tls_cipher_policy_1_1", "tls_cipher_policy_1_2",
		"tls_cipher_policy_1_2_strict", "tls_cipher_policy_1_2_strict_with_1_3"}
	if len(dataplane.Policies) != len(names) {
		t.Fatalf("%d policies, want %d", len(dataplane.Policies), len(names))
	}
	for _, n := range names {
		p, ok := dataplane.Policies[n]
		if !ok {
			t.Fatalf("no %s", n)
		}
		// Every suite offered is one Go implements, never one Go
		// considers broken beyond the insecure list.
		for _, s := range p.CipherSuites {
			if tls.CipherSuiteName(s)[0] == '0' {
				t.Errorf("%s: unknown suite %#04x", n, s)
			}
		}
		for _, u := range p.Unsupported {
			if strings.ContainsAny(u, " ") {
				t.Errorf("%s: %q", n, u)
			}
		}
	}
}

func TestHTTP2ByALPN(t *testing.T) {
	rt := runtime(t, nil)
	be := newBackend(t, "a")
	cert := issue(t, "rsa2048", "www.example.com")
	l := httpsListener(t, "lb-test/https/443", cert, be.backend(100))
	for _, tc := range []struct {
		http2 bool
		want  string
	}{{true, "HTTP/2.0"}, {false, "HTTP/1.1"}, {true, "HTTP/2.0"}} {
		l.HTTP2 = tc.http2
		apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
		resp, body := get(t, client(addr(t, rt, l.ID), true), "https://www.example.com/x")
		if resp.Proto != tc.want || resp.StatusCode != 200 {
			t.Fatalf("EnableHttp2=%v: %s %s", tc.http2, resp.Proto, resp.Status)
		}
		if e := echoOf(t, body); e.URI != "/x" || e.Host != "www.example.com" {
			t.Fatalf("the backend saw %+v", e)
		}
	}
}

func TestHTTP2OnlyWhereItCanWork(t *testing.T) {
	rt := runtime(t, nil)
	be := newBackend(t, "a")
	cert := issue(t, "rsa2048", "www.example.com")
	l := httpsListener(t, "lb-test/https/443", cert, be.backend(100))
	l.TLSCipherPolicy = "tls_cipher_policy_1_0"
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	a := addr(t, rt, l.ID)
	for _, tc := range []struct {
		name     string
		max      uint16
		suites   []uint16
		protocol string
	}{
		{"ok/TLS 1.2 with an AEAD suite", tls.VersionTLS12, nil, "h2"},
		{"ok/TLS 1.1 asking for h2 gets http/1.1", tls.VersionTLS11, nil, "http/1.1"},
		{"ok/TLS 1.2 with CBC suites only gets http/1.1", tls.VersionTLS12,
			[]uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, tls.TLS_RSA_WITH_AES_128_GCM_SHA256}, "http/1.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs, err := handshake(t, a, &tls.Config{ServerName: "www.example.com", MinVersion: tls.VersionTLS10,
				MaxVersion: tc.max, CipherSuites: tc.suites, NextProtos: []string{"h2", "http/1.1"}})
			if err != nil {
				t.Fatal(err)
			}
			if cs.NegotiatedProtocol != tc.protocol {
				t.Fatalf("ALPN %q, want %q", cs.NegotiatedProtocol, tc.protocol)
			}
		})
	}
}

func TestRefusedConfigurationKeepsServingThePrevious(t *testing.T) {
	rt := runtime(t, nil)
	cert := issue(t, "rsa2048", "www.example.com")
	l := httpsListener(t, "lb-test/https/443", cert)
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	a := addr(t, rt, l.ID)
	bad := l
	bad.Certificate = &dataplane.Certificate{ID: "broken", Chain: cert.cert.Chain, Key: []byte("not a key")}
	if err := rt.Apply(dataplane.Config{Listeners: []dataplane.Listener{bad}}); err == nil {
		t.Fatal("a broken key was applied")
	}
	st, _ := rt.Status(l.ID)
	if !st.Serving || !strings.Contains(st.Err, "broken") {
		t.Fatalf("status %+v", st)
	}
	cs, err := handshake(t, a, &tls.Config{ServerName: "www.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	sameChain(t, cs, cert)
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	if st, _ := rt.Status(l.ID); st.Err != "" {
		t.Fatalf("the error stayed: %+v", st)
	}

	t.Run("error/new listener not started", func(t *testing.T) {
		nl := bad
		nl.ID = "lb-test/https/444"
		nl.Bind = loopback(t) + ":0"
		if err := rt.Apply(dataplane.Config{Listeners: []dataplane.Listener{l, nl}}); err == nil {
			t.Fatal("applied")
		}
		if st, ok := rt.Status(nl.ID); !ok || st.Serving || st.Err == "" {
			t.Fatalf("status %+v", st)
		}
		addr(t, rt, l.ID) // the good one still serves
	})
}

// TestUnchangedListenerKeepsItsState: a Config is applied after every
// change anywhere; a listener whose configuration did not change keeps its
// TLS state (sessions resume) and its round robin goes on where it was.
func TestUnchangedListenerKeepsItsState(t *testing.T) {
	rt := runtime(t, nil)
	a, b := newBackend(t, "a"), newBackend(t, "b")
	l := httpsListener(t, "lb-test/https/443", issue(t, "rsa2048", "www.example.com"))
	plain := dataplane.Listener{ID: "lb-test/http/80", Bind: loopback(t) + ":0", Protocol: dataplane.ProtocolHTTP,
		Backends: []dataplane.Backend{a.backend(1), b.backend(1)}, Scheduler: dataplane.SchedulerRR}
	other := httpsListener(t, "lb-test/https/8443", issue(t, "rsa2048", "www.example.com"))
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l, plain, other}})
	cache := tls.NewLRUClientSessionCache(4)
	cfg := func() *tls.Config {
		return &tls.Config{ServerName: "www.example.com", RootCAs: roots(), ClientSessionCache: cache}
	}
	if _, err := handshake(t, addr(t, rt, l.ID), cfg()); err != nil {
		t.Fatal(err)
	}
	c := client(addr(t, rt, plain.ID), false)
	_, body := get(t, c, "http://www.example.com/")
	first := echoOf(t, body).Backend
	// The same configuration again, as fresh copies, with another
	// listener changed.
	again := l
	again.Certificate = &dataplane.Certificate{ID: l.Certificate.ID,
		Chain: append([]byte{}, l.Certificate.Chain...), Key: append([]byte{}, l.Certificate.Key...)}
	plainAgain := plain
	plainAgain.Backends = []dataplane.Backend{a.backend(1), b.backend(1)}
	other.Gzip = true
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{again, plainAgain, other}})
	cs, err := handshake(t, addr(t, rt, l.ID), cfg())
	if err != nil {
		t.Fatal(err)
	}
	if !cs.DidResume {
		t.Error("a session did not resume after an unchanged listener was applied again")
	}
	_, body = get(t, c, "http://www.example.com/")
	if next := echoOf(t, body).Backend; next == first {
		t.Errorf("round robin restarted: %s twice", next)
	}
}
