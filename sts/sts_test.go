package sts

import (
	"encoding/json"
	"testing"
	"time"

	"slbcert"
	"slbcert/iam"
	"slbcert/keyring"
)

const (
	acctA = "1000000000000002"
	acctB = "1000000000000003"
)

// testIAM: account A has a user allowed to assume roles, a user who is
// not, and roles with trust policies of every kind; account B a user
// trusted by one of A's roles.
const testIAM = `{"accounts":[
 {"id":"` + acctA + `",
  "policies":[
   {"name":"Assume","document":{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}},
   {"name":"Describe","document":{"Version":"1","Statement":[{"Effect":"Allow","Action":["slb:Describe*","sts:AssumeRole"],"Resource":"*"}]}},
   {"name":"NoDelete","document":{"Version":"1","Statement":[{"Effect":"Deny","Action":"slb:Delete*","Resource":"*"}]}},
   {"name":"All","document":{"Version":"1","Statement":[{"Effect":"Allow","Action":"slb:*","Resource":"*"}]}}
  ],
  "users":[
   {"name":"dev","accessKeys":[{"id":"AK-dev","secret":"s"}],"policies":["Assume"]},
   {"name":"nobody","accessKeys":[{"id":"AK-nobody","secret":"s"}]}
  ],
  "roles":[
   {"name":"Deployer","policies":["All","NoDelete","Assume"],"maxSessionDuration":7200,
    "trustPolicy":{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":["acs:ram::` + acctA + `:root","acs:ram::` + acctB + `:user/partner"]}}]}},
   {"name":"Reader","policies":["Describe"],
    "trustPolicy":{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::` + acctA + `:role/Deployer"}}]}},
   {"name":"Vendor","policies":["All"],
    "trustPolicy":{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::` + acctA + `:root"},
      "Condition":{"StringEquals":{"sts:ExternalId":"abcd1234"}}}]}},
   {"name":"Service","trustPolicy":{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"ecs.aliyuncs.com"}}]}},
   {"name":"Denied","trustPolicy":{"Version":"1","Statement":[
     {"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::` + acctA + `:root"}},
     {"Effect":"Deny","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::` + acctA + `:user/dev"}}]}}
  ]},
 {"id":"` + acctB + `",
  "policies":[{"name":"Assume","document":{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"acs:ram::` + acctA + `:role/*"}]}}],
  "users":[{"name":"partner","accessKeys":[{"id":"AK-partner","secret":"s"}],"policies":["Assume"]}]}
]}`

// fixture is a service over testIAM with a fixed clock and a fixed key.
type fixture struct {
	*Service
	dir *iam.Live
	now time.Time
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{now: time.Date(2026, 3, 1, 10, 0, 0, 500, time.UTC)}
	f.dir = iam.NewLive(buildIAM(t, testIAM))
	ring, err := keyring.New(testKey(1))
	if err != nil {
		t.Fatal(err)
	}
	f.Service = New(f.dir, ring, func() time.Time { return f.now })
	return f
}

func buildIAM(t testing.TB, doc string) *iam.Directory {
	t.Helper()
	var file iam.File
	if err := json.Unmarshal([]byte(doc), &file); err != nil {
		t.Fatal(err)
	}
	d, err := iam.Build(&file, &iam.Root{AccountID: acctA, Key: iam.RootKey{AccessKeyID: "AK-root", AccessKeySecret: "s"}}, iam.Vocabulary{KnownRegion: func(string) bool { return true }})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func testKey(b byte) []byte {
	k := make([]byte, keyring.KeySize)
	for i := range k {
		k[i] = b
	}
	return k
}

// principal returns the principal of AccessKey id, as the gateway sees it.
func (f *fixture) principal(t testing.TB, id string) *slbcert.Principal {
	t.Helper()
	k, ok := f.dir.AccessKey(id)
	if !ok {
		t.Fatalf("no key %s", id)
	}
	cp := *k.Principal
	cp.SourceIP = "127.0.0.1"
	return &cp
}

// assume assumes role of account A as the principal, failing the test on error.
func (f *fixture) assume(t testing.TB, p *slbcert.Principal, in AssumeRoleInput) (*Issued, *slbcert.Principal) {
	t.Helper()
	if in.RoleSessionName == "" {
		in.RoleSessionName = "test-session"
	}
	issued, err := f.AssumeRole(p, in)
	if err != nil {
		t.Fatalf("AssumeRole %+v: %v", in, err)
	}
	key, err := f.Authenticate(issued.SecurityToken, issued.AccessKeyID, f.now)
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	if key.ID != issued.AccessKeyID || key.Secret != issued.AccessKeySecret {
		t.Fatalf("the token opens to another key: %+v", key)
	}
	return issued, key.Principal
}

func roleArn(name string) string { return "acs:ram::" + acctA + ":role/" + name }
