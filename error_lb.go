package slbcert

import "errors"

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

// ErrInUse is returned by a store's delete when other records still
// reference the record (a certificate bound to a listener, a VServer group
// or TLS policy a listener uses). Nothing is deleted.
var ErrInUse = errors.New("in use")

// ErrAlreadyExists is returned by a store's create when the record's key is
// taken (a listener port, a domain on a listener).
var ErrAlreadyExists = errors.New("already exists")

// ErrInvalidReference is returned by a store's write when a record it
// references (certificate, VServer group, TLS policy, load balancer) does
// not exist, or stopped existing while the write ran.
var ErrInvalidReference = errors.New("invalid reference")

// ErrAddressInUse and ErrAddressPoolExhausted are returned by
// CreateLoadBalancer when the address asked for is taken, or when no
// address of the pool is free.
var (
	ErrAddressInUse         = errors.New("address in use")
	ErrAddressPoolExhausted = errors.New("address pool exhausted")
)
