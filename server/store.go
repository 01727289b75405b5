package server

import (
	"context"
	"strings"
	"time"
	"unicode"

	"slbcert/cas"
	"slbcert/ecs"
	"slbcert/localca"
	"slbcert/rpc"
	"slbcert/slb"
	"slbcert/slb/slbdataplane"
	"slbcert/vpc"
)

// Store is everything slbcert keeps, as one object: every product's store
// interfaces, the gateway's nonces, and what the server itself needs of a
// store. sqlite.Store and postgres.Store implement it (OpenStore says so
// to the compiler); one object keeps it so that one transaction and its
// foreign keys can span products' tables (a listener's certificate). Main
// hands each product only its own interfaces, all through one timedStore,
// so that every call of every product is timed.
//
// A product's store interface is added here, one line, and then
// `go generate ./server` writes its calls into store_timed.go
// (docs/choices.md, "Layout"): until it does, timedStore does not
// implement Store and the server does not compile.
//
//go:generate go run gen_timed.go
type Store interface {
	// SLB: certificates (with their keys and counts) and load balancers;
	// Listen tells its data plane of other replicas' changes.
	slb.CertificateStore
	slb.KeyResealer
	slb.StatsReader
	slb.LoadBalancerStore
	slbdataplane.Listener

	// The certificate catalog (CAS).
	cas.Store
	cas.KeyResealer

	// VPC's networks and their address allocations; ECS's instances and
	// security groups.
	vpc.Store
	ecs.Store

	// The local CA of --tls-self-signed.
	localca.Store

	// The gateway's signature nonces.
	rpc.Nonces

	// Ping reports whether the store can serve (readiness, /healthz).
	Ping(ctx context.Context) error
	// Close releases the store's resources.
	Close() error
}

// KeyStores are the stores of sealed private keys: each product's, walked
// by the start-up key check and by rotate-master-key.
type KeyStores interface {
	slb.KeyResealer
	cas.KeyResealer
	localca.Store
}

// storeTimer records one store call's duration (metrics.StoreOp).
type storeTimer interface{ Since(start time.Time) }

// storeOps are the op labels of slbcert_store_duration_seconds that
// predate timing every product: the certificate operations kept their
// short names, which dashboards use.
var storeOps = map[string]string{
	"CreateCertificate": "create",
	"FindCertificates":  "find",
	"RenameCertificate": "rename",
	"DeleteCertificate": "delete",
	"MoveCertificate":   "move",
}

// storeOp is the op label of Store's method: its name in snake case, an
// initialism a word of its own and a single capital kept with the word it
// starts (CreateLoadBalancer → create_load_balancer,
// FindTLSCipherPolicies → find_tls_cipher_policies, CreateVServerGroup →
// create_vserver_group, NextUserCertificateID → next_user_certificate_id),
// but for storeOps.
func storeOp(method string) string {
	if op, ok := storeOps[method]; ok {
		return op
	}
	var b strings.Builder
	rs := []rune(method)
	upper := func(i int) bool { return i >= 0 && i < len(rs) && unicode.IsUpper(rs[i]) }
	for i, r := range rs {
		switch {
		case i == 0 || !upper(i):
		case !upper(i - 1): // a word begins: lowerUpper
			b.WriteByte('_')
		case upper(i-2) && i+1 < len(rs) && !upper(i+1): // an initialism ends: TLSCipher
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
