package server

import (
	"net"
	"slbcert/localdns"
	"slbcert/rpc"
)

// API is the running gateway, for the tests of package server_test
// (its products' action names, Drain).
func (m *Main) API() *rpc.Server { return m.api }

// DNSConfig is dnsConfig, for the DNS tests.
func (c *Config) DNSConfig(api net.IP) (localdns.Config, error) { return c.dnsConfig(api) }
