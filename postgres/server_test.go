package postgres

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

// defaultTestURL is where CI runs PostgreSQL, with trust authentication.
const defaultTestURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// testURL is the database the tests use: $SLBCERT_TEST_POSTGRES_URL, or
// defaultTestURL. Every test works in a schema of its own there.
func testURL() string {
	if u := os.Getenv("SLBCERT_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return defaultTestURL
}

// inCI reports whether the tests run in CI, where PostgreSQL must be there.
func inCI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "false" && v != "0"
}

// server connects to testURL once per test binary. Its pool creates and
// drops the tests' schemas.
var server = sync.OnceValues(func() (*pgxpool.Pool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	pool, err := pgxpool.New(ctx, testURL())
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
})

// unreachable is the message of every test when PostgreSQL is absent.
func unreachable(err error) string {
	return fmt.Sprintf("PostgreSQL not reachable at %s: the PostgreSQL store is NOT tested (%v)", redacted(testURL()), err)
}

// TestMain says once, on stderr, that PostgreSQL is absent. In CI that fails
// the package at once; elsewhere the tests that need it skip, each with the
// same message. (go test ./... shows a passing package's output only with
// -v, so outside CI the banner is seen in -v runs and in the package's
// directory.)
func TestMain(m *testing.M) {
	if _, err := server(); err != nil {
		banner := strings.Repeat("!", 78)
		fmt.Fprintf(os.Stderr, "%s\n%s\n", banner, unreachable(err))
		if inCI() {
			fmt.Fprintf(os.Stderr, "CI is set, and CI must test it: FAIL.\n%s\n", banner)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "Set SLBCERT_TEST_POSTGRES_URL, or start PostgreSQL there; the tests that need it are skipped.\n%s\n", banner)
	}
	os.Exit(m.Run())
}

// admin returns the pool on the test database, or ends the test: skipped
// when PostgreSQL is not reachable, failed if that happens in CI.
func admin(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := server()
	if err != nil {
		if inCI() {
			t.Fatal(unreachable(err) + "; CI is set, and CI must test it")
		}
		t.Skip(unreachable(err))
	}
	return pool
}

// freshSchema creates an empty schema of its own for t, dropped with
// everything in it when t ends, and returns its name.
func freshSchema(t testing.TB) string {
	t.Helper()
	pool := admin(t)
	b := make([]byte, 8)
	rand.Read(b)
	name := "slbcert_test_" + hex.EncodeToString(b)
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

// freshURL returns testURL with the search_path of a fresh schema, so that a
// Store opened on it sees nothing of any other test or test run.
func freshURL(t testing.TB) string {
	t.Helper()
	return withParam(t, testURL(), "search_path", freshSchema(t))
}

// withParam adds a connection parameter to a postgres:// URL or a key=value
// connection string. pgx sends parameters it does not know to the server as
// settings of the session.
func withParam(t testing.TB, conn, key, value string) string {
	t.Helper()
	if !strings.HasPrefix(conn, "postgres://") && !strings.HasPrefix(conn, "postgresql://") {
		return conn + " " + key + "=" + value
	}
	u, err := url.Parse(conn)
	if err != nil {
		t.Fatalf("SLBCERT_TEST_POSTGRES_URL: %v", err)
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// redacted returns conn without its password, fit for a log.
func redacted(conn string) string {
	if u, err := url.Parse(conn); err == nil && u.Scheme != "" {
		return u.Redacted()
	}
	if strings.Contains(conn, "password") {
		return "(a connection string with a password)"
	}
	return conn
}

// open opens a Store on conn, closed when t ends (before its schema is
// dropped: cleanups run last registered first).
func open(t testing.TB, conn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), conn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}
