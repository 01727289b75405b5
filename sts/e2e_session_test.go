package sts_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	sdksts "github.com/aliyun/alibaba-cloud-sdk-go/services/sts"

	"slbcert/iam"
	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
	slbsvc "slbcert/slb"
)

var expirationPattern = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

// TestSTSSessionV1: a RAM user assumes a role through the Go SDK's STS
// client and, with the temporary set, uploads, describes and deletes
// through the SLB client (SecurityToken as a signed V1 parameter); the
// certificate belongs to the role's account; the log names the session
// and holds neither its secret nor its token.
func TestSTSSessionV1(t *testing.T) {
	s, _ := startSTSServer(t)
	before := time.Now().UTC().Truncate(time.Second)
	req := e2e.AssumeRequest("CertManager", "ci-session")
	resp := s.Assume(t, "AKS-ci", "s-ci", req)
	creds := resp.Credentials
	if !strings.HasPrefix(creds.AccessKeyId, "STS.") || len(creds.AccessKeySecret) < 40 || len(creds.SecurityToken) < 100 {
		t.Fatalf("credentials %+v", creds)
	}
	exp, err := time.Parse("2006-01-02T15:04:05Z", creds.Expiration)
	if err != nil || !expirationPattern.MatchString(creds.Expiration) {
		t.Fatalf("Expiration %q: %v", creds.Expiration, err)
	}
	if d := exp.Sub(before); d < time.Hour || d > time.Hour+5*time.Second {
		t.Fatalf("Expiration %s is %v after the request", creds.Expiration, d)
	}
	if u := resp.AssumedRoleUser; u.Arn != "acs:ram::"+e2e.STSAccountA+":role/CertManager/ci-session" ||
		!regexp.MustCompile(`^3\d{17}:ci-session$`).MatchString(u.AssumedRoleId) || resp.RequestId == "" {
		t.Fatalf("AssumedRoleUser %+v", u)
	}

	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "session.example.com"})
	k := sessionCalls(t, s, creds)
	up := k.Upload(srv.ChainPEM, srv.KeyPEM, "by-session")
	if !strings.HasPrefix(up.ServerCertificateId, e2e.STSAccountA+"_") {
		t.Fatalf("the session's certificate %s is not the role account's", up.ServerCertificateId)
	}
	if l, err := k.Describe(up.ServerCertificateId); err != nil || len(l) != 1 || l[0].ServerCertificateName != "by-session" {
		t.Fatalf("describe as the session: %v %v", l, err)
	}
	// The role's account sees it with its root key.
	root := &e2e.SLBCalls{T: t, C: s.Client(t, "cn-hangzhou", "AKS-root", "s-root"), Region: "cn-hangzhou", Format: "JSON"}
	if l, err := root.Describe(up.ServerCertificateId); err != nil || len(l) != 1 {
		t.Fatalf("describe as the account: %v %v", l, err)
	}
	if err := k.Delete(up.ServerCertificateId); err != nil {
		t.Fatal(err)
	}

	who, err := s.STSClient(t, creds.AccessKeyId, creds.AccessKeySecret, creds.SecurityToken).GetCallerIdentity(stsIdentityRequest())
	if err != nil {
		t.Fatal(err)
	}
	if who.IdentityType != "AssumedRoleUser" || who.Arn != "acs:ram::"+e2e.STSAccountA+":assumed-role/CertManager/ci-session" ||
		who.AccountId != e2e.STSAccountA || who.PrincipalId != resp.AssumedRoleUser.AssumedRoleId || who.UserId != "" ||
		who.PrincipalId != who.RoleId+":ci-session" {
		t.Fatalf("GetCallerIdentity %+v", who)
	}

	log := s.Log.String()
	line := regexp.MustCompile(`\{[^\n]*"msg":"request"[^\n]*"action":"UploadServerCertificate"[^\n]*\}`).FindString(log)
	for _, field := range []string{`"principal":"assumed-role/CertManager/ci-session"`, `"access_key_id":"` + creds.AccessKeyId + `"`, `"account":"` + e2e.STSAccountA + `"`} {
		if !strings.Contains(line, field) {
			t.Errorf("request log line %q lacks %s", line, field)
		}
	}
	if !strings.Contains(log, `"principal":"user/ci"`) {
		t.Error("the AssumeRole request's log line does not name user/ci")
	}
	for name, secret := range map[string]string{"secret": creds.AccessKeySecret, "token": creds.SecurityToken, "token prefix": creds.SecurityToken[:32],
		"token suffix": creds.SecurityToken[len(creds.SecurityToken)-32:], "user secret": "s-ci\""} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds the %s", name)
		}
	}
}

// stsIdentityRequest is the SDK's GetCallerIdentity request, JSON.
func stsIdentityRequest() *sdksts.GetCallerIdentityRequest {
	req := sdksts.CreateGetCallerIdentityRequest()
	req.AcceptFormat = "JSON"
	return req
}

// TestSTSSessionV3: darabonba (signature V3, x-acs-security-token as a
// signed header) uploads, describes and deletes with a session, and asks
// who it is; darabonba's V2 signing (SecurityToken in the query) works too.
func TestSTSSessionV3(t *testing.T) {
	s, _ := startSTSServer(t)
	creds := s.Assume(t, "AKS-ci", "s-ci", e2e.AssumeRequest("CertManager", "v3-session")).Credentials
	c := darabonbaSTS(t, s, creds)
	srv := testpki.NewServer("p256", testpki.Leaf{CommonName: "v3-session.example.com"})
	out, err := c.CallApi(e2e.OpenAPIParams(slbsvc.APIVersion, "UploadServerCertificate", "POST"), &openapiutil.OpenApiRequest{
		Query: map[string]*string{"RegionId": dara.String("eu-west-1")},
		Body:  map[string]any{"ServerCertificate": srv.ChainPEM, "PrivateKey": srv.KeyPEM},
	}, &dara.RuntimeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	id, _ := out["body"].(map[string]any)["ServerCertificateId"].(string)
	if !strings.HasPrefix(id, e2e.STSAccountA+"_") {
		t.Fatalf("upload answered %v", out["body"])
	}
	out, err = c.CallApi(e2e.OpenAPIParams(slbsvc.APIVersion, "DescribeServerCertificates", "GET"), &openapiutil.OpenApiRequest{
		Query: map[string]*string{"RegionId": dara.String("eu-west-1"), "ServerCertificateId": dara.String(id)},
	}, &dara.RuntimeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if list := out["body"].(map[string]any)["ServerCertificates"].(map[string]any)["ServerCertificate"].([]any); len(list) != 1 {
		t.Fatalf("describe answered %v", list)
	}
	if _, err := c.CallApi(e2e.OpenAPIParams(slbsvc.APIVersion, "DeleteServerCertificate", "POST"), &openapiutil.OpenApiRequest{
		Query: map[string]*string{"RegionId": dara.String("eu-west-1"), "ServerCertificateId": dara.String(id)},
	}, &dara.RuntimeOptions{}); err != nil {
		t.Fatal(err)
	}
	out, err = c.CallApi(e2e.OpenAPIParams("2015-04-01", "GetCallerIdentity", "POST"), &openapiutil.OpenApiRequest{}, &dara.RuntimeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if b := out["body"].(map[string]any); b["IdentityType"] != "AssumedRoleUser" || b["Arn"] != "acs:ram::"+e2e.STSAccountA+":assumed-role/CertManager/v3-session" {
		t.Fatalf("GetCallerIdentity over V3: %v", b)
	}

	v2 := darabonbaSTS(t, s, creds)
	v2.SignatureAlgorithm = dara.String("v2")
	if _, err := v2.CallApi(e2e.OpenAPIParams(slbsvc.APIVersion, "DescribeRegions", "POST"), &openapiutil.OpenApiRequest{}, &dara.RuntimeOptions{}); err != nil {
		t.Fatalf("darabonba V2 signing with a token: %v", err)
	}
}

// TestSTSGates: the identity gate, the trust gate, root keys, the session
// policy, role chaining, cross-account roles, ExternalId and
// DurationSeconds, each through the SDK.
func TestSTSGates(t *testing.T) {
	s, _ := startSTSServer(t)
	stsDenied := func(t *testing.T, err error, policyType, principalType, display string) {
		t.Helper()
		se := e2e.ServerError(t, err, "NoPermission", 403)
		d := se.AccessDeniedDetail()
		if policyType == "" {
			return
		}
		if d["PolicyType"] != policyType || d["AuthPrincipalType"] != principalType || d["AuthPrincipalDisplayName"] != display {
			t.Fatalf("AccessDeniedDetail %v", d)
		}
	}
	assumeAs := func(id, secret string, req *sdksts.AssumeRoleRequest) error {
		_, err := s.STSClient(t, id, secret, "").AssumeRole(req)
		return err
	}

	t.Run("error/identity gate", func(t *testing.T) {
		stsDenied(t, assumeAs("AKS-intern", "s-intern", e2e.AssumeRequest("CertManager", "s1")), "AccountLevelIdentityBasedPolicy", "SubUser", iam.UserID(e2e.STSAccountA, "intern"))
	})
	t.Run("error/trust gate: service role", func(t *testing.T) {
		stsDenied(t, assumeAs("AKS-ci", "s-ci", e2e.AssumeRequest("EcsOnly", "s1")), "AssumeRolePolicy", "SubUser", iam.UserID(e2e.STSAccountA, "ci"))
	})
	t.Run("error/trust gate: sessions of another role only", func(t *testing.T) {
		stsDenied(t, assumeAs("AKS-ci", "s-ci", e2e.AssumeRequest("Auditor", "s1")), "AssumeRolePolicy", "SubUser", iam.UserID(e2e.STSAccountA, "ci"))
	})
	t.Run("error/root key", func(t *testing.T) {
		stsDenied(t, assumeAs("AKS-root", "s-root", e2e.AssumeRequest("CertManager", "s1")), "", "", "")
	})
	t.Run("error/role not found", func(t *testing.T) {
		e2e.ServerError(t, assumeAs("AKS-ci", "s-ci", e2e.AssumeRequest("Nobody", "s1")), "EntityNotExist.Role", 404)
	})

	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "gates.example.com"})
	t.Run("error/session policy narrows", func(t *testing.T) {
		req := e2e.AssumeRequest("CertManager", "narrow")
		req.Policy = `{"Version":"1","Statement":[{"Effect":"Allow","Action":"slb:Describe*","Resource":"*"}]}`
		k := sessionCalls(t, s, s.Assume(t, "AKS-ci", "s-ci", req).Credentials)
		if _, err := k.Describe(""); err != nil {
			t.Fatalf("describe, allowed by both: %v", err)
		}
		_, err := k.C.UploadServerCertificate(e2e.UploadRequest("cn-hangzhou", srv.ChainPEM, srv.KeyPEM))
		stsDenied(t, err, "SessionPolicy", "AssumedRoleUser", "CertManager:narrow")
	})
	t.Run("ok/role chaining", func(t *testing.T) {
		manager := s.Assume(t, "AKS-ci", "s-ci", e2e.AssumeRequest("CertManager", "manager")).Credentials
		chained, err := s.STSClient(t, manager.AccessKeyId, manager.AccessKeySecret, manager.SecurityToken).AssumeRole(e2e.AssumeRequest("Auditor", "audit"))
		if err != nil {
			t.Fatal(err)
		}
		k := sessionCalls(t, s, chained.Credentials)
		if _, err := k.Describe(""); err != nil {
			t.Fatal(err)
		}
		_, err = k.C.UploadServerCertificate(e2e.UploadRequest("cn-hangzhou", srv.ChainPEM, srv.KeyPEM))
		stsDenied(t, err, "AccountLevelIdentityBasedPolicy", "AssumedRoleUser", "Auditor:audit")
	})
	t.Run("ok/cross-account", func(t *testing.T) {
		k := sessionCalls(t, s, s.Assume(t, "AKS-partner", "s-partner", e2e.AssumeRequest("CertManager", "partner")).Credentials)
		if id := k.Upload(srv.ChainPEM, srv.KeyPEM, "").ServerCertificateId; !strings.HasPrefix(id, e2e.STSAccountA+"_") {
			t.Fatalf("a cross-account session uploads into %s", id)
		}
	})
	t.Run("external id", func(t *testing.T) {
		req := e2e.AssumeRequest("Vendor", "vendor")
		stsDenied(t, assumeAs("AKS-ci", "s-ci", req), "AssumeRolePolicy", "SubUser", iam.UserID(e2e.STSAccountA, "ci"))
		req = e2e.AssumeRequest("Vendor", "vendor")
		req.ExternalId = "vendor-0000"
		stsDenied(t, assumeAs("AKS-ci", "s-ci", req), "AssumeRolePolicy", "SubUser", iam.UserID(e2e.STSAccountA, "ci"))
		req = e2e.AssumeRequest("Vendor", "vendor")
		req.ExternalId = "vendor-4242"
		s.Assume(t, "AKS-ci", "s-ci", req)
	})
	t.Run("duration seconds", func(t *testing.T) {
		for _, c := range []struct {
			role    string
			seconds int
			ok      bool
		}{{"CertManager", 899, false}, {"CertManager", 900, true}, {"CertManager", 7200, true}, {"CertManager", 7201, false},
			{"Vendor", 3601, false}, {"CertManager", 43201, false}} {
			req := e2e.AssumeRequest(c.role, "duration")
			req.DurationSeconds = requests.NewInteger(c.seconds)
			req.ExternalId = "vendor-4242"
			start := time.Now().UTC().Truncate(time.Second)
			resp, err := s.STSClient(t, "AKS-ci", "s-ci", "").AssumeRole(req)
			if !c.ok {
				e2e.ServerError(t, err, "InvalidParameter.DurationSeconds", 400)
				continue
			}
			if err != nil {
				t.Fatalf("%s %d: %v", c.role, c.seconds, err)
			}
			exp, _ := time.Parse("2006-01-02T15:04:05Z", resp.Credentials.Expiration)
			if d := exp.Sub(start); d < time.Duration(c.seconds)*time.Second || d > time.Duration(c.seconds+5)*time.Second {
				t.Fatalf("%d seconds expire after %v", c.seconds, d)
			}
		}
	})
}

// TestSTSCallerIdentity: the root key, a RAM user and a session (above) as
// GetCallerIdentity describes them.
func TestSTSCallerIdentity(t *testing.T) {
	s, _ := startSTSServer(t)
	for _, c := range []struct {
		name, id, secret          string
		typ, account, arn, userID string
	}{
		{"ok/environment root key", e2e.AccessKeyID, e2e.AccessKeySecret, "Account", "1000000000000001", "acs:ram::1000000000000001:root", "1000000000000001"},
		{"ok/file root key", "AKS-root", "s-root", "Account", e2e.STSAccountA, "acs:ram::" + e2e.STSAccountA + ":root", e2e.STSAccountA},
		{"ok/RAM user", "AKS-ci", "s-ci", "RAMUser", e2e.STSAccountA, "acs:ram::" + e2e.STSAccountA + ":user/ci", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			who, err := s.STSClient(t, c.id, c.secret, "").GetCallerIdentity(stsIdentityRequest())
			if err != nil {
				t.Fatal(err)
			}
			if c.userID == "" {
				if !regexp.MustCompile(`^2\d{15}$`).MatchString(who.UserId) {
					t.Fatalf("UserId %q", who.UserId)
				}
				c.userID = who.UserId
			}
			if who.IdentityType != c.typ || who.AccountId != c.account || who.Arn != c.arn || who.UserId != c.userID ||
				who.PrincipalId != c.userID || who.RoleId != "" || who.RequestId == "" {
				t.Fatalf("GetCallerIdentity %+v", who)
			}
		})
	}
}
