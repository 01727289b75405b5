package sts

import (
	"strings"
	"testing"
	"time"

	"slbcert"
	"slbcert/keyring"
)

func TestAuthenticateErrors(t *testing.T) {
	f := newFixture(t)
	issued, _ := f.assume(t, f.principal(t, "AK-dev"), AssumeRoleInput{RoleArn: roleArn("Deployer"), DurationSeconds: ParseInt("900")})
	other, _ := f.assume(t, f.principal(t, "AK-dev"), AssumeRoleInput{RoleArn: roleArn("Deployer")})
	tok := issued.SecurityToken
	flipped := []byte(tok)
	flipped[len(flipped)/2] ^= 1
	if flipped[len(flipped)/2] == '_' || flipped[len(flipped)/2] == '-' || flipped[len(flipped)/2] > 'z' {
		flipped[len(flipped)/2] = 'A'
	}
	expiry := issued.Expires()
	otherRing, _ := keyring.New(testKey(2))
	foreign, err := New(f.dir, otherRing, nil).Seal(&issued.Session)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, token, key string
		at               time.Time
		code             string
	}{
		{"error/garbage", "CAIS-not-a-token", issued.AccessKeyID, f.now, slbcert.ESecurityTokenMalformed},
		{"error/truncated", tok[:len(tok)-5], issued.AccessKeyID, f.now, slbcert.ESecurityTokenMalformed},
		{"error/tampered", string(flipped), issued.AccessKeyID, f.now, slbcert.ESecurityTokenMalformed},
		{"error/padded", tok + "==", issued.AccessKeyID, f.now, slbcert.ESecurityTokenMalformed},
		{"error/another server's key", foreign, issued.AccessKeyID, f.now, slbcert.ESecurityTokenMalformed},
		{"error/too long", strings.Repeat("A", MaxTokenBytes+1), issued.AccessKeyID, f.now, slbcert.ESecurityTokenMalformed},
		{"error/another key's token", other.SecurityToken, issued.AccessKeyID, f.now, slbcert.ESecurityTokenMismatch},
		{"error/with a long-term key", tok, "AK-dev", f.now, slbcert.ESecurityTokenMismatch},
		{"error/mismatch before expiry", tok, "AK-dev", expiry.Add(time.Hour), slbcert.ESecurityTokenMismatch},
		{"error/expired at the second", tok, issued.AccessKeyID, expiry, slbcert.ESecurityTokenExpired},
		{"error/expired long ago", tok, issued.AccessKeyID, expiry.AddDate(1, 0, 0), slbcert.ESecurityTokenExpired},
		{"ok/a second before", tok, issued.AccessKeyID, expiry.Add(-time.Second), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			key, err := f.Authenticate(c.token, c.key, c.at)
			if slbcert.ErrorCode(err) != c.code {
				t.Fatalf("got %v, want %q", err, c.code)
			}
			if err == nil && key.Secret != issued.AccessKeySecret {
				t.Fatal("wrong secret")
			}
		})
	}
}

// TestKeyRotation: a token sealed under the old master key opens while the
// keyring still holds that key, and not after it is retired.
func TestKeyRotation(t *testing.T) {
	f := newFixture(t)
	issued, _ := f.assume(t, f.principal(t, "AK-dev"), AssumeRoleInput{RoleArn: roleArn("Deployer")})
	rotated, _ := keyring.New(testKey(2), testKey(1))
	if _, err := New(f.dir, rotated, nil).Authenticate(issued.SecurityToken, issued.AccessKeyID, f.now); err != nil {
		t.Fatalf("after rotation: %v", err)
	}
	retired, _ := keyring.New(testKey(2))
	if _, err := New(f.dir, retired, nil).Authenticate(issued.SecurityToken, issued.AccessKeyID, f.now); slbcert.ErrorCode(err) != slbcert.ESecurityTokenMalformed {
		t.Fatalf("after retiring the key: %v", err)
	}
}

func TestSessionPermissions(t *testing.T) {
	f := newFixture(t)
	dev := f.principal(t, "AK-dev")
	req := func(action string) slbcert.AccessRequest {
		return slbcert.AccessRequest{Action: action, Resource: "acs:slb:cn-hangzhou:" + acctA + ":certificate/*", Context: dev.ConditionContext(f.now)}
	}
	_, plain := f.assume(t, dev, AssumeRoleInput{RoleArn: roleArn("Deployer")})
	_, narrowed := f.assume(t, dev, AssumeRoleInput{RoleArn: roleArn("Deployer"), Policy: `{"Version":"1","Statement":[
		{"Effect":"Allow","Action":["slb:Describe*","slb:Delete*","sts:GetCallerIdentity"],"Resource":"*"},
		{"Effect":"Deny","Action":"slb:DescribeRegions","Resource":"*"}]}`})
	for _, c := range []struct {
		name       string
		p          *slbcert.Principal
		action     string
		policyType string // "" when allowed
		explicit   bool
	}{
		{"ok/role allows", plain, "slb:UploadServerCertificate", "", false},
		{"deny/role denies", plain, "slb:DeleteServerCertificate", slbcert.PolicyTypeIdentity, true},
		{"deny/role says nothing", plain, "cas:ListUserCertificateOrder", slbcert.PolicyTypeIdentity, false},
		{"ok/both allow", narrowed, "slb:DescribeServerCertificates", "", false},
		{"deny/session says nothing", narrowed, "slb:UploadServerCertificate", slbcert.PolicyTypeSession, false},
		{"deny/session denies", narrowed, "slb:DescribeRegions", slbcert.PolicyTypeSession, true},
		{"deny/role's deny first", narrowed, "slb:DeleteServerCertificate", slbcert.PolicyTypeIdentity, true},
		{"deny/session allows, role does not", narrowed, "sts:GetCallerIdentity", slbcert.PolicyTypeIdentity, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.p.Authorize(req(c.action))
			if c.policyType == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e, _ := err.(*slbcert.Error)
			if e == nil || e.Code != slbcert.ENoPermission {
				t.Fatalf("got %v", err)
			}
			d := e.Extra["AccessDeniedDetail"].(map[string]any)
			kind := map[bool]string{true: "ExplicitDeny", false: "ImplicitDeny"}[c.explicit]
			if d["PolicyType"] != c.policyType || d["NoPermissionType"] != kind || d["AuthPrincipalType"] != "AssumedRoleUser" ||
				d["AuthPrincipalDisplayName"] != "Deployer:test-session" || d["AuthPrincipalOwnerId"] != acctA {
				t.Fatalf("AccessDeniedDetail %v", d)
			}
		})
	}
}

// TestSessionReadsLiveRoles: a session's permissions follow its role's
// policies as the directory has them at each request; a deleted role's
// sessions still authenticate but may do nothing.
func TestSessionReadsLiveRoles(t *testing.T) {
	f := newFixture(t)
	issued, p := f.assume(t, f.principal(t, "AK-dev"), AssumeRoleInput{RoleArn: roleArn("Deployer")})
	upload := slbcert.AccessRequest{Action: "slb:UploadServerCertificate", Resource: "*"}
	if err := p.Authorize(upload); err != nil {
		t.Fatal(err)
	}
	f.dir.Replace(buildIAM(t, strings.Replace(testIAM, `"policies":["All","NoDelete","Assume"]`, `"policies":["NoDelete"]`, 1)))
	key, err := f.Authenticate(issued.SecurityToken, issued.AccessKeyID, f.now)
	if err != nil {
		t.Fatal(err)
	}
	if err := key.Principal.Authorize(upload); slbcert.ErrorCode(err) != slbcert.ENoPermission {
		t.Fatalf("after the role lost its policy: %v", err)
	}
	f.dir.Replace(buildIAM(t, `{"accounts":[]}`))
	key, err = f.Authenticate(issued.SecurityToken, issued.AccessKeyID, f.now)
	if err != nil {
		t.Fatalf("a deleted role's session: %v", err)
	}
	if err := key.Principal.Authorize(upload); slbcert.ErrorCode(err) != slbcert.ENoPermission || key.Principal.Account.ID != acctA {
		t.Fatalf("a deleted role's session may act: %v", err)
	}
}

func TestCallerIdentity(t *testing.T) {
	f := newFixture(t)
	issued, session := f.assume(t, f.principal(t, "AK-dev"), AssumeRoleInput{RoleArn: roleArn("deployer"), RoleSessionName: "alice"})
	for _, c := range []struct {
		name string
		p    *slbcert.Principal
		want Identity
	}{
		{"ok/root", f.principal(t, "AK-root"), Identity{IdentityType: "Account", AccountID: acctA, PrincipalID: acctA, UserID: acctA, Arn: "acs:ram::" + acctA + ":root"}},
		{"ok/user", f.principal(t, "AK-dev"), Identity{IdentityType: "RAMUser", AccountID: acctA, PrincipalID: "2" + "", Arn: "acs:ram::" + acctA + ":user/dev"}},
		{"ok/session", session, Identity{IdentityType: "AssumedRoleUser", AccountID: acctA, PrincipalID: issued.Role.ID + ":alice", RoleID: issued.Role.ID,
			Arn: "acs:ram::" + acctA + ":assumed-role/Deployer/alice"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := CallerIdentity(c.p)
			if c.want.IdentityType == "RAMUser" {
				if len(got.UserID) != 16 || got.PrincipalID != got.UserID {
					t.Fatalf("user ids %+v", got)
				}
				c.want.PrincipalID, c.want.UserID = got.PrincipalID, got.UserID
			}
			if got != c.want {
				t.Fatalf("got %+v\nwant %+v", got, c.want)
			}
		})
	}
}
