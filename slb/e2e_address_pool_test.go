package slb_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"slbcert/internal/e2e"
	"slbcert/server"
)

// TestRedirectSetsOnASmallPool: concurrent Sets of redirect listeners on
// one load balancer, over PostgreSQL with a pool of two connections. The
// redirect's target is read before the write transaction; read inside it,
// each Set held a connection and the load balancer's lock while it waited
// for a second connection, and a few of them starved the pool for good.
func TestRedirectSetsOnASmallPool(t *testing.T) {
	schema := e2e.FreshPGSchema(t)
	url := schema.URL
	if strings.Contains(url, "?") {
		url += "&pool_max_conns=2"
	} else {
		url += "?pool_max_conns=2"
	}
	f := newLBFixture(t, func(c *server.Config) { c.DatabaseURL = url; c.MasterKey = e2e.NewMasterKey() })
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", f.terraformHTTPSCreate(f.lb, 443))
	const redirects = 6
	for i := 0; i < redirects; i++ {
		e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPListener", map[string]string{"LoadBalancerId": f.lb, "ListenerPort": itoa(80 + i),
			"StickySession": "off", "HealthCheck": "off", "ListenerForward": "on", "ForwardPort": "443"})
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var wg sync.WaitGroup
		for round := 0; round < 3; round++ {
			for i := 0; i < redirects; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := e2e.Common(t, f.c, "POST", "http", "SetLoadBalancerHTTPListenerAttribute", map[string]string{"LoadBalancerId": f.lb,
						"ListenerPort": itoa(80 + i), "ForwardPort": "443", "Description": "round-" + itoa(round)}); err != nil {
						t.Errorf("Set on port %d: %v", 80+i, err)
					}
				}()
			}
		}
		wg.Wait()
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("concurrent Sets did not finish: the pool is starved")
	}
}
