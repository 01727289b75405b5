package dataplane_test

import (
	"crypto/tls"
	"slices"
	"strings"
	"testing"

	"slbcert/dataplane"
)

func TestCustomPolicy(t *testing.T) {
	v10, v11, v12, v13 := uint16(tls.VersionTLS10), uint16(tls.VersionTLS11), uint16(tls.VersionTLS12), uint16(tls.VersionTLS13)
	for _, tc := range []struct {
		name               string
		versions, ciphers  []string
		min, max           uint16
		suites             []uint16
		unsupported, error string
	}{
		{name: "ok/TLS 1.2, two suites", versions: []string{"TLSv1.2"}, ciphers: []string{"ECDHE-RSA-AES128-GCM-SHA256", "AES128-SHA"},
			min: v12, max: v12, suites: []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_RSA_WITH_AES_128_CBC_SHA}},
		{name: "ok/a gap in the versions is a range", versions: []string{"TLSv1.2", "TLSv1.0"}, ciphers: []string{"ECDHE-RSA-AES128-SHA"},
			min: v10, max: v12, suites: []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA}},
		{name: "ok/TLS 1.1 with 1.3", versions: []string{"TLSv1.1", "TLSv1.3"}, ciphers: []string{"AES256-SHA", "TLS_AES_128_GCM_SHA256"},
			min: v11, max: v13, suites: []uint16{tls.TLS_RSA_WITH_AES_256_CBC_SHA}},
		{name: "ok/TLS 1.3 only", versions: []string{"TLSv1.3"}, ciphers: []string{"TLS_CHACHA20_POLY1305_SHA256"},
			min: v13, max: v13, suites: []uint16{}},
		{name: "ok/TLS 1.2 and 1.3 with only TLS 1.3 suites", versions: []string{"TLSv1.2", "TLSv1.3"}, ciphers: []string{"TLS_AES_256_GCM_SHA384"},
			min: v13, max: v13, suites: []uint16{}},
		{name: "ok/TLS 1.3 with only the CCM suites Go lacks", versions: []string{"TLSv1.2", "TLSv1.3"},
			ciphers: []string{"TLS_AES_128_CCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"},
			min:     v12, max: v12, suites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}, unsupported: "TLS_AES_128_CCM_SHA256"},
		{name: "ok/suites Go lacks are listed", versions: []string{"TLSv1.2"}, ciphers: []string{"AES256-SHA256", "AES128-SHA256", "ECDHE-RSA-AES256-SHA384"},
			min: v12, max: v12, suites: []uint16{tls.TLS_RSA_WITH_AES_128_CBC_SHA256}, unsupported: "AES256-SHA256,ECDHE-RSA-AES256-SHA384"},
		{name: "error/only suites Go lacks", versions: []string{"TLSv1.2"}, ciphers: []string{"AES256-SHA256"}, error: "no TLS version"},
		{name: "error/unknown suite", versions: []string{"TLSv1.2"}, ciphers: []string{"RC4-SHA"}, error: "unknown cipher suite"},
		{name: "error/unknown version", versions: []string{"SSLv3"}, ciphers: []string{"AES128-SHA"}, error: "unknown TLS version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := dataplane.CustomPolicy(tc.versions, tc.ciphers)
			if tc.error != "" {
				if err == nil || !strings.Contains(err.Error(), tc.error) {
					t.Fatalf("error %v, want %q", err, tc.error)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.MinVersion != tc.min || p.MaxVersion != tc.max || p.CipherSuites == nil ||
				!slices.Equal(p.CipherSuites, tc.suites) || strings.Join(p.Unsupported, ",") != tc.unsupported {
				t.Fatalf("got %s–%s %v unsupported %v", tls.VersionName(p.MinVersion), tls.VersionName(p.MaxVersion), p.CipherSuites, p.Unsupported)
			}
		})
	}
}

func TestCustomPolicyServed(t *testing.T) {
	rt := runtime(t, nil)
	rsa := issue(t, "rsa2048", "www.example.com")
	p, err := dataplane.CustomPolicy([]string{"TLSv1.1", "TLSv1.2"}, []string{"ECDHE-RSA-AES128-SHA"})
	if err != nil {
		t.Fatal(err)
	}
	l := httpsListener(t, "lb-test/https/443", rsa)
	l.TLSCipherPolicy, l.Policy = "tls-custom", &p
	apply(t, rt, dataplane.Config{Listeners: []dataplane.Listener{l}})
	a := addr(t, rt, l.ID)
	for _, tc := range []struct {
		name     string
		min, max uint16
		suite    uint16
		ok       bool
	}{
		{"ok/TLS 1.1 with the suite", tls.VersionTLS11, tls.VersionTLS11, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, true},
		{"ok/TLS 1.2 with the suite", tls.VersionTLS12, tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, true},
		{"error/TLS 1.0", tls.VersionTLS10, tls.VersionTLS10, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, false},
		{"error/TLS 1.3", tls.VersionTLS13, tls.VersionTLS13, 0, false},
		{"error/a suite outside the policy", tls.VersionTLS12, tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &tls.Config{ServerName: "www.example.com", MinVersion: tc.min, MaxVersion: tc.max}
			if tc.suite != 0 {
				cfg.CipherSuites = []uint16{tc.suite}
			}
			_, err := handshake(t, a, cfg)
			if tc.ok != (err == nil) {
				t.Fatalf("handshake error %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestRefusedByTheConfigBuilder(t *testing.T) {
	rt := runtime(t, nil)
	l := httpsListener(t, "lb-test/https/443", issue(t, "rsa2048", "www.example.com"))
	l.Refused = "the private key of certificate sc-1 does not unseal"
	if err := rt.Apply(dataplane.Config{Listeners: []dataplane.Listener{l}}); err == nil {
		t.Fatal("a refused listener applied without error")
	}
	st, ok := rt.Status(l.ID)
	if !ok || st.Serving || !strings.Contains(st.Err, "does not unseal") {
		t.Fatalf("status %+v", st)
	}
}
