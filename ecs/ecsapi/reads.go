package ecsapi

import (
	"context"

	"slbcert/ecs"
	"slbcert/rpc"
)

// networkInterfaceItem is one DescribeNetworkInterfaces item: an
// instance's primary interface.
type networkInterfaceItem struct {
	NetworkInterfaceId, NetworkInterfaceName, Description, Type, Status string
	InstanceId, VpcId, VSwitchId, ZoneId, PrivateIpAddress, MacAddress  string
	NetworkInterfaceTrafficMode, ResourceGroupId, CreationTime, OwnerId string
	QueueNumber, QueuePairNumber                                        int
	SourceDestCheck, DeleteOnRelease, ServiceManaged                    bool
	ServiceID                                                           int64
	SecurityGroupIds                                                    struct{ SecurityGroupId []string }
	PrivateIpSets                                                       struct{ PrivateIpSet []privateIPSet }
	Ipv6Sets                                                            struct {
		Ipv6Set []struct{ Ipv6Address string }
	}
	Ipv4PrefixSets     struct{ Ipv4PrefixSet []struct{ Ipv4Prefix string } }
	Ipv6PrefixSets     struct{ Ipv6PrefixSet []struct{ Ipv6Prefix string } }
	AssociatedPublicIp struct{ PublicIpAddress, AllocationId string }
	Attachment         struct {
		InstanceId, TrunkNetworkInterfaceId string
		DeviceIndex, NetworkCardIndex       int
	}
	Tags tagList
}

type describeNetworkInterfacesResponse struct {
	base
	PageNumber, PageSize, TotalCount int
	NextToken                        string
	NetworkInterfaceSets             struct{ NetworkInterfaceSet []networkInterfaceItem }
}

func (a *API) describeNetworkInterfaces(ctx context.Context, c *rpc.Call) (any, error) {
	page, err := a.ECS.DescribeNetworkInterfaces(ctx, c.Principal, ecs.DescribeNetworkInterfacesInput{
		RegionID: c.Get("RegionId"), IDs: nilIfEmpty(c.List("NetworkInterfaceId")), PrivateIPAddresses: c.List("PrivateIpAddress"),
		InstanceID: c.Get("InstanceId"), VpcID: c.Get("VpcId"), VSwitchID: c.Get("VSwitchId"),
		SecurityGroupID: c.Get("SecurityGroupId"), Type: c.Get("Type"), Status: c.Get("Status"),
		PrimaryIPAddress: c.Get("PrimaryIpAddress"), Name: c.Get("NetworkInterfaceName"), ResourceGroupID: c.Get("ResourceGroupId"),
		IPv6: len(c.List("Ipv6Address")) > 0, Tags: ecsTags(c), Page: pageOf(c),
	})
	if err != nil {
		return nil, err
	}
	out := &describeNetworkInterfacesResponse{PageNumber: page.PageNumber, PageSize: page.PageSize, TotalCount: page.TotalCount, NextToken: page.NextToken}
	out.NetworkInterfaceSets.NetworkInterfaceSet = make([]networkInterfaceItem, 0, len(page.Items))
	for _, i := range page.Items {
		ip := i.PrivateIP.String()
		item := networkInterfaceItem{
			NetworkInterfaceId: i.ENI.ID, Type: "Primary", Status: "InUse", InstanceId: i.ID, VpcId: i.VpcID, VSwitchId: i.VSwitchID,
			ZoneId: i.ZoneID, PrivateIpAddress: ip, MacAddress: i.ENI.MacAddress, NetworkInterfaceTrafficMode: "Standard",
			ResourceGroupId: i.ResourceGroupID, CreationTime: seconds(i.CreationTime), OwnerId: i.AccountID,
			QueueNumber: max(1, i.Settings.CPU/2), QueuePairNumber: max(1, i.Settings.CPU/2), SourceDestCheck: false,
			DeleteOnRelease: true, Tags: tagsOf(i.ENI.Tags),
		}
		item.SecurityGroupIds.SecurityGroupId = append([]string{}, i.SecurityGroupIDs...)
		item.PrivateIpSets.PrivateIpSet = []privateIPSet{{PrivateIpAddress: ip, PrivateDnsName: privateDNSName(i), Primary: true}}
		item.Ipv6Sets.Ipv6Set = []struct{ Ipv6Address string }{}
		item.Ipv4PrefixSets.Ipv4PrefixSet = []struct{ Ipv4Prefix string }{}
		item.Ipv6PrefixSets.Ipv6PrefixSet = []struct{ Ipv6Prefix string }{}
		item.Attachment.InstanceId = i.ID
		out.NetworkInterfaceSets.NetworkInterfaceSet = append(out.NetworkInterfaceSets.NetworkInterfaceSet, item)
	}
	return out, nil
}

// diskItem is one DescribeDisks item: an instance's system disk. The
// fields Terraform's alicloud_instance reads without Computed are zero.
type diskItem struct {
	DiskId, DiskName, Description, Type, Category, Status, InstanceId string
	Device, ZoneId, RegionId, ImageId, PerformanceLevel, KMSKeyId     string
	AutoSnapshotPolicyId, StorageClusterId, DiskChargeType            string
	CreationTime, AttachedTime, DetachedTime, ExpiredTime             string
	SourceSnapshotId, ResourceGroupId, SerialNumber, StorageSetId     string
	Size, IOPS, IOPSRead, IOPSWrite, MountInstanceNum                 int
	ProvisionedIops                                                   int64
	Encrypted, DeleteWithInstance, DeleteAutoSnapshot, Portable       bool
	BurstingEnabled, EnableAutoSnapshot                               bool
	EnableAutomatedSnapshotPolicy                                     bool
	Tags                                                              tagList
	OperationLocks                                                    struct{ OperationLock []struct{ LockReason string } }
	Attachments                                                       struct {
		Attachment []struct{ InstanceId, Device, AttachedTime string }
	}
}

type describeDisksResponse struct {
	base
	PageNumber, PageSize, TotalCount int
	NextToken                        string
	Disks                            struct{ Disk []diskItem }
}

// iops approximates a disk's IOPS from its category and size, as the
// category's published formula roughly gives it.
func iops(d ecs.Disk) int {
	switch d.Category {
	case "cloud_essd", "cloud_auto", "cloud_essd_entry":
		return min(1800+50*d.SizeGiB, 50000)
	case "cloud_ssd":
		return min(1800+30*d.SizeGiB, 25000)
	}
	return min(1800+8*d.SizeGiB, 5000)
}

func (a *API) describeDisks(ctx context.Context, c *rpc.Call) (any, error) {
	page, err := a.ECS.DescribeDisks(ctx, c.Principal, ecs.DescribeDisksInput{
		RegionID: c.Get("RegionId"), InstanceID: c.Get("InstanceId"), DiskType: c.Get("DiskType"), DiskIDs: c.Get("DiskIds"),
		ZoneID: c.Get("ZoneId"), Category: c.Get("Category"), Status: c.Get("Status"), DiskName: c.Get("DiskName"),
		ResourceGroupID: c.Get("ResourceGroupId"), Portable: c.Get("Portable"), Tags: ecsTags(c), Page: pageOf(c),
	})
	if err != nil {
		return nil, err
	}
	out := &describeDisksResponse{PageNumber: page.PageNumber, PageSize: page.PageSize, TotalCount: page.TotalCount, NextToken: page.NextToken}
	out.Disks.Disk = make([]diskItem, 0, len(page.Items))
	for _, i := range page.Items {
		d := i.SystemDisk
		n := iops(d)
		item := diskItem{
			DiskId: d.ID, DiskName: d.Name, Description: d.Description, Type: "system", Category: d.Category, Status: "In_use",
			InstanceId: i.ID, Device: "/dev/xvda", ZoneId: i.ZoneID, RegionId: i.RegionID, ImageId: i.ImageID,
			PerformanceLevel: d.PerformanceLevel, DiskChargeType: "PostPaid", CreationTime: seconds(i.CreationTime),
			AttachedTime: seconds(i.CreationTime), ResourceGroupId: i.ResourceGroupID, SerialNumber: d.ID[2:],
			Size: d.SizeGiB, IOPS: n, IOPSRead: n / 2, IOPSWrite: n / 2, MountInstanceNum: 1, DeleteWithInstance: true,
			Tags: tagsOf(d.Tags),
		}
		item.OperationLocks.OperationLock = []struct{ LockReason string }{}
		item.Attachments.Attachment = []struct{ InstanceId, Device, AttachedTime string }{{i.ID, "/dev/xvda", seconds(i.CreationTime)}}
		out.Disks.Disk = append(out.Disks.Disk, item)
	}
	return out, nil
}

type describeUserDataResponse struct {
	base
	RegionId, InstanceId, UserData string
}

func (a *API) describeUserData(ctx context.Context, c *rpc.Call) (any, error) {
	i, err := a.ECS.DescribeUserData(ctx, c.Principal, c.Get("RegionId"), c.Get("InstanceId"))
	if err != nil {
		return nil, err
	}
	return &describeUserDataResponse{RegionId: i.RegionID, InstanceId: i.ID, UserData: i.UserData}, nil
}

// idsOf reads InstanceIds (a JSON array) or InstanceId.N.
func idsOf(c *rpc.Call) ([]string, error) {
	if v := c.Get("InstanceIds"); v != "" {
		return ecs.ParseIDs("InstanceIds", v)
	}
	return nilIfEmpty(c.List("InstanceId")), nil
}

type describeInstanceRamRoleResponse struct {
	base
	RegionId            string
	TotalCount          int
	InstanceRamRoleSets struct {
		InstanceRamRoleSet []struct{ InstanceId, RamRoleName string }
	}
}

// describeInstanceRamRole lists the RAM role of each instance asked for
// ("" when none).
func (a *API) describeInstanceRamRole(ctx context.Context, c *rpc.Call) (any, error) {
	ids, err := idsOf(c)
	if err != nil {
		return nil, err
	}
	page, err := a.ECS.InstancesByID(ctx, c.Principal, "DescribeInstanceRamRole", c.Get("RegionId"), ids, pageOf(c))
	if err != nil {
		return nil, err
	}
	role := c.Get("RamRoleName")
	out := &describeInstanceRamRoleResponse{RegionId: c.Get("RegionId")}
	out.InstanceRamRoleSets.InstanceRamRoleSet = []struct{ InstanceId, RamRoleName string }{}
	for _, i := range page.Items {
		if role == "" || i.Settings.RAMRoleName == role {
			out.InstanceRamRoleSets.InstanceRamRoleSet = append(out.InstanceRamRoleSets.InstanceRamRoleSet, struct{ InstanceId, RamRoleName string }{i.ID, i.Settings.RAMRoleName})
		}
	}
	out.TotalCount = len(out.InstanceRamRoleSets.InstanceRamRoleSet)
	return out, nil
}

type maintenanceAttribute struct {
	InstanceId          string
	NotifyOnMaintenance bool
	ActionOnMaintenance struct {
		Value, DefaultValue string
		SupportedValues     struct{ SupportedValue []string }
	}
	MaintenanceWindows struct {
		MaintenanceWindow []struct{ StartTime, EndTime string }
	}
}

type describeInstanceMaintenanceAttributesResponse struct {
	base
	PageNumber, PageSize, TotalCount int
	MaintenanceAttributes            struct{ MaintenanceAttribute []maintenanceAttribute }
}

// describeInstanceMaintenanceAttributes answers Alibaba's defaults for
// every instance: no notification, AutoRecover, no maintenance window.
func (a *API) describeInstanceMaintenanceAttributes(ctx context.Context, c *rpc.Call) (any, error) {
	page, err := a.ECS.InstancesByID(ctx, c.Principal, "DescribeInstanceMaintenanceAttributes", c.Get("RegionId"), nilIfEmpty(c.List("InstanceId")), pageOf(c))
	if err != nil {
		return nil, err
	}
	out := &describeInstanceMaintenanceAttributesResponse{PageNumber: page.PageNumber, PageSize: page.PageSize, TotalCount: page.TotalCount}
	out.MaintenanceAttributes.MaintenanceAttribute = []maintenanceAttribute{}
	for _, i := range page.Items {
		m := maintenanceAttribute{InstanceId: i.ID}
		m.ActionOnMaintenance.Value, m.ActionOnMaintenance.DefaultValue = "AutoRecover", "AutoRecover"
		m.ActionOnMaintenance.SupportedValues.SupportedValue = []string{"Stop", "AutoRecover", "AutoRedeploy"}
		m.MaintenanceWindows.MaintenanceWindow = []struct{ StartTime, EndTime string }{}
		out.MaintenanceAttributes.MaintenanceAttribute = append(out.MaintenanceAttributes.MaintenanceAttribute, m)
	}
	return out, nil
}

type describeInstanceAttachmentAttributesResponse struct {
	base
	PageNumber, PageSize, TotalCount int
	Instances                        struct {
		Instance []struct{ InstanceId, PrivatePoolOptionsMatchCriteria, PrivatePoolOptionsId string }
	}
}

// describeInstanceAttachmentAttributes: every instance takes the default
// MatchCriteria, Open (an open private pool if one matches; none does).
func (a *API) describeInstanceAttachmentAttributes(ctx context.Context, c *rpc.Call) (any, error) {
	ids, err := idsOf(c)
	if err != nil {
		return nil, err
	}
	page, err := a.ECS.InstancesByID(ctx, c.Principal, "DescribeInstanceAttachmentAttributes", c.Get("RegionId"), ids, pageOf(c))
	if err != nil {
		return nil, err
	}
	out := &describeInstanceAttachmentAttributesResponse{PageNumber: page.PageNumber, PageSize: page.PageSize, TotalCount: page.TotalCount}
	out.Instances.Instance = []struct{ InstanceId, PrivatePoolOptionsMatchCriteria, PrivatePoolOptionsId string }{}
	for _, i := range page.Items {
		out.Instances.Instance = append(out.Instances.Instance, struct{ InstanceId, PrivatePoolOptionsMatchCriteria, PrivatePoolOptionsId string }{i.ID, "Open", ""})
	}
	return out, nil
}
