package cas

import "net/http"

// Error codes of the certificate catalog (CAS). Alibaba publishes no
// service-specific codes for these operations; these are the project's
// choices (docs/choices.md, "Certificate catalog (CAS)").
const (
	// ENotFound answers an unknown, deleted or another account's CertId,
	// with HTTP 404: Terraform drops a resource on it.
	ENotFound = "NotFound"
	// EInvalidName answers an upload or rename to a name the account's
	// catalog already holds.
	EInvalidName = "InvalidParameter.Name"
)

// MsgUserCertificateNotFound is the message of every NotFound answer.
const MsgUserCertificateNotFound = "The certificate does not exist."

// MsgCatalogKeyMismatch is the message of the InvalidParameter answer for
// a Key that does not belong to the Cert.
const MsgCatalogKeyMismatch = "The certificate and private key do not match."

// Statuses are the HTTP statuses of the catalog's codes that are not 400.
var Statuses = map[string]int{ENotFound: http.StatusNotFound}
