package ecsapi_test

import (
	"encoding/base64"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	sdk "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"slbcert/slbcerttest"
)

// TestInstanceLifecycle: an instance through every call Terraform's
// alicloud_instance makes, on both stores: created Running with an
// address of its vSwitch, read back through each describe, stopped,
// started, rebooted, modified, released (with its address) and gone.
func TestInstanceLifecycle(t *testing.T) {
	onBothStores(t, func(t *testing.T, opts ...slbcerttest.Option) {
		f := newFixture(t, opts...)
		c := f.client()
		sg := f.group(c, vpcID)
		userData := base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\necho hi\n"))
		id := f.run(c, vswH, sg, func(r *sdk.RunInstancesRequest) {
			r.InstanceName, r.Description, r.HostName = "web-1", "the web server", "web-1"
			r.SystemDiskCategory, r.SystemDiskSize, r.SystemDiskDiskName = "cloud_essd", "50", "sys"
			r.InternetMaxBandwidthOut, r.UserData, r.ClientToken = integer(0), userData, "tf-token-1"
			r.Tag = &[]sdk.RunInstancesTag{{Key: "app", Value: "web"}}
		})
		if !strings.HasPrefix(id, "i-bp1") || len(id) != 22 {
			t.Errorf("instance id %q", id)
		}
		// The same ClientToken answers the same instance.
		again := f.run(c, vswH, sg, func(r *sdk.RunInstancesRequest) { r.ClientToken = "tf-token-1" })
		if again != id {
			t.Errorf("a repeated ClientToken created %s besides %s", again, id)
		}

		i := f.describe(c, id)
		if i == nil {
			t.Fatal("DescribeInstances does not list the new instance")
		}
		wantIP := "192.168.0.1"
		if i.Status != "Running" || i.InstanceName != "web-1" || i.HostName != "web-1" || i.ZoneId != zoneH ||
			i.VpcAttributes.VpcId != vpcID || i.VpcAttributes.VSwitchId != vswH ||
			!reflect.DeepEqual(i.VpcAttributes.PrivateIpAddress.IpAddress, []string{wantIP}) ||
			!reflect.DeepEqual(i.SecurityGroupIds.SecurityGroupId, []string{sg}) ||
			i.Cpu != 2 || i.Memory != 8192 || i.InstanceType != typeID || i.ImageId != imageID || i.OSType != "linux" ||
			i.InstanceChargeType != "PostPaid" || i.InternetChargeType != "PayByTraffic" || i.InstanceNetworkType != "vpc" ||
			i.StoppedMode != "Not-applicable" || i.SpotStrategy != "NoSpot" || i.DeletionProtection || i.AutoReleaseTime != "" ||
			i.MetadataOptions.HttpEndpoint != "enabled" || i.CpuOptions.CoreCount != 1 || i.CpuOptions.ThreadsPerCore != 2 ||
			len(i.Tags.Tag) != 1 || i.Tags.Tag[0].TagKey != "app" || i.Tags.Tag[0].TagValue != "web" {
			t.Errorf("DescribeInstances item: %+v", i)
		}
		if len(i.NetworkInterfaces.NetworkInterface) != 1 || i.NetworkInterfaces.NetworkInterface[0].Type != "Primary" ||
			i.NetworkInterfaces.NetworkInterface[0].PrimaryIpAddress != wantIP {
			t.Fatalf("network interfaces: %+v", i.NetworkInterfaces)
		}
		eni := i.NetworkInterfaces.NetworkInterface[0].NetworkInterfaceId
		if got := f.net.Owner(slbcerttest.DefaultAccountID, id); len(got) != 1 || got[0] != netip.MustParseAddr(wantIP) {
			t.Errorf("the VPC product holds %v for %s", got, id)
		}

		attr := sdk.CreateDescribeInstanceAttributeRequest()
		attr.InstanceId = id // no RegionId, as Terraform sends it
		a, err := c.DescribeInstanceAttribute(attr)
		must(t, err)
		if a.InstanceId != id || a.IoOptimized != "optimized" || a.Status != "Running" || a.EnableJumboFrame {
			t.Errorf("DescribeInstanceAttribute: %+v", a)
		}

		enis := sdk.CreateDescribeNetworkInterfacesRequest()
		enis.RegionId, enis.NetworkInterfaceId = region, &[]string{eni}
		er, err := c.DescribeNetworkInterfaces(enis)
		must(t, err)
		if len(er.NetworkInterfaceSets.NetworkInterfaceSet) != 1 {
			t.Fatalf("DescribeNetworkInterfaces: %+v", er)
		}
		if n := er.NetworkInterfaceSets.NetworkInterfaceSet[0]; n.InstanceId != id || n.Status != "InUse" || n.PrivateIpAddress != wantIP ||
			len(n.PrivateIpSets.PrivateIpSet) != 1 || !n.PrivateIpSets.PrivateIpSet[0].Primary || n.Type != "Primary" || n.VpcId != vpcID {
			t.Errorf("network interface: %+v", n)
		}
		byIP := sdk.CreateDescribeNetworkInterfacesRequest()
		byIP.RegionId, byIP.VpcId, byIP.PrivateIpAddress, byIP.Status = region, vpcID, &[]string{wantIP}, "InUse"
		if r, err := c.DescribeNetworkInterfaces(byIP); err != nil || len(r.NetworkInterfaceSets.NetworkInterfaceSet) != 1 {
			t.Errorf("by private address (the cloud controller's ENI lookup): %+v, %v", r, err)
		}

		disks := sdk.CreateDescribeDisksRequest()
		disks.RegionId, disks.InstanceId, disks.DiskType = region, id, "system"
		dr, err := c.DescribeDisks(disks)
		must(t, err)
		if len(dr.Disks.Disk) != 1 {
			t.Fatalf("DescribeDisks: %+v", dr)
		}
		if d := dr.Disks.Disk[0]; d.InstanceId != id || d.Category != "cloud_essd" || d.Size != 50 || d.DiskName != "sys" ||
			d.PerformanceLevel != "PL1" || d.Type != "system" || d.Status != "In_use" || d.Encrypted || d.ProvisionedIops != 0 {
			t.Errorf("system disk: %+v", d)
		}

		ud := sdk.CreateDescribeUserDataRequest()
		ud.RegionId, ud.InstanceId = region, id
		if r, err := c.DescribeUserData(ud); err != nil || r.UserData != userData || r.InstanceId != id {
			t.Errorf("DescribeUserData: %+v, %v", r, err)
		}
		role := sdk.CreateDescribeInstanceRamRoleRequest()
		role.RegionId, role.InstanceIds = region, `["`+id+`"]`
		if r, err := c.DescribeInstanceRamRole(role); err != nil || len(r.InstanceRamRoleSets.InstanceRamRoleSet) != 1 {
			t.Errorf("DescribeInstanceRamRole: %+v, %v", r, err)
		}
		maint := sdk.CreateDescribeInstanceMaintenanceAttributesRequest()
		maint.RegionId, maint.InstanceId = region, &[]string{id}
		if r, err := c.DescribeInstanceMaintenanceAttributes(maint); err != nil || len(r.MaintenanceAttributes.MaintenanceAttribute) != 1 ||
			r.MaintenanceAttributes.MaintenanceAttribute[0].ActionOnMaintenance.Value != "AutoRecover" {
			t.Errorf("DescribeInstanceMaintenanceAttributes: %+v, %v", r, err)
		}
		att := sdk.CreateDescribeInstanceAttachmentAttributesRequest()
		att.RegionId, att.InstanceIds = region, `["`+id+`"]`
		if r, err := c.DescribeInstanceAttachmentAttributes(att); err != nil || len(r.Instances.Instance) != 1 {
			t.Errorf("DescribeInstanceAttachmentAttributes: %+v, %v", r, err)
		}

		// Stop, start, reboot: synchronous, each refused in the wrong state.
		stop := sdk.CreateStopInstanceRequest()
		stop.InstanceId = id
		stop.StoppedMode = "Not-applicable" // what Terraform sends back after reading a running instance
		must(t, mustOK(c.StopInstance(stop)))
		if i := f.describe(c, id); i.Status != "Stopped" || i.StoppedMode != "KeepCharging" {
			t.Errorf("after StopInstance: %s, %s", i.Status, i.StoppedMode)
		}
		_, err = c.StopInstance(stop)
		wantError(t, "stopping a stopped instance", err, "IncorrectInstanceStatus", 403)
		reboot := sdk.CreateRebootInstanceRequest()
		reboot.InstanceId = id
		_, err = c.RebootInstance(reboot)
		wantError(t, "rebooting a stopped instance", err, "IncorrectInstanceStatus", 403)
		start := sdk.CreateStartInstanceRequest()
		start.InstanceId = id
		must(t, mustOK(c.StartInstance(start)))
		_, err = c.StartInstance(start)
		wantError(t, "starting a running instance", err, "IncorrectInstanceStatus", 403)
		must(t, mustOK(c.RebootInstance(reboot)))

		// Modify, join and leave a group.
		sg2 := f.group(c, vpcID)
		mod := sdk.CreateModifyInstanceAttributeRequest()
		mod.InstanceId, mod.InstanceName, mod.Description, mod.DeletionProtection = id, "web-2", "renamed", requests.NewBoolean(true)
		must(t, mustOK(c.ModifyInstanceAttribute(mod)))
		join := sdk.CreateJoinSecurityGroupRequest()
		join.InstanceId, join.SecurityGroupId = id, sg2
		must(t, mustOK(c.JoinSecurityGroup(join)))
		_, err = c.JoinSecurityGroup(join)
		wantError(t, "joining a group twice", err, "InvalidInstanceId.AlreadyExists", 403)
		if i := f.describe(c, id); i.InstanceName != "web-2" || i.Description != "renamed" || !i.DeletionProtection ||
			!reflect.DeepEqual(i.SecurityGroupIds.SecurityGroupId, []string{sg, sg2}) {
			t.Errorf("after modify and join: %+v", i)
		}
		leave := sdk.CreateLeaveSecurityGroupRequest()
		leave.InstanceId, leave.SecurityGroupId = id, sg
		must(t, mustOK(c.LeaveSecurityGroup(leave)))
		leave.SecurityGroupId = sg2
		_, err = c.LeaveSecurityGroup(leave)
		wantError(t, "leaving the last group", err, "InvalidOperation.InstanceLastSecurityGroup", 403)

		// Release: protected, then running without Force, then released.
		del := sdk.CreateDeleteInstanceRequest()
		del.InstanceId, del.Force = id, requests.NewBoolean(true)
		_, err = c.DeleteInstance(del)
		wantError(t, "releasing a protected instance", err, "InvalidOperation.DeletionProtection", 403)
		mod = sdk.CreateModifyInstanceAttributeRequest()
		mod.InstanceId, mod.DeletionProtection = id, requests.NewBoolean(false)
		must(t, mustOK(c.ModifyInstanceAttribute(mod)))
		del.Force = requests.NewBoolean(false)
		_, err = c.DeleteInstance(del)
		wantError(t, "releasing a running instance without Force", err, "IncorrectInstanceStatus", 403)
		del.Force = requests.NewBoolean(true)
		must(t, mustOK(c.DeleteInstance(del)))
		if i := f.describe(c, id); i != nil {
			t.Errorf("a released instance is still listed: %+v", i)
		}
		if got := f.net.Owner(slbcerttest.DefaultAccountID, id); len(got) != 0 {
			t.Errorf("the released instance still holds %v", got)
		}
		_, err = c.DescribeInstanceAttribute(attr)
		wantError(t, "DescribeInstanceAttribute of a released instance", err, "InvalidInstanceId.NotFound", 404)
		_, err = c.DeleteInstance(del)
		wantError(t, "releasing it again", err, "InvalidInstanceId.NotFound", 404)
	})
}

// mustOK drops a response, keeping the error.
func mustOK[T any](_ T, err error) error { return err }

// TestInstancesSurviveRestart: groups, rules, instances and tags are on
// disk; a restarted server answers them unchanged.
func TestInstancesSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	f := newFixtureIn(t, dir)
	c := f.client()
	sg := f.group(c, vpcID)
	auth := sdk.CreateAuthorizeSecurityGroupRequest()
	auth.RegionId, auth.SecurityGroupId = region, sg
	auth.Permissions = &[]sdk.AuthorizeSecurityGroupPermissions{{IpProtocol: "tcp", PortRange: "80/80", SourceCidrIp: "0.0.0.0/0"}}
	must(t, mustOK(c.AuthorizeSecurityGroup(auth)))
	id := f.run(c, vswH, sg, func(r *sdk.RunInstancesRequest) { r.Tag = &[]sdk.RunInstancesTag{{Key: "app", Value: "web"}} })
	before := f.describe(c, id)
	must(t, f.srv.Close())

	g := newFixtureIn(t, dir)
	c = g.client()
	after := g.describe(c, id)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("after a restart:\n got %+v\nwant %+v", after, before)
	}
	attr := sdk.CreateDescribeSecurityGroupAttributeRequest()
	attr.RegionId, attr.SecurityGroupId = region, sg
	if r, err := c.DescribeSecurityGroupAttribute(attr); err != nil || len(r.Permissions.Permission) != 1 {
		t.Errorf("rules after a restart: %+v, %v", r, err)
	}
}

// TestCloudControllerReads: what Kubernetes' Alibaba cloud controller
// asks — instances by id with MaxResults and NextToken (it stops on an
// empty NextToken or a PageSize under 100), by private address in a VPC.
func TestCloudControllerReads(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	sg := f.group(c, vpcID)
	req := runRequest(vswI, sg)
	req.Amount = integer(3)
	resp, err := c.RunInstances(req)
	must(t, err)
	ids := resp.InstanceIdSets.InstanceIdSet

	byIP := sdk.CreateDescribeInstancesRequest()
	byIP.RegionId, byIP.InstanceNetworkType, byIP.VpcId, byIP.PrivateIpAddresses = region, "vpc", vpcID, `["192.168.1.2"]`
	if r, err := c.DescribeInstances(byIP); err != nil || len(r.Instances.Instance) != 1 || r.Instances.Instance[0].InstanceId != ids[1] {
		t.Errorf("by private address: %+v, %v", r, err)
	}

	var seen []string
	token := ""
	for range 5 {
		page := sdk.CreateDescribeInstancesRequest()
		page.RegionId, page.MaxResults, page.NextToken = region, integer(2), token
		page.AdditionalAttributes = &[]string{"NETWORK_PRIMARY_ENI_IP"}
		r, err := c.DescribeInstances(page)
		must(t, err)
		if r.PageSize != 2 {
			t.Errorf("PageSize %d, want the 2 asked for", r.PageSize)
		}
		for _, i := range r.Instances.Instance {
			seen = append(seen, i.InstanceId)
		}
		if token = r.NextToken; token == "" {
			break
		}
	}
	if !reflect.DeepEqual(seen, ids) {
		t.Errorf("paged by NextToken: %v, want %v", seen, ids)
	}
}
