package policy

import (
	"encoding/json"
	"strings"
	"testing"
)

const otherAccount = "1000000000000009"

// trustStmt wraps one trust statement into a trust policy document.
func trustStmt(s string) string { return `{"Version":"1","Statement":[` + s + `]}` }

// trustExample is a trust policy as RAM's CreateRole takes one
// (AssumeRolePolicyDocument:
// https://www.alibabacloud.com/help/en/ram/developer-reference/api-ram-2015-05-01-createrole),
// with an ExternalId condition.
const trustExample = `{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",
  "Principal":{"RAM":["acs:ram::1000000000000001:root"]},
  "Condition":{"StringEquals":{"sts:ExternalId":"abcd1234"}}}]}`

func TestParseTrustErrors(t *testing.T) {
	for _, c := range []struct {
		name, doc string
		want      []string
	}{
		{"error/not JSON", `{`, []string{"policy: ", "not valid JSON"}},
		{"error/no Principal", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole"}`), []string{"Statement[0]: Principal is missing"}},
		{"error/Resource", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::1000000000000001:root"},"Resource":"*"}`), []string{"Statement[0]: a trust policy names no Resource"}},
		{"error/NotResource", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::1000000000000001:root"},"NotResource":"*"}`), []string{"names no NotResource"}},
		{"error/no Action", trustStmt(`{"Effect":"Allow","Principal":{"RAM":"acs:ram::1000000000000001:root"}}`), []string{"needs Action or NotAction"}},
		{"error/Principal star", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":"*"}`), []string{`Statement[0].Principal: must be an object such as {"RAM"`}},
		{"error/Principal empty", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{}}`), []string{"Principal: is empty"}},
		{"error/Principal AWS", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"x"}}`), []string{`unknown element "AWS"`}},
		{"error/Principal miscased", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"ram":"acs:ram::1000000000000001:root"}}`), []string{`element "ram": write "RAM"`}},
		{"error/Principal RAM empty list", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":[]}}`), []string{"Principal.RAM: is empty"}},
		{"error/Principal RAM number", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":7}}`), []string{"Principal.RAM: must be a string or an array"}},
		{"error/Principal RAM bare account", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":["1000000000000001"]}}`), []string{`Principal.RAM[0]: "1000000000000001": a RAM principal is`}},
		{"error/Principal RAM short account", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::123:root"}}`), []string{"a RAM principal is"}},
		{"error/Principal RAM wildcard", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::1000000000000001:user/*"}}`), []string{"principals take no wildcards"}},
		{"error/Principal RAM bad role name", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::1000000000000001:role/a_b"}}`), []string{"a role name is"}},
		{"error/Principal Service space", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"ecs .aliyuncs.com"}}`), []string{"without white space"}},
		{"error/Principal Federated shape", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Federated":"acs:ram::1000000000000001:user/x"}}`), []string{"a federated principal is"}},
		{"error/unknown element", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::1000000000000001:root"},"Sid":"x"}`), []string{`unknown element "Sid"`, "Principal"}},
		{"error/bad condition", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::1000000000000001:root"},"Condition":{"StringEqual":{"sts:ExternalId":"x"}}}`), []string{"Condition", `unknown condition operator "StringEqual"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseTrust([]byte(c.doc))
			if err == nil {
				t.Fatal("accepted")
			}
			msg := err.Error()
			for _, w := range c.want {
				i := strings.Index(msg, w)
				if i < 0 {
					t.Fatalf("error %q lacks %q", msg, w)
				}
				msg = msg[i+len(w):]
			}
		})
	}
}

// TestPrincipalOnlyInTrust: identity policies still refuse Principal, and
// an identity policy is not a trust policy.
func TestPrincipalOnlyInTrust(t *testing.T) {
	if _, err := Parse([]byte(trustExample)); err == nil || !strings.Contains(err.Error(), "Principal belongs in trust") {
		t.Fatalf("identity Parse of a trust policy: %v", err)
	}
	if _, err := ParseTrust([]byte(uploaderExample)); err == nil || !strings.Contains(err.Error(), "names no Resource") {
		t.Fatalf("ParseTrust of an identity policy: %v", err)
	}
}

func TestTrustEvaluate(t *testing.T) {
	user := Caller{AccountID: account, UserName: "deployer"}
	session := Caller{AccountID: account, RoleName: "Builder"}
	stranger := Caller{AccountID: otherAccount, UserName: "deployer"}
	ext := func(v ...string) map[string][]string {
		ctx := baseContext()
		if len(v) > 0 {
			ctx[KeyExternalID] = v
		}
		return ctx
	}
	allow := func(principal string) string {
		return trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":` + principal + `}`)
	}
	for _, c := range []struct {
		name   string
		doc    string
		caller Caller
		action string
		ctx    map[string][]string
		want   Decision
	}{
		{"ok/root names the account's users", allow(`{"RAM":"acs:ram::` + account + `:root"}`), user, "", nil, Allow},
		{"ok/root names the account's sessions", allow(`{"RAM":["acs:ram::` + account + `:root"]}`), session, "", nil, Allow},
		{"deny/root of another account", allow(`{"RAM":"acs:ram::` + account + `:root"}`), stranger, "", nil, ImplicitDeny},
		{"ok/cross-account root", allow(`{"RAM":["acs:ram::` + account + `:root","acs:ram::` + otherAccount + `:root"]}`), stranger, "", nil, Allow},
		{"ok/user by name", allow(`{"RAM":"acs:ram::` + account + `:user/deployer"}`), user, "", nil, Allow},
		{"deny/user name is exact", allow(`{"RAM":"acs:ram::` + account + `:user/Deployer"}`), user, "", nil, ImplicitDeny},
		{"deny/another user", allow(`{"RAM":"acs:ram::` + account + `:user/admin"}`), user, "", nil, ImplicitDeny},
		{"deny/a user is not a role", allow(`{"RAM":"acs:ram::` + account + `:role/deployer"}`), user, "", nil, ImplicitDeny},
		{"ok/role session, name without case", allow(`{"RAM":"acs:ram::` + account + `:role/builder"}`), session, "", nil, Allow},
		{"deny/role of another account", allow(`{"RAM":"acs:ram::` + otherAccount + `:role/Builder"}`), session, "", nil, ImplicitDeny},
		{"deny/service role refuses users", allow(`{"Service":"ecs.aliyuncs.com"}`), user, "", nil, ImplicitDeny},
		{"ok/service", allow(`{"Service":"ecs.aliyuncs.com"}`), Caller{Service: "ECS.aliyuncs.com"}, "", nil, Allow},
		{"deny/service is not RAM", allow(`{"RAM":"acs:ram::` + account + `:root"}`), Caller{AccountID: account, Service: "ecs.aliyuncs.com"}, "", nil, ImplicitDeny},
		{"deny/federated refuses users", allow(`{"Federated":"acs:ram::` + account + `:saml-provider/idp"}`), user, "", nil, ImplicitDeny},
		{"ok/federated", allow(`{"Federated":"acs:ram::` + account + `:saml-provider/idp"}`), Caller{Federated: "acs:ram::" + account + ":saml-provider/idp"}, "", nil, Allow},
		{"deny/other action", allow(`{"RAM":"acs:ram::` + account + `:root"}`), user, "sts:AssumeRoleWithSAML", nil, ImplicitDeny},
		{"ok/action wildcard", trustStmt(`{"Effect":"Allow","Action":"sts:*","Principal":{"RAM":"acs:ram::` + account + `:root"}}`), user, "", nil, Allow},
		{"ok/external id", trustExample, user, "", ext("abcd1234"), Allow},
		{"deny/external id wrong", trustExample, user, "", ext("nope"), ImplicitDeny},
		{"deny/external id absent", trustExample, user, "", ext(), ImplicitDeny},
		{"deny/explicit deny wins", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::` + account + `:root"}},
			{"Effect":"Deny","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::` + account + `:user/deployer"}}`), user, "", nil, ExplicitDeny},
		{"ok/deny for another user", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::` + account + `:root"}},
			{"Effect":"Deny","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::` + account + `:user/admin"}}`), user, "", nil, Allow},
		{"deny/source ip condition", trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::` + account + `:root"},
			"Condition":{"IpAddress":{"acs:SourceIp":"10.0.0.0/8"}}}`), user, "", nil, ImplicitDeny},
	} {
		t.Run(c.name, func(t *testing.T) {
			tp, err := ParseTrust([]byte(c.doc))
			if err != nil {
				t.Fatal(err)
			}
			action := c.action
			if action == "" {
				action = "sts:AssumeRole"
			}
			ctx := c.ctx
			if ctx == nil {
				ctx = baseContext()
			}
			if got := tp.Evaluate(TrustRequest{Action: action, Caller: c.caller, Context: ctx}); got != c.want {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
	var zero *TrustPolicy
	if zero.Evaluate(TrustRequest{Action: "sts:AssumeRole", Caller: user}) != ImplicitDeny {
		t.Fatal("a nil trust policy trusts someone")
	}
}

func TestTrustJSON(t *testing.T) {
	var holder struct {
		Trust *TrustPolicy `json:"trust"`
	}
	if err := json.Unmarshal([]byte(`{"trust":`+trustExample+`}`), &holder); err != nil {
		t.Fatal(err)
	}
	out, err := holder.Trust.MarshalJSON()
	if err != nil || !strings.HasPrefix(string(out), `{"Version":"1","Statement":[{"Effect":"Allow"`) {
		t.Fatalf("MarshalJSON: %s %v", out, err)
	}
	if err := json.Unmarshal([]byte(`{"trust":`+uploaderExample+`}`), &holder); err == nil {
		t.Fatal("an identity policy decoded as a trust policy")
	}
}
