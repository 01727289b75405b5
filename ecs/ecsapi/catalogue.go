package ecsapi

import (
	"context"
	"strings"
	"time"

	"slbcert/ecs"
	"slbcert/rpc"
)

// imageTimeLayout is the form of an image's CreationTime: Terraform
// parses it as RFC 3339 to pick the most recent.
const imageTimeLayout = "2006-01-02T15:04:05Z"

type regionItem struct {
	RegionId, LocalName, RegionEndpoint, Status string
}

type describeRegionsResponse struct {
	base
	Regions struct{ Region []regionItem }
}

func (a *API) describeRegions(ctx context.Context, c *rpc.Call) (any, error) {
	lang := c.Get("AcceptLanguage")
	regions, err := a.ECS.DescribeRegions(ctx, c.Principal, ecs.RegionsInput{AcceptLanguage: lang,
		InstanceChargeType: c.Get("InstanceChargeType"), ResourceType: c.Get("ResourceType")})
	if err != nil {
		return nil, err
	}
	out := &describeRegionsResponse{}
	out.Regions.Region = make([]regionItem, 0, len(regions))
	for _, r := range regions {
		out.Regions.Region = append(out.Regions.Region, regionItem{RegionId: r.ID, LocalName: r.Name(lang), RegionEndpoint: ecs.RegionEndpoint(r.ID), Status: "available"})
	}
	return out, nil
}

// resourcesInfo is DescribeZones's AvailableResources.ResourcesInfo item;
// the SDK spells its lists in lower camel case.
type resourcesInfo struct {
	IoOptimized          bool
	SystemDiskCategories struct {
		List []string `json:"supportedSystemDiskCategory" xml:"supportedSystemDiskCategory"`
	}
	DataDiskCategories struct {
		List []string `json:"supportedDataDiskCategory" xml:"supportedDataDiskCategory"`
	}
	InstanceTypes struct {
		List []string `json:"supportedInstanceType" xml:"supportedInstanceType"`
	}
	InstanceTypeFamilies struct {
		List []string `json:"supportedInstanceTypeFamily" xml:"supportedInstanceTypeFamily"`
	}
	InstanceGenerations struct {
		List []string `json:"supportedInstanceGeneration" xml:"supportedInstanceGeneration"`
	}
	NetworkTypes struct {
		List []string `json:"supportedNetworkCategory" xml:"supportedNetworkCategory"`
	}
}

type zoneItem struct {
	ZoneId, LocalName           string
	ZoneType                    string                                      `json:",omitempty" xml:",omitempty"`
	ZoneNo                      string                                      `json:",omitempty" xml:",omitempty"`
	AvailableResourceCreation   *struct{ ResourceTypes []string }           `json:",omitempty" xml:",omitempty"`
	AvailableInstanceTypes      *struct{ InstanceTypes []string }           `json:",omitempty" xml:",omitempty"`
	AvailableDiskCategories     *struct{ DiskCategories []string }          `json:",omitempty" xml:",omitempty"`
	AvailableVolumeCategories   *struct{ VolumeCategories []string }        `json:",omitempty" xml:",omitempty"`
	AvailableDedicatedHostTypes *struct{ DedicatedHostType []string }       `json:",omitempty" xml:",omitempty"`
	NetworkTypes                *struct{ NetworkType []string }             `json:",omitempty" xml:",omitempty"`
	DedicatedHostGenerations    *struct{ DedicatedHostGeneration []string } `json:",omitempty" xml:",omitempty"`
	AvailableResources          *struct{ ResourcesInfo []resourcesInfo }    `json:",omitempty" xml:",omitempty"`
}

type describeZonesResponse struct {
	base
	Zones struct{ Zone []zoneItem }
}

// describeZones: with Verbose=false only ZoneId and LocalName.
func (a *API) describeZones(ctx context.Context, c *rpc.Call) (any, error) {
	lang := c.Get("AcceptLanguage")
	zones, err := a.ECS.DescribeZones(ctx, c.Principal, ecs.ZonesInput{RegionID: c.Get("RegionId"),
		InstanceChargeType: c.Get("InstanceChargeType"), SpotStrategy: c.Get("SpotStrategy"), AcceptLanguage: lang, Verbose: c.Get("Verbose")})
	if err != nil {
		return nil, err
	}
	out := &describeZonesResponse{}
	out.Zones.Zone = make([]zoneItem, 0, len(zones))
	for _, z := range zones {
		item := zoneItem{ZoneId: z.Zone.ID, LocalName: z.Zone.Name(lang)}
		if z.Verbose {
			types, families := []string{}, []string{}
			seenFamily := map[string]bool{}
			for _, t := range z.InstanceTypes {
				types = append(types, t.ID)
				if !seenFamily[t.Family] {
					seenFamily[t.Family] = true
					families = append(families, t.Family)
				}
			}
			creation := []string{}
			if len(types) > 0 {
				creation = []string{"Instance", "Disk", "VSwitch", "IoOptimized", "DedicatedHost"}
			}
			item.ZoneType, item.ZoneNo = "AvailabilityZone", ""
			item.AvailableResourceCreation = &struct{ ResourceTypes []string }{creation}
			item.AvailableInstanceTypes = &struct{ InstanceTypes []string }{types}
			item.AvailableDiskCategories = &struct{ DiskCategories []string }{z.DiskCategories}
			item.AvailableVolumeCategories = &struct{ VolumeCategories []string }{[]string{}}
			item.AvailableDedicatedHostTypes = &struct{ DedicatedHostType []string }{[]string{}}
			item.NetworkTypes = &struct{ NetworkType []string }{[]string{"vpc"}}
			item.DedicatedHostGenerations = &struct{ DedicatedHostGeneration []string }{[]string{}}
			info := resourcesInfo{IoOptimized: true}
			info.SystemDiskCategories.List = z.DiskCategories
			info.DataDiskCategories.List = z.DiskCategories
			info.InstanceTypes.List = types
			info.InstanceTypeFamilies.List = families
			info.InstanceGenerations.List = []string{}
			info.NetworkTypes.List = []string{"vpc"}
			list := []resourcesInfo{}
			if len(types) > 0 {
				list = append(list, info)
			}
			item.AvailableResources = &struct{ ResourcesInfo []resourcesInfo }{list}
		}
		out.Zones.Zone = append(out.Zones.Zone, item)
	}
	return out, nil
}

type supportedResource struct {
	Value, Status, StatusCategory string
	Min, Max                      int
	Unit                          string
}

type availableResource struct {
	Type                        string
	SupportedResources          struct{ SupportedResource []supportedResource }
	ConditionSupportedResources struct{ ConditionSupportedResource []struct{} }
}

type availableZone struct {
	RegionId, ZoneId, Status, StatusCategory string
	AvailableResources                       struct{ AvailableResource []availableResource }
}

type describeAvailableResourceResponse struct {
	base
	AvailableZones struct{ AvailableZone []availableZone }
}

func (a *API) describeAvailableResource(ctx context.Context, c *rpc.Call) (any, error) {
	zones, err := a.ECS.DescribeAvailableResource(ctx, c.Principal, ecs.AvailableInput{
		RegionID: c.Get("RegionId"), DestinationResource: c.Get("DestinationResource"), ZoneID: c.Get("ZoneId"),
		InstanceChargeType: c.Get("InstanceChargeType"), SpotStrategy: c.Get("SpotStrategy"), IoOptimized: c.Get("IoOptimized"),
		InstanceType: c.Get("InstanceType"), Cores: c.Get("Cores"), Memory: c.Get("Memory"),
		SystemDiskCategory: c.Get("SystemDiskCategory"), DataDiskCategory: c.Get("DataDiskCategory"),
		ResourceType: c.Get("ResourceType"), NetworkCategory: c.Get("NetworkCategory"),
	})
	if err != nil {
		return nil, err
	}
	out := &describeAvailableResourceResponse{}
	out.AvailableZones.AvailableZone = make([]availableZone, 0, len(zones))
	for _, z := range zones {
		item := availableZone{RegionId: z.RegionID, ZoneId: z.ZoneID, Status: z.Status, StatusCategory: z.StatusCategory}
		item.AvailableResources.AvailableResource = []availableResource{}
		for _, r := range z.Resources {
			res := availableResource{Type: r.Type}
			res.SupportedResources.SupportedResource = make([]supportedResource, 0, len(r.Supported))
			res.ConditionSupportedResources.ConditionSupportedResource = []struct{}{}
			for _, s := range r.Supported {
				res.SupportedResources.SupportedResource = append(res.SupportedResources.SupportedResource, supportedResource(s))
			}
			item.AvailableResources.AvailableResource = append(item.AvailableResources.AvailableResource, res)
		}
		out.AvailableZones.AvailableZone = append(out.AvailableZones.AvailableZone, item)
	}
	return out, nil
}

type tagItem struct{ TagKey, TagValue string }

type tagList struct{ Tag []tagItem }

type diskDeviceMapping struct {
	Device, Size, SnapshotId, Type, Format, Progress string
	ImportOSSBucket, ImportOSSObject                 string
	RemainTime, DiskImageSize                        int
}

type imageItem struct {
	ImageId, ImageName, ImageOwnerAlias, ImageFamily, ImageVersion string
	ImageOwnerId                                                   int64
	OSName, OSNameEn, OSType, Platform, Architecture, BootMode     string
	Size                                                           int
	Status, Progress, Usage, Description, CreationTime             string
	IsSupportIoOptimized, IsSupportCloudinit, IsSubscribed         bool
	IsCopied, IsPublic, LoginAsNonRootSupported                    bool
	IsSelfShared, ProductCode, SupplierName, ResourceGroupId       string
	Features                                                       struct{ NvmeSupport, ImdsSupport string }
	DiskDeviceMappings                                             struct{ DiskDeviceMapping []diskDeviceMapping }
	Tags                                                           tagList
}

type describeImagesResponse struct {
	base
	RegionId                         string
	PageNumber, PageSize, TotalCount int
	Images                           struct{ Image []imageItem }
}

func (a *API) describeImages(ctx context.Context, c *rpc.Call) (any, error) {
	page, err := a.ECS.DescribeImages(ctx, c.Principal, ecs.ImagesInput{
		RegionID: c.Get("RegionId"), ImageID: c.Get("ImageId"), ImageName: c.Get("ImageName"),
		ImageOwnerAlias: c.Get("ImageOwnerAlias"), ImageFamily: c.Get("ImageFamily"), Status: c.Get("Status"),
		OSType: c.Get("OSType"), Architecture: c.Get("Architecture"), Usage: c.Get("Usage"), InstanceType: c.Get("InstanceType"),
		IsSupportIoOptimized: c.Get("IsSupportIoOptimized"), IsSupportCloudinit: c.Get("IsSupportCloudinit"), IsPublic: c.Get("IsPublic"),
		ImageOwnerID: c.Get("ImageOwnerId"), SnapshotID: c.Get("SnapshotId"), ActionType: c.Get("ActionType"), DryRun: c.Get("DryRun"),
		Tags: c.Tags("Tag"), Page: pageOf(c),
	})
	if err != nil {
		return nil, err
	}
	out := &describeImagesResponse{RegionId: c.Get("RegionId"), PageNumber: page.PageNumber, PageSize: page.PageSize, TotalCount: page.TotalCount}
	out.Images.Image = make([]imageItem, 0, len(page.Items))
	for _, v := range page.Items {
		out.Images.Image = append(out.Images.Image, imageOf(v))
	}
	return out, nil
}

func imageOf(v ecs.ImageView) imageItem {
	img := v.Image
	item := imageItem{
		ImageId: img.ID, ImageName: img.ID, ImageOwnerAlias: "system", ImageFamily: img.Family,
		ImageVersion: img.CreationTime.Format("20060102"), OSName: img.OSName, OSNameEn: img.OSNameEn,
		OSType: img.OSType, Platform: img.Platform, Architecture: img.Architecture, BootMode: "BIOS",
		Size: img.SizeGiB, Status: "Available", Progress: "100%", Usage: v.Usage, Description: img.Description,
		CreationTime: img.CreationTime.UTC().Format(imageTimeLayout), IsSupportIoOptimized: true, IsSupportCloudinit: true,
		IsPublic: true, Tags: tagList{Tag: []tagItem{}},
	}
	item.Features.NvmeSupport, item.Features.ImdsSupport = "supported", "v2"
	item.DiskDeviceMappings.DiskDeviceMapping = []diskDeviceMapping{{Device: "/dev/xvda", Size: itoa(img.SizeGiB), Type: "system",
		SnapshotId: "s-" + strings.TrimSuffix(strings.ReplaceAll(img.ID, "_", ""), ".vhd"), Format: "", Progress: "100%"}}
	return item
}

// instanceTypeItem is one DescribeInstanceTypes item. LocalStorageCapacity
// and NetworkCards are left out: Terraform asserts the first is a number
// and takes the second's presence for network-card support.
type instanceTypeItem struct {
	InstanceTypeId, InstanceTypeFamily                               string
	CpuCoreCount                                                     int
	MemorySize                                                       float64
	EniQuantity, EniTotalQuantity, EniPrivateIpAddressQuantity       int
	EniIpv6AddressQuantity                                           int
	EniTrunkSupported                                                bool
	PrimaryEniQueueNumber, SecondaryEniQueueNumber                   int
	MaximumQueueNumberPerEni, TotalEniQueueQuantity, QueuePairNumber int
	GPUAmount                                                        int
	GPUSpec                                                          string
	GPUMemorySize                                                    float64
	LocalStorageAmount                                               int
	LocalStorageCategory, InstanceFamilyLevel, InstanceCategory      string
	CpuArchitecture, PhysicalProcessorModel                          string
	CpuSpeedFrequency, CpuTurboFrequency                             float64
	InstanceBandwidthRx, InstanceBandwidthTx                         int
	InstancePpsRx, InstancePpsTx                                     int64
	InitialCredit, BaselineCredit, DiskQuantity, NetworkCardQuantity int
	NvmeSupport                                                      string
	JumboFrameSupport, NetworkEncryptionSupport                      bool
	SupportedBootModes                                               struct{ SupportedBootMode []string }
	EnhancedNetwork                                                  struct{ SriovSupport, RssSupport bool }
	CpuOptions                                                       struct{ Core, ThreadsPerCore int }
}

func instanceTypeOf(t *ecs.InstanceType) instanceTypeItem {
	queues := max(1, t.CPU/2)
	item := instanceTypeItem{
		InstanceTypeId: t.ID, InstanceTypeFamily: t.Family, CpuCoreCount: t.CPU, MemorySize: t.MemoryGiB,
		EniQuantity: t.ENIs, EniTotalQuantity: t.ENIs, EniPrivateIpAddressQuantity: t.IPsPerENI, EniIpv6AddressQuantity: t.IPv6PerENI,
		PrimaryEniQueueNumber: queues, SecondaryEniQueueNumber: queues, MaximumQueueNumberPerEni: queues,
		TotalEniQueueQuantity: queues * t.ENIs, QueuePairNumber: queues,
		GPUAmount: t.GPUAmount, GPUSpec: t.GPUSpec, InstanceFamilyLevel: t.Level, InstanceCategory: t.Category,
		CpuArchitecture: t.Architecture, PhysicalProcessorModel: t.ProcessorModel,
		CpuSpeedFrequency: t.CPUSpeedGHz, CpuTurboFrequency: t.CPUTurboGHz,
		InstanceBandwidthRx: t.BandwidthRxKbps, InstanceBandwidthTx: t.BandwidthTxKbps, InstancePpsRx: t.PPSRx, InstancePpsTx: t.PPSTx,
		InitialCredit: t.InitialCredit, BaselineCredit: t.BaselineCredit, DiskQuantity: 17, NetworkCardQuantity: 1,
		NvmeSupport: "unsupported",
	}
	item.SupportedBootModes.SupportedBootMode = []string{"BIOS"}
	item.CpuOptions.Core, item.CpuOptions.ThreadsPerCore = max(1, t.CPU/2), min(2, t.CPU)
	return item
}

type describeInstanceTypesResponse struct {
	base
	NextToken     string
	InstanceTypes struct{ InstanceType []instanceTypeItem }
}

func (a *API) describeInstanceTypes(ctx context.Context, c *rpc.Call) (any, error) {
	page, err := a.ECS.DescribeInstanceTypes(ctx, c.Principal, ecs.InstanceTypesInput{
		RegionID: c.Get("RegionId"), InstanceTypes: c.List("InstanceTypes"), InstanceType: c.Get("InstanceType"),
		InstanceTypeFamily: c.Get("InstanceTypeFamily"), InstanceTypeFamilies: c.List("InstanceTypeFamilies"),
		InstanceCategory: c.Get("InstanceCategory"), InstanceFamilyLevel: c.Get("InstanceFamilyLevel"),
		CPUArchitecture: c.Get("CpuArchitecture"), GPUSpec: c.Get("GPUSpec"),
		MinimumCPU: c.Get("MinimumCpuCoreCount"), MaximumCPU: c.Get("MaximumCpuCoreCount"),
		MinimumMemory: c.Get("MinimumMemorySize"), MaximumMemory: c.Get("MaximumMemorySize"),
		MinimumENIs: c.Get("MinimumEniQuantity"), MaximumENIs: c.Get("MaximumEniQuantity"),
		MinimumENIIPs: c.Get("MinimumEniPrivateIpAddressQuantity"),
		MinimumGPUs:   c.Get("MinimumGPUAmount"), MaximumGPUs: c.Get("MaximumGPUAmount"),
		MaxResults: c.Get("MaxResults"), NextToken: c.Get("NextToken"),
	})
	if err != nil {
		return nil, err
	}
	out := &describeInstanceTypesResponse{NextToken: page.NextToken}
	out.InstanceTypes.InstanceType = make([]instanceTypeItem, 0, len(page.Items))
	for _, t := range page.Items {
		out.InstanceTypes.InstanceType = append(out.InstanceTypes.InstanceType, instanceTypeOf(t))
	}
	return out, nil
}

type describeInstanceTypeFamiliesResponse struct {
	base
	InstanceTypeFamilies struct {
		InstanceTypeFamily []struct{ InstanceTypeFamilyId, Generation string }
	}
}

func (a *API) describeInstanceTypeFamilies(ctx context.Context, c *rpc.Call) (any, error) {
	families, err := a.ECS.DescribeInstanceTypeFamilies(ctx, c.Principal, c.Get("RegionId"), c.Get("Generation"))
	if err != nil {
		return nil, err
	}
	out := &describeInstanceTypeFamiliesResponse{}
	out.InstanceTypeFamilies.InstanceTypeFamily = []struct{ InstanceTypeFamilyId, Generation string }{}
	for _, f := range families {
		out.InstanceTypeFamilies.InstanceTypeFamily = append(out.InstanceTypeFamilies.InstanceTypeFamily, struct{ InstanceTypeFamilyId, Generation string }{f.ID, f.Generation})
	}
	return out, nil
}

type describeImageSupportInstanceTypesResponse struct {
	base
	ImageId, RegionId string
	InstanceTypes     struct{ InstanceType []instanceTypeItem }
}

// describeImageSupportInstanceTypes takes ImageId, or the older
// Filter.N.Key=imageId form.
func (a *API) describeImageSupportInstanceTypes(ctx context.Context, c *rpc.Call) (any, error) {
	imageID := c.Get("ImageId")
	for _, f := range c.Indexed("Filter") {
		if strings.EqualFold(f["Key"], "imageId") && imageID == "" {
			imageID = f["Value"]
		}
	}
	img, types, err := a.ECS.DescribeImageSupportInstanceTypes(ctx, c.Principal, c.Get("RegionId"), imageID, c.Get("ActionType"))
	if err != nil {
		return nil, err
	}
	out := &describeImageSupportInstanceTypesResponse{ImageId: img.ID, RegionId: c.Get("RegionId")}
	out.InstanceTypes.InstanceType = make([]instanceTypeItem, 0, len(types))
	for _, t := range types {
		out.InstanceTypes.InstanceType = append(out.InstanceTypes.InstanceType, instanceTypeOf(t))
	}
	return out, nil
}

// pageOf reads the paging parameters of a call.
func pageOf(c *rpc.Call) ecs.Page {
	return ecs.Page{PageNumber: c.Get("PageNumber"), PageSize: c.Get("PageSize"), MaxResults: c.Get("MaxResults"), NextToken: c.Get("NextToken")}
}

// Time layouts of ECS's answers: instances to the minute, as Alibaba
// answers them ("2017-12-10T04:04Z"); security groups, rules and disks to
// the second.
const (
	minuteLayout = "2006-01-02T15:04Z"
	secondLayout = "2006-01-02T15:04:05Z"
)

func minutes(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(minuteLayout)
}

func seconds(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(secondLayout)
}
