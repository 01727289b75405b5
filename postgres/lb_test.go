package postgres

import (
	"testing"

	"slbcert/storetest"
)

func TestLoadBalancerStore(t *testing.T) {
	admin(t)
	storetest.RunLoadBalancers(t, func(t *testing.T) storetest.LoadBalancerStore {
		return open(t, freshURL(t))
	})
}
