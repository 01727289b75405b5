package policy

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzParse checks that no document makes Parse panic, that every error
// carries the package prefix, and that every accepted policy evaluates
// without panicking and survives a round trip through MarshalJSON.
func FuzzParse(f *testing.F) {
	for _, c := range evalCases() {
		for _, doc := range c.policies {
			f.Add(doc)
		}
	}
	for _, doc := range benchPolicies {
		f.Add(doc)
	}
	quoted, _ := json.Marshal(uploaderExample)
	f.Add(string(quoted))
	f.Add(stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"k:d":"2026-02-30"},"IpAddress":{"k":"::ffff:1.2.3.4/100"}}}`))
	f.Add(`{"Version":"1","Statement":[{"Effect":"allow"}]}`)

	requests := []Request{
		{Action: deleteAction, Resource: certARN, Context: baseContext()},
		{Action: "SLB:DESCRIBE", Resource: "ACS:SLB:x", Context: map[string][]string{"ACS:SourceIP": {"::1"}, "k:d": {"1"}}},
		{},
	}
	f.Fuzz(func(t *testing.T, doc string) {
		p, err := Parse([]byte(doc))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "policy: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		out, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		q, err := Parse(out)
		if err != nil {
			t.Fatalf("the marshalled policy does not parse: %v\n%s", err, out)
		}
		for _, req := range requests {
			a := EvaluateDetail([]*Policy{p}, req)
			if b := EvaluateDetail([]*Policy{q}, req); a != b {
				t.Fatalf("round trip changed the decision on %+v: %+v then %+v", req, a, b)
			}
		}
	})
}

// FuzzParseTrust checks that no document makes ParseTrust panic, that
// errors carry the package prefix, that a trust policy is never also an
// identity policy (Principal is required in one, refused in the other),
// and that accepted ones evaluate alike after a round trip.
func FuzzParseTrust(f *testing.F) {
	f.Add(trustExample)
	f.Add(trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":["acs:ram::1000000000000001:user/deployer","acs:ram::1000000000000001:role/Builder"],"Service":"ecs.aliyuncs.com","Federated":"acs:ram::1000000000000001:oidc-provider/gh"}}`))
	f.Add(trustStmt(`{"Effect":"Deny","NotAction":"sts:AssumeRole","Principal":{"RAM":"acs:ram::1000000000000001:root"},"Condition":{"IpAddress":{"acs:SourceIp":"10.0.0.0/8"}}}`))
	f.Add(trustStmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Principal":"*"}`))
	f.Add(uploaderExample)
	callers := []Caller{
		{AccountID: account, UserName: "deployer"},
		{AccountID: account, RoleName: "builder"},
		{AccountID: otherAccount},
		{Service: "ecs.aliyuncs.com"},
		{},
	}
	f.Fuzz(func(t *testing.T, doc string) {
		tp, err := ParseTrust([]byte(doc))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "policy: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		if _, err := Parse([]byte(doc)); err == nil {
			t.Fatalf("both a trust and an identity policy: %s", doc)
		}
		out, err := json.Marshal(tp)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		again, err := ParseTrust(out)
		if err != nil {
			t.Fatalf("the marshalled trust policy does not parse: %v\n%s", err, out)
		}
		for _, c := range callers {
			req := TrustRequest{Action: "sts:AssumeRole", Caller: c, Context: map[string][]string{KeyExternalID: {"x"}}}
			if a, b := tp.Evaluate(req), again.Evaluate(req); a != b {
				t.Fatalf("round trip changed the decision for %+v: %v then %v", c, a, b)
			}
		}
	})
}
