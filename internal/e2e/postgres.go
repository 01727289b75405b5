package e2e

import (
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"

	"slbcert/internal/pgtest"
	"slbcert/server"
)

// PGSchema is a throwaway schema (see pgtest.Schema).
type PGSchema struct {
	Name string
	// URL selects the schema (options=-c search_path=…); it is what a
	// server is given.
	URL string
	// Base is the test database's URL itself, as libpq tools such as
	// pg_dump accept it.
	Base string
}

// FreshPGSchema creates an empty schema for t, or ends t when PostgreSQL is
// unreachable (a failure under CI, else a loud skip).
func FreshPGSchema(t testing.TB) PGSchema {
	t.Helper()
	name := pgtest.Schema(t, "slbcert_e2e_")
	return PGSchema{Name: name, URL: pgtest.InSchema(t, pgtest.URL(), name), Base: pgtest.URL()}
}

// NewMasterKey returns a fresh base64 master key, as SLBCERT_MASTER_KEY takes it.
func NewMasterKey() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// ReplicaIAM adds an account with a small quota to the default one (whose
// root key Start gives), so that racing uploads hit the quota.
const ReplicaIAM = `{"accounts": [
 {"id": "1000000000000004",
  "accessKeys": [{"id": "AKQ-root", "secret": "q-root"}],
  "quotas": {"serverCertificatesPerRegion": 10}}
]}`

// StartReplicas starts two servers on one fresh PostgreSQL schema, with the
// same master key and IAM file, as replicas behind a load balancer run.
func StartReplicas(t *testing.T) (a, b *Server) {
	t.Helper()
	schema := FreshPGSchema(t)
	iamFile := filepath.Join(t.TempDir(), "iam.json")
	if err := os.WriteFile(iamFile, []byte(ReplicaIAM), 0o600); err != nil {
		t.Fatal(err)
	}
	key := NewMasterKey()
	replica := func(c *server.Config) {
		c.DatabaseURL = schema.URL
		c.MasterKey = key
		c.IAMFile = iamFile
	}
	return Start(t, replica), Start(t, replica)
}
