package slbapi

import (
	"context"
	"slices"
	"time"

	"slbcert/rpc"
	"slbcert/slb"
)

type listenerPorts struct {
	ListenerPort []int `json:"ListenerPort" xml:"ListenerPort"`
}

type listenerPortAndProtocol struct {
	ListenerPort     int    `json:"ListenerPort" xml:"ListenerPort"`
	ListenerProtocol string `json:"ListenerProtocol" xml:"ListenerProtocol"`
	ListenerForward  string `json:"ListenerForward" xml:"ListenerForward"`
	ForwardPort      int    `json:"ForwardPort" xml:"ForwardPort"`
	Description      string `json:"Description" xml:"Description"`
}

type listenerPortsAndProtocol struct {
	ListenerPortAndProtocol []listenerPortAndProtocol `json:"ListenerPortAndProtocol" xml:"ListenerPortAndProtocol"`
}

// listenerPortAndProtocal is the misspelt twin the SDK also reads.
type listenerPortAndProtocal struct {
	ListenerPort     int    `json:"ListenerPort" xml:"ListenerPort"`
	ListenerProtocal string `json:"ListenerProtocal" xml:"ListenerProtocal"`
}

type listenerPortsAndProtocal struct {
	ListenerPortAndProtocal []listenerPortAndProtocal `json:"ListenerPortAndProtocal" xml:"ListenerPortAndProtocal"`
}

type lbBackendServer struct {
	ServerID    string `json:"ServerId" xml:"ServerId"`
	Weight      int    `json:"Weight" xml:"Weight"`
	Type        string `json:"Type" xml:"Type"`
	ServerIP    string `json:"ServerIp" xml:"ServerIp"`
	VpcID       string `json:"VpcId" xml:"VpcId"`
	Description string `json:"Description" xml:"Description"`
}

type lbBackendServers struct {
	BackendServer []lbBackendServer `json:"BackendServer" xml:"BackendServer"`
}

func lbBackendServersOf(lb *slb.LoadBalancer) lbBackendServers {
	out := lbBackendServers{BackendServer: make([]lbBackendServer, 0, len(lb.BackendServers))}
	for _, b := range lb.BackendServers {
		out.BackendServer = append(out.BackendServer, lbBackendServer{ServerID: b.ServerID, Weight: b.Weight, Type: b.Type,
			ServerIP: b.ServerIP, VpcID: lb.VpcID, Description: b.Description})
	}
	return out
}

type labels struct {
	Label []tagItem `json:"Label" xml:"Label"`
}

// describeLoadBalancerAttributeResponse mirrors the SDK's
// DescribeLoadBalancerAttributeResponse: numbers as numbers, every string
// present, every list wrapped.
type describeLoadBalancerAttributeResponse struct {
	base
	loadBalancerFields
	ListenerPorts                  listenerPorts            `json:"ListenerPorts" xml:"ListenerPorts"`
	ListenerPortsAndProtocol       listenerPortsAndProtocol `json:"ListenerPortsAndProtocol" xml:"ListenerPortsAndProtocol"`
	ListenerPortsAndProtocal       listenerPortsAndProtocal `json:"ListenerPortsAndProtocal" xml:"ListenerPortsAndProtocal"`
	BackendServers                 lbBackendServers         `json:"BackendServers" xml:"BackendServers"`
	EndTime                        string                   `json:"EndTime" xml:"EndTime"`
	EndTimeStamp                   int64                    `json:"EndTimeStamp" xml:"EndTimeStamp"`
	HasReservedInfo                string                   `json:"HasReservedInfo" xml:"HasReservedInfo"`
	ReservedInfoBandwidth          string                   `json:"ReservedInfoBandwidth" xml:"ReservedInfoBandwidth"`
	ReservedInfoOrderType          string                   `json:"ReservedInfoOrderType" xml:"ReservedInfoOrderType"`
	ReservedInfoActiveTime         string                   `json:"ReservedInfoActiveTime" xml:"ReservedInfoActiveTime"`
	ReservedInfoInternetChargeType string                   `json:"ReservedInfoInternetChargeType" xml:"ReservedInfoInternetChargeType"`
	AutoReleaseTime                int64                    `json:"AutoReleaseTime" xml:"AutoReleaseTime"`
	RenewalStatus                  string                   `json:"RenewalStatus" xml:"RenewalStatus"`
	RenewalDuration                int                      `json:"RenewalDuration" xml:"RenewalDuration"`
	RenewalCycUnit                 string                   `json:"RenewalCycUnit" xml:"RenewalCycUnit"`
	CloudType                      string                   `json:"CloudType" xml:"CloudType"`
	CloudInstanceID                string                   `json:"CloudInstanceId" xml:"CloudInstanceId"`
	CloudInstanceType              string                   `json:"CloudInstanceType" xml:"CloudInstanceType"`
	CloudInstanceUID               int64                    `json:"CloudInstanceUid" xml:"CloudInstanceUid"`
	AssociatedCenID                string                   `json:"AssociatedCenId" xml:"AssociatedCenId"`
	AssociatedCenStatus            string                   `json:"AssociatedCenStatus" xml:"AssociatedCenStatus"`
	TunnelType                     string                   `json:"TunnelType" xml:"TunnelType"`
	SupportPrivateLink             bool                     `json:"SupportPrivateLink" xml:"SupportPrivateLink"`
	Labels                         labels                   `json:"Labels" xml:"Labels"`
}

// payAsYouGoEnd is the EndTime Alibaba Cloud reports for instances without
// a subscription.
var payAsYouGoEnd = time.Date(2999, 9, 8, 16, 0, 0, 0, time.UTC)

func (a *API) describeLoadBalancerAttribute(ctx context.Context, c *rpc.Call) (any, error) {
	attr, err := a.Service.DescribeLoadBalancerAttribute(ctx, c.Principal, loadBalancerInput(c))
	if err != nil {
		return nil, err
	}
	lb := attr.LoadBalancer
	end := payAsYouGoEnd
	if lb.PayType == "PrePay" {
		if lb.PricingCycle == "year" {
			end = lb.CreateTime.AddDate(lb.Duration, 0, 0)
		} else {
			end = lb.CreateTime.AddDate(0, lb.Duration, 0)
		}
	}
	out := &describeLoadBalancerAttributeResponse{
		loadBalancerFields:       loadBalancerFieldsOf(lb),
		ListenerPorts:            listenerPorts{ListenerPort: []int{}},
		ListenerPortsAndProtocol: listenerPortsAndProtocol{ListenerPortAndProtocol: []listenerPortAndProtocol{}},
		ListenerPortsAndProtocal: listenerPortsAndProtocal{ListenerPortAndProtocal: []listenerPortAndProtocal{}},
		BackendServers:           lbBackendServersOf(lb),
		EndTime:                  apiTime(end),
		EndTimeStamp:             end.Truncate(time.Second).UnixMilli(),
		HasReservedInfo:          "false",
		Labels:                   labels{Label: []tagItem{}},
	}
	for _, l := range attr.Listeners {
		forward, port := "off", 0
		switch {
		case l.Forwarding():
			forward, port = "on", l.Config.ForwardPort
		case l.Protocol == slb.ProtocolTCP || l.Protocol == slb.ProtocolUDP:
			forward = "" // no redirects at layer 4
		}
		// A port shared by a UDP and a TCP-family listener is listed once.
		if !slices.Contains(out.ListenerPorts.ListenerPort, l.Port) {
			out.ListenerPorts.ListenerPort = append(out.ListenerPorts.ListenerPort, l.Port)
		}
		out.ListenerPortsAndProtocol.ListenerPortAndProtocol = append(out.ListenerPortsAndProtocol.ListenerPortAndProtocol,
			listenerPortAndProtocol{ListenerPort: l.Port, ListenerProtocol: l.Protocol, ListenerForward: forward, ForwardPort: port, Description: l.Config.Description})
		out.ListenerPortsAndProtocal.ListenerPortAndProtocal = append(out.ListenerPortsAndProtocal.ListenerPortAndProtocal,
			listenerPortAndProtocal{ListenerPort: l.Port, ListenerProtocal: l.Protocol})
	}
	return out, nil
}
