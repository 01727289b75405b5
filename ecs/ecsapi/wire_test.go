package ecsapi_test

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	sdk "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"slbcert/slbcerttest"
)

// rpcPost calls an ECS action as Terraform's RpcPost does (darabonba, V3
// signature, form body) and returns the decoded body, or the error with
// its HTTP status.
func (f *fixture) rpcPost(key, secret string, action string, params map[string]string) (map[string]any, int, error) {
	f.t.Helper()
	cfg := f.srv.OpenAPIConfig(region)
	cfg.AccessKeyId, cfg.AccessKeySecret = dara.String(key), dara.String(secret)
	c, err := openapi.NewClient(cfg)
	if err != nil {
		f.t.Fatal(err)
	}
	body := map[string]any{}
	for k, v := range params {
		body[k] = v
	}
	out, err := c.CallApi(&openapiutil.Params{
		Action: dara.String(action), Version: dara.String("2014-05-26"), Protocol: dara.String("HTTP"),
		Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"),
		Style: dara.String("RPC"), ReqBodyType: dara.String("formData"), BodyType: dara.String("json"),
	}, &openapiutil.OpenApiRequest{Body: body}, &dara.RuntimeOptions{})
	if err != nil {
		var se *tea.SDKError
		if errors.As(err, &se) {
			return nil, tea.IntValue(se.StatusCode), err
		}
		return nil, 0, err
	}
	b, _ := out["body"].(map[string]any)
	return b, 200, nil
}

// TestTags: tags on instances, disks, network interfaces and groups, as
// Terraform sets and reads them; ListTagResources leaves NextToken out on
// its last page (Terraform's loop stops only then).
func TestTags(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	sg := f.group(c, vpcID)
	ids := []string{}
	for i := 0; i < 3; i++ {
		ids = append(ids, f.run(c, vswH, sg))
	}
	tag := func(typ string, ids []string, n int) error {
		r := sdk.CreateTagResourcesRequest()
		r.RegionId, r.ResourceType, r.ResourceId = region, typ, &ids
		tags := []sdk.TagResourcesTag{}
		for i := 0; i < n; i++ {
			tags = append(tags, sdk.TagResourcesTag{Key: fmt.Sprintf("k%02d", i), Value: "v"})
		}
		r.Tag = &tags
		_, err := c.TagResources(r)
		return err
	}
	must(t, tag("instance", ids, 20))
	must(t, tag("instance", ids, 20)) // an overwrite: idempotent
	must(t, tag("securitygroup", []string{sg}, 2))
	wantError(t, "a 21st tag", tag("instance", ids[:1], 21), "InvalidTagCount", 400)
	wantError(t, "tagging an unknown instance", tag("instance", []string{"i-bp1none"}, 1), "InvalidResourceId.NotFound", 404)
	wantError(t, "tagging a snapshot", tag("snapshot", []string{"s-1"}, 1), "InvalidResourceType.NotSupported", 400)
	reserved := sdk.CreateTagResourcesRequest()
	reserved.RegionId, reserved.ResourceType, reserved.ResourceId = region, "instance", &[]string{ids[0]}
	reserved.Tag = &[]sdk.TagResourcesTag{{Key: "aliyun:owner", Value: "x"}}
	_, err := c.TagResources(reserved)
	wantError(t, "a reserved key", err, "InvalidTagKey.Malformed", 400)
	more := sdk.CreateTagResourcesRequest()
	more.RegionId, more.ResourceType, more.ResourceId = region, "instance", &[]string{ids[0]}
	more.Tag = &[]sdk.TagResourcesTag{{Key: "extra", Value: "x"}}
	_, err = c.TagResources(more)
	wantError(t, "a 21st tag on a resource", err, "OperationDenied.QuotaExceed", 403)

	// 60 rows: a page of 50 with a NextToken, then one of 10 without.
	params := map[string]string{"RegionId": region, "ResourceType": "instance"}
	for i, id := range ids {
		params[fmt.Sprintf("ResourceId.%d", i+1)] = id
	}
	body, _, err := f.rpcPost(f.srv.AccessKeyID, f.srv.AccessKeySecret, "ListTagResources", params)
	must(t, err)
	rows := body["TagResources"].(map[string]any)["TagResource"].([]any)
	token, ok := body["NextToken"].(string)
	if len(rows) != 50 || !ok || token == "" {
		t.Fatalf("first page: %d rows, NextToken %v", len(rows), body["NextToken"])
	}
	params["NextToken"] = token
	body, _, err = f.rpcPost(f.srv.AccessKeyID, f.srv.AccessKeySecret, "ListTagResources", params)
	must(t, err)
	rows = body["TagResources"].(map[string]any)["TagResource"].([]any)
	if _, present := body["NextToken"]; len(rows) != 10 || present {
		t.Errorf("last page: %d rows, NextToken present: %v", len(rows), present)
	}
	if r := rows[9].(map[string]any); r["ResourceId"] != ids[2] || r["ResourceType"] != "instance" || r["TagKey"] != "k19" {
		t.Errorf("the last row: %v", r)
	}

	untag := sdk.CreateUntagResourcesRequest()
	untag.RegionId, untag.ResourceType, untag.ResourceId, untag.TagKey = region, "instance", &[]string{ids[0]}, &[]string{"k00", "k01", "absent"}
	must(t, mustOK(c.UntagResources(untag)))
	if i := f.describe(c, ids[0]); len(i.Tags.Tag) != 18 || i.Tags.Tag[0].TagKey != "k02" {
		t.Errorf("after UntagResources: %+v", i.Tags)
	}
	all := sdk.CreateUntagResourcesRequest()
	all.RegionId, all.ResourceType, all.ResourceId, all.All = region, "instance", &[]string{ids[1]}, requests.NewBoolean(true)
	must(t, mustOK(c.UntagResources(all)))
	if i := f.describe(c, ids[1]); len(i.Tags.Tag) != 0 {
		t.Errorf("after UntagResources All: %+v", i.Tags)
	}

	// The system disk keeps its own tags (volume_tags).
	disks := sdk.CreateDescribeDisksRequest()
	disks.RegionId, disks.InstanceId = region, ids[2]
	dr, err := c.DescribeDisks(disks)
	must(t, err)
	disk := dr.Disks.Disk[0].DiskId
	must(t, tag("disk", []string{disk}, 1))
	if dr, err := c.DescribeDisks(disks); err != nil || len(dr.Disks.Disk[0].Tags.Tag) != 1 || f.describe(c, ids[2]).Tags.Tag[0].TagKey != "k00" {
		t.Errorf("disk tags: %+v, %v", dr, err)
	}

	legacy := sdk.CreateDescribeTagsRequest()
	legacy.RegionId, legacy.ResourceType, legacy.ResourceId = region, "image", imageID
	if r, err := c.DescribeTags(legacy); err != nil || len(r.Tags.Tag) != 0 {
		t.Errorf("image tags (data alicloud_images): %+v, %v", r, err)
	}
	byType := sdk.CreateDescribeTagsRequest()
	byType.RegionId, byType.ResourceType = region, "instance"
	if r, err := c.DescribeTags(byType); err != nil || len(r.Tags.Tag) != 20 || r.Tags.Tag[2].ResourceTypeCount.Instance != 2 {
		t.Errorf("instance tags: %+v, %v", r, err)
	}

	// Resource groups: moved, then filtered on.
	for _, move := range []struct{ typ, id string }{{"instance", ids[0]}, {"securitygroup", sg}} {
		join := sdk.CreateJoinResourceGroupRequest()
		join.RegionId, join.ResourceType, join.ResourceId, join.ResourceGroupId = region, move.typ, move.id, "rg-acfmteam"
		must(t, mustOK(c.JoinResourceGroup(join)))
	}
	// A resource group filter shows the default group's resources too (the
	// DescribeInstances page says so), and not another group's.
	if i := f.describe(c, ids[0]); i.ResourceGroupId != "rg-acfmteam" {
		t.Errorf("the moved instance is in %s", i.ResourceGroupId)
	}
	moveOther := sdk.CreateJoinResourceGroupRequest()
	moveOther.RegionId, moveOther.ResourceType, moveOther.ResourceId, moveOther.ResourceGroupId = region, "instance", ids[1], "rg-acfmother"
	must(t, mustOK(c.JoinResourceGroup(moveOther)))
	byGroup := sdk.CreateDescribeInstancesRequest()
	byGroup.RegionId, byGroup.ResourceGroupId = region, "rg-acfmteam"
	if r, err := c.DescribeInstances(byGroup); err != nil || r.TotalCount != 2 || r.Instances.Instance[0].InstanceId != ids[0] || r.Instances.Instance[1].InstanceId != ids[2] {
		t.Errorf("by resource group: %+v, %v", r, err)
	}
	join := sdk.CreateJoinResourceGroupRequest()
	join.RegionId, join.ResourceType, join.ResourceId, join.ResourceGroupId = region, "instance", ids[0], "not-a-group"
	_, err = c.JoinResourceGroup(join)
	wantError(t, "a malformed group", err, "InvalidParameter.ResourceGroupId", 400)
}

// ecsIAM: account 2's root and two RAM users — one reading ECS, one
// managing groups but not instances; account 3 apart.
const ecsIAM = `{"accounts": [
 {"id": "1000000000000002",
  "accessKeys": [{"id": "AK2", "secret": "s2"}],
  "policies": [
   {"name": "Reader", "document": {"Version": "1", "Statement": [
     {"Effect": "Allow", "Action": "ecs:Describe*", "Resource": "*"}]}},
   {"name": "Groups", "document": {"Version": "1", "Statement": [
     {"Effect": "Allow", "Action": "ecs:*", "Resource": "acs:ecs:*:1000000000000002:securitygroup/*"},
     {"Effect": "Deny", "Action": "ecs:DeleteSecurityGroup", "Resource": "acs:ecs:cn-hangzhou:1000000000000002:securitygroup/*"}]}}
  ],
  "users": [
   {"name": "reader", "accessKeys": [{"id": "AK2-reader", "secret": "s-reader"}], "policies": ["Reader"]},
   {"name": "groups", "accessKeys": [{"id": "AK2-groups", "secret": "s-groups"}], "policies": ["Groups"]}
  ]},
 {"id": "1000000000000003", "accessKeys": [{"id": "AK3", "secret": "s3"}]}
]}`

// TestAccess: every action is ecs:<Action> on the resource's ARN; another
// account's resources are unknown (404), never forbidden.
func TestAccess(t *testing.T) {
	f := newFixture(t, slbcerttest.WithIAMJSON(ecsIAM))
	const acct = "1000000000000002"
	f.net.AddVSwitch(acct, region, vpcID, zoneH, vswH, "192.168.0.0/24")
	f.net.AddVSwitch("1000000000000003", region, vpcID, zoneH, vswH, "192.168.0.0/24")
	root, reader, groups, other := f.clientWithKey("AK2", "s2"), f.clientWithKey("AK2-reader", "s-reader"),
		f.clientWithKey("AK2-groups", "s-groups"), f.clientWithKey("AK3", "s3")

	sg := f.group(groups, vpcID) // allowed: securitygroup/*
	id := f.run(root, vswH, sg)
	if i := f.describe(reader, id); i == nil {
		t.Errorf("the reader does not see the instance")
	}
	_, err := reader.RunInstances(runRequest(vswH, sg))
	wantError(t, "the reader runs an instance", err, "NoPermission", 403)
	_, err = groups.RunInstances(runRequest(vswH, sg))
	wantError(t, "the group manager runs an instance", err, "NoPermission", 403)
	stop := sdk.CreateStopInstanceRequest()
	stop.InstanceId = id
	_, err = groups.StopInstance(stop)
	wantError(t, "the group manager stops an instance", err, "NoPermission", 403)
	del := sdk.CreateDeleteSecurityGroupRequest()
	del.RegionId, del.SecurityGroupId = region, sg
	_, err = groups.DeleteSecurityGroup(del)
	wantError(t, "an explicit Deny", err, "NoPermission", 403)

	// Account 3 knows nothing of account 2's resources.
	if i := f.describe(other, id); i != nil {
		t.Errorf("another account sees the instance")
	}
	_, err = other.StopInstance(stop)
	wantError(t, "another account stops the instance", err, "InvalidInstanceId.NotFound", 404)
	attr := sdk.CreateDescribeSecurityGroupAttributeRequest()
	attr.RegionId, attr.SecurityGroupId = region, sg
	_, err = other.DescribeSecurityGroupAttribute(attr)
	wantError(t, "another account reads the group", err, "InvalidSecurityGroupId.NotFound", 404)
	_, err = other.RunInstances(runRequest(vswH, sg))
	wantError(t, "another account runs in the group", err, "InvalidSecurityGroupId.NotFound", 404)
	list := sdk.CreateDescribeSecurityGroupsRequest()
	list.RegionId = region
	if r, err := other.DescribeSecurityGroups(list); err != nil || r.TotalCount != 0 {
		t.Errorf("another account lists groups: %+v, %v", r, err)
	}
	// Its own VPC has the same id: its own instance gets the same first
	// address, as separate VPCs may.
	otherSG := f.group(other, vpcID)
	mine := f.run(other, vswH, otherSG)
	if f.describe(other, mine).VpcAttributes.PrivateIpAddress.IpAddress[0] != f.describe(root, id).VpcAttributes.PrivateIpAddress.IpAddress[0] {
		t.Errorf("the accounts' VPCs share an allocator")
	}
}

// TestWire: the raw wire — XML answers, parameters the SDK always sends
// left out, bad values — never a server error.
func TestWire(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	sg := f.group(c, vpcID)
	id := f.run(c, vswH, sg)

	req := requests.NewCommonRequest()
	req.Domain, req.Version, req.ApiName, req.Scheme = f.srv.Endpoint, "2014-05-26", "DescribeInstances", f.srv.Scheme
	req.QueryParams["RegionId"] = region
	req.AcceptFormat = "XML"
	resp, err := c.ProcessCommonRequest(req)
	must(t, err)
	var x struct {
		XMLName   xml.Name
		Instances struct {
			Instance []struct {
				InstanceId    string
				VpcAttributes struct{ PrivateIpAddress struct{ IpAddress []string } }
			}
		}
	}
	if err := xml.Unmarshal(resp.GetHttpContentBytes(), &x); err != nil || x.XMLName.Local != "DescribeInstancesResponse" ||
		len(x.Instances.Instance) != 1 || x.Instances.Instance[0].InstanceId != id ||
		x.Instances.Instance[0].VpcAttributes.PrivateIpAddress.IpAddress[0] != "192.168.0.1" {
		t.Errorf("XML answer %s (%v)", resp.GetHttpContentString(), err)
	}

	for _, tc := range []struct {
		action string
		params map[string]string
		code   string
		status int
	}{
		{"DescribeInstances", map[string]string{}, "MissingParameter", 400},
		{"DescribeInstances", map[string]string{"RegionId": region, "InstanceIds": "[1,2"}, "InvalidParameter.IdsMalformed", 400},
		{"DescribeInstances", map[string]string{"RegionId": region, "PageSize": "1000"}, "InvalidPageSize.Malformed", 400},
		{"DescribeInstances", map[string]string{"RegionId": region, "NextToken": "garbage!"}, "InvalidNextToken.Malformed", 400},
		{"DescribeInstances", map[string]string{"RegionId": region, "Status": "Sleeping"}, "InvalidStatus.NotFound", 404},
		{"RunInstances", map[string]string{"RegionId": region, "InstanceType": typeID, "ImageId": imageID, "VSwitchId": vswH,
			"SecurityGroupId": sg, "SystemDisk.Size": "forty"}, "InvalidSystemDiskSize.ValueNotSupported", 400},
		{"RunInstances", map[string]string{"RegionId": region, "InstanceType": typeID, "ImageId": imageID, "VSwitchId": vswH,
			"SecurityGroupId": sg, "DeletionProtection": "maybe"}, "InvalidParameter", 400},
		{"AuthorizeSecurityGroup", map[string]string{"RegionId": region, "SecurityGroupId": sg, "IpProtocol": "tcp", "PortRange": "1/1",
			"SourceCidrIp": "0.0.0.0/0", "Permissions.1.IpProtocol": "tcp"}, "InvalidParam.Permissions", 400},
		{"AuthorizeSecurityGroup", map[string]string{"RegionId": region, "SecurityGroupId": sg}, "MissingParameter", 400},
		{"AuthorizeSecurityGroup", map[string]string{"RegionId": region, "SecurityGroupId": sg, "Permissions.1.IpProtocol": "tcp",
			"Permissions.1.PortRange": "1/1", "Permissions.1.SourceCidrIp": "0.0.0.0/0", "Permissions.1.Priority": "high"}, "InvalidPriority.Malformed", 400},
		{"StartInstance", map[string]string{}, "MissingParameter", 400},
		{"StopInstance", map[string]string{"InstanceId": id, "StoppedMode": "Frozen"}, "InvalidParameter", 400},
		{"DeleteInstances", map[string]string{"RegionId": region}, "MissingParameter", 400},
		{"TagResources", map[string]string{"RegionId": region, "ResourceType": "instance"}, "MissingParameter", 400},
		{"ListTagResources", map[string]string{"RegionId": region, "ResourceType": "instance", "NextToken": "x"}, "InvalidNextToken.Malformed", 400},
		{"DescribeAvailableResource", map[string]string{"RegionId": region, "DestinationResource": "InstanceType", "Memory": "lots"}, "InvalidParameter", 400},
		{"DescribeImages", map[string]string{"RegionId": region, "ImageOwnerAlias": "friends"}, "InvalidImageOwnerAlias.ValueNotSupported", 400},
		{"DescribeSecurityGroupAttribute", map[string]string{"RegionId": region, "SecurityGroupId": sg, "Direction": "sideways"}, "InvalidParameter", 400},
		{"DescribeInstanceTypes", map[string]string{"MinimumMemorySize": "x"}, "InvalidParameter", 400},
		{"JoinResourceGroup", map[string]string{"ResourceType": "instance", "ResourceId": id}, "MissingParameter", 400},
		{"NoSuchAction", map[string]string{"RegionId": region}, "InvalidAction.NotFound", 404},
	} {
		_, status, err := f.rpcPost(f.srv.AccessKeyID, f.srv.AccessKeySecret, tc.action, tc.params)
		if err == nil || status != tc.status || !strings.Contains(err.Error(), tc.code) {
			t.Errorf("%s %v: %d %v, want %s (%d)", tc.action, tc.params, status, err, tc.code, tc.status)
		}
	}

	// Anything at all: never 5xx.
	for _, action := range []string{"RunInstances", "DescribeInstances", "CreateSecurityGroup", "AuthorizeSecurityGroup",
		"RevokeSecurityGroupEgress", "ModifySecurityGroupRule", "ModifyInstanceAttribute", "DeleteInstance", "DescribeNetworkInterfaces",
		"DescribeDisks", "TagResources", "ListTagResources", "DescribeAvailableResource", "DescribeImages", "DescribeZones",
		"DescribeInstanceTypes", "JoinSecurityGroup", "DescribeTags", "DescribeInstanceRamRole", "DescribeInstanceAttachmentAttributes"} {
		for _, junk := range []map[string]string{
			{"RegionId": region, "InstanceId": "\u00e9\u00e9", "InstanceIds": "[\"" + strings.Repeat("i", 300) + "\"]", "SecurityGroupId": "' OR 1=1 --",
				"Permissions.1.IpProtocol": "tcp", "Permissions.1.PortRange": "99999/-5", "Amount": "-1", "PageNumber": "0",
				"ResourceType": "instance", "ResourceId.1": "%", "Tag.1.Key": "", "DestinationResource": "Zone", "Cores": "-3"},
			{"RegionId": region, "InstanceType": strings.Repeat("x", 5000), "ImageId": "../../etc/passwd", "VSwitchId": "vsw-\x01",
				"MaxResults": "99999999999999999999", "NextToken": "ZWNzOi0x", "PrivateIpAddress": "::1", "Permissions.1.SourceCidrIp": "10.0.0.0/-1"},
		} {
			_, status, err := f.rpcPost(f.srv.AccessKeyID, f.srv.AccessKeySecret, action, junk)
			if status >= 500 {
				t.Errorf("%s with junk: %d %v", action, status, err)
			}
		}
	}
}
