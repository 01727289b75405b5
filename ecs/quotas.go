package ecs

// The IAM file's names for the limits ECS enforces, with their defaults
// (docs/choices.md, "ECS": Alibaba's published defaults where there are
// some, the project's choice otherwise). An account's "quotas" entry may
// set each.
const (
	// QuotaSecurityGroups bounds an account's security groups in a region
	// (403 QuotaExceed.SecurityGroup).
	QuotaSecurityGroups        = "securityGroupsPerRegion"
	DefaultSecurityGroupsQuota = 100
	// QuotaRules bounds the rules of one security group, both directions
	// together (403 AuthorizationLimitExceed); Alibaba's default is 200.
	QuotaRules        = "rulesPerSecurityGroup"
	DefaultRulesQuota = 200
	// QuotaInstances bounds an account's instances in a region (400
	// QuotaExceed.AfterpayInstance).
	QuotaInstances        = "instancesPerRegion"
	DefaultInstancesQuota = 100
	// QuotaGroupsPerInstance bounds the security groups one instance is
	// in; Alibaba's default is 5.
	QuotaGroupsPerInstance        = "securityGroupsPerInstance"
	DefaultGroupsPerInstanceQuota = 5
)

// Quotas are the IAM file's quota names ECS enforces.
var Quotas = []string{QuotaSecurityGroups, QuotaRules, QuotaInstances, QuotaGroupsPerInstance}
