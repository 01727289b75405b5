package sts

import "net/http"

// Codes of AssumeRole (its page:
// https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole;
// docs/choices.md, "STS (temporary credentials)").
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
