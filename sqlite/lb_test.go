package sqlite

import (
	"path/filepath"
	"testing"

	"slbcert/storetest"
)

func TestLoadBalancerStore(t *testing.T) {
	storetest.RunLoadBalancers(t, func(t *testing.T) storetest.LoadBalancerStore {
		return open(t, filepath.Join(t.TempDir(), "slbcert.db"))
	})
}
