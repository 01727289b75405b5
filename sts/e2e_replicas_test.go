package sts_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	sdksts "github.com/aliyun/alibaba-cloud-sdk-go/services/sts"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
	"slbcert/server"
)

// TestSTSReplicas: two servers sharing a PostgreSQL schema and the master
// key honour each other's tokens, both ways; a replica started afterwards
// (a restart) honours tokens issued before it existed; a server with
// another master key refuses them as not its own.
func TestSTSReplicas(t *testing.T) {
	schema := e2e.FreshPGSchema(t)
	iamFile := filepath.Join(t.TempDir(), "iam.json")
	if err := os.WriteFile(iamFile, []byte(e2e.STSIAM), 0o600); err != nil {
		t.Fatal(err)
	}
	key := e2e.NewMasterKey()
	replica := func(c *server.Config) {
		c.DatabaseURL = schema.URL
		c.MasterKey = key
		c.IAMFile = iamFile
	}
	a, b := e2e.Start(t, replica), e2e.Start(t, replica)
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "replicas.example.com"})

	fromA := a.Assume(t, "AKS-ci", "s-ci", e2e.AssumeRequest("CertManager", "from-a")).Credentials
	fromB := b.Assume(t, "AKS-ci", "s-ci", e2e.AssumeRequest("CertManager", "from-b")).Credentials
	id := sessionCalls(t, b, fromA).Upload(srv.ChainPEM, srv.KeyPEM, "a-token-on-b").ServerCertificateId
	if l, err := sessionCalls(t, a, fromB).Describe(id); err != nil || len(l) != 1 {
		t.Fatalf("a token of B on A: %v %v", l, err)
	}
	// Chaining across replicas: A's session assumes a role on B.
	if _, err := b.STSClient(t, fromA.AccessKeyId, fromA.AccessKeySecret, fromA.SecurityToken).AssumeRole(e2e.AssumeRequest("Auditor", "chained")); err != nil {
		t.Fatal(err)
	}

	// A restart: a new server on the same database and key.
	a.Close()
	c := e2e.Start(t, replica)
	if err := sessionCalls(t, c, fromA).Delete(id); err != nil {
		t.Fatalf("a token issued before the restart: %v", err)
	}
	// Another master key: the token is not this server's.
	other := e2e.Start(t, func(c *server.Config) {
		replica(c)
		c.DatabaseURL = e2e.FreshPGSchema(t).URL
		c.MasterKey = e2e.NewMasterKey()
	})
	_, err := sessionCalls(t, other, fromB).Describe("")
	e2e.ServerError(t, err, "InvalidSecurityToken.Malformed", 400)
}

// TestSTSRestartSQLite: tokens survive a restart of the embedded store's
// server (the master key lives in the data directory), and follow the
// IAM file as reloaded: a role's policies, edited, apply to live sessions.
func TestSTSRestartSQLite(t *testing.T) {
	dir := t.TempDir()
	s, _ := startSTSServer(t, func(c *server.Config) { c.DataDir = dir })
	iamFile := s.Config.IAMFile
	creds := s.Assume(t, "AKS-ci", "s-ci", e2e.AssumeRequest("CertManager", "restart")).Credentials
	s.Close()
	s = e2e.Start(t, func(c *server.Config) { c.DataDir = dir; c.IAMFile = iamFile })
	k := sessionCalls(t, s, creds)
	if _, err := k.Describe(""); err != nil {
		t.Fatalf("after a restart: %v", err)
	}
	// CertManager loses SLBAll: the live session loses it too.
	edited := []byte(replaceOnce(t, e2e.STSIAM, `"policies": ["SLBAll", "AssumeRoles"], "maxSessionDuration": 7200`, `"policies": ["AssumeRoles"], "maxSessionDuration": 7200`))
	if err := os.WriteFile(iamFile, edited, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.ReloadIAM(); err != nil {
		t.Fatal(err)
	}
	_, err := k.Describe("")
	se := e2e.ServerError(t, err, "NoPermission", 403)
	if d := se.AccessDeniedDetail(); d["AuthPrincipalType"] != "AssumedRoleUser" || d["PolicyType"] != "AccountLevelIdentityBasedPolicy" {
		t.Fatalf("AccessDeniedDetail %v", d)
	}
	// GetCallerIdentity needs no permission.
	if who, err := s.STSClient(t, creds.AccessKeyId, creds.AccessKeySecret, creds.SecurityToken).GetCallerIdentity(sdksts.CreateGetCallerIdentityRequest()); err != nil || who.IdentityType != "AssumedRoleUser" {
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
