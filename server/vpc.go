package server

import (
	"errors"
	"net/netip"
	"time"

	"slbcert/resourcemanager"
	"slbcert/resourcemanager/rmapi"
	"slbcert/rpc"
	"slbcert/vpc"
	"slbcert/vpc/vpcapi"
)

// openVPC builds VPC over the store and Resource Manager, and returns their
// products. VPC addresses are never handed out inside the load
// balancers' address pool (docs/choices.md, "VPC addresses on this
// machine").
func (m *Main) openVPC(now func() time.Time) (*vpc.Service, []*rpc.Product, error) {
	store, ok := m.store.(vpc.Store)
	if !ok {
		return nil, nil, errors.New("this store keeps no VPCs")
	}
	pool, err := m.Config.AddressPool()
	if err != nil {
		return nil, nil, err
	}
	v := vpc.New(store, m.regions)
	v.Now, v.Excluded = now, []netip.Prefix{pool}
	rm := resourcemanager.New(m.regions)
	rm.Now = now
	return v, []*rpc.Product{(&vpcapi.API{Service: v}).Product(), (&rmapi.API{Service: rm}).Product()}, nil
}
