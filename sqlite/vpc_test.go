package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"slbcert/storetest"
	"slbcert/vpc"
)

func TestVPCStore(t *testing.T) {
	storetest.RunVPC(t, func(t *testing.T) vpc.Store {
		return open(t, filepath.Join(t.TempDir(), "slbcert.db"))
	})
}

// TestVPCSurvivesReopen: VPCs, vSwitches and addresses are on disk.
func TestVPCSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "slbcert.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	storetest.VPCFixture(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	storetest.CheckVPCFixture(t, open(t, path))
}
