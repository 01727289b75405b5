// Package stsapi is the STS product (Sts 2015-04-01) on the RPC wire: its
// action table and response shapes, as the official SDK's structs name
// them. The rules live in package sts.
package stsapi

import (
	"context"
	"strings"

	"slbcert"
	"slbcert/rpc"
	"slbcert/sts"
)

// API is STS's wire.
type API struct {
	STS *sts.Service
}

// Product returns STS's action table for the gateway: version 2015-04-01,
// product code Sts, HostId sts.aliyuncs.com.
func (a *API) Product() *rpc.Product {
	return &rpc.Product{Code: "Sts", HostID: "sts.aliyuncs.com", Statuses: sts.Statuses, Versions: map[string]rpc.Actions{
		sts.Version: {
			"AssumeRole":        a.assumeRole,
			"GetCallerIdentity": a.getCallerIdentity,
		},
	}}
}

// expirationLayout is Credentials.Expiration's layout, exactly: the
// credential libraries parse it with this layout and fail on any other.
const expirationLayout = slbcert.TimeLayout

// AssumeRoleResponse is AssumeRole's answer
// (https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole).
type AssumeRoleResponse struct {
	rpc.Response
	AssumedRoleUser AssumedRoleUser `json:"AssumedRoleUser" xml:"AssumedRoleUser"`
	Credentials     Credentials     `json:"Credentials" xml:"Credentials"`
	// SourceIdentity is echoed only when the request gave one.
	SourceIdentity string `json:"SourceIdentity,omitempty" xml:"SourceIdentity,omitempty"`
}

// AssumedRoleUser names the session: "<RoleId>:<RoleSessionName>" and
// acs:ram::<account>:role/<RoleName>/<RoleSessionName>.
type AssumedRoleUser struct {
	AssumedRoleID string `json:"AssumedRoleId" xml:"AssumedRoleId"`
	Arn           string `json:"Arn" xml:"Arn"`
}

// Credentials are the temporary AccessKey, its token and when it expires
// (UTC, expirationLayout).
type Credentials struct {
	AccessKeyID     string `json:"AccessKeyId" xml:"AccessKeyId"`
	AccessKeySecret string `json:"AccessKeySecret" xml:"AccessKeySecret"`
	SecurityToken   string `json:"SecurityToken" xml:"SecurityToken"`
	Expiration      string `json:"Expiration" xml:"Expiration"`
}

// checkBody refuses a body that is neither a form nor JSON
// (InvalidParameter.ContentType: docs/choices.md, "STS (temporary
// credentials)"): its parameters could not be read.
func checkBody(c *rpc.Call) error {
	switch c.ContentType {
	case "", "application/x-www-form-urlencoded", "application/json":
		return nil
	}
	ct := c.ContentType
	if len(ct) > 64 {
		ct = ct[:64] + "…"
	}
	return slbcert.Errorf(sts.EInvalidContentType, "The Content-Type %q of the request body is not supported: send the parameters in the query or as application/x-www-form-urlencoded.", strings.ToValidUTF8(ct, "?"))
}

func (a *API) assumeRole(_ context.Context, c *rpc.Call) (any, error) {
	if err := checkBody(c); err != nil {
		return nil, err
	}
	issued, err := a.STS.AssumeRole(c.Principal, sts.AssumeRoleInput{
		RoleArn:         c.Get("RoleArn"),
		RoleSessionName: c.Get("RoleSessionName"),
		DurationSeconds: sts.ParseInt(c.Get("DurationSeconds")),
		Policy:          c.Get("Policy"),
		ExternalID:      c.Get("ExternalId"),
		SourceIdentity:  c.Get("SourceIdentity"),
	})
	if err != nil {
		return nil, err
	}
	return &AssumeRoleResponse{
		AssumedRoleUser: AssumedRoleUser{AssumedRoleID: issued.AssumedRoleID(), Arn: issued.AssumedRoleArn()},
		Credentials: Credentials{
			AccessKeyID:     issued.AccessKeyID,
			AccessKeySecret: issued.AccessKeySecret,
			SecurityToken:   issued.SecurityToken,
			Expiration:      issued.Expires().Format(expirationLayout),
		},
		SourceIdentity: issued.SourceIdentity,
	}, nil
}

// GetCallerIdentityResponse is GetCallerIdentity's answer
// (https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-getcalleridentity):
// fields the caller's kind lacks are left out.
type GetCallerIdentityResponse struct {
	rpc.Response
	IdentityType string `json:"IdentityType" xml:"IdentityType"`
	AccountID    string `json:"AccountId" xml:"AccountId"`
	PrincipalID  string `json:"PrincipalId" xml:"PrincipalId"`
	UserID       string `json:"UserId,omitempty" xml:"UserId,omitempty"`
	Arn          string `json:"Arn" xml:"Arn"`
	RoleID       string `json:"RoleId,omitempty" xml:"RoleId,omitempty"`
}

// getCallerIdentity needs no permission: anyone who signs may ask who they are.
func (a *API) getCallerIdentity(_ context.Context, c *rpc.Call) (any, error) {
	if err := checkBody(c); err != nil {
		return nil, err
	}
	id := sts.CallerIdentity(c.Principal)
	return &GetCallerIdentityResponse{IdentityType: id.IdentityType, AccountID: id.AccountID, PrincipalID: id.PrincipalID,
		UserID: id.UserID, Arn: id.Arn, RoleID: id.RoleID}, nil
}
