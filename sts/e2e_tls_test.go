package sts_test

import (
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
	credential "github.com/aliyun/credentials-go/credentials"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
	"slbcert/server"
	slbsvc "slbcert/slb"
)

// sslCertFile returns the certificate file the start-up log names.
func sslCertFile(t *testing.T, s *e2e.Server) string {
	t.Helper()
	m := regexp.MustCompile(`"msg":"serving"[^\n]*"ssl_cert_file":"([^"]+)"`).FindStringSubmatch(s.Log.String())
	if m == nil {
		t.Fatalf("the start-up log names no ssl_cert_file:\n%s", s.Log)
	}
	return m[1]
}

// TestSTSRamRoleArnHTTPS: the Go SDK's NewClientWithRamRoleArn, unchanged,
// assumes the role by itself — over HTTPS at https://sts.aliyuncs.com, the
// one endpoint its credentials provider knows — then uploads and deletes
// with the session. It runs in a child process, as a user's program would
// with HTTPS_PROXY standing in for a hosts entry (a CONNECT proxy that
// tunnels every host to the server) and SSL_CERT_FILE naming the CA of the
// server's certificate (--tls-cert, for sts.aliyuncs.com and localhost).
func TestSTSRamRoleArnHTTPS(t *testing.T) {
	dir := t.TempDir()
	pki := testpki.NewServer("p256", testpki.Leaf{CommonName: "sts.aliyuncs.com", DNSNames: []string{"sts.aliyuncs.com", "localhost"}})
	certFile, keyFile, caFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key"), filepath.Join(dir, "ca.pem")
	os.WriteFile(certFile, []byte(pki.ChainPEM), 0o600)
	os.WriteFile(keyFile, []byte(pki.KeyPEM), 0o600)
	os.WriteFile(caFile, []byte(testpki.ChainPEM(pki.Intermediate)), 0o600)
	s, _ := startSTSServer(t, func(c *server.Config) { c.TLSCert, c.TLSKey = certFile, keyFile })
	if sslCertFile(t, s) != certFile {
		t.Fatal("the start-up log does not name the served certificate")
	}
	proxy := startConnectProxy(t, s.Addr())

	cmd := exec.Command(os.Args[0], "-test.run=^TestSTSRamRoleArnClient$", "-test.v")
	cmd.Env = append(os.Environ(), "SLBCERT_TEST_SLB_DOMAIN=localhost"+s.Addr()[strings.LastIndex(s.Addr(), ":"):],
		"HTTPS_PROXY=http://"+proxy.addr, "https_proxy=", "NO_PROXY=", "no_proxy=", "SSL_CERT_FILE="+caFile, "SSL_CERT_DIR=/nonexistent")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestSTSRamRoleArnClient") {
		t.Fatalf("client: %v\n%s", err, out)
	}
	if targets := proxy.targets(); len(targets) == 0 || targets[0] != "sts.aliyuncs.com:443" {
		t.Fatalf("the client connected to %v; want sts.aliyuncs.com:443 first", targets)
	}
	if !strings.Contains(s.Log.String(), `"principal":"assumed-role/CertManager/ram-role-arn"`) {
		t.Fatal("the upload was not made by the assumed role")
	}
}

// TestSTSRamRoleArnClient is TestSTSRamRoleArnHTTPS's client process; it
// does nothing in a normal run.
func TestSTSRamRoleArnClient(t *testing.T) {
	domain := os.Getenv("SLBCERT_TEST_SLB_DOMAIN")
	if domain == "" {
		t.Skip("run by TestSTSRamRoleArnHTTPS")
	}
	c, err := slb.NewClientWithRamRoleArn("cn-hangzhou", "AKS-ci", "s-ci", e2e.STSRoleArn("CertManager"), "ram-role-arn")
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = domain
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "ram-role-arn.example.com"})
	up := slb.CreateUploadServerCertificateRequest()
	up.Scheme, up.RegionId, up.ServerCertificate, up.PrivateKey = "https", "cn-hangzhou", srv.ChainPEM, srv.KeyPEM
	resp, err := c.UploadServerCertificate(up)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(resp.ServerCertificateId, e2e.STSAccountA+"_") {
		t.Fatalf("uploaded into %s", resp.ServerCertificateId)
	}
	del := slb.CreateDeleteServerCertificateRequest()
	del.Scheme, del.RegionId, del.ServerCertificateId = "https", "cn-hangzhou", resp.ServerCertificateId
	if _, err := c.DeleteServerCertificate(del); err != nil {
		t.Fatal(err)
	}
}

// connectProxy is an HTTP CONNECT proxy that tunnels every target to one
// address, recording the targets asked for.
type connectProxy struct {
	addr string
	mu   sync.Mutex
	seen []string
}

func (p *connectProxy) targets() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.seen)
}

func startConnectProxy(t *testing.T, to string) *connectProxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &connectProxy{addr: l.Addr().String()}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		p.mu.Lock()
		p.seen = append(p.seen, r.Host)
		p.mu.Unlock()
		upstream, err := net.Dial("tcp", to)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		w.WriteHeader(http.StatusOK)
		client, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			upstream.Close()
			return
		}
		go func() {
			io.Copy(upstream, buf)
			upstream.Close()
		}()
		io.Copy(client, upstream)
		client.Close()
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return p
}

// TestSSLCertFile: a Go process whose SSL_CERT_FILE names the file the
// start-up log names trusts the server with its default roots, as the
// aliyun CLI and Terraform do: it assumes a role through credentials-go's
// ram_role_arn provider (the library behind the CLI's RamRoleArn mode and
// Terraform's assume_role, HTTPS only) and calls SLB over V3 with the
// session. Without the variable the same process fails to connect.
func TestSSLCertFile(t *testing.T) {
	s, _ := startSTSServer(t, func(c *server.Config) { c.TLSSelfSigned = true })
	file := sslCertFile(t, s)
	run := func(sslCertFile string) (string, error) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSSLCertFileClient$", "-test.v")
		cmd.Env = append(os.Environ(), "SLBCERT_TEST_HTTPS_ENDPOINT="+s.Addr(), "SSL_CERT_FILE="+sslCertFile, "SSL_CERT_DIR=/nonexistent")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run(file); err != nil || !strings.Contains(out, "--- PASS: TestSSLCertFileClient") {
		t.Fatalf("with SSL_CERT_FILE=%s: %v\n%s", file, err, out)
	}
	other := filepath.Join(t.TempDir(), "other.pem")
	os.WriteFile(other, []byte(testpki.NewServer("p256", testpki.Leaf{CommonName: "localhost", DNSNames: []string{"localhost"}}).ChainPEM), 0o644)
	if out, err := run(other); err == nil || !strings.Contains(out, "certificate") {
		t.Fatalf("with another certificate the client connected: %v\n%s", err, out)
	}
}

// TestSSLCertFileClient is TestSSLCertFile's client process; it does
// nothing in a normal run.
func TestSSLCertFileClient(t *testing.T) {
	endpoint := os.Getenv("SLBCERT_TEST_HTTPS_ENDPOINT")
	if endpoint == "" {
		t.Skip("run by TestSSLCertFile")
	}
	cred, err := credential.NewCredential(new(credential.Config).
		SetType("ram_role_arn").SetAccessKeyId("AKS-ci").SetAccessKeySecret("s-ci").
		SetRoleArn(e2e.STSRoleArn("CertManager")).SetRoleSessionName("credentials-go").
		SetSTSEndpoint(endpoint))
	if err != nil {
		t.Fatal(err)
	}
	c, err := openapi.NewClient(&openapiutil.Config{Credential: cred, Endpoint: dara.String(endpoint),
		Protocol: dara.String("https"), RegionId: dara.String("cn-hangzhou")})
	if err != nil {
		t.Fatal(err)
	}
	params := e2e.OpenAPIParams(slbsvc.APIVersion, "DescribeServerCertificates", "POST")
	params.Protocol = dara.String("HTTPS")
	out, err := c.CallApi(params, &openapiutil.OpenApiRequest{Query: map[string]*string{"RegionId": dara.String("cn-hangzhou")}}, &dara.RuntimeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out["body"].(map[string]any)["ServerCertificates"]; !ok {
		t.Fatalf("describe answered %v", out["body"])
	}
	out, err = c.CallApi(e2e.OpenAPIParams("2015-04-01", "GetCallerIdentity", "POST"), &openapiutil.OpenApiRequest{}, &dara.RuntimeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if arn := out["body"].(map[string]any)["Arn"]; arn != "acs:ram::"+e2e.STSAccountA+":assumed-role/CertManager/credentials-go" {
		t.Fatalf("GetCallerIdentity says %v", arn)
	}
}
