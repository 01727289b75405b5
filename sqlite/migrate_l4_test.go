package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"slbcert"
	"slbcert/internal/migration"
	"slbcert/slb"
)

// TestListenerFamilyMigrationKeepsListeners writes listeners and a domain
// extension under the schema before migration l4_listeners_acls, then opens the store:
// they are kept (in family tcp), the extension still cascades with its
// listener, and a UDP listener can then share the port.
func TestListenerFamilyMigrationKeepsListeners(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "slbcert.db")
	dsn, err := dataSourceName(path, false, "FULL")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := migration.Load(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at_ms INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Name == "l4_listeners_acls" {
			break
		}
		if _, err := db.Exec(m.SQL); err != nil {
			t.Fatalf("migration %d: %v", m.Version, err)
		}
		if _, err := db.Exec("INSERT INTO schema_migrations VALUES (?, ?, 0)", m.Version, m.Name); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO certificates (id, kind, account_id, region_id, name, resource_group_id, fingerprint, common_name, sans,
			encryption_algorithm, encryption_key_length, create_time_ms, expire_time_ms, alicloud_certificate_id,
			alicloud_certificate_name, alicloud_certificate_region_id, is_alicloud, standard_type, certificate_pem, sealed_private_key)
			VALUES ('sc-1', 'server', '1', 'cn-hangzhou', 'n', 'rg', 'f', 'cn', '[]', 'RSA', 2048, 0, 0, '', '', '', 0, '', 'pem', x'01')`,
		`INSERT INTO load_balancers VALUES ('lb-1', '1', 'cn-hangzhou', 'active', '127.1.0.1', '', 0, '{}', '[]', '[]')`,
		`INSERT INTO lb_listeners VALUES ('lb-1', 443, 'https', 'running', 'sc-1', NULL, NULL, 'tls_cipher_policy_1_0', NULL, 0, '{}')`,
		`INSERT INTO lb_listeners VALUES ('lb-1', 80, 'http', 'stopped', NULL, NULL, NULL, '', NULL, 0, '{}')`,
		`INSERT INTO lb_domain_extensions VALUES ('de-1', 'lb-1', 443, 'www.example.com', 'sc-1', 0)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	s := open(t, path)
	got, err := s.FindListeners(ctx, slb.ListenerFilter{AccountID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Port != 80 || got[1].Port != 443 || len(got[1].DomainExtensions) != 1 || got[1].ServerCertificateID != "sc-1" {
		t.Fatalf("after the migration: %+v", got)
	}
	udp := &slb.Listener{LoadBalancerID: "lb-1", Port: 443, Protocol: slb.ProtocolUDP, Status: slb.ListenerStopped, CreateTime: time.Now()}
	if err := s.CreateListener(ctx, "1", udp, 10); err != nil {
		t.Fatalf("a UDP listener on the HTTPS listener's port: %v", err)
	}
	tcp := &slb.Listener{LoadBalancerID: "lb-1", Port: 80, Protocol: slb.ProtocolTCP, Status: slb.ListenerStopped, CreateTime: time.Now()}
	if err := s.CreateListener(ctx, "1", tcp, 10); !errors.Is(err, slbcert.ErrAlreadyExists) {
		t.Fatalf("a TCP listener on the HTTP listener's port: %v", err)
	}
	if err := s.DeleteCertificate(ctx, "1", "cn-hangzhou", slb.KindServer, "sc-1"); !errors.Is(err, slbcert.ErrInUse) {
		t.Fatalf("the certificate references survived? %v", err)
	}
	if err := s.DeleteListener(ctx, "1", "lb-1", 443, slb.FamilyTCP); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetDomainExtension(ctx, "1", "de-1"); !errors.Is(err, slbcert.ErrNotFound) {
		t.Fatalf("the extension outlived its listener: %v", err)
	}
	if got, _ := s.FindListeners(ctx, slb.ListenerFilter{AccountID: "1", Port: 443}); len(got) != 1 || got[0].Protocol != slb.ProtocolUDP {
		t.Fatalf("the UDP listener: %+v", got)
	}
}
