package ecs

import (
	"net/http"

	"slbcert"
)

// ECS's error codes, as Alibaba's ECS API reference pages list them
// (RunInstances, CreateSecurityGroup, AuthorizeSecurityGroup,
// RevokeSecurityGroup, DeleteSecurityGroup, DescribeAvailableResource,
// TagResources …). The few the pages leave open are marked [CHOICE] and
// listed in docs/choices.md ("ECS"). Statuses gives those that are not 400.
const (
	// Objects that are not found (another account's, another region's).
	EInstanceNotFound      = "InvalidInstanceId.NotFound"
	ESecurityGroupNotFound = "InvalidSecurityGroupId.NotFound"
	EImageNotFound         = "InvalidImageId.NotFound"
	EZoneNotFound          = "InvalidZoneId.NotFound"
	EVSwitchNotFound       = "InvalidVSwitchId.NotFound"
	EVpcNotFound           = "InvalidVpcId.NotFound"
	ESourceGroupNotFound   = "InvalidSourceGroupId.NotFound"
	EDestGroupNotFound     = "InvalidDestGroupId.NotFound"
	EPrefixListNotFound    = "InvalidPrefixListId.NotFound"
	ERuleIDNotFound        = "InvalidSecurityGroupRuleId.NotFound"
	EResourceIDNotFound    = "InvalidResourceId.NotFound"
	EKeyPairNotFound       = "InvalidKeyPairName.NotFound"

	// Security groups and their rules.
	ESecurityGroupName     = "InvalidSecurityGroupName.Malformed"
	EDescription           = "InvalidDescription.Malformed"
	ESecurityGroupType     = "InvalidSecurityGroupType.ValueNotSupported" // [CHOICE]
	ESecurityGroupQuota    = "QuotaExceed.SecurityGroup"
	EIPProtocol            = "InvalidIpProtocol.ValueNotSupported"
	EPortRangeMissing      = "InvalidPortRange.Malformed"
	EPortRangeFormat       = "InvalidParam.PortRange"
	EPortRange             = "InvalidIpPortRange.Malformed"
	ESourcePortRange       = "InvalidSourcePortRange.Malformed"
	EMissingSource         = "MissingParameter.Source"
	EMissingDestination    = "MissingParameter.Destination"
	ESourceCidr            = "InvalidSourceCidrIp.Malformed"
	EDestCidr              = "InvalidDestCidrIp.Malformed"
	EIPv6SourceCidr        = "InvalidParam.Ipv6SourceCidrIp"
	EIPv6DestCidr          = "InvalidParam.Ipv6DestCidrIp"
	ESourceIPBoth          = "InvalidParam.SourceIp"
	EDestIPBoth            = "InvalidParam.DestIp"
	EIPv4ProtocolIPv6      = "InvalidParam.Ipv4ProtocolConflictWithIpv6Address"
	EIPv6ProtocolIPv4      = "InvalidParam.Ipv6ProtocolConflictWithIpv4Address"
	ESourceGroupMismatch   = "InvalidSourceGroupId.Mismatch"
	EDestGroupMismatch     = "InvalidDestGroupId.Mismatch"
	EGroupSelf             = "InvalidParamter.Conflict" // sic
	EEnterpriseGroupRule   = "InvalidGroupParameter.OperationDenied"
	EEnterpriseGroupTarget = "InvalidGroupAuthParameter.OperationDenied"
	EPolicy                = "InvalidPolicy.Malformed"
	EPriorityMalformed     = "InvalidPriority.Malformed"
	EPriority              = "InvalidPriority.ValueNotSupported"
	ENicType               = "InvalidNicType.ValueNotSupported"
	ENicTypeMismatch       = "InvalidNicType.Mismatch"
	ERuleDescription       = "InvalidSecurityGroupDiscription.Malformed" // sic
	EPermissionsAndFields  = "InvalidParam.Permissions"
	EDuplicatePermissions  = "InvalidParam.DuplicatePermissions"
	ERuleLimit             = "AuthorizationLimitExceed"
	ERuleNotExist          = "InvalidSecurityGroupRule.RuleNotExist"
	EInnerAccessPolicy     = "InvalidInnerAccessPolicy.Malformed" // [CHOICE]
	EDependencyViolation   = "DependencyViolation"

	// Instances.
	EInstanceType            = "InvalidInstanceType.ValueNotSupported"
	EInstanceTypeZone        = "InvalidInstanceType.ZoneNotSupported"
	ENoStock                 = "OperationDenied.NoStock"
	EImageTypeConflict       = "InvalidParameter.Conflict"
	EMismatch                = "InvalidParameter.Mismatch"
	EPrivateIP               = "InvalidPrivateIpAddress"
	EPrivateIPMalformed      = "InvalidPrivateIpAddress.Malformed"
	EPrivateIPDuplicated     = "InvalidPrivateIpAddress.Duplicated"
	EPrivateIPExhausted      = "QuotaExceeded.PrivateIpAddress"
	EInstanceName            = "InvalidInstanceName.Malformed"
	EHostName                = "InvalidHostName.Malformed"
	EPassword                = "InvalidPassword.Malformed"
	EInstanceChargeType      = "InvalidInstanceChargeType.NotFound"
	EInternetChargeType      = "InvalidInternetChargeType.ValueNotSupported"
	EBandwidthOut            = "InvalidInternetMaxBandwidthOut.Malformed"
	EBandwidthIn             = "InvalidInternetMaxBandwidthIn.Malformed"
	ESystemDiskCategory      = "InvalidSystemDiskCategory.ValueNotSupported"
	EDiskCategoryForType     = "InvalidDiskCategory.NotSupported"
	ESystemDiskSize          = "InvalidSystemDiskSize.ValueNotSupported" // [CHOICE]
	ESystemDiskSmall         = "InvalidSystemDiskSize.LessThanImageSize"
	EPerformanceLevel        = "InvalidPerformanceLevel.Malformed" // [CHOICE]
	EDiskName                = "InvalidDiskName.Malformed"
	EDiskDescription         = "InvalidDiskDescription.Malformed"
	EUserDataSize            = "InvalidUserData.SizeExceeded"
	EUserDataBase64          = "InvalidUserData.Base64FormatInvalid"
	ESpotStrategy            = "InvalidSpotStrategy"
	EIoOptimized             = "InvalidIoOptimize.ValueNotSupported"
	EAutoReleaseTime         = "InvalidAutoReleaseTime.Malformed"
	EInstanceQuota           = "QuotaExceed.AfterpayInstance"
	EIncorrectInstanceStatus = "IncorrectInstanceStatus"
	EInstanceInitializing    = "IncorrectInstanceStatus.Initializing"
	EDeletionProtection      = "InvalidOperation.DeletionProtection"
	EInstanceInGroup         = "InvalidInstanceId.AlreadyExists"
	ELastSecurityGroup       = "InvalidOperation.InstanceLastSecurityGroup" // [CHOICE]
	EGroupsPerInstance       = "InvalidSecurityGroupId.TooMany"             // [CHOICE]
	EAmount                  = "InvalidAmount.Malformed"                    // [CHOICE]

	// Catalogue reads.
	EDestinationMissing = "Invalid.Param"
	EDestination        = "Invalid.DestinationResource"
	EIoOptimizedValue   = "Invalid.IoOptimized"
	EChargeTypeValue    = "Invalid.InstanceChargeType"
	EResourceTypeValue  = "Invalid.ResourceType"
	ETypeAndCPUMem      = "InvalidParam.TypeAndCpuMem.Conflict"
	ECoresGiven         = "InvalidParam.Cores"
	EMemoryGiven        = "InvalidParam.Memory"
	EImageOwnerAlias    = "InvalidImageOwnerAlias.ValueNotSupported"
	EArchitecture       = "InvalidArchitecture.Malformed"
	EOSType             = "InvalidOSType.ValueNotSupported"
	EUsage              = "InvalidUsage.ValueNotSupported"
	EImageStatus        = "InvalidStatus.ValueNotSupported"
	EInstanceStatus     = "InvalidStatus.NotFound"
	ENetworkType        = "InvalidNetworkType.NotFound"
	EAcceptLanguage     = "InvalidAcceptLanguage.NotFound"

	// Tags and resource groups.
	ETagKey          = "InvalidTagKey.Malformed"
	ETagValue        = "InvalidTagValue.Malformed"
	ETagCount        = "InvalidTagCount"
	ETagQuota        = "OperationDenied.QuotaExceed"
	EResourceType    = "InvalidResourceType.NotSupported"
	EResourceIDCount = "InvalidResourceId.TooMany" // [CHOICE]

	// Shared.
	EOperationDenied = "OperationDenied"
	EDryRun          = "DryRunOperation"
	EMaxResults      = "InvalidMaxResults.Malformed"   // [CHOICE]
	ENextToken       = "InvalidNextToken.Malformed"    // [CHOICE]
	EPageNumber      = "InvalidPageNumber.Malformed"   // [CHOICE]
	EPageSize        = "InvalidPageSize.Malformed"     // [CHOICE]
	EIDList          = "InvalidParameter.IdsMalformed" // [CHOICE]
)

// Statuses are the HTTP statuses of ECS's codes that are not 400. Every
// "not found" is 404: Terraform forgets a resource on a 404, whatever its
// code (spec-neighbourhood.md §1.5).
var Statuses = map[string]int{
	EInstanceNotFound:        http.StatusNotFound,
	ESecurityGroupNotFound:   http.StatusNotFound,
	EImageNotFound:           http.StatusNotFound,
	EZoneNotFound:            http.StatusNotFound,
	EVSwitchNotFound:         http.StatusNotFound,
	EVpcNotFound:             http.StatusNotFound,
	ESourceGroupNotFound:     http.StatusNotFound,
	EDestGroupNotFound:       http.StatusNotFound,
	EPrefixListNotFound:      http.StatusNotFound,
	ERuleIDNotFound:          http.StatusNotFound,
	EResourceIDNotFound:      http.StatusNotFound,
	EKeyPairNotFound:         http.StatusNotFound,
	ESystemDiskSmall:         http.StatusNotFound,
	EInstanceChargeType:      http.StatusNotFound,
	EDestination:             http.StatusNotFound,
	EIoOptimizedValue:        http.StatusNotFound,
	EResourceTypeValue:       http.StatusNotFound,
	EInstanceStatus:          http.StatusNotFound,
	ENetworkType:             http.StatusNotFound,
	EAcceptLanguage:          http.StatusNotFound,
	EArchitecture:            http.StatusNotFound,
	EOSType:                  http.StatusNotFound,
	EUsage:                   http.StatusNotFound,
	ESecurityGroupQuota:      http.StatusForbidden,
	ERuleLimit:               http.StatusForbidden,
	ENicTypeMismatch:         http.StatusForbidden,
	EDependencyViolation:     http.StatusForbidden,
	EInstanceTypeZone:        http.StatusForbidden,
	ENoStock:                 http.StatusForbidden,
	EDiskCategoryForType:     http.StatusForbidden,
	EIncorrectInstanceStatus: http.StatusForbidden,
	EInstanceInitializing:    http.StatusForbidden,
	EDeletionProtection:      http.StatusForbidden,
	EInstanceInGroup:         http.StatusForbidden,
	ELastSecurityGroup:       http.StatusForbidden,
	EOperationDenied:         http.StatusForbidden,
	ETypeAndCPUMem:           http.StatusForbidden,
	ECoresGiven:              http.StatusForbidden,
	EMemoryGiven:             http.StatusForbidden,
	ETagQuota:                http.StatusForbidden,
}

// errorf is slbcert.Errorf, short.
func errorf(code, format string, args ...any) *slbcert.Error {
	return slbcert.Errorf(code, format, args...)
}

// The not-found answers, one per object (RunInstances, DescribeInstanceAttribute,
// DescribeSecurityGroupAttribute … pages).
func errInstanceNotFound(id string) *slbcert.Error {
	return errorf(EInstanceNotFound, "The specified InstanceId does not exist: %s.", id)
}

func errSecurityGroupNotFound(id string) *slbcert.Error {
	return errorf(ESecurityGroupNotFound, "The specified SecurityGroupId does not exist: %s.", id)
}

func errImageNotFound(id string) *slbcert.Error {
	return errorf(EImageNotFound, "The specified ImageId does not exist: %s.", id)
}

func errZoneNotFound(id string) *slbcert.Error {
	return errorf(EZoneNotFound, "The specified ZoneId does not exist: %s.", id)
}

func errVSwitchNotFound(id string) *slbcert.Error {
	return errorf(EVSwitchNotFound, "Specified virtual switch does not exist: %s.", id)
}

func errVpcNotFound(id string) *slbcert.Error {
	return errorf(EVpcNotFound, "The specified VpcId does not exist: %s.", id)
}

// errDryRun is the answer of a request with DryRun=true whose checks passed.
func errDryRun() *slbcert.Error {
	return errorf(EDryRun, "Request validation has been passed with DryRun flag set.")
}
