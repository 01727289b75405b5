package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
	"slbcert/server"
	slbsvc "slbcert/slb"
)

// testIAM declares two accounts; account A has a root key and RAM users
// with different policies, account B a root key.
const testIAM = `{"accounts": [
 {"id": "1000000000000002",
  "accessKeys": [{"id": "AKA-root", "secret": "a-root"}],
  "authorizedRegions": ["cn-hangzhou", "cn-shanghai"],
  "quotas": {"serverCertificatesPerRegion": 3, "caCertificatesPerRegion": 1},
  "policies": [
   {"name": "Uploader", "document": {"Version": "1", "Statement": [
     {"Effect": "Allow", "Action": ["slb:UploadServerCertificate", "slb:describe*"], "Resource": "*"}]}},
   {"name": "Everything", "document": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "slb:*", "Resource": "*"}]}},
   {"name": "NoDelete", "document": {"Version": "1", "Statement": [
     {"Effect": "Deny", "Action": "slb:Delete*", "Resource": "acs:slb:*:1000000000000002:certificate/*"}]}},
   {"name": "DevDelete", "document": {"Version": "1", "Statement": [
     {"Effect": "Allow", "Action": "slb:DeleteServerCertificate", "Resource": "acs:slb:cn-hangzhou:1000000000000002:certificate/*",
      "Condition": {"StringEquals": {"slb:tag/env": "dev"}}}]}},
   {"name": "FromOffice", "document": {"Version": "1", "Statement": [
     {"Effect": "Allow", "Action": "slb:*", "Resource": "*", "Condition": {"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}}}]}},
   {"name": "TLSOnly", "document": {"Version": "1", "Statement": [
     {"Effect": "Allow", "Action": "slb:*", "Resource": "*", "Condition": {"Bool": {"acs:SecureTransport": "true"}}}]}}
  ],
  "users": [
   {"name": "deployer", "accessKeys": [{"id": "AKA-deployer", "secret": "s-deployer"}], "policies": ["Uploader", "DevDelete"]},
   {"name": "admin", "accessKeys": [{"id": "AKA-admin", "secret": "s-admin"}], "policies": ["Everything", "NoDelete"]},
   {"name": "office", "accessKeys": [{"id": "AKA-office", "secret": "s-office"}], "policies": ["FromOffice"]},
   {"name": "tls", "accessKeys": [{"id": "AKA-tls", "secret": "s-tls"}], "policies": ["TLSOnly"]},
   {"name": "gone", "accessKeys": [{"id": "AKA-gone", "secret": "s-gone", "status": "Inactive"}], "policies": ["Everything"]}
  ]},
 {"id": "1000000000000003", "accessKeys": [{"id": "AKB-root", "secret": "b-root"}]}
]}`

func TestIAMPolicies(t *testing.T) {
	s, _ := e2e.StartWithIAM(t, testIAM)
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "iam.example.com"})
	as := func(id, secret string) *e2e.SLBCalls {
		return &e2e.SLBCalls{T: t, C: s.Client(t, "cn-hangzhou", id, secret), Region: "cn-hangzhou", Format: "JSON"}
	}
	deployer, admin, root := as("AKA-deployer", "s-deployer"), as("AKA-admin", "s-admin"), as("AKA-root", "a-root")

	// deployer may upload and describe (case-insensitive action pattern) …
	dev := deployer.Upload(srv.ChainPEM, srv.KeyPEM, "dev").ServerCertificateId
	prod := deployer.Upload(srv.ChainPEM, srv.KeyPEM, "prod").ServerCertificateId
	if l, err := deployer.Describe(dev); err != nil || len(l) != 1 {
		t.Fatalf("deployer describe: %v %v", l, err)
	}
	// … but not tag: implicit deny.
	e2e.NoPermission(t, deployer.Tag([]string{dev}, "env", "dev"), "slb:TagResources", "deployer", "ImplicitDeny")
	// admin may tag, but an explicit Deny beats its Allow on delete.
	if err := admin.Tag([]string{dev}, "env", "dev"); err != nil {
		t.Fatal(err)
	}
	if err := admin.Tag([]string{prod}, "env", "prod"); err != nil {
		t.Fatal(err)
	}
	e2e.NoPermission(t, admin.Delete(dev), "slb:DeleteServerCertificate", "admin", "ExplicitDeny")
	// deployer may delete only certificates tagged env=dev.
	e2e.NoPermission(t, deployer.Delete(prod), "slb:DeleteServerCertificate", "deployer", "ImplicitDeny")
	if err := deployer.Delete(dev); err != nil {
		t.Fatalf("deployer deletes a dev certificate: %v", err)
	}
	// Conditions on the request: source address and transport.
	_, err := as("AKA-office", "s-office").Describe("")
	e2e.NoPermission(t, err, "slb:DescribeServerCertificates", "office", "ImplicitDeny")
	_, err = as("AKA-tls", "s-tls").Describe("")
	e2e.NoPermission(t, err, "slb:DescribeServerCertificates", "tls", "ImplicitDeny")
	// Inactive keys are refused before any policy.
	_, err = as("AKA-gone", "s-gone").Describe("")
	e2e.ServerError(t, err, "InvalidAccessKeyId.Inactive", 400)
	// The account's root key may do everything in its account.
	if err := root.Delete(prod); err != nil {
		t.Fatal(err)
	}
}

func TestIAMAccountLimits(t *testing.T) {
	s, _ := e2e.StartWithIAM(t, testIAM)
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "limits.example.com"})
	a := &e2e.SLBCalls{T: t, C: s.Client(t, "cn-beijing", "AKA-root", "a-root"), Region: "cn-beijing", Format: "JSON"}
	_, err := a.C.UploadServerCertificate(e2e.UploadRequest("cn-beijing", srv.ChainPEM, srv.KeyPEM))
	e2e.ServerError(t, err, "UnauthorizedRegion", 403)
	// Unknown regions stay unknown, even for a restricted account.
	_, err = a.C.UploadServerCertificate(e2e.UploadRequest("xx-nowhere-1", srv.ChainPEM, srv.KeyPEM))
	e2e.ServerError(t, err, "InvalidRegionId.NotFound", 404)

	ha := &e2e.SLBCalls{T: t, C: s.Client(t, "cn-hangzhou", "AKA-root", "a-root"), Region: "cn-hangzhou", Format: "JSON"}
	hb := &e2e.SLBCalls{T: t, C: s.Client(t, "cn-hangzhou", "AKB-root", "b-root"), Region: "cn-hangzhou", Format: "JSON"}
	var ids []string
	for i := 0; i < 3; i++ {
		ids = append(ids, ha.Upload(srv.ChainPEM, srv.KeyPEM, "").ServerCertificateId)
	}
	_, err = ha.C.UploadServerCertificate(e2e.UploadRequest("cn-hangzhou", srv.ChainPEM, srv.KeyPEM))
	e2e.ServerError(t, err, "OverQuota", 400)
	_, err = ha.C.UploadCACertificate(e2e.UploadCARequest(ha, testpki.ChainPEM(srv.Intermediate), ""))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ha.C.UploadCACertificate(e2e.UploadCARequest(ha, testpki.ChainPEM(srv.Intermediate), ""))
	e2e.ServerError(t, err, "OverQuota", 400)

	// Isolation, both ways: B neither sees, changes nor counts A's certificates.
	bID := hb.Upload(srv.ChainPEM, srv.KeyPEM, "").ServerCertificateId
	for _, tc := range []struct {
		k     *e2e.SLBCalls
		other string
	}{{hb, ids[0]}, {ha, bID}} {
		if l, err := tc.k.Describe(tc.other); err != nil || len(l) != 0 {
			t.Fatalf("describe another account's id: %v %v", l, err)
		}
		e2e.ServerError(t, tc.k.Delete(tc.other), "ServerCertificateId.NotFound", 400)
		e2e.ServerError(t, tc.k.Rename(tc.other, "x"), "ServerCertificateId.NotFound", 400)
		e2e.ServerError(t, tc.k.Tag([]string{tc.other}, "k", "v"), "ResourceNotFound", 400)
		lt, err := tc.k.ListTags([]string{tc.other}, nil, "")
		if err != nil || len(lt.TagResources.TagResource) != 0 {
			t.Fatalf("list another account's tags: %v %v", lt, err)
		}
	}
	if l, _ := hb.Describe(""); len(l) != 1 || l[0].ServerCertificateId != bID {
		t.Fatalf("B lists %v", l)
	}
	if l, _ := ha.Describe(""); len(l) != 3 {
		t.Fatalf("A lists %d", len(l))
	}
}

func TestIAMDarabonba(t *testing.T) {
	s, _ := e2e.StartWithIAM(t, testIAM)
	client := func(id, secret string) *openapi.Client {
		c, err := openapi.NewClient(&openapiutil.Config{AccessKeyId: dara.String(id), AccessKeySecret: dara.String(secret),
			Endpoint: dara.String(s.Addr()), Protocol: dara.String("http"), RegionId: dara.String("cn-hangzhou")})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	q := &openapiutil.OpenApiRequest{Query: map[string]*string{"RegionId": dara.String("cn-hangzhou")}}
	if _, err := client("AKA-deployer", "s-deployer").CallApi(e2e.OpenAPIParams(slbsvc.APIVersion, "DescribeServerCertificates", "POST"), q, &dara.RuntimeOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := client("AKA-deployer", "s-deployer").CallApi(e2e.OpenAPIParams(slbsvc.APIVersion, "UploadCACertificate", "POST"), q, &dara.RuntimeOptions{})
	if err == nil || !strings.Contains(err.Error(), "NoPermission") || !strings.Contains(err.Error(), "403") {
		t.Fatalf("V3 denial: %v", err)
	}
}

// TestIAMReload: SIGHUP's reload takes a new file; a broken one keeps the last good.
func TestIAMReload(t *testing.T) {
	s, path := e2e.StartWithIAM(t, testIAM)
	describeAs := func(id, secret string) error {
		_, err := (&e2e.SLBCalls{T: t, C: s.Client(t, "cn-hangzhou", id, secret), Region: "cn-hangzhou", Format: "JSON"}).Describe("")
		return err
	}
	if err := describeAs("AKA-deployer", "s-deployer"); err != nil {
		t.Fatal(err)
	}
	revoked := strings.Replace(testIAM, `"AKA-deployer"`, `"AKA-deployer2"`, 1)
	os.WriteFile(path, []byte(revoked), 0o600)
	if err := s.ReloadIAM(); err != nil {
		t.Fatal(err)
	}
	e2e.ServerError(t, describeAs("AKA-deployer", "s-deployer"), "InvalidAccessKeyId.NotFound", 404)
	if err := describeAs("AKA-deployer2", "s-deployer"); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, []byte(`{"accounts": [{"id": "bad"}]}`), 0o600)
	if err := s.ReloadIAM(); err == nil {
		t.Fatal("a broken file loaded")
	}
	if err := describeAs("AKA-deployer2", "s-deployer"); err != nil {
		t.Fatalf("after a failed reload: %v", err)
	}
	if !strings.Contains(s.Log.String(), "IAM reload failed") {
		t.Fatal("the failed reload was not logged")
	}
	// The root key from the environment still works throughout.
	if err := describeAs(e2e.AccessKeyID, e2e.AccessKeySecret); err != nil {
		t.Fatal(err)
	}
}

func TestStaleAndTokens(t *testing.T) {
	s := e2e.Start(t)
	q := e2e.SignedQuery("GET", slbsvc.APIVersion, e2e.AccessKeyID, e2e.AccessKeySecret, "", map[string][]string{"Action": {"DescribeRegions"}, "Timestamp": {time.Now().Add(-16 * time.Minute).UTC().Format("2006-01-02T15:04:05Z")}})
	code, body := s.Get(t, "/?"+q.Encode())
	if code != 400 || !strings.Contains(body, `"InvalidTimeStamp.Expired"`) {
		t.Fatalf("stale request: %d %s", code, body)
	}
	q = e2e.SignedQuery("GET", slbsvc.APIVersion, e2e.AccessKeyID, e2e.AccessKeySecret, "", map[string][]string{"Action": {"DescribeRegions"}, "Timestamp": {time.Now().Add(16 * time.Minute).UTC().Format("2006-01-02T15:04:05Z")}})
	if code, body = s.Get(t, "/?"+q.Encode()); code != 400 || !strings.Contains(body, `"InvalidTimeStamp.Expired"`) {
		t.Fatalf("future request: %d %s", code, body)
	}
	sts, err := slb.NewClientWithStsToken("cn-hangzhou", e2e.AccessKeyID, e2e.AccessKeySecret, "token")
	if err != nil {
		t.Fatal(err)
	}
	sts.Domain = s.Addr()
	_, err = sts.DescribeRegions(slb.CreateDescribeRegionsRequest())
	e2e.ServerError(t, err, "InvalidSecurityToken.Malformed", 400)
}

// TestExampleIAMFile: the example in the repository loads.
func TestExampleIAMFile(t *testing.T) {
	example, err := filepath.Abs("../examples/iam.json")
	if err != nil {
		t.Fatal(err)
	}
	s := e2e.Start(t, func(c *server.Config) { c.IAMFile = example })
	k := &e2e.SLBCalls{T: t, C: s.Client(t, "cn-hangzhou", "LTAI4TeamAdeployer001", "deployer-secret"), Region: "cn-hangzhou", Format: "JSON"}
	if _, err := k.Describe(""); err != nil {
		t.Fatal(err)
	}
}
