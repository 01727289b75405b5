package slb_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptrace"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
)

// TestDataPlaneServesUploadedCertificates: an HTTPS listener created and
// started through the SDK serves the uploaded chain on the load balancer's
// address; a domain extension's certificate is chosen by SNI; swaps through
// SetLoadBalancerHTTPSListenerAttribute and SetDomainExtensionAttribute
// reach the next handshake as soon as the API answers, while a connection
// opened before keeps working.
func TestDataPlaneServesUploadedCertificates(t *testing.T) {
	f := newDPFixture(t)
	be := newEchoBackend(t, "i-web")
	group := f.vserverGroup(t, be)
	f.httpsListener(t, 443, map[string]string{"VServerGroupId": group})
	ext := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "api.example.org", DNSNames: []string{"api.example.org"}})
	extCert := f.k.Upload(ext.ChainPEM, ext.KeyPEM, "ext").ServerCertificateId
	de := slb.CreateCreateDomainExtensionRequest()
	de.LoadBalancerId, de.ListenerPort, de.Domain, de.ServerCertificateId = f.lb, port(443), "*.example.org", extCert
	deResp, err := f.c.CreateDomainExtension(de)
	if err != nil {
		t.Fatal(err)
	}
	addr := f.at(443)

	t.Run("ok/the uploaded chain", func(t *testing.T) {
		if got := served(t, addr, "www.example.com"); got != f.srv.ChainPEM {
			t.Fatalf("served\n%s\nuploaded\n%s", got, f.srv.ChainPEM)
		}
	})
	t.Run("ok/SNI picks the extension's certificate", func(t *testing.T) {
		if got := served(t, addr, "api.example.org"); got != ext.ChainPEM {
			t.Fatal("the extension's domain is not served its certificate")
		}
	})
	t.Run("ok/SNI falls back to the listener's certificate", func(t *testing.T) {
		for _, name := range []string{"other.example.net", "a.b.example.org", ""} {
			if got := served(t, addr, name); got != f.srv.ChainPEM {
				t.Errorf("%q: not the listener's certificate", name)
			}
		}
	})

	// A keep-alive connection opened before the swaps.
	old := clientTo(addr, tlsTo("www.example.com"))
	if resp, e := getEcho(t, old, "https://www.example.com/before"); resp.StatusCode != 200 || e.Backend != "i-web" {
		t.Fatalf("before the swap: %d %+v", resp.StatusCode, e)
	}
	t.Run("ok/a listener swap reaches the next handshake", func(t *testing.T) {
		set := slb.CreateSetLoadBalancerHTTPSListenerAttributeRequest()
		set.LoadBalancerId, set.ListenerPort, set.ServerCertificateId = f.lb, port(443), f.cert2
		if _, err := f.c.SetLoadBalancerHTTPSListenerAttribute(set); err != nil {
			t.Fatal(err)
		}
		if got := served(t, addr, "www.example.com"); got != f.srv2.ChainPEM {
			t.Fatal("the first handshake after the answer still presents the old certificate")
		}
		if got := served(t, addr, "api.example.org"); got != ext.ChainPEM {
			t.Fatal("the extension changed with the listener")
		}
	})
	t.Run("ok/the connection opened before keeps working", func(t *testing.T) {
		reused := false
		req, _ := http.NewRequest("GET", "https://www.example.com/after", nil)
		req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
			GotConn: func(i httptrace.GotConnInfo) { reused = i.Reused },
		}))
		resp, err := old.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || !reused || chainPEM(resp.TLS.PeerCertificates) != f.srv.ChainPEM {
			t.Fatalf("status %d, reused %v", resp.StatusCode, reused)
		}
	})
	t.Run("ok/an extension swap reaches the next handshake", func(t *testing.T) {
		set := slb.CreateSetDomainExtensionAttributeRequest()
		set.DomainExtensionId, set.ServerCertificateId = deResp.DomainExtensionId, f.cert
		if _, err := f.c.SetDomainExtensionAttribute(set); err != nil {
			t.Fatal(err)
		}
		if got := served(t, addr, "api.example.org"); got != f.srv.ChainPEM {
			t.Fatal("the first handshake after the answer still presents the extension's old certificate")
		}
	})
	t.Run("ok/deleting the extension falls back at once", func(t *testing.T) {
		// The old extension certificate can go now (docs/choices.md, "Load
		// balancers, listeners and certificates in use (CLB)") …
		del := slb.CreateDeleteDomainExtensionRequest()
		del.DomainExtensionId = deResp.DomainExtensionId
		if _, err := f.c.DeleteDomainExtension(del); err != nil {
			t.Fatal(err)
		}
		if got := served(t, addr, "api.example.org"); got != f.srv2.ChainPEM {
			t.Fatal("a deleted extension is still served")
		}
	})
}

// TestDataPlaneMutualTLS: with CACertificateId, the listener asks for a
// client certificate and accepts only those the CA issued.
func TestDataPlaneMutualTLS(t *testing.T) {
	f := newDPFixture(t)
	be := newEchoBackend(t, "i-web")
	clientCA := testpki.NewRoot("client CA", testpki.NewKey("p256"))
	ca := uploadCA(t, f.k, clientCA.Cert, "clients")
	f.httpsListener(t, 443, map[string]string{"VServerGroupId": f.vserverGroup(t, be), "CACertificateId": ca})

	clientCert := func(iss *testpki.Issuer) tls.Certificate {
		key := testpki.NewKey("p256")
		leaf := iss.Issue(testpki.Leaf{CommonName: "client", ClientAuth: true}, key.Public())
		return tls.Certificate{Certificate: [][]byte{leaf.Raw}, PrivateKey: key, Leaf: leaf}
	}
	for _, tc := range []struct {
		name  string
		certs []tls.Certificate
		ok    bool
	}{
		{"ok/a client certificate from the CA", []tls.Certificate{clientCert(clientCA)}, true},
		{"error/no client certificate", nil, false},
		{"error/a client certificate from another CA", []tls.Certificate{clientCert(testpki.NewRoot("other", testpki.NewKey("p256")))}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
				cfg := tlsTo("www.example.com")
				cfg.Certificates, cfg.MaxVersion = tc.certs, v
				// TLS 1.3 refuses a client certificate after the client's
				// Finished: a request surfaces it.
				resp, err := clientTo(f.at(443), cfg).Get("https://www.example.com/")
				if err == nil {
					resp.Body.Close()
				}
				if tc.ok != (err == nil && resp.StatusCode == 200) {
					t.Fatalf("%s: %v", tls.VersionName(v), err)
				}
			}
		})
	}
}

// TestDataPlaneTLSPolicies: the listener's TLSCipherPolicy decides the
// versions and suites, built-in or custom (tls-…), and changes of either
// reach the next handshake.
func TestDataPlaneTLSPolicies(t *testing.T) {
	f := newDPFixture(t)
	f.httpsListener(t, 443, nil)
	addr := f.at(443)
	probe := func(t *testing.T, name string, min, max uint16, suite uint16, ok bool) {
		t.Helper()
		cfg := tlsTo("www.example.com")
		cfg.MinVersion, cfg.MaxVersion = min, max
		if suite != 0 {
			cfg.CipherSuites = []uint16{suite}
		}
		_, err := handshakeAt(addr, cfg)
		if ok != (err == nil) {
			t.Errorf("%s: handshake error %v, want ok=%v", name, err, ok)
		}
	}
	v10, v12, v13 := uint16(tls.VersionTLS10), uint16(tls.VersionTLS12), uint16(tls.VersionTLS13)
	t.Run("ok/the default policy takes TLS 1.0", func(t *testing.T) {
		probe(t, "TLS 1.0", v10, v10, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, true)
		probe(t, "TLS 1.2", v12, v12, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, true)
		probe(t, "TLS 1.3", v13, v13, 0, false)
	})
	t.Run("error/tls_cipher_policy_1_2 refuses TLS 1.0", func(t *testing.T) {
		f.setHTTPS(t, 443, map[string]string{"TLSCipherPolicy": "tls_cipher_policy_1_2"})
		probe(t, "TLS 1.0", v10, v10, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, false)
		probe(t, "TLS 1.2", v12, v12, tls.TLS_RSA_WITH_AES_128_CBC_SHA, true)
	})
	t.Run("ok/tls_cipher_policy_1_2_strict_with_1_3", func(t *testing.T) {
		f.setHTTPS(t, 443, map[string]string{"TLSCipherPolicy": "tls_cipher_policy_1_2_strict_with_1_3"})
		probe(t, "TLS 1.3", v13, v13, 0, true)
		probe(t, "not strict: AES128-SHA", v12, v12, tls.TLS_RSA_WITH_AES_128_CBC_SHA, false)
	})
	t.Run("ok/a custom policy, and its change", func(t *testing.T) {
		out := e2e.MustCommon(t, f.c, "CreateTLSCipherPolicy", map[string]string{"RegionId": "cn-hangzhou", "Name": "only-aes128",
			"TLSVersions.1": "TLSv1.2", "Ciphers.1": "ECDHE-RSA-AES128-GCM-SHA256"})
		id := out["TLSCipherPolicyId"].(string)
		f.setHTTPS(t, 443, map[string]string{"TLSCipherPolicy": id})
		probe(t, "in the policy", v12, v12, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, true)
		probe(t, "not in the policy", v12, v12, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, false)
		probe(t, "TLS 1.3", v13, v13, 0, false)
		e2e.MustCommon(t, f.c, "SetTLSCipherPolicyAttribute", map[string]string{"RegionId": "cn-hangzhou", "TLSCipherPolicyId": id,
			"Name": "only-aes256", "TLSVersions.1": "TLSv1.2", "TLSVersions.2": "TLSv1.3",
			"Ciphers.1": "ECDHE-RSA-AES256-GCM-SHA384", "Ciphers.2": "TLS_AES_128_GCM_SHA256"})
		probe(t, "out of the policy now", v12, v12, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, false)
		probe(t, "in the policy now", v12, v12, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, true)
		probe(t, "TLS 1.3 now", v13, v13, 0, true)
	})
	t.Run("ok/EnableHttp2 offers h2", func(t *testing.T) {
		for _, tc := range []struct {
			enable, want string
		}{{"on", "h2"}, {"off", "http/1.1"}} {
			f.setHTTPS(t, 443, map[string]string{"EnableHttp2": tc.enable})
			cfg := tlsTo("www.example.com")
			cfg.NextProtos = []string{"h2", "http/1.1"}
			cs, err := handshakeAt(addr, cfg)
			if err != nil || cs.NegotiatedProtocol != tc.want {
				t.Errorf("EnableHttp2=%s: %q %v", tc.enable, cs.NegotiatedProtocol, err)
			}
		}
	})
}
