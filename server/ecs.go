package server

import (
	"time"

	"slbcert/ecs"
)

// openECS builds the ECS product over the store, with the catalogue of
// --ecs-catalogue (the built-in one without) and network, the VPC product,
// as its Network (m.Network instead when a test sets one).
func (m *Main) openECS(now func() time.Time, network ecs.Network) (*ecs.Service, error) {
	store := m.store
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
