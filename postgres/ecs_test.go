package postgres

import (
	"testing"

	"slbcert/ecs"
	"slbcert/storetest"
)

func TestECS(t *testing.T) {
	admin(t)
	storetest.RunECS(t, func(t *testing.T) ecs.Store {
		return open(t, freshURL(t))
	})
}
