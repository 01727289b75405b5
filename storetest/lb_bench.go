package storetest

import (
	"context"
	"fmt"
	"net/netip"
	"slbcert/slb"
	"testing"
	"time"

	"slbcert"
)

// BenchDataPlaneSnapshot runs the read a data plane makes after every
// served change (DataPlaneSnapshot) on every store: one load balancer with
// 3000 stopped listeners, then with 300 and 3000 running ones, and 1000
// active load balancers, each with a VServer group, of which one has 10
// running listeners. Its cost must follow what is served (the running
// listeners), not what is configured. open returns a fresh, empty store and
// registers its cleanup with b.
func BenchDataPlaneSnapshot(b *testing.B, open func(b *testing.B) LoadBalancerStore) {
	for _, tc := range []struct {
		name           string
		lbs, listeners int
		status         string
		wantServed     int
	}{
		{"stopped-3000", 1, 3000, slb.ListenerStopped, 0},
		{"running-300", 1, 300, slb.ListenerRunning, 300},
		{"running-3000", 1, 3000, slb.ListenerRunning, 3000},
		{"idle-lbs-1000", 1000, 10, slb.ListenerRunning, 10},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s := open(b)
			ctx := context.Background()
			benchServerCert(b, s)
			for i := range tc.lbs {
				lb := benchLB(b, s, i)
				if err := s.CreateVServerGroup(ctx, benchAccount, &slb.VServerGroup{ID: fmt.Sprintf("rsp-%d", i), LoadBalancerID: lb.ID,
					Name: "g", CreateTime: lb.CreateTime, BackendServers: []slb.BackendServer{{ServerID: "i-1", Port: 80, Weight: 100, Type: "ecs"}}}); err != nil {
					b.Fatal(err)
				}
			}
			for port := 1; port <= tc.listeners; port++ {
				benchListener(b, s, "lb-0", port, tc.status, tc.listeners)
			}
			served := 0
			for b.Loop() {
				snap, err := s.DataPlaneSnapshot(ctx)
				if err != nil {
					b.Fatal(err)
				}
				served = 0
				for _, d := range snap.LoadBalancers {
					served += len(d.Listeners)
				}
			}
			if served != tc.wantServed {
				b.Fatalf("snapshot serves %d listeners, want %d", served, tc.wantServed)
			}
		})
	}
}

// BenchLoadBalancerReads runs the one-statement reads of the load-balancer
// API on every store, among 100 load balancers: the FindLoadBalancers by id
// every load-balancer request starts with (alone and in parallel), and
// GetVServerGroup.
func BenchLoadBalancerReads(b *testing.B, open func(b *testing.B) LoadBalancerStore) {
	const n = 100
	s := open(b)
	ctx := context.Background()
	for i := range n {
		lb := benchLB(b, s, i)
		if err := s.CreateVServerGroup(ctx, benchAccount, &slb.VServerGroup{ID: fmt.Sprintf("rsp-%d", i), LoadBalancerID: lb.ID,
			Name: "g", CreateTime: lb.CreateTime}); err != nil {
			b.Fatal(err)
		}
	}
	find := func(b *testing.B, i int) {
		id := fmt.Sprintf("lb-%d", i%n)
		got, err := s.FindLoadBalancers(ctx, slb.LoadBalancerFilter{AccountID: benchAccount, RegionID: benchRegion, IDs: []string{id}})
		if err == nil && (len(got) != 1 || got[0].ID != id) {
			err = fmt.Errorf("FindLoadBalancers(%s) = %d load balancers", id, len(got))
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Run("FindLoadBalancer", func(b *testing.B) {
		i := 0
		for b.Loop() {
			find(b, i)
			i++
		}
	})
	b.Run("FindLoadBalancerParallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				find(b, i)
				i++
			}
		})
	})
	b.Run("GetVServerGroup", func(b *testing.B) {
		i := 0
		for b.Loop() {
			id := fmt.Sprintf("rsp-%d", i%n)
			if g, err := s.GetVServerGroup(ctx, benchAccount, id); err != nil || g.ID != id {
				b.Fatal(g, err)
			}
			i++
		}
	})
}

const (
	benchAccount = "1000000000000001"
	benchRegion  = "cn-hangzhou"
)

var benchTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// benchServerCert creates sc-1, the certificate benchmark listeners serve.
func benchServerCert(b *testing.B, s LoadBalancerStore) {
	if err := s.CreateCertificate(context.Background(), &slb.Certificate{ID: "sc-1", Kind: slb.KindServer, AccountID: benchAccount,
		RegionID: benchRegion, Name: "c", ResourceGroupID: "rg-1", Fingerprint: "ab", CommonName: "c", EncryptionAlgorithm: "RSA",
		EncryptionKeyLength: 2048, CreateTime: benchTime, ExpireTime: benchTime, CertificatePEM: "pem", SealedPrivateKey: []byte("sealed")}, 10); err != nil {
		b.Fatal(err)
	}
}

// benchLB creates the active load balancer lb-i.
func benchLB(b *testing.B, s LoadBalancerStore, i int) *slb.LoadBalancer {
	lb, err := s.CreateLoadBalancer(context.Background(), &slb.LoadBalancer{ID: fmt.Sprintf("lb-%d", i), AccountID: benchAccount,
		RegionID: benchRegion, Status: slb.LoadBalancerActive, CreateTime: benchTime.Add(time.Duration(i) * time.Second),
		BackendServers: []slb.BackendServer{{ServerID: "i-1", Weight: 100, Type: "ecs"}}},
		noLimit, netip.MustParsePrefix("127.9.0.0/16"))
	if err != nil {
		b.Fatal(err)
	}
	return lb
}

// benchListener creates an HTTPS listener serving sc-1.
func benchListener(b *testing.B, s LoadBalancerStore, lbID string, port int, status string, limit int) {
	if err := s.CreateListener(context.Background(), benchAccount, &slb.Listener{LoadBalancerID: lbID, Port: port, Protocol: slb.ProtocolHTTPS,
		Status: status, ServerCertificateID: "sc-1", TLSCipherPolicy: slb.DefaultTLSCipherPolicy, CreateTime: benchTime,
		Config: slb.ListenerConfig{BackendServerPort: 80, Tags: []slbcert.Tag{}}}, limit); err != nil {
		b.Fatal(err)
	}
}
