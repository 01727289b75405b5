package rpc

import (
	"net/http"

	"slbcert"
)

// statusOf is the single table from API code to HTTP status. Codes not
// listed are client errors, 400, as almost every Alibaba Cloud code is.
var statusOf = map[string]int{
	slbcert.EInternal:              http.StatusInternalServerError,
	slbcert.EServiceUnavailable:    http.StatusServiceUnavailable,
	slbcert.EInvalidActionNotFound: http.StatusNotFound,
	slbcert.EAccessKeyNotFound:     http.StatusNotFound,
	slbcert.ERegionNotFound:        http.StatusNotFound,
	slbcert.EUnauthorizedRegion:    http.StatusForbidden,
	slbcert.ENoPermission:          http.StatusForbidden,
	slbcert.EUnsupportedHTTPMethod: http.StatusForbidden,
	slbcert.ERequestTooLarge:       http.StatusRequestEntityTooLarge,
	slbcert.ERoleNotExist:          http.StatusNotFound,
	slbcert.ENotFound:              http.StatusNotFound,
	slbcert.ELoadBalancerNotFound:  http.StatusNotFound,
	slbcert.EListenerNotFound:      http.StatusNotFound,
}

// Status returns the HTTP status the API answers code with.
func Status(code string) int {
	if s, ok := statusOf[code]; ok {
		return s
	}
	return http.StatusBadRequest
}

// errorStatus returns the HTTP status of e: its own when it carries one, else
// its code's.
func errorStatus(e *slbcert.Error) int {
	if e.HTTPStatus != 0 {
		return e.HTTPStatus
	}
	return Status(e.Code)
}
