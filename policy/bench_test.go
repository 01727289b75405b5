package policy

import "testing"

// benchPolicies are three policies of five statements each, as an account
// might attach to a certificate operator: what they may do, where they may
// do it from, and a read-only baseline.
var benchPolicies = []string{
	`{"Version":"1","Statement":[
		{"Effect":"Allow","Action":"slb:Describe*","Resource":"*"},
		{"Effect":"Allow","Action":["slb:UploadServerCertificate","slb:UploadCACertificate"],"Resource":"acs:slb:cn-*:1000000000000001:certificate/*"},
		{"Effect":"Allow","Action":["slb:SetServerCertificateName","slb:SetCACertificateName"],"Resource":"acs:slb:*:1000000000000001:certificate/*",
		 "Condition":{"StringEquals":{"slb:tag/team":["Payments","Search"]}}},
		{"Effect":"Allow","Action":["slb:TagResources","slb:UntagResources","slb:ListTagResources"],"Resource":"acs:slb:*:*:certificate/*"},
		{"Effect":"Deny","Action":"slb:Delete*","Resource":"*","Condition":{"StringEquals":{"slb:tag/env":"prod"}}}]}`,
	`{"Version":"1","Statement":[
		{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"acs:SourceIp":["203.0.113.0/24","2001:db8:a::/48","10.0.0.0/8"]}}},
		{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"acs:SecureTransport":"false"}}},
		{"Effect":"Deny","NotAction":"slb:Describe*","Resource":"*","Condition":{"DateGreaterThan":{"acs:CurrentTime":"2027-01-01T00:00:00+08:00"}}},
		{"Effect":"Allow","Action":"ecs:Describe*","Resource":"*"},
		{"Effect":"Allow","Action":"vpc:*","Resource":"acs:vpc:*:1000000000000001:*"}]}`,
	`{"Version":"1","Statement":[
		{"Effect":"Allow","Action":["slb:Describe*","slb:ListTagResources"],"Resource":"acs:slb:*:*:*"},
		{"Effect":"Deny","Action":"slb:DeleteCACertificate","Resource":"*"},
		{"Effect":"Allow","Action":"slb:MoveResourceGroup","Resource":"acs:slb:*:*:certificate/*","Condition":{"StringLike":{"slb:tag/team":"Pay*"}}},
		{"Effect":"Allow","Action":"slb:DescribeRegions","Resource":"acs:slb:*:1000000000000001:*"},
		{"Effect":"Deny","Action":"ram:*","Resource":"*"}]}`,
}

func BenchmarkEvaluate(b *testing.B) {
	var policies []*Policy
	for _, doc := range benchPolicies {
		policies = append(policies, mustParse(b, doc))
	}
	ctx := baseContext()
	mixed := map[string][]string{}
	for k, v := range ctx {
		mixed[k] = v
	}
	mixed["acs:SourceIp"] = mixed[KeySourceIP]
	delete(mixed, KeySourceIP)

	for _, c := range []struct {
		name     string
		action   string
		resource string
		ctx      map[string][]string
		want     Decision
	}{
		// Allowed by a condition, after every Deny (three with conditions) was checked.
		{"allow/rename", "slb:SetServerCertificateName", certARN, ctx, Allow},
		{"allow/upload", uploadAction, certsARN, ctx, Allow},
		{"allow/describe", describeAction, certsARN, ctx, Allow},
		// A Deny in the first policy, on a tag.
		{"deny/explicit", deleteAction, certARN, ctx, ExplicitDeny},
		// Nothing allows it: every statement is looked at.
		{"deny/default", "slb:CreateLoadBalancer", "acs:slb:cn-hangzhou:1000000000000001:loadbalancer/lb-1", ctx, ImplicitDeny},
		// A context whose keys are not all lower case.
		{"allow/rename mixed-case context", "slb:SetServerCertificateName", certARN, mixed, Allow},
	} {
		req := Request{Action: c.action, Resource: c.resource, Context: c.ctx}
		if got := Evaluate(policies, req); got != c.want {
			b.Fatalf("%s: %v, want %v", c.name, got, c.want)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Evaluate(policies, req)
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	doc := []byte(benchPolicies[0])
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := Parse(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEvaluateAllocs holds Evaluate to its promise of not allocating on
// well-formed requests, canonical context or not.
func TestEvaluateAllocs(t *testing.T) {
	var policies []*Policy
	for _, doc := range benchPolicies {
		policies = append(policies, mustParse(t, doc))
	}
	mixed := with("ACS:SourceIp", "203.0.113.7")
	delete(mixed, KeySourceIP)
	for _, req := range []Request{
		{Action: "slb:SetServerCertificateName", Resource: certARN, Context: baseContext()},
		{Action: deleteAction, Resource: certARN, Context: baseContext()},
		{Action: "slb:CreateLoadBalancer", Resource: "acs:slb:cn-hangzhou:1:loadbalancer/lb-1", Context: mixed},
		{Action: "slb:MoveResourceGroup", Resource: certARN, Context: with(KeySourceIP, "2001:db8:a::1")},
	} {
		if n := testing.AllocsPerRun(100, func() { EvaluateDetail(policies, req) }); n != 0 {
			t.Errorf("%s: %v allocations per evaluation", req.Action, n)
		}
	}
}
