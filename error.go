package slbcert

import (
	"errors"
	"fmt"
)

// Error codes the API answers with. The HTTP status of each code is decided in
// exactly one place, the rpc package; everything else speaks in codes.
const (
	EInternal                 = "InternalError"
	EMissingParameter         = "MissingParameter"
	EInvalidParameter         = "InvalidParameter"
	EInvalidVersion           = "InvalidVersion"
	EInvalidActionNotFound    = "InvalidAction.NotFound"
	ESignatureDoesNotMatch    = "SignatureDoesNotMatch"
	EIncompleteSignature      = "IncompleteSignature"
	EInvalidSignatureMethod   = "InvalidParamater" // sic: the gateway's spelling
	EAccessKeyNotFound        = "InvalidAccessKeyId.NotFound"
	EAccessKeyInactive        = "InvalidAccessKeyId.Inactive"
	ETimestampExpired         = "InvalidTimeStamp.Expired"
	ETimestampFormat          = "InvalidTimeStamp.Format"
	ESignatureNonceUsed       = "SignatureNonceUsed"
	ESecurityTokenMalformed   = "InvalidSecurityToken.Malformed"
	ENoPermission             = "NoPermission"
	EThrottlingUser           = "Throttling.User"
	ERegionNotFound           = "InvalidRegionId.NotFound"
	EUnauthorizedRegion       = "UnauthorizedRegion"
	EServerCertNotSupported   = "ServerCertificate.NotSupport"
	EMissingTagKey            = "MissingParam.TagKey"
	EInvalidTagKey            = "InvalidParam.TagKey"
	EInvalidTagValue          = "InvalidParam.TagValue"
	ETagSizeLimit             = "SizeLimitExceeded.Tag"
	ETagCountLimit            = "TagCountLimit"
	EInvalidServerCertName    = "InvalidParameter.ServerCertificateName"
	EInvalidCACertName        = "InvalidParameter.CACertificateName"
	EInvalidResourceGroupID   = "InvalidParameter.ResourceGroupId"
	EInvalidAliCloudCertID    = "InvalidParameter.AliCloudCertificateId"
	ECertificateFormatInvalid = "CertificateFormatInvalid"
	EIllegalServerCertificate = "IllegalParam.ServerCertificate"
	EIllegalCACertificate     = "IllegalParam.CACertificate"
	EIllegalKeyLength         = "OperationDenied.IllegalKeyLength"
	EEccNotSupported          = "EccCertificateNotSupport"
	EPrivateKeyEncrypted      = "PrivateKeyEncryption"
	EOverQuota                = "OverQuota"
	EServerCertNotFound       = "ServerCertificateId.NotFound"
	ECACertNotFound           = "CACertificateId.NotFound"
	EResourceNotFound         = "ResourceNotFound"
	EServerCertRGMismatch     = "Abs.ServerCertificateIdAndResourceGroupId.MissMatch"
	ECACertRGMismatch         = "Abs.CACertificateIdAndResourceGroupId.MissMatch"
	ERequestTooLarge          = "InvalidParameter.RequestTooLarge"
	EUnsupportedHTTPMethod    = "UnsupportedHTTPMethod"
	EServiceUnavailable       = "ServiceUnavailable"
)

// MsgKeyMismatch is the message of the InvalidParameter answer for a private
// key that does not belong to the certificate, as Alibaba Cloud words it.
const MsgKeyMismatch = "The specified ServerCertificate and PrivateKey fail to validate."

// Error is an API error: a code from the list above and a message a user can act on.
// Extra holds additional top-level fields of the error body (AccessDeniedDetail).
type Error struct {
	Code    string
	Message string
	Extra   map[string]any
	// HTTPStatus, when set, overrides the status of Code for this answer:
	// a few codes answer with a status that depends on the case (SLB's
	// InvalidParameter is 404 for an unknown VServer group).
	HTTPStatus int
}

// Error implements the error interface.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// MissingParameter returns the gateway's error for an absent mandatory parameter.
func MissingParameter(name string) *Error {
	return Errorf(EMissingParameter, "The input parameter %q that is mandatory for processing this request is not supplied.", name)
}

// ErrorCode returns the API code of err: its own for an *Error (also wrapped),
// InternalError for anything else, "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrNotFound is returned by stores when the record addressed does not exist
// (for this owner). Services translate it into the operation's own code.
var ErrNotFound = errors.New("not found")

// ErrQuotaExceeded is returned by a store's create when the owner already holds
// the limit of records of that kind in that region.
var ErrQuotaExceeded = errors.New("quota exceeded")

// ErrTagLimit is returned by a store's tag update when a resource would carry
// more tags than allowed.
var ErrTagLimit = errors.New("tag limit exceeded")

// Codes of the tag operations' own limits.
const (
	ETagKeySizeLimit     = "SizeLimitExceeded.TagKey"
	EResourceIDSizeLimit = "SizeLimitExceeded.ResourceId"
	EInvalidNextToken    = "InvalidParameter.NextToken"
)
