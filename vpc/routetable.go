package vpc

import (
	"context"

	"slbcert"
)

// Route tables: every VPC has one, its system route table, created and
// deleted with it; there are no custom route tables or route entries here
// (docs/choices.md, "VPC").

// RouteTableView is a system route table as DescribeRouteTableList shows
// it: its VPC, and the VPC's vSwitches (all associated with it).
type RouteTableView struct {
	VPC        *VPC
	VSwitchIDs []string
}

// DescribeRouteTableListInput is DescribeRouteTableList's parameters.
type DescribeRouteTableListInput struct {
	RegionID string
	VPCID    string
	RouterID string
	// RouterType VRouter (the default) or VBR (matches nothing).
	RouterType     string
	RouteTableID   string
	RouteTableName string
	// RouteTableType System or Custom (matches nothing).
	RouteTableType  string
	ResourceGroupID string
	// Tags match nothing: route tables carry none here.
	Tags []slbcert.Tag
	Paging
}

// RouteTablePage is one page of DescribeRouteTableList.
type RouteTablePage struct {
	RouteTables []RouteTableView
	Total       int
	Paging
}

// DescribeRouteTableList lists the system route tables of the account's
// VPCs in the region, their VPCs' order (DescribeRouteTableList): region;
// RAM vpc:DescribeRouteTableList on routetable/*; RouterType and
// RouteTableType values (InvalidParameter); the page (1–50, default 10).
func (s *Service) DescribeRouteTableList(ctx context.Context, p *slbcert.Principal, in DescribeRouteTableListInput) (*RouteTablePage, error) {
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(p, "DescribeRouteTableList", ARN(reg.ID, p.Account.ID, kindRouteTable, "*")); err != nil {
		return nil, err
	}
	page, err := in.Paging.resolve(defaultPageSize, maxPageSize)
	if err != nil {
		return nil, err
	}
	none := false
	switch in.RouterType {
	case "", "VRouter":
	case "VBR":
		none = true
	default:
		return nil, slbcert.Errorf(slbcert.EInvalidParameter, "The specified RouterType %q is invalid: VRouter or VBR.", in.RouterType)
	}
	switch in.RouteTableType {
	case "", "System":
	case "Custom":
		none = true
	default:
		return nil, slbcert.Errorf(slbcert.EInvalidParameter, "The specified RouteTableType %q is invalid: System or Custom.", in.RouteTableType)
	}
	if err := slbcert.CheckResourceGroupID("ResourceGroupId", in.ResourceGroupID); err != nil {
		return nil, err
	}
	out := &RouteTablePage{RouteTables: []RouteTableView{}, Paging: page}
	if none || len(in.Tags) > 0 {
		return out, nil
	}
	f := VPCFilter{AccountID: p.Account.ID, RegionID: reg.ID, ResourceGroupID: in.ResourceGroupID,
		RouteTableID: in.RouteTableID, VRouterID: in.RouterID}
	if in.VPCID != "" {
		f.IDs = []string{in.VPCID}
	}
	if in.RouteTableName == "" {
		f.Offset, f.Limit = page.offset(), page.PageSize
	}
	list, total, vsw, err := s.Store.FindVPCs(ctx, f)
	if err != nil {
		return nil, storeError(err, nil)
	}
	if in.RouteTableName != "" {
		// Names are not indexed: filter, then page.
		var kept []*VPC
		for _, v := range list {
			if v.RouteTable.Name == in.RouteTableName {
				kept = append(kept, v)
			}
		}
		total = len(kept)
		lo := min(page.offset(), len(kept))
		list = kept[lo:min(lo+page.PageSize, len(kept))]
	}
	out.Total = total
	for _, v := range list {
		out.RouteTables = append(out.RouteTables, RouteTableView{VPC: v, VSwitchIDs: orEmpty(vsw[v.ID])})
	}
	return out, nil
}

// ModifyRouteTableInput is ModifyRouteTableAttributes' parameters: ""
// and nil leave a value as it is.
type ModifyRouteTableInput struct {
	RegionID, RouteTableID string
	Name, Description      string
	RoutePropagation       *bool
}

// ModifyRouteTableAttributes renames, redescribes a system route table and
// turns route propagation on or off (ModifyRouteTableAttributes): region;
// RouteTableId; RAM vpc:ModifyRouteTableAttributes on routetable/{id}; 404
// InvalidRouteTableId.NotFound; RouteTableName (1–128), Description
// (1–256).
func (s *Service) ModifyRouteTableAttributes(ctx context.Context, p *slbcert.Principal, in ModifyRouteTableInput) error {
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return err
	}
	if in.RouteTableID == "" {
		return slbcert.MissingParameter("RouteTableId")
	}
	if err := s.authorize(p, "ModifyRouteTableAttributes", ARN(reg.ID, p.Account.ID, kindRouteTable, in.RouteTableID)); err != nil {
		return err
	}
	notFound := slbcert.Errorf(ERouteTableNotFound, "The specified route table does not exist (RouteTableId %q).", in.RouteTableID)
	found, _, _, err := s.Store.FindVPCs(ctx, VPCFilter{AccountID: p.Account.ID, RegionID: reg.ID, RouteTableID: in.RouteTableID})
	if err != nil {
		return storeError(err, nil)
	}
	if len(found) == 0 {
		return notFound
	}
	if err := checkText(ERouteTableName, "RouteTableName", in.Name, 128); err != nil {
		return err
	}
	if err := checkText(EDescription, "Description", in.Description, 256); err != nil {
		return err
	}
	_, err = s.Store.UpdateVPC(ctx, p.Account.ID, found[0].ID, func(v *VPC, _ []*VSwitch) error {
		if in.Name != "" {
			v.RouteTable.Name = in.Name
		}
		if in.Description != "" {
			v.RouteTable.Description = in.Description
		}
		if in.RoutePropagation != nil {
			v.RouteTable.RoutePropagation = *in.RoutePropagation
		}
		return nil
	})
	return storeError(err, notFound)
}
