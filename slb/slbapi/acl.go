package slbapi

import (
	"context"

	"slbcert/rpc"
	"slbcert/slb"
)

type createACLResponse struct {
	base
	AclID string `json:"AclId" xml:"AclId"`
}

func (a *API) createAccessControlList(ctx context.Context, c *rpc.Call) (any, error) {
	acl, err := a.Service.CreateACL(ctx, c.Principal, slb.CreateAccessControlListInput{
		RegionID: c.Get("RegionId"), AclName: c.Get("AclName"), AddressIPVersion: c.Get("AddressIPVersion"),
		ResourceGroupID: c.Get("ResourceGroupId"), Tags: c.Tags("Tag"),
	})
	if err != nil {
		return nil, err
	}
	return &createACLResponse{AclID: acl.ID}, nil
}

func (a *API) deleteAccessControlList(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.DeleteACL(ctx, c.Principal, slb.AccessControlListInput{RegionID: c.Get("RegionId"), AclID: c.Get("AclId")})
}

type setACLResponse struct {
	base
	AclID string `json:"AclId" xml:"AclId"`
}

func (a *API) setAccessControlListAttribute(ctx context.Context, c *rpc.Call) (any, error) {
	err := a.Service.SetACLAttribute(ctx, c.Principal, slb.SetAccessControlListAttributeInput{
		RegionID: c.Get("RegionId"), AclID: c.Get("AclId"), AclName: c.Get("AclName")})
	if err != nil {
		return nil, err
	}
	return &setACLResponse{AclID: c.Get("AclId")}, nil
}

func aclEntryInput(c *rpc.Call) slb.AccessControlListEntryInput {
	return slb.AccessControlListEntryInput{RegionID: c.Get("RegionId"), AclID: c.Get("AclId"), AclEntrys: slb.ParseACLEntries(c.Get("AclEntrys"))}
}

func (a *API) addAccessControlListEntry(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.AddACLEntries(ctx, c.Principal, aclEntryInput(c))
}

func (a *API) removeAccessControlListEntry(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.RemoveACLEntries(ctx, c.Principal, aclEntryInput(c))
}

// aclItem mirrors the SDK's slb.Acl.
type aclItem struct {
	AclID              string  `json:"AclId" xml:"AclId"`
	AclName            string  `json:"AclName" xml:"AclName"`
	AddressIPVersion   string  `json:"AddressIPVersion" xml:"AddressIPVersion"`
	ResourceGroupID    string  `json:"ResourceGroupId" xml:"ResourceGroupId"`
	CreateTime         string  `json:"CreateTime" xml:"CreateTime"`
	ServiceManagedMode string  `json:"ServiceManagedMode" xml:"ServiceManagedMode"`
	Tags               tagList `json:"Tags" xml:"Tags"`
}

func aclItemOf(acl *slb.ACL) aclItem {
	return aclItem{AclID: acl.ID, AclName: acl.Name, AddressIPVersion: acl.AddressIPVersion, ResourceGroupID: acl.ResourceGroupID,
		CreateTime: apiTime(acl.CreateTime), ServiceManagedMode: "Unmanaged", Tags: tagListOf(acl.Tags)}
}

type aclList struct {
	Acl []aclItem `json:"Acl" xml:"Acl"`
}

type describeACLsResponse struct {
	base
	PageNumber int     `json:"PageNumber" xml:"PageNumber"`
	PageSize   int     `json:"PageSize" xml:"PageSize"`
	TotalCount int     `json:"TotalCount" xml:"TotalCount"`
	Count      int     `json:"Count" xml:"Count"`
	Acls       aclList `json:"Acls" xml:"Acls"`
}

func (a *API) describeAccessControlLists(ctx context.Context, c *rpc.Call) (any, error) {
	page, err := a.Service.DescribeACLs(ctx, c.Principal, slb.DescribeAccessControlListsInput{
		RegionID: c.Get("RegionId"), AclName: c.Get("AclName"), AddressIPVersion: c.Get("AddressIPVersion"),
		ResourceGroupID: c.Get("ResourceGroupId"), Tags: c.Tags("Tag"), PageNumber: intParam(c, "PageNumber"), PageSize: intParam(c, "PageSize"),
	})
	if err != nil {
		return nil, err
	}
	out := &describeACLsResponse{PageNumber: page.PageNumber, PageSize: page.PageSize, TotalCount: page.TotalCount,
		Count: len(page.ACLs), Acls: aclList{Acl: make([]aclItem, 0, len(page.ACLs))}}
	for _, acl := range page.ACLs {
		out.Acls.Acl = append(out.Acls.Acl, aclItemOf(acl))
	}
	return out, nil
}

type aclEntryItem struct {
	AclEntryIP      string `json:"AclEntryIP" xml:"AclEntryIP"`
	AclEntryComment string `json:"AclEntryComment" xml:"AclEntryComment"`
}

type aclEntryList struct {
	AclEntry []aclEntryItem `json:"AclEntry" xml:"AclEntry"`
}

type relatedListener struct {
	LoadBalancerID string `json:"LoadBalancerId" xml:"LoadBalancerId"`
	ListenerPort   int    `json:"ListenerPort" xml:"ListenerPort"`
	Protocol       string `json:"Protocol" xml:"Protocol"`
	AclType        string `json:"AclType" xml:"AclType"`
}

type relatedListeners struct {
	RelatedListener []relatedListener `json:"RelatedListener" xml:"RelatedListener"`
}

// describeACLAttributeResponse mirrors the SDK's
// DescribeAccessControlListAttributeResponse.
type describeACLAttributeResponse struct {
	base
	aclItem
	TotalAclEntry    int              `json:"TotalAclEntry" xml:"TotalAclEntry"`
	AclEntrys        aclEntryList     `json:"AclEntrys" xml:"AclEntrys"`
	RelatedListeners relatedListeners `json:"RelatedListeners" xml:"RelatedListeners"`
}

func (a *API) describeAccessControlListAttribute(ctx context.Context, c *rpc.Call) (any, error) {
	attr, err := a.Service.DescribeACL(ctx, c.Principal, slb.DescribeAccessControlListAttributeInput{
		RegionID: c.Get("RegionId"), AclID: c.Get("AclId"), AclEntryComment: c.Get("AclEntryComment"),
		Page: intParam(c, "Page"), PageSize: intParam(c, "PageSize"),
	})
	if err != nil {
		return nil, err
	}
	out := &describeACLAttributeResponse{aclItem: aclItemOf(attr.ACL), TotalAclEntry: attr.Total,
		AclEntrys:        aclEntryList{AclEntry: make([]aclEntryItem, 0, len(attr.Entries))},
		RelatedListeners: relatedListeners{RelatedListener: make([]relatedListener, 0, len(attr.Related))}}
	for _, e := range attr.Entries {
		out.AclEntrys.AclEntry = append(out.AclEntrys.AclEntry, aclEntryItem{AclEntryIP: e.Entry, AclEntryComment: e.Comment})
	}
	for _, l := range attr.Related {
		out.RelatedListeners.RelatedListener = append(out.RelatedListeners.RelatedListener,
			relatedListener{LoadBalancerID: l.LoadBalancerID, ListenerPort: l.Port, Protocol: l.Protocol, AclType: l.Config.AclType})
	}
	return out, nil
}

func whitelistInput(c *rpc.Call) slb.ListenerAccessControlInput {
	return slb.ListenerAccessControlInput{RegionID: c.Get("RegionId"), LoadBalancerID: c.Get("LoadBalancerId"),
		ListenerPort: intParam(c, "ListenerPort"), ListenerProtocol: c.Get("ListenerProtocol"),
		AccessControlStatus: c.Get("AccessControlStatus"), SourceItems: c.Get("SourceItems")}
}

func (a *API) setListenerAccessControlStatus(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.SetWhitelistStatus(ctx, c.Principal, whitelistInput(c))
}

func (a *API) addListenerWhiteListItem(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.AddWhitelistItems(ctx, c.Principal, whitelistInput(c))
}

func (a *API) removeListenerWhiteListItem(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.RemoveWhitelistItems(ctx, c.Principal, whitelistInput(c))
}

type describeWhitelistResponse struct {
	base
	AccessControlStatus string `json:"AccessControlStatus" xml:"AccessControlStatus"`
	SourceItems         string `json:"SourceItems" xml:"SourceItems"`
}

func (a *API) describeListenerAccessControlAttribute(ctx context.Context, c *rpc.Call) (any, error) {
	status, items, err := a.Service.DescribeWhitelist(ctx, c.Principal, whitelistInput(c))
	if err != nil {
		return nil, err
	}
	return &describeWhitelistResponse{AccessControlStatus: status, SourceItems: items}, nil
}
