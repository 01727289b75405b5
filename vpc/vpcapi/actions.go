// Package vpcapi is the VPC product (Vpc 2016-04-28) on the RPC wire: its
// action table and response shapes, as the official SDK's structs and
// Terraform read them. The rules live in package vpc.
package vpcapi

import (
	"strconv"
	"strings"
	"time"

	"slbcert"
	"slbcert/rpc"
	"slbcert/vpc"
)

// API is VPC's wire.
type API struct {
	Service *vpc.Service
}

// Product returns VPC's action table for the gateway: what Terraform's
// alicloud_vpc, alicloud_vswitch, data alicloud_vpcs and
// alicloud_vswitches and the Kubernetes cloud controller call
// (docs/choices.md, "VPC").
func (a *API) Product() *rpc.Product {
	return &rpc.Product{Code: "Vpc", HostID: "vpc.aliyuncs.com", Statuses: vpc.Statuses, Versions: map[string]rpc.Actions{
		vpc.Version: {
			"CreateVpc":            a.createVpc,
			"DescribeVpcs":         a.describeVpcs,
			"DescribeVpcAttribute": a.describeVpcAttribute,
			"ModifyVpcAttribute":   a.modifyVpcAttribute,
			"DeleteVpc":            a.deleteVpc,

			"CreateVSwitch":             a.createVSwitch,
			"DescribeVSwitches":         a.describeVSwitches,
			"DescribeVSwitchAttributes": a.describeVSwitchAttributes,
			"ModifyVSwitchAttribute":    a.modifyVSwitchAttribute,
			"DeleteVSwitch":             a.deleteVSwitch,

			"DescribeRouteTableList":     a.describeRouteTableList,
			"ModifyRouteTableAttributes": a.modifyRouteTableAttributes,

			"TagResources":      a.tagResources,
			"UnTagResources":    a.unTagResources,
			"ListTagResources":  a.listTagResources,
			"MoveResourceGroup": a.moveResourceGroup,
		},
	}}
}

// base carries the RequestId every answer starts with.
type base = rpc.Response

func apiTime(t time.Time) string { return t.UTC().Format(slbcert.TimeLayout) }

// ownerID is the account id as the API's OwnerId number.
func ownerID(accountID string) int64 {
	n, _ := strconv.ParseInt(accountID, 10, 64)
	return n
}

// boolParam reads an optional Boolean parameter: nil when absent,
// "true"/"false" in any case, else InvalidParameter.
func boolParam(c *rpc.Call, name string) (*bool, error) {
	v := c.Get(name)
	switch {
	case v == "":
		return nil, nil
	case strings.EqualFold(v, "true"):
		t := true
		return &t, nil
	case strings.EqualFold(v, "false"):
		f := false
		return &f, nil
	}
	return nil, slbcert.Errorf(slbcert.EInvalidParameter, "The specified parameter %s %q is invalid: true or false.", name, v)
}

// flag reads a Boolean parameter whose absence is false.
func flag(c *rpc.Call, name string) (bool, error) {
	b, err := boolParam(c, name)
	return b != nil && *b, err
}

// intParam reads an optional Integer parameter: 0 when absent.
func intParam(c *rpc.Call, name string) (int, error) {
	v := c.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, slbcert.Errorf(slbcert.EInvalidParameter, "The specified parameter %s %q is not an integer.", name, v)
	}
	return n, nil
}

// paging reads PageNumber and PageSize.
func paging(c *rpc.Call) (vpc.Paging, error) {
	n, err := intParam(c, "PageNumber")
	if err != nil {
		return vpc.Paging{}, err
	}
	size, err := intParam(c, "PageSize")
	if err != nil {
		return vpc.Paging{}, err
	}
	if n == 0 && c.Get("PageNumber") != "" || size == 0 && c.Get("PageSize") != "" {
		return vpc.Paging{}, slbcert.Errorf(slbcert.EInvalidParameter, "PageNumber and PageSize start at 1.")
	}
	return vpc.Paging{PageNumber: n, PageSize: size}, nil
}

// Lists of strings and tags, as the SDK wraps them.
type (
	vswitchIDs struct {
		VSwitchID []string `json:"VSwitchId" xml:"VSwitchId"`
	}
	userCidrs struct {
		UserCidr []string `json:"UserCidr" xml:"UserCidr"`
	}
	secondaries struct {
		SecondaryCidrBlock []string `json:"SecondaryCidrBlock" xml:"SecondaryCidrBlock"`
	}
	natGateways struct {
		NatGatewayIDs []string `json:"NatGatewayIds" xml:"NatGatewayIds"`
	}
	routeTables struct {
		RouterTableIDs []string `json:"RouterTableIds" xml:"RouterTableIds"`
	}
	gatewayIDs struct {
		GatewayIDs []string `json:"GatewayIds" xml:"GatewayIds"`
	}
	ipv6Blocks struct {
		Ipv6CidrBlock []ipv6Block `json:"Ipv6CidrBlock" xml:"Ipv6CidrBlock"`
	}
	associations struct {
		AssociatedCen []struct{} `json:"AssociatedCen" xml:"AssociatedCen"`
	}
	propagations struct {
		Items []struct{} `json:"AssociatedPropagationSources" xml:"AssociatedPropagationSources"`
	}
	tagList struct {
		Tag []tagItem `json:"Tag" xml:"Tag"`
	}
	tagItem struct {
		Key   string `json:"Key" xml:"Key"`
		Value string `json:"Value" xml:"Value"`
	}
	cloudResources struct {
		CloudResourceSetType []cloudResource `json:"CloudResourceSetType" xml:"CloudResourceSetType"`
	}
	cloudResource struct {
		ResourceType  string `json:"ResourceType" xml:"ResourceType"`
		ResourceCount int    `json:"ResourceCount" xml:"ResourceCount"`
	}
)

type ipv6Block struct {
	Ipv6CidrBlock string `json:"Ipv6CidrBlock" xml:"Ipv6CidrBlock"`
	Ipv6Isp       string `json:"Ipv6Isp" xml:"Ipv6Isp"`
}

func tagsOf(tags []slbcert.Tag) tagList {
	out := tagList{Tag: make([]tagItem, 0, len(tags))}
	for _, t := range tags {
		out.Tag = append(out.Tag, tagItem{Key: t.Key, Value: t.Value})
	}
	return out
}

func cloudResourcesOf(list []vpc.CloudResource) cloudResources {
	out := cloudResources{CloudResourceSetType: make([]cloudResource, 0, len(list))}
	for _, r := range list {
		out.CloudResourceSetType = append(out.CloudResourceSetType, cloudResource{ResourceType: r.Type, ResourceCount: r.Count})
	}
	return out
}

func orEmpty(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}
