package server

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

	"slbcert/iam"
	"slbcert/internal/testpki"
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

func startIAMServer(t *testing.T, doc string) (*testServer, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "iam.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return startServer(t, func(c *Config) { c.IAMFile = path }), path
}

// noPermission asserts err is the 403 NoPermission refusing action to RAM
// user of account 1000000000000002, with kind (ImplicitDeny,
// ExplicitDeny) in its AccessDeniedDetail.
func noPermission(t *testing.T, err error, action, user, kind string) {
	t.Helper()
	se := serverError(t, err, "NoPermission", 403)
	d := se.AccessDeniedDetail()
	if d["AuthAction"] != action || d["AuthPrincipalDisplayName"] != iam.UserID("1000000000000002", user) || d["NoPermissionType"] != kind ||
		d["AuthPrincipalType"] != "SubUser" || d["AuthPrincipalOwnerId"] != "1000000000000002" || d["PolicyType"] == "" {
		t.Fatalf("AccessDeniedDetail %v, want %s by %s (%s)", d, action, user, kind)
	}
}

func TestIAMPolicies(t *testing.T) {
	s, _ := startIAMServer(t, testIAM)
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "iam.example.com"})
	as := func(id, secret string) *sdkCalls {
		return &sdkCalls{t: t, c: s.client(t, "cn-hangzhou", id, secret), region: "cn-hangzhou", format: "JSON"}
	}
	deployer, admin, root := as("AKA-deployer", "s-deployer"), as("AKA-admin", "s-admin"), as("AKA-root", "a-root")

	// deployer may upload and describe (case-insensitive action pattern) …
	dev := deployer.upload(srv.ChainPEM, srv.KeyPEM, "dev").ServerCertificateId
	prod := deployer.upload(srv.ChainPEM, srv.KeyPEM, "prod").ServerCertificateId
	if l, err := deployer.describe(dev); err != nil || len(l) != 1 {
		t.Fatalf("deployer describe: %v %v", l, err)
	}
	// … but not tag: implicit deny.
	noPermission(t, deployer.tag([]string{dev}, "env", "dev"), "slb:TagResources", "deployer", "ImplicitDeny")
	// admin may tag, but an explicit Deny beats its Allow on delete.
	if err := admin.tag([]string{dev}, "env", "dev"); err != nil {
		t.Fatal(err)
	}
	if err := admin.tag([]string{prod}, "env", "prod"); err != nil {
		t.Fatal(err)
	}
	noPermission(t, admin.delete(dev), "slb:DeleteServerCertificate", "admin", "ExplicitDeny")
	// deployer may delete only certificates tagged env=dev.
	noPermission(t, deployer.delete(prod), "slb:DeleteServerCertificate", "deployer", "ImplicitDeny")
	if err := deployer.delete(dev); err != nil {
		t.Fatalf("deployer deletes a dev certificate: %v", err)
	}
	// Conditions on the request: source address and transport.
	_, err := as("AKA-office", "s-office").describe("")
	noPermission(t, err, "slb:DescribeServerCertificates", "office", "ImplicitDeny")
	_, err = as("AKA-tls", "s-tls").describe("")
	noPermission(t, err, "slb:DescribeServerCertificates", "tls", "ImplicitDeny")
	// Inactive keys are refused before any policy.
	_, err = as("AKA-gone", "s-gone").describe("")
	serverError(t, err, "InvalidAccessKeyId.Inactive", 400)
	// The account's root key may do everything in its account.
	if err := root.delete(prod); err != nil {
		t.Fatal(err)
	}
}

func TestIAMAccountLimits(t *testing.T) {
	s, _ := startIAMServer(t, testIAM)
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "limits.example.com"})
	a := &sdkCalls{t: t, c: s.client(t, "cn-beijing", "AKA-root", "a-root"), region: "cn-beijing", format: "JSON"}
	_, err := a.c.UploadServerCertificate(uploadRequest("cn-beijing", srv.ChainPEM, srv.KeyPEM))
	serverError(t, err, "UnauthorizedRegion", 403)
	// Unknown regions stay unknown, even for a restricted account.
	_, err = a.c.UploadServerCertificate(uploadRequest("xx-nowhere-1", srv.ChainPEM, srv.KeyPEM))
	serverError(t, err, "InvalidRegionId.NotFound", 404)

	ha := &sdkCalls{t: t, c: s.client(t, "cn-hangzhou", "AKA-root", "a-root"), region: "cn-hangzhou", format: "JSON"}
	hb := &sdkCalls{t: t, c: s.client(t, "cn-hangzhou", "AKB-root", "b-root"), region: "cn-hangzhou", format: "JSON"}
	var ids []string
	for i := 0; i < 3; i++ {
		ids = append(ids, ha.upload(srv.ChainPEM, srv.KeyPEM, "").ServerCertificateId)
	}
	_, err = ha.c.UploadServerCertificate(uploadRequest("cn-hangzhou", srv.ChainPEM, srv.KeyPEM))
	serverError(t, err, "OverQuota", 400)
	_, err = ha.c.UploadCACertificate(uploadCARequest(ha, testpki.ChainPEM(srv.Intermediate), ""))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ha.c.UploadCACertificate(uploadCARequest(ha, testpki.ChainPEM(srv.Intermediate), ""))
	serverError(t, err, "OverQuota", 400)

	// Isolation, both ways: B neither sees, changes nor counts A's certificates.
	bID := hb.upload(srv.ChainPEM, srv.KeyPEM, "").ServerCertificateId
	for _, tc := range []struct {
		k     *sdkCalls
		other string
	}{{hb, ids[0]}, {ha, bID}} {
		if l, err := tc.k.describe(tc.other); err != nil || len(l) != 0 {
			t.Fatalf("describe another account's id: %v %v", l, err)
		}
		serverError(t, tc.k.delete(tc.other), "ServerCertificateId.NotFound", 400)
		serverError(t, tc.k.rename(tc.other, "x"), "ServerCertificateId.NotFound", 400)
		serverError(t, tc.k.tag([]string{tc.other}, "k", "v"), "ResourceNotFound", 400)
		lt, err := tc.k.listTags([]string{tc.other}, nil, "")
		if err != nil || len(lt.TagResources.TagResource) != 0 {
			t.Fatalf("list another account's tags: %v %v", lt, err)
		}
	}
	if l, _ := hb.describe(""); len(l) != 1 || l[0].ServerCertificateId != bID {
		t.Fatalf("B lists %v", l)
	}
	if l, _ := ha.describe(""); len(l) != 3 {
		t.Fatalf("A lists %d", len(l))
	}
}

func TestIAMDarabonba(t *testing.T) {
	s, _ := startIAMServer(t, testIAM)
	client := func(id, secret string) *openapi.Client {
		c, err := openapi.NewClient(&openapiutil.Config{AccessKeyId: dara.String(id), AccessKeySecret: dara.String(secret),
			Endpoint: dara.String(s.Addr()), Protocol: dara.String("http"), RegionId: dara.String("cn-hangzhou")})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	q := &openapiutil.OpenApiRequest{Query: map[string]*string{"RegionId": dara.String("cn-hangzhou")}}
	if _, err := client("AKA-deployer", "s-deployer").CallApi(openAPIParams(slbsvc.APIVersion, "DescribeServerCertificates", "POST"), q, &dara.RuntimeOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := client("AKA-deployer", "s-deployer").CallApi(openAPIParams(slbsvc.APIVersion, "UploadCACertificate", "POST"), q, &dara.RuntimeOptions{})
	if err == nil || !strings.Contains(err.Error(), "NoPermission") || !strings.Contains(err.Error(), "403") {
		t.Fatalf("V3 denial: %v", err)
	}
}

// TestIAMReload: SIGHUP's reload takes a new file; a broken one keeps the last good.
func TestIAMReload(t *testing.T) {
	s, path := startIAMServer(t, testIAM)
	describeAs := func(id, secret string) error {
		_, err := (&sdkCalls{t: t, c: s.client(t, "cn-hangzhou", id, secret), region: "cn-hangzhou", format: "JSON"}).describe("")
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
	serverError(t, describeAs("AKA-deployer", "s-deployer"), "InvalidAccessKeyId.NotFound", 404)
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
	if !strings.Contains(s.log.String(), "IAM reload failed") {
		t.Fatal("the failed reload was not logged")
	}
	// The root key from the environment still works throughout.
	if err := describeAs(testAccessKeyID, testAccessKeySecret); err != nil {
		t.Fatal(err)
	}
}

func TestStaleAndTokens(t *testing.T) {
	s := startServer(t)
	q := signedQuery("GET", slbsvc.APIVersion, testAccessKeyID, testAccessKeySecret, "", map[string][]string{"Action": {"DescribeRegions"}, "Timestamp": {time.Now().Add(-16 * time.Minute).UTC().Format("2006-01-02T15:04:05Z")}})
	code, body := s.get(t, "/?"+q.Encode())
	if code != 400 || !strings.Contains(body, `"InvalidTimeStamp.Expired"`) {
		t.Fatalf("stale request: %d %s", code, body)
	}
	q = signedQuery("GET", slbsvc.APIVersion, testAccessKeyID, testAccessKeySecret, "", map[string][]string{"Action": {"DescribeRegions"}, "Timestamp": {time.Now().Add(16 * time.Minute).UTC().Format("2006-01-02T15:04:05Z")}})
	if code, body = s.get(t, "/?"+q.Encode()); code != 400 || !strings.Contains(body, `"InvalidTimeStamp.Expired"`) {
		t.Fatalf("future request: %d %s", code, body)
	}
	sts, err := slb.NewClientWithStsToken("cn-hangzhou", testAccessKeyID, testAccessKeySecret, "token")
	if err != nil {
		t.Fatal(err)
	}
	sts.Domain = s.Addr()
	_, err = sts.DescribeRegions(slb.CreateDescribeRegionsRequest())
	serverError(t, err, "InvalidSecurityToken.Malformed", 400)
}

// TestExampleIAMFile: the example in the repository loads.
func TestExampleIAMFile(t *testing.T) {
	s := startServer(t, func(c *Config) { c.IAMFile = "../examples/iam.json" })
	k := &sdkCalls{t: t, c: s.client(t, "cn-hangzhou", "LTAI4TeamAdeployer001", "deployer-secret"), region: "cn-hangzhou", format: "JSON"}
	if _, err := k.describe(""); err != nil {
		t.Fatal(err)
	}
}
