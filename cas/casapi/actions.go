// Package casapi is the certificate catalog (CAS) on the RPC wire: its
// action table, over three API versions, and response shapes as the
// official SDKs and Terraform read them. The rules live in package cas.
package casapi

import (
	"slbcert/cas"
	"slbcert/rpc"
)

// API is CAS's wire.
type API struct {
	Catalog *cas.Service
}

// Product returns CAS's action table for the gateway: the versions
// Terraform's CAS resources and data source use (docs/choices.md,
// "Certificate catalog (CAS)").
func (a *API) Product() *rpc.Product {
	return &rpc.Product{Code: "Cas", HostID: "cas.aliyuncs.com", Statuses: cas.Statuses, Versions: map[string]rpc.Actions{
		cas.Version: {
			"UploadUserCertificate":    a.uploadUserCertificate,
			"GetUserCertificateDetail": a.getUserCertificateDetail,
			"DeleteUserCertificate":    a.deleteUserCertificate,
			"ListUserCertificateOrder": a.listUserCertificateOrder,
		},
		cas.RenameVersion: {
			"CreateCertificateName": a.createCertificateName,
		},
		cas.LegacyVersion: {
			"DescribeUserCertificateDetail": a.describeUserCertificateDetail,
		},
	}}
}

// base carries the RequestId every answer starts with. Success bodies
// carry neither Code nor Success: Terraform takes any other Code for an
// error (docs/choices.md, "Certificate catalog (CAS)").
type base = rpc.Response
