package server

import (
	"errors"
	"time"

	"slbcert/ecs"
)

// openECS builds the ECS product over the raw store (the metrics wrapper
// forwards only slb.CertificateStore's methods), with the catalogue of
// --ecs-catalogue (the built-in one without) and the VPC product as its
// Network: m.Network, nil until a VPC product is wired, in which case ECS
// refuses what needs a vSwitch or a VPC (403 OperationDenied).
func (m *Main) openECS(now func() time.Time) (*ecs.Service, error) {
	store, ok := m.store.(ecs.Store)
	if !ok {
		return nil, errors.New("this store keeps no ECS resources")
	}
	catalogue := ecs.Builtin()
	if m.Config.ECSCatalogueFile != "" {
		var err error
		if catalogue, err = ecs.LoadCatalogue(m.Config.ECSCatalogueFile); err != nil {
			return nil, err
		}
	}
	svc := ecs.New(store, m.regions, catalogue, m.Network)
	svc.Now = now
	return svc, nil
}
