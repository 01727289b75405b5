package slbapi

import (
	"context"

	"slbcert/rpc"
	"slbcert/slb"
)

type createTLSCipherPolicyResponse struct {
	base
	TLSCipherPolicyID string `json:"TLSCipherPolicyId" xml:"TLSCipherPolicyId"`
}

func (a *API) createTLSCipherPolicy(ctx context.Context, c *rpc.Call) (any, error) {
	pol, err := a.Service.CreateTLSCipherPolicy(ctx, c.Principal, slb.CreateTLSCipherPolicyInput{
		RegionID: c.Get("RegionId"), Name: c.Get("Name"), TLSVersions: c.List("TLSVersions"), Ciphers: c.List("Ciphers"),
	})
	if err != nil {
		return nil, err
	}
	return &createTLSCipherPolicyResponse{TLSCipherPolicyID: pol.ID}, nil
}

type relateListener struct {
	LoadBalancerID string `json:"LoadBalancerId" xml:"LoadBalancerId"`
	Port           int    `json:"Port" xml:"Port"`
	Protocol       string `json:"Protocol" xml:"Protocol"`
}

// tlsCipherPolicyItem mirrors the SDK's slb.TLSCipherPolicy: flat lists,
// CreateTime in milliseconds.
type tlsCipherPolicyItem struct {
	InstanceID         string           `json:"InstanceId" xml:"InstanceId"`
	Name               string           `json:"Name" xml:"Name"`
	Status             string           `json:"Status" xml:"Status"`
	CreateTime         int64            `json:"CreateTime" xml:"CreateTime"`
	ServiceManagedMode string           `json:"ServiceManagedMode" xml:"ServiceManagedMode"`
	TLSVersions        []string         `json:"TLSVersions" xml:"TLSVersions"`
	Ciphers            []string         `json:"Ciphers" xml:"Ciphers"`
	RelateListeners    []relateListener `json:"RelateListeners" xml:"RelateListeners"`
}

type listTLSCipherPoliciesResponse struct {
	base
	TotalCount        int                   `json:"TotalCount" xml:"TotalCount"`
	IsTruncated       bool                  `json:"IsTruncated" xml:"IsTruncated"`
	NextToken         string                `json:"NextToken" xml:"NextToken"`
	TLSCipherPolicies []tlsCipherPolicyItem `json:"TLSCipherPolicies" xml:"TLSCipherPolicies"`
}

func (a *API) listTLSCipherPolicies(ctx context.Context, c *rpc.Call) (any, error) {
	page, err := a.Service.ListTLSCipherPolicies(ctx, c.Principal, slb.ListTLSCipherPoliciesInput{
		RegionID: c.Get("RegionId"), TLSCipherPolicyID: c.Get("TLSCipherPolicyId"), Name: c.Get("Name"),
		MaxItems: intParam(c, "MaxItems"), NextToken: c.Get("NextToken"), IncludeListener: boolParam(c, "IncludeListener"),
	})
	if err != nil {
		return nil, err
	}
	out := &listTLSCipherPoliciesResponse{TotalCount: page.TotalCount, IsTruncated: page.NextToken != "", NextToken: page.NextToken,
		TLSCipherPolicies: make([]tlsCipherPolicyItem, 0, len(page.Policies))}
	for _, u := range page.Policies {
		item := tlsCipherPolicyItem{InstanceID: u.Policy.ID, Name: u.Policy.Name, Status: "normal",
			CreateTime: u.Policy.CreateTime.UnixMilli(), ServiceManagedMode: "Unmanaged",
			TLSVersions: u.Policy.TLSVersions, Ciphers: u.Policy.Ciphers, RelateListeners: []relateListener{}}
		for _, l := range u.Listeners {
			item.RelateListeners = append(item.RelateListeners, relateListener{LoadBalancerID: l.LoadBalancerID, Port: l.Port, Protocol: l.Protocol})
		}
		out.TLSCipherPolicies = append(out.TLSCipherPolicies, item)
	}
	return out, nil
}

type setTLSCipherPolicyAttributeResponse struct {
	base
	TaskID string `json:"TaskId" xml:"TaskId"`
}

// setTLSCipherPolicyAttribute answers a TaskId, as the asynchronous real
// operation does; the change is already done.
func (a *API) setTLSCipherPolicyAttribute(ctx context.Context, c *rpc.Call) (any, error) {
	if err := a.Service.SetTLSCipherPolicyAttribute(ctx, c.Principal, slb.SetTLSCipherPolicyAttributeInput{
		RegionID: c.Get("RegionId"), TLSCipherPolicyID: c.Get("TLSCipherPolicyId"), Name: c.Get("Name"),
		TLSVersions: c.List("TLSVersions"), Ciphers: c.List("Ciphers"),
	}); err != nil {
		return nil, err
	}
	return &setTLSCipherPolicyAttributeResponse{TaskID: "task-" + c.Get("TLSCipherPolicyId")}, nil
}

func (a *API) deleteTLSCipherPolicy(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.DeleteTLSCipherPolicy(ctx, c.Principal, slb.DeleteTLSCipherPolicyInput{
		RegionID: c.Get("RegionId"), TLSCipherPolicyID: c.Get("TLSCipherPolicyId"),
	})
}
