package postgres

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"slbcert/internal/pgtest"
)

// TestMain says once, on stderr, that PostgreSQL is absent. In CI that fails
// the package at once; elsewhere the tests that need it skip, each with the
// same message. (go test ./... shows a passing package's output only with
// -v, so outside CI the banner is seen in -v runs and in the package's
// directory.)
func TestMain(m *testing.M) {
	if _, err := pgtest.Server(); err != nil {
		banner := strings.Repeat("!", 78)
		fmt.Fprintf(os.Stderr, "%s\n%s\n", banner, pgtest.Unreachable(err))
		if pgtest.InCI() {
			fmt.Fprintf(os.Stderr, "CI is set, and CI must test it: FAIL.\n%s\n", banner)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "Set SLBCERT_TEST_POSTGRES_URL, or start PostgreSQL there; the tests that need it are skipped.\n%s\n", banner)
	}
	os.Exit(m.Run())
}

// admin returns the pool on the test database, or ends the test: skipped
// when PostgreSQL is not reachable, failed if that happens in CI.
func admin(t testing.TB) { pgtest.Admin(t) }

// freshURL returns the test database's URL in a fresh schema, so that a
// Store opened on it sees nothing of any other test or test run.
func freshURL(t testing.TB) string {
	t.Helper()
	return pgtest.InSchema(t, pgtest.URL(), pgtest.Schema(t, "slbcert_test_"))
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
	u.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	return u.String()
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
