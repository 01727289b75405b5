package ecsapi_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	sdk "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"slbcert/iam"
	"slbcert/server"
	"slbcert/slbcerttest"
)

// TestRunInstancesRefusals: every refusal of RunInstances with its code and
// status, and nothing created (nor any address kept) by a refused call.
func TestRunInstancesRefusals(t *testing.T) {
	dir := t.TempDir()
	catalogue, _ := json.Marshal(map[string]any{"zones": map[string]any{
		zoneI: map[string]any{"soldOut": []string{"ecs.g7.large"}, "instanceTypes": []string{"ecs.g6.large", "ecs.g7.large"}},
	}})
	path := filepath.Join(dir, "catalogue.json")
	must(t, os.WriteFile(path, catalogue, 0o600))
	f := newFixture(t, slbcerttest.WithConfig(func(c *server.Config) { c.ECSCatalogueFile = path }))
	c := f.client()
	sg, sg2 := f.group(c, vpcID), f.group(c, vpc2)

	for _, tc := range []struct {
		what   string
		edit   func(*sdk.RunInstancesRequest)
		code   string
		status int
	}{
		{"an unknown region", func(r *sdk.RunInstancesRequest) { r.RegionId = "xx-nowhere-1" }, "InvalidRegionId.NotFound", 404},
		{"no InstanceType", func(r *sdk.RunInstancesRequest) { r.InstanceType = "" }, "MissingParameter", 400},
		{"an unknown type", func(r *sdk.RunInstancesRequest) { r.InstanceType = "ecs.nope.large" }, "InvalidInstanceType.ValueNotSupported", 400},
		{"no ImageId", func(r *sdk.RunInstancesRequest) { r.ImageId = "" }, "MissingParameter", 400},
		{"an unknown image", func(r *sdk.RunInstancesRequest) { r.ImageId = "win2019.vhd" }, "InvalidImageId.NotFound", 404},
		{"no VSwitchId", func(r *sdk.RunInstancesRequest) { r.VSwitchId = "" }, "MissingParameter", 400},
		{"an unknown vSwitch", func(r *sdk.RunInstancesRequest) { r.VSwitchId = "vsw-bp1none" }, "InvalidVSwitchId.NotFound", 404},
		{"another zone than the vSwitch's", func(r *sdk.RunInstancesRequest) { r.ZoneId = zoneI }, "InvalidParameter.Mismatch", 400},
		{"an unknown zone", func(r *sdk.RunInstancesRequest) { r.ZoneId = "cn-hangzhou-z" }, "InvalidZoneId.NotFound", 404},
		{"a type the zone does not offer", func(r *sdk.RunInstancesRequest) { r.VSwitchId, r.InstanceType = vswI, "ecs.c6.large" }, "InvalidInstanceType.ZoneNotSupported", 403},
		{"a type sold out in the zone", func(r *sdk.RunInstancesRequest) { r.VSwitchId, r.InstanceType = vswI, "ecs.g7.large" }, "OperationDenied.NoStock", 403},
		{"no security group", func(r *sdk.RunInstancesRequest) { r.SecurityGroupId = "" }, "MissingParameter", 400},
		{"an unknown group", func(r *sdk.RunInstancesRequest) { r.SecurityGroupId = "sg-bp1none" }, "InvalidSecurityGroupId.NotFound", 404},
		{"a group of another VPC", func(r *sdk.RunInstancesRequest) { r.SecurityGroupId = sg2 }, "InvalidParameter.Mismatch", 400},
		{"a malformed address", func(r *sdk.RunInstancesRequest) { r.PrivateIpAddress = "192.168.0.x" }, "InvalidPrivateIpAddress.Malformed", 400},
		{"an address outside the vSwitch", func(r *sdk.RunInstancesRequest) { r.PrivateIpAddress = "192.168.7.7" }, "InvalidPrivateIpAddress", 400},
		{"a reserved address", func(r *sdk.RunInstancesRequest) { r.PrivateIpAddress = "192.168.0.255" }, "InvalidPrivateIpAddress", 400},
		{"a bad name", func(r *sdk.RunInstancesRequest) { r.InstanceName = "-x" }, "InvalidInstanceName.Malformed", 400},
		{"a bad host name", func(r *sdk.RunInstancesRequest) { r.HostName = "a..b" }, "InvalidHostName.Malformed", 400},
		{"a weak password", func(r *sdk.RunInstancesRequest) { r.Password = "password" }, "InvalidPassword.Malformed", 400},
		{"a disk category", func(r *sdk.RunInstancesRequest) { r.SystemDiskCategory = "floppy" }, "InvalidSystemDiskCategory.ValueNotSupported", 400},
		{"an ESSD Entry disk on a g6", func(r *sdk.RunInstancesRequest) { r.SystemDiskCategory = "cloud_essd_entry" }, "InvalidDiskCategory.NotSupported", 403},
		{"a disk too large", func(r *sdk.RunInstancesRequest) { r.SystemDiskSize = "4096" }, "InvalidSystemDiskSize.ValueNotSupported", 400},
		{"a performance level on a non-ESSD", func(r *sdk.RunInstancesRequest) { r.SystemDiskPerformanceLevel = "PL2" }, "InvalidPerformanceLevel.Malformed", 400},
		{"user data not in base64", func(r *sdk.RunInstancesRequest) { r.UserData = "#!/bin/sh" }, "InvalidUserData.Base64FormatInvalid", 400},
		{"a charge type", func(r *sdk.RunInstancesRequest) { r.InternetChargeType = "Free" }, "InvalidInternetChargeType.ValueNotSupported", 400},
		{"too much bandwidth", func(r *sdk.RunInstancesRequest) { r.InternetMaxBandwidthOut = integer(101) }, "InvalidInternetMaxBandwidthOut.Malformed", 400},
		{"a subscription", func(r *sdk.RunInstancesRequest) { r.InstanceChargeType = "PrePaid" }, "OperationDenied", 403},
		{"a key pair", func(r *sdk.RunInstancesRequest) { r.KeyPairName = "mine" }, "InvalidKeyPairName.NotFound", 404},
		{"data disks", func(r *sdk.RunInstancesRequest) {
			r.DataDisk = &[]sdk.RunInstancesDataDisk{{Size: "40", Category: "cloud_essd"}}
		}, "OperationDenied", 403},
		{"a dry run", func(r *sdk.RunInstancesRequest) { r.DryRun = "true" }, "DryRunOperation", 400},
		{"an amount", func(r *sdk.RunInstancesRequest) { r.Amount = integer(101) }, "InvalidAmount.Malformed", 400},
	} {
		req := runRequest(vswH, sg)
		tc.edit(req)
		_, err := c.RunInstances(req)
		wantError(t, tc.what, err, tc.code, tc.status)
	}
	list := sdk.CreateDescribeInstancesRequest()
	list.RegionId = region
	if r, err := c.DescribeInstances(list); err != nil || r.TotalCount != 0 {
		t.Errorf("refused calls created instances: %+v, %v", r, err)
	}

	// The tiny vSwitch holds four; the fifth has no address, and the
	// address asked for twice is refused.
	ids := []string{}
	req := runRequest(tinyVSw, sg)
	req.Amount = integer(3)
	resp, err := c.RunInstances(req)
	must(t, err)
	ids = append(ids, resp.InstanceIdSets.InstanceIdSet...)
	taken := f.describe(c, ids[0]).VpcAttributes.PrivateIpAddress.IpAddress[0]
	if taken != "192.168.9.1" {
		t.Errorf("the first address of 192.168.9.0/29 is %s, want 192.168.9.1", taken)
	}
	_, err = c.RunInstances(func() *sdk.RunInstancesRequest { r := runRequest(tinyVSw, sg); r.PrivateIpAddress = taken; return r }())
	wantError(t, "an address taken", err, "InvalidPrivateIpAddress.Duplicated", 400)
	ids = append(ids, f.run(c, tinyVSw, sg))
	_, err = c.RunInstances(runRequest(tinyVSw, sg))
	wantError(t, "a full vSwitch", err, "QuotaExceeded.PrivateIpAddress", 400)
	if len(ids) != 4 {
		t.Fatalf("instances: %v", ids)
	}
	del := sdk.CreateDeleteInstancesRequest()
	del.RegionId, del.InstanceId, del.Force = region, &ids, "true"
	must(t, mustOK(c.DeleteInstances(del)))
	f.run(c, tinyVSw, sg) // the addresses are free again
}

// TestInstanceQuota: the IAM file's instancesPerRegion, and the addresses
// of a refused create given back.
func TestInstanceQuota(t *testing.T) {
	f := newFixture(t, slbcerttest.WithIAM(iam.File{Accounts: []iam.FileAccount{{
		ID: tenantID, AccessKeys: []iam.FileKey{{ID: tenantKey, Secret: tenantSecret}},
		Quotas: iam.FileQuotas{"instancesPerRegion": 2},
	}}}))
	f.net.AddVSwitch(tenantID, region, vpcID, zoneH, vswH, "172.16.0.0/24")
	c := f.clientWithKey(tenantKey, tenantSecret)
	sg := f.group(c, vpcID)
	f.run(c, vswH, sg)
	req := runRequest(vswH, sg)
	req.Amount = integer(2)
	_, err := c.RunInstances(req)
	wantError(t, "a third and fourth instance with a quota of 2", err, "QuotaExceed.AfterpayInstance", 400)
	second := f.run(c, vswH, sg)
	if ip := f.describe(c, second).VpcAttributes.PrivateIpAddress.IpAddress[0]; ip != "172.16.0.2" {
		t.Errorf("the refused call kept its addresses: the second instance has %s, want 172.16.0.2", ip)
	}
}

// TestNoVPC: on the server's own VPC product (no test network), an account
// without VPCs is refused what needs one, with the real codes, and still
// served the rest.
func TestNoVPC(t *testing.T) {
	srv := slbcerttest.NewServer(t)
	f := &fixture{t: t, srv: srv}
	c := f.client()
	create := sdk.CreateCreateSecurityGroupRequest()
	create.RegionId, create.VpcId = region, vpcID
	_, err := c.CreateSecurityGroup(create)
	wantError(t, "CreateSecurityGroup without VPCs", err, "InvalidVpcId.NotFound", 404)
	_, err = c.RunInstances(runRequest(vswH, "sg-bp1none"))
	wantError(t, "RunInstances without vSwitches", err, "InvalidVSwitchId.NotFound", 404)
	zones := sdk.CreateDescribeZonesRequest()
	zones.RegionId = region
	if r, err := c.DescribeZones(zones); err != nil || len(r.Zones.Zone) == 0 {
		t.Errorf("DescribeZones without VPCs: %+v, %v", r, err)
	}
}
