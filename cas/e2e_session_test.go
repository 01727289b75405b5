package cas_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cas"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
	sdksts "github.com/aliyun/alibaba-cloud-sdk-go/services/sts"

	"slbcert/internal/e2e"
	"slbcert/server"
)

// catalogRoleIAM: user ci may assume CatalogKeeper, whose policy allows the
// whole catalog and SLB uploads.
const catalogRoleIAM = `{"accounts": [{"id": "1000000000000002",
  "policies": [
   {"name": "AssumeRoles", "document": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}},
   {"name": "Catalog", "document": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": ["yundun-cert:*", "slb:UploadServerCertificate", "slb:DescribeServerCertificates"], "Resource": "*"}]}}
  ],
  "users": [{"name": "ci", "accessKeys": [{"id": "AKC-ci", "secret": "s-ci"}], "policies": ["AssumeRoles"]}],
  "roles": [{"name": "CatalogKeeper", "policies": ["Catalog"],
    "trustPolicy": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
      "Principal": {"RAM": "acs:ram::1000000000000002:root"}}]}}]}]}`

// A session of a role works the catalog and copies from it into SLB; a
// session policy narrows it, and the denial names the session.
func TestCatalogWithSession(t *testing.T) {
	path := filepath.Join(t.TempDir(), "iam.json")
	if err := os.WriteFile(path, []byte(catalogRoleIAM), 0o600); err != nil {
		t.Fatal(err)
	}
	s := e2e.Start(t, func(c *server.Config) { c.IAMFile = path })

	assume := func(session, policy string) sdksts.Credentials {
		req := sdksts.CreateAssumeRoleRequest()
		req.RoleArn = "acs:ram::1000000000000002:role/CatalogKeeper"
		req.RoleSessionName = session
		req.Policy = policy
		return s.Assume(t, "AKC-ci", "s-ci", req).Credentials
	}
	casAs := func(creds sdksts.Credentials) *cas.Client {
		c, err := cas.NewClientWithStsToken("cn-hangzhou", creds.AccessKeyId, creds.AccessKeySecret, creds.SecurityToken)
		if err != nil {
			t.Fatal(err)
		}
		c.Domain = s.Addr()
		return c
	}

	creds := assume("deploy", "")
	c := casAs(creds)
	pki := e2e.NewCatalogPKI(t, "rsa2048", "session.example.com", []string{"session.example.com"}, time.Time{}, time.Time{})
	certID := e2e.UploadUserCertificate(t, c, "from-session", pki.CertPEM, pki.KeyPEM)

	slbc, err := slb.NewClientWithStsToken("cn-hangzhou", creds.AccessKeyId, creds.AccessKeySecret, creds.SecurityToken)
	if err != nil {
		t.Fatal(err)
	}
	slbc.Domain = s.Addr()
	copyReq := slb.CreateUploadServerCertificateRequest()
	copyReq.Scheme = "http"
	copyReq.AliCloudCertificateId = strconv.FormatInt(certID, 10)
	copyReq.AliCloudCertificateName = "from-session"
	copied, err := slbc.UploadServerCertificate(copyReq)
	if err != nil {
		t.Fatalf("SLB copy with a session: %v", err)
	}
	if copied.IsAliCloudCertificate != 1 || copied.CommonName != "session.example.com" {
		t.Fatalf("copy: %+v", copied)
	}

	// The session policy allows everything but deletes: the role allows
	// them, the session does not.
	narrow := `{"Version":"1","Statement":[{"Effect":"Allow","Action":"yundun-cert:*","Resource":"*"},` +
		`{"Effect":"Deny","Action":"yundun-cert:DeleteUserCertificate","Resource":"*"}]}`
	del := cas.CreateDeleteUserCertificateRequest()
	del.Scheme = "http"
	del.CertId = requests.NewInteger64(certID)
	_, err = casAs(assume("narrow", narrow)).DeleteUserCertificate(del)
	se := e2e.ServerError(t, err, "NoPermission", 403)
	detail := se.AccessDeniedDetail()
	if detail["AuthPrincipalType"] != "AssumedRoleUser" || detail["AuthPrincipalDisplayName"] != "CatalogKeeper:narrow" ||
		detail["PolicyType"] != "SessionPolicy" || detail["AuthAction"] != "yundun-cert:DeleteUserCertificate" {
		t.Fatalf("AccessDeniedDetail = %v", detail)
	}
	if _, err := c.DeleteUserCertificate(del); err != nil {
		t.Fatalf("delete with the unnarrowed session: %v", err)
	}
}
