package slbapi

import (
	"slbcert/rpc"
	"slbcert/slb"
)

// The wire reads a call's parameters into the rules' typed inputs
// (docs/choices.md, "Typed inputs"): each input field takes the parameter
// of its name; numbers, Booleans and JSON lists become slb.Param values,
// whose parse failures the rules answer where their order of checks puts
// them; X.N lists become slices.

func intParam(c *rpc.Call, name string) slb.Param[int] { return slb.ParseInt(c.Get(name)) }

func boolParam(c *rpc.Call, name string) slb.Param[bool] { return slb.ParseBool(c.Get(name)) }

// backendServers reads a member list (BackendServers, OldBackendServers,
// NewBackendServers): with each member's port for a VServer group,
// without for the default server list.
func backendServers(c *rpc.Call, name string, withPort bool) slb.Param[[]slb.BackendServer] {
	return slb.ParseBackendServers(name, c.Get(name), withPort)
}

// serverCertificates reads the SDK-only ServerCertificate.N.CertificateId
// and .BindingType, in order of N.
func serverCertificates(c *rpc.Call) []slb.ServerCertificateBinding {
	list := c.Indexed("ServerCertificate")
	out := make([]slb.ServerCertificateBinding, 0, len(list))
	for _, e := range list {
		out = append(out, slb.ServerCertificateBinding{CertificateID: e["CertificateId"], BindingType: e["BindingType"]})
	}
	return out
}
