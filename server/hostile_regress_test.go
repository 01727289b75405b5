package server_test

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cas"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/keyring"
	"slbcert/server"
)

// TestHostileSecretsStayOut: a V1 signature that does not match answers
// SignatureDoesNotMatch with the server's string to sign, which clients
// print (Terraform's error output, CI logs): the values of PrivateKey, Key
// and SecurityToken in it are redacted.
func TestHostileSecretsStayOut(t *testing.T) {
	e := newHostileEnv(t)
	secretIn := func(t *testing.T, err error, secrets ...string) {
		t.Helper()
		var se *sdkerrors.ServerError
		if !errors.As(err, &se) || se.ErrorCode() != "SignatureDoesNotMatch" {
			t.Fatalf("want SignatureDoesNotMatch, got %v", err)
		}
		if !strings.Contains(se.Message(), "server string to sign is:") {
			t.Errorf("the message lost the string to sign: %s", se.Message())
		}
		for _, s := range secrets {
			if strings.Contains(se.Message(), s) || strings.Contains(se.Error(), s) {
				t.Fatalf("the answer holds a secret (%.20s…): %s", s, se.Message())
			}
		}
	}
	t.Run("error/SLB upload with a wrong secret", func(t *testing.T) {
		c := e.s.Client(t, "cn-hangzhou", "AKS-root", "wrong")
		req := slb.CreateUploadServerCertificateRequest()
		req.ServerCertificate, req.PrivateKey = e.pem.ChainPEM, e.pem.KeyPEM
		_, err := c.UploadServerCertificate(req)
		secretIn(t, err, keyBody(e.pem.KeyPEM)...)
	})
	t.Run("error/CAS upload with a wrong secret", func(t *testing.T) {
		c := e.s.CASClient(t, "AKS-root", "wrong")
		req := cas.CreateUploadUserCertificateRequest()
		req.Name, req.Cert, req.Key = "leak", e.pem.ChainPEM, e.pem.KeyPEM
		_, err := c.UploadUserCertificate(req)
		secretIn(t, err, keyBody(e.pem.KeyPEM)...)
	})
	t.Run("error/a session's call with a wrong secret", func(t *testing.T) {
		resp := e.s.Assume(t, "AKS-ci", "s-ci", e2e.AssumeRequest("CertManager", "leak"))
		c, err := slb.NewClientWithStsToken("cn-hangzhou", resp.Credentials.AccessKeyId, "wrong", resp.Credentials.SecurityToken)
		if err != nil {
			t.Fatal(err)
		}
		c.Domain = e.s.Addr()
		_, err = c.DescribeServerCertificates(slb.CreateDescribeServerCertificatesRequest())
		tok := resp.Credentials.SecurityToken
		secretIn(t, err, tok[:40], url.QueryEscape(url.QueryEscape(tok))[:40])
	})
	t.Run("ok/without secrets the SDK still recognises a wrong secret", func(t *testing.T) {
		_, err := e.s.Client(t, "cn-hangzhou", "AKS-root", "wrong").DescribeServerCertificates(slb.CreateDescribeServerCertificatesRequest())
		var se *sdkerrors.ServerError
		if !errors.As(err, &se) || se.Recommend() != "InvalidAccessKeySecret: Please check you AccessKeySecret" {
			t.Fatalf("got %v", err)
		}
	})
	for _, s := range append(keyBody(e.pem.KeyPEM), "s-root", "s-ci") {
		if strings.Contains(e.s.Log.String(), s) {
			t.Errorf("the log holds a secret (%.20s…)", s)
		}
	}

}

// TestHostileRotationKeepsServing: rotate-master-key while the server
// runs. The server opens sealed keys at run time (a catalog entry's Key,
// SLB's copy from the catalog), and holds only the keys it started with:
// until it restarts on the new key file, nothing may be sealed under a key
// it lacks.
func TestHostileRotationKeepsServing(t *testing.T) {
	dir := t.TempDir()
	pki := e2e.NewCatalogPKI(t, "rsa2048", "rotate.example.com", []string{"rotate.example.com"}, time.Time{}, time.Time{})
	s := e2e.Start(t, func(c *server.Config) { c.DataDir = dir })
	id := e2e.UploadUserCertificate(t, s.CASClient(t), "rotating", pki.CertPEM, pki.KeyPEM)

	out, err := e2e.RunCommand(t, "rotate-master-key", "--data", dir)
	if err != nil {
		t.Fatalf("rotate: %v\n%s", err, out)
	}
	t.Run("ok/the running server still opens its keys", func(t *testing.T) {
		if d := e2e.GetUserCertificateDetail(t, s.CASClient(t), id, false); d.Key != pki.KeyPEM {
			t.Fatalf("Key %q", d.Key)
		}
		if _, err := s.Client(t, "cn-hangzhou").UploadServerCertificate(e2e.FromCatalog("cn-hangzhou", fmt.Sprint(id), "rotating")); err != nil {
			t.Fatal(err)
		}
	})
	s.Close()
	s = e2e.Start(t, func(c *server.Config) { c.DataDir = dir })
	if out, err := e2e.RunCommand(t, "rotate-master-key", "--data", dir, "--retire"); err != nil {
		t.Fatalf("retire: %v\n%s", err, out)
	}
	t.Run("ok/after restart and retire", func(t *testing.T) {
		if d := e2e.GetUserCertificateDetail(t, s.CASClient(t), id, false); d.Key != pki.KeyPEM {
			t.Fatalf("Key %q", d.Key)
		}
		newID := keyring.KeyID(e2e.MasterKeys(t, dir)[0])
		if ids := sealedKeyIDs(t, dir); len(ids) != 1 || ids[newID] != 1 {
			t.Fatalf("blobs by key after retire: %v", ids)
		}
	})
}
