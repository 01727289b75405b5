package ecs

import (
	"context"
	"encoding/base64"
	"errors"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"slbcert"
)

// RunInstancesInput carries RunInstances's parameters (and CreateInstance's,
// which creates one stopped instance).
type RunInstancesInput struct {
	RegionID, ZoneID, InstanceType, ImageID, VSwitchID, PrivateIPAddress string
	// SecurityGroupID is the single form; SecurityGroupIDs SecurityGroupIds.N.
	SecurityGroupID                                                 string
	SecurityGroupIDs                                                []string
	InstanceName, Description, HostName, Password                   string
	InstanceChargeType, InternetChargeType                          string
	InternetMaxBandwidthOut, InternetMaxBandwidthIn                 string
	SystemDiskCategory, SystemDiskSize, SystemDiskName              string
	SystemDiskDescription, SystemDiskPerformanceLevel               string
	UserData, KeyPairName, RAMRoleName, SecurityEnhancementStrategy string
	DeletionProtection, AutoReleaseTime, IoOptimized                string
	SpotStrategy, SpotPriceLimit, SpotDuration                      string
	SpotInterruptionBehavior, CreditSpecification                   string
	HTTPEndpoint, HTTPTokens, HTTPPutResponseHopLimit               string
	DeploymentSetID, HpcClusterID, DedicatedHostID                  string
	Amount, MinAmount, ResourceGroupID, ClientToken, DryRun         string
	Tags                                                            []slbcert.Tag
	// Features this server does not serve, given: launch templates, data
	// disks, extra network interfaces, IPv6 addresses.
	LaunchTemplate, DataDisks, NetworkInterfaces, IPv6 bool
	// Stopped creates the instance Stopped (CreateInstance); RunInstances
	// starts it.
	Stopped bool
}

// RunInstances creates Amount (1–100) instances, each with a primary
// network interface holding an address of the vSwitch and a system disk,
// Running when it answers (Stopped for CreateInstance). The checks follow
// the RunInstances page; the first failure answers and nothing is created.
// Addresses are allocated first and released again if the instances
// cannot be stored: compensation, not one transaction (docs/choices.md).
// A ClientToken given before answers the instances it created.
func (s *Service) RunInstances(ctx context.Context, p *slbcert.Principal, in RunInstancesInput) ([]string, error) {
	action := "RunInstances"
	if in.Stopped {
		action = "CreateInstance"
	}
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(p, action, ARN(reg.ID, p.Account.ID, "instance", "*")); err != nil {
		return nil, err
	}
	switch {
	case in.LaunchTemplate:
		return nil, errorf(EOperationDenied, "Launch templates are not served here: give InstanceType and ImageId.")
	case in.DataDisks:
		return nil, errorf(EOperationDenied, "Data disks are not served here: an instance has its system disk only.")
	case in.NetworkInterfaces:
		return nil, errorf(EOperationDenied, "NetworkInterface.N is not served here: give VSwitchId and SecurityGroupIds.N.")
	case in.IPv6:
		return nil, errorf(EOperationDenied, "IPv6 addresses are not served here.")
	case in.DedicatedHostID != "":
		return nil, errorf(EOperationDenied, "Dedicated hosts are not served here.")
	case in.KeyPairName != "":
		return nil, errorf(EKeyPairNotFound, "The specified KeyPairName does not exist: %s (key pairs are not served here).", in.KeyPairName)
	}
	if err := checkChargeType(EInstanceChargeType, in.InstanceChargeType); err != nil {
		return nil, err
	}
	if in.InstanceChargeType == "PrePaid" {
		return nil, errorf(EOperationDenied, "Subscription (PrePaid) instances are not served here: use PostPaid.")
	}
	if in.InstanceType == "" {
		return nil, slbcert.MissingParameter("InstanceType")
	}
	typ := s.Catalogue.InstanceType(in.InstanceType)
	if typ == nil {
		return nil, errorf(EInstanceType, "The specified InstanceType does not exist or beyond the permitted range: %s.", in.InstanceType)
	}
	if in.ImageID == "" {
		return nil, slbcert.MissingParameter("ImageId")
	}
	img := s.Catalogue.Image(in.ImageID)
	if img == nil {
		return nil, errImageNotFound(in.ImageID)
	}
	if !ImageFits(img, typ) {
		return nil, errorf(EImageTypeConflict, "The specified image does not support the specified instance type.")
	}
	amount, err := parseInt("Amount", in.Amount, 1, 1, 100, EAmount)
	if err != nil {
		return nil, err
	}
	if _, err := parseInt("MinAmount", in.MinAmount, 1, 1, amount, EAmount); err != nil {
		return nil, err
	}
	if err := checkName(EInstanceName, "InstanceName", in.InstanceName); err != nil {
		return nil, err
	}
	if err := checkDescription(EDescription, "Description", in.Description); err != nil {
		return nil, err
	}
	if err := checkHostName(in.HostName); err != nil {
		return nil, err
	}
	if err := checkPassword(in.Password); err != nil {
		return nil, err
	}
	settings, err := s.settings(in, typ)
	if err != nil {
		return nil, err
	}
	disk, err := s.systemDisk(in, typ, img)
	if err != nil {
		return nil, err
	}
	if err := checkUserData(in.UserData); err != nil {
		return nil, err
	}
	protect, err := parseBool("DeletionProtection", in.DeletionProtection, false)
	if err != nil {
		return nil, err
	}
	groups := slices.Clone(in.SecurityGroupIDs)
	switch {
	case in.SecurityGroupID != "" && len(groups) > 0:
		return nil, errorf(slbcert.EInvalidParameter, "SecurityGroupId and SecurityGroupIds.N cannot be specified together.")
	case in.SecurityGroupID != "":
		groups = []string{in.SecurityGroupID}
	case len(groups) == 0:
		return nil, slbcert.MissingParameter("SecurityGroupId")
	}
	if err := checkGroupList(p, groups); err != nil {
		return nil, err
	}
	if in.VSwitchID == "" {
		return nil, slbcert.MissingParameter("VSwitchId")
	}
	var want netip.Addr
	if in.PrivateIPAddress != "" {
		if want, err = netip.ParseAddr(in.PrivateIPAddress); err != nil || !want.Is4() {
			return nil, errorf(EPrivateIPMalformed, "Specified private IP address is malformed: %q.", in.PrivateIPAddress)
		}
		if amount > 1 {
			return nil, errorf(slbcert.EInvalidParameter, "PrivateIpAddress can only be given for one instance (Amount 1).")
		}
	}
	group, err := p.Account.ResourceGroup(in.ResourceGroupID)
	if err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	if len(in.ClientToken) > 64 {
		return nil, errorf("InvalidClientToken.ValueNotSupported", "clienttoken is not valid: at most 64 ASCII characters.")
	}
	dryRun, err := parseBool("DryRun", in.DryRun, false)
	if err != nil {
		return nil, err
	}
	net, err := s.network()
	if err != nil {
		return nil, err
	}
	vpcID, zoneID, _, err := net.VSwitchOf(ctx, p.Account.ID, reg.ID, in.VSwitchID)
	if errors.Is(err, slbcert.ErrNotFound) {
		return nil, errVSwitchNotFound(in.VSwitchID)
	} else if err != nil {
		return nil, err
	}
	if in.ZoneID != "" {
		if reg.Zone(in.ZoneID) == nil {
			return nil, errZoneNotFound(in.ZoneID)
		}
		if in.ZoneID != zoneID {
			return nil, errorf(EMismatch, "Specified virtual switch is not in the specified zone.")
		}
	}
	switch offered, inStock := s.Catalogue.Stock(zoneID, typ.ID); {
	case !offered:
		return nil, errorf(EInstanceTypeZone, "The specified zone %s does not offer the specified instance type %s.", zoneID, typ.ID)
	case !inStock:
		return nil, errorf(ENoStock, "The resource %s is out of stock in the specified zone %s. Please try other types of resources or other regions and zones.", typ.ID, zoneID)
	}
	for _, id := range groups {
		list, err := s.Store.FindSecurityGroups(ctx, SecurityGroupFilter{AccountID: p.Account.ID, RegionID: reg.ID, IDs: []string{id}})
		if err != nil {
			return nil, storeError(err, nil)
		}
		if len(list) == 0 {
			return nil, errSecurityGroupNotFound(id)
		}
		if list[0].VpcID != vpcID {
			return nil, errorf(EMismatch, "Specified security group and virtual switch are not in the same VPC.")
		}
	}
	for _, res := range append([]string{ARN(reg.ID, p.Account.ID, "image", img.ID)}, arns(reg.ID, p.Account.ID, "securitygroup", groups)...) {
		if err := s.authorize(p, action, res); err != nil {
			return nil, err
		}
	}
	if dryRun {
		return nil, errDryRun()
	}
	if prev, err := s.instancesByToken(ctx, p, reg.ID, in.ClientToken); err != nil || prev != nil {
		return prev, err
	}

	now := s.now()
	status, stoppedMode, start := StatusRunning, StoppedModeNotApplicable, now
	if in.Stopped {
		status, stoppedMode, start = StatusStopped, StoppedModeKeepCharging, time.Time{}
	}
	list := make([]*Instance, amount)
	for i := range list {
		id := newInstanceID(reg.ID)
		eni := newENIID(reg.ID)
		inst := &Instance{
			ID: id, AccountID: p.Account.ID, RegionID: reg.ID, ZoneID: zoneID,
			Name: in.InstanceName, Description: in.Description, HostName: in.HostName,
			InstanceType: typ.ID, ImageID: img.ID, Status: status,
			VpcID: vpcID, VSwitchID: in.VSwitchID, SecurityGroupIDs: groups,
			InstanceChargeType: "PostPaid", UserData: in.UserData, DeletionProtection: protect,
			ResourceGroupID: group, StoppedMode: stoppedMode,
			CreationTime: now, StartTime: start, Tags: orNoTags(in.Tags),
			ENI:        NetworkInterface{ID: eni, MacAddress: macAddress(eni), Tags: orNoTags(in.Tags)},
			SystemDisk: disk, Settings: settings,
		}
		inst.SystemDisk.ID, inst.SystemDisk.Tags = newDiskID(reg.ID), orNoTags(in.Tags)
		if inst.Name == "" {
			inst.Name = id
		}
		if inst.HostName == "" {
			inst.HostName = "iZ" + strings.TrimPrefix(id, "i-") + "Z"
		}
		list[i] = inst
	}
	// Instances of one call share their creation time, and lists order
	// them by id: answer them in that order too.
	slices.SortFunc(list, func(a, b *Instance) int { return strings.Compare(a.ID, b.ID) })
	for i, inst := range list {
		if in.ClientToken != "" {
			inst.ClientToken = in.ClientToken
			if i > 0 {
				// Tokens are unique per account: the others carry theirs
				// with a suffix, and a repeat finds them all.
				inst.ClientToken += "/" + strconv.Itoa(i)
			}
		}
	}
	release := func() {
		for _, inst := range list {
			// Best effort: a release that fails leaves an address held by an
			// id that will never exist (docs/choices.md).
			_ = net.ReleaseAddresses(context.WithoutCancel(ctx), p.Account.ID, inst.ID)
		}
	}
	for _, inst := range list {
		addr, err := net.AllocateAddress(ctx, p.Account.ID, in.VSwitchID, inst.ID, want)
		if err != nil {
			release()
			return nil, allocationError(err, in.VSwitchID, want)
		}
		inst.PrivateIP = addr
	}
	err = s.Store.CreateInstances(ctx, list, p.Account.Quota(QuotaInstances, DefaultInstancesQuota))
	if err != nil {
		release()
		switch {
		case errors.Is(err, slbcert.ErrQuotaExceeded):
			return nil, errorf(EInstanceQuota, "Living afterpay instances quota exceeded.")
		case errors.Is(err, slbcert.ErrAlreadyExists):
			return s.instancesByToken(ctx, p, reg.ID, in.ClientToken)
		case errors.Is(err, slbcert.ErrInvalidReference):
			return nil, errorf(ESecurityGroupNotFound, "The specified SecurityGroupId does not exist: a security group was deleted meanwhile.")
		}
		return nil, storeError(err, nil)
	}
	s.addressesChanged(ctx)
	ids := make([]string, len(list))
	for i, inst := range list {
		ids[i] = inst.ID
	}
	return ids, nil
}

// arns returns the ARNs of ids of kind.
func arns(regionID, accountID, kind string, ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = ARN(regionID, accountID, kind, id)
	}
	return out
}

// checkGroupList refuses a repeated group or more groups than an instance
// may be in.
func checkGroupList(p *slbcert.Principal, groups []string) error {
	limit := p.Account.Quota(QuotaGroupsPerInstance, DefaultGroupsPerInstanceQuota)
	if len(groups) > limit {
		return errorf(EGroupsPerInstance, "An instance can be in at most %d security groups; got %d.", limit, len(groups))
	}
	for i, g := range groups {
		if g == "" || slices.Contains(groups[:i], g) {
			return errorf(slbcert.EInvalidParameter, "The security groups of an instance must be given once each: %q.", g)
		}
	}
	return nil
}

// allocationError turns the VPC's answer to an address request into
// RunInstances's code.
func allocationError(err error, vswitchID string, want netip.Addr) error {
	switch {
	case errors.Is(err, slbcert.ErrNotFound):
		return errVSwitchNotFound(vswitchID)
	case errors.Is(err, slbcert.ErrInvalidReference):
		return errorf(EPrivateIP, "Specified private IP address is not in the CIDR block of virtual switch: %s.", want)
	case errors.Is(err, slbcert.ErrAlreadyExists):
		return errorf(EPrivateIPDuplicated, "Specified private IP address is duplicated: %s.", want)
	case errors.Is(err, slbcert.ErrQuotaExceeded):
		return errorf(EPrivateIPExhausted, "Don't have enough private IPs in this switch.")
	}
	return err
}

// instancesByToken returns the ids an earlier RunInstances with token
// created, or nil.
func (s *Service) instancesByToken(ctx context.Context, p *slbcert.Principal, regionID, token string) ([]string, error) {
	if token == "" {
		return nil, nil
	}
	tokens := []string{token}
	for i := 1; i < 100; i++ {
		tokens = append(tokens, token+"/"+strconv.Itoa(i))
	}
	list, err := s.Store.FindInstances(ctx, InstanceFilter{AccountID: p.Account.ID, RegionID: regionID, ClientTokens: tokens})
	if err != nil {
		return nil, storeError(err, nil)
	}
	var ids []string
	for _, i := range list {
		ids = append(ids, i.ID)
	}
	return ids, nil
}

// hostNameSegment: letters, digits and '-', neither first nor last.
var hostNameSegment = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`)

// checkHostName applies the Linux host name rule of the RunInstances page:
// 2–64 characters, segments of letters, digits and '-' separated by '.'.
func checkHostName(v string) error {
	if v == "" {
		return nil
	}
	ok := len(v) >= 2 && len(v) <= 64
	for _, seg := range strings.Split(v, ".") {
		ok = ok && hostNameSegment.MatchString(seg) && !strings.Contains(seg, "--")
	}
	if !ok {
		return errorf(EHostName, "The specified parameter HostName is not valid: 2 to 64 characters, segments of letters, digits and '-' separated by '.'.")
	}
	return nil
}

// passwordSpecials are the special characters a password may hold.
const passwordSpecials = "()`~!@#$%^&*-_+=|{}[]:;'<>,.?/"

// checkPassword applies the RunInstances page's rule: 8–30 characters of
// at least three of upper case, lower case, digits and specials. The
// password is checked and forgotten: no API returns it.
func checkPassword(v string) error {
	if v == "" {
		return nil
	}
	var classes [4]bool
	ok := len(v) >= 8 && len(v) <= 30
	for _, r := range v {
		switch {
		case r >= 'A' && r <= 'Z':
			classes[0] = true
		case r >= 'a' && r <= 'z':
			classes[1] = true
		case r >= '0' && r <= '9':
			classes[2] = true
		case strings.ContainsRune(passwordSpecials, r):
			classes[3] = true
		default:
			ok = false
		}
	}
	n := 0
	for _, c := range classes {
		if c {
			n++
		}
	}
	if !ok || n < 3 {
		return errorf(EPassword, "The specified parameter \"Password\" is not valid: 8 to 30 characters, three of upper case, lower case, digits and %s.", passwordSpecials)
	}
	return nil
}

// maxUserData bounds user data before encoding (32 KiB).
const maxUserData = 32 << 10

// checkUserData requires base64 of at most 32 KiB.
func checkUserData(v string) error {
	if v == "" {
		return nil
	}
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return errorf(EUserDataBase64, "The specified parameter UserData must be Base64-encoded.")
	}
	if len(raw) > maxUserData {
		return errorf(EUserDataSize, "The specified parameter UserData exceeds %d bytes before encoding.", maxUserData)
	}
	return nil
}

// settings reads the settings an instance only reports back.
func (s *Service) settings(in RunInstancesInput, typ *InstanceType) (InstanceSettings, error) {
	img := s.Catalogue.Image(in.ImageID)
	st := InstanceSettings{
		InstanceTypeFamily: typ.Family, CPU: typ.CPU, MemoryMiB: int(typ.MemoryGiB * 1024),
		OSName: img.OSName, OSNameEn: img.OSNameEn, OSType: img.OSType,
		InternetChargeType: in.InternetChargeType, SpotStrategy: in.SpotStrategy,
		SpotInterruptionBehavior: in.SpotInterruptionBehavior, CreditSpecification: in.CreditSpecification,
		AutoReleaseTime: in.AutoReleaseTime, RAMRoleName: in.RAMRoleName,
		HTTPEndpoint: in.HTTPEndpoint, HTTPTokens: in.HTTPTokens,
		SecurityEnhancementStrategy: in.SecurityEnhancementStrategy,
		DeploymentSetID:             in.DeploymentSetID, HpcClusterID: in.HpcClusterID,
	}
	switch st.InternetChargeType {
	case "":
		st.InternetChargeType = "PayByTraffic"
	case "PayByTraffic", "PayByBandwidth":
	default:
		return st, errorf(EInternetChargeType, "The specified InternetChargeType %q is not valid: PayByTraffic or PayByBandwidth.", in.InternetChargeType)
	}
	var err error
	if st.InternetMaxBandwidthOut, err = parseInt("InternetMaxBandwidthOut", in.InternetMaxBandwidthOut, 0, 0, 100, EBandwidthOut); err != nil {
		return st, err
	}
	if st.InternetMaxBandwidthIn, err = parseInt("InternetMaxBandwidthIn", in.InternetMaxBandwidthIn, 10, 1, max(10, st.InternetMaxBandwidthOut), EBandwidthIn); err != nil {
		return st, err
	}
	if err := checkSpotStrategy(st.SpotStrategy); err != nil {
		return st, err
	}
	if st.SpotStrategy == "" {
		st.SpotStrategy = "NoSpot"
	}
	if in.SpotPriceLimit != "" {
		if st.SpotPriceLimit, err = strconv.ParseFloat(in.SpotPriceLimit, 64); err != nil || st.SpotPriceLimit < 0 {
			return st, errorf(slbcert.EInvalidParameter, "The specified parameter SpotPriceLimit %q is not a price.", in.SpotPriceLimit)
		}
	}
	if st.SpotDuration, err = parseInt("SpotDuration", in.SpotDuration, 0, 0, 6, ""); err != nil {
		return st, err
	}
	switch st.SpotInterruptionBehavior {
	case "":
		st.SpotInterruptionBehavior = "Terminate"
	case "Terminate", "Stop":
	default:
		return st, errorf(slbcert.EInvalidParameter, "The specified SpotInterruptionBehavior %q is not valid: Terminate or Stop.", in.SpotInterruptionBehavior)
	}
	switch st.CreditSpecification {
	case "", "Standard", "Unlimited":
	default:
		return st, errorf(slbcert.EInvalidParameter, "The specified CreditSpecification %q is not valid: Standard or Unlimited.", in.CreditSpecification)
	}
	if st.CreditSpecification == "" && typ.Level == "CreditEntryLevel" {
		st.CreditSpecification = "Standard"
	}
	if in.AutoReleaseTime != "" {
		if _, err := time.Parse(slbcert.TimeLayout, in.AutoReleaseTime); err != nil {
			if _, err := time.Parse("2006-01-02T15:04Z", in.AutoReleaseTime); err != nil {
				return st, errorf(EAutoReleaseTime, "The specified AutoReleaseTime %q is not valid: yyyy-MM-ddTHH:mm:ssZ in UTC.", in.AutoReleaseTime)
			}
		}
	}
	switch st.HTTPEndpoint {
	case "":
		st.HTTPEndpoint = "enabled"
	case "enabled", "disabled":
	default:
		return st, errorf(slbcert.EInvalidParameter, "The specified HttpEndpoint %q is not valid: enabled or disabled.", in.HTTPEndpoint)
	}
	switch st.HTTPTokens {
	case "":
		st.HTTPTokens = "optional"
	case "optional", "required":
	default:
		return st, errorf(slbcert.EInvalidParameter, "The specified HttpTokens %q is not valid: optional or required.", in.HTTPTokens)
	}
	if st.HTTPPutResponseHopLimit, err = parseInt("HttpPutResponseHopLimit", in.HTTPPutResponseHopLimit, 1, 1, 64, ""); err != nil {
		return st, err
	}
	switch st.SecurityEnhancementStrategy {
	case "", "Active", "Deactive":
	default:
		return st, errorf(slbcert.EInvalidParameter, "The specified SecurityEnhancementStrategy %q is not valid: Active or Deactive.", in.SecurityEnhancementStrategy)
	}
	if in.IoOptimized != "" && in.IoOptimized != "optimized" {
		return st, errorf(EIoOptimized, "The specified IoOptimized %q is not valid: only I/O optimized instances (optimized) are served.", in.IoOptimized)
	}
	return st, nil
}

// DefaultSystemDiskCategory is the system disk's category when none is
// given (docs/choices.md, "ECS").
const DefaultSystemDiskCategory = "cloud_efficiency"

// systemDisk reads the system disk's parameters: category (default
// cloud_efficiency), size (default the larger of 40 GiB and the image's;
// within the category's range and not below the image's), name,
// description, performance level (ESSDs only; default PL1).
func (s *Service) systemDisk(in RunInstancesInput, typ *InstanceType, img *Image) (Disk, error) {
	d := Disk{Category: in.SystemDiskCategory, Name: in.SystemDiskName, Description: in.SystemDiskDescription}
	if d.Category == "" {
		d.Category = DefaultSystemDiskCategory
	}
	cat := s.Catalogue.DiskCategory(d.Category)
	if cat == nil || !cat.SystemDisk() {
		return d, errorf(ESystemDiskCategory, "The specified parameter \"SystemDisk.Category\" is not valid: %q.", in.SystemDiskCategory)
	}
	if cat.ID == "cloud_essd_entry" && !typ.EssdEntryAvailable {
		return d, errorf(EDiskCategoryForType, "The specified disk category %s is not support the specified instance type %s.", cat.ID, typ.ID)
	}
	size, err := parseInt("SystemDisk.Size", in.SystemDiskSize, max(40, img.SizeGiB), 1, 1<<20, ESystemDiskSize)
	if err != nil {
		return d, err
	}
	if size < cat.MinGiB || size > cat.MaxGiB {
		return d, errorf(ESystemDiskSize, "The specified parameter SystemDisk.Size %d is not valid: %s takes %d to %d GiB.", size, cat.ID, cat.MinGiB, cat.MaxGiB)
	}
	if size < img.SizeGiB {
		return d, errorf(ESystemDiskSmall, "The specified parameter SystemDisk.Size is less than the image size (%d GiB).", img.SizeGiB)
	}
	d.SizeGiB = size
	if err := checkName(EDiskName, "SystemDisk.DiskName", d.Name); err != nil {
		return d, err
	}
	if err := checkDescription(EDiskDescription, "SystemDisk.Description", d.Description); err != nil {
		return d, err
	}
	switch pl := in.SystemDiskPerformanceLevel; {
	case len(cat.PerformanceLevels) == 0 && pl != "":
		return d, errorf(EPerformanceLevel, "The specified SystemDisk.PerformanceLevel %q applies to ESSDs only.", pl)
	case pl == "" && len(cat.PerformanceLevels) > 0:
		d.PerformanceLevel = cat.PerformanceLevels[0]
	case pl != "" && !slices.Contains(cat.PerformanceLevels, pl):
		return d, errorf(EPerformanceLevel, "The specified SystemDisk.PerformanceLevel %q is not valid: %s.", pl, strings.Join(cat.PerformanceLevels, ", "))
	default:
		d.PerformanceLevel = pl
	}
	return d, nil
}
