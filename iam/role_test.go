package iam

import (
	"strings"
	"testing"

	"slbcert"
	"slbcert/policy"
)

const trust = `{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::1000000000000002:root"}}]}`

func TestBuildRoles(t *testing.T) {
	d, err := build(t, `{"accounts":[
		{"id":"1000000000000002","accessKeys":[{"id":"a","secret":"s"}],
		 "policies":[{"name":"P","document":`+allow+`}],
		 "roles":[{"name":"Deployer","trustPolicy":`+trust+`,"policies":["P"]},
		          {"name":"long.role-1","trustPolicy":`+trust+`,"maxSessionDuration":43200}]},
		{"id":"1000000000000003","roles":[{"name":"x","trustPolicy":`+trust+`}]}]}`)
	if err != nil {
		t.Fatal(err)
	}
	r, ok := d.Role("1000000000000002", "deployer")
	if !ok || r.Name != "Deployer" || r.MaxSessionDuration != DefaultMaxSessionDuration || r.AccountID != "1000000000000002" ||
		r.ARN() != "acs:ram::1000000000000002:role/Deployer" || len(r.ID) != 18 || r.ID[0] != '3' {
		t.Fatalf("role %+v %v", r, ok)
	}
	if r.ID != RoleID("1000000000000002", "DEPLOYER") || r.ID == RoleID("1000000000000003", "Deployer") {
		t.Fatal("RoleId is not derived from the account and the name without case")
	}
	if ok, _ := r.Permissions.Authorize(slbcert.AccessRequest{Action: "slb:DescribeRegions", Resource: "*"}); !ok {
		t.Fatal("the role's policy is not attached")
	}
	if r.Trust.Evaluate(policy.TrustRequest{Action: "sts:AssumeRole", Caller: policy.Caller{AccountID: "1000000000000002", UserName: "u"}}) != policy.Allow {
		t.Fatal("the trust policy does not trust its account")
	}
	if l, ok := d.Role("1000000000000002", "LONG.ROLE-1"); !ok || l.MaxSessionDuration != 43200 || len(l.Permissions.policies) != 0 {
		t.Fatalf("second role %+v", l)
	}
	if _, ok := d.Role("1000000000000003", "deployer"); ok {
		t.Fatal("a role found in another account")
	}
	if a, ok := d.Account("1000000000000003"); !ok || a.ID != "1000000000000003" {
		t.Fatal("an account without keys is not in the directory")
	}
	if a, ok := d.Account("1000000000000001"); !ok || a.ID != "1000000000000001" {
		t.Fatal("the root key's account is not in the directory")
	}
	if u := UserID("1000000000000002", "deployer"); len(u) != 16 || u[0] != '2' || u == UserID("1000000000000002", "admin") {
		t.Fatalf("UserID %s", u)
	}
}

func TestBuildRoleErrors(t *testing.T) {
	acct := func(roles string) string {
		return `{"accounts":[{"id":"1000000000000002","policies":[{"name":"P","document":` + allow + `}],"roles":[` + roles + `]}]}`
	}
	for _, tc := range []struct{ name, doc, want string }{
		{"error/name empty", acct(`{"name":"","trustPolicy":` + trust + `}`), "roles[0]: role name"},
		{"error/name underscore", acct(`{"name":"a_b","trustPolicy":` + trust + `}`), "letters, digits"},
		{"error/name too long", acct(`{"name":"` + strings.Repeat("r", 65) + `","trustPolicy":` + trust + `}`), "1–64"},
		{"error/duplicate without case", acct(`{"name":"r","trustPolicy":` + trust + `},{"name":"R","trustPolicy":` + trust + `}`), "roles[1]: role \"R\" is declared twice"},
		{"error/no trust policy", acct(`{"name":"r"}`), "needs a trustPolicy"},
		{"error/trust policy null", acct(`{"name":"r","trustPolicy":null}`), "needs a trustPolicy"},
		{"error/trust policy without principal", acct(`{"name":"r","trustPolicy":` + allow + `}`), "trustPolicy: policy: Statement[0]"},
		{"error/unknown policy", acct(`{"name":"r","trustPolicy":` + trust + `,"policies":["Nope"]}`), "policy \"Nope\" is not declared"},
		{"error/duration short", acct(`{"name":"r","trustPolicy":` + trust + `,"maxSessionDuration":900}`), "maxSessionDuration 900"},
		{"error/duration long", acct(`{"name":"r","trustPolicy":` + trust + `,"maxSessionDuration":43201}`), "3600–43200"},
		{"error/unknown role field", acct(`{"name":"r","trustPolicy":` + trust + `,"maxSessionDurationSeconds":3600}`), "unknown field"},
		{"error/STS key id", `{"accounts":[{"id":"1000000000000002","accessKeys":[{"id":"STS.abc","secret":"s"}]}]}`, "reserved for temporary"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := build(t, tc.doc)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}
