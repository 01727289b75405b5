package server_test

import (
	"encoding/json"
	"fmt"
	"slbcert/internal/e2e"

	"slbcert"
)

// The hostile sweep's share of VPC (2016-04-28) and Resource Manager
// (2020-03-31): their fixture (a VPC with a vSwitch, and an empty VPC and
// vSwitch to delete; "free" keys, so SLB's baselines leave them out) and
// each action's valid parameters.

// hostileVPCQuotas lifts VPC's quotas out of the sweep's reach.
const hostileVPCQuotas = `"vpcsPerRegion": 100000, "vSwitchesPerVpc": 100000, `

// refusedActions never succeed, whatever the parameters: their valid
// call is a refusal with a code.
var refusedActions = map[string]bool{
	"2020-03-31/CreateResourceGroup": true, "2020-03-31/UpdateResourceGroup": true, "2020-03-31/DeleteResourceGroup": true,
}

// vpcMust calls a VPC action and fails the test unless it succeeds.
func (e *hostileEnv) vpcMust(action string, params map[string]string) map[string]any {
	e.t.Helper()
	_, body, err := e.call("Vpc", "2016-04-28", action, params, false)
	if err != nil {
		e.t.Fatalf("%s %v: %v", action, params, err)
	}
	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		e.t.Fatalf("%s: %v", action, err)
	}
	return out
}

// vpcFixture adds VPC's objects to fixture f.
func (e *hostileEnv) vpcFixture(f map[string]string) {
	v := e.vpcMust("CreateVpc", map[string]string{"RegionId": "cn-hangzhou", "CidrBlock": "192.168.0.0/16"})
	vpcID := v["VpcId"].(string)
	sw := e.vpcMust("CreateVSwitch", map[string]string{"RegionId": "cn-hangzhou", "VpcId": vpcID, "ZoneId": "cn-hangzhou-h", "CidrBlock": "192.168.1.0/24"})
	free := e.vpcMust("CreateVSwitch", map[string]string{"RegionId": "cn-hangzhou", "VpcId": vpcID, "ZoneId": "cn-hangzhou-h", "CidrBlock": "192.168.2.0/24"})
	empty := e.vpcMust("CreateVpc", map[string]string{"RegionId": "cn-hangzhou"})
	f["freeVpcId"], f["freeVSwitchId"], f["freeRouteTableId"] = vpcID, sw["VSwitchId"].(string), v["RouteTableId"].(string)
	f["freeDelVSwitchId"], f["freeDelVpcId"] = free["VSwitchId"].(string), empty["VpcId"].(string)
}

// vpcBaseline returns valid parameters of a VPC or Resource Manager action
// over fixture f (false for other versions).
func (e *hostileEnv) vpcBaseline(version, action string, f map[string]string) (map[string]string, bool) {
	switch version {
	case "2016-04-28":
	case "2020-03-31":
		p := map[string]string{}
		switch action {
		case "GetResourceGroup", "UpdateResourceGroup", "DeleteResourceGroup":
			p["ResourceGroupId"] = slbcert.DefaultResourceGroupID(e2e.STSAccountA)
		case "CreateResourceGroup":
			p["Name"], p["DisplayName"] = "new", "New"
		}
		return p, true
	default:
		return nil, false
	}
	p := map[string]string{"RegionId": "cn-hangzhou"}
	vpcID, vsw := f["freeVpcId"], f["freeVSwitchId"]
	switch action {
	case "CreateVpc":
		p["CidrBlock"], p["VpcName"] = "10.20.0.0/16", "v"
	case "DescribeVpcAttribute", "DescribeVSwitches", "DescribeRouteTableList":
		p["VpcId"] = vpcID
	case "ModifyVpcAttribute":
		p["VpcId"], p["VpcName"] = vpcID, "renamed"
	case "DeleteVpc":
		p["VpcId"] = f["freeDelVpcId"]
	case "CreateVSwitch":
		p["VpcId"], p["ZoneId"], p["CidrBlock"] = vpcID, "cn-hangzhou-h", fmt.Sprintf("192.168.%d.0/24", 3+e.seq.Add(1)%250)
	case "DescribeVSwitchAttributes":
		p["VSwitchId"] = vsw
	case "ModifyVSwitchAttribute":
		p["VSwitchId"], p["VSwitchName"] = vsw, "renamed"
	case "DeleteVSwitch":
		p["VSwitchId"] = f["freeDelVSwitchId"]
	case "ModifyRouteTableAttributes":
		p["RouteTableId"], p["RouteTableName"] = f["freeRouteTableId"], "rt"
	case "TagResources":
		p["ResourceType"], p["ResourceId.1"], p["Tag.1.Key"], p["Tag.1.Value"] = "VPC", vpcID, "k", "v"
	case "UnTagResources":
		p["ResourceType"], p["ResourceId.1"], p["TagKey.1"] = "VPC", vpcID, "k"
	case "ListTagResources":
		p["ResourceType"], p["ResourceId.1"] = "VSWITCH", vsw
	case "MoveResourceGroup":
		p["ResourceType"], p["ResourceId"], p["NewResourceGroupId"] = "Vpc", vpcID, "rg-aekzabcdefghijk"
	}
	return p, true
}
