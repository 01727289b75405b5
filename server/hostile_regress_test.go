package server

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

	"slbcert/keyring"
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
		c := e.s.client(t, "cn-hangzhou", "AKS-root", "wrong")
		req := slb.CreateUploadServerCertificateRequest()
		req.ServerCertificate, req.PrivateKey = e.pem.ChainPEM, e.pem.KeyPEM
		_, err := c.UploadServerCertificate(req)
		secretIn(t, err, keyBody(e.pem.KeyPEM)...)
	})
	t.Run("error/CAS upload with a wrong secret", func(t *testing.T) {
		c := e.s.casClient(t, "AKS-root", "wrong")
		req := cas.CreateUploadUserCertificateRequest()
		req.Name, req.Cert, req.Key = "leak", e.pem.ChainPEM, e.pem.KeyPEM
		_, err := c.UploadUserCertificate(req)
		secretIn(t, err, keyBody(e.pem.KeyPEM)...)
	})
	t.Run("error/a session's call with a wrong secret", func(t *testing.T) {
		resp := e.s.assume(t, "AKS-ci", "s-ci", assumeRequest("CertManager", "leak"))
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
		_, err := e.s.client(t, "cn-hangzhou", "AKS-root", "wrong").DescribeServerCertificates(slb.CreateDescribeServerCertificatesRequest())
		var se *sdkerrors.ServerError
		if !errors.As(err, &se) || se.Recommend() != "InvalidAccessKeySecret: Please check you AccessKeySecret" {
			t.Fatalf("got %v", err)
		}
	})
	for _, s := range append(keyBody(e.pem.KeyPEM), "s-root", "s-ci") {
		if strings.Contains(e.s.log.String(), s) {
			t.Errorf("the log holds a secret (%.20s…)", s)
		}
	}

}

// TestHostileListLimits: a list parameter over its limit says how many
// were given, not an empty quoted value.
func TestHostileListLimits(t *testing.T) {
	e := newHostileEnv(t)
	f := e.fixture()
	many := func(prefix, v string, n int) map[string]string {
		p := map[string]string{"RegionId": "cn-hangzhou"}
		for i := 1; i <= n; i++ {
			p[prefix+"."+itoa(i)] = v
		}
		return p
	}
	for _, tc := range []struct {
		name, action string
		params       map[string]string
		want         string
	}{
		{"error/11 load balancers", "DescribeLoadBalancerListeners", many("LoadBalancerId", f["LoadBalancerId"], 11), "at most 10 load balancers, got 11"},
		{"error/5 TLS versions", "CreateTLSCipherPolicy", func() map[string]string {
			p := many("TLSVersions", "TLSv1.2", 5)
			p["Name"], p["Ciphers.1"] = "pp", "AES128-SHA"
			return p
		}(), "at most 4 versions, got 5"},
		{"error/33 cipher suites", "CreateTLSCipherPolicy", func() map[string]string {
			p := many("Ciphers", "AES128-SHA", 33)
			p["Name"], p["TLSVersions.1"] = "pp", "TLSv1.2"
			return p
		}(), "at most 32 cipher suites, got 33"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := e.call("Slb", "2014-05-15", tc.action, tc.params, false)
			se := serverError(t, err, "InvalidParameter", 400)
			if !strings.Contains(se.Message(), tc.want) || strings.Contains(se.Message(), `""`) {
				t.Errorf("message %q, want it to say %q", se.Message(), tc.want)
			}
		})
	}
}

// TestHostileRotationKeepsServing: rotate-master-key while the server
// runs. The server opens sealed keys at run time (a catalog entry's Key,
// SLB's copy from the catalog), and holds only the keys it started with:
// until it restarts on the new key file, nothing may be sealed under a key
// it lacks.
func TestHostileRotationKeepsServing(t *testing.T) {
	dir := t.TempDir()
	pki := newCatalogPKI(t, "rsa2048", "rotate.example.com", []string{"rotate.example.com"}, time.Time{}, time.Time{})
	s := startServer(t, func(c *Config) { c.DataDir = dir })
	id := uploadUserCertificate(t, s.casClient(t), "rotating", pki.CertPEM, pki.KeyPEM)

	out, err := runCommand(t, "rotate-master-key", "--data", dir)
	if err != nil {
		t.Fatalf("rotate: %v\n%s", err, out)
	}
	t.Run("ok/the running server still opens its keys", func(t *testing.T) {
		if d := getDetail(t, s.casClient(t), id, false); d.Key != pki.KeyPEM {
			t.Fatalf("Key %q", d.Key)
		}
		if _, err := s.client(t, "cn-hangzhou").UploadServerCertificate(fromCatalog("cn-hangzhou", fmt.Sprint(id), "rotating")); err != nil {
			t.Fatal(err)
		}
	})
	s.Close()
	s = startServer(t, func(c *Config) { c.DataDir = dir })
	if out, err := runCommand(t, "rotate-master-key", "--data", dir, "--retire"); err != nil {
		t.Fatalf("retire: %v\n%s", err, out)
	}
	t.Run("ok/after restart and retire", func(t *testing.T) {
		if d := getDetail(t, s.casClient(t), id, false); d.Key != pki.KeyPEM {
			t.Fatalf("Key %q", d.Key)
		}
		newID := keyring.KeyID(masterKeys(t, dir)[0])
		if ids := sealedKeyIDs(t, dir); len(ids) != 1 || ids[newID] != 1 {
			t.Fatalf("blobs by key after retire: %v", ids)
		}
	})
}

// TestHostileResourceGroupFilter: a malformed ResourceGroupId filter is
// refused as DescribeServerCertificates refuses it (contract.md §2), not
// read as a filter that matches nothing.
func TestHostileResourceGroupFilter(t *testing.T) {
	e := newHostileEnv(t)
	e.fixture()
	for _, tc := range []struct{ name, action, value, code string }{
		{"error/DescribeLoadBalancers, upper case", "DescribeLoadBalancers", "RG-ABC", "InvalidParameter.ResourceGroupId"},
		{"error/DescribeLoadBalancers, no prefix", "DescribeLoadBalancers", "BAD", "InvalidParameter.ResourceGroupId"},
		{"error/DescribeServerCertificates, no prefix", "DescribeServerCertificates", "BAD", "InvalidParameter.ResourceGroupId"},
		{"ok/DescribeLoadBalancers, another group", "DescribeLoadBalancers", "rg-zz", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := e.call("Slb", "2014-05-15", tc.action, map[string]string{"RegionId": "cn-hangzhou", "ResourceGroupId": tc.value}, false)
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			serverError(t, err, tc.code, 400)
		})
	}
}
