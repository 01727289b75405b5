package server_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
	sdksts "github.com/aliyun/alibaba-cloud-sdk-go/services/sts"
	"golang.org/x/sys/unix"

	"slbcert/internal/e2e"
	"slbcert/localdns"
	"slbcert/server"
)

// TestNamespaceEndToEnd is the whole recipe of a private network: in a
// network namespace of its own (unshare -rnm: a user namespace for the
// rights, a network namespace with only loopback, a mount namespace to
// bind a resolv.conf naming slbcert's DNS), slbcert serves the API on
// 127.0.0.1:443 under its CA and DNS on 127.0.0.1:53, and the official Go
// SDK, with no endpoint set and the CA trusted through SSL_CERT_FILE,
// uploads and describes a certificate at slb.aliyuncs.com, and a client
// assuming a role through sts.aliyuncs.com calls SLB as the role. The child
// process (TestNamespaceChild) runs the checks.
func TestNamespaceEndToEnd(t *testing.T) {
	unshare, err := exec.LookPath("unshare")
	if err == nil {
		err = exec.Command(unshare, "-rnm", "true").Run()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("unshare -rnm is not permitted here (%v); CI needs it for the private-network test", err)
		}
		t.Skipf("SKIP: unshare -rnm is not permitted here (%v): the private-network test needs user and network namespaces", err)
	}
	dir := t.TempDir()
	// The CA, made before the server starts, as a user would: slbcert ca.
	var caPEM, errOut bytes.Buffer
	if err := server.Run([]string{"ca", "--data", dir}, func(string) string { return "" }, &caPEM, &errOut); err != nil {
		t.Fatalf("slbcert ca: %v\n%s", err, errOut.String())
	}
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, caPEM.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	resolv := filepath.Join(dir, "resolv.conf")
	if err := os.WriteFile(resolv, []byte("nameserver 127.0.0.1\noptions timeout:2 attempts:2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(unshare, "-rnm", os.Args[0], "-test.run=^TestNamespaceChild$", "-test.v", "-test.timeout=2m")
	cmd.Env = append(os.Environ(), "SLBCERT_TEST_NAMESPACE_DATA="+dir, "SLBCERT_TEST_NAMESPACE_RESOLV="+resolv,
		"SSL_CERT_FILE="+caFile, "SSL_CERT_DIR=/nonexistent")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestNamespaceChild") {
		t.Fatalf("in the namespace: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

// TestNamespaceChild is TestNamespaceEndToEnd's process inside the
// namespace; it does nothing in a normal run.
func TestNamespaceChild(t *testing.T) {
	dir, resolv := os.Getenv("SLBCERT_TEST_NAMESPACE_DATA"), os.Getenv("SLBCERT_TEST_NAMESPACE_RESOLV")
	if dir == "" {
		t.Skip("run by TestNamespaceEndToEnd")
	}
	loopbackUp(t)
	// This process's /etc/resolv.conf names slbcert's DNS; nothing has
	// resolved a name yet, so the resolver reads this one.
	if err := unix.Mount(resolv, "/etc/resolv.conf", "", unix.MS_BIND, ""); err != nil {
		t.Fatalf("bind-mounting resolv.conf: %v", err)
	}
	// Another resolver, for the names slbcert forwards.
	upstream, err := localdns.Listen("127.0.0.2:53", localdns.Config{Zones: []string{"example.com"}, Answer: []netip.Addr{netip.MustParseAddr("192.0.2.80")}})
	if err != nil {
		t.Fatal(err)
	}
	defer upstream.Close()

	iamFile := filepath.Join(dir, "iam.json")
	if err := os.WriteFile(iamFile, []byte(e2e.STSIAM), 0o600); err != nil {
		t.Fatal(err)
	}
	s := e2e.Start(t, func(c *server.Config) {
		c.DataDir = dir
		c.IAMFile = iamFile
		c.Listen = "127.0.0.1:443"
		c.TLSSelfSigned = true
		c.DNS = "127.0.0.1:53"
		c.DNSUpstream = "127.0.0.2:53"
	})
	if _, file := caPool(t, dir); !bytes.Equal(file, mustRead(t, os.Getenv("SSL_CERT_FILE"))) {
		t.Fatal("the server serves under another CA than slbcert ca printed")
	}

	// The system resolver: aliyuncs.com names are slbcert, others are not.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, name := range []string{"slb.aliyuncs.com", "slb.cn-hangzhou.aliyuncs.com", "sts.aliyuncs.com"} {
		if addrs, err := net.DefaultResolver.LookupHost(ctx, name); err != nil || strings.Join(addrs, ",") != "127.0.0.1" {
			t.Fatalf("%s resolves to %v (%v)", name, addrs, err)
		}
	}
	if addrs, err := net.DefaultResolver.LookupHost(ctx, "www.example.com"); err != nil || strings.Join(addrs, ",") != "192.0.2.80" {
		t.Fatalf("www.example.com (forwarded) resolves to %v (%v)", addrs, err)
	}
	if addrs, err := net.DefaultResolver.LookupHost(ctx, "slbcert.invalid"); err == nil {
		t.Fatalf("a name neither answers resolves to %v", addrs)
	}

	// The official SDK, no endpoint set, the CA trusted by SSL_CERT_FILE.
	c, err := slb.NewClientWithAccessKey("cn-hangzhou", e2e.AccessKeyID, e2e.AccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	c.GetConfig().Scheme = "HTTPS"
	cert := e2e.NewServerCert()
	up := slb.CreateUploadServerCertificateRequest()
	up.ServerCertificate, up.PrivateKey, up.ServerCertificateName = cert.ChainPEM, cert.KeyPEM, "www"
	resp, err := c.UploadServerCertificate(up)
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	if up.Domain != "slb.aliyuncs.com" {
		t.Fatalf("the SDK called %q", up.Domain)
	}
	desc := slb.CreateDescribeServerCertificatesRequest()
	desc.ServerCertificateId = resp.ServerCertificateId
	got, err := c.DescribeServerCertificates(desc)
	if err != nil || len(got.ServerCertificates.ServerCertificate) != 1 || got.ServerCertificates.ServerCertificate[0].Fingerprint != resp.Fingerprint {
		t.Fatalf("describe: %+v %v", got, err)
	}
	sc, err := sdksts.NewClientWithAccessKey("cn-hangzhou", e2e.AccessKeyID, e2e.AccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	sc.GetConfig().Scheme = "HTTPS"
	if who, err := sc.GetCallerIdentity(sdksts.CreateGetCallerIdentityRequest()); err != nil || who.AccountId != s.Config.AccountID {
		t.Fatalf("STS at sts.aliyuncs.com: %+v %v", who, err)
	}

	// A client that assumes a role itself calls https://sts.aliyuncs.com
	// first, then SLB with the session.
	rc, err := slb.NewClientWithRamRoleArn("cn-hangzhou", "AKS-ci", "s-ci", e2e.STSRoleArn("CertManager"), "namespace")
	if err != nil {
		t.Fatal(err)
	}
	rc.GetConfig().Scheme = "HTTPS"
	if _, err := rc.DescribeServerCertificates(slb.CreateDescribeServerCertificatesRequest()); err != nil {
		t.Fatalf("as the assumed role: %v", err)
	}
	if !strings.Contains(s.Log.String(), `"principal":"assumed-role/CertManager/namespace"`) {
		t.Fatal("the call was not made by the assumed role")
	}

	// A client that does not trust the CA: the public roots of the host,
	// or none, are refused by verification.
	public := x509.NewCertPool()
	if data, err := os.ReadFile("/etc/ssl/certs/ca-certificates.crt"); err == nil {
		public.AppendCertsFromPEM(data)
	}
	var unknown x509.UnknownAuthorityError
	for _, roots := range []*x509.CertPool{public, x509.NewCertPool()} {
		conn, err := tls.Dial("tcp", "slb.aliyuncs.com:443", &tls.Config{RootCAs: roots})
		if err == nil {
			conn.Close()
		}
		if !errors.As(err, &unknown) {
			t.Fatalf("a client not trusting the CA: %v", err)
		}
	}
	t.Logf("slb.aliyuncs.com and sts.aliyuncs.com answered by slbcert at %s (DNS %s); certificate %s uploaded and described", s.Addr(), s.DNSAddr(), resp.ServerCertificateId)
}

// loopbackUp brings lo up: a new network namespace starts with it down.
func loopbackUp(t *testing.T) {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		t.Fatal(err)
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr); err != nil {
		t.Fatalf("bringing lo up: %v", err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
