// Package pgtest gives tests a PostgreSQL of their own: the database at
// $SLBCERT_TEST_POSTGRES_URL (default: the machine's, with trust
// authentication), a throwaway schema per test, and one rule when it is
// absent — a failure under CI, which must test PostgreSQL, else a loud skip.
package pgtest

import (
	"context"
	"crypto/rand"
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

// DefaultURL is where CI runs PostgreSQL.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// URL is the test database: $SLBCERT_TEST_POSTGRES_URL, or DefaultURL.
func URL() string {
	if u := os.Getenv("SLBCERT_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// InCI reports whether the tests run in CI, where PostgreSQL must be there.
func InCI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "false" && v != "0"
}

// Server connects to URL once per test binary; its pool creates and drops
// the tests' schemas. The error says why PostgreSQL is unreachable.
var Server = sync.OnceValues(func() (*pgxpool.Pool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	pool, err := pgxpool.New(ctx, URL())
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
})

// Unreachable is the message of every test when PostgreSQL is absent.
func Unreachable(err error) string {
	return fmt.Sprintf("!!! PostgreSQL not reachable at %s: slbcert on PostgreSQL is NOT tested (%v)", Redacted(URL()), err)
}

// Admin returns the pool on the test database, or ends t: a failure in CI,
// else a skip that says loudly what is not tested.
func Admin(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := Server()
	if err != nil {
		if InCI() {
			t.Fatal(Unreachable(err) + "; CI is set, and CI must test it")
		}
		t.Skip(Unreachable(err) + "; set SLBCERT_TEST_POSTGRES_URL or start PostgreSQL there")
	}
	return pool
}

// Schema creates an empty schema named prefix + random hex for t, and drops
// it with everything in it when t ends (after whatever t opened later has
// closed: cleanups run last registered first).
func Schema(t testing.TB, prefix string) string {
	t.Helper()
	pool := Admin(t)
	b := make([]byte, 8)
	rand.Read(b)
	name := prefix + hex.EncodeToString(b)
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := pool.Exec(context.Background(), "CREATE SCHEMA "+ident); err != nil {
		t.Fatalf("create schema %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := pool.Exec(context.Background(), "DROP SCHEMA "+ident+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	return name
}

// InSchema returns conn (a postgres:// URL or a key=value string) set to
// work in schema, through the options parameter (-c search_path=…) that
// libpq and pgx both honour.
func InSchema(t testing.TB, conn, schema string) string {
	t.Helper()
	if !strings.HasPrefix(conn, "postgres://") && !strings.HasPrefix(conn, "postgresql://") {
		return conn + " options='-c search_path=" + schema + "'"
	}
	u, err := url.Parse(conn)
	if err != nil {
		t.Fatalf("SLBCERT_TEST_POSTGRES_URL: %v", err)
	}
	q := u.Query()
	q.Set("options", "-c search_path="+schema)
	// libpq and pgx decode %20 but not +, which Encode writes for a space
	// (a + of the value itself is written %2B).
	u.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	return u.String()
}

// Redacted returns conn without its password, fit for a log.
func Redacted(conn string) string {
	if u, err := url.Parse(conn); err == nil && u.Scheme != "" {
		return u.Redacted()
	}
	if strings.Contains(conn, "password") {
		return "(a connection string with a password)"
	}
	return conn
}
