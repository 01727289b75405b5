package server_test

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
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
	sdksts "github.com/aliyun/alibaba-cloud-sdk-go/services/sts"

	"slbcert/internal/e2e"
	"slbcert/localca"
	"slbcert/server"
)

// caPool reads DATA/tls/self-signed.crt, the file clients trust.
func caPool(t testing.TB, dataDir string) (*x509.CertPool, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dataDir, "tls", "self-signed.crt"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := localca.ParseCertificate(data); err != nil {
		t.Fatal(err)
	}
	p := x509.NewCertPool()
	p.AppendCertsFromPEM(data)
	return p, data
}

// hostsTransport is /etc/hosts in a transport: every name dials addr, and
// TLS is verified against roots for the name asked for. It is no
// *http.Transport, whose dialer the Go SDK would replace with its own.
func hostsTransport(addr string, roots *x509.CertPool) http.RoundTripper {
	return struct{ http.RoundTripper }{&http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
		TLSClientConfig: &tls.Config{RootCAs: roots},
	}}
}

// TestLocalCAUnderAliyunNames: with --tls-self-signed, the official SDK
// with no endpoint set (the name it picks, slb.aliyuncs.com or
// sts.aliyuncs.com, resolved to the server as /etc/hosts would) verifies
// the server's certificate for that name; every product's regional name
// passes; a client trusting another CA is refused.
func TestLocalCAUnderAliyunNames(t *testing.T) {
	s := e2e.Start(t, func(c *server.Config) { c.TLSSelfSigned = true })
	roots, _ := caPool(t, s.Config.DataDir)
	tr := hostsTransport(s.Addr(), roots)

	c, err := slb.NewClientWithAccessKey("cn-hangzhou", e2e.AccessKeyID, e2e.AccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	c.GetConfig().Scheme = "HTTPS"
	c.SetTransport(tr)
	cert := e2e.NewServerCert()
	up := slb.CreateUploadServerCertificateRequest()
	up.ServerCertificate, up.PrivateKey, up.ServerCertificateName = cert.ChainPEM, cert.KeyPEM, "www"
	resp, err := c.UploadServerCertificate(up)
	if err != nil {
		t.Fatalf("upload through slb.aliyuncs.com: %v", err)
	}
	if up.Domain != "slb.aliyuncs.com" {
		t.Fatalf("the SDK chose %q", up.Domain)
	}
	desc := slb.CreateDescribeServerCertificatesRequest()
	desc.ServerCertificateId = resp.ServerCertificateId
	if got, err := c.DescribeServerCertificates(desc); err != nil || len(got.ServerCertificates.ServerCertificate) != 1 {
		t.Fatalf("describe: %v", err)
	}

	sc, err := sdksts.NewClientWithAccessKey("cn-hangzhou", e2e.AccessKeyID, e2e.AccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	sc.GetConfig().Scheme = "HTTPS"
	sc.SetTransport(tr)
	who, err := sc.GetCallerIdentity(sdksts.CreateGetCallerIdentityRequest())
	if err != nil || who.AccountId != s.Config.AccountID {
		t.Fatalf("STS through its own name: %+v %v", who, err)
	}

	for _, name := range []string{"slb.cn-hangzhou.aliyuncs.com", "slb-vpc.cn-shanghai.aliyuncs.com", "cas.aliyuncs.com", "sts.cn-hangzhou.aliyuncs.com", "localhost"} {
		hc := &http.Client{Transport: hostsTransport(s.Addr(), roots), Timeout: 5 * time.Second}
		r, err := hc.Get("https://" + name + "/healthz")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		r.Body.Close()
		if r.TLS.PeerCertificates[0].VerifyHostname(name) != nil {
			t.Fatalf("%s: served a leaf for %v", name, r.TLS.PeerCertificates[0].DNSNames)
		}
	}
	other := x509.NewCertPool()
	other.AddCert(e2e.NewServerCert().Intermediate)
	var unknown x509.UnknownAuthorityError
	_, err = (&http.Client{Transport: hostsTransport(s.Addr(), other)}).Get("https://slb.aliyuncs.com/healthz")
	if !errors.As(err, &unknown) {
		t.Fatalf("a client trusting another CA: %v", err)
	}
	var hostname x509.HostnameError
	_, err = (&http.Client{Transport: hostsTransport(s.Addr(), roots)}).Get("https://www.example.com/healthz")
	if !errors.As(err, &hostname) {
		t.Fatalf("a name outside aliyuncs.com: %v", err)
	}
}

// TestLocalCAReplacesSelfSigned: over a data directory of an older slbcert
// (a self-signed certificate and its key in DATA/tls), the file becomes the
// CA's certificate and the key goes; the CA then stays across restarts.
func TestLocalCAReplacesSelfSigned(t *testing.T) {
	dir := t.TempDir()
	tlsDir := filepath.Join(dir, "tls")
	os.MkdirAll(tlsDir, 0o700)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "slbcert self-signed"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(10, 0, 0), DNSNames: []string{"localhost"}}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)
	os.WriteFile(filepath.Join(tlsDir, "self-signed.crt"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(filepath.Join(tlsDir, "self-signed.key"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600)

	s := e2e.Start(t, func(c *server.Config) { c.DataDir = dir; c.TLSSelfSigned = true })
	roots, first := caPool(t, dir)
	if _, err := os.Stat(filepath.Join(tlsDir, "self-signed.key")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the old key is still there: %v", err)
	}
	if !strings.Contains(s.Log.String(), "replacing the certificate clients trust") {
		t.Fatalf("the replacement is not in the log:\n%s", s.Log)
	}
	hc := &http.Client{Transport: hostsTransport(s.Addr(), roots)}
	r, err := hc.Get("https://127.0.0.1/healthz")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	s.Close()

	os.Remove(filepath.Join(tlsDir, "self-signed.crt")) // the database has it: the file comes back
	e2e.Start(t, func(c *server.Config) { c.DataDir = dir; c.TLSSelfSigned = true })
	if _, again := caPool(t, dir); !bytes.Equal(first, again) {
		t.Fatal("a new CA on restart")
	}
}

// TestCACommand: `slbcert ca` prints the CA (creating it before any serve),
// the same every time, and the file; --rotate replaces it, and the next
// serve uses the new one.
func TestCACommand(t *testing.T) {
	dir := t.TempDir()
	ca := func(args ...string) []byte {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := server.Run(append([]string{"ca", "--data", dir}, args...), func(string) string { return "" }, &out, &errOut); err != nil {
			t.Fatalf("ca %v: %v\n%s", args, err, errOut.String())
		}
		return out.Bytes()
	}
	first := ca()
	if _, err := localca.ParseCertificate(first); err != nil {
		t.Fatalf("printed %q: %v", first, err)
	}
	if again := ca(); !bytes.Equal(first, again) {
		t.Fatal("ca printed another CA the second time")
	}
	if _, file := caPool(t, dir); !bytes.Equal(file, first) {
		t.Fatal("the file is not what ca printed")
	}
	s := e2e.Start(t, func(c *server.Config) { c.DataDir = dir; c.TLSSelfSigned = true })
	if _, file := caPool(t, dir); !bytes.Equal(file, first) {
		t.Fatal("serve made another CA than ca did")
	}
	rotated := ca("--rotate")
	if bytes.Equal(rotated, first) {
		t.Fatal("--rotate kept the CA")
	}
	s.Close()
	s = e2e.Start(t, func(c *server.Config) { c.DataDir = dir; c.TLSSelfSigned = true })
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(rotated)
	r, err := (&http.Client{Transport: hostsTransport(s.Addr(), roots)}).Get("https://slb.aliyuncs.com/healthz")
	if err != nil {
		t.Fatalf("after rotation and restart: %v", err)
	}
	r.Body.Close()
	var out, errOut bytes.Buffer
	if err := server.Run([]string{"ca", "--data", dir, "extra"}, func(string) string { return "" }, &out, &errOut); err == nil {
		t.Fatal("ca took an argument")
	}
}

// TestLocalCAMasterKey: the CA's key is sealed under the master key:
// rotate-master-key re-wraps it with the certificates' keys, and a wrong
// master key stops the server even when the CA is all the database seals.
func TestLocalCAMasterKey(t *testing.T) {
	dir := t.TempDir()
	s := e2e.Start(t, func(c *server.Config) { c.DataDir = dir; c.TLSSelfSigned = true })
	_, first := caPool(t, dir)
	s.Close()
	env := func(string) string { return "" }
	var out, errOut bytes.Buffer
	for _, args := range [][]string{{"rotate-master-key", "--data", dir}, {"rotate-master-key", "--data", dir, "--retire"}} {
		if err := server.Run(args, env, &out, &errOut); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errOut.String())
		}
	}
	if !strings.Contains(out.String(), "re-wrapped 1 private key") {
		t.Fatalf("the CA's key was not re-wrapped:\n%s", out.String())
	}
	e2e.Start(t, func(c *server.Config) { c.DataDir = dir; c.TLSSelfSigned = true }).Close()
	if _, again := caPool(t, dir); !bytes.Equal(first, again) {
		t.Fatal("another CA after the master key rotation")
	}
	os.WriteFile(filepath.Join(dir, "master.key"), []byte(e2e.NewMasterKey()+"\n"), 0o600)
	if err := e2e.OpenAndClose(dir, func(c *server.Config) { c.TLSSelfSigned = true }); err == nil || !strings.Contains(err.Error(), "master key") {
		t.Fatalf("a wrong master key: %v", err)
	}
}

// TestLocalCAReplicas: replicas sharing PostgreSQL, started at once with
// their own data directories, serve under one CA and all write its
// certificate.
func TestLocalCAReplicas(t *testing.T) {
	pg := e2e.FreshPGSchema(t)
	key := e2e.NewMasterKey()
	dirs := []string{t.TempDir(), t.TempDir(), t.TempDir()}
	servers := make([]*e2e.Server, len(dirs))
	var wg sync.WaitGroup
	for i, dir := range dirs {
		wg.Go(func() {
			servers[i] = e2e.Start(t, func(c *server.Config) {
				c.DataDir, c.DatabaseURL, c.MasterKey, c.TLSSelfSigned = dir, pg.URL, key, true
			})
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	roots, first := caPool(t, dirs[0])
	// slbcert ca prints the replicas' CA without the master key, and
	// refuses to make one without it.
	var out, errOut bytes.Buffer
	if err := server.Run([]string{"ca", "--data", t.TempDir(), "--database", pg.URL}, func(string) string { return "" }, &out, &errOut); err != nil || !bytes.Equal(out.Bytes(), first) {
		t.Fatalf("ca over the replicas' database: %v\n%s", err, errOut.String())
	}
	empty := e2e.FreshPGSchema(t)
	if err := server.Run([]string{"ca", "--data", t.TempDir(), "--database", empty.URL}, func(string) string { return "" }, &out, &errOut); err == nil || !strings.Contains(err.Error(), "master key") {
		t.Fatalf("ca creating a CA without the master key: %v", err)
	}
	for i, dir := range dirs {
		if _, p := caPool(t, dir); !bytes.Equal(p, first) {
			t.Fatalf("replica %d has another CA", i)
		}
		r, err := (&http.Client{Transport: hostsTransport(servers[i].Addr(), roots)}).Get("https://slb.cn-hangzhou.aliyuncs.com/healthz")
		if err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
		r.Body.Close()
	}
}
