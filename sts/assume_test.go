package sts

import (
	"strings"
	"testing"
	"time"

	"slbcert"
)

func TestAssumeRoleErrors(t *testing.T) {
	f := newFixture(t)
	long := func(n int) string { return strings.Repeat("a", n) }
	narrow := `{"Version":"1","Statement":[{"Effect":"Allow","Action":"slb:Describe*","Resource":"*"}]}`
	for _, c := range []struct {
		name   string
		caller string
		in     AssumeRoleInput
		code   string
		detail string // AccessDeniedDetail.PolicyType, for NoPermission
	}{
		{"error/RoleArn missing", "AK-dev", AssumeRoleInput{RoleSessionName: "s1"}, slbcert.EMissingParameter, ""},
		{"error/RoleArn user", "AK-dev", AssumeRoleInput{RoleArn: "acs:ram::" + acctA + ":user/dev", RoleSessionName: "s1"}, EInvalidRoleArn, ""},
		{"error/RoleArn short account", "AK-dev", AssumeRoleInput{RoleArn: "acs:ram::123:role/Deployer", RoleSessionName: "s1"}, EInvalidRoleArn, ""},
		{"error/RoleArn bad name", "AK-dev", AssumeRoleInput{RoleArn: roleArn("a_b"), RoleSessionName: "s1"}, EInvalidRoleArn, ""},
		{"error/RoleArn nested", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Deployer/x"), RoleSessionName: "s1"}, EInvalidRoleArn, ""},
		{"error/RoleSessionName missing", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Deployer")}, slbcert.EMissingParameter, ""},
		{"error/RoleSessionName short", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Deployer"), RoleSessionName: "s"}, EInvalidRoleSessionName, ""},
		{"error/RoleSessionName long", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Deployer"), RoleSessionName: long(65)}, EInvalidRoleSessionName, ""},
		{"error/RoleSessionName space", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Deployer"), RoleSessionName: "a b"}, EInvalidRoleSessionName, ""},
		{"error/DurationSeconds short", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Deployer"), RoleSessionName: "s1", DurationSeconds: ParseInt("899")}, EInvalidDurationSeconds, ""},
		{"error/DurationSeconds long", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Deployer"), RoleSessionName: "s1", DurationSeconds: ParseInt("43201")}, EInvalidDurationSeconds, ""},
		{"error/DurationSeconds text", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Deployer"), RoleSessionName: "s1", DurationSeconds: ParseInt("1h")}, EInvalidDurationSeconds, ""},
		{"error/Policy size", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Deployer"), RoleSessionName: "s1", Policy: narrow + long(2049-len(narrow))}, EPolicySize, ""},
		{"error/Policy grammar", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Deployer"), RoleSessionName: "s1", Policy: `{"Version":"1"}`}, EPolicyGrammar, ""},
		{"error/Policy principal", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Deployer"), RoleSessionName: "s1", Policy: `{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Principal":{"RAM":"acs:ram::` + acctA + `:root"}}]}`}, EPolicyGrammar, ""},
		{"error/ExternalId short", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Vendor"), RoleSessionName: "s1", ExternalID: "a"}, EInvalidExternalID, ""},
		{"error/ExternalId chars", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Vendor"), RoleSessionName: "s1", ExternalID: "abc def"}, EInvalidExternalID, ""},
		{"error/ExternalId long", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Vendor"), RoleSessionName: "s1", ExternalID: long(1225)}, EInvalidExternalID, ""},
		{"error/SourceIdentity prefix", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Deployer"), RoleSessionName: "s1", SourceIdentity: "Aliyun:x"}, EInvalidSourceIdentity, ""},
		{"error/SourceIdentity chars", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Deployer"), RoleSessionName: "s1", SourceIdentity: "a/b"}, EInvalidSourceIdentity, ""},
		// Syntax before the caller: a root key with a bad ARN hears about the ARN.
		{"error/syntax before caller", "AK-root", AssumeRoleInput{RoleArn: "nope", RoleSessionName: "s1"}, EInvalidRoleArn, ""},
		{"error/root key", "AK-root", AssumeRoleInput{RoleArn: roleArn("Deployer"), RoleSessionName: "s1"}, slbcert.ENoPermission, ""},
		{"error/identity gate", "AK-nobody", AssumeRoleInput{RoleArn: roleArn("Deployer"), RoleSessionName: "s1"}, slbcert.ENoPermission, slbcert.PolicyTypeIdentity},
		// The identity gate before the role lookup: no probing for role names.
		{"error/identity gate before role lookup", "AK-nobody", AssumeRoleInput{RoleArn: roleArn("Missing"), RoleSessionName: "s1"}, slbcert.ENoPermission, slbcert.PolicyTypeIdentity},
		{"error/role missing", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Missing"), RoleSessionName: "s1"}, ERoleNotExist, ""},
		{"error/role of another account", "AK-dev", AssumeRoleInput{RoleArn: "acs:ram::" + acctB + ":role/Deployer", RoleSessionName: "s1"}, ERoleNotExist, ""},
		{"error/trust gate", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Reader"), RoleSessionName: "s1"}, slbcert.ENoPermission, slbcert.PolicyTypeAssumeRolePolicy},
		{"error/service role", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Service"), RoleSessionName: "s1"}, slbcert.ENoPermission, slbcert.PolicyTypeAssumeRolePolicy},
		{"error/trust explicit deny", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Denied"), RoleSessionName: "s1"}, slbcert.ENoPermission, slbcert.PolicyTypeAssumeRolePolicy},
		{"error/ExternalId absent", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Vendor"), RoleSessionName: "s1"}, slbcert.ENoPermission, slbcert.PolicyTypeAssumeRolePolicy},
		{"error/ExternalId wrong", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Vendor"), RoleSessionName: "s1", ExternalID: "wrong-id"}, slbcert.ENoPermission, slbcert.PolicyTypeAssumeRolePolicy},
		// The trust gate before the role's own duration limit.
		{"error/trust before duration", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Reader"), RoleSessionName: "s1", DurationSeconds: ParseInt("7200")}, slbcert.ENoPermission, slbcert.PolicyTypeAssumeRolePolicy},
		{"error/duration over the role's max", "AK-dev", AssumeRoleInput{RoleArn: roleArn("Deployer"), RoleSessionName: "s1", DurationSeconds: ParseInt("7201")}, EInvalidDurationSeconds, ""},
		{"error/cross-account untrusted role", "AK-partner", AssumeRoleInput{RoleArn: roleArn("Vendor"), RoleSessionName: "s1", ExternalID: "abcd1234"}, slbcert.ENoPermission, slbcert.PolicyTypeAssumeRolePolicy},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.AssumeRole(f.principal(t, c.caller), c.in)
			if slbcert.ErrorCode(err) != c.code {
				t.Fatalf("got %v, want %s", err, c.code)
			}
			e := err.(*slbcert.Error)
			detail, _ := e.Extra["AccessDeniedDetail"].(map[string]any)
			if got, _ := detail["PolicyType"].(string); got != c.detail {
				t.Fatalf("PolicyType %q, want %q (%v)", got, c.detail, err)
			}
			if c.code == slbcert.ENoPermission && !strings.HasPrefix(e.Message, msgNotAuthorized) {
				t.Fatalf("message %q", e.Message)
			}
		})
	}
}

func TestAssumeRole(t *testing.T) {
	f := newFixture(t)
	dev := f.principal(t, "AK-dev")
	issued, session := f.assume(t, dev, AssumeRoleInput{RoleArn: "acs:ram::" + acctA + ":role/deployer", RoleSessionName: "alice@ci", SourceIdentity: "Alice"})
	if !strings.HasPrefix(issued.AccessKeyID, "STS.") || len(issued.AccessKeyID) != 29 || len(issued.AccessKeySecret) != 44 {
		t.Fatalf("credentials %q %q", issued.AccessKeyID, issued.AccessKeySecret)
	}
	if want := time.Date(2026, 3, 1, 11, 0, 0, 0, time.UTC); !issued.Expires().Equal(want) {
		t.Fatalf("Expiration %v, want %v (now + 3600 s, whole seconds)", issued.Expires(), want)
	}
	if issued.AssumedRoleArn() != "acs:ram::"+acctA+":role/Deployer/alice@ci" || issued.AssumedRoleID() != issued.Role.ID+":alice@ci" || issued.SourceIdentity != "Alice" {
		t.Fatalf("AssumedRoleUser %s %s", issued.AssumedRoleArn(), issued.AssumedRoleID())
	}
	if session.Type() != slbcert.PrincipalAssumedRoleUser || session.DisplayName() != "Deployer:alice@ci" || session.Account.ID != acctA || session.IsRoot() {
		t.Fatalf("session principal %+v", session)
	}

	// DurationSeconds: the bounds are inclusive.
	for _, d := range []string{"900", "7200"} {
		issued, _ := f.assume(t, dev, AssumeRoleInput{RoleArn: roleArn("Deployer"), DurationSeconds: ParseInt(d)})
		if got := issued.Expires().Sub(f.now.Truncate(time.Second)); got.String() != map[string]string{"900": "15m0s", "7200": "2h0m0s"}[d] {
			t.Fatalf("DurationSeconds %s lasts %v", d, got)
		}
	}
	// ExternalId satisfies the trust policy's condition.
	f.assume(t, dev, AssumeRoleInput{RoleArn: roleArn("Vendor"), ExternalID: "abcd1234"})

	// Role chaining: a Deployer session may assume Reader, which trusts
	// Deployer's sessions; the new session is Reader's.
	_, reader := f.assume(t, session, AssumeRoleInput{RoleArn: roleArn("Reader"), RoleSessionName: "chained"})
	if reader.RoleName != "Reader" || reader.SessionName != "chained" {
		t.Fatalf("chained session %+v", reader)
	}
	// A Reader session may call sts:AssumeRole (its policy allows it) but
	// Deployer does not trust Reader's sessions: the trust gate refuses.
	_, err := f.AssumeRole(reader, AssumeRoleInput{RoleArn: roleArn("Reader"), RoleSessionName: "again"})
	if slbcert.ErrorCode(err) != slbcert.ENoPermission {
		t.Fatalf("Reader assuming Reader: %v", err)
	}
	// A session whose session policy does not allow sts:AssumeRole fails
	// the identity gate, naming the session policy.
	_, narrowed := f.assume(t, dev, AssumeRoleInput{RoleArn: roleArn("Deployer"),
		Policy: `{"Version":"1","Statement":[{"Effect":"Allow","Action":"slb:*","Resource":"*"}]}`})
	_, err = f.AssumeRole(narrowed, AssumeRoleInput{RoleArn: roleArn("Reader"), RoleSessionName: "s2"})
	if d, _ := err.(*slbcert.Error).Extra["AccessDeniedDetail"].(map[string]any); d["PolicyType"] != slbcert.PolicyTypeSession || d["AuthPrincipalType"] != "AssumedRoleUser" {
		t.Fatalf("narrowed session assuming a role: %v %v", err, d)
	}

	// Cross-account: B's partner is trusted by A's Deployer and allowed by
	// B's own policy; the session belongs to A.
	_, partner := f.assume(t, f.principal(t, "AK-partner"), AssumeRoleInput{RoleArn: roleArn("Deployer")})
	if partner.Account.ID != acctA {
		t.Fatalf("cross-account session in account %s", partner.Account.ID)
	}
}
