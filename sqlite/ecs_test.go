package sqlite

import (
	"path/filepath"
	"testing"

	"slbcert/ecs"
	"slbcert/storetest"
)

func TestECS(t *testing.T) {
	storetest.RunECS(t, func(t *testing.T) ecs.Store {
		return open(t, filepath.Join(t.TempDir(), "slbcert.db"))
	})
}
