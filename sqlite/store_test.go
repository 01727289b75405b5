package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"slbcert"
	"slbcert/internal/migration"
	"slbcert/localca"
	"slbcert/rpc"
	"slbcert/slb"
	"slbcert/sqlstore"
	"slbcert/storetest"
)

func open(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// openFresh opens a store on a new file in t's temporary directory.
func openFresh(t *testing.T) *Store { return open(t, filepath.Join(t.TempDir(), "slbcert.db")) }

func TestCertificates(t *testing.T) {
	storetest.RunCertificates(t, func(t *testing.T) storetest.CertificateStore { return openFresh(t) })
}

func TestLoadBalancerStore(t *testing.T) {
	storetest.RunLoadBalancers(t, func(t *testing.T) storetest.LoadBalancerStore { return openFresh(t) })
}

func TestCatalog(t *testing.T) {
	storetest.RunCatalog(t, func(t *testing.T) storetest.CatalogStore { return openFresh(t) })
}

func TestNonces(t *testing.T) {
	storetest.RunNonces(t, func(t *testing.T) rpc.Nonces { return openFresh(t) })
}

func TestLifecycle(t *testing.T) {
	storetest.RunLifecycle(t, func(t *testing.T) storetest.Lifecycle { return openFresh(t) })
}

func TestLocalCA(t *testing.T) {
	storetest.RunLocalCA(t, func(t *testing.T) localca.Store { return openFresh(t) })
}

func testCert(id string) *slb.Certificate {
	return &slb.Certificate{
		ID: id, Kind: slb.KindServer, AccountID: "1", RegionID: "cn-hangzhou",
		Name: "n-" + id, ResourceGroupID: "rg-x",
		CreateTime: time.UnixMilli(1_700_000_000_000).UTC(), ExpireTime: time.UnixMilli(1_800_000_000_000).UTC(),
		SealedPrivateKey: []byte{1, 2, 3},
		Tags:             []slbcert.Tag{{Key: "env", Value: "prod"}},
	}
}

func TestReopenKeepsDataAndDoesNotRerunMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "slbcert.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateCertificate(ctx, testCert("sc-1"), 10); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.UseNonce(ctx, "key", "nonce", time.Now().Add(time.Hour)); !ok || err != nil {
		t.Fatalf("UseNonce = %v, %v", ok, err)
	}
	before := appliedMigrations(t, s)
	if len(before) == 0 {
		t.Fatal("no migrations recorded")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = open(t, path)
	if after := appliedMigrations(t, s); after != before {
		t.Errorf("schema_migrations changed on reopen:\nbefore %s\nafter  %s", before, after)
	}
	got, err := s.FindCertificates(ctx, slb.CertificateFilter{AccountID: "1", RegionID: "cn-hangzhou"})
	if err != nil || len(got) != 1 || got[0].ID != "sc-1" || len(got[0].Tags) != 1 {
		t.Fatalf("after reopen: %+v, %v", got, err)
	}
	if ok, err := s.UseNonce(ctx, "key", "nonce", time.Now().Add(time.Hour)); ok || err != nil {
		t.Errorf("replayed nonce after reopen: UseNonce = %v, %v; want false, nil", ok, err)
	}
}

// appliedMigrations returns schema_migrations as text.
func appliedMigrations(t *testing.T, s *Store) string {
	t.Helper()
	rows, err := s.r.Query("SELECT version, name, applied_at_ms FROM schema_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var v int
		var name string
		var at int64
		if err := rows.Scan(&v, &name, &at); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d %s %d; ", v, name, at)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestMigrationsAreNumberedInOrder(t *testing.T) {
	ms, err := migration.Load(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].Version != 1 || ms[0].Name != "init" {
		t.Fatalf("migrations = %+v", ms)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "slbcert.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (9999, 'future', 0)"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := Open(ctx, path); err == nil {
		s.Close()
		t.Fatal("Open of a database with a newer schema succeeded")
	} else if !strings.Contains(err.Error(), "newer") {
		t.Errorf("got %v, want an error about a newer schema", err)
	}
}

// TestPragmasOnPooledConnections checks the settings durability and
// concurrency rest on, on connections the pools opened themselves.
func TestPragmasOnPooledConnections(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "slbcert.db"))
	type pooled struct {
		name     string
		conn     *sql.Conn
		readOnly bool
	}
	var conns []pooled
	for i := 0; i < 3; i++ { // held at once, so the pool must open new ones
		c, err := s.r.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, pooled{fmt.Sprintf("reader %d", i), c, true})
	}
	c, err := s.w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	conns = append(conns, pooled{"writer", c, false})
	nc, err := s.n.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	conns = append(conns, pooled{"nonces", nc, false})

	for _, pc := range conns {
		want := map[string]string{
			"journal_mode": "wal",
			"synchronous":  "2", // FULL
			"foreign_keys": "1",
			"busy_timeout": fmt.Sprint(busyTimeout.Milliseconds()),
			"query_only":   "0",
		}
		if pc.readOnly {
			want["query_only"] = "1"
		}
		if pc.name == "nonces" {
			want["synchronous"] = "1" // NORMAL: see openNonces
		}
		for name, w := range want {
			var got string
			if err := pc.conn.QueryRowContext(ctx, "PRAGMA "+name).Scan(&got); err != nil {
				t.Fatalf("%s: PRAGMA %s: %v", pc.name, name, err)
			}
			if !strings.EqualFold(got, w) {
				t.Errorf("%s: PRAGMA %s = %s, want %s", pc.name, name, got, w)
			}
		}
	}
}

// TestWriterBeginsImmediate checks that a write transaction holds the write
// lock from BEGIN on: a second writer on the file cannot begin meanwhile.
func TestWriterBeginsImmediate(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "slbcert.db")
	s := open(t, path)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()

	other := open(t, path)
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if tx2, err := other.w.BeginTx(short, nil); err == nil {
		tx2.Rollback()
		t.Fatal("a second write transaction began while the first was open")
	}
	// Reads are not blocked by the open write transaction (WAL).
	short, cancel = context.WithTimeout(ctx, time.Second)
	defer cancel()
	if _, err := other.FindCertificates(short, slb.CertificateFilter{AccountID: "1", RegionID: "cn-hangzhou"}); err != nil {
		t.Errorf("read during a write transaction: %v", err)
	}
	if _, err := s.FindCertificates(short, slb.CertificateFilter{AccountID: "1", RegionID: "cn-hangzhou"}); err != nil {
		t.Errorf("read in the same process during a write transaction: %v", err)
	}
}

// TestQuotaAcrossProcesses plays several servers sharing one database file:
// each has its own Store, and their creates race for the same quota.
func TestQuotaAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "slbcert.db")
	const (
		servers = 4
		workers = 4
		each    = 4
		limit   = 10
	)
	var stores []*Store
	for i := 0; i < servers; i++ {
		stores = append(stores, open(t, path))
	}
	var wg sync.WaitGroup
	errs := make(chan error, servers*workers*each)
	for i, s := range stores {
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := 0; k < each; k++ {
					errs <- s.CreateCertificate(ctx, testCert(fmt.Sprintf("sc-%d-%d-%d", i, w, k)), limit)
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	created := 0
	for err := range errs {
		switch {
		case err == nil:
			created++
		case !errors.Is(err, slbcert.ErrQuotaExceeded):
			t.Errorf("unexpected error: %v", err)
		}
	}
	got, err := stores[0].FindCertificates(ctx, slb.CertificateFilter{AccountID: "1", RegionID: "cn-hangzhou"})
	if err != nil {
		t.Fatal(err)
	}
	if created != limit || len(got) != limit {
		t.Errorf("created %d, stored %d; want %d", created, len(got), limit)
	}
}

func TestNoncePurge(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "slbcert.db"))
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }

	use := func(nonce string, ttl time.Duration) {
		t.Helper()
		if ok, err := s.UseNonce(ctx, "key", nonce, now.Add(ttl)); !ok || err != nil {
			t.Fatalf("UseNonce(%s) = %v, %v", nonce, ok, err)
		}
	}
	rows := func() (n int) {
		t.Helper()
		if err := s.n.QueryRow("SELECT COUNT(*) FROM nonces").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	use("short-1", time.Second) // the first call purges (nothing yet)
	use("short-2", time.Second)
	use("long", time.Hour)
	if n := rows(); n != 3 {
		t.Fatalf("%d nonce rows, want 3", n)
	}
	now = now.Add(30 * time.Second) // expired, but no purge due yet
	use("next", time.Hour)
	if n := rows(); n != 4 {
		t.Fatalf("%d nonce rows before purge, want 4", n)
	}
	now = now.Add(sqlstore.NoncePurgeInterval)
	use("later", time.Hour)
	if n := rows(); n != 3 {
		t.Errorf("%d nonce rows after purge, want 3 (long, next, later)", n)
	}
}

func TestPathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a dir?x=1#frag%20&_pragma=query_only(1)")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "slb cert.db")
	s := open(t, path)
	if err := s.CreateCertificate(context.Background(), testCert("sc-1"), 1); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database not at %q: %v", path, err)
	}
}

func TestOpenRejectsWhatIsNotAPath(t *testing.T) {
	for _, p := range []string{"", ":memory:", "file:x.db?mode=memory"} {
		if s, err := Open(context.Background(), p); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", p)
		}
	}
}

// TestCountsMigrationBackfills: migration 3 counts the certificates a
// database already holds, so quotas stay exact across the upgrade.
func TestCountsMigrationBackfills(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "slbcert.db")
	s := open(t, path)
	for _, id := range []string{"sc-1", "sc-2"} {
		if err := s.CreateCertificate(ctx, testCert(id), 10); err != nil {
			t.Fatal(err)
		}
	}
	// Take the database back to before migration 3, and run it again
	// (the later migrations need not be undone for that).
	if _, err := s.w.Exec(`DROP TRIGGER certificates_counted_in; DROP TRIGGER certificates_counted_out;
		DROP TABLE certificate_counts`); err != nil {
		t.Fatal(err)
	}
	ms, err := migration.Load(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec(ms[2].SQL); err != nil {
		t.Fatalf("migration %s: %v", ms[2].Name, err)
	}
	s.Close()
	s = open(t, path)
	if err := s.CreateCertificate(ctx, testCert("sc-3"), 3); err != nil {
		t.Fatalf("third of three: %v", err)
	}
	if err := s.CreateCertificate(ctx, testCert("sc-4"), 3); !errors.Is(err, slbcert.ErrQuotaExceeded) {
		t.Fatalf("fourth of three: %v", err)
	}
}
