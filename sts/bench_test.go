package sts

import "testing"

// BenchmarkAuthenticate is the cost a token adds to every request made
// with temporary credentials: decode, open (AES-GCM), decode the session,
// parse its session policy, resolve the role.
func BenchmarkAuthenticate(b *testing.B) {
	for _, c := range []struct {
		name   string
		policy string
	}{
		{"no-session-policy", ""},
		{"session-policy", `{"Version":"1","Statement":[{"Effect":"Allow","Action":["slb:Describe*","slb:UploadServerCertificate"],"Resource":"acs:slb:*:1000000000000002:certificate/*","Condition":{"IpAddress":{"acs:SourceIp":["10.0.0.0/8","127.0.0.1"]}}}]}`},
	} {
		b.Run(c.name, func(b *testing.B) {
			f := newFixture(b)
			issued, err := f.AssumeRole(f.principal(b, "AK-dev"), AssumeRoleInput{RoleArn: roleArn("Deployer"), RoleSessionName: "bench", Policy: c.policy})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.Authenticate(issued.SecurityToken, issued.AccessKeyID, f.now); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(issued.SecurityToken)), "token-bytes")
		})
	}
}

// BenchmarkAssumeRole is AssumeRole without the wire: both gates, a new
// key pair, sealing.
func BenchmarkAssumeRole(b *testing.B) {
	f := newFixture(b)
	dev := f.principal(b, "AK-dev")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.AssumeRole(dev, AssumeRoleInput{RoleArn: roleArn("Deployer"), RoleSessionName: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
}
