package server

import (
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
	sdksts "github.com/aliyun/alibaba-cloud-sdk-go/services/sts"
)

// Accounts of the STS tests: A holds the roles, B a partner trusted by one.
const (
	stsAccountA = "1000000000000002"
	stsAccountB = "1000000000000003"
)

// stsIAM: in account A, user ci may assume roles and intern may not;
// CertManager (all of SLB, may assume roles) trusts A and B; Auditor
// (describe only) trusts CertManager's sessions; Vendor trusts ci with an
// ExternalId; EcsOnly trusts a cloud service only.
const stsIAM = `{"accounts": [
 {"id": "` + stsAccountA + `",
  "accessKeys": [{"id": "AKS-root", "secret": "s-root"}],
  "policies": [
   {"name": "AssumeRoles", "document": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "acs:ram::*:role/*"}]}},
   {"name": "SLBAll", "document": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "slb:*", "Resource": "*"}]}},
   {"name": "Describe", "document": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "slb:Describe*", "Resource": "*"}]}}
  ],
  "users": [
   {"name": "ci", "accessKeys": [{"id": "AKS-ci", "secret": "s-ci"}], "policies": ["AssumeRoles"]},
   {"name": "intern", "accessKeys": [{"id": "AKS-intern", "secret": "s-intern"}], "policies": ["Describe"]}
  ],
  "roles": [
   {"name": "CertManager", "policies": ["SLBAll", "AssumeRoles"], "maxSessionDuration": 7200,
    "trustPolicy": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
      "Principal": {"RAM": ["acs:ram::` + stsAccountA + `:root", "acs:ram::` + stsAccountB + `:root"]}}]}},
   {"name": "Auditor", "policies": ["Describe"],
    "trustPolicy": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
      "Principal": {"RAM": "acs:ram::` + stsAccountA + `:role/CertManager"}}]}},
   {"name": "Vendor", "policies": ["SLBAll"],
    "trustPolicy": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
      "Principal": {"RAM": "acs:ram::` + stsAccountA + `:user/ci"},
      "Condition": {"StringEquals": {"sts:ExternalId": "vendor-4242"}}}]}},
   {"name": "EcsOnly", "policies": ["SLBAll"],
    "trustPolicy": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
      "Principal": {"Service": "ecs.aliyuncs.com"}}]}}
  ]},
 {"id": "` + stsAccountB + `",
  "policies": [{"name": "AssumeRoles", "document": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}}],
  "users": [{"name": "partner", "accessKeys": [{"id": "AKS-partner", "secret": "s-partner"}], "policies": ["AssumeRoles"]}]}
]}`

func stsRoleArn(name string) string { return "acs:ram::" + stsAccountA + ":role/" + name }

// testClock is the server's injectable clock: the wall clock plus an
// offset the test moves.
type testClock struct{ offset atomic.Int64 }

func (c *testClock) now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *testClock) advance(d time.Duration) { c.offset.Add(int64(d)) }

// startSTSServer starts a server with stsIAM and a clock the test moves.
func startSTSServer(t *testing.T, edit ...func(*Config)) (*testServer, *testClock) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "iam.json")
	if err := os.WriteFile(path, []byte(stsIAM), 0o600); err != nil {
		t.Fatal(err)
	}
	clock := &testClock{}
	edits := append([]func(*Config){func(c *Config) { c.IAMFile = path; c.Clock = clock.now }}, edit...)
	return startServer(t, edits...), clock
}

// stsClient is the Go SDK v1 STS client for a long-term key, or a temporary
// one when token is given, over plain HTTP.
func (s *testServer) stsClient(t testing.TB, id, secret, token string) *sdksts.Client {
	t.Helper()
	var c *sdksts.Client
	var err error
	if token != "" {
		c, err = sdksts.NewClientWithStsToken("cn-hangzhou", id, secret, token)
	} else {
		c, err = sdksts.NewClientWithAccessKey("cn-hangzhou", id, secret)
	}
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = s.Addr()
	return c
}

// assumeRequest is the SDK's AssumeRole request for role (a name in account
// A) and session.
func assumeRequest(role, session string) *sdksts.AssumeRoleRequest {
	req := sdksts.CreateAssumeRoleRequest()
	req.RoleArn = stsRoleArn(role)
	req.RoleSessionName = session
	req.AcceptFormat = "JSON"
	return req
}

// assume assumes role as (id, secret) through the SDK, failing the test on error.
func (s *testServer) assume(t testing.TB, id, secret string, req *sdksts.AssumeRoleRequest) *sdksts.AssumeRoleResponse {
	t.Helper()
	resp, err := s.stsClient(t, id, secret, "").AssumeRole(req)
	if err != nil {
		t.Fatalf("AssumeRole %s: %v", req.RoleArn, err)
	}
	return resp
}

// sessionCalls returns the SLB test calls signed with an STS credential set.
func (s *testServer) sessionCalls(t *testing.T, creds sdksts.Credentials) *sdkCalls {
	t.Helper()
	c, err := slb.NewClientWithStsToken("cn-hangzhou", creds.AccessKeyId, creds.AccessKeySecret, creds.SecurityToken)
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = s.Addr()
	return &sdkCalls{t: t, c: c, region: "cn-hangzhou", format: "JSON"}
}

// darabonbaSTS is a darabonba-openapi client (signature V3) with temporary
// credentials.
func (s *testServer) darabonbaSTS(t *testing.T, creds sdksts.Credentials) *openapi.Client {
	t.Helper()
	c, err := openapi.NewClient(&openapiutil.Config{
		AccessKeyId:     dara.String(creds.AccessKeyId),
		AccessKeySecret: dara.String(creds.AccessKeySecret),
		SecurityToken:   dara.String(creds.SecurityToken),
		Endpoint:        dara.String(s.Addr()),
		Protocol:        dara.String("http"),
		RegionId:        dara.String("cn-hangzhou"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// commonSTS is an SDK CommonRequest for an STS action, with parameters in
// the query (as the SDK's typed requests send them).
func commonSTS(action string, params map[string]string) *requests.CommonRequest {
	req := requests.NewCommonRequest()
	req.Product, req.Version, req.ApiName = "Sts", "2015-04-01", action
	req.Method = "POST"
	for k, v := range params {
		req.QueryParams[k] = v
	}
	return req
}

// asSDKError reports whether err is darabonba's *tea.SDKError.
func asSDKError(err error, target **tea.SDKError) bool { return errors.As(err, target) }
