// Package resourcemanager is the Resource Manager product (ResourceManager
// 2020-03-31), the part of it that lists an account's resource groups: its
// default group (slbcert.DefaultResourceGroupID, the group every product
// puts resources in when none is named) and the groups the IAM file
// declares for it (iam.FileResourceGroup). Groups are configuration, not
// state: creating, renaming and deleting them through the API is refused
// (docs/choices.md, "Resource Manager"). Its wire is package rmapi.
package resourcemanager

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"slbcert"
	"slbcert/region"
)

// Version is Resource Manager's API version on the shared endpoint.
const Version = "2020-03-31"

// Codes of Resource Manager (its API pages; docs/choices.md).
const (
	// EGroupNotFound answers an id that is not one of the account's
	// groups, with 404: Terraform matches the code.
	EGroupNotFound = "EntityNotExists.ResourceGroup"
	// EOperationDenied refuses the writes: groups are declared in the IAM
	// file.
	EOperationDenied = "OperationDenied"
)

// Statuses are the HTTP statuses of Resource Manager's codes that are not 400.
var Statuses = map[string]int{
	EGroupNotFound:   http.StatusNotFound,
	EOperationDenied: http.StatusForbidden,
}

// The default group's names, and the one status groups are in.
const (
	DefaultGroupName        = "default"
	DefaultGroupDisplayName = "Default Resource Group"
	StatusOK                = "OK"
)

// CreateDate is every group's creation date: groups are configuration, so
// none has a moment of its own; a constant keeps answers the same on
// every replica and across restarts.
var CreateDate = time.Date(2020, 3, 31, 0, 0, 0, 0, time.UTC)

// ResourceGroup is one of an account's resource groups as Resource Manager
// shows it: Status OK, available in every region of the table.
type ResourceGroup struct {
	slbcert.ResourceGroup
	AccountID  string
	Status     string
	CreateDate time.Time
	// RegionIDs are the regions where the group is usable (RegionStatuses).
	RegionIDs []string
}

// Service lists resource groups for authenticated principals.
type Service struct {
	Regions *region.Table
	// Now is the clock of acs:CurrentTime.
	Now func() time.Time
}

// New returns the service over the region table, on the wall clock.
func New(regions *region.Table) *Service { return &Service{Regions: regions, Now: time.Now} }

// ARN names a resource group (id "*" for all of them) as RAM policies see
// it: acs:resourcemanager::{account}:resourcegroup/{id}.
func ARN(accountID, id string) string {
	return "acs:resourcemanager::" + accountID + ":resourcegroup/" + id
}

// authorize asks whether p may perform resourcemanager:<action> on resource.
func (s *Service) authorize(p *slbcert.Principal, action, resource string) error {
	if p.Permissions == nil {
		return nil
	}
	return p.Authorize(slbcert.AccessRequest{Action: "resourcemanager:" + action, Resource: resource, Context: p.ConditionContext(s.Now())})
}

// groups returns the account's groups: the default one, then the declared
// ones in the IAM file's order.
func (s *Service) groups(a *slbcert.Account) []ResourceGroup {
	regions := make([]string, 0, len(s.Regions.All()))
	for _, r := range s.Regions.All() {
		regions = append(regions, r.ID)
	}
	all := append([]slbcert.ResourceGroup{{ID: a.DefaultResourceGroupID(), Name: DefaultGroupName, DisplayName: DefaultGroupDisplayName}}, a.ResourceGroups...)
	out := make([]ResourceGroup, 0, len(all))
	for _, g := range all {
		out = append(out, ResourceGroup{ResourceGroup: g, AccountID: a.ID, Status: StatusOK, CreateDate: CreateDate, RegionIDs: regions})
	}
	return out
}

// ListInput is ListResourceGroups' parameters.
type ListInput struct {
	// Status OK (or "") lists the groups; Creating and PendingDelete
	// match none.
	Status string
	// Name and DisplayName match a part of the group's, in any case.
	Name, DisplayName string
	// IDs (ResourceGroupIds.N, at most 100) win over ID (ResourceGroupId).
	ID  string
	IDs []string
	// Tags match nothing: groups carry no tags here.
	Tags                 []slbcert.Tag
	PageNumber, PageSize int // 0: 1 and 10
}

// Page is one page of ListResourceGroups.
type Page struct {
	Groups               []ResourceGroup
	Total                int
	PageNumber, PageSize int
}

// ListResourceGroups lists the caller's account's groups, the default one
// first (ListResourceGroups): RAM resourcemanager:ListResourceGroups on
// resourcegroup/*; Status (InvalidParameter for an unknown one);
// ResourceGroupIds at most 100; the page (1–100, default 10).
func (s *Service) ListResourceGroups(ctx context.Context, p *slbcert.Principal, in ListInput) (*Page, error) {
	if err := s.authorize(p, "ListResourceGroups", ARN(p.Account.ID, "*")); err != nil {
		return nil, err
	}
	none := false
	switch in.Status {
	case "", StatusOK:
	case "Creating", "PendingDelete":
		none = true
	default:
		return nil, slbcert.Errorf(slbcert.EInvalidParameter, "The specified Status %q is invalid: Creating, OK or PendingDelete.", in.Status)
	}
	if len(in.IDs) > 100 {
		return nil, slbcert.Errorf(slbcert.EInvalidParameter, "At most 100 ResourceGroupIds may be given; got %d.", len(in.IDs))
	}
	if in.PageNumber < 0 || in.PageSize < 0 || in.PageSize > 100 {
		return nil, slbcert.Errorf(slbcert.EInvalidParameter, "PageNumber starts at 1; PageSize is 1 to 100.")
	}
	page := &Page{Groups: []ResourceGroup{}, PageNumber: max(in.PageNumber, 1), PageSize: in.PageSize}
	if page.PageSize == 0 {
		page.PageSize = 10
	}
	if none || len(in.Tags) > 0 {
		return page, nil
	}
	ids := in.IDs
	if len(ids) == 0 && in.ID != "" {
		ids = []string{in.ID}
	}
	var kept []ResourceGroup
	for _, g := range s.groups(p.Account) {
		if len(ids) > 0 && !slices.Contains(ids, g.ID) ||
			!containsFold(g.Name, in.Name) || !containsFold(g.DisplayName, in.DisplayName) {
			continue
		}
		kept = append(kept, g)
	}
	page.Total = len(kept)
	lo := min((page.PageNumber-1)*page.PageSize, len(kept))
	page.Groups = append(page.Groups, kept[lo:min(lo+page.PageSize, len(kept))]...)
	return page, nil
}

func containsFold(s, part string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(part))
}

// GetResourceGroup returns one of the caller's account's groups
// (GetResourceGroup): ResourceGroupId required; RAM
// resourcemanager:GetResourceGroup on resourcegroup/{id}; 404
// EntityNotExists.ResourceGroup for any other id (another account's
// included).
func (s *Service) GetResourceGroup(ctx context.Context, p *slbcert.Principal, id string) (*ResourceGroup, error) {
	if id == "" {
		return nil, slbcert.MissingParameter("ResourceGroupId")
	}
	if err := s.authorize(p, "GetResourceGroup", ARN(p.Account.ID, id)); err != nil {
		return nil, err
	}
	for _, g := range s.groups(p.Account) {
		if g.ID == id {
			return &g, nil
		}
	}
	return nil, slbcert.Errorf(EGroupNotFound, "The resource group %s does not exist.", id)
}

// RefuseWrite answers CreateResourceGroup, UpdateResourceGroup and
// DeleteResourceGroup, after RAM: 403 OperationDenied, since groups are
// declared in the IAM file.
func (s *Service) RefuseWrite(ctx context.Context, p *slbcert.Principal, action, id string) error {
	if id == "" {
		id = "*"
	}
	if err := s.authorize(p, action, ARN(p.Account.ID, id)); err != nil {
		return err
	}
	return slbcert.Errorf(EOperationDenied, "Resource groups are declared in slbcert's IAM file (accounts[].resourceGroups), not created through the API: declare it there and reload the file (SIGHUP).")
}
