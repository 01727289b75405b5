package ecs

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"

	"slbcert"
	"slbcert/region"
)

// The read-only operations over the catalogue and the region table:
// DescribeRegions, DescribeZones, DescribeAvailableResource, DescribeImages,
// DescribeInstanceTypes, DescribeInstanceTypeFamilies,
// DescribeImageSupportInstanceTypes.

// languages are the AcceptLanguage values ECS answers in.
var languages = []string{"zh-CN", "zh-TW", "en-US", "ja"}

func checkLanguage(lang string) error {
	if lang == "" || slices.Contains(languages, lang) {
		return nil
	}
	return errorf(EAcceptLanguage, "The specified AcceptLanguage %q is not supported: zh-CN, en-US or ja.", lang)
}

// checkChargeType accepts the billing methods ECS has, PostPaid the
// default (it is the only one instances may use here).
func checkChargeType(code, v string) error {
	if v == "" || v == "PostPaid" || v == "PrePaid" {
		return nil
	}
	return errorf(code, "The specified InstanceChargeType %q does not exist: PostPaid or PrePaid.", v)
}

func checkSpotStrategy(v string) error {
	if v == "" || v == "NoSpot" || v == "SpotWithPriceLimit" || v == "SpotAsPriceGo" {
		return nil
	}
	return errorf(ESpotStrategy, "The specified SpotStrategy %q is not valid: NoSpot, SpotWithPriceLimit or SpotAsPriceGo.", v)
}

// RegionEndpoint is the ECS API host of a region, as DescribeRegions
// reports it.
func RegionEndpoint(regionID string) string { return "ecs." + regionID + ".aliyuncs.com" }

// RegionsInput carries DescribeRegions's parameters.
type RegionsInput struct {
	AcceptLanguage, InstanceChargeType, ResourceType string
}

// DescribeRegions lists the region table, whatever the account's
// authorized regions (as SLB's DescribeRegions does).
func (s *Service) DescribeRegions(ctx context.Context, p *slbcert.Principal, in RegionsInput) ([]*region.Region, error) {
	if err := s.authorize(p, "DescribeRegions", ARN("*", p.Account.ID, "*", "*")); err != nil {
		return nil, err
	}
	if err := checkLanguage(in.AcceptLanguage); err != nil {
		return nil, err
	}
	if err := checkChargeType(EInstanceChargeType, in.InstanceChargeType); err != nil {
		return nil, err
	}
	switch in.ResourceType {
	case "", "instance", "disk", "reservedinstance", "scu":
	default:
		return nil, errorf(EResourceTypeValue, "The specified ResourceType %q is not valid: instance, disk, reservedinstance or scu.", in.ResourceType)
	}
	return s.Regions.All(), nil
}

// ZonesInput carries DescribeZones's parameters.
type ZonesInput struct {
	RegionID, InstanceChargeType, SpotStrategy, AcceptLanguage, Verbose string
}

// ZoneOffering is one zone as DescribeZones reports it: what it sells now.
type ZoneOffering struct {
	Zone *region.Zone
	// InstanceTypes are the types in stock; DiskCategories the system-disk
	// categories. Verbose is false when only ids and names were asked for.
	InstanceTypes  []*InstanceType
	DiskCategories []string
	Verbose        bool
}

// DescribeZones lists the region's zones and what each sells: the types in
// stock and the system-disk categories. A closed zone lists no types
// (Terraform's alicloud_zones then leaves it out, as on Alibaba Cloud).
func (s *Service) DescribeZones(ctx context.Context, p *slbcert.Principal, in ZonesInput) ([]ZoneOffering, error) {
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(p, "DescribeZones", ARN(reg.ID, p.Account.ID, "*", "*")); err != nil {
		return nil, err
	}
	if err := checkChargeType(EInstanceChargeType, in.InstanceChargeType); err != nil {
		return nil, err
	}
	if err := checkSpotStrategy(in.SpotStrategy); err != nil {
		return nil, err
	}
	if err := checkLanguage(in.AcceptLanguage); err != nil {
		return nil, err
	}
	verbose, err := parseBool("Verbose", in.Verbose, true)
	if err != nil {
		return nil, err
	}
	out := make([]ZoneOffering, 0, len(reg.Zones))
	for i := range reg.Zones {
		z := &reg.Zones[i]
		o := ZoneOffering{Zone: z, Verbose: verbose, InstanceTypes: []*InstanceType{}, DiskCategories: []string{}}
		types, stock := s.Catalogue.ZoneTypes(z.ID)
		for j, t := range types {
			if stock[j] {
				o.InstanceTypes = append(o.InstanceTypes, t)
			}
		}
		if len(o.InstanceTypes) > 0 {
			for _, d := range s.Catalogue.DiskCategories {
				if d.SystemDisk() {
					o.DiskCategories = append(o.DiskCategories, d.ID)
				}
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// AvailableInput carries DescribeAvailableResource's parameters.
type AvailableInput struct {
	RegionID, DestinationResource, ZoneID                             string
	InstanceChargeType, SpotStrategy, IoOptimized, InstanceType       string
	Cores, Memory, SystemDiskCategory, DataDiskCategory, ResourceType string
	NetworkCategory                                                   string
}

// AvailableZone is one zone of DescribeAvailableResource's answer.
type AvailableZone struct {
	RegionID, ZoneID       string
	Status, StatusCategory string
	Resources              []AvailableResource
}

// AvailableResource is one kind of resource a zone offers, with its values.
type AvailableResource struct {
	Type      string
	Supported []SupportedResource
}

// SupportedResource is one value of an AvailableResource: a type id, a
// disk category with its sizes, "optimized", "vpc", a zone id.
type SupportedResource struct {
	Value, Status, StatusCategory string
	Min, Max                      int
	Unit                          string
}

// Stock statuses.
const (
	stockAvailable = "Available"
	stockSoldOut   = "SoldOut"
	withStock      = "WithStock"
	withoutStock   = "WithoutStock"
)

func stockOf(ok bool) (status, category string) {
	if ok {
		return stockAvailable, withStock
	}
	return stockSoldOut, withoutStock
}

// DescribeAvailableResource answers what the region's zones (or ZoneId)
// offer of DestinationResource — Zone, IoOptimized, InstanceType,
// SystemDisk, DataDisk, Network or ddh — under the filters given, in the
// shape data "alicloud_zones" and data "alicloud_instance_types" read.
// Zones offering nothing that matches are left out.
func (s *Service) DescribeAvailableResource(ctx context.Context, p *slbcert.Principal, in AvailableInput) ([]AvailableZone, error) {
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(p, "DescribeAvailableResource", ARN(reg.ID, p.Account.ID, "*", "*")); err != nil {
		return nil, err
	}
	dest := in.DestinationResource
	switch dest {
	case "":
		return nil, errorf(EDestinationMissing, "The parameter DestinationResource is mandatory.")
	case "Zone", "IoOptimized", "InstanceType", "SystemDisk", "DataDisk", "Network", "ddh":
	default:
		return nil, errorf(EDestination, "The specified DestinationResource %q is not valid: Zone, IoOptimized, InstanceType, SystemDisk, DataDisk, Network or ddh.", dest)
	}
	if err := checkChargeType(EChargeTypeValue, in.InstanceChargeType); err != nil {
		return nil, err
	}
	if err := checkSpotStrategy(in.SpotStrategy); err != nil {
		return nil, err
	}
	if in.IoOptimized != "" && in.IoOptimized != "optimized" && in.IoOptimized != "none" {
		return nil, errorf(EIoOptimizedValue, "The specified IoOptimized %q is not valid: optimized or none.", in.IoOptimized)
	}
	switch in.ResourceType {
	case "", "instance", "disk", "reservedinstance", "ddh":
	default:
		return nil, errorf(EResourceTypeValue, "The specified ResourceType %q is not valid: instance, disk, reservedinstance or ddh.", in.ResourceType)
	}
	if (in.Cores != "" || in.Memory != "") && dest != "InstanceType" {
		code := ECoresGiven
		if in.Cores == "" {
			code = EMemoryGiven
		}
		return nil, errorf(code, "The parameters Cores and Memory should be empty unless DestinationResource is InstanceType.")
	}
	if (in.Cores != "" || in.Memory != "") && in.InstanceType != "" {
		return nil, errorf(ETypeAndCPUMem, "The parameters InstanceType and Cores/Memory cannot be specified together.")
	}
	cores, err := parseInt("Cores", in.Cores, 0, 1, 1<<16, "")
	if err != nil {
		return nil, err
	}
	memory := 0.0
	if in.Memory != "" {
		if memory, err = strconv.ParseFloat(in.Memory, 64); err != nil || memory <= 0 {
			return nil, errorf(slbcert.EInvalidParameter, "The specified parameter Memory %q is not a positive number.", in.Memory)
		}
	}
	for _, c := range []string{in.SystemDiskCategory, in.DataDiskCategory} {
		if c != "" && s.Catalogue.DiskCategory(c) == nil {
			return nil, errorf(ESystemDiskCategory, "The specified disk category %q is not valid.", c)
		}
	}
	if in.ZoneID != "" && reg.Zone(in.ZoneID) == nil {
		return nil, errZoneNotFound(in.ZoneID)
	}
	out := []AvailableZone{}
	// Classic networks, non-optimized instances, reserved instances and
	// dedicated hosts are not sold here: nothing matches.
	if in.IoOptimized == "none" || in.NetworkCategory == "classic" || in.ResourceType == "reservedinstance" || in.ResourceType == "ddh" || dest == "ddh" {
		return out, nil
	}
	typeMatches := func(t *InstanceType) bool {
		return (in.InstanceType == "" || t.ID == in.InstanceType) &&
			(cores == 0 || t.CPU == cores) && (memory == 0 || t.MemoryGiB == memory) &&
			(in.SystemDiskCategory != "cloud_essd_entry" || t.EssdEntryAvailable)
	}
	for i := range reg.Zones {
		z := &reg.Zones[i]
		if in.ZoneID != "" && z.ID != in.ZoneID {
			continue
		}
		types, stock := s.Catalogue.ZoneTypes(z.ID)
		var matching []*InstanceType
		anyStock := false
		for j, t := range types {
			if typeMatches(t) {
				matching = append(matching, t)
				anyStock = anyStock || stock[j]
			}
		}
		if len(matching) == 0 {
			continue
		}
		var res AvailableResource
		switch dest {
		case "Zone":
			st, cat := stockOf(anyStock)
			res = AvailableResource{Type: "Zone", Supported: []SupportedResource{{Value: z.ID, Status: st, StatusCategory: cat}}}
		case "IoOptimized":
			st, cat := stockOf(anyStock)
			res = AvailableResource{Type: "IoOptimized", Supported: []SupportedResource{{Value: "optimized", Status: st, StatusCategory: cat}}}
		case "Network":
			st, cat := stockOf(anyStock)
			res = AvailableResource{Type: "Network", Supported: []SupportedResource{{Value: "vpc", Status: st, StatusCategory: cat}}}
		case "InstanceType":
			res = AvailableResource{Type: "InstanceType"}
			for j, t := range types {
				if typeMatches(t) {
					st, cat := stockOf(stock[j])
					res.Supported = append(res.Supported, SupportedResource{Value: t.ID, Status: st, StatusCategory: cat})
				}
			}
		case "SystemDisk", "DataDisk":
			res = AvailableResource{Type: dest}
			essdEntry := slices.ContainsFunc(matching, func(t *InstanceType) bool { return t.EssdEntryAvailable })
			for _, d := range s.Catalogue.DiskCategories {
				lo, hi := d.MinGiB, d.MaxGiB
				want := in.SystemDiskCategory
				if dest == "DataDisk" {
					lo, hi, want = d.DataMinGiB, d.DataMaxGiB, in.DataDiskCategory
				}
				if hi == 0 || (want != "" && want != d.ID) || (d.ID == "cloud_essd_entry" && !essdEntry) {
					continue
				}
				st, cat := stockOf(anyStock)
				res.Supported = append(res.Supported, SupportedResource{Value: d.ID, Status: st, StatusCategory: cat, Min: lo, Max: hi, Unit: "GiB"})
			}
			if len(res.Supported) == 0 {
				continue
			}
		}
		st, cat := stockOf(anyStock)
		out = append(out, AvailableZone{RegionID: reg.ID, ZoneID: z.ID, Status: st, StatusCategory: cat, Resources: []AvailableResource{res}})
	}
	return out, nil
}

// ImagesInput carries DescribeImages's parameters.
type ImagesInput struct {
	RegionID, ImageID, ImageName, ImageOwnerAlias, ImageFamily string
	Status, OSType, Architecture, Usage, InstanceType          string
	IsSupportIoOptimized, IsSupportCloudinit, IsPublic         string
	ImageOwnerID, SnapshotID, ActionType, DryRun               string
	Tags                                                       []slbcert.Tag
	Page                                                       Page
}

// ImageView is an image as DescribeImages reports it to an account.
type ImageView struct {
	*Image
	// Usage is "instance" when one of the account's instances in the
	// region runs it, else "none".
	Usage string
}

// DescribeImages lists the catalogue's images matching the filters,
// newest first: public system images, in use or not. Without Status only
// Available images are listed (all of the catalogue's are). ImageName
// matches a substring; owners other than "system" own nothing here.
func (s *Service) DescribeImages(ctx context.Context, p *slbcert.Principal, in ImagesInput) (Paged[ImageView], error) {
	var none Paged[ImageView]
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return none, err
	}
	if err := s.authorize(p, "DescribeImages", ARN(reg.ID, p.Account.ID, "image", "*")); err != nil {
		return none, err
	}
	w, err := in.Page.window(10, 100, 10, 100)
	if err != nil {
		return none, err
	}
	owners := map[string]bool{}
	for _, o := range strings.Split(in.ImageOwnerAlias, ",") {
		switch o = strings.TrimSpace(o); o {
		case "":
		case "system", "self", "others", "marketplace":
			owners[o] = true
		default:
			return none, errorf(EImageOwnerAlias, "The specified ImageOwnerAlias %q is not valid: system, self, others or marketplace.", o)
		}
	}
	statuses := map[string]bool{}
	for _, st := range strings.Split(in.Status, ",") {
		switch st = strings.TrimSpace(st); st {
		case "":
		case "Creating", "Waiting", "Available", "UnAvailable", "CreateFailed", "Deprecated":
			statuses[st] = true
		default:
			return none, errorf(EImageStatus, "The specified Status %q is not valid.", st)
		}
	}
	if len(statuses) == 0 {
		statuses["Available"] = true
	}
	if in.OSType != "" && !strings.EqualFold(in.OSType, "linux") && !strings.EqualFold(in.OSType, "windows") {
		return none, errorf(EOSType, "The specified OSType %q is not valid: linux or windows.", in.OSType)
	}
	if in.Architecture != "" && in.Architecture != "i386" && in.Architecture != "x86_64" && in.Architecture != "arm64" {
		return none, errorf(EArchitecture, "The specified Architecture %q is not valid: i386, x86_64 or arm64.", in.Architecture)
	}
	if in.Usage != "" && in.Usage != "instance" && in.Usage != "none" {
		return none, errorf(EUsage, "The specified Usage %q is not valid: instance or none.", in.Usage)
	}
	var fitType *InstanceType
	if in.InstanceType != "" {
		if fitType = s.Catalogue.InstanceType(in.InstanceType); fitType == nil {
			return none, errorf(EInstanceType, "The specified InstanceType does not exist or beyond the permitted range: %s.", in.InstanceType)
		}
	}
	flags := map[string]bool{}
	for name, v := range map[string]string{"IsSupportIoOptimized": in.IsSupportIoOptimized, "IsSupportCloudinit": in.IsSupportCloudinit, "IsPublic": in.IsPublic, "DryRun": in.DryRun} {
		b, err := parseBool(name, v, true)
		if err != nil {
			return none, err
		}
		flags[name] = b
	}
	if in.DryRun != "" && flags["DryRun"] {
		return none, errDryRun()
	}
	if err := checkTagFilters(in.Tags); err != nil {
		return none, err
	}
	used, err := s.imagesInUse(ctx, p.Account.ID, reg.ID)
	if err != nil {
		return none, err
	}
	ids := splitList(in.ImageID)
	var list []ImageView
	for i := range s.Catalogue.Images {
		img := &s.Catalogue.Images[i]
		usage := "none"
		if used[img.ID] {
			usage = "instance"
		}
		switch {
		case len(ids) > 0 && !slices.Contains(ids, img.ID),
			in.ImageName != "" && !strings.Contains(img.ID, in.ImageName),
			len(owners) > 0 && !owners["system"],
			in.ImageFamily != "" && img.Family != in.ImageFamily,
			!statuses["Available"],
			in.OSType != "" && !strings.EqualFold(img.OSType, in.OSType),
			in.Architecture != "" && img.Architecture != in.Architecture,
			in.Usage != "" && usage != in.Usage,
			fitType != nil && !ImageFits(img, fitType),
			in.IsSupportIoOptimized != "" && !flags["IsSupportIoOptimized"],
			in.IsSupportCloudinit != "" && !flags["IsSupportCloudinit"],
			in.IsPublic != "" && !flags["IsPublic"],
			in.ImageOwnerID != "", in.SnapshotID != "",
			len(in.Tags) > 0: // public images carry no tags
			continue
		}
		list = append(list, ImageView{Image: img, Usage: usage})
	}
	sort.SliceStable(list, func(a, b int) bool { return list[a].CreationTime.After(list[b].CreationTime) })
	return paginate(list, w), nil
}

// imagesInUse returns the images the account's instances in the region run.
func (s *Service) imagesInUse(ctx context.Context, accountID, regionID string) (map[string]bool, error) {
	list, err := s.Store.ImagesInUse(ctx, accountID, regionID)
	if err != nil {
		return nil, storeError(err, nil)
	}
	used := map[string]bool{}
	for _, id := range list {
		used[id] = true
	}
	return used, nil
}

// splitList splits a comma-separated list, dropping empty parts.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// InstanceTypesInput carries DescribeInstanceTypes's parameters.
type InstanceTypesInput struct {
	RegionID string
	// InstanceTypes are InstanceTypes.N; InstanceType is the single form
	// Terraform also sends.
	InstanceTypes                           []string
	InstanceType                            string
	InstanceTypeFamily                      string
	InstanceTypeFamilies                    []string
	InstanceCategory, InstanceFamilyLevel   string
	CPUArchitecture, GPUSpec                string
	MinimumCPU, MaximumCPU, MinimumMemory   string
	MaximumMemory, MinimumENIs, MaximumENIs string
	MinimumENIIPs, MinimumGPUs, MaximumGPUs string
	MaxResults, NextToken                   string
}

// DescribeInstanceTypes lists the catalogue's instance types matching the
// filters, in catalogue order, MaxResults (1–1600, default 1600) a page.
func (s *Service) DescribeInstanceTypes(ctx context.Context, p *slbcert.Principal, in InstanceTypesInput) (Paged[*InstanceType], error) {
	var none Paged[*InstanceType]
	regionID := "*"
	if in.RegionID != "" {
		reg, err := s.knownRegion(p, in.RegionID)
		if err != nil {
			return none, err
		}
		regionID = reg.ID
	}
	if err := s.authorize(p, "DescribeInstanceTypes", ARN(regionID, p.Account.ID, "*", "*")); err != nil {
		return none, err
	}
	if len(in.InstanceTypes) > 10 {
		return none, errorf(slbcert.EInvalidParameter, "At most 10 InstanceTypes.N may be given; got %d.", len(in.InstanceTypes))
	}
	w, err := Page{MaxResults: in.MaxResults, NextToken: in.NextToken}.window(1600, 1600, 1600, 1600)
	if err != nil {
		return none, err
	}
	w.tokens = true
	bounds := map[string]float64{}
	for name, v := range map[string]string{
		"MinimumCpuCoreCount": in.MinimumCPU, "MaximumCpuCoreCount": in.MaximumCPU,
		"MinimumMemorySize": in.MinimumMemory, "MaximumMemorySize": in.MaximumMemory,
		"MinimumEniQuantity": in.MinimumENIs, "MaximumEniQuantity": in.MaximumENIs,
		"MinimumEniPrivateIpAddressQuantity": in.MinimumENIIPs,
		"MinimumGPUAmount":                   in.MinimumGPUs, "MaximumGPUAmount": in.MaximumGPUs,
	} {
		if v == "" {
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 {
			return none, errorf(slbcert.EInvalidParameter, "The specified parameter %s %q is not a number.", name, v)
		}
		bounds[name] = f
	}
	within := func(name string, v float64, min bool) bool {
		b, ok := bounds[name]
		return !ok || (min && v >= b) || (!min && v <= b)
	}
	wanted := slices.Clone(in.InstanceTypes)
	if in.InstanceType != "" {
		wanted = append(wanted, in.InstanceType)
	}
	families := slices.Clone(in.InstanceTypeFamilies)
	if in.InstanceTypeFamily != "" {
		families = append(families, in.InstanceTypeFamily)
	}
	var list []*InstanceType
	for i := range s.Catalogue.InstanceTypes {
		t := &s.Catalogue.InstanceTypes[i]
		switch {
		case len(wanted) > 0 && !slices.Contains(wanted, t.ID),
			len(families) > 0 && !slices.Contains(families, t.Family),
			in.InstanceCategory != "" && t.Category != in.InstanceCategory,
			in.InstanceFamilyLevel != "" && t.Level != in.InstanceFamilyLevel,
			in.CPUArchitecture != "" && !strings.EqualFold(t.Architecture, in.CPUArchitecture),
			in.GPUSpec != "" && t.GPUSpec != in.GPUSpec,
			!within("MinimumCpuCoreCount", float64(t.CPU), true), !within("MaximumCpuCoreCount", float64(t.CPU), false),
			!within("MinimumMemorySize", t.MemoryGiB, true), !within("MaximumMemorySize", t.MemoryGiB, false),
			!within("MinimumEniQuantity", float64(t.ENIs), true), !within("MaximumEniQuantity", float64(t.ENIs), false),
			!within("MinimumEniPrivateIpAddressQuantity", float64(t.IPsPerENI), true),
			!within("MinimumGPUAmount", float64(t.GPUAmount), true), !within("MaximumGPUAmount", float64(t.GPUAmount), false):
			continue
		}
		list = append(list, t)
	}
	return paginate(list, w), nil
}

// Family is one instance type family, as DescribeInstanceTypeFamilies
// reports it.
type Family struct {
	ID, Generation string
}

// DescribeInstanceTypeFamilies lists the catalogue's families, in
// catalogue order, of one Generation when given.
func (s *Service) DescribeInstanceTypeFamilies(ctx context.Context, p *slbcert.Principal, regionID, generation string) ([]Family, error) {
	reg, err := s.region(p, regionID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(p, "DescribeInstanceTypeFamilies", ARN(reg.ID, p.Account.ID, "*", "*")); err != nil {
		return nil, err
	}
	out := []Family{}
	seen := map[string]bool{}
	for _, t := range s.Catalogue.InstanceTypes {
		if seen[t.Family] || (generation != "" && t.Generation != generation) {
			continue
		}
		seen[t.Family] = true
		out = append(out, Family{ID: t.Family, Generation: t.Generation})
	}
	return out, nil
}

// DescribeImageSupportInstanceTypes returns the image and the catalogue's
// types it boots (those of its architecture). imageID is ImageId, or the
// value of the older Filter.N with Key imageId.
func (s *Service) DescribeImageSupportInstanceTypes(ctx context.Context, p *slbcert.Principal, regionID, imageID, actionType string) (*Image, []*InstanceType, error) {
	reg, err := s.region(p, regionID)
	if err != nil {
		return nil, nil, err
	}
	if err := s.authorize(p, "DescribeImageSupportInstanceTypes", ARN(reg.ID, p.Account.ID, "image", orStar(imageID))); err != nil {
		return nil, nil, err
	}
	if imageID == "" {
		return nil, nil, slbcert.MissingParameter("ImageId")
	}
	if actionType != "" && actionType != "CreateEcs" && actionType != "ChangeOS" && actionType != "DescribeImages" {
		return nil, nil, errorf(slbcert.EInvalidParameter, "The specified ActionType %q is not valid: CreateEcs, ChangeOS or DescribeImages.", actionType)
	}
	img := s.Catalogue.Image(imageID)
	if img == nil {
		return nil, nil, errImageNotFound(imageID)
	}
	types := []*InstanceType{}
	for i := range s.Catalogue.InstanceTypes {
		if ImageFits(img, &s.Catalogue.InstanceTypes[i]) {
			types = append(types, &s.Catalogue.InstanceTypes[i])
		}
	}
	return img, types, nil
}

// orStar is id, or "*" when empty (an ARN's resource part).
func orStar(id string) string {
	if id == "" {
		return "*"
	}
	return id
}
