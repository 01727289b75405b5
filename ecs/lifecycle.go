package ecs

import (
	"context"
	"errors"
	"slices"

	"slbcert"
)

// instance returns the account's instance id, authorized for action on
// its ARN. regionID may be empty (StartInstance and friends take none):
// the instance's own region is then checked. Unknown, another account's
// or another region's: 404 InvalidInstanceId.NotFound.
func (s *Service) instance(ctx context.Context, p *slbcert.Principal, action, regionID, id string) (*Instance, error) {
	if regionID != "" {
		reg, err := s.region(p, regionID)
		if err != nil {
			return nil, err
		}
		regionID = reg.ID
	}
	if err := s.authorize(p, action, ARN(orStar(regionID), p.Account.ID, "instance", orStar(id))); err != nil {
		return nil, err
	}
	if id == "" {
		return nil, slbcert.MissingParameter("InstanceId")
	}
	list, err := s.Store.FindInstances(ctx, InstanceFilter{AccountID: p.Account.ID, RegionID: regionID, IDs: []string{id}})
	if err != nil {
		return nil, storeError(err, nil)
	}
	if len(list) == 0 {
		return nil, errInstanceNotFound(id)
	}
	if _, err := s.knownRegion(p, list[0].RegionID); err != nil {
		return nil, err
	}
	return list[0], nil
}

// errIncorrectStatus is the answer to a state change the instance's
// status does not allow.
func errIncorrectStatus(i *Instance) *slbcert.Error {
	return errorf(EIncorrectInstanceStatus, "The current status of the resource does not support this operation: %s is %s.", i.ID, i.Status)
}

// transition moves the account's instance id from one status to another
// under the store's lock, with change applied too: 403
// IncorrectInstanceStatus unless it is in from.
func (s *Service) transition(ctx context.Context, p *slbcert.Principal, id string, from []string, change func(*Instance)) error {
	_, err := s.Store.UpdateInstance(ctx, p.Account.ID, id, func(i *Instance) error {
		if !slices.Contains(from, i.Status) {
			return errIncorrectStatus(i)
		}
		change(i)
		return nil
	})
	return storeError(err, errInstanceNotFound(id))
}

// StartInstance starts a Stopped instance: Running when it answers.
func (s *Service) StartInstance(ctx context.Context, p *slbcert.Principal, regionID, id, dryRun string) error {
	inst, err := s.instance(ctx, p, "StartInstance", regionID, id)
	if err != nil {
		return err
	}
	if dry, err := parseBool("DryRun", dryRun, false); err != nil || dry {
		return orDryRun(err)
	}
	now := s.now()
	return s.transition(ctx, p, inst.ID, []string{StatusStopped}, func(i *Instance) {
		i.Status, i.StartTime, i.StoppedMode = StatusRunning, now, StoppedModeNotApplicable
	})
}

// StopInstanceInput carries StopInstance's parameters.
type StopInstanceInput struct {
	RegionID, InstanceID, ForceStop, StoppedMode, ConfirmStop, Hibernate, DryRun string
}

// StopInstance stops a Running instance: Stopped when it answers, in
// StoppedMode KeepCharging (the default, also for Not-applicable) or
// StopCharging.
func (s *Service) StopInstance(ctx context.Context, p *slbcert.Principal, in StopInstanceInput) error {
	inst, err := s.instance(ctx, p, "StopInstance", in.RegionID, in.InstanceID)
	if err != nil {
		return err
	}
	mode := in.StoppedMode
	switch mode {
	case "", StoppedModeNotApplicable:
		// Terraform sends back the StoppedMode it read: Not-applicable
		// for a running instance. It means the default.
		mode = StoppedModeKeepCharging
	case StoppedModeKeepCharging, StoppedModeStopCharging:
	default:
		return errorf(slbcert.EInvalidParameter, "The specified StoppedMode %q is not valid: KeepCharging or StopCharging.", in.StoppedMode)
	}
	for name, v := range map[string]string{"ForceStop": in.ForceStop, "ConfirmStop": in.ConfirmStop, "Hibernate": in.Hibernate} {
		if _, err := parseBool(name, v, false); err != nil {
			return err
		}
	}
	if dry, err := parseBool("DryRun", in.DryRun, false); err != nil || dry {
		return orDryRun(err)
	}
	return s.transition(ctx, p, inst.ID, []string{StatusRunning}, func(i *Instance) {
		i.Status, i.StoppedMode = StatusStopped, mode
	})
}

// RebootInstance restarts a Running instance; it is Running again when it
// answers.
func (s *Service) RebootInstance(ctx context.Context, p *slbcert.Principal, regionID, id, forceStop, dryRun string) error {
	inst, err := s.instance(ctx, p, "RebootInstance", regionID, id)
	if err != nil {
		return err
	}
	if _, err := parseBool("ForceStop", forceStop, false); err != nil {
		return err
	}
	if dry, err := parseBool("DryRun", dryRun, false); err != nil || dry {
		return orDryRun(err)
	}
	now := s.now()
	return s.transition(ctx, p, inst.ID, []string{StatusRunning}, func(i *Instance) { i.StartTime = now })
}

// DeleteInput carries DeleteInstance's and DeleteInstances's parameters.
type DeleteInput struct {
	RegionID string
	IDs      []string
	// Force releases Running instances too; without it only Stopped ones.
	Force, ForceStop, TerminateSubscription, DryRun string
	// Many is set for DeleteInstances (which requires RegionId).
	Many bool
}

// DeleteInstances releases instances, their network interfaces, system
// disks and addresses. Every instance is checked first — known (404
// InvalidInstanceId.NotFound), Stopped or Force given (403
// IncorrectInstanceStatus), without release protection (403
// InvalidOperation.DeletionProtection) — then each is deleted. An unknown
// id still has its addresses released: a retry after a failed release
// cleans up (docs/choices.md).
func (s *Service) DeleteInstances(ctx context.Context, p *slbcert.Principal, in DeleteInput) error {
	action := "DeleteInstance"
	if in.Many {
		action = "DeleteInstances"
		if _, err := s.region(p, in.RegionID); err != nil {
			return err
		}
		if len(in.IDs) == 0 {
			return slbcert.MissingParameter("InstanceId.N")
		}
		if len(in.IDs) > 100 {
			return errorf(slbcert.EInvalidParameter, "At most 100 InstanceId.N may be given; got %d.", len(in.IDs))
		}
	} else if len(in.IDs) == 0 {
		in.IDs = []string{""}
	}
	force, err := parseBool("Force", in.Force, false)
	if err != nil {
		return err
	}
	for name, v := range map[string]string{"ForceStop": in.ForceStop, "TerminateSubscription": in.TerminateSubscription} {
		if _, err := parseBool(name, v, false); err != nil {
			return err
		}
	}
	dry, err := parseBool("DryRun", in.DryRun, false)
	if err != nil {
		return err
	}
	net, _ := s.network()
	var list []*Instance
	for _, id := range in.IDs {
		inst, err := s.instance(ctx, p, action, in.RegionID, id)
		if slbcert.ErrorCode(err) == EInstanceNotFound && net != nil {
			_ = net.ReleaseAddresses(ctx, p.Account.ID, id) // leftovers of a failed release
		}
		if err != nil {
			return err
		}
		if err := deletable(inst, force); err != nil {
			return err
		}
		list = append(list, inst)
	}
	if dry {
		return errDryRun()
	}
	defer s.addressesChanged(ctx)
	for _, inst := range list {
		err := s.Store.DeleteInstance(ctx, p.Account.ID, inst.ID)
		if err != nil && !errors.Is(err, slbcert.ErrNotFound) {
			return storeError(err, nil)
		}
		if net != nil {
			if err := net.ReleaseAddresses(ctx, p.Account.ID, inst.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// deletable refuses to release a Running instance without force, one
// still being created, or one under release protection.
func deletable(i *Instance, force bool) error {
	switch {
	case i.DeletionProtection:
		return errorf(EDeletionProtection, "The instance %s has release protection: turn DeletionProtection off first.", i.ID)
	case i.Status == StatusPending:
		return errorf(EInstanceInitializing, "The specified instance is initializing.")
	case i.Status != StatusStopped && !force:
		return errIncorrectStatus(i)
	}
	return nil
}

// ModifyInstanceInput carries ModifyInstanceAttribute's parameters; ""
// keeps a setting.
type ModifyInstanceInput struct {
	RegionID, InstanceID, Name, Description, HostName, Password, UserData string
	DeletionProtection, CreditSpecification, EnableJumboFrame             string
	// SecurityGroupIDs, when given (SecurityGroupIds.N), replace the groups.
	SecurityGroupIDs []string
}

// ModifyInstanceAttribute changes an instance's name, description, host
// name, password (checked, then forgotten), user data, release
// protection, credit specification, jumbo frames or security groups (the
// whole set: in its VPC, each once, at most five).
func (s *Service) ModifyInstanceAttribute(ctx context.Context, p *slbcert.Principal, in ModifyInstanceInput) error {
	inst, err := s.instance(ctx, p, "ModifyInstanceAttribute", in.RegionID, in.InstanceID)
	if err != nil {
		return err
	}
	if err := checkName(EInstanceName, "InstanceName", in.Name); err != nil {
		return err
	}
	if err := checkDescription(EDescription, "Description", in.Description); err != nil {
		return err
	}
	if err := checkHostName(in.HostName); err != nil {
		return err
	}
	if err := checkPassword(in.Password); err != nil {
		return err
	}
	if err := checkUserData(in.UserData); err != nil {
		return err
	}
	switch in.CreditSpecification {
	case "", "Standard", "Unlimited":
	default:
		return errorf(slbcert.EInvalidParameter, "The specified CreditSpecification %q is not valid: Standard or Unlimited.", in.CreditSpecification)
	}
	protect, err := parseBool("DeletionProtection", in.DeletionProtection, inst.DeletionProtection)
	if err != nil {
		return err
	}
	jumbo, err := parseBool("EnableJumboFrame", in.EnableJumboFrame, inst.Settings.EnableJumboFrame)
	if err != nil {
		return err
	}
	if in.SecurityGroupIDs != nil {
		if err := s.checkGroupsFor(ctx, p, inst, in.SecurityGroupIDs); err != nil {
			return err
		}
	}
	_, err = s.Store.UpdateInstance(ctx, p.Account.ID, inst.ID, func(i *Instance) error {
		if in.Name != "" {
			i.Name = in.Name
		}
		if in.Description != "" {
			i.Description = in.Description
		}
		if in.HostName != "" {
			i.HostName = in.HostName
		}
		if in.UserData != "" {
			i.UserData = in.UserData
		}
		if in.CreditSpecification != "" {
			i.Settings.CreditSpecification = in.CreditSpecification
		}
		i.DeletionProtection, i.Settings.EnableJumboFrame = protect, jumbo
		if in.SecurityGroupIDs != nil {
			i.SecurityGroupIDs = slices.Clone(in.SecurityGroupIDs)
		}
		return nil
	})
	return s.groupWriteError(err, inst.ID)
}

// checkGroupsFor checks a new set of groups for inst: each once, at most
// the quota, each the account's in the instance's VPC.
func (s *Service) checkGroupsFor(ctx context.Context, p *slbcert.Principal, inst *Instance, groups []string) error {
	if len(groups) == 0 {
		return slbcert.MissingParameter("SecurityGroupIds.N")
	}
	if err := checkGroupList(p, groups); err != nil {
		return err
	}
	for _, id := range groups {
		list, err := s.Store.FindSecurityGroups(ctx, SecurityGroupFilter{AccountID: p.Account.ID, RegionID: inst.RegionID, IDs: []string{id}})
		if err != nil {
			return storeError(err, nil)
		}
		if len(list) == 0 {
			return errSecurityGroupNotFound(id)
		}
		if list[0].VpcID != inst.VpcID {
			return errorf(EMismatch, "Specified security group and instance are not in the same VPC.")
		}
	}
	return nil
}

// groupWriteError answers a write of an instance's groups.
func (s *Service) groupWriteError(err error, id string) error {
	if errors.Is(err, slbcert.ErrInvalidReference) {
		return errorf(ESecurityGroupNotFound, "The specified SecurityGroupId does not exist: a security group was deleted meanwhile.")
	}
	return storeError(err, errInstanceNotFound(id))
}

// JoinSecurityGroup adds an instance to a group of its VPC: 403
// InvalidInstanceId.AlreadyExists when it is in it already.
func (s *Service) JoinSecurityGroup(ctx context.Context, p *slbcert.Principal, regionID, instanceID, groupID string) error {
	inst, err := s.instance(ctx, p, "JoinSecurityGroup", regionID, instanceID)
	if err != nil {
		return err
	}
	if groupID == "" {
		return slbcert.MissingParameter("SecurityGroupId")
	}
	if slices.Contains(inst.SecurityGroupIDs, groupID) {
		return errorf(EInstanceInGroup, "The instance %s is already in the security group %s.", inst.ID, groupID)
	}
	groups := append(slices.Clone(inst.SecurityGroupIDs), groupID)
	if err := s.checkGroupsFor(ctx, p, inst, groups); err != nil {
		return err
	}
	_, err = s.Store.UpdateInstance(ctx, p.Account.ID, inst.ID, func(i *Instance) error {
		if !slices.Contains(i.SecurityGroupIDs, groupID) {
			i.SecurityGroupIDs = append(i.SecurityGroupIDs, groupID)
		}
		return nil
	})
	return s.groupWriteError(err, inst.ID)
}

// LeaveSecurityGroup takes an instance out of a group; an instance stays in
// at least one (403). A group it is not in: 404 InvalidSecurityGroupId.NotFound.
func (s *Service) LeaveSecurityGroup(ctx context.Context, p *slbcert.Principal, regionID, instanceID, groupID string) error {
	inst, err := s.instance(ctx, p, "LeaveSecurityGroup", regionID, instanceID)
	if err != nil {
		return err
	}
	if groupID == "" {
		return slbcert.MissingParameter("SecurityGroupId")
	}
	_, err = s.Store.UpdateInstance(ctx, p.Account.ID, inst.ID, func(i *Instance) error {
		at := slices.Index(i.SecurityGroupIDs, groupID)
		switch {
		case at < 0:
			return errSecurityGroupNotFound(groupID)
		case len(i.SecurityGroupIDs) == 1:
			return errorf(ELastSecurityGroup, "An instance must be in at least one security group.")
		}
		i.SecurityGroupIDs = slices.Delete(i.SecurityGroupIDs, at, at+1)
		return nil
	})
	return s.groupWriteError(err, inst.ID)
}
