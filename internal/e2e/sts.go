package e2e

import (
	"testing"

	sdksts "github.com/aliyun/alibaba-cloud-sdk-go/services/sts"
)

// Accounts of the STS tests: A holds the roles, B a partner trusted by one.
const (
	STSAccountA = "1000000000000002"
	STSAccountB = "1000000000000003"
)

// STSIAM: in account A, user ci may assume roles and intern may not;
// CertManager (all of SLB, may assume roles) trusts A and B; Auditor
// (describe only) trusts CertManager's sessions; Vendor trusts ci with an
// ExternalId; EcsOnly trusts a cloud service only.
const STSIAM = `{"accounts": [
 {"id": "` + STSAccountA + `",
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
      "Principal": {"RAM": ["acs:ram::` + STSAccountA + `:root", "acs:ram::` + STSAccountB + `:root"]}}]}},
   {"name": "Auditor", "policies": ["Describe"],
    "trustPolicy": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
      "Principal": {"RAM": "acs:ram::` + STSAccountA + `:role/CertManager"}}]}},
   {"name": "Vendor", "policies": ["SLBAll"],
    "trustPolicy": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
      "Principal": {"RAM": "acs:ram::` + STSAccountA + `:user/ci"},
      "Condition": {"StringEquals": {"sts:ExternalId": "vendor-4242"}}}]}},
   {"name": "EcsOnly", "policies": ["SLBAll"],
    "trustPolicy": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
      "Principal": {"Service": "ecs.aliyuncs.com"}}]}}
  ]},
 {"id": "` + STSAccountB + `",
  "policies": [{"name": "AssumeRoles", "document": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}}],
  "users": [{"name": "partner", "accessKeys": [{"id": "AKS-partner", "secret": "s-partner"}], "policies": ["AssumeRoles"]}]}
]}`

// STSRoleArn is the ARN of role name in account A.
func STSRoleArn(name string) string { return "acs:ram::" + STSAccountA + ":role/" + name }

// STSClient is the Go SDK v1 STS client for a long-term key, or a temporary
// one when token is given, over plain HTTP.
func (s *Server) STSClient(t testing.TB, id, secret, token string) *sdksts.Client {
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

// AssumeRequest is the SDK's AssumeRole request for role (a name in account
// A) and session.
func AssumeRequest(role, session string) *sdksts.AssumeRoleRequest {
	req := sdksts.CreateAssumeRoleRequest()
	req.RoleArn = STSRoleArn(role)
	req.RoleSessionName = session
	req.AcceptFormat = "JSON"
	return req
}

// Assume assumes role as (id, secret) through the SDK, failing the test on error.
func (s *Server) Assume(t testing.TB, id, secret string, req *sdksts.AssumeRoleRequest) *sdksts.AssumeRoleResponse {
	t.Helper()
	resp, err := s.STSClient(t, id, secret, "").AssumeRole(req)
	if err != nil {
		t.Fatalf("AssumeRole %s: %v", req.RoleArn, err)
	}
	return resp
}
