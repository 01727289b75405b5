package server_test

import (
	"encoding/json"
	"strconv"
)

// ecsVersion is ECS's API version in the sweep.
const ecsVersion = "2014-05-26"

// ecsCall calls an ECS action and fails the test unless it succeeds.
func (e *hostileEnv) ecsCall(action string, params map[string]string) map[string]any {
	e.t.Helper()
	_, body, err := e.call("Ecs", ecsVersion, action, params, false)
	if err != nil {
		e.t.Fatalf("%s %v: %v", action, params, err)
	}
	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		e.t.Fatalf("%s: %v", action, err)
	}
	return out
}

// ecsFixture creates ECS's share of a fixture: three groups of the sweep's
// VPC (the instance is in the first two), a free group, a running instance
// with a rule each way in its group, a free running instance and a stopped
// one. It returns their ids in that order.
func (e *hostileEnv) ecsFixture() [7]string {
	e.t.Helper()
	group := func() string {
		return e.ecsCall("CreateSecurityGroup", map[string]string{"RegionId": "cn-hangzhou", "VpcId": hostileVPC, "SecurityGroupName": "web"})["SecurityGroupId"].(string)
	}
	var ids [7]string
	for i := range 4 {
		ids[i] = group()
	}
	e.ecsCall("AuthorizeSecurityGroup", map[string]string{"RegionId": "cn-hangzhou", "SecurityGroupId": ids[0],
		"Permissions.1.IpProtocol": "tcp", "Permissions.1.PortRange": "22/22", "Permissions.1.SourceCidrIp": "10.0.0.0/8"})
	e.ecsCall("AuthorizeSecurityGroupEgress", map[string]string{"RegionId": "cn-hangzhou", "SecurityGroupId": ids[0],
		"Permissions.1.IpProtocol": "all", "Permissions.1.PortRange": "-1/-1", "Permissions.1.DestCidrIp": "0.0.0.0/0"})
	run := func(action string, groups ...string) string {
		p := map[string]string{"RegionId": "cn-hangzhou", "InstanceType": "ecs.g6.large", "ImageId": "aliyun_3_x64_20G_alibase_20240528.vhd",
			"VSwitchId": hostileVSwitch, "Tag.1.Key": "app", "Tag.1.Value": "web"}
		for i, g := range groups {
			p["SecurityGroupIds."+strconv.Itoa(i+1)] = g
		}
		out := e.ecsCall(action, p)
		if action == "CreateInstance" {
			return out["InstanceId"].(string)
		}
		return out["InstanceIdSets"].(map[string]any)["InstanceIdSet"].([]any)[0].(string)
	}
	ids[4] = run("RunInstances", ids[0], ids[1])
	ids[5] = run("RunInstances", ids[0])
	ids[6] = run("CreateInstance", ids[0])
	return ids
}

// ecsBaseline returns valid parameters for an ECS action over fixture f.
func (e *hostileEnv) ecsBaseline(action string, f map[string]string) map[string]string {
	p := map[string]string{"RegionId": "cn-hangzhou"}
	set := func(kv ...string) {
		for i := 0; i < len(kv); i += 2 {
			p[kv[i]] = kv[i+1]
		}
	}
	group, instance := f["ecs.group"], f["ecs.instance"]
	rule := []string{"IpProtocol", "tcp", "PortRange", "22/22", "SourceCidrIp", "10.0.0.0/8", "Policy", "accept", "Priority", "1", "NicType", "intranet"}
	switch action {
	case "DescribeRegions", "DescribeInstanceTypes":
		delete(p, "RegionId")
	case "DescribeAvailableResource":
		set("DestinationResource", "InstanceType", "ZoneId", "cn-hangzhou-h", "Cores", "2", "Memory", "8")
	case "DescribeImages":
		set("ImageOwnerAlias", "system", "PageSize", "100")
	case "DescribeImageSupportInstanceTypes":
		set("ImageId", "aliyun_3_x64_20G_alibase_20240528.vhd")
	case "CreateSecurityGroup":
		set("VpcId", hostileVPC, "SecurityGroupName", "web", "Description", "the web tier", "Tag.1.Key", "k", "Tag.1.Value", "v")
	case "DescribeSecurityGroups":
		set("SecurityGroupId", group)
	case "DescribeSecurityGroupAttribute":
		set("SecurityGroupId", group, "Direction", "ingress", "NicType", "<nil>")
	case "AuthorizeSecurityGroup":
		set("SecurityGroupId", group, "Permissions.1.IpProtocol", "tcp", "Permissions.1.PortRange", "80/80",
			"Permissions.1.SourceCidrIp", "0.0.0.0/0", "Permissions.1.Description", "web")
	case "AuthorizeSecurityGroupEgress":
		set("SecurityGroupId", group, "Permissions.1.IpProtocol", "udp", "Permissions.1.PortRange", "53/53", "Permissions.1.DestCidrIp", "10.0.0.0/8")
	case "RevokeSecurityGroup":
		set(append([]string{"SecurityGroupId", group, "Description", ""}, rule...)...)
		set("PortRange", "23/23") // not the fixture's: the modify below keeps its rule
	case "RevokeSecurityGroupEgress":
		set("SecurityGroupId", group, "IpProtocol", "tcp", "PortRange", "25/25", "DestCidrIp", "0.0.0.0/0")
	case "ModifySecurityGroupRule":
		set(append([]string{"SecurityGroupId", group, "Description", "ssh"}, rule...)...)
	case "ModifySecurityGroupEgressRule":
		set("SecurityGroupId", group, "IpProtocol", "all", "PortRange", "-1/-1", "DestCidrIp", "0.0.0.0/0", "Description", "out")
	case "ModifySecurityGroupAttribute":
		set("SecurityGroupId", group, "SecurityGroupName", "renamed", "Description", "renamed")
	case "ModifySecurityGroupPolicy":
		set("SecurityGroupId", group, "InnerAccessPolicy", "Drop")
	case "DeleteSecurityGroup":
		set("SecurityGroupId", f["ecs.freeGroup"])
	case "RunInstances", "CreateInstance":
		set("InstanceType", "ecs.g6.large", "ImageId", "aliyun_3_x64_20G_alibase_20240528.vhd", "VSwitchId", hostileVSwitch,
			"SecurityGroupId", group, "InstanceName", "web", "SystemDisk.Category", "cloud_essd", "SystemDisk.Size", "40",
			"UserData", "ZWNobyBoaQ==", "Tag.1.Key", "k", "Tag.1.Value", "v")
	case "DescribeInstances":
		set("InstanceIds", `["`+instance+`"]`, "MaxResults", "100", "AdditionalAttributes.1", "NETWORK_PRIMARY_ENI_IP")
	case "DescribeInstanceAttribute", "DescribeUserData", "DescribeNetworkInterfaces":
		set("InstanceId", instance)
	case "DescribeDisks":
		set("InstanceId", instance, "DiskType", "system")
	case "DescribeInstanceStatus", "DescribeInstanceMaintenanceAttributes":
		set("InstanceId.1", instance)
	case "DescribeInstanceRamRole", "DescribeInstanceAttachmentAttributes":
		set("InstanceIds", `["`+instance+`"]`)
	case "StartInstance":
		set("InstanceId", f["ecs.stopped"])
	case "StopInstance", "RebootInstance":
		set("InstanceId", instance)
	case "DeleteInstance":
		set("InstanceId", f["ecs.freeInstance"], "Force", "true")
	case "DeleteInstances":
		set("InstanceId.1", f["ecs.freeInstance"], "Force", "true")
	case "ModifyInstanceAttribute":
		set("InstanceId", instance, "InstanceName", "renamed", "Description", "renamed")
	case "JoinSecurityGroup":
		set("InstanceId", instance, "SecurityGroupId", f["ecs.group3"])
	case "LeaveSecurityGroup":
		set("InstanceId", instance, "SecurityGroupId", f["ecs.group2"])
	case "TagResources":
		set("ResourceType", "instance", "ResourceId.1", instance, "Tag.1.Key", "k", "Tag.1.Value", "v")
	case "UntagResources":
		set("ResourceType", "instance", "ResourceId.1", instance, "TagKey.1", "app")
	case "ListTagResources":
		set("ResourceType", "instance", "ResourceId.1", instance)
	case "DescribeTags":
		set("ResourceType", "instance", "ResourceId", instance)
	case "JoinResourceGroup":
		set("ResourceType", "instance", "ResourceId", instance, "ResourceGroupId", "rg-aekzabcdefghijk")
	}
	return p
}
