package certs

// Codes of the certificate and key checks (docs/choices.md, "Certificate
// checks"): what SLB's uploads answer, and what the engine's errors carry for any product that
// validates certificates with it.
const (
	ECertificateFormatInvalid = "CertificateFormatInvalid"
	EIllegalServerCertificate = "IllegalParam.ServerCertificate"
	EIllegalCACertificate     = "IllegalParam.CACertificate"
	EIllegalKeyLength         = "OperationDenied.IllegalKeyLength"
	EEccNotSupported          = "EccCertificateNotSupport"
	EPrivateKeyEncrypted      = "PrivateKeyEncryption"
)

// MsgKeyMismatch is the message of the InvalidParameter answer for a private
// key that does not belong to the certificate, as Alibaba Cloud words it.
const MsgKeyMismatch = "The specified ServerCertificate and PrivateKey fail to validate."
