package ecsapi_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	sdk "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// TestCatalogue: what data "alicloud_zones", "alicloud_instance_types",
// "alicloud_images" and "alicloud_regions" ask, as they ask it.
func TestCatalogue(t *testing.T) {
	f := newFixture(t)
	c := f.client()

	regions := sdk.CreateDescribeRegionsRequest()
	regions.AcceptLanguage = "en-US"
	rr, err := c.DescribeRegions(regions)
	must(t, err)
	found := false
	for _, r := range rr.Regions.Region {
		if r.RegionId == region {
			found = r.LocalName != "" && r.RegionEndpoint == "ecs.cn-hangzhou.aliyuncs.com" && r.Status == "available"
		}
	}
	if !found {
		t.Errorf("DescribeRegions: %+v", rr.Regions.Region)
	}

	// data "alicloud_zones": every zone Available in DescribeAvailableResource
	// and with types and disk categories in DescribeZones.
	avail := sdk.CreateDescribeAvailableResourceRequest()
	avail.RegionId, avail.DestinationResource, avail.IoOptimized, avail.InstanceChargeType = region, "Zone", "optimized", "PostPaid"
	ar, err := c.DescribeAvailableResource(avail)
	must(t, err)
	zones := sdk.CreateDescribeZonesRequest()
	zones.RegionId, zones.InstanceChargeType = region, "PostPaid"
	zr, err := c.DescribeZones(zones)
	must(t, err)
	if len(ar.AvailableZones.AvailableZone) != len(zr.Zones.Zone) || len(zr.Zones.Zone) < 2 {
		t.Fatalf("%d zones available, %d described", len(ar.AvailableZones.AvailableZone), len(zr.Zones.Zone))
	}
	for i, z := range zr.Zones.Zone {
		a := ar.AvailableZones.AvailableZone[i]
		if a.ZoneId != z.ZoneId || a.Status != "Available" || a.StatusCategory != "WithStock" {
			t.Errorf("available zone %+v", a)
		}
		if !slices.Contains(z.AvailableInstanceTypes.InstanceTypes, typeID) || !slices.Contains(z.AvailableDiskCategories.DiskCategories, "cloud_efficiency") ||
			!slices.Contains(z.AvailableResourceCreation.ResourceTypes, "Instance") || z.LocalName == "" ||
			len(z.AvailableResources.ResourcesInfo) != 1 || !slices.Contains(z.AvailableResources.ResourcesInfo[0].InstanceTypes.SupportedInstanceType, typeID) {
			t.Errorf("zone %+v", z)
		}
	}

	// data "alicloud_instance_types" with cpu_core_count = 2, memory_size = 8.
	avail = sdk.CreateDescribeAvailableResourceRequest()
	avail.RegionId, avail.DestinationResource, avail.ZoneId = region, "InstanceType", zoneH
	avail.Cores, avail.Memory = integer(2), "8"
	ar, err = c.DescribeAvailableResource(avail)
	must(t, err)
	var offered []string
	for _, z := range ar.AvailableZones.AvailableZone {
		for _, r := range z.AvailableResources.AvailableResource {
			for _, s := range r.SupportedResources.SupportedResource {
				offered = append(offered, s.Value)
			}
		}
	}
	if !slices.Equal(offered, []string{"ecs.g6.large", "ecs.g7.large"}) {
		t.Errorf("2 vCPU, 8 GiB types in %s: %v", zoneH, offered)
	}
	types := sdk.CreateDescribeInstanceTypesRequest()
	types.InstanceTypeFamily = "ecs.g6"
	tr, err := c.DescribeInstanceTypes(types)
	must(t, err)
	if len(tr.InstanceTypes.InstanceType) != 2 || tr.NextToken != "" {
		t.Fatalf("the ecs.g6 family: %+v", tr)
	}
	if g := tr.InstanceTypes.InstanceType[0]; g.InstanceTypeId != typeID || g.CpuCoreCount != 2 || g.MemorySize != 8 || g.EniQuantity != 2 ||
		g.InstanceTypeFamily != "ecs.g6" || g.CpuArchitecture != "X86" || g.InstanceFamilyLevel != "EnterpriseLevel" {
		t.Errorf("ecs.g6.large: %+v", g)
	}
	families := sdk.CreateDescribeInstanceTypeFamiliesRequest()
	families.RegionId = region
	if r, err := c.DescribeInstanceTypeFamilies(families); err != nil || len(r.InstanceTypeFamilies.InstanceTypeFamily) < 5 {
		t.Errorf("DescribeInstanceTypeFamilies: %+v, %v", r, err)
	}
	disks := sdk.CreateDescribeAvailableResourceRequest()
	disks.RegionId, disks.DestinationResource, disks.InstanceType, disks.ZoneId = region, "SystemDisk", "ecs.e-c1m2.large", zoneH
	if r, err := c.DescribeAvailableResource(disks); err != nil || len(r.AvailableZones.AvailableZone) != 1 ||
		!slices.ContainsFunc(r.AvailableZones.AvailableZone[0].AvailableResources.AvailableResource[0].SupportedResources.SupportedResource,
			func(s sdk.SupportedResource) bool {
				return s.Value == "cloud_essd_entry" && s.Min == 20 && s.Unit == "GiB"
			}) {
		t.Errorf("system disks of ecs.e-c1m2.large: %+v, %v", r, err)
	}

	// data "alicloud_images" with name_regex "^ubuntu_[0-9]+_[0-9]+_x64*",
	// most_recent, owners "system".
	images := sdk.CreateDescribeImagesRequest()
	images.RegionId, images.PageSize, images.ImageOwnerAlias, images.Status = region, integer(100), "system", "Available"
	ir, err := c.DescribeImages(images)
	must(t, err)
	var latest sdk.Image
	for _, img := range ir.Images.Image {
		if strings.HasPrefix(img.ImageName, "ubuntu_") {
			ts, err := time.Parse(time.RFC3339, img.CreationTime)
			must(t, err)
			if prev, _ := time.Parse(time.RFC3339, latest.CreationTime); latest.ImageId == "" || ts.After(prev) {
				latest = img
			}
		}
	}
	if latest.ImageId != "ubuntu_22_04_x64_20G_alibase_20241224.vhd" || latest.OSType != "linux" || latest.Status != "Available" ||
		latest.ImageOwnerAlias != "system" || latest.Size != 20 || len(latest.DiskDeviceMappings.DiskDeviceMapping) != 1 {
		t.Errorf("the most recent Ubuntu: %+v", latest)
	}
	if ir.TotalCount != len(ir.Images.Image) || ir.PageSize != 100 {
		t.Errorf("one page of %d images: %+v", ir.TotalCount, ir)
	}
	page := sdk.CreateDescribeImagesRequest()
	page.RegionId, page.PageSize, page.PageNumber = region, integer(5), integer(3)
	if r, err := c.DescribeImages(page); err != nil || len(r.Images.Image) != ir.TotalCount-10 || r.PageNumber != 3 {
		t.Errorf("the third page of 5: %d images, %v", len(r.Images.Image), err)
	}
	support := sdk.CreateDescribeImageSupportInstanceTypesRequest()
	support.RegionId, support.ImageId = region, imageID
	if r, err := c.DescribeImageSupportInstanceTypes(support); err != nil || len(r.InstanceTypes.InstanceType) != 12 {
		t.Errorf("the types the image supports: %+v, %v", r, err)
	}

	// Refusals.
	bad := sdk.CreateDescribeAvailableResourceRequest()
	bad.RegionId = region
	_, err = c.DescribeAvailableResource(bad)
	wantError(t, "no DestinationResource", err, "Invalid.Param", 400)
	bad.DestinationResource = "Disk"
	_, err = c.DescribeAvailableResource(bad)
	wantError(t, "an unknown DestinationResource", err, "Invalid.DestinationResource", 404)
	conflict := sdk.CreateDescribeAvailableResourceRequest()
	conflict.RegionId, conflict.DestinationResource, conflict.InstanceType, conflict.Cores = region, "InstanceType", typeID, integer(2)
	_, err = c.DescribeAvailableResource(conflict)
	wantError(t, "InstanceType with Cores", err, "InvalidParam.TypeAndCpuMem.Conflict", 403)
	cores := sdk.CreateDescribeAvailableResourceRequest()
	cores.RegionId, cores.DestinationResource, cores.Cores = region, "Zone", integer(2)
	_, err = c.DescribeAvailableResource(cores)
	wantError(t, "Cores for zones", err, "InvalidParam.Cores", 403)
	unknown := sdk.CreateDescribeImageSupportInstanceTypesRequest()
	unknown.RegionId, unknown.ImageId = region, "nope.vhd"
	_, err = c.DescribeImageSupportInstanceTypes(unknown)
	wantError(t, "an unknown image", err, "InvalidImageId.NotFound", 404)
	far := sdk.CreateDescribeZonesRequest()
	far.RegionId = "xx-nowhere-1"
	_, err = c.DescribeZones(far)
	wantError(t, "an unknown region", err, "InvalidRegionId.NotFound", 404)
}
