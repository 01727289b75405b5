package rmapi_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/resourcemanager"

	"slbcert"
	"slbcert/iam"
	"slbcert/slbcerttest"
)

// Resource Manager keeps nothing in the store (groups are the IAM file's),
// so one store is enough here.

func client(t *testing.T, srv *slbcerttest.Server, id, secret string) *resourcemanager.Client {
	t.Helper()
	c, err := resourcemanager.NewClientWithAccessKey("cn-hangzhou", id, secret)
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = srv.Endpoint
	c.GetConfig().Scheme = srv.Scheme
	c.SetTransport(srv.Transport())
	return c
}

func wantError(t *testing.T, err error, code string, status int) {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) || se.ErrorCode() != code || se.HttpStatus() != status {
		t.Fatalf("err = %v, want %s (%d)", err, code, status)
	}
}

const acct = "1000000000000002"

func server(t *testing.T) *slbcerttest.Server {
	f := iam.File{Accounts: []iam.FileAccount{{ID: acct,
		AccessKeys: []iam.FileKey{{ID: "LTAIrm", Secret: "s"}},
		Policies: []iam.FilePolicy{{Name: "One", Document: json.RawMessage(`{"Version":"1","Statement":[
			{"Effect":"Allow","Action":"resourcemanager:GetResourceGroup","Resource":"acs:resourcemanager::` + acct + `:resourcegroup/rg-prod1"}]}`)}},
		Users:          []iam.FileUser{{Name: "u", AccessKeys: []iam.FileKey{{ID: "LTAIrmuser", Secret: "s"}}, Policies: []string{"One"}}},
		ResourceGroups: []iam.FileResourceGroup{{ID: "rg-prod1", Name: "prod", DisplayName: "Production"}, {Name: "test-env"}},
	}}}
	return slbcerttest.NewServer(t, slbcerttest.WithIAM(f))
}

func TestListAndGetResourceGroups(t *testing.T) {
	srv := server(t)
	c := client(t, srv, "LTAIrm", "s")
	list, err := c.ListResourceGroups(resourcemanager.CreateListResourceGroupsRequest())
	if err != nil {
		t.Fatal(err)
	}
	groups := list.ResourceGroups.ResourceGroup
	if list.TotalCount != 3 || len(groups) != 3 || list.PageSize != 10 || list.PageNumber != 1 {
		t.Fatalf("ListResourceGroups %+v", list)
	}
	def := groups[0]
	if def.Id != slbcert.DefaultResourceGroupID(acct) || def.Name != "default" || def.Status != "OK" || def.AccountId != acct ||
		def.CreateDate == "" || len(def.RegionStatuses.RegionStatus) == 0 {
		t.Errorf("the default group %+v", def)
	}
	if groups[1].Id != "rg-prod1" || groups[1].DisplayName != "Production" || groups[2].Name != "test-env" ||
		groups[2].Id != slbcert.DeclaredResourceGroupID(acct, "test-env") || groups[2].DisplayName != "test-env" {
		t.Errorf("declared groups %+v", groups[1:])
	}

	for _, tc := range []struct {
		name string
		edit func(r *resourcemanager.ListResourceGroupsRequest)
		want []string
	}{
		{"status OK", func(r *resourcemanager.ListResourceGroupsRequest) { r.Status = "OK" }, []string{"default", "prod", "test-env"}},
		{"status PendingDelete", func(r *resourcemanager.ListResourceGroupsRequest) { r.Status = "PendingDelete" }, nil},
		{"name part, any case", func(r *resourcemanager.ListResourceGroupsRequest) { r.Name = "PRO" }, []string{"prod"}},
		{"display name part", func(r *resourcemanager.ListResourceGroupsRequest) { r.DisplayName = "duct" }, []string{"prod"}},
		{"id", func(r *resourcemanager.ListResourceGroupsRequest) { r.ResourceGroupId = "rg-prod1" }, []string{"prod"}},
		{"ids win over id", func(r *resourcemanager.ListResourceGroupsRequest) {
			r.ResourceGroupId, r.ResourceGroupIds = "rg-prod1", &[]string{slbcert.DefaultResourceGroupID(acct)}
		}, []string{"default"}},
		{"tags match nothing", func(r *resourcemanager.ListResourceGroupsRequest) {
			r.Tag = &[]resourcemanager.ListResourceGroupsTag{{Key: "k", Value: "v"}}
		}, nil},
		{"second page of two", func(r *resourcemanager.ListResourceGroupsRequest) {
			r.PageSize, r.PageNumber = requests.NewInteger(2), requests.NewInteger(2)
		}, []string{"test-env"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := resourcemanager.CreateListResourceGroupsRequest()
			tc.edit(r)
			got, err := c.ListResourceGroups(r)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, g := range got.ResourceGroups.ResourceGroup {
				names = append(names, g.Name)
			}
			if len(names) != len(tc.want) || (len(names) > 0 && !equal(names, tc.want)) {
				t.Errorf("got %v, want %v", names, tc.want)
			}
		})
	}

	get := resourcemanager.CreateGetResourceGroupRequest()
	get.ResourceGroupId = "rg-prod1"
	g, err := c.GetResourceGroup(get)
	if err != nil || g.ResourceGroup.Name != "prod" || len(g.ResourceGroup.RegionStatuses.RegionStatus) == 0 {
		t.Fatalf("GetResourceGroup %+v, %v", g, err)
	}
	get = resourcemanager.CreateGetResourceGroupRequest() // SDK requests keep the parameters of their first call
	get.ResourceGroupId = "rg-none"
	_, err = c.GetResourceGroup(get)
	wantError(t, err, "EntityNotExists.ResourceGroup", http.StatusNotFound)
	// another account's groups are unknown
	get = resourcemanager.CreateGetResourceGroupRequest()
	get.ResourceGroupId = slbcert.DefaultResourceGroupID(srv.AccountID)
	_, err = c.GetResourceGroup(get)
	wantError(t, err, "EntityNotExists.ResourceGroup", http.StatusNotFound)
	_, err = c.GetResourceGroup(resourcemanager.CreateGetResourceGroupRequest())
	wantError(t, err, "MissingParameter", http.StatusBadRequest)

	bad := resourcemanager.CreateListResourceGroupsRequest()
	bad.Status = "Gone"
	_, err = c.ListResourceGroups(bad)
	wantError(t, err, "InvalidParameter", http.StatusBadRequest)
	bad = resourcemanager.CreateListResourceGroupsRequest()
	bad.PageSize = requests.NewInteger(101)
	_, err = c.ListResourceGroups(bad)
	wantError(t, err, "InvalidParameter", http.StatusBadRequest)

	create := resourcemanager.CreateCreateResourceGroupRequest()
	create.Name, create.DisplayName = "new", "New"
	_, err = c.CreateResourceGroup(create)
	wantError(t, err, "OperationDenied", http.StatusForbidden)
	del := resourcemanager.CreateDeleteResourceGroupRequest()
	del.ResourceGroupId = "rg-prod1"
	_, err = c.DeleteResourceGroup(del)
	wantError(t, err, "OperationDenied", http.StatusForbidden)

	// the default account lists only its own default group
	mine, err := client(t, srv, srv.AccessKeyID, srv.AccessKeySecret).ListResourceGroups(resourcemanager.CreateListResourceGroupsRequest())
	if err != nil || mine.TotalCount != 1 || mine.ResourceGroups.ResourceGroup[0].Id != slbcert.DefaultResourceGroupID(srv.AccountID) {
		t.Errorf("the default account's groups %+v, %v", mine, err)
	}
}

func TestResourceGroupsRAM(t *testing.T) {
	srv := server(t)
	u := client(t, srv, "LTAIrmuser", "s")
	get := resourcemanager.CreateGetResourceGroupRequest()
	get.ResourceGroupId = "rg-prod1"
	if _, err := u.GetResourceGroup(get); err != nil {
		t.Errorf("allowed on its group: %v", err)
	}
	get = resourcemanager.CreateGetResourceGroupRequest()
	get.ResourceGroupId = slbcert.DefaultResourceGroupID(acct)
	_, err := u.GetResourceGroup(get)
	wantError(t, err, "NoPermission", http.StatusForbidden)
	_, err = u.ListResourceGroups(resourcemanager.CreateListResourceGroupsRequest())
	wantError(t, err, "NoPermission", http.StatusForbidden)
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
