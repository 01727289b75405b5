package server

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cas"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
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
