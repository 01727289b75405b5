package vpc

// Quotas of VPC in the IAM file ("quotas": {"vpcsPerRegion": 20}), each
// overriding the default beside it (Alibaba Cloud's default quotas).
const (
	QuotaVPCs           = "vpcsPerRegion"   // DefaultVPCQuota
	QuotaVSwitches      = "vSwitchesPerVpc" // DefaultVSwitchQuota
	DefaultVPCQuota     = 10
	DefaultVSwitchQuota = 150
)

// Quotas are the IAM file's quota names VPC enforces.
var Quotas = []string{QuotaVPCs, QuotaVSwitches}
