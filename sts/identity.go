package sts

import (
	"slbcert"
	"slbcert/iam"
)

// Identity is GetCallerIdentity's answer
// (https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-getcalleridentity).
// Empty fields are those the caller's kind does not have.
type Identity struct {
	IdentityType string // "Account", "RAMUser" or "AssumedRoleUser"
	AccountID    string
	PrincipalID  string
	UserID       string
	Arn          string
	RoleID       string
}

// IdentityRAMUser is GetCallerIdentity's IdentityType of a RAM user (the
// AccessDeniedDetail calls the same principal SubUser).
const IdentityRAMUser = "RAMUser"

// CallerIdentity tells who p is:
//
//	root key      Account          PrincipalId = UserId = account id, Arn acs:ram::<acct>:root
//	RAM user      RAMUser          PrincipalId = UserId = user id,    Arn acs:ram::<acct>:user/<UserName>
//	role session  AssumedRoleUser  PrincipalId <RoleId>:<session>, RoleId, Arn acs:ram::<acct>:assumed-role/<RoleName>/<session>
func CallerIdentity(p *slbcert.Principal) Identity {
	acct := p.Account.ID
	switch p.Type() {
	case slbcert.PrincipalAssumedRoleUser:
		roleID := iam.RoleID(acct, p.RoleName)
		return Identity{IdentityType: slbcert.PrincipalAssumedRoleUser, AccountID: acct, RoleID: roleID,
			PrincipalID: roleID + ":" + p.SessionName,
			Arn:         "acs:ram::" + acct + ":assumed-role/" + p.RoleName + "/" + p.SessionName}
	case slbcert.PrincipalSubUser:
		return Identity{IdentityType: IdentityRAMUser, AccountID: acct, PrincipalID: p.UserID, UserID: p.UserID,
			Arn: "acs:ram::" + acct + ":user/" + p.UserName}
	}
	return Identity{IdentityType: slbcert.PrincipalAccount, AccountID: acct, PrincipalID: acct, UserID: acct,
		Arn: "acs:ram::" + acct + ":root"}
}
