package server

import (
	"errors"
	"time"

	"slbcert/ecs"
)

// openECS builds the ECS product over the raw store (the metrics wrapper
// forwards only slb.CertificateStore's methods), with the catalogue of
// --ecs-catalogue (the built-in one without) and network, the VPC product,
// as its Network (m.Network instead when a test sets one).
func (m *Main) openECS(now func() time.Time, network ecs.Network) (*ecs.Service, error) {
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
	if m.Network != nil {
		network = m.Network
	}
	svc := ecs.New(store, m.regions, catalogue, network)
	svc.Now = now
	return svc, nil
}
