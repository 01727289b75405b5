package postgres

import (
	"context"
	"errors"
	"fmt"
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

// The conformance suites; admin skips each as a whole, not its hundred
// subtests one by one.

func TestCertificates(t *testing.T) {
	admin(t)
	storetest.RunCertificates(t, func(t *testing.T) storetest.CertificateStore { return open(t, freshURL(t)) })
}

func TestLoadBalancerStore(t *testing.T) {
	admin(t)
	storetest.RunLoadBalancers(t, func(t *testing.T) storetest.LoadBalancerStore { return open(t, freshURL(t)) })
}

func TestCatalog(t *testing.T) {
	admin(t)
	storetest.RunCatalog(t, func(t *testing.T) storetest.CatalogStore { return open(t, freshURL(t)) })
}

func TestNonces(t *testing.T) {
	admin(t)
	storetest.RunNonces(t, func(t *testing.T) rpc.Nonces { return open(t, freshURL(t)) })
}

func TestLifecycle(t *testing.T) {
	admin(t)
	storetest.RunLifecycle(t, func(t *testing.T) storetest.Lifecycle { return open(t, freshURL(t)) })
}

func TestLocalCA(t *testing.T) {
	admin(t)
	storetest.RunLocalCA(t, func(t *testing.T) localca.Store { return open(t, freshURL(t)) })
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

func TestMigrationsAreNumberedInOrder(t *testing.T) {
	ms, err := migration.Load(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].Version != 1 || ms[0].Name != "init" {
		t.Fatalf("migrations = %+v", ms)
	}
}

// appliedMigrations returns schema_migrations as text.
func appliedMigrations(t *testing.T, s *Store) string {
	t.Helper()
	rows, err := s.pool.Query(context.Background(), "SELECT version, name, applied_at_ms FROM schema_migrations ORDER BY version")
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

func TestReopenKeepsDataAndDoesNotRerunMigrations(t *testing.T) {
	ctx := context.Background()
	conn := freshURL(t)
	s, err := Open(ctx, conn)
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
	if before == "" {
		t.Fatal("no migrations recorded")
	}
	s.Close()

	s = open(t, conn)
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

// TestConcurrentOpensMigrateOnce plays replicas starting at once on an empty
// schema: every Open succeeds, and each migration is recorded once.
func TestConcurrentOpensMigrateOnce(t *testing.T) {
	const replicas = 4
	conn := freshURL(t)
	start := make(chan struct{})
	stores := make([]*Store, replicas)
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			stores[i], errs[i] = Open(context.Background(), conn)
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
			continue
		}
		t.Cleanup(func() { stores[i].Close() })
	}
	if t.Failed() {
		t.FailNow()
	}
	ms, err := migration.Load(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	var rows, versions int
	if err := stores[0].pool.QueryRow(context.Background(),
		"SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations").Scan(&rows, &versions); err != nil {
		t.Fatal(err)
	}
	if rows != len(ms) || versions != len(ms) {
		t.Errorf("schema_migrations holds %d rows of %d versions, want %d of %d", rows, versions, len(ms), len(ms))
	}
	for i, s := range stores {
		if err := s.Ping(context.Background()); err != nil {
			t.Errorf("Ping %d: %v", i, err)
		}
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	conn := freshURL(t)
	s := open(t, conn)
	if _, err := s.pool.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (9999, 'future', 0)"); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(ctx, conn); err == nil {
		s.Close()
		t.Fatal("Open of a database with a newer schema succeeded")
	} else if !strings.Contains(err.Error(), "newer") {
		t.Errorf("got %v, want an error about a newer schema", err)
	}
}

// TestOpenRefusesAsynchronousCommit: with synchronous_commit off, PostgreSQL
// acknowledges commits it may lose, which a Store must not pass on.
func TestOpenRefusesAsynchronousCommit(t *testing.T) {
	conn := withParam(t, freshURL(t), "synchronous_commit", "off")
	if s, err := Open(context.Background(), conn); err == nil {
		s.Close()
		t.Fatal("Open with synchronous_commit=off succeeded")
	} else if !strings.Contains(err.Error(), "synchronous_commit") {
		t.Errorf("got %v, want an error about synchronous_commit", err)
	}
}

func TestOpenFailsOnABadURL(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, conn := range []string{
		"postgres://postgres:secret@127.0.0.1:1/test?sslmode=disable&connect_timeout=5", // nothing listens on port 1
		"postgres://%zz",
		"postgres://127.0.0.1/test?pool_max_conns=0",
	} {
		s, err := Open(ctx, conn)
		if err == nil {
			s.Close()
			t.Errorf("Open(%s) succeeded", conn)
			continue
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%s): error shows the password: %v", conn, err)
		}
	}
}

func TestApplicationName(t *testing.T) {
	s := open(t, freshURL(t))
	var name string
	if err := s.pool.QueryRow(context.Background(), "SELECT current_setting('application_name')").Scan(&name); err != nil {
		t.Fatal(err)
	}
	if name != applicationName {
		t.Errorf("application_name = %q, want %q", name, applicationName)
	}
}

// replicas opens n Stores, each with its own pool, on one fresh schema.
func replicas(t *testing.T, n int) []*Store {
	conn := freshURL(t)
	stores := make([]*Store, n)
	for i := range stores {
		stores[i] = open(t, conn)
	}
	return stores
}

// TestQuotaAcrossReplicas plays several servers sharing one database: each
// has its own Store and pool, and their creates race for the same quota.
func TestQuotaAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	const (
		servers = 4
		workers = 4
		each    = 4 // 64 creates in all
		limit   = 10
	)
	stores := replicas(t, servers)
	var wg sync.WaitGroup
	errs := make(chan error, servers*workers*each)
	start := make(chan struct{})
	for i, s := range stores {
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for k := range each {
					errs <- s.CreateCertificate(ctx, testCert(fmt.Sprintf("sc-%d-%d-%d", i, w, k)), limit)
				}
			}()
		}
	}
	close(start)
	wg.Wait()
	close(errs)
	created, refused := 0, 0
	for err := range errs {
		switch {
		case err == nil:
			created++
		case errors.Is(err, slbcert.ErrQuotaExceeded):
			refused++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	for i, s := range stores {
		got, err := s.FindCertificates(ctx, slb.CertificateFilter{AccountID: "1", RegionID: "cn-hangzhou"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != limit {
			t.Errorf("replica %d sees %d certificates, want %d", i, len(got), limit)
		}
	}
	if created != limit || refused != servers*workers*each-limit {
		t.Errorf("created %d, refused %d; want %d and %d", created, refused, limit, servers*workers*each-limit)
	}
}

// TestQuotaAcrossReplicasWithDeletes races creates against deletes: however
// they interleave, the account never holds more than the limit.
func TestQuotaAcrossReplicasWithDeletes(t *testing.T) {
	ctx := context.Background()
	const limit = 5
	stores := replicas(t, 2)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var over error
	var mu sync.Mutex
	wg.Add(1)
	go func() { // watches the count from outside
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			var n int
			if err := stores[0].pool.QueryRow(ctx, "SELECT COUNT(*) FROM certificates").Scan(&n); err != nil {
				mu.Lock()
				over = err
				mu.Unlock()
				return
			}
			if n > limit {
				mu.Lock()
				over = fmt.Errorf("%d certificates stored, limit %d", n, limit)
				mu.Unlock()
				return
			}
		}
	}()
	var workers sync.WaitGroup
	for i, s := range stores {
		for w := range 3 {
			workers.Add(1)
			go func() {
				defer workers.Done()
				for k := range 30 {
					id := fmt.Sprintf("sc-%d-%d-%d", i, w, k)
					err := s.CreateCertificate(ctx, testCert(id), limit)
					if errors.Is(err, slbcert.ErrQuotaExceeded) {
						continue
					}
					if err != nil {
						t.Error(err)
						return
					}
					if k%2 == 0 {
						if err := s.DeleteCertificate(ctx, "1", "cn-hangzhou", slb.KindServer, id); err != nil {
							t.Error(err)
							return
						}
					}
				}
			}()
		}
	}
	workers.Wait()
	close(stop)
	wg.Wait()
	if over != nil {
		t.Error(over)
	}
	got, err := stores[1].FindCertificates(ctx, slb.CertificateFilter{AccountID: "1", RegionID: "cn-hangzhou"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) > limit {
		t.Errorf("%d certificates stored, limit %d", len(got), limit)
	}
}

// TestUpdateTagsAcrossReplicasDoNotDeadlock runs UpdateTags on the same
// certificates, named in opposite orders, from two replicas at once.
func TestUpdateTagsAcrossReplicasDoNotDeadlock(t *testing.T) {
	ctx := context.Background()
	stores := replicas(t, 2)
	for _, id := range []string{"a", "b", "c"} {
		if err := stores[0].CreateCertificate(ctx, testCert(id), 100); err != nil {
			t.Fatal(err)
		}
	}
	orders := [][]string{{"a", "b", "c"}, {"c", "b", "a"}}
	var wg sync.WaitGroup
	for i, s := range stores {
		for w := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range 20 {
					set := []slbcert.Tag{{Key: fmt.Sprintf("k%d", (i+w+k)%4), Value: fmt.Sprint(k)}}
					if err := s.UpdateTags(ctx, "1", "cn-hangzhou", orders[(i+w)%2], set, []string{"env"}, false, 20); err != nil {
						t.Errorf("replica %d: %v", i, err)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	got, err := stores[1].FindCertificates(ctx, slb.CertificateFilter{AccountID: "1", RegionID: "cn-hangzhou"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range got {
		if len(c.Tags) != 4 {
			t.Errorf("%s has tags %v, want k0…k3", c.ID, c.Tags)
		}
	}
}

// TestNonceAcrossReplicas: a nonce used through one replica is a replay
// through any other.
func TestNonceAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	stores := replicas(t, 2)
	a, b := stores[0], stores[1]
	expires := time.Now().Add(time.Hour)
	use := func(s *Store, nonce string, want bool) {
		t.Helper()
		if ok, err := s.UseNonce(ctx, "LTAIkey", nonce, expires); ok != want || err != nil {
			t.Errorf("UseNonce(%s) = %v, %v; want %v, nil", nonce, ok, err, want)
		}
	}
	use(a, "n-1", true)
	use(b, "n-1", false)
	use(b, "n-2", true)
	use(a, "n-2", false)

	const n = 16
	wins := make(chan bool, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ok, err := stores[i%2].UseNonce(ctx, "LTAIkey", "n-race", expires)
			if err != nil {
				t.Error(err)
			}
			wins <- ok
		}()
	}
	close(start)
	wg.Wait()
	close(wins)
	won := 0
	for ok := range wins {
		if ok {
			won++
		}
	}
	if won != 1 {
		t.Errorf("%d of %d concurrent uses through two replicas succeeded, want 1", won, n)
	}
}

func TestNoncePurge(t *testing.T) {
	ctx := context.Background()
	s := open(t, freshURL(t))
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
		if err := s.pool.QueryRow(ctx, "SELECT COUNT(*) FROM nonces").Scan(&n); err != nil {
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

// TestIDsCompareByteWise pins the collation the listing order rests on: the
// suite's ordering test cannot tell it from a database whose default
// collation happens to sort byte-wise (C, C.UTF-8), as CI's may.
func TestIDsCompareByteWise(t *testing.T) {
	s := open(t, freshURL(t))
	for _, col := range [][2]string{{"certificates", "id"}, {"certificate_tags", "certificate_id"}} {
		var coll *string
		if err := s.pool.QueryRow(context.Background(), `SELECT collation_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2`, col[0], col[1]).Scan(&coll); err != nil {
			t.Fatalf("%s.%s: %v", col[0], col[1], err)
		}
		if coll == nil || *coll != "C" {
			t.Errorf("%s.%s has collation %v, want C", col[0], col[1], coll)
		}
	}
}
