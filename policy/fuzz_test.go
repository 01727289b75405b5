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
	quoted, _ := json.Marshal(contractExample)
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
