package sts

import (
	"time"

	"slbcert"
	"slbcert/iam"
	"slbcert/policy"
)

// ActionAssumeRole is the RAM action AssumeRole needs on the role's ARN.
const ActionAssumeRole = "sts:AssumeRole"

// Issued is a new session: its credentials and who it is.
type Issued struct {
	Session
	SecurityToken string
	// Role is the role assumed, as the directory declares it.
	Role *iam.Role
}

// AssumedRoleID is "<RoleId>:<RoleSessionName>".
func (i *Issued) AssumedRoleID() string { return i.Role.ID + ":" + i.SessionName }

// AssumedRoleArn is acs:ram::<account>:role/<RoleName>/<RoleSessionName>, as
// AssumeRole's AssumedRoleUser.Arn has it
// (https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole).
func (i *Issued) AssumedRoleArn() string { return i.Role.ARN() + "/" + i.SessionName }

// msgNotAuthorized is STS's wording of NoPermission.
const msgNotAuthorized = "You are not authorized to do this action. You should be authorized by RAM."

// AssumeRole issues temporary credentials of the role in.RoleArn to caller.
// Checks, in this order (docs/choices.md, "STS (temporary credentials)":
// AssumeRole's order), the first failure answering:
//  1. parameter syntax: MissingParameter, InvalidParameter.RoleArn,
//     .RoleSessionName, .DurationSeconds (outside 900–43200), .PolicySize,
//     .PolicyGrammar, .ExternalId, .SourceIdentity;
//  2. the caller is a RAM user or a role session: an account's root key is
//     403 NoPermission;
//  3. identity gate: the caller's policies allow sts:AssumeRole on the
//     role's ARN, else 403 NoPermission (PolicyType of the caller's policies);
//  4. the role exists: 404 EntityNotExist.Role;
//  5. trust gate: the role's trust policy allows the caller, with
//     sts:ExternalId in its condition context: 403 NoPermission with
//     PolicyType AssumeRolePolicy;
//  6. DurationSeconds is at most the role's maxSessionDuration.
func (s *Service) AssumeRole(caller *slbcert.Principal, in AssumeRoleInput) (*Issued, error) {
	args, err := in.check()
	if err != nil {
		return nil, err
	}
	if caller.IsRoot() {
		return nil, slbcert.Errorf(slbcert.ENoPermission, "%s Roles may not be assumed by root accounts: sign with a RAM user's AccessKey.", msgNotAuthorized)
	}
	now := s.Now()
	ctx := caller.ConditionContext(now)
	if args.externalID != "" {
		ctx[policy.KeyExternalID] = []string{args.externalID}
	}

	// The role is looked up first only to name it as declared in the
	// resource the caller's policies see; a missing role is reported
	// after the identity gate, as Alibaba orders them.
	role, found := s.Directory.Role(args.accountID, args.roleName)
	resource := iam.RoleARN(args.accountID, args.roleName)
	if found {
		resource = role.ARN()
	}
	if err := caller.Authorize(slbcert.AccessRequest{Action: ActionAssumeRole, Resource: resource, Context: ctx}); err != nil {
		return nil, stsDenial(err)
	}
	if !found {
		return nil, slbcert.Errorf(ERoleNotExist, "The specified Role not exists .")
	}
	trusted := role.Trust.Evaluate(policy.TrustRequest{Action: ActionAssumeRole, Context: ctx, Caller: policy.Caller{
		AccountID: caller.Account.ID, UserName: caller.UserName, RoleName: caller.RoleName,
	}})
	if trusted != policy.Allow {
		return nil, stsDenial(caller.Denied(ActionAssumeRole, resource, trusted == policy.ExplicitDeny, slbcert.PolicyTypeAssumeRolePolicy))
	}
	duration := args.duration
	if duration == 0 {
		duration = DefaultDurationSeconds
	}
	if duration > role.MaxSessionDuration {
		return nil, durationError(in.DurationSeconds.Raw, role.MaxSessionDuration)
	}

	if args.policy != nil {
		s.policies.put(args.policyText, args.policy) // its requests will need it parsed
	}
	id, secret := newAccessKey()
	issued := &Issued{Role: role, Session: Session{
		AccessKeyID:     id,
		AccessKeySecret: secret,
		AccountID:       role.AccountID,
		RoleName:        role.Name,
		SessionName:     args.sessionName,
		Policy:          args.policyText,
		SourceIdentity:  args.sourceIdentity,
		Expiration:      now.Truncate(time.Second).Add(time.Duration(duration) * time.Second).Unix(),
	}}
	if issued.SecurityToken, err = s.Seal(&issued.Session); err != nil {
		return nil, err
	}
	return issued, nil
}

// stsDenial rewords a NoPermission answer as STS words it, keeping its
// AccessDeniedDetail.
func stsDenial(err error) error {
	if e, ok := err.(*slbcert.Error); ok && e.Code == slbcert.ENoPermission {
		cp := *e
		cp.Message = msgNotAuthorized
		return &cp
	}
	return err
}
