package sts

import "net/http"

// Codes of AssumeRole (sts-api.md §2.4).
const (
	EInvalidRoleArn         = "InvalidParameter.RoleArn"
	EInvalidRoleSessionName = "InvalidParameter.RoleSessionName"
	EInvalidDurationSeconds = "InvalidParameter.DurationSeconds"
	EInvalidExternalID      = "InvalidParameter.ExternalId"
	EInvalidSourceIdentity  = "InvalidParameter.SourceIdentity"
	EPolicyGrammar          = "InvalidParameter.PolicyGrammar"
	EPolicySize             = "InvalidParameter.PolicySize"
	EInvalidContentType     = "InvalidParameter.ContentType"
	ERoleNotExist           = "EntityNotExist.Role"
)

// Statuses are the HTTP statuses of STS's codes that are not 400.
var Statuses = map[string]int{ERoleNotExist: http.StatusNotFound}
