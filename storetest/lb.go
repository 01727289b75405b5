package storetest

import (
	"context"
	"errors"
	"net/netip"
	"slbcert/slb"
	"testing"
	"time"

	"slbcert"
)

// LoadBalancerStore is what RunLoadBalancers tests: a certificate store
// that also keeps load balancers (the references between them are the
// point).
type LoadBalancerStore interface {
	slb.CertificateStore
	slb.LoadBalancerStore
}

// RunLoadBalancers runs the conformance suite of slb.LoadBalancerStore
// against the stores open makes, each fresh and empty, as Run does.
//
// Besides the interface's doc comments, it pins down:
//
//   - Addresses are allocated lowest first from the pool's host addresses
//     (an IPv4 /30 or wider skips its network and broadcast addresses), and
//     a deleted load balancer's address is free again.
//   - Lists come back non-nil, empty when there is nothing; times in UTC
//     at millisecond precision.
//   - A listener's references are NULL when empty: "" reads back as "".
//   - A listener's port is unique in its family (slb.ListenerFamily); its
//     ACL references read back in order, and an ACL in use is not deleted.
//   - Deleting a listener or load balancer deletes the domain extensions,
//     releasing their certificates; a custom TLS policy or VServer group
//     used by a listener cannot be deleted, except with the load balancer.
func RunLoadBalancers(t *testing.T, open func(t *testing.T) LoadBalancerStore) {
	t.Helper()
	for _, g := range []struct {
		name string
		run  func(*testing.T, func(t *testing.T) LoadBalancerStore)
	}{
		{"LoadBalancers", testLoadBalancers},
		{"Addresses", testAddresses},
		{"LoadBalancerTags", testLoadBalancerTags},
		{"Listeners", testListeners},
		{"CertificatesInUse", testCertificatesInUse},
		{"DomainExtensions", testDomainExtensions},
		{"VServerGroups", testVServerGroups},
		{"TLSCipherPolicies", testTLSCipherPolicies},
		{"Snapshot", testSnapshot},
		{"SnapshotServedOnly", testSnapshotServedOnly},
		{"ConcurrentSwapAndDelete", testConcurrentSwapAndDelete},
		{"ACLs", testACLs},
		{"ListenerACLs", testListenerACLs},
		{"ListenerFamilies", testListenerFamilies},
		{"SnapshotACLs", testSnapshotACLs},
	} {
		t.Run(g.name, func(t *testing.T) { g.run(t, open) })
	}
}

var (
	ctx     = context.Background()
	lbPool  = netip.MustParsePrefix("127.1.0.0/16")
	lbTime0 = time.Date(2026, 1, 2, 3, 4, 5, 6_000_000, time.UTC)
)

// newLB returns a load balancer of account in region, created i minutes
// after lbTime0, without an address (the store allocates one).
func newLB(id string, i int) *slb.LoadBalancer {
	return &slb.LoadBalancer{
		ID: id, AccountID: account, RegionID: region, Name: "lb-" + id, Status: slb.LoadBalancerActive,
		AddressType: "internet", AddressIPVersion: "ipv4", NetworkType: "classic", Spec: "slb.s2.small",
		PayType: "PayOnDemand", InstanceChargeType: "PayBySpec", InternetChargeType: "paybytraffic", Bandwidth: 1,
		ResourceGroupID: rg, DeleteProtection: "off", ModificationProtectionStatus: "NonProtection",
		CreateTime:     lbTime0.Add(time.Duration(i) * time.Minute),
		BackendServers: []slb.BackendServer{{ServerID: "i-1", Weight: 100, Type: "ecs"}},
		Tags:           []slbcert.Tag{{Key: "env", Value: "test"}},
	}
}

func createLB(t *testing.T, s LoadBalancerStore, lb *slb.LoadBalancer) *slb.LoadBalancer {
	t.Helper()
	got, err := s.CreateLoadBalancer(ctx, lb, noLimit, lbPool)
	if err != nil {
		t.Fatalf("CreateLoadBalancer(%s): %v", lb.ID, err)
	}
	return got
}

func findLBs(t *testing.T, s LoadBalancerStore, f slb.LoadBalancerFilter) []*slb.LoadBalancer {
	t.Helper()
	got, err := s.FindLoadBalancers(ctx, f)
	if err != nil {
		t.Fatalf("FindLoadBalancers: %v", err)
	}
	if got == nil {
		t.Fatal("FindLoadBalancers returned nil, want a non-nil slice")
	}
	return got
}

func lbIDs(lbs []*slb.LoadBalancer) []string {
	out := []string{}
	for _, lb := range lbs {
		out = append(out, lb.ID)
	}
	return out
}

// newListener returns an HTTPS listener on port of lbID serving cert.
func newListener(lbID string, port int, cert string) *slb.Listener {
	return &slb.Listener{
		LoadBalancerID: lbID, Port: port, Protocol: slb.ProtocolHTTPS, Status: slb.ListenerStopped,
		ServerCertificateID: cert, TLSCipherPolicy: slb.DefaultTLSCipherPolicy, ACLIDs: []string{},
		CreateTime: lbTime0,
		Config: slb.ListenerConfig{Bandwidth: -1, BackendServerPort: 80, Scheduler: "wrr", HealthCheck: "on",
			HealthCheckURI: "/", IdleTimeout: 15, RequestTimeout: 60, Tags: []slbcert.Tag{}},
	}
}

func createListener(t *testing.T, s LoadBalancerStore, l *slb.Listener) {
	t.Helper()
	if err := s.CreateListener(ctx, account, l, noLimit); err != nil {
		t.Fatalf("CreateListener(%s:%d): %v", l.LoadBalancerID, l.Port, err)
	}
}

func findListeners(t *testing.T, s LoadBalancerStore, f slb.ListenerFilter) []*slb.Listener {
	t.Helper()
	if f.AccountID == "" {
		f.AccountID = account
	}
	got, err := s.FindListeners(ctx, f)
	if err != nil {
		t.Fatalf("FindListeners: %v", err)
	}
	if got == nil {
		t.Fatal("FindListeners returned nil")
	}
	return got
}

func listener(t *testing.T, s LoadBalancerStore, lbID string, port int) *slb.Listener {
	t.Helper()
	got := findListeners(t, s, slb.ListenerFilter{LoadBalancerIDs: []string{lbID}, Port: port})
	if len(got) != 1 {
		t.Fatalf("listener %s:%d: found %d", lbID, port, len(got))
	}
	return got[0]
}

// wantErr fails unless err is target.
func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: got %v, want %v", what, err, target)
	}
}

// serverCertN and caCertN are certificates to reference.
func serverCertN(t *testing.T, s LoadBalancerStore, ids ...string) {
	t.Helper()
	for i, id := range ids {
		create(t, s, serverCert(id, i))
	}
}

func caCertN(t *testing.T, s LoadBalancerStore, ids ...string) {
	t.Helper()
	for i, id := range ids {
		create(t, s, caCert(id, i))
	}
}
