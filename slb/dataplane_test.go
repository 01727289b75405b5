package slb_test

import (
	"context"
	"errors"
	"slbcert/slb"
	"testing"

	"slbcert"
)

// failingDataPlane counts the Syncs it is asked for and fails each, as a
// data plane whose snapshot cannot be read does.
type failingDataPlane struct{ syncs int }

func (d *failingDataPlane) Sync(context.Context) error {
	d.syncs++
	return errors.New("snapshot: database unreachable")
}

// TestDataPlaneSync: the service waits for the data plane after writes
// that change what is served, and only those; a data plane that fails
// never fails a write that committed.
func TestDataPlaneSync(t *testing.T) {
	svc, _ := newService(t)
	svc.LoadBalancers = svc.Store.(slb.LoadBalancerStore)
	dp := &failingDataPlane{}
	svc.LoadBalancing.DataPlane = dp
	p := principal(slbcert.DefaultAccountID)
	ctx := context.Background()
	lb, _, err := svc.CreateLoadBalancer(ctx, p, slb.CreateLoadBalancerInput{RegionID: "cn-hangzhou", LoadBalancerSpec: "slb.s2.small"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		write func() error
		syncs int
	}{
		{"ok/SetLoadBalancerName serves nothing new", func() error {
			return svc.SetLoadBalancerName(ctx, p, slb.SetLoadBalancerNameInput{LoadBalancerID: lb.ID, LoadBalancerName: "renamed"})
		}, 0},
		{"ok/SetLoadBalancerStatus waits, and stands though the data plane fails", func() error {
			return svc.SetLoadBalancerStatus(ctx, p, slb.SetLoadBalancerStatusInput{LoadBalancerID: lb.ID, LoadBalancerStatus: "inactive"})
		}, 1},
		{"error/a refused write does not wait", func() error {
			if err := svc.SetLoadBalancerStatus(ctx, p, slb.SetLoadBalancerStatusInput{LoadBalancerID: lb.ID, LoadBalancerStatus: "paused"}); err == nil {
				return errors.New("an invalid status was accepted")
			}
			return nil
		}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := dp.syncs
			if err := tc.write(); err != nil {
				t.Fatal(err)
			}
			if got := dp.syncs - before; got != tc.syncs {
				t.Fatalf("%d Syncs, want %d", got, tc.syncs)
			}
		})
	}
	got, err := svc.LoadBalancers.FindLoadBalancers(ctx, slb.LoadBalancerFilter{AccountID: p.Account.ID, IDs: []string{lb.ID}})
	if err != nil || len(got) != 1 || got[0].Status != slb.LoadBalancerInactive {
		t.Fatalf("the write did not stand: %+v %v", got, err)
	}
}
