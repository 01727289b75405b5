package rpc

import (
	"net/http"

	"slbcert"
)

// statusOf is the gateway's table from its codes to HTTP statuses; each
// product brings its own for its codes (Product.Statuses). Codes listed in
// neither are client errors, 400, as almost every Alibaba Cloud code is.
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
}

// Status returns the HTTP status the gateway answers one of its codes
// with (400 for any other).
func Status(code string) int {
	if s, ok := statusOf[code]; ok {
		return s
	}
	return http.StatusBadRequest
}

// errorStatus returns the HTTP status of e answered by product p (nil
// before a product is known): e's own when it carries one, else p's status
// for its code, else the gateway's.
func errorStatus(e *slbcert.Error, p *Product) int {
	if e.HTTPStatus != 0 {
		return e.HTTPStatus
	}
	if p != nil {
		if s, ok := p.Statuses[e.Code]; ok {
			return s
		}
	}
	return Status(e.Code)
}
