package iam

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"slbcert"
)

func known(id string) bool { return id == "cn-hangzhou" || id == "cn-shanghai" }

func build(t *testing.T, doc string) (*Directory, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "iam.json")
	if err := os.WriteFile(p, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := ReadFile(p)
	if err != nil {
		return nil, err
	}
	return Build(f, &Root{AccountID: "1000000000000001", Key: RootKey{AccessKeyID: "root", AccessKeySecret: "s"}}, Vocabulary{KnownRegion: known, Quotas: []string{"serverCertificatesPerRegion", "caCertificatesPerRegion", "catalogCertificates"}})
}

const allow = `{"Version":"1","Statement":[{"Effect":"Allow","Action":"slb:Describe*","Resource":"*"}]}`

func TestBuild(t *testing.T) {
	d, err := build(t, `{"accounts":[{"id":"1000000000000002","accessKeys":[{"id":"a","secret":"s"},{"id":"off","secret":"s","status":"Inactive"}],
		"authorizedRegions":["cn-hangzhou"],"quotas":{"serverCertificatesPerRegion":5,"catalogCertificates":7},
		"policies":[{"name":"P","document":`+allow+`}],
		"users":[{"name":"u","accessKeys":[{"id":"u1","secret":"s"}],"policies":["P"]}]}]}`)
	if err != nil {
		t.Fatal(err)
	}
	a, ok := d.AccessKey("a")
	if !ok || !a.Principal.IsRoot() || a.Principal.Account.Quota("serverCertificatesPerRegion", 0) != 5 || a.Principal.Account.Quota("catalogCertificates", 0) != 7 ||
		!a.Principal.Account.RegionAuthorized("cn-hangzhou") || a.Principal.Account.RegionAuthorized("cn-shanghai") {
		t.Fatalf("root key of account 2: %+v", a)
	}
	if off, _ := d.AccessKey("off"); !off.Inactive {
		t.Error("Inactive key is active")
	}
	u, _ := d.AccessKey("u1")
	if u.Principal.IsRoot() || u.Principal.UserName != "u" || u.Principal.Account != a.Principal.Account {
		t.Fatalf("user key: %+v", u.Principal)
	}
	if ok, _ := u.Principal.Permissions.Authorize(slbcert.AccessRequest{Action: "slb:DescribeRegions", Resource: "acs:slb:*:1000000000000002:*"}); !ok {
		t.Error("policy does not allow what it says")
	}
	if ok, explicit := u.Principal.Permissions.Authorize(slbcert.AccessRequest{Action: "slb:DeleteServerCertificate", Resource: "*"}); ok || explicit {
		t.Error("policy allows what it does not say")
	}
	if r, ok := d.AccessKey("root"); !ok || r.Principal.Account.ID != "1000000000000001" || r.Principal.Account.AuthorizedRegions != nil {
		t.Error("the root key from the environment is missing")
	}
}

func TestBuildErrors(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"error/unknown field", `{"accounts":[{"id":"1000000000000002","authorisedRegions":[]}]}`, "unknown field"},
		{"error/bad account id", `{"accounts":[{"id":"42"}]}`, "16-digit"},
		{"error/duplicate account", `{"accounts":[{"id":"1000000000000002"},{"id":"1000000000000002"}]}`, "twice"},
		{"error/unknown region", `{"accounts":[{"id":"1000000000000002","authorizedRegions":["mars-1"]}]}`, "unknown region"},
		{"error/negative quota", `{"accounts":[{"id":"1000000000000002","quotas":{"caCertificatesPerRegion":-1}}]}`, "negative"},
		{"error/negative catalog quota", `{"accounts":[{"id":"1000000000000002","quotas":{"catalogCertificates":-1}}]}`, "negative"},
		{"error/unknown quota", `{"accounts":[{"id":"1000000000000002","quotas":{"serverCertificates":3}}]}`, "unknown quota"},
		{"error/key without secret", `{"accounts":[{"id":"1000000000000002","accessKeys":[{"id":"a"}]}]}`, "secret"},
		{"error/bad status", `{"accounts":[{"id":"1000000000000002","accessKeys":[{"id":"a","secret":"s","status":"Off"}]}]}`, "Inactive"},
		{"error/duplicate key", `{"accounts":[{"id":"1000000000000002","accessKeys":[{"id":"root","secret":"s"}]}]}`, "twice"},
		{"error/unknown policy", `{"accounts":[{"id":"1000000000000002","users":[{"name":"u","policies":["Nope"]}]}]}`, "not declared"},
		{"error/bad policy", `{"accounts":[{"id":"1000000000000002","policies":[{"name":"P","document":{"Version":"2"}}]}]}`, "policy \"P\""},
		{"error/duplicate user", `{"accounts":[{"id":"1000000000000002","users":[{"name":"u"},{"name":"u"}]}]}`, "twice"},
		{"error/not json", `{`, "IAM file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := build(t, tc.doc)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}
