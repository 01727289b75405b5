package slb

import (
	"errors"
	"net/http"
)

// Codes of the certificate operations (contract.md §3, §4).
const (
	EServerCertNotSupported = "ServerCertificate.NotSupport"
	EInvalidServerCertName  = "InvalidParameter.ServerCertificateName"
	EInvalidCACertName      = "InvalidParameter.CACertificateName"
	EInvalidAliCloudCertID  = "InvalidParameter.AliCloudCertificateId"
	EServerCertNotFound     = "ServerCertificateId.NotFound"
	ECACertNotFound         = "CACertificateId.NotFound"
	EServerCertRGMismatch   = "Abs.ServerCertificateIdAndResourceGroupId.MissMatch"
	ECACertRGMismatch       = "Abs.CACertificateIdAndResourceGroupId.MissMatch"
)

// Codes of the load-balancer family (clb-listeners.md §1.4). Where the
// digest leaves a code open ([?]), docs/choices.md says which was chosen.
const (
	ELoadBalancerNotFound     = "InvalidLoadBalancerId.NotFound"
	EDeleteProtectionIsOn     = "OperationDenied.DeleteProtectionIsOn"
	ELoadBalancerQuota        = "ORDER.QUANTITY_INVALID"
	EOperationNotAllowed      = "Operation.NotAllowed"
	EActionNotAllowed         = "ActionNotAllowed"
	EListenerAlreadyExists    = "ListenerAlreadyExists"
	EListenerNotFound         = "ListenerNotFound"
	EListenerNumberOverLimit  = "ListenerNumberOverLimit"
	EUnsupportedProtocolPort  = "UnsupportedOperationonfixedprotocalport" // sic
	EGroupKindsMissMatch      = "Abs.VServerGroupIdAndMasterSlaveServerGroupId.MissMatch"
	ERspoolVipExist           = "RspoolVipExist"
	ETooManyBackendServers    = "TooManyBackendServers"
	EDomainExtensionNotFound  = "InvalidParameter.DomainExtensionId"
	EDomainExtensionOverLimit = "DomainExtensionNumberOverLimit"
	EDomainExtensionExists    = "DomainExtensionAlreadyExists"
	ESharedInstanceNotSupport = "OperationDenied.SharedInstanceNotSupport"
	ECertificateInUse         = "CertificateAndPrivateKeyIsRefered" // sic
	ETLSCipherPolicyNotFound  = "TLSCipherPolicy.NotFound"
	ETLSCipherPolicyInUse     = "TLSCipherPolicy.InUse"
	EAddressNotInSubnet       = "InvalidParameter.Address"
	EAddressPoolExhausted     = "OperationFailed.AddressPoolExhausted"
)

// Messages clients match on rather than codes (contract.md §7,
// clb-listeners.md §1.4).
const (
	// MsgResourceNotExist is what every not-found answer for load balancers
	// and listeners contains; Terraform decides "gone" on it.
	MsgResourceNotExist = "The specified resource does not exist"
	// MsgVServerGroupNotExist is the InvalidParameter message (404) for an
	// unknown VServer group or one of another load balancer.
	MsgVServerGroupNotExist = "The specified VServerGroupId does not exist."
)

// ErrAddressInUse and ErrAddressPoolExhausted are returned by
// CreateLoadBalancer when the address asked for is taken, or when no
// address of the pool is free.
var (
	ErrAddressInUse         = errors.New("address in use")
	ErrAddressPoolExhausted = errors.New("address pool exhausted")
)

// Statuses are the HTTP statuses of SLB's codes that are not 400.
var Statuses = map[string]int{
	ELoadBalancerNotFound: http.StatusNotFound,
	EListenerNotFound:     http.StatusNotFound,
}
