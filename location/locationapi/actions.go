// Package locationapi is the Location service (2015-06-12) on the RPC
// wire: DescribeEndpoints, shaped as the official SDK's
// services/location structs read it. The rules live in package location.
package locationapi

import (
	"context"

	"slbcert/location"
	"slbcert/rpc"
)

// API is Location's wire.
type API struct {
	Location *location.Service
}

// Product returns Location's action table for the gateway.
func (a *API) Product() *rpc.Product {
	return &rpc.Product{Code: "Location", HostID: "location.aliyuncs.com", Versions: map[string]rpc.Actions{
		location.Version: {"DescribeEndpoints": a.describeEndpoints},
	}}
}

type describeEndpointsResponse struct {
	rpc.Response
	Success   bool          `json:"Success" xml:"Success"`
	Endpoints endpointsList `json:"Endpoints" xml:"Endpoints"`
}

type endpointsList struct {
	Endpoint []endpoint `json:"Endpoint" xml:"Endpoint"`
}

type endpoint struct {
	Endpoint    string    `json:"Endpoint" xml:"Endpoint"`
	ID          string    `json:"Id" xml:"Id"`
	Namespace   string    `json:"Namespace" xml:"Namespace"`
	SerivceCode string    `json:"SerivceCode" xml:"SerivceCode"` // sic, as the API spells it
	Type        string    `json:"Type" xml:"Type"`
	Protocols   protocols `json:"Protocols" xml:"Protocols"`
}

type protocols struct {
	Protocols []string `json:"Protocols" xml:"Protocols"`
}

func (a *API) describeEndpoints(_ context.Context, c *rpc.Call) (any, error) {
	found, err := a.Location.DescribeEndpoints(location.DescribeEndpointsInput{ID: c.Get("Id"), ServiceCode: c.Get("ServiceCode"), Type: c.Get("Type")})
	if err != nil {
		return nil, err
	}
	out := &describeEndpointsResponse{Success: true, Endpoints: endpointsList{Endpoint: []endpoint{}}}
	for _, e := range found {
		out.Endpoints.Endpoint = append(out.Endpoints.Endpoint, endpoint{Endpoint: e.Host, ID: e.RegionID, SerivceCode: e.ServiceCode,
			Type: e.Type, Protocols: protocols{Protocols: []string{"HTTP", "HTTPS"}}})
	}
	return out, nil
}
