package server_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"slbcert/internal/e2e"
	"slbcert/server"
)

// TestHostileRaces hammers mutation paths from 20 goroutines, on SQLite
// and on two PostgreSQL replicas: certificate swaps on a listener and a
// domain extension while certificates are deleted; creates that may
// succeed once (a listener port, a catalog name, an extension's domain).
// Never 5xx (a unique violation or serialization failure must not leak as
// InternalError); exactly one create wins; a certificate in use survives.
func TestHostileRaces(t *testing.T) {
	schema := e2e.FreshPGSchema(t)
	key := e2e.NewMasterKey()
	pg := func(c *server.Config) { c.DatabaseURL, c.MasterKey = schema.URL, key }
	for _, tc := range []struct {
		name string
		envs func() []*hostileEnv
	}{
		{"ok/sqlite", func() []*hostileEnv { return []*hostileEnv{newHostileEnv(t)} }},
		{"ok/postgres, two replicas", func() []*hostileEnv { return []*hostileEnv{newHostileEnv(t, pg), newHostileEnv(t, pg)} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			envs := tc.envs()
			e := envs[0]
			f := e.fixture()
			lb := f["LoadBalancerId"]
			var pool []string
			for range 6 {
				pool = append(pool, e.must("UploadServerCertificate", map[string]string{"RegionId": "cn-hangzhou", "ServerCertificate": e.pem.ChainPEM, "PrivateKey": e.pem.KeyPEM})["ServerCertificateId"].(string))
			}
			var (
				mu   sync.Mutex
				wins = map[string]int{}
				wg   sync.WaitGroup
			)
			call := func(w *hostileEnv, what, product, version, action string, p map[string]string) {
				status, body, err := w.call(product, version, action, p, false)
				if status >= 500 || status == 0 {
					t.Errorf("%s: %d %v %s", what, status, err, body)
				}
				if err == nil {
					mu.Lock()
					wins[what]++
					mu.Unlock()
				}
			}
			for g := range 20 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					w := envs[g%len(envs)].worker()
					for i := range 4 {
						call(w, "swap", "Slb", "2014-05-15", "SetLoadBalancerHTTPSListenerAttribute", map[string]string{"LoadBalancerId": lb, "ListenerPort": "443", "ServerCertificateId": pool[(g+i)%len(pool)]})
						call(w, "swap extension", "Slb", "2014-05-15", "SetDomainExtensionAttribute", map[string]string{"RegionId": "cn-hangzhou", "DomainExtensionId": f["DomainExtensionId"], "ServerCertificateId": pool[(g+i+1)%len(pool)]})
						call(w, "delete", "Slb", "2014-05-15", "DeleteServerCertificate", map[string]string{"RegionId": "cn-hangzhou", "ServerCertificateId": pool[(g+i+2)%len(pool)]})
					}
					call(w, "same port", "Slb", "2014-05-15", "CreateLoadBalancerHTTPSListener", map[string]string{"LoadBalancerId": lb, "ListenerPort": "9443", "BackendServerPort": "80", "Bandwidth": "-1", "StickySession": "off", "HealthCheck": "off", "ServerCertificateId": f["ServerCertificateId"]})
					call(w, "same name", "Cas", "2020-04-07", "UploadUserCertificate", map[string]string{"Name": "same", "Cert": e.pem.ChainPEM, "Key": e.pem.KeyPEM})
					call(w, "same domain", "Slb", "2014-05-15", "CreateDomainExtension", map[string]string{"RegionId": "cn-hangzhou", "LoadBalancerId": lb, "ListenerPort": "443", "Domain": "same.example.com", "ServerCertificateId": f["ServerCertificateId"]})
					call(w, "same client token", "Slb", "2014-05-15", "CreateLoadBalancer", map[string]string{"RegionId": "cn-hangzhou", "ClientToken": "same-token"})
				}()
			}
			wg.Wait()
			for _, what := range []string{"same port", "same name", "same domain"} {
				if wins[what] != 1 {
					t.Errorf("%s: %d creates succeeded, want 1", what, wins[what])
				}
			}
			if wins["same client token"] != 20 {
				t.Errorf("same client token: %d of 20 answered", wins["same client token"])
			}
			tokens := e.must("DescribeLoadBalancers", map[string]string{"RegionId": "cn-hangzhou", "PageSize": "100"})
			if n := tokens["TotalCount"].(float64); n != 2 {
				t.Errorf("%v load balancers after 20 creates with one ClientToken, want the fixture's and one", n)
			}
			l := e.must("DescribeLoadBalancerHTTPSListenerAttribute", map[string]string{"LoadBalancerId": lb, "ListenerPort": "443"})
			de := e.must("DescribeDomainExtensionAttribute", map[string]string{"RegionId": "cn-hangzhou", "DomainExtensionId": f["DomainExtensionId"]})
			for _, id := range []any{l["ServerCertificateId"], de["ServerCertificateId"]} {
				d := e.must("DescribeServerCertificates", map[string]string{"RegionId": "cn-hangzhou", "ServerCertificateId": fmt.Sprint(id)})
				if n := len(d["ServerCertificates"].(map[string]any)["ServerCertificate"].([]any)); n != 1 {
					t.Errorf("certificate %v in use is gone", id)
				}
			}
			if log := e.s.Log.String(); containsAny(log, "panic", "request failed") {
				t.Errorf("the log holds a panic or a failed request:\n%s", log)
			}
		})
	}
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
