package slb_test

import (
	"strings"
	"testing"

	"slbcert/internal/e2e"
)

// SLB's regressions from the hostile sweep (server/hostile_test.go), run on
// a load balancer fixture of their own.

// TestHostileListLimits: a list parameter over its limit says how many
// were given, not an empty quoted value.
func TestHostileListLimits(t *testing.T) {
	f := newLBFixture(t)
	many := func(prefix, v string, n int) map[string]string {
		p := map[string]string{"RegionId": "cn-hangzhou"}
		for i := 1; i <= n; i++ {
			p[prefix+"."+itoa(i)] = v
		}
		return p
	}
	for _, tc := range []struct {
		name, action string
		params       map[string]string
		want         string
	}{
		{"error/11 load balancers", "DescribeLoadBalancerListeners", many("LoadBalancerId", f.lb, 11), "at most 10 load balancers, got 11"},
		{"error/5 TLS versions", "CreateTLSCipherPolicy", func() map[string]string {
			p := many("TLSVersions", "TLSv1.2", 5)
			p["Name"], p["Ciphers.1"] = "pp", "AES128-SHA"
			return p
		}(), "at most 4 versions, got 5"},
		{"error/33 cipher suites", "CreateTLSCipherPolicy", func() map[string]string {
			p := many("Ciphers", "AES128-SHA", 33)
			p["Name"], p["TLSVersions.1"] = "pp", "TLSv1.2"
			return p
		}(), "at most 32 cipher suites, got 33"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e2e.Common(t, f.c, "POST", "http", tc.action, tc.params)
			se := e2e.ServerError(t, err, "InvalidParameter", 400)
			if !strings.Contains(se.Message(), tc.want) || strings.Contains(se.Message(), `""`) {
				t.Errorf("message %q, want it to say %q", se.Message(), tc.want)
			}
		})
	}
}

// TestHostileResourceGroupFilter: a malformed ResourceGroupId filter is refused
// as DescribeServerCertificates refuses it (docs/choices.md, "Certificate
// checks": the ResourceGroupId row), not read as a filter that matches nothing.
func TestHostileResourceGroupFilter(t *testing.T) {
	f := newLBFixture(t)
	for _, tc := range []struct{ name, action, value, code string }{
		{"error/DescribeLoadBalancers, upper case", "DescribeLoadBalancers", "RG-ABC", "InvalidParameter.ResourceGroupId"},
		{"error/DescribeLoadBalancers, no prefix", "DescribeLoadBalancers", "BAD", "InvalidParameter.ResourceGroupId"},
		{"error/DescribeServerCertificates, no prefix", "DescribeServerCertificates", "BAD", "InvalidParameter.ResourceGroupId"},
		{"ok/DescribeLoadBalancers, another group", "DescribeLoadBalancers", "rg-zz", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e2e.Common(t, f.c, "POST", "http", tc.action, map[string]string{"RegionId": "cn-hangzhou", "ResourceGroupId": tc.value})
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e2e.ServerError(t, err, tc.code, 400)
		})
	}
}
