package slb_test

import (
	"encoding/json"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/iam"
	"slbcert/slbcerttest"
)

const (
	ramAccount = "1000000000000009"
	ramOther   = "1000000000000010"
)

// TestACLAccessAndTenants: RAM decides every ACL action on the ACL's ARN
// (acs:slb:{region}:{account}:acl/{id}); a listener naming an ACL needs it
// too; accounts never see each other's ACLs; the ACL quota comes from the
// IAM file.
func TestACLAccessAndTenants(t *testing.T) {
	doc := iam.File{Accounts: []iam.FileAccount{
		{
			ID:         ramAccount,
			AccessKeys: []iam.FileKey{{ID: "LTAI4AclRoot000000001", Secret: "root-secret"}},
			Quotas:     iam.FileQuotas{"aclsPerRegion": 2, "entriesPerACL": 3},
			Policies: []iam.FilePolicy{{Name: "OneACL", Document: json.RawMessage(`{"Version":"1","Statement":[
				{"Effect":"Allow","Action":["slb:CreateAccessControlList","slb:DescribeAccessControlLists"],"Resource":"acs:slb:cn-hangzhou:` + ramAccount + `:acl/*"},
				{"Effect":"Allow","Action":"slb:*","Resource":"acs:slb:cn-hangzhou:` + ramAccount + `:loadbalancer/*"},
				{"Effect":"Allow","Action":"slb:*","Resource":"acs:slb:cn-hangzhou:` + ramAccount + `:acl/acl-*",
				 "Condition":{"StringEquals":{"slb:tag/team":"net"}}}]}`)}},
			Users: []iam.FileUser{{Name: "net", Policies: []string{"OneACL"},
				AccessKeys: []iam.FileKey{{ID: "LTAI4AclUser000000001", Secret: "user-secret"}}}},
		},
		{ID: ramOther, AccessKeys: []iam.FileKey{{ID: "LTAI4AclOther00000001", Secret: "other-secret"}}},
	}}
	e := newL4Env(t, "sqlite", slbcerttest.WithIAM(doc))
	root, _ := e.srv.SLBClientWithKey("cn-hangzhou", "LTAI4AclRoot000000001", "root-secret")
	user, _ := e.srv.SLBClientWithKey("cn-hangzhou", "LTAI4AclUser000000001", "user-secret")
	other, _ := e.srv.SLBClientWithKey("cn-hangzhou", "LTAI4AclOther00000001", "other-secret")
	create := func(c *slb.Client, name string, tags ...slb.CreateAccessControlListTag) (string, error) {
		req := slb.CreateCreateAccessControlListRequest()
		req.AclName = name
		if len(tags) > 0 {
			req.Tag = &tags
		}
		resp, err := c.CreateAccessControlList(req)
		if err != nil {
			return "", err
		}
		return resp.AclId, nil
	}
	tagged, err := create(user, "tagged", slb.CreateAccessControlListTag{Key: "team", Value: "net"})
	must(t, err)
	plain, err := create(root, "plain")
	must(t, err)

	t.Run("ok/the quota of the IAM file", func(t *testing.T) {
		_, err := create(root, "third")
		wantErr(t, err, "AclExceedLimit", 400)
		add := slb.CreateAddAccessControlListEntryRequest()
		add.AclId, add.AclEntrys = plain, entries("10.0.0.1", "", "10.0.0.2", "", "10.0.0.3", "", "10.0.0.4", "")
		_, err = root.AddAccessControlListEntry(add)
		wantErr(t, err, "AclEntryExceedLimit", 400)
	})
	t.Run("error/RAM on the ACL's ARN", func(t *testing.T) {
		attr := slb.CreateDescribeAccessControlListAttributeRequest()
		attr.AclId = tagged
		if _, err := user.DescribeAccessControlListAttribute(attr); err != nil {
			t.Fatalf("the tagged ACL: %v", err)
		}
		attr.AclId = plain
		_, err := user.DescribeAccessControlListAttribute(attr)
		wantErr(t, err, "NoPermission", 403)
		add := slb.CreateAddAccessControlListEntryRequest()
		add.AclId, add.AclEntrys = plain, entries("10.0.0.1", "")
		_, err = user.AddAccessControlListEntry(add)
		wantErr(t, err, "NoPermission", 403)
		// Naming an ACL on a listener needs the ACL too.
		lbReq := slb.CreateCreateLoadBalancerRequest()
		lb, err := user.CreateLoadBalancer(lbReq)
		must(t, err)
		tcp := slb.CreateCreateLoadBalancerTCPListenerRequest()
		tcp.LoadBalancerId, tcp.ListenerPort, tcp.BackendServerPort = lb.LoadBalancerId, requests.NewInteger(80), requests.NewInteger(80)
		tcp.AclStatus, tcp.AclType, tcp.AclId = "on", "white", plain
		_, err = user.CreateLoadBalancerTCPListener(tcp)
		wantErr(t, err, "NoPermission", 403)
		tcp.AclId = tagged
		if _, err := user.CreateLoadBalancerTCPListener(tcp); err != nil {
			t.Fatalf("with the tagged ACL: %v", err)
		}
	})
	t.Run("ok/tenants: another account's ACL does not exist", func(t *testing.T) {
		attr := slb.CreateDescribeAccessControlListAttributeRequest()
		attr.AclId = plain
		_, err := other.DescribeAccessControlListAttribute(attr)
		wantErr(t, err, "AclNotExist", 400)
		del := slb.CreateDeleteAccessControlListRequest()
		del.AclId = plain
		_, err = other.DeleteAccessControlList(del)
		wantErr(t, err, "AclNotExist", 400)
		list, err := other.DescribeAccessControlLists(slb.CreateDescribeAccessControlListsRequest())
		must(t, err)
		if list.TotalCount != 0 {
			t.Fatalf("another account sees %d ACLs", list.TotalCount)
		}
		// Its own quota and names.
		if _, err := create(other, "plain"); err != nil {
			t.Fatalf("the same name in another account: %v", err)
		}
	})
}
