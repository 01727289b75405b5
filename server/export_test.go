package server

import "slbcert/rpc"

// API is the running gateway, for the tests of package server_test
// (its products' action names, Drain).
func (m *Main) API() *rpc.Server { return m.api }
