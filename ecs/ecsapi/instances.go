package ecsapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"slbcert/ecs"
	"slbcert/rpc"
)

// runInput reads RunInstances's (and CreateInstance's) parameters.
func runInput(c *rpc.Call) ecs.RunInstancesInput {
	return ecs.RunInstancesInput{
		RegionID: c.Get("RegionId"), ZoneID: c.Get("ZoneId"), InstanceType: c.Get("InstanceType"), ImageID: c.Get("ImageId"),
		VSwitchID: c.Get("VSwitchId"), PrivateIPAddress: c.Get("PrivateIpAddress"),
		SecurityGroupID: c.Get("SecurityGroupId"), SecurityGroupIDs: c.List("SecurityGroupIds"),
		InstanceName: c.Get("InstanceName"), Description: c.Get("Description"), HostName: c.Get("HostName"), Password: c.Get("Password"),
		InstanceChargeType: c.Get("InstanceChargeType"), InternetChargeType: c.Get("InternetChargeType"),
		InternetMaxBandwidthOut: c.Get("InternetMaxBandwidthOut"), InternetMaxBandwidthIn: c.Get("InternetMaxBandwidthIn"),
		SystemDiskCategory: c.Get("SystemDisk.Category"), SystemDiskSize: c.Get("SystemDisk.Size"),
		SystemDiskName: c.Get("SystemDisk.DiskName"), SystemDiskDescription: c.Get("SystemDisk.Description"),
		SystemDiskPerformanceLevel: c.Get("SystemDisk.PerformanceLevel"),
		UserData:                   c.Get("UserData"), KeyPairName: c.Get("KeyPairName"), RAMRoleName: c.Get("RamRoleName"),
		SecurityEnhancementStrategy: c.Get("SecurityEnhancementStrategy"), DeletionProtection: c.Get("DeletionProtection"),
		AutoReleaseTime: c.Get("AutoReleaseTime"), IoOptimized: c.Get("IoOptimized"),
		SpotStrategy: c.Get("SpotStrategy"), SpotPriceLimit: c.Get("SpotPriceLimit"), SpotDuration: c.Get("SpotDuration"),
		SpotInterruptionBehavior: c.Get("SpotInterruptionBehavior"), CreditSpecification: c.Get("CreditSpecification"),
		HTTPEndpoint: c.Get("HttpEndpoint"), HTTPTokens: c.Get("HttpTokens"), HTTPPutResponseHopLimit: c.Get("HttpPutResponseHopLimit"),
		DeploymentSetID: c.Get("DeploymentSetId"), HpcClusterID: c.Get("HpcClusterId"), DedicatedHostID: c.Get("DedicatedHostId"),
		Amount: c.Get("Amount"), MinAmount: c.Get("MinAmount"), ResourceGroupID: c.Get("ResourceGroupId"),
		ClientToken: c.Get("ClientToken"), DryRun: c.Get("DryRun"), Tags: ecsTags(c),
		LaunchTemplate:    c.Get("LaunchTemplateId") != "" || c.Get("LaunchTemplateName") != "",
		DataDisks:         len(c.Indexed("DataDisk")) > 0,
		NetworkInterfaces: len(c.Indexed("NetworkInterface")) > 0,
		IPv6:              len(c.List("Ipv6Address")) > 0 || (c.Get("Ipv6AddressCount") != "" && c.Get("Ipv6AddressCount") != "0"),
	}
}

type runInstancesResponse struct {
	base
	OrderId        string
	TradePrice     float64
	InstanceIdSets struct{ InstanceIdSet []string }
}

func (a *API) runInstances(ctx context.Context, c *rpc.Call) (any, error) {
	ids, err := a.ECS.RunInstances(ctx, c.Principal, runInput(c))
	if err != nil {
		return nil, err
	}
	out := &runInstancesResponse{}
	out.InstanceIdSets.InstanceIdSet = ids
	return out, nil
}

type createInstanceResponse struct {
	base
	InstanceId, OrderId string
	TradePrice          float64
}

// createInstance is the older CreateInstance: one instance, Stopped.
func (a *API) createInstance(ctx context.Context, c *rpc.Call) (any, error) {
	in := runInput(c)
	in.Stopped, in.Amount, in.MinAmount = true, "", ""
	ids, err := a.ECS.RunInstances(ctx, c.Principal, in)
	if err != nil {
		return nil, err
	}
	return &createInstanceResponse{InstanceId: ids[0]}, nil
}

type ipList struct{ IpAddress []string }

type vpcAttributes struct {
	VpcId, VSwitchId, NatIpAddress string
	PrivateIpAddress               ipList
}

type eipAddress struct {
	AllocationId, IpAddress, InternetChargeType string
	Bandwidth                                   int
	IsSupportUnassociate                        bool
}

type privateIPSet struct {
	PrivateIpAddress, PrivateDnsName string
	Primary                          bool
}

type instanceNIC struct {
	NetworkInterfaceId, Type, PrimaryIpAddress, MacAddress string
	PrivateIpSets                                          struct{ PrivateIpSet []privateIPSet }
	Ipv6Sets                                               struct {
		Ipv6Set []struct{ Ipv6Address string }
	}
	Ipv4PrefixSets struct{ Ipv4PrefixSet []struct{ Ipv4Prefix string } }
	Ipv6PrefixSets struct{ Ipv6PrefixSet []struct{ Ipv6Prefix string } }
}

type cpuOptions struct {
	CoreCount, ThreadsPerCore int
	Numa, TopologyType        string
}

type metadataOptions struct {
	HttpEndpoint, HttpTokens string
	HttpPutResponseHopLimit  int
}

// instanceItem is one DescribeInstances item. Every optional argument of
// Terraform's alicloud_instance that is not Computed comes back as its
// zero value, so that a second plan is empty (spec-neighbourhood.md §5.5).
type instanceItem struct {
	InstanceId, InstanceName, Description, HostName, Hostname  string
	RegionId, ZoneId, Status, InstanceType, InstanceTypeFamily string
	Cpu, Memory, GPUAmount                                     int
	GPUSpec, ImageId, OSName, OSNameEn, OSType, OsType         string
	InstanceChargeType, InternetChargeType                     string
	InternetMaxBandwidthIn, InternetMaxBandwidthOut            int
	InstanceNetworkType                                        string
	IoOptimized                                                bool
	CreationTime, StartTime, ExpiredTime, AutoReleaseTime      string
	StoppedMode, SpotStrategy                                  string
	SpotPriceLimit                                             float64
	SpotDuration                                               int
	SpotInterruptionBehavior                                   string
	DeletionProtection, Recyclable, DeviceAvailable            bool
	CreditSpecification, KeyPairName, ResourceGroupId          string
	DeploymentSetId                                            string
	DeploymentSetGroupNo                                       int
	HpcClusterId, SerialNumber, SaleCycle, VlanId, ClusterId   string
	LocalStorageAmount                                         int
	VpcAttributes                                              vpcAttributes
	SecurityGroupIds                                           struct{ SecurityGroupId []string }
	InnerIpAddress, PublicIpAddress, RdmaIpAddress             ipList
	EipAddress                                                 eipAddress
	NetworkInterfaces                                          struct{ NetworkInterface []instanceNIC }
	DedicatedHostAttribute                                     struct{ DedicatedHostId, DedicatedHostName, DedicatedHostClusterId string }
	DedicatedInstanceAttribute                                 struct{ Affinity, Tenancy string }
	EcsCapacityReservationAttr                                 struct{ CapacityReservationId, CapacityReservationPreference string }
	CpuOptions                                                 cpuOptions
	HibernationOptions                                         struct{ Configured bool }
	MetadataOptions                                            metadataOptions
	AdditionalInfo                                             struct{ EnableHighDensityMode bool }
	ImageOptions                                               struct{ LoginAsNonRoot, CurrentOSNVMeSupported bool }
	PrivateDnsNameOptions                                      struct {
		EnableInstanceIdDnsARecord, EnableInstanceIdDnsAAAARecord, EnableIpDnsARecord, EnableIpDnsPtrRecord bool
		HostnameType                                                                                        string
	}
	OperationLocks struct {
		LockReason []struct{ LockReason, LockMsg string }
	}
	Tags tagList
}

// expiredTime is a pay-as-you-go instance's ExpiredTime, as Alibaba
// answers it.
const expiredTime = "2099-12-31T15:59Z"

func nic(i *ecs.Instance) instanceNIC {
	ip := i.PrivateIP.String()
	n := instanceNIC{NetworkInterfaceId: i.ENI.ID, Type: "Primary", PrimaryIpAddress: ip, MacAddress: i.ENI.MacAddress}
	n.PrivateIpSets.PrivateIpSet = []privateIPSet{{PrivateIpAddress: ip, PrivateDnsName: privateDNSName(i), Primary: true}}
	n.Ipv6Sets.Ipv6Set = []struct{ Ipv6Address string }{}
	n.Ipv4PrefixSets.Ipv4PrefixSet = []struct{ Ipv4Prefix string }{}
	n.Ipv6PrefixSets.Ipv6PrefixSet = []struct{ Ipv6Prefix string }{}
	return n
}

// privateDNSName is the instance's internal DNS name, as ECS names it.
func privateDNSName(i *ecs.Instance) string {
	return i.HostName + "." + i.RegionID + ".ecs.internal"
}

func instanceOf(i *ecs.Instance) instanceItem {
	st := i.Settings
	item := instanceItem{
		InstanceId: i.ID, InstanceName: i.Name, Description: i.Description, HostName: i.HostName, Hostname: i.HostName,
		RegionId: i.RegionID, ZoneId: i.ZoneID, Status: i.Status, InstanceType: i.InstanceType, InstanceTypeFamily: st.InstanceTypeFamily,
		Cpu: st.CPU, Memory: st.MemoryMiB, ImageId: i.ImageID, OSName: st.OSName, OSNameEn: st.OSNameEn,
		OSType: st.OSType, OsType: st.OSType, InstanceChargeType: i.InstanceChargeType, InternetChargeType: st.InternetChargeType,
		InternetMaxBandwidthIn: st.InternetMaxBandwidthIn, InternetMaxBandwidthOut: st.InternetMaxBandwidthOut,
		InstanceNetworkType: "vpc", IoOptimized: true,
		CreationTime: minutes(i.CreationTime), StartTime: minutes(i.StartTime), ExpiredTime: expiredTime, AutoReleaseTime: st.AutoReleaseTime,
		StoppedMode: i.StoppedMode, SpotStrategy: st.SpotStrategy, SpotPriceLimit: st.SpotPriceLimit, SpotDuration: st.SpotDuration,
		SpotInterruptionBehavior: st.SpotInterruptionBehavior, DeletionProtection: i.DeletionProtection, DeviceAvailable: true,
		CreditSpecification: st.CreditSpecification, ResourceGroupId: i.ResourceGroupID, DeploymentSetId: st.DeploymentSetID,
		HpcClusterId: st.HpcClusterID, SerialNumber: serialNumber(i.ID),
		VpcAttributes:  vpcAttributes{VpcId: i.VpcID, VSwitchId: i.VSwitchID, PrivateIpAddress: ipList{IpAddress: []string{i.PrivateIP.String()}}},
		InnerIpAddress: ipList{IpAddress: []string{}}, PublicIpAddress: ipList{IpAddress: []string{}}, RdmaIpAddress: ipList{IpAddress: []string{}},
		CpuOptions:      cpuOptions{CoreCount: max(1, st.CPU/2), ThreadsPerCore: min(2, max(1, st.CPU))},
		MetadataOptions: metadataOptions{HttpEndpoint: st.HTTPEndpoint, HttpTokens: st.HTTPTokens, HttpPutResponseHopLimit: st.HTTPPutResponseHopLimit},
		Tags:            tagsOf(i.Tags),
	}
	item.SecurityGroupIds.SecurityGroupId = append([]string{}, i.SecurityGroupIDs...)
	item.NetworkInterfaces.NetworkInterface = []instanceNIC{nic(i)}
	item.OperationLocks.LockReason = []struct{ LockReason, LockMsg string }{}
	item.PrivateDnsNameOptions.HostnameType = "Custom"
	return item
}

// serialNumber derives an instance's serial number from its id, the same
// on every replica.
func serialNumber(id string) string {
	sum := sha256.Sum256([]byte("slbcert/serial/" + id))
	h := hex.EncodeToString(sum[:16])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

type describeInstancesResponse struct {
	base
	PageNumber, PageSize, TotalCount int
	NextToken                        string
	Instances                        struct{ Instance []instanceItem }
}

func (a *API) describeInstances(ctx context.Context, c *rpc.Call) (any, error) {
	page, err := a.ECS.DescribeInstances(ctx, c.Principal, ecs.DescribeInstancesInput{
		RegionID: c.Get("RegionId"), InstanceIDs: c.Get("InstanceIds"), PrivateIPAddresses: c.Get("PrivateIpAddresses"),
		InnerIPAddresses: c.Get("InnerIpAddresses"), PublicIPAddresses: c.Get("PublicIpAddresses"), EipAddresses: c.Get("EipAddresses"),
		VpcID: c.Get("VpcId"), VSwitchID: c.Get("VSwitchId"), ZoneID: c.Get("ZoneId"), SecurityGroupID: c.Get("SecurityGroupId"),
		InstanceName: c.Get("InstanceName"), InstanceType: c.Get("InstanceType"), InstanceTypeFamily: c.Get("InstanceTypeFamily"),
		ImageID: c.Get("ImageId"), Status: c.Get("Status"), InstanceChargeType: c.Get("InstanceChargeType"),
		InternetChargeType: c.Get("InternetChargeType"), InstanceNetworkType: c.Get("InstanceNetworkType"),
		KeyPairName: c.Get("KeyPairName"), ResourceGroupID: c.Get("ResourceGroupId"), HpcClusterID: c.Get("HpcClusterId"),
		LockReason: c.Get("LockReason"), IoOptimized: c.Get("IoOptimized"), DryRun: c.Get("DryRun"),
		Tags: ecsTags(c), Page: pageOf(c),
	})
	if err != nil {
		return nil, err
	}
	out := &describeInstancesResponse{PageNumber: page.PageNumber, PageSize: page.PageSize, TotalCount: page.TotalCount, NextToken: page.NextToken}
	out.Instances.Instance = make([]instanceItem, 0, len(page.Items))
	for _, i := range page.Items {
		out.Instances.Instance = append(out.Instances.Instance, instanceOf(i))
	}
	return out, nil
}

// describeInstanceAttributeResponse: IoOptimized is a string here.
type describeInstanceAttributeResponse struct {
	base
	InstanceId, InstanceName, Description, HostName, RegionId, ZoneId string
	Status, InstanceType, ImageId, InstanceNetworkType, IoOptimized   string
	Cpu, Memory                                                       int
	InstanceChargeType, InternetChargeType                            string
	InternetMaxBandwidthIn, InternetMaxBandwidthOut                   int
	CreationTime, ExpiredTime, StoppedMode, CreditSpecification       string
	SerialNumber, ClusterId, VlanId                                   string
	EnableJumboFrame                                                  bool
	SecurityGroupIds                                                  struct{ SecurityGroupId []string }
	PublicIpAddress, InnerIpAddress                                   ipList
	VpcAttributes                                                     vpcAttributes
	EipAddress                                                        eipAddress
	DedicatedHostAttribute                                            struct{ DedicatedHostId, DedicatedHostName, DedicatedHostClusterId string }
	OperationLocks                                                    struct{ LockReason []struct{ LockReason string } }
}

func (a *API) describeInstanceAttribute(ctx context.Context, c *rpc.Call) (any, error) {
	i, err := a.ECS.DescribeInstanceAttribute(ctx, c.Principal, c.Get("RegionId"), c.Get("InstanceId"))
	if err != nil {
		return nil, err
	}
	st := i.Settings
	out := &describeInstanceAttributeResponse{
		InstanceId: i.ID, InstanceName: i.Name, Description: i.Description, HostName: i.HostName, RegionId: i.RegionID, ZoneId: i.ZoneID,
		Status: i.Status, InstanceType: i.InstanceType, ImageId: i.ImageID, InstanceNetworkType: "vpc", IoOptimized: "optimized",
		Cpu: st.CPU, Memory: st.MemoryMiB, InstanceChargeType: i.InstanceChargeType, InternetChargeType: st.InternetChargeType,
		InternetMaxBandwidthIn: st.InternetMaxBandwidthIn, InternetMaxBandwidthOut: st.InternetMaxBandwidthOut,
		CreationTime: minutes(i.CreationTime), ExpiredTime: expiredTime, StoppedMode: i.StoppedMode,
		CreditSpecification: st.CreditSpecification, SerialNumber: serialNumber(i.ID), EnableJumboFrame: st.EnableJumboFrame,
		PublicIpAddress: ipList{IpAddress: []string{}}, InnerIpAddress: ipList{IpAddress: []string{}},
		VpcAttributes: vpcAttributes{VpcId: i.VpcID, VSwitchId: i.VSwitchID, PrivateIpAddress: ipList{IpAddress: []string{i.PrivateIP.String()}}},
	}
	out.SecurityGroupIds.SecurityGroupId = append([]string{}, i.SecurityGroupIDs...)
	out.OperationLocks.LockReason = []struct{ LockReason string }{}
	return out, nil
}

type describeInstanceStatusResponse struct {
	base
	PageNumber, PageSize, TotalCount int
	InstanceStatuses                 struct {
		InstanceStatus []struct{ InstanceId, Status string }
	}
}

func (a *API) describeInstanceStatus(ctx context.Context, c *rpc.Call) (any, error) {
	page, err := a.ECS.InstancesByID(ctx, c.Principal, "DescribeInstanceStatus", c.Get("RegionId"), nilIfEmpty(c.List("InstanceId")), pageOf(c))
	if err != nil {
		return nil, err
	}
	zone := c.Get("ZoneId")
	out := &describeInstanceStatusResponse{PageNumber: page.PageNumber, PageSize: page.PageSize, TotalCount: page.TotalCount}
	out.InstanceStatuses.InstanceStatus = []struct{ InstanceId, Status string }{}
	for _, i := range page.Items {
		if zone == "" || i.ZoneID == zone {
			out.InstanceStatuses.InstanceStatus = append(out.InstanceStatuses.InstanceStatus, struct{ InstanceId, Status string }{i.ID, i.Status})
		}
	}
	return out, nil
}

// nilIfEmpty turns "no ids given" into "no id filter".
func nilIfEmpty(ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	return ids
}

func (a *API) startInstance(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.ECS.StartInstance(ctx, c.Principal, c.Get("RegionId"), c.Get("InstanceId"), c.Get("DryRun"))
}

func (a *API) stopInstance(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.ECS.StopInstance(ctx, c.Principal, ecs.StopInstanceInput{
		RegionID: c.Get("RegionId"), InstanceID: c.Get("InstanceId"), ForceStop: c.Get("ForceStop"),
		StoppedMode: c.Get("StoppedMode"), ConfirmStop: c.Get("ConfirmStop"), Hibernate: c.Get("Hibernate"), DryRun: c.Get("DryRun"),
	})
}

func (a *API) rebootInstance(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.ECS.RebootInstance(ctx, c.Principal, c.Get("RegionId"), c.Get("InstanceId"), c.Get("ForceStop"), c.Get("DryRun"))
}

func (a *API) deleteInstance(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.ECS.DeleteInstances(ctx, c.Principal, ecs.DeleteInput{
		RegionID: c.Get("RegionId"), IDs: []string{c.Get("InstanceId")}, Force: c.Get("Force"), ForceStop: c.Get("ForceStop"),
		TerminateSubscription: c.Get("TerminateSubscription"), DryRun: c.Get("DryRun"),
	})
}

type deleteInstancesResponse struct {
	base
	TaskGroupId string
}

func (a *API) deleteInstances(ctx context.Context, c *rpc.Call) (any, error) {
	return &deleteInstancesResponse{}, a.ECS.DeleteInstances(ctx, c.Principal, ecs.DeleteInput{
		RegionID: c.Get("RegionId"), IDs: c.List("InstanceId"), Force: c.Get("Force"), ForceStop: c.Get("ForceStop"),
		TerminateSubscription: c.Get("TerminateSubscription"), DryRun: c.Get("DryRun"), Many: true,
	})
}

func (a *API) modifyInstanceAttribute(ctx context.Context, c *rpc.Call) (any, error) {
	var groups []string
	if list := c.List("SecurityGroupIds"); len(list) > 0 {
		groups = list
	}
	return &base{}, a.ECS.ModifyInstanceAttribute(ctx, c.Principal, ecs.ModifyInstanceInput{
		RegionID: c.Get("RegionId"), InstanceID: c.Get("InstanceId"), Name: c.Get("InstanceName"),
		Description: c.Get("Description"), HostName: c.Get("HostName"), Password: c.Get("Password"), UserData: c.Get("UserData"),
		DeletionProtection: c.Get("DeletionProtection"), CreditSpecification: c.Get("CreditSpecification"),
		EnableJumboFrame: c.Get("EnableJumboFrame"), SecurityGroupIDs: groups,
	})
}

func (a *API) joinSecurityGroup(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.ECS.JoinSecurityGroup(ctx, c.Principal, c.Get("RegionId"), c.Get("InstanceId"), c.Get("SecurityGroupId"))
}

func (a *API) leaveSecurityGroup(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.ECS.LeaveSecurityGroup(ctx, c.Principal, c.Get("RegionId"), c.Get("InstanceId"), c.Get("SecurityGroupId"))
}
