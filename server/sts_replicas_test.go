package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	sdksts "github.com/aliyun/alibaba-cloud-sdk-go/services/sts"

	"slbcert/internal/testpki"
)

// TestSTSReplicas: two servers sharing a PostgreSQL schema and the master
// key honour each other's tokens, both ways; a replica started afterwards
// (a restart) honours tokens issued before it existed; a server with
// another master key refuses them as not its own.
func TestSTSReplicas(t *testing.T) {
	schema := freshPGSchema(t)
	iamFile := filepath.Join(t.TempDir(), "iam.json")
	if err := os.WriteFile(iamFile, []byte(stsIAM), 0o600); err != nil {
		t.Fatal(err)
	}
	key := newMasterKey()
	replica := func(c *Config) {
		c.DatabaseURL = schema.URL
		c.MasterKey = key
		c.IAMFile = iamFile
	}
	a, b := startServer(t, replica), startServer(t, replica)
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "replicas.example.com"})

	fromA := a.assume(t, "AKS-ci", "s-ci", assumeRequest("CertManager", "from-a")).Credentials
	fromB := b.assume(t, "AKS-ci", "s-ci", assumeRequest("CertManager", "from-b")).Credentials
	id := b.sessionCalls(t, fromA).upload(srv.ChainPEM, srv.KeyPEM, "a-token-on-b").ServerCertificateId
	if l, err := a.sessionCalls(t, fromB).describe(id); err != nil || len(l) != 1 {
		t.Fatalf("a token of B on A: %v %v", l, err)
	}
	// Chaining across replicas: A's session assumes a role on B.
	if _, err := b.stsClient(t, fromA.AccessKeyId, fromA.AccessKeySecret, fromA.SecurityToken).AssumeRole(assumeRequest("Auditor", "chained")); err != nil {
		t.Fatal(err)
	}

	// A restart: a new server on the same database and key.
	a.Close()
	c := startServer(t, replica)
	if err := c.sessionCalls(t, fromA).delete(id); err != nil {
		t.Fatalf("a token issued before the restart: %v", err)
	}
	// Another master key: the token is not this server's.
	other := startServer(t, func(c *Config) { replica(c); c.DatabaseURL = freshPGSchema(t).URL; c.MasterKey = newMasterKey() })
	_, err := other.sessionCalls(t, fromB).describe("")
	serverError(t, err, "InvalidSecurityToken.Malformed", 400)
}

// TestSTSRestartSQLite: tokens survive a restart of the embedded store's
// server (the master key lives in the data directory), and follow the
// IAM file as reloaded: a role's policies, edited, apply to live sessions.
func TestSTSRestartSQLite(t *testing.T) {
	dir := t.TempDir()
	s, _ := startSTSServer(t, func(c *Config) { c.DataDir = dir })
	iamFile := s.Config.IAMFile
	creds := s.assume(t, "AKS-ci", "s-ci", assumeRequest("CertManager", "restart")).Credentials
	s.Close()
	s = startServer(t, func(c *Config) { c.DataDir = dir; c.IAMFile = iamFile })
	k := s.sessionCalls(t, creds)
	if _, err := k.describe(""); err != nil {
		t.Fatalf("after a restart: %v", err)
	}
	// CertManager loses SLBAll: the live session loses it too.
	edited := []byte(replaceOnce(t, stsIAM, `"policies": ["SLBAll", "AssumeRoles"], "maxSessionDuration": 7200`, `"policies": ["AssumeRoles"], "maxSessionDuration": 7200`))
	if err := os.WriteFile(iamFile, edited, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.ReloadIAM(); err != nil {
		t.Fatal(err)
	}
	_, err := k.describe("")
	se := serverError(t, err, "NoPermission", 403)
	if d := se.AccessDeniedDetail(); d["AuthPrincipalType"] != "AssumedRoleUser" || d["PolicyType"] != "AccountLevelIdentityBasedPolicy" {
		t.Fatalf("AccessDeniedDetail %v", d)
	}
	// GetCallerIdentity needs no permission.
	if who, err := s.stsClient(t, creds.AccessKeyId, creds.AccessKeySecret, creds.SecurityToken).GetCallerIdentity(sdksts.CreateGetCallerIdentityRequest()); err != nil || who.IdentityType != "AssumedRoleUser" {
		t.Fatalf("GetCallerIdentity: %+v %v", who, err)
	}
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("%q not found", old)
	}
	return strings.Replace(s, old, new, 1)
}
