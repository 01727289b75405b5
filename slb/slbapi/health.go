package slbapi

import (
	"context"

	"slbcert/rpc"
	"slbcert/slb"
)

// healthBackend mirrors the SDK's slb.BackendServer of DescribeHealthStatus.
type healthBackend struct {
	ServerID           string `json:"ServerId" xml:"ServerId"`
	ServerIP           string `json:"ServerIp" xml:"ServerIp"`
	EniHost            string `json:"EniHost" xml:"EniHost"`
	Port               int    `json:"Port" xml:"Port"`
	ListenerPort       int    `json:"ListenerPort" xml:"ListenerPort"`
	Protocol           string `json:"Protocol" xml:"Protocol"`
	ServerHealthStatus string `json:"ServerHealthStatus" xml:"ServerHealthStatus"`
	Type               string `json:"Type" xml:"Type"`
}

type describeHealthStatusResponse struct {
	base
	BackendServers struct {
		BackendServer []healthBackend `json:"BackendServer" xml:"BackendServer"`
	} `json:"BackendServers" xml:"BackendServers"`
}

func (a *API) describeHealthStatus(ctx context.Context, c *rpc.Call) (any, error) {
	rows, err := a.Service.DescribeHealthStatus(ctx, c.Principal, slb.DescribeHealthStatusInput{
		RegionID: c.Get("RegionId"), LoadBalancerID: c.Get("LoadBalancerId"),
		ListenerPort: intParam(c, "ListenerPort"), ListenerProtocol: c.Get("ListenerProtocol"),
	})
	if err != nil {
		return nil, err
	}
	out := &describeHealthStatusResponse{}
	out.BackendServers.BackendServer = make([]healthBackend, 0, len(rows))
	for _, r := range rows {
		out.BackendServers.BackendServer = append(out.BackendServers.BackendServer, healthBackend{
			ServerID: r.Backend.ServerID, ServerIP: r.ServerIP, Port: r.Port, ListenerPort: r.ListenerPort,
			Protocol: r.Protocol, ServerHealthStatus: r.Status, Type: r.Backend.Type,
		})
	}
	return out, nil
}
