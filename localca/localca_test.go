package localca

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"slbcert/keyring"
)

// memStore is a Store in memory, first writer wins, as the databases do.
type memStore struct {
	mu  sync.Mutex
	rec *Record
}

func (s *memStore) LocalCA(context.Context) (Record, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rec == nil {
		return Record{}, false, nil
	}
	return *s.rec, true, nil
}

func (s *memStore) CreateLocalCA(_ context.Context, rec Record) (Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rec == nil {
		s.rec = &rec
	}
	return *s.rec, nil
}

func (s *memStore) ReplaceLocalCA(_ context.Context, old []byte, rec Record) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rec == nil || !bytes.Equal(s.rec.CertPEM, old) {
		return false, nil
	}
	s.rec = &rec
	return true, nil
}

func (s *memStore) ResealLocalCAKey(_ context.Context, old, new []byte) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rec == nil || !bytes.Equal(s.rec.SealedKey, old) {
		return false, nil
	}
	s.rec.SealedKey = new
	return true, nil
}

var aad = keyring.AAD("", RecordID)

func newRing(t *testing.T) *keyring.Keyring {
	t.Helper()
	ring, err := keyring.New(keyring.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	return ring
}

var opts = Options{Zones: []string{"aliyuncs.com"}, Hosts: []string{"localhost", "127.0.0.1", "::1"}}

func openCA(t *testing.T, store Store, ring *keyring.Keyring, o Options) *CA {
	t.Helper()
	ca, _, err := Open(context.Background(), store, ring, aad, o)
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

func pool(ca *CA) *x509.CertPool {
	p := x509.NewCertPool()
	p.AppendCertsFromPEM(ca.CertificatePEM())
	return p
}

func verify(ca *CA, leaf *tls.Certificate, name string, at time.Time) error {
	_, err := leaf.Leaf.Verify(x509.VerifyOptions{Roots: pool(ca), DNSName: name, CurrentTime: at})
	return err
}

func TestOpenOnce(t *testing.T) {
	store, ring := &memStore{}, newRing(t)
	ca, created, err := Open(context.Background(), store, ring, aad, opts)
	if err != nil || !created {
		t.Fatalf("first open: created %v, %v", created, err)
	}
	again, created, err := Open(context.Background(), store, ring, aad, opts)
	if err != nil || created {
		t.Fatalf("second open: created %v, %v", created, err)
	}
	if !bytes.Equal(ca.CertificatePEM(), again.CertificatePEM()) {
		t.Fatal("a second CA over a store that keeps one")
	}
	c := ca.Cert
	if !c.IsCA || !c.MaxPathLenZero || c.KeyUsage&x509.KeyUsageCertSign == 0 || !c.PermittedDNSDomainsCritical {
		t.Fatalf("CA certificate: IsCA %v MaxPathLenZero %v usage %v", c.IsCA, c.MaxPathLenZero, c.KeyUsage)
	}
	if got := strings.Join(c.PermittedDNSDomains, ","); got != "aliyuncs.com,localhost" {
		t.Fatalf("permitted names %q", got)
	}
	if d := c.NotAfter.Sub(time.Now()); d < Lifetime-2*time.Hour || d > Lifetime {
		t.Fatalf("lifetime %v", d)
	}
	if bytes.Contains(store.rec.SealedKey, []byte("PRIVATE")) || len(store.rec.SealedKey) < 64 {
		t.Fatal("the stored key is not sealed")
	}
}

// TestOpenRace: processes starting at once all end with the first CA stored.
func TestOpenRace(t *testing.T) {
	store, ring := &memStore{}, newRing(t)
	pems := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range pems {
		wg.Go(func() {
			ca, _, err := Open(context.Background(), store, ring, aad, opts)
			if err != nil {
				t.Error(err)
				return
			}
			pems[i] = ca.CertificatePEM()
		})
	}
	wg.Wait()
	for _, p := range pems {
		if !bytes.Equal(p, store.rec.CertPEM) {
			t.Fatal("a process kept a CA that lost the race")
		}
	}
}

func TestLeaves(t *testing.T) {
	ca := openCA(t, &memStore{}, newRing(t), opts)
	now := time.Now()
	cases := []struct {
		name, sni string
		verifyAs  []string // names a client may verify the leaf for
		refuse    []string // names it must not pass for
	}{
		{"global endpoint", "slb.aliyuncs.com", []string{"slb.aliyuncs.com", "localhost", "127.0.0.1", "::1"}, []string{"sts.aliyuncs.com"}},
		{"regional endpoint", "SLB.cn-Hangzhou.aliyuncs.com.", []string{"slb.cn-hangzhou.aliyuncs.com"}, []string{"slb.aliyuncs.com"}},
		{"vpc endpoint", "slb-vpc.cn-hangzhou.aliyuncs.com", []string{"slb-vpc.cn-hangzhou.aliyuncs.com"}, nil},
		{"the zone itself", "aliyuncs.com", []string{"aliyuncs.com"}, nil},
		{"no SNI", "", []string{"localhost", "127.0.0.1"}, []string{"slb.aliyuncs.com"}},
		{"outside the zones", "www.example.com", []string{"localhost"}, []string{"www.example.com"}},
		{"look-alike", "slb.aliyuncs.com.evil.example", []string{"localhost"}, []string{"slb.aliyuncs.com.evil.example"}},
		{"bad label", "a_b-.aliyuncs.com", []string{"localhost"}, nil},
		{"empty label", "a..aliyuncs.com", []string{"localhost"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			leaf, err := ca.GetCertificate(&tls.ClientHelloInfo{ServerName: c.sni})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range c.verifyAs {
				if err := verify(ca, leaf, n, now); err != nil {
					t.Errorf("verify as %s: %v", n, err)
				}
			}
			for _, n := range c.refuse {
				if err := verify(ca, leaf, n, now); err == nil {
					t.Errorf("passed for %s", n)
				}
			}
		})
	}
}

// TestNameConstraints: a certificate the CA's key signs for a name outside
// its zones is refused by verification — trusting the CA does not let it
// speak for other sites, even if its key leaks.
func TestNameConstraints(t *testing.T) {
	ca := openCA(t, &memStore{}, newRing(t), opts)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	for _, name := range []string{"www.example.com", "aliyuncs.com.example", "evilaliyuncs.com"} {
		tmpl := &x509.Certificate{
			SerialNumber: randomSerial(), Subject: pkix.Name{CommonName: name},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, DNSNames: []string{name},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, key.Public(), ca.key)
		if err != nil {
			t.Fatal(err)
		}
		forged, _ := x509.ParseCertificate(der)
		_, err = forged.Verify(x509.VerifyOptions{Roots: pool(ca), DNSName: name})
		var invalid x509.CertificateInvalidError
		if !errors.As(err, &invalid) || invalid.Reason != x509.CANotAuthorizedForThisName {
			t.Fatalf("%s: %v, want CANotAuthorizedForThisName", name, err)
		}
	}
}

// TestOpenSSLVerifies: OpenSSL (behind Python, Node and curl) accepts the
// leaves, name constraints and all, and refuses other names.
func TestOpenSSLVerifies(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("SKIP: openssl is not installed; the leaves are checked with Go's verifier only")
	}
	ca := openCA(t, &memStore{}, newRing(t), opts)
	leaf, err := ca.Leaf("sts.cn-hangzhou.aliyuncs.com")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	caFile, leafFile := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "leaf.pem")
	os.WriteFile(caFile, ca.CertificatePEM(), 0o600)
	os.WriteFile(leafFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Certificate[0]}), 0o600)
	run := func(host string) error {
		out, err := exec.Command(openssl, "verify", "-CAfile", caFile, "-purpose", "sslserver", "-verify_hostname", host, leafFile).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%v: %s", err, out)
		}
		return nil
	}
	if err := run("sts.cn-hangzhou.aliyuncs.com"); err != nil {
		t.Fatalf("openssl refused the leaf: %v", err)
	}
	if err := run("sts.aliyuncs.com"); err == nil {
		t.Fatal("openssl accepted the leaf for another name")
	}
}

// TestTLSHandshake: a real TLS server over the CA, and clients that trust
// it or not.
func TestTLSHandshake(t *testing.T) {
	ca := openCA(t, &memStore{}, newRing(t), opts)
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{GetCertificate: ca.GetCertificate})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				c.(*tls.Conn).Handshake()
				c.Close()
			}()
		}
	}()
	dial := func(cfg *tls.Config) error {
		c, err := tls.Dial("tcp", l.Addr().String(), cfg)
		if err == nil {
			c.Close()
		}
		return err
	}
	for _, name := range []string{"slb.aliyuncs.com", "cas.aliyuncs.com", "sts.ap-southeast-1.aliyuncs.com", "localhost"} {
		if err := dial(&tls.Config{RootCAs: pool(ca), ServerName: name}); err != nil {
			t.Errorf("trusting the CA, %s: %v", name, err)
		}
	}
	if err := dial(&tls.Config{RootCAs: pool(ca)}); err != nil { // by IP, no SNI
		t.Errorf("trusting the CA, by IP: %v", err)
	}
	var unknown x509.UnknownAuthorityError
	other := openCA(t, &memStore{}, newRing(t), opts)
	if err := dial(&tls.Config{RootCAs: pool(other), ServerName: "slb.aliyuncs.com"}); !errors.As(err, &unknown) {
		t.Errorf("trusting another CA: %v, want an unknown authority", err)
	}
	var hostname x509.HostnameError
	if err := dial(&tls.Config{RootCAs: pool(ca), ServerName: "www.example.com"}); !errors.As(err, &hostname) {
		t.Errorf("another name: %v, want a hostname error", err)
	}
}

func TestLeafCache(t *testing.T) {
	now := time.Now()
	o := opts
	o.Now = func() time.Time { return now }
	ca := openCA(t, &memStore{}, newRing(t), o)
	a, _ := ca.Leaf("slb.aliyuncs.com")
	b, _ := ca.Leaf("SLB.aliyuncs.com")
	if a != b {
		t.Fatal("the same name minted twice")
	}
	if d := a.Leaf.NotAfter.Sub(now); d <= LeafLifetime-time.Second || d > LeafLifetime {
		t.Fatalf("leaf lifetime %v", d)
	}
	now = now.Add(LeafLifetime/2 + time.Hour)
	c, _ := ca.Leaf("slb.aliyuncs.com")
	if c == a || verify(ca, c, "slb.aliyuncs.com", now) != nil {
		t.Fatal("a leaf past half its life was not minted again")
	}
	for i := range maxLeaves + 100 {
		if _, err := ca.Leaf(fmt.Sprintf("n%d.aliyuncs.com", i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(ca.leaves); n > maxLeaves {
		t.Fatalf("%d leaves kept", n)
	}
	// Leaves never outlive the CA.
	now = ca.Cert.NotAfter.Add(-24 * time.Hour)
	d, _ := ca.Leaf("late.aliyuncs.com")
	if !d.Leaf.NotAfter.Equal(ca.Cert.NotAfter) {
		t.Fatalf("leaf until %v, CA until %v", d.Leaf.NotAfter, ca.Cert.NotAfter)
	}
}

func TestHosts(t *testing.T) {
	store, ring := &memStore{}, newRing(t)
	o := opts
	o.Hosts = append(o.Hosts, "slbcert.lan", "192.0.2.10")
	ca := openCA(t, store, ring, o)
	leaf, _ := ca.Leaf("slb.aliyuncs.com")
	for _, n := range []string{"slbcert.lan", "192.0.2.10", "slb.aliyuncs.com"} {
		if err := verify(ca, leaf, n, time.Now()); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
	// A CA made without that host name cannot vouch for it: leaves leave
	// it out rather than carry a name clients would refuse.
	later := openCA(t, &memStore{}, ring, opts)
	again, _ := Parse(Record{CertPEM: later.certPEM, SealedKey: mustSealed(t, later, ring)}, ring, aad, o)
	if again.Permits("slbcert.lan") {
		t.Fatal("permits a name it was not made for")
	}
	leaf, _ = again.Leaf("")
	for _, n := range leaf.Leaf.DNSNames {
		if n == "slbcert.lan" {
			t.Fatal("leaf carries a name outside the CA's constraints")
		}
	}
}

func mustSealed(t *testing.T, ca *CA, ring *keyring.Keyring) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(ca.key)
	if err != nil {
		t.Fatal(err)
	}
	blob, err := ring.Seal(der, aad)
	if err != nil {
		t.Fatal(err)
	}
	return blob
}

func TestParseErrors(t *testing.T) {
	store, ring := &memStore{}, newRing(t)
	ca := openCA(t, store, ring, opts)
	other := openCA(t, &memStore{}, ring, opts)
	good := *store.rec
	for name, rec := range map[string]Record{
		"other master key":   good, // opened with another ring below
		"not PEM":            {CertPEM: []byte("junk"), SealedKey: good.SealedKey},
		"another CA's key":   {CertPEM: good.CertPEM, SealedKey: mustSealed(t, other, ring)},
		"tampered key":       {CertPEM: good.CertPEM, SealedKey: append(append([]byte{}, good.SealedKey[:len(good.SealedKey)-1]...), good.SealedKey[len(good.SealedKey)-1]^1)},
		"record of another":  {CertPEM: good.CertPEM, SealedKey: func() []byte { b, _ := ring.Seal([]byte("x"), keyring.AAD("1", "c")); return b }()},
		"leaf as the CA":     {CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: mustLeaf(t, ca).Certificate[0]}), SealedKey: good.SealedKey},
		"empty sealed value": {CertPEM: good.CertPEM},
	} {
		r := ring
		if name == "other master key" {
			r = newRing(t)
		}
		if _, err := Parse(rec, r, aad, opts); err == nil {
			t.Errorf("%s: opened", name)
		}
	}
}

func mustLeaf(t *testing.T, ca *CA) *tls.Certificate {
	leaf, err := ca.Leaf("slb.aliyuncs.com")
	if err != nil {
		t.Fatal(err)
	}
	return leaf
}

func TestRotate(t *testing.T) {
	store, ring := &memStore{}, newRing(t)
	old := openCA(t, store, ring, opts)
	fresh, err := Rotate(context.Background(), store, ring, aad, opts)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(fresh.CertificatePEM(), old.CertificatePEM()) || !bytes.Equal(store.rec.CertPEM, fresh.CertificatePEM()) {
		t.Fatal("not rotated")
	}
	if err := verify(old, mustLeaf(t, fresh), "slb.aliyuncs.com", time.Now()); err == nil {
		t.Fatal("the old CA vouches for the new one's leaves")
	}
	if again := openCA(t, store, ring, opts); !bytes.Equal(again.CertificatePEM(), fresh.CertificatePEM()) {
		t.Fatal("the rotated CA is not the one opened next")
	}
	// Over an empty store, rotating creates.
	empty := &memStore{}
	if _, err := Rotate(context.Background(), empty, ring, aad, opts); err != nil || empty.rec == nil {
		t.Fatalf("rotate over nothing: %v", err)
	}
}

// TestListenerHostsIP: IP hosts are in every leaf, unconstrained; the
// unspecified and loopback forms parse like any other.
func TestListenerHostsIP(t *testing.T) {
	ca := openCA(t, &memStore{}, newRing(t), Options{Zones: opts.Zones, Hosts: []string{"10.1.2.3"}})
	leaf := mustLeaf(t, ca)
	if len(leaf.Leaf.IPAddresses) != 1 || !leaf.Leaf.IPAddresses[0].Equal(net.ParseIP("10.1.2.3")) {
		t.Fatalf("IPs %v", leaf.Leaf.IPAddresses)
	}
}

// BenchmarkMint is the cost of a leaf for a name not seen before (what a
// client sending random SNI names makes the server pay per handshake).
func BenchmarkMint(b *testing.B) {
	ring, _ := keyring.New(keyring.NewKey())
	ca, _, err := Open(context.Background(), &memStore{}, ring, aad, opts)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		if _, err := ca.mint(fmt.Sprintf("n%d.aliyuncs.com", i), time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLeafCached is a handshake's cost for a name already minted.
func BenchmarkLeafCached(b *testing.B) {
	ring, _ := keyring.New(keyring.NewKey())
	ca, _, _ := Open(context.Background(), &memStore{}, ring, aad, opts)
	ca.Leaf("slb.aliyuncs.com")
	for b.Loop() {
		ca.Leaf("slb.aliyuncs.com")
	}
}
