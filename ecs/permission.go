package ecs

import (
	"context"
	"errors"
	"net/netip"
	"strconv"
	"strings"

	"slbcert"
)

// PermissionInput is one rule as a request gives it: Permissions.N.*, or
// the deprecated top-level fields (the AuthorizeSecurityGroup page).
type PermissionInput struct {
	IPProtocol, PortRange, SourcePortRange, Policy, Priority, NicType string
	SourceCidrIP, DestCidrIP, IPv6SourceCidrIP, IPv6DestCidrIP        string
	SourceGroupID, DestGroupID                                        string
	SourceGroupOwnerAccount, SourceGroupOwnerID                       string
	DestGroupOwnerAccount, DestGroupOwnerID                           string
	SourcePrefixListID, DestPrefixListID                              string
	Description                                                       string
	// DescriptionGiven tells an empty Description from none (Modify).
	DescriptionGiven bool
}

// RulesInput carries Authorize/Revoke/ModifySecurityGroup[Egress]Rule's
// parameters.
type RulesInput struct {
	RegionID, SecurityGroupID string
	// Rules are the rules named: Permissions.N, or the top-level fields as
	// one rule. Mixed is set when both forms were given.
	Rules []PermissionInput
	Mixed bool
	// RuleIDs are SecurityGroupRuleId.N (Revoke; Modify takes one).
	RuleIDs []string
}

// maxRulesPerCall bounds Permissions.N.
const maxRulesPerCall = 100

// protocols maps the lower-case IpProtocol values to the stored form.
var protocols = map[string]string{"tcp": "TCP", "udp": "UDP", "icmp": "ICMP", "icmpv6": "ICMPV6", "gre": "GRE", "all": "ALL"}

// sides are the fields of a rule's remote end and their codes, by direction.
type side struct {
	cidr, ipv6, group, owner, ownerID, prefixList, ipv6Param string
	missing, cidrCode, ipv6Code, bothCode                    string
	groupNotFound, groupMismatch                             string
}

var sides = map[string]side{
	Ingress: {missing: EMissingSource, cidrCode: ESourceCidr, ipv6Code: EIPv6SourceCidr, bothCode: ESourceIPBoth,
		groupNotFound: ESourceGroupNotFound, groupMismatch: ESourceGroupMismatch, ipv6Param: "Ipv6SourceCidrIp"},
	Egress: {missing: EMissingDestination, cidrCode: EDestCidr, ipv6Code: EIPv6DestCidr, bothCode: EDestIPBoth,
		groupNotFound: EDestGroupNotFound, groupMismatch: EDestGroupMismatch, ipv6Param: "Ipv6DestCidrIp"},
}

// remote returns the remote end of in for direction: CIDR, IPv6 CIDR,
// group, its owner (account name or id), prefix list.
func remote(in PermissionInput, direction string) (cidr, ipv6, group, owner, prefixList string) {
	if direction == Ingress {
		return in.SourceCidrIP, in.IPv6SourceCidrIP, in.SourceGroupID, firstOf(in.SourceGroupOwnerID, in.SourceGroupOwnerAccount), in.SourcePrefixListID
	}
	return in.DestCidrIP, in.IPv6DestCidrIP, in.DestGroupID, firstOf(in.DestGroupOwnerID, in.DestGroupOwnerAccount), in.DestPrefixListID
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// parsePorts reads "start/end".
func parsePorts(v string) (lo, hi int, ok bool) {
	a, b, found := strings.Cut(v, "/")
	if !found {
		return 0, 0, false
	}
	lo, err1 := strconv.Atoi(a)
	hi, err2 := strconv.Atoi(b)
	return lo, hi, err1 == nil && err2 == nil
}

// v4Cidr reads an IPv4 address or CIDR; v6Cidr an IPv6 one.
func v4Cidr(v string) (ok, isV6 bool) {
	if p, err := netip.ParsePrefix(v); err == nil {
		return p.Addr().Is4(), p.Addr().Is6()
	}
	if a, err := netip.ParseAddr(v); err == nil {
		return a.Is4(), a.Is6()
	}
	return false, false
}

// permission turns one rule of a request into a Permission of g, checked
// in the order of the AuthorizeSecurityGroup page's table. With checkRefs
// the group a rule names must be the account's in g's VPC (Authorize);
// without (Revoke, Modify) only the form is checked.
func (s *Service) permission(ctx context.Context, p *slbcert.Principal, g *SecurityGroup, direction string, in PermissionInput, checkRefs bool) (Permission, error) {
	var r Permission
	r.Direction = direction
	proto, ok := protocols[strings.ToLower(in.IPProtocol)]
	switch {
	case in.IPProtocol == "":
		return r, slbcert.MissingParameter("IpProtocol")
	case !ok:
		return r, errorf(EIPProtocol, "The parameter IpProtocol must be specified with case insensitive TCP, UDP, ICMP, GRE or All.")
	}
	r.IPProtocol = proto
	if in.PortRange == "" {
		return r, errorf(EPortRangeMissing, "The specified parameter PortRange must set.")
	}
	lo, hi, ok := parsePorts(in.PortRange)
	if !ok {
		return r, errorf(EPortRangeFormat, "The specified parameter PortRange %q is not valid. It should be two integers less than 65535 in ?/? format.", in.PortRange)
	}
	if proto == "TCP" || proto == "UDP" {
		if lo < 1 || hi > 65535 || lo > hi {
			return r, errorf(EPortRange, "The specified parameter PortRange is not valid: %q; TCP and UDP take 1 to 65535.", in.PortRange)
		}
	} else if lo != -1 || hi != -1 {
		return r, errorf(EPortRange, "The specified parameter PortRange is not valid: %q; %s takes -1/-1.", in.PortRange, proto)
	}
	r.PortRange = in.PortRange
	if in.SourcePortRange != "" {
		a, b, ok := parsePorts(in.SourcePortRange)
		if !ok || ((proto == "TCP" || proto == "UDP") && (a < 1 || b > 65535 || a > b)) {
			return r, errorf(ESourcePortRange, "The specified parameter SourcePortRange is not valid.")
		}
		r.SourcePortRange = in.SourcePortRange
	}
	sd := sides[direction]
	cidr, ipv6, group, owner, prefixList := remote(in, direction)
	if cidr == "" && ipv6 == "" && group == "" && prefixList == "" {
		which := "SourceCidrIp, Ipv6SourceCidrIp, SourceGroupId or SourcePrefixListId"
		if direction == Egress {
			which = "DestCidrIp, Ipv6DestCidrIp, DestGroupId or DestPrefixListId"
		}
		return r, errorf(sd.missing, "One of the parameters %s must be specified.", which)
	}
	if cidr != "" && ipv6 != "" {
		return r, errorf(sd.bothCode, "The IPv4 and IPv6 addresses of one rule cannot be set at the same time.")
	}
	if cidr != "" {
		is4, is6 := v4Cidr(cidr)
		switch {
		case is6:
			return r, errorf(sd.cidrCode, "The specified CIDR %q is an IPv6 one: give it as %s.", cidr, sd.ipv6Param)
		case !is4:
			return r, errorf(sd.cidrCode, "The specified CIDR %q is not valid.", cidr)
		case proto == "ICMPV6":
			return r, errorf(EIPv6ProtocolIPv4, "IPv4 address cannot be specified for IPv6-specific protocol.")
		}
	}
	if ipv6 != "" {
		_, is6 := v4Cidr(ipv6)
		switch {
		case !is6:
			return r, errorf(sd.ipv6Code, "The specified parameter %s %q is not valid.", sd.ipv6Param, ipv6)
		case proto == "ICMP":
			return r, errorf(EIPv4ProtocolIPv6, "IPv6 address cannot be specified for IPv4-specific protocol.")
		}
	}
	// The rule's own end is checked for form only.
	for _, own := range [][2]string{{in.DestCidrIP, EDestCidr}, {in.SourceCidrIP, ESourceCidr}} {
		if own[0] != "" && own[0] != cidr {
			if is4, _ := v4Cidr(own[0]); !is4 {
				return r, errorf(own[1], "The specified CIDR %q is not valid.", own[0])
			}
		}
	}
	if prefixList != "" {
		return r, errorf(EPrefixListNotFound, "The specified prefix list was not found: %s (prefix lists are not served here).", prefixList)
	}
	if group != "" && checkRefs {
		if owner != "" && owner != p.Account.ID {
			return r, errorf(sd.groupNotFound, "The group %s of account %s cannot be named: only the account's own groups are served here.", group, owner)
		}
		if group == g.ID {
			return r, errorf(EGroupSelf, "The specified SecurityGroupId should be different from the SourceGroupId.")
		}
		list, err := s.Store.FindSecurityGroups(ctx, SecurityGroupFilter{AccountID: p.Account.ID, RegionID: g.RegionID, IDs: []string{group}})
		if err != nil {
			return r, storeError(err, nil)
		}
		if len(list) == 0 {
			return r, errorf(sd.groupNotFound, "The group %s provided does not exist in our records.", group)
		}
		if list[0].VpcID != g.VpcID {
			end := "source"
			if direction == Egress {
				end = "destination"
			}
			return r, errorf(sd.groupMismatch, "Specified security group and %s group are not in the same VPC.", end)
		}
		if g.Type == GroupTypeEnterprise {
			return r, errorf(EEnterpriseGroupRule, "The attributes Policy, SourceGroupId, DestGroupId of enterprise level security groups are not allowed to be set or modified.")
		}
		if list[0].Type == GroupTypeEnterprise {
			return r, errorf(EEnterpriseGroupTarget, "The security group can not authorize to enterprise level security group.")
		}
	}
	if direction == Ingress {
		r.SourceCidrIP, r.IPv6SourceCidrIP, r.SourceGroupID, r.SourcePrefixListID = cidr, ipv6, group, prefixList
		r.DestCidrIP, r.IPv6DestCidrIP = in.DestCidrIP, in.IPv6DestCidrIP
		// The owner comes back as sent, "" when none was: Terraform reads it
		// into source_group_owner_id, which forces a replacement on change.
		r.SourceGroupOwnerAccount = owner
	} else {
		r.DestCidrIP, r.IPv6DestCidrIP, r.DestGroupID, r.DestPrefixListID = cidr, ipv6, group, prefixList
		r.SourceCidrIP, r.IPv6SourceCidrIP = in.SourceCidrIP, in.IPv6SourceCidrIP
		r.DestGroupOwnerAccount = owner
	}
	switch {
	case in.Policy == "" || strings.EqualFold(in.Policy, "accept"):
		r.Policy = "Accept"
	case strings.EqualFold(in.Policy, "drop"):
		r.Policy = "Drop"
	default:
		return r, errorf(EPolicy, "The specified parameter Policy %q is not valid: accept or drop.", in.Policy)
	}
	if r.Policy == "Drop" && g.Type == GroupTypeEnterprise && checkRefs {
		return r, errorf(EEnterpriseGroupRule, "The attributes Policy, SourceGroupId, DestGroupId of enterprise level security groups are not allowed to be set or modified.")
	}
	r.Priority = 1
	if in.Priority != "" {
		n, err := strconv.Atoi(in.Priority)
		if err != nil {
			return r, errorf(EPriorityMalformed, "The parameter Priority is invalid: %q.", in.Priority)
		}
		if n < 1 || n > 100 {
			return r, errorf(EPriority, "The specified parameter Priority %d is invalid: 1 to 100.", n)
		}
		r.Priority = n
	}
	switch in.NicType {
	case "", "intranet":
		r.NicType = "intranet"
	case "internet":
		if g.VpcID != "" {
			return r, errorf(ENicTypeMismatch, "The specified NicType conflicts with the security group: the rules of a VPC security group are intranet.")
		}
		r.NicType = "internet"
	default:
		return r, errorf(ENicType, "The specified parameter NicType %q is not valid: intranet or internet.", in.NicType)
	}
	if in.Description != "" {
		if n := len([]rune(in.Description)); n > 512 || hasURLPrefix(in.Description) {
			return r, errorf(ERuleDescription, "The specified security group rule description is not valid: 1 to 512 characters, not starting with http:// or https://.")
		}
	}
	r.Description = in.Description
	return r, nil
}

// RuleKey is what tells two rules apart: every field but the id, the
// description and the creation time. Authorizing a rule whose key the group
// holds adds nothing; Revoke and Modify find rules by it (Terraform's rule
// id is made of these fields).
func RuleKey(r Permission) string {
	return strings.Join([]string{r.Direction, r.IPProtocol, r.PortRange, r.SourcePortRange,
		r.SourceCidrIP, r.DestCidrIP, r.IPv6SourceCidrIP, r.IPv6DestCidrIP,
		r.SourceGroupID, r.DestGroupID, r.SourcePrefixListID, r.DestPrefixListID,
		r.Policy, strconv.Itoa(r.Priority), r.NicType}, "|")
}

// rules checks the rules of in for g.
func (s *Service) rules(ctx context.Context, p *slbcert.Principal, g *SecurityGroup, direction string, in RulesInput, checkRefs bool) ([]Permission, error) {
	if in.Mixed {
		return nil, errorf(EPermissionsAndFields, "The specified parameter Permissions cannot coexist with other parameters.")
	}
	if len(in.Rules) > maxRulesPerCall {
		return nil, errorf(slbcert.EInvalidParameter, "At most %d Permissions.N may be given in one call; got %d.", maxRulesPerCall, len(in.Rules))
	}
	out := make([]Permission, 0, len(in.Rules))
	seen := map[string]bool{}
	for _, ri := range in.Rules {
		r, err := s.permission(ctx, p, g, direction, ri, checkRefs)
		if err != nil {
			return nil, err
		}
		if k := RuleKey(r); seen[k] {
			return nil, errorf(EDuplicatePermissions, "There are duplicate permissions in the specified parameter Permissions.")
		} else {
			seen[k] = true
		}
		out = append(out, r)
	}
	return out, nil
}

// Authorize adds ingress or egress rules to a group (AuthorizeSecurityGroup,
// AuthorizeSecurityGroupEgress). A rule the group already has (RuleKey) is
// not added twice, and the call succeeds. More rules than the quota
// (default 200, both directions) is 403 AuthorizationLimitExceed, and
// nothing is added.
func (s *Service) Authorize(ctx context.Context, p *slbcert.Principal, direction string, in RulesInput) error {
	action := "AuthorizeSecurityGroup"
	if direction == Egress {
		action += "Egress"
	}
	g, err := s.group(ctx, p, action, in.RegionID, in.SecurityGroupID)
	if err != nil {
		return err
	}
	if len(in.Rules) == 0 && !in.Mixed {
		return slbcert.MissingParameter("Permissions.N.IpProtocol")
	}
	rules, err := s.rules(ctx, p, g, direction, in, true)
	if err != nil {
		return err
	}
	limit := p.Account.Quota(QuotaRules, DefaultRulesQuota)
	now := s.now()
	_, err = s.Store.UpdateSecurityGroup(ctx, p.Account.ID, g.ID, func(g *SecurityGroup) error {
		have := map[string]bool{}
		for _, r := range g.Permissions {
			have[RuleKey(r)] = true
		}
		for _, r := range rules {
			if have[RuleKey(r)] {
				continue
			}
			r.ID, r.CreateTime = newRuleID(g.RegionID), now
			g.Permissions = append(g.Permissions, r)
		}
		if len(g.Permissions) > limit {
			return errorf(ERuleLimit, "The maximum number of rules of a security group is %d.", limit)
		}
		return nil
	})
	if errors.Is(err, slbcert.ErrInvalidReference) {
		// A group a rule names was deleted while the rule was added.
		return errorf(sides[direction].groupNotFound, "The group provided does not exist in our records.")
	}
	return storeError(err, errSecurityGroupNotFound(in.SecurityGroupID))
}

// Revoke removes rules from a group (RevokeSecurityGroup[Egress]): those
// whose fields match a rule given (the description aside), and those
// named by SecurityGroupRuleId.N. Revoking a rule the group does not have
// succeeds: Terraform retries every other answer for five minutes.
func (s *Service) Revoke(ctx context.Context, p *slbcert.Principal, direction string, in RulesInput) error {
	action := "RevokeSecurityGroup"
	if direction == Egress {
		action += "Egress"
	}
	g, err := s.group(ctx, p, action, in.RegionID, in.SecurityGroupID)
	if err != nil {
		return err
	}
	if len(in.Rules) == 0 && len(in.RuleIDs) == 0 && !in.Mixed {
		return slbcert.MissingParameter("Permissions.N.IpProtocol")
	}
	rules, err := s.rules(ctx, p, g, direction, in, false)
	if err != nil {
		return err
	}
	gone := map[string]bool{}
	for _, r := range rules {
		gone[RuleKey(r)] = true
	}
	_, err = s.Store.UpdateSecurityGroup(ctx, p.Account.ID, g.ID, func(g *SecurityGroup) error {
		byID := map[string]bool{}
		for _, id := range in.RuleIDs {
			found := false
			for _, r := range g.Permissions {
				found = found || (r.ID == id && r.Direction == direction)
			}
			if !found {
				return errorf(ERuleIDNotFound, "The specified SecurityGroupRuleId is not exists: %s.", id)
			}
			byID[id] = true
		}
		kept := g.Permissions[:0]
		for _, r := range g.Permissions {
			if !gone[RuleKey(r)] && !byID[r.ID] {
				kept = append(kept, r)
			}
		}
		g.Permissions = kept
		return nil
	})
	return storeError(err, errSecurityGroupNotFound(in.SecurityGroupID))
}

// ModifyRule changes the description of one rule
// (ModifySecurityGroupRule[Egress]Rule): the rule SecurityGroupRuleId
// names, else the one whose fields match. Terraform sends it twice, so
// it is idempotent. No such rule: 400 InvalidSecurityGroupRule.RuleNotExist
// (404 InvalidSecurityGroupRuleId.NotFound for an unknown id).
func (s *Service) ModifyRule(ctx context.Context, p *slbcert.Principal, direction string, in RulesInput) error {
	action := "ModifySecurityGroupRule"
	if direction == Egress {
		action = "ModifySecurityGroupEgressRule"
	}
	g, err := s.group(ctx, p, action, in.RegionID, in.SecurityGroupID)
	if err != nil {
		return err
	}
	if len(in.Rules) != 1 {
		return slbcert.MissingParameter("IpProtocol")
	}
	desc := in.Rules[0]
	var key string
	if len(in.RuleIDs) == 0 {
		rules, err := s.rules(ctx, p, g, direction, in, false)
		if err != nil {
			return err
		}
		key = RuleKey(rules[0])
	} else if desc.Description != "" {
		if n := len([]rune(desc.Description)); n > 512 || hasURLPrefix(desc.Description) {
			return errorf(ERuleDescription, "The specified security group rule description is not valid: 1 to 512 characters, not starting with http:// or https://.")
		}
	}
	_, err = s.Store.UpdateSecurityGroup(ctx, p.Account.ID, g.ID, func(g *SecurityGroup) error {
		for i, r := range g.Permissions {
			if r.Direction != direction {
				continue
			}
			if (len(in.RuleIDs) > 0 && r.ID == in.RuleIDs[0]) || (len(in.RuleIDs) == 0 && RuleKey(r) == key) {
				if desc.DescriptionGiven {
					g.Permissions[i].Description = desc.Description
				}
				return nil
			}
		}
		if len(in.RuleIDs) > 0 {
			return errorf(ERuleIDNotFound, "The specified SecurityGroupRuleId is not exists: %s.", in.RuleIDs[0])
		}
		return errorf(ERuleNotExist, "The specified rule does not exist.")
	})
	return storeError(err, errSecurityGroupNotFound(in.SecurityGroupID))
}
