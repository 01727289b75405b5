package vpcapi_test

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"slbcert/iam"
	"slbcert/slbcerttest"
)

// TestVPCAccess: RAM on vpc:<Action> with the resources' ARNs, and
// tenants that never see each other's VPCs.
func TestVPCAccess(t *testing.T) {
	const other = "1000000000000002"
	doc := func(s string) json.RawMessage { return json.RawMessage(s) }
	f := iam.File{Accounts: []iam.FileAccount{
		{ID: slbcerttest.DefaultAccountID,
			Policies: []iam.FilePolicy{
				{Name: "ReadOnly", Document: doc(`{"Version":"1","Statement":[{"Effect":"Allow","Action":"vpc:Describe*","Resource":"*"}]}`)},
				{Name: "OneVPC", Document: doc(`{"Version":"1","Statement":[
					{"Effect":"Allow","Action":["vpc:CreateVSwitch","vpc:DescribeVSwitch*"],"Resource":["acs:vpc:cn-hangzhou:*:vpc/VPCID","acs:vpc:cn-hangzhou:*:vswitch/*"]}]}`)},
			},
			Users: []iam.FileUser{
				{Name: "reader", AccessKeys: []iam.FileKey{{ID: "LTAIreader", Secret: "s"}}, Policies: []string{"ReadOnly"}},
				{Name: "builder", AccessKeys: []iam.FileKey{{ID: "LTAIbuilder", Secret: "s"}}, Policies: []string{"OneVPC"}},
			}},
		{ID: other, AccessKeys: []iam.FileKey{{ID: "LTAIother", Secret: "s"}}},
	}}
	data, _ := json.Marshal(f)
	srv := slbcerttest.NewServer(t, slbcerttest.WithIAMJSON(string(data)))
	c := vpcClient(t, srv)
	id, vsw := setup(t, srv, c)
	other2 := vpcClient(t, srv, "LTAIother", "s")

	// another tenant: unknown
	attr := vpc.CreateDescribeVpcAttributeRequest()
	attr.VpcId = id
	_, err := other2.DescribeVpcAttribute(attr)
	wantError(t, err, "InvalidVpcId.NotFound", http.StatusNotFound)
	del := vpc.CreateDeleteVSwitchRequest()
	del.VSwitchId = vsw
	_, err = other2.DeleteVSwitch(del)
	wantError(t, err, "InvalidVSwitchId.NotFound", http.StatusNotFound)
	list, err := other2.DescribeVpcs(vpc.CreateDescribeVpcsRequest())
	must(t, err)
	if list.TotalCount != 0 {
		t.Errorf("another tenant lists %d VPCs", list.TotalCount)
	}
	sw := vpc.CreateCreateVSwitchRequest()
	sw.VpcId, sw.ZoneId, sw.CidrBlock = id, "cn-hangzhou-h", "192.168.9.0/24"
	_, err = other2.CreateVSwitch(sw)
	wantError(t, err, "InvalidVpcId.NotFound", http.StatusNotFound)

	// a reader may describe, not create
	reader := vpcClient(t, srv, "LTAIreader", "s")
	if _, err := reader.DescribeVpcAttribute(attr); err != nil {
		t.Errorf("reader: %v", err)
	}
	_, err = reader.CreateVpc(vpc.CreateCreateVpcRequest())
	wantError(t, err, "NoPermission", http.StatusForbidden)
	if !strings.Contains(err.Error(), "vpc:CreateVpc") || !strings.Contains(err.Error(), "acs:vpc:cn-hangzhou:"+slbcerttest.DefaultAccountID+":vpc/*") {
		t.Errorf("the denial names neither the action nor the ARN: %v", err)
	}
	_, err = reader.DeleteVSwitch(del)
	wantError(t, err, "NoPermission", http.StatusForbidden)
	if !strings.Contains(err.Error(), ":vswitch/"+vsw) {
		t.Errorf("the denial does not name the vSwitch's ARN: %v", err)
	}

	// a policy on one VPC's ARN (the IAM file reloaded, as SIGHUP does)
	f.Accounts[0].Policies[1].Document = doc(strings.ReplaceAll(string(f.Accounts[0].Policies[1].Document), "VPCID", id))
	data, _ = json.Marshal(f)
	must(t, writeIAM(srv, data))
	must(t, srv.Main().ReloadIAM())
	builder := vpcClient(t, srv, "LTAIbuilder", "s")
	if _, err := builder.CreateVSwitch(sw); err != nil {
		t.Errorf("builder in its VPC: %v", err)
	}
	v2, err := c.CreateVpc(vpc.CreateCreateVpcRequest())
	must(t, err)
	sw.VpcId, sw.CidrBlock = v2.VpcId, "172.16.0.0/24"
	_, err = builder.CreateVSwitch(sw)
	wantError(t, err, "NoPermission", http.StatusForbidden)
}

// writeIAM replaces the server's IAM file (ReloadIAM reads it).
func writeIAM(srv *slbcerttest.Server, data []byte) error {
	return os.WriteFile(srv.Main().Config.IAMFile, data, 0o600)
}
