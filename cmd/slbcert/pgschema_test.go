package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// pgDefaultURL is where CI runs PostgreSQL, with trust authentication.
const pgDefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// pgURL is the database the PostgreSQL end-to-end tests use:
// $SLBCERT_TEST_POSTGRES_URL, or pgDefaultURL.
func pgURL() string {
	if u := os.Getenv("SLBCERT_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return pgDefaultURL
}

// pgInCI reports whether the tests run in CI, where PostgreSQL must be there.
func pgInCI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "false" && v != "0"
}

// pgServer connects to pgURL once per test binary; its pool creates and
// drops the tests' schemas.
var pgServer = sync.OnceValues(func() (*pgxpool.Pool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	pool, err := pgxpool.New(ctx, pgURL())
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
})

// pgUnreachable ends t when PostgreSQL is absent: a failure in CI, which
// must test it, else a skip that says loudly what is not tested.
func pgUnreachable(t testing.TB, err error) {
	t.Helper()
	msg := fmt.Sprintf("!!! PostgreSQL not reachable at %s: slbcert on PostgreSQL is NOT tested end to end (%v)", pgRedacted(pgURL()), err)
	if pgInCI() {
		t.Fatal(msg + "; CI is set, and CI must test it")
	}
	t.Skip(msg + "; set SLBCERT_TEST_POSTGRES_URL or start PostgreSQL there")
}

// pgAdmin returns the pool on the test database, or ends t (pgUnreachable).
func pgAdmin(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := pgServer()
	if err != nil {
		pgUnreachable(t, err)
	}
	return pool
}

// pgSchema is a throwaway schema: dropped, with everything in it, when the
// test ends (after the servers started later in the test have closed, since
// cleanups run last registered first).
type pgSchema struct {
	Name string
	// URL selects the schema through the options parameter
	// (-c search_path=…); it is what a server is given.
	URL string
	// Base is pgURL itself, as libpq tools such as pg_dump accept it.
	Base string
}

// freshPGSchema creates an empty schema for t.
func freshPGSchema(t testing.TB) pgSchema {
	t.Helper()
	pool := pgAdmin(t)
	b := make([]byte, 8)
	rand.Read(b)
	name := "slbcert_e2e_" + hex.EncodeToString(b)
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := pool.Exec(context.Background(), "CREATE SCHEMA "+ident); err != nil {
		t.Fatalf("create schema %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := pool.Exec(context.Background(), "DROP SCHEMA "+ident+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	u, err := url.Parse(pgURL())
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("SLBCERT_TEST_POSTGRES_URL must be a postgres:// URL here (%v)", err)
	}
	q := u.Query()
	q.Set("options", "-c search_path="+name)
	// libpq and pgx decode %20 but not +, which Encode writes for a space
	// (a + of the value itself is written %2B).
	u.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	return pgSchema{Name: name, URL: u.String(), Base: pgURL()}
}

// pgRedacted returns a URL without its password, fit for a log.
func pgRedacted(conn string) string {
	if u, err := url.Parse(conn); err == nil && u.Scheme != "" {
		return u.Redacted()
	}
	return "(a connection string)"
}

// newMasterKey returns a fresh base64 master key, as SLBCERT_MASTER_KEY takes it.
func newMasterKey() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}
