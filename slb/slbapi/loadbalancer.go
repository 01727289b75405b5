package slbapi

import (
	"context"

	"slbcert"
	"slbcert/rpc"
	"slbcert/slb"
)

// createLoadBalancerResponse mirrors the SDK's CreateLoadBalancerResponse.
type createLoadBalancerResponse struct {
	base
	LoadBalancerID   string `json:"LoadBalancerId" xml:"LoadBalancerId"`
	LoadBalancerName string `json:"LoadBalancerName" xml:"LoadBalancerName"`
	Address          string `json:"Address" xml:"Address"`
	AddressIPVersion string `json:"AddressIPVersion" xml:"AddressIPVersion"`
	NetworkType      string `json:"NetworkType" xml:"NetworkType"`
	VpcID            string `json:"VpcId" xml:"VpcId"`
	VSwitchID        string `json:"VSwitchId" xml:"VSwitchId"`
	ResourceGroupID  string `json:"ResourceGroupId" xml:"ResourceGroupId"`
	OrderID          int64  `json:"OrderId" xml:"OrderId"`
}

func (a *API) createLoadBalancer(ctx context.Context, c *rpc.Call) (any, error) {
	lb, order, err := a.Service.CreateLoadBalancer(ctx, c.Principal, slb.CreateLoadBalancerInput{
		RegionID:                     c.Get("RegionId"),
		LoadBalancerName:             c.Get("LoadBalancerName"),
		AddressType:                  c.Get("AddressType"),
		AddressIPVersion:             c.Get("AddressIPVersion"),
		Address:                      c.Get("Address"),
		LoadBalancerSpec:             c.Get("LoadBalancerSpec"),
		PayType:                      c.Get("PayType"),
		InstanceChargeType:           c.Get("InstanceChargeType"),
		InternetChargeType:           c.Get("InternetChargeType"),
		Bandwidth:                    intParam(c, "Bandwidth"),
		PricingCycle:                 c.Get("PricingCycle"),
		Duration:                     intParam(c, "Duration"),
		AutoPay:                      boolParam(c, "AutoPay"),
		DeleteProtection:             c.Get("DeleteProtection"),
		ModificationProtectionStatus: c.Get("ModificationProtectionStatus"),
		ModificationProtectionReason: c.Get("ModificationProtectionReason"),
		ResourceGroupID:              c.Get("ResourceGroupId"),
		MasterZoneID:                 c.Get("MasterZoneId"),
		SlaveZoneID:                  c.Get("SlaveZoneId"),
		VpcID:                        c.Get("VpcId"),
		VSwitchID:                    c.Get("VSwitchId"),
		ClientToken:                  c.Get("ClientToken"),
		Tags:                         c.Tags("Tag"),
	})
	if err != nil {
		return nil, err
	}
	return &createLoadBalancerResponse{
		LoadBalancerID: lb.ID, LoadBalancerName: lb.Name, Address: lb.Address, AddressIPVersion: lb.AddressIPVersion,
		NetworkType: lb.NetworkType, VpcID: lb.VpcID, VSwitchID: lb.VSwitchID, ResourceGroupID: lb.ResourceGroupID, OrderID: order,
	}, nil
}

// loadBalancerFields are the fields DescribeLoadBalancers' items and
// DescribeLoadBalancerAttribute share, as the SDK names and types them.
type loadBalancerFields struct {
	LoadBalancerID               string  `json:"LoadBalancerId" xml:"LoadBalancerId"`
	LoadBalancerName             string  `json:"LoadBalancerName" xml:"LoadBalancerName"`
	LoadBalancerStatus           string  `json:"LoadBalancerStatus" xml:"LoadBalancerStatus"`
	Address                      string  `json:"Address" xml:"Address"`
	AddressType                  string  `json:"AddressType" xml:"AddressType"`
	AddressIPVersion             string  `json:"AddressIPVersion" xml:"AddressIPVersion"`
	NetworkType                  string  `json:"NetworkType" xml:"NetworkType"`
	VpcID                        string  `json:"VpcId" xml:"VpcId"`
	VSwitchID                    string  `json:"VSwitchId" xml:"VSwitchId"`
	RegionID                     string  `json:"RegionId" xml:"RegionId"`
	RegionIDAlias                string  `json:"RegionIdAlias" xml:"RegionIdAlias"`
	MasterZoneID                 string  `json:"MasterZoneId" xml:"MasterZoneId"`
	SlaveZoneID                  string  `json:"SlaveZoneId" xml:"SlaveZoneId"`
	InternetChargeType           string  `json:"InternetChargeType" xml:"InternetChargeType"`
	Bandwidth                    int     `json:"Bandwidth" xml:"Bandwidth"`
	PayType                      string  `json:"PayType" xml:"PayType"`
	InstanceChargeType           string  `json:"InstanceChargeType" xml:"InstanceChargeType"`
	LoadBalancerSpec             string  `json:"LoadBalancerSpec" xml:"LoadBalancerSpec"`
	SpecType                     string  `json:"SpecType" xml:"SpecType"`
	SpecBpsFlag                  bool    `json:"SpecBpsFlag" xml:"SpecBpsFlag"`
	CreateTime                   string  `json:"CreateTime" xml:"CreateTime"`
	CreateTimeStamp              int64   `json:"CreateTimeStamp" xml:"CreateTimeStamp"`
	ResourceGroupID              string  `json:"ResourceGroupId" xml:"ResourceGroupId"`
	DeleteProtection             string  `json:"DeleteProtection" xml:"DeleteProtection"`
	ModificationProtectionStatus string  `json:"ModificationProtectionStatus" xml:"ModificationProtectionStatus"`
	ModificationProtectionReason string  `json:"ModificationProtectionReason" xml:"ModificationProtectionReason"`
	BusinessStatus               string  `json:"BusinessStatus" xml:"BusinessStatus"`
	ServiceManagedMode           string  `json:"ServiceManagedMode" xml:"ServiceManagedMode"`
	Tags                         tagList `json:"Tags" xml:"Tags"`
}

func loadBalancerFieldsOf(lb *slb.LoadBalancer) loadBalancerFields {
	specType := ""
	if lb.Spec != "" {
		specType = "performance"
	}
	return loadBalancerFields{
		LoadBalancerID: lb.ID, LoadBalancerName: lb.Name, LoadBalancerStatus: lb.Status,
		Address: lb.Address, AddressType: lb.AddressType, AddressIPVersion: lb.AddressIPVersion,
		NetworkType: lb.NetworkType, VpcID: lb.VpcID, VSwitchID: lb.VSwitchID,
		RegionID: lb.RegionID, RegionIDAlias: lb.RegionID, MasterZoneID: lb.MasterZoneID, SlaveZoneID: lb.SlaveZoneID,
		InternetChargeType: lb.InternetChargeType, Bandwidth: lb.Bandwidth, PayType: lb.PayType,
		InstanceChargeType: lb.InstanceChargeType, LoadBalancerSpec: lb.Spec, SpecType: specType,
		CreateTime: apiTime(lb.CreateTime), CreateTimeStamp: apiTimeStamp(lb.CreateTime),
		ResourceGroupID: lb.ResourceGroupID, DeleteProtection: lb.DeleteProtection,
		ModificationProtectionStatus: lb.ModificationProtectionStatus, ModificationProtectionReason: lb.ModificationProtectionReason,
		BusinessStatus: "Normal", ServiceManagedMode: "Unmanaged", Tags: tagListOf(lb.Tags),
	}
}

// tagListOf nests tags as the SDK expects ({"Tag": [...]}).
func tagListOf(tags []slbcert.Tag) tagList {
	l := tagList{Tag: make([]tagItem, 0, len(tags))}
	for _, t := range tags {
		l.Tag = append(l.Tag, tagItem{TagKey: t.Key, TagValue: t.Value})
	}
	return l
}

// loadBalancerItem mirrors the SDK's slb.LoadBalancer.
type loadBalancerItem struct {
	loadBalancerFields
	InternetChargeTypeAlias string `json:"InternetChargeTypeAlias" xml:"InternetChargeTypeAlias"`
	ServiceManagedReason    string `json:"ServiceManagedReason" xml:"ServiceManagedReason"`
}

type loadBalancerList struct {
	LoadBalancer []loadBalancerItem `json:"LoadBalancer" xml:"LoadBalancer"`
}

type describeLoadBalancersResponse struct {
	base
	PageNumber    int              `json:"PageNumber" xml:"PageNumber"`
	PageSize      int              `json:"PageSize" xml:"PageSize"`
	TotalCount    int              `json:"TotalCount" xml:"TotalCount"`
	LoadBalancers loadBalancerList `json:"LoadBalancers" xml:"LoadBalancers"`
}

func (a *API) describeLoadBalancers(ctx context.Context, c *rpc.Call) (any, error) {
	page, err := a.Service.DescribeLoadBalancers(ctx, c.Principal, slb.DescribeLoadBalancersInput{
		RegionID:              c.Get("RegionId"),
		Tags:                  c.Tags("Tag"),
		LegacyTags:            slb.ParseLegacyTags(c.Get("Tags")),
		PageNumber:            intParam(c, "PageNumber"),
		PageSize:              intParam(c, "PageSize"),
		LoadBalancerID:        c.Get("LoadBalancerId"),
		LoadBalancerName:      c.Get("LoadBalancerName"),
		ResourceGroupID:       c.Get("ResourceGroupId"),
		LoadBalancerStatus:    c.Get("LoadBalancerStatus"),
		Address:               c.Get("Address"),
		AddressIPVersion:      c.Get("AddressIPVersion"),
		AddressType:           c.Get("AddressType"),
		NetworkType:           c.Get("NetworkType"),
		VpcID:                 c.Get("VpcId"),
		VSwitchID:             c.Get("VSwitchId"),
		MasterZoneID:          c.Get("MasterZoneId"),
		SlaveZoneID:           c.Get("SlaveZoneId"),
		InternetChargeType:    c.Get("InternetChargeType"),
		PayType:               c.Get("PayType"),
		InstanceChargeType:    c.Get("InstanceChargeType"),
		ServerID:              c.Get("ServerId"),
		ServerIntranetAddress: c.Get("ServerIntranetAddress"),
	})
	if err != nil {
		return nil, err
	}
	out := &describeLoadBalancersResponse{PageNumber: page.PageNumber, PageSize: page.PageSize, TotalCount: page.TotalCount,
		LoadBalancers: loadBalancerList{LoadBalancer: make([]loadBalancerItem, 0, len(page.LoadBalancers))}}
	for _, lb := range page.LoadBalancers {
		out.LoadBalancers.LoadBalancer = append(out.LoadBalancers.LoadBalancer, loadBalancerItem{
			loadBalancerFields: loadBalancerFieldsOf(lb), InternetChargeTypeAlias: lb.InternetChargeType,
		})
	}
	return out, nil
}

// loadBalancerInput reads the parameters naming one load balancer.
func loadBalancerInput(c *rpc.Call) slb.LoadBalancerInput {
	return slb.LoadBalancerInput{RegionID: c.Get("RegionId"), LoadBalancerID: c.Get("LoadBalancerId")}
}

func (a *API) deleteLoadBalancer(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.DeleteLoadBalancer(ctx, c.Principal, loadBalancerInput(c))
}

func (a *API) setLoadBalancerName(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.SetLoadBalancerName(ctx, c.Principal, slb.SetLoadBalancerNameInput{
		RegionID: c.Get("RegionId"), LoadBalancerID: c.Get("LoadBalancerId"), LoadBalancerName: c.Get("LoadBalancerName"),
	})
}

func (a *API) setLoadBalancerStatus(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.SetLoadBalancerStatus(ctx, c.Principal, slb.SetLoadBalancerStatusInput{
		RegionID: c.Get("RegionId"), LoadBalancerID: c.Get("LoadBalancerId"), LoadBalancerStatus: c.Get("LoadBalancerStatus"),
	})
}

func (a *API) setLoadBalancerDeleteProtection(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.SetLoadBalancerDeleteProtection(ctx, c.Principal, slb.SetLoadBalancerDeleteProtectionInput{
		RegionID: c.Get("RegionId"), LoadBalancerID: c.Get("LoadBalancerId"), DeleteProtection: c.Get("DeleteProtection"),
	})
}

func (a *API) setLoadBalancerModificationProtection(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.SetLoadBalancerModificationProtection(ctx, c.Principal, slb.SetLoadBalancerModificationProtectionInput{
		RegionID: c.Get("RegionId"), LoadBalancerID: c.Get("LoadBalancerId"),
		ModificationProtectionStatus: c.Get("ModificationProtectionStatus"),
		ModificationProtectionReason: c.Get("ModificationProtectionReason"),
	})
}

// orderResponse is the answer of the Modify* operations: the OrderId of a
// PrePay instance's change (0 otherwise).
type orderResponse struct {
	base
	OrderID int64 `json:"OrderId" xml:"OrderId"`
}

func (a *API) modifyLoadBalancerInstanceSpec(ctx context.Context, c *rpc.Call) (any, error) {
	order, err := a.Service.ModifyLoadBalancerInstanceSpec(ctx, c.Principal, slb.ModifyLoadBalancerInstanceSpecInput{
		RegionID: c.Get("RegionId"), LoadBalancerID: c.Get("LoadBalancerId"),
		LoadBalancerSpec: c.Get("LoadBalancerSpec"), AutoPay: boolParam(c, "AutoPay"),
	})
	return &orderResponse{OrderID: order}, err
}

func (a *API) modifyLoadBalancerInternetSpec(ctx context.Context, c *rpc.Call) (any, error) {
	order, err := a.Service.ModifyLoadBalancerInternetSpec(ctx, c.Principal, slb.ModifyLoadBalancerInternetSpecInput{
		RegionID: c.Get("RegionId"), LoadBalancerID: c.Get("LoadBalancerId"),
		InternetChargeType: c.Get("InternetChargeType"), Bandwidth: intParam(c, "Bandwidth"),
		Ratio: intParam(c, "Ratio"), AutoPay: boolParam(c, "AutoPay"),
	})
	return &orderResponse{OrderID: order}, err
}

func (a *API) modifyLoadBalancerInstanceChargeType(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.ModifyLoadBalancerInstanceChargeType(ctx, c.Principal, slb.ModifyLoadBalancerInstanceChargeTypeInput{
		RegionID: c.Get("RegionId"), LoadBalancerID: c.Get("LoadBalancerId"),
		InstanceChargeType: c.Get("InstanceChargeType"), LoadBalancerSpec: c.Get("LoadBalancerSpec"),
		InternetChargeType: c.Get("InternetChargeType"), Bandwidth: intParam(c, "Bandwidth"),
	})
}

func (a *API) modifyLoadBalancerPayType(ctx context.Context, c *rpc.Call) (any, error) {
	order, err := a.Service.ModifyLoadBalancerPayType(ctx, c.Principal, slb.ModifyLoadBalancerPayTypeInput{
		RegionID: c.Get("RegionId"), LoadBalancerID: c.Get("LoadBalancerId"), PayType: c.Get("PayType"),
		PricingCycle: c.Get("PricingCycle"), Duration: intParam(c, "Duration"), AutoPay: boolParam(c, "AutoPay"),
	})
	return &orderResponse{OrderID: order}, err
}
