package slbcert

import (
	"errors"
	"fmt"
)

// The gateway's codes, and those every product shares (regions, tags,
// resource groups, quotas). Products declare their own codes beside their
// rules; the HTTP status of a code is decided in one place, package rpc's
// table for these and each product's Statuses for its own.
const (
	EInternal               = "InternalError"
	EMissingParameter       = "MissingParameter"
	EInvalidParameter       = "InvalidParameter"
	EInvalidVersion         = "InvalidVersion"
	EInvalidActionNotFound  = "InvalidAction.NotFound"
	ESignatureDoesNotMatch  = "SignatureDoesNotMatch"
	EIncompleteSignature    = "IncompleteSignature"
	EInvalidSignatureMethod = "InvalidParamater" // sic: the gateway's spelling
	EAccessKeyNotFound      = "InvalidAccessKeyId.NotFound"
	EAccessKeyInactive      = "InvalidAccessKeyId.Inactive"
	ETimestampExpired       = "InvalidTimeStamp.Expired"
	ETimestampFormat        = "InvalidTimeStamp.Format"
	ESignatureNonceUsed     = "SignatureNonceUsed"
	ESecurityTokenMalformed = "InvalidSecurityToken.Malformed"
	EMissingSecurityToken   = "MissingSecurityToken"
	ESecurityTokenExpired   = "InvalidSecurityToken.Expired"
	ESecurityTokenMismatch  = "InvalidSecurityToken.MismatchWithAccessKey"
	ENoPermission           = "NoPermission"
	EThrottlingUser         = "Throttling.User"
	ERegionNotFound         = "InvalidRegionId.NotFound"
	EUnauthorizedRegion     = "UnauthorizedRegion"
	EMissingTagKey          = "MissingParam.TagKey"
	EInvalidTagKey          = "InvalidParam.TagKey"
	EInvalidTagValue        = "InvalidParam.TagValue"
	ETagSizeLimit           = "SizeLimitExceeded.Tag"
	ETagCountLimit          = "TagCountLimit"
	EInvalidResourceGroupID = "InvalidParameter.ResourceGroupId"
	EOverQuota              = "OverQuota"
	EResourceNotFound       = "ResourceNotFound"
	ERequestTooLarge        = "InvalidParameter.RequestTooLarge"
	EUnsupportedHTTPMethod  = "UnsupportedHTTPMethod"
	EServiceUnavailable     = "ServiceUnavailable"
)

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
