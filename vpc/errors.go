package vpc

import "net/http"

// VPC's codes (the VPC API pages' error tables, as the digest
// spec-neighbourhood.md §2.12 gathers them; where they leave a case open,
// docs/choices.md "VPC" says what was chosen). Spellings are Alibaba's,
// typos included: clients match them.
const (
	EVpcNotFound        = "InvalidVpcId.NotFound"
	EVSwitchNotFound    = "InvalidVSwitchId.NotFound"
	EZoneNotFound       = "InvalidZoneId.NotFound"
	ERouteTableNotFound = "InvalidRouteTableId.NotFound"
	EResourceNotFound   = "InvalidResourceId.NotFound"
	EResourceType       = "InvalidResourceType.NotFound"

	ECidrMalformed    = "InvalidCidrBlock.Malformed"
	ECidrMaskLength   = "InvalidCirdrBlock.MaskLength" // sic
	ECidrOverlapped   = "InvalidCidrBlock.Overlapped"
	EUserCidrInvalid  = "InvalidUserCidr.Malformed"
	EUserCidrQuota    = "InvalidUserCidr.Quota"
	EVpcName          = "InvalidVpcName.Malformed"
	EVpcDescription   = "InvalidVpcDiscription.Malformed" // sic
	EVSwitchName      = "InvalidVSwitchName.Malformed"
	EVSwitchDesc      = "InvalidVSwitchDiscription.Malformed" // sic
	EDescription      = "InvalidDescription.Malformed"
	ERouteTableName   = "InvalidRouteTableName.Malformed"
	EVpcQuota         = "QuotaExceeded.Vpc"
	EVSwitchQuota     = "QuotaExceeded.VSwitch"
	EDependencyVSw    = "DependencyViolation.VSwitch"
	EDependency       = "DependencyViolation"
	EDryRunOperation  = "DryRunOperation"
	EIncorrectVpc     = "IncorrectVpcStatus"
	EUnsupportedIPv6  = "OperationUnsupported.Ipv6"
	EIncorrectVSwitch = "IncorrectVSwitchStatus"
)

// Messages of the not-found answers, as the API pages give them.
const (
	MsgVpcNotFound     = "Specified VPC does not exist."
	MsgVSwitchNotFound = "Specified virtual switch does not exist."
	MsgZoneNotFound    = "Specified zone does not exist."
)

// Statuses are the HTTP statuses of VPC's codes that are not 400: every
// not-found is 404, which Terraform's waits take for "gone".
var Statuses = map[string]int{
	EVpcNotFound:        http.StatusNotFound,
	EVSwitchNotFound:    http.StatusNotFound,
	EZoneNotFound:       http.StatusNotFound,
	ERouteTableNotFound: http.StatusNotFound,
	EResourceNotFound:   http.StatusNotFound,
}
