package slb

import (
	"errors"
	"net/http"
)

// Codes of the certificate operations (docs/choices.md, "Certificate checks"
// and "Certificates, tags, groups").
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

// Codes of the load-balancer family: those of Alibaba's SLB error codes, and
// where those are silent the ones docs/choices.md, "Load balancers, listeners
// and certificates in use (CLB)", "Codes and statuses", chose.
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
	EAddressPoolExhausted     = "OperationFailed.AddressPoolExhausted"
)

// Messages clients match on rather than codes (docs/choices.md, "Load
// balancers, listeners and certificates in use (CLB)": Codes and statuses).
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
