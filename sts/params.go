package sts

import (
	"regexp"
	"strings"

	"slbcert"
	"slbcert/iam"
	"slbcert/policy"
)

// AssumeRoleInput is AssumeRole's parameters as sent
// (https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole);
// an empty string is a parameter not sent.
type AssumeRoleInput struct {
	RoleArn         string
	RoleSessionName string
	// DurationSeconds is the session's lifetime: 900 up to the role's
	// maxSessionDuration (default 3600).
	DurationSeconds Param[int]
	// Policy is a RAM policy document (JSON, at most 2048 bytes) that
	// narrows the session; the rules parse it, as its grammar is a check.
	Policy         string
	ExternalID     string
	SourceIdentity string
}

// Limits of AssumeRole's parameters
// (https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole).
const (
	MinDurationSeconds     = 900
	DefaultDurationSeconds = 3600
	MaxPolicyBytes         = 2048
)

var (
	roleArnPattern        = regexp.MustCompile(`^acs:ram::([0-9]{16}):role/(.+)$`)
	sessionNamePattern    = regexp.MustCompile(`^[A-Za-z0-9.@_\-]{2,64}$`)
	externalIDPattern     = regexp.MustCompile(`^[\w+=,.@:/\-]+$`)
	sourceIdentityPattern = regexp.MustCompile(`^[\w+=,.@\-]{2,64}$`)
)

// assumeRoleArgs are AssumeRole's parameters, checked and converted.
type assumeRoleArgs struct {
	accountID, roleName string
	sessionName         string
	duration            int // seconds; 0 when not sent
	policy              *policy.Policy
	policyText          string // compacted
	externalID          string
	sourceIdentity      string
}

// check validates every parameter's syntax in the order of the parameter
// table; the first failure answers.
func (in *AssumeRoleInput) check() (*assumeRoleArgs, error) {
	a := &assumeRoleArgs{}
	if in.RoleArn == "" {
		return nil, slbcert.MissingParameter("RoleArn")
	}
	m := roleArnPattern.FindStringSubmatch(in.RoleArn)
	if m == nil || !iam.RoleNamePattern.MatchString(m[2]) {
		return nil, slbcert.Errorf(EInvalidRoleArn, "The parameter RoleArn is wrongly formed: it must be acs:ram::<16-digit account>:role/<RoleName>.")
	}
	a.accountID, a.roleName = m[1], m[2]

	if in.RoleSessionName == "" {
		return nil, slbcert.MissingParameter("RoleSessionName")
	}
	if !sessionNamePattern.MatchString(in.RoleSessionName) {
		return nil, slbcert.Errorf(EInvalidRoleSessionName, "The parameter RoleSessionName is wrongly formed: 2–64 characters of A–Z, a–z, 0–9, '.', '@', '-' and '_'.")
	}
	a.sessionName = in.RoleSessionName

	if d := in.DurationSeconds; d.Set {
		if d.Err != nil || d.Value < MinDurationSeconds || d.Value > iam.MaxMaxSessionDuration {
			return nil, durationError(d.Raw, iam.MaxMaxSessionDuration)
		}
		a.duration = d.Value
	}

	if in.Policy != "" {
		if len(in.Policy) > MaxPolicyBytes {
			return nil, slbcert.Errorf(EPolicySize, "The size of Policy must be smaller than %d bytes.", MaxPolicyBytes)
		}
		p, err := policy.Parse([]byte(in.Policy))
		if err != nil {
			return nil, slbcert.Errorf(EPolicyGrammar, "The parameter Policy has not passed grammar check: %s.", strings.TrimPrefix(err.Error(), "policy: "))
		}
		doc, _ := p.MarshalJSON()
		a.policy, a.policyText = p, string(doc)
	}

	if in.ExternalID != "" {
		if len(in.ExternalID) < 2 || len(in.ExternalID) > 1224 || !externalIDPattern.MatchString(in.ExternalID) {
			return nil, slbcert.Errorf(EInvalidExternalID, "The parameter ExternalId is wrongly formed: 2–1224 characters of letters, digits and _+=,.@:/-.")
		}
		a.externalID = in.ExternalID
	}

	if in.SourceIdentity != "" {
		lower := strings.ToLower(in.SourceIdentity)
		if !sourceIdentityPattern.MatchString(in.SourceIdentity) ||
			strings.HasPrefix(lower, "acs:") || strings.HasPrefix(lower, "aliyun:") || strings.HasPrefix(lower, "alibabacloud:") {
			return nil, slbcert.Errorf(EInvalidSourceIdentity, "The parameter SourceIdentity is wrongly formed: 2–64 characters of letters, digits and _+=,.@-, not starting with acs:, aliyun: or alibabacloud:.")
		}
		a.sourceIdentity = in.SourceIdentity
	}
	return a, nil
}

// durationError is InvalidParameter.DurationSeconds: Alibaba's message,
// which keeps saying 1hr whatever the role allows, then the actual bounds.
func durationError(got string, max int) error {
	if len(got) > 20 {
		got = got[:20] + "…"
	}
	return slbcert.Errorf(EInvalidDurationSeconds, "The Min/Max value of DurationSeconds is 15min/1hr. (This role allows %d–%d seconds; got %q.)", MinDurationSeconds, max, got)
}
