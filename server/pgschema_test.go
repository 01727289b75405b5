package server

import (
	"crypto/rand"
	"encoding/base64"
	"testing"

	"slbcert/internal/pgtest"
)

// pgSchema is a throwaway schema (see pgtest.Schema).
type pgSchema struct {
	Name string
	// URL selects the schema (options=-c search_path=…); it is what a
	// server is given.
	URL string
	// Base is the test database's URL itself, as libpq tools such as
	// pg_dump accept it.
	Base string
}

// freshPGSchema creates an empty schema for t, or ends t when PostgreSQL is
// unreachable (a failure under CI, else a loud skip).
func freshPGSchema(t testing.TB) pgSchema {
	t.Helper()
	name := pgtest.Schema(t, "slbcert_e2e_")
	return pgSchema{Name: name, URL: pgtest.InSchema(t, pgtest.URL(), name), Base: pgtest.URL()}
}

// newMasterKey returns a fresh base64 master key, as SLBCERT_MASTER_KEY takes it.
func newMasterKey() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}
