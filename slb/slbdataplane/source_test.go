package slbdataplane_test

import (
	"context"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"slbcert"
	"slbcert/dataplane"
	"slbcert/internal/testpki"
	"slbcert/keyring"
	"slbcert/slb"
	"slbcert/slb/slbdataplane"
	"slbcert/sqlite"
)

const account = "1234567890123456"

var ctx = context.Background()

// fixture is a real SQLite store with one active load balancer.
type fixture struct {
	t     *testing.T
	store *sqlite.Store
	ring  *keyring.Keyring
	lb    *slb.LoadBalancer
	n     int
}

func newFixture(t *testing.T) *fixture {
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "slbcert.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ring, err := keyring.New(keyring.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, store: store, ring: ring}
	f.lb, err = store.CreateLoadBalancer(ctx, &slb.LoadBalancer{ID: "lb-1", AccountID: account, RegionID: "cn-hangzhou",
		Name: "a", Status: slb.LoadBalancerActive, Spec: "slb.s2.small", CreateTime: time.Now(),
		BackendServers: []slb.BackendServer{
			{ServerID: "i-ip", ServerIP: "127.0.0.5", Weight: 100, Type: "ecs"},
			{ServerID: "i-mapped", Weight: 50, Type: "ecs"},
			{ServerID: "i-unknown", Weight: 100, Type: "ecs"},
		}}, 100, netip.MustParsePrefix("127.66.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// certificate stores a server certificate sealed as the service seals it,
// or a CA certificate.
func (f *fixture) certificate(kind slb.CertificateKind, ring *keyring.Keyring) (*slb.Certificate, *testpki.Server) {
	f.n++
	srv := testpki.NewServer("p256", testpki.Leaf{CommonName: "www.example.com", DNSNames: []string{"www.example.com"}})
	c := &slb.Certificate{ID: account + "-cert-" + string(rune('a'+f.n)), Kind: kind, AccountID: account, RegionID: "cn-hangzhou",
		Name: "c", ResourceGroupID: "rg-1", Fingerprint: "ab", CommonName: "www.example.com", EncryptionAlgorithm: "ECC",
		EncryptionKeyLength: 256, CreateTime: time.Now(), ExpireTime: srv.Leaf.NotAfter, CertificatePEM: srv.ChainPEM}
	if kind == slb.KindServer {
		var err error
		if c.SealedPrivateKey, err = ring.Seal([]byte(srv.KeyPEM), keyring.AAD(c.AccountID, c.ID)); err != nil {
			f.t.Fatal(err)
		}
	}
	if err := f.store.CreateCertificate(ctx, c, 1000); err != nil {
		f.t.Fatal(err)
	}
	return c, srv
}

func (f *fixture) listener(l *slb.Listener) {
	l.LoadBalancerID, l.CreateTime = f.lb.ID, time.Now()
	if l.Status == "" {
		l.Status = slb.ListenerRunning
	}
	l.Config.Tags = []slbcert.Tag{}
	if err := f.store.CreateListener(ctx, account, l, 100); err != nil {
		f.t.Fatal(err)
	}
}

type instances map[string]string

func (m instances) InstanceIP(_, id string) (string, bool) { ip, ok := m[id]; return ip, ok }

func byID(cfg dataplane.Config) map[string]dataplane.Listener {
	out := map[string]dataplane.Listener{}
	for _, l := range cfg.Listeners {
		out[l.ID] = l
	}
	return out
}

func TestTranslation(t *testing.T) {
	f := newFixture(t)
	server, srv := f.certificate(slb.KindServer, f.ring)
	ext, extSrv := f.certificate(slb.KindServer, f.ring)
	ca, _ := f.certificate(slb.KindCA, f.ring)
	if err := f.store.CreateVServerGroup(ctx, account, &slb.VServerGroup{ID: "rsp-1", LoadBalancerID: f.lb.ID, Name: "g",
		CreateTime: time.Now(), BackendServers: []slb.BackendServer{{ServerID: "i-g", ServerIP: "::1", Port: 8081, Weight: 7, Type: "ecs"}}}); err != nil {
		t.Fatal(err)
	}
	if err := f.store.CreateTLSCipherPolicy(ctx, &slb.TLSCipherPolicy{ID: "tls-1", AccountID: account, RegionID: "cn-hangzhou", Name: "p",
		TLSVersions: []string{"TLSv1.2"}, Ciphers: []string{"ECDHE-ECDSA-AES128-GCM-SHA256"}, CreateTime: time.Now()}); err != nil {
		t.Fatal(err)
	}
	f.listener(&slb.Listener{Port: 443, Protocol: slb.ProtocolHTTPS, ServerCertificateID: server.ID, CACertificateID: ca.ID,
		TLSCipherPolicy: "tls-1", Config: slb.ListenerConfig{BackendServerPort: 8080, Scheduler: "wlc", EnableHTTP2: "on", Gzip: "on",
			StickySession: "on", StickySessionType: "insert", CookieTimeout: 60, HealthCheck: "on", HealthCheckURI: "/ping",
			HealthCheckInterval: 1, HealthCheckHTTPCode: "http_2xx,http_3xx", HealthyThreshold: 2, UnhealthyThreshold: 4,
			IdleTimeout: 10, RequestTimeout: 20, XForwardedForSLBIP: "on", XForwardedForProto: "on", XForwardedForSLBID: "off"}})
	if err := f.store.CreateDomainExtension(ctx, account, &slb.DomainExtension{ID: "de-1", LoadBalancerID: f.lb.ID, ListenerPort: 443,
		Domain: "*.example.org", ServerCertificateID: ext.ID, CreateTime: time.Now()}, 10); err != nil {
		t.Fatal(err)
	}
	f.listener(&slb.Listener{Port: 8443, Protocol: slb.ProtocolHTTPS, ServerCertificateID: server.ID, VServerGroupID: "rsp-1",
		TLSCipherPolicy: slb.DefaultTLSCipherPolicy, Config: slb.ListenerConfig{EnableHTTP2: "off", HealthCheck: "off"}})
	f.listener(&slb.Listener{Port: 80, Protocol: slb.ProtocolHTTP, Config: slb.ListenerConfig{ListenerForward: "on", ForwardPort: 443}})
	f.listener(&slb.Listener{Port: 81, Protocol: slb.ProtocolHTTP, Status: slb.ListenerStopped, Config: slb.ListenerConfig{BackendServerPort: 80}})

	src, err := slbdataplane.New(f.store, slbdataplane.Translation{Keyring: f.ring, PortOffset: 10000, Instances: instances{"i-mapped": "127.0.0.6"}})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	cfg, err := src.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := byID(cfg)
	if len(got) != 3 {
		t.Fatalf("listeners %v", got)
	}
	addr := f.lb.Address
	t.Run("ok/https with everything", func(t *testing.T) {
		l := got["lb-1_https_443"]
		if l.Bind != addr+":10443" || l.Address != addr || l.ListenerPort != 443 || l.Protocol != "https" || l.LoadBalancerID != "lb-1" || l.Refused != "" {
			t.Fatalf("listener %+v", l)
		}
		if l.Certificate == nil || string(l.Certificate.Chain) != srv.ChainPEM || string(l.Certificate.Key) != srv.KeyPEM {
			t.Errorf("certificate %+v", l.Certificate)
		}
		if len(l.DomainExtensions) != 1 || l.DomainExtensions[0].Domain != "*.example.org" || string(l.DomainExtensions[0].Certificate.Key) != extSrv.KeyPEM {
			t.Errorf("extensions %+v", l.DomainExtensions)
		}
		if string(l.ClientCAs) != ca.CertificatePEM {
			t.Errorf("client CAs %q", l.ClientCAs)
		}
		if l.Policy == nil || l.TLSCipherPolicy != "tls-1" || len(l.Policy.CipherSuites) != 1 {
			t.Errorf("policy %q %+v", l.TLSCipherPolicy, l.Policy)
		}
		want := []dataplane.Backend{{ServerID: "i-ip", Address: "127.0.0.5:8080", Weight: 100},
			{ServerID: "i-mapped", Address: "127.0.0.6:8080", Weight: 50}, {ServerID: "i-unknown", Address: "", Weight: 100}}
		if len(l.Backends) != 3 || l.Backends[0] != want[0] || l.Backends[1] != want[1] || l.Backends[2] != want[2] {
			t.Errorf("backends %+v", l.Backends)
		}
		if !l.HTTP2 || !l.Gzip || l.Scheduler != "wlc" || l.StickySession.Type != "insert" || l.StickySession.CookieTimeout != time.Minute ||
			l.IdleTimeout != 10*time.Second || l.RequestTimeout != 20*time.Second {
			t.Errorf("settings %+v", l)
		}
		if l.Headers != (dataplane.ForwardedHeaders{SLBIP: true, Proto: true}) {
			t.Errorf("headers %+v", l.Headers)
		}
		hc := l.HealthCheck
		if !hc.Enabled || hc.URI != "/ping" || hc.Interval != time.Second || hc.HealthyThreshold != 2 || hc.UnhealthyThreshold != 4 ||
			strings.Join(hc.HTTPCodes, ",") != "http_2xx,http_3xx" {
			t.Errorf("health check %+v", hc)
		}
		if err := l.Validate(); err != nil {
			t.Error(err)
		}
	})
	t.Run("ok/VServer group", func(t *testing.T) {
		l := got["lb-1_https_8443"]
		if len(l.Backends) != 1 || l.Backends[0] != (dataplane.Backend{ServerID: "i-g", Address: "[::1]:8081", Weight: 7}) {
			t.Errorf("backends %+v", l.Backends)
		}
		if l.HTTP2 || l.HealthCheck.Enabled || l.Policy != nil || l.ClientCAs != nil {
			t.Errorf("listener %+v", l)
		}
	})
	t.Run("ok/redirect to the offset port", func(t *testing.T) {
		l := got["lb-1_http_80"]
		if l.RedirectPort != 10443 || l.Bind != addr+":10080" || len(l.Backends) != 0 || l.Certificate != nil {
			t.Errorf("listener %+v", l)
		}
		if err := l.Validate(); err != nil {
			t.Error(err)
		}
	})
	t.Run("error/a key that does not unseal refuses its listeners", func(t *testing.T) {
		other, err := keyring.New(keyring.NewKey())
		if err != nil {
			t.Fatal(err)
		}
		cfg := (&slbdataplane.Translation{Keyring: other}).Config(mustSnapshot(t, f.store))
		for _, l := range cfg.Listeners {
			refused := strings.Contains(l.Refused, "does not unseal")
			if refused != (l.Protocol == "https") {
				t.Errorf("%s: refused %q", l.ID, l.Refused)
			}
			if l.Protocol == "https" && l.Validate() == nil {
				t.Errorf("%s validates", l.ID)
			}
		}
	})
}

func mustSnapshot(t *testing.T, s slb.LoadBalancerStore) *slb.DataPlaneSnapshot {
	t.Helper()
	snap, err := s.DataPlaneSnapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func TestChanges(t *testing.T) {
	f := newFixture(t)
	src, err := slbdataplane.New(f.store, slbdataplane.Translation{Keyring: f.ring})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	f.listener(&slb.Listener{Port: 80, Protocol: slb.ProtocolHTTP, Config: slb.ListenerConfig{BackendServerPort: 80}})
	if cfg, err := src.Snapshot(ctx); err != nil || len(cfg.Listeners) != 1 {
		t.Fatalf("snapshot %+v %v", cfg, err)
	}
	if _, err := f.store.UpdateLoadBalancer(ctx, account, f.lb.ID, func(lb *slb.LoadBalancer) error {
		lb.Status = slb.LoadBalancerInactive
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// This process's own commits are not signalled (the API's Sync reads
	// them); only other processes' are, through the store's Listen (the
	// server's replica test covers PostgreSQL).
	select {
	case <-src.Changes():
		t.Fatal("a change of this process signalled: it would be read twice")
	case <-time.After(200 * time.Millisecond):
	}
	// Inactive: nothing served.
	cfg, err := src.Snapshot(ctx)
	if err != nil || len(cfg.Listeners) != 0 {
		t.Fatalf("snapshot %+v %v", cfg, err)
	}
}
