// Package ecsapi is the ECS product (Ecs 2014-05-26) on the RPC wire: its
// action table, the typed inputs it reads from each call, and its answers
// in the shapes of the official Go SDK's structs (services/ecs), which is
// what the SDK, Terraform's provider and the Kubernetes cloud controller
// decode. The rules live in package ecs.
//
// The answer structs name their fields as the wire does (InstanceId, not
// InstanceID), as the SDK's own structs do: JSON and XML then need no tags,
// and a field can be checked against the SDK by name.
package ecsapi

import (
	"slbcert/ecs"
	"slbcert/rpc"
)

// API is ECS's wire.
type API struct {
	ECS *ecs.Service
}

// Product returns ECS's action table for the gateway.
func (a *API) Product() *rpc.Product {
	return &rpc.Product{Code: "Ecs", HostID: "ecs.aliyuncs.com", Statuses: ecs.Statuses, Versions: map[string]rpc.Actions{
		ecs.Version: {
			"DescribeRegions":                   a.describeRegions,
			"DescribeZones":                     a.describeZones,
			"DescribeAvailableResource":         a.describeAvailableResource,
			"DescribeImages":                    a.describeImages,
			"DescribeInstanceTypes":             a.describeInstanceTypes,
			"DescribeInstanceTypeFamilies":      a.describeInstanceTypeFamilies,
			"DescribeImageSupportInstanceTypes": a.describeImageSupportInstanceTypes,

			"CreateSecurityGroup":            a.createSecurityGroup,
			"DescribeSecurityGroups":         a.describeSecurityGroups,
			"DescribeSecurityGroupAttribute": a.describeSecurityGroupAttribute,
			"AuthorizeSecurityGroup":         a.authorize(ecs.Ingress),
			"AuthorizeSecurityGroupEgress":   a.authorize(ecs.Egress),
			"RevokeSecurityGroup":            a.revoke(ecs.Ingress),
			"RevokeSecurityGroupEgress":      a.revoke(ecs.Egress),
			"ModifySecurityGroupRule":        a.modifyRule(ecs.Ingress),
			"ModifySecurityGroupEgressRule":  a.modifyRule(ecs.Egress),
			"ModifySecurityGroupAttribute":   a.modifySecurityGroupAttribute,
			"ModifySecurityGroupPolicy":      a.modifySecurityGroupPolicy,
			"DeleteSecurityGroup":            a.deleteSecurityGroup,

			"RunInstances":                          a.runInstances,
			"CreateInstance":                        a.createInstance,
			"DescribeInstances":                     a.describeInstances,
			"DescribeInstanceAttribute":             a.describeInstanceAttribute,
			"DescribeInstanceStatus":                a.describeInstanceStatus,
			"StartInstance":                         a.startInstance,
			"StopInstance":                          a.stopInstance,
			"RebootInstance":                        a.rebootInstance,
			"DeleteInstance":                        a.deleteInstance,
			"DeleteInstances":                       a.deleteInstances,
			"ModifyInstanceAttribute":               a.modifyInstanceAttribute,
			"JoinSecurityGroup":                     a.joinSecurityGroup,
			"LeaveSecurityGroup":                    a.leaveSecurityGroup,
			"DescribeNetworkInterfaces":             a.describeNetworkInterfaces,
			"DescribeDisks":                         a.describeDisks,
			"DescribeUserData":                      a.describeUserData,
			"DescribeInstanceRamRole":               a.describeInstanceRamRole,
			"DescribeInstanceMaintenanceAttributes": a.describeInstanceMaintenanceAttributes,
			"DescribeInstanceAttachmentAttributes":  a.describeInstanceAttachmentAttributes,

			"TagResources":      a.tagResources,
			"UntagResources":    a.untagResources,
			"ListTagResources":  a.listTagResources,
			"DescribeTags":      a.describeTags,
			"JoinResourceGroup": a.joinResourceGroup,
		},
	}}
}

// base carries the RequestId every answer starts with.
type base = rpc.Response
