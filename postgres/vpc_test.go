package postgres

import (
	"context"
	"testing"

	"slbcert/storetest"
	"slbcert/vpc"
)

func TestVPCStore(t *testing.T) {
	admin(t)
	storetest.RunVPC(t, func(t *testing.T) vpc.Store {
		return open(t, freshURL(t))
	})
}

// TestVPCSurvivesReopen: VPCs, vSwitches and addresses are in the
// database, seen by another replica.
func TestVPCSurvivesReopen(t *testing.T) {
	conn := freshURL(t)
	s, err := Open(context.Background(), conn)
	if err != nil {
		t.Fatal(err)
	}
	storetest.VPCFixture(t, s)
	s.Close()
	storetest.CheckVPCFixture(t, open(t, conn))
}
