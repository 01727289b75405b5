// Package sts holds the rules of Alibaba Cloud STS (Sts 2015-04-01) on this
// server: AssumeRole with its two gates (the caller's sts:AssumeRole and the
// role's trust policy), GetCallerIdentity, and the security tokens that carry a
// session
// (https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole,
// https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-getcalleridentity;
// what those pages leave open: docs/choices.md, "STS (temporary credentials)").
//
// A token is sealed and self-describing: AES-256-GCM under the master key
// (package keyring, so key rotation keeps old tokens open while the old key
// is kept) over the session — account, role, session name, session policy,
// AccessKeyId, AccessKeySecret, expiry. Issuing one writes nothing, and
// checking one reads nothing: any replica holding the master key verifies
// any token, across restarts, until it expires. What a session may do is
// read at request time from the live IAM directory (its role's policies),
// narrowed by the session policy the token carries.
package sts

import (
	"time"

	"slbcert"
	"slbcert/iam"
	"slbcert/keyring"
)

// Version is the STS API version served.
const Version = "2015-04-01"

// Directory finds accounts and roles: the live IAM directory, so that a
// reload (SIGHUP) applies to sessions already issued.
type Directory interface {
	Account(id string) (*slbcert.Account, bool)
	Role(accountID, name string) (*iam.Role, bool)
}

// Service issues and opens temporary credentials.
type Service struct {
	Directory Directory
	Keyring   *keyring.Keyring
	// Now is the clock AssumeRole stamps expiries with; the gateway
	// passes its own (the same one) when it opens tokens.
	Now func() time.Time

	policies policyCache
}

// New returns a service over the directory and keyring, on clock now
// (time.Now when nil).
func New(dir Directory, ring *keyring.Keyring, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{Directory: dir, Keyring: ring, Now: now}
}
