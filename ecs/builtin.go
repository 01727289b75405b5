package ecs

import "time"

// Builtin returns the built-in catalogue: the instance types and images
// Alibaba's published Terraform examples name or filter for, with their
// published specifications (docs/choices.md, "The ECS catalogue";
// spec-neighbourhood.md §8), offered in every zone. Each call returns a
// fresh copy.
func Builtin() *Catalogue {
	return &Catalogue{
		InstanceTypes:  builtinTypes(),
		Images:         builtinImages(),
		DiskCategories: builtinDiskCategories(),
	}
}

func builtinTypes() []InstanceType {
	t := func(id, family, gen string, cpu int, mem float64, enis, ips int, level, category string) InstanceType {
		return InstanceType{ID: id, Family: family, Generation: gen, CPU: cpu, MemoryGiB: mem, ENIs: enis, IPsPerENI: ips,
			IPv6PerENI: 1, Level: level, Category: category, Architecture: "X86",
			BandwidthRxKbps: 1024000 * cpu / 2, BandwidthTxKbps: 1024000 * cpu / 2, PPSRx: int64(300000 * cpu / 2), PPSTx: int64(300000 * cpu / 2),
			ProcessorModel: "Intel Xeon Platinum", CPUSpeedGHz: 2.5, CPUTurboGHz: 3.2}
	}
	list := []InstanceType{
		t("ecs.e-c1m1.large", "ecs.e", "ecs-6", 2, 2, 2, 3, "EntryLevel", "General-purpose"),
		t("ecs.e-c1m2.large", "ecs.e", "ecs-6", 2, 4, 2, 3, "EntryLevel", "General-purpose"),
		t("ecs.e-c1m2.xlarge", "ecs.e", "ecs-6", 4, 8, 3, 6, "EntryLevel", "General-purpose"),
		t("ecs.n4.small", "ecs.n4", "ecs-2", 1, 2, 1, 3, "EntryLevel", "Shared"),
		t("ecs.g6.large", "ecs.g6", "ecs-4", 2, 8, 2, 6, "EnterpriseLevel", "General-purpose"),
		t("ecs.g6.xlarge", "ecs.g6", "ecs-4", 4, 16, 3, 10, "EnterpriseLevel", "General-purpose"),
		t("ecs.g7.large", "ecs.g7", "ecs-5", 2, 8, 3, 6, "EnterpriseLevel", "General-purpose"),
		t("ecs.g7.xlarge", "ecs.g7", "ecs-5", 4, 16, 4, 15, "EnterpriseLevel", "General-purpose"),
		t("ecs.c6.large", "ecs.c6", "ecs-4", 2, 4, 2, 6, "EnterpriseLevel", "Compute-optimized"),
		t("ecs.sn1ne.large", "ecs.sn1ne", "ecs-3", 2, 4, 2, 6, "EnterpriseLevel", "Compute-optimized"),
		t("ecs.sn1ne.xlarge", "ecs.sn1ne", "ecs-3", 4, 8, 3, 10, "EnterpriseLevel", "Compute-optimized"),
		t("ecs.t6-c1m2.large", "ecs.t6", "ecs-4", 2, 4, 2, 6, "CreditEntryLevel", "Burstable"),
	}
	for i := range list {
		switch list[i].Family {
		case "ecs.e":
			list[i].EssdEntryAvailable = true
		case "ecs.t6":
			list[i].InitialCredit, list[i].BaselineCredit = 60, 20
		}
	}
	return list
}

func builtinImages() []Image {
	day := func(s string) time.Time {
		t, err := time.Parse("20060102", s)
		if err != nil {
			panic(err)
		}
		return t.Add(8 * time.Hour) // published in the morning, China time
	}
	img := func(id, zh, en, platform, family, date string) Image {
		return Image{ID: id, OSName: zh, OSNameEn: en, Platform: platform, Family: family, OSType: "linux",
			Architecture: "x86_64", SizeGiB: 20, CreationTime: day(date), Description: en}
	}
	const alinux3zh, alinux3en = "Alibaba Cloud Linux  3.2104 LTS 64位", "Alibaba Cloud Linux  3.2104 LTS 64 bit"
	return []Image{
		img("aliyun_3_x64_20G_alibase_20250117.vhd", alinux3zh, alinux3en, "Aliyun", "acs:alibaba_cloud_linux_3_2104_lts_x64", "20250117"),
		img("aliyun_3_x64_20G_alibase_20241103.vhd", alinux3zh, alinux3en, "Aliyun", "acs:alibaba_cloud_linux_3_2104_lts_x64", "20241103"),
		img("aliyun_3_x64_20G_alibase_20240528.vhd", alinux3zh, alinux3en, "Aliyun", "acs:alibaba_cloud_linux_3_2104_lts_x64", "20240528"),
		img("aliyun_3_9_x64_20G_alibase_20231219.vhd", alinux3zh, alinux3en, "Aliyun", "acs:alibaba_cloud_linux_3_2104_lts_x64", "20231219"),
		img("aliyun_2_1903_x64_20G_alibase_20240628.vhd", "Alibaba Cloud Linux  2.1903 LTS 64位", "Alibaba Cloud Linux  2.1903 LTS 64 bit", "Aliyun", "acs:alibaba_cloud_linux_2_1903_lts_x64", "20240628"),
		img("ubuntu_24_04_x64_20G_alibase_20241115.vhd", "Ubuntu  24.04 64位", "Ubuntu  24.04 64 bit", "Ubuntu", "acs:ubuntu_24_04_x64", "20241115"),
		img("ubuntu_22_04_x64_20G_alibase_20241224.vhd", "Ubuntu  22.04 64位", "Ubuntu  22.04 64 bit", "Ubuntu", "acs:ubuntu_22_04_x64", "20241224"),
		img("ubuntu_20_04_x64_20G_alibase_20230316.vhd", "Ubuntu  20.04 64位", "Ubuntu  20.04 64 bit", "Ubuntu", "acs:ubuntu_20_04_x64", "20230316"),
		img("ubuntu_18_04_x64_20G_alibase_20231221.vhd", "Ubuntu  18.04 64位", "Ubuntu  18.04 64 bit", "Ubuntu", "acs:ubuntu_18_04_x64", "20231221"),
		img("centos_7_9_x64_20G_alibase_20240628.vhd", "CentOS  7.9 64位", "CentOS  7.9 64 bit", "CentOS", "acs:centos_7_9_x64", "20240628"),
		img("debian_12_8_x64_20G_alibase_20241216.vhd", "Debian  12.8 64位", "Debian  12.8 64 bit", "Debian", "acs:debian_12_x64", "20241216"),
	}
}

func builtinDiskCategories() []DiskCategory {
	essd := []string{"PL1", "PL0", "PL2", "PL3"}
	return []DiskCategory{
		{ID: "cloud_efficiency", MinGiB: 20, MaxGiB: 2048, DataMinGiB: 20, DataMaxGiB: 32768},
		{ID: "cloud_ssd", MinGiB: 20, MaxGiB: 2048, DataMinGiB: 20, DataMaxGiB: 32768},
		{ID: "cloud_essd", MinGiB: 20, MaxGiB: 2048, DataMinGiB: 20, DataMaxGiB: 32768, PerformanceLevels: essd},
		{ID: "cloud_auto", MinGiB: 20, MaxGiB: 2048, DataMinGiB: 1, DataMaxGiB: 65536},
		{ID: "cloud_essd_entry", MinGiB: 20, MaxGiB: 2048, DataMinGiB: 10, DataMaxGiB: 32768},
		{ID: "cloud", MinGiB: 20, MaxGiB: 500, DataMinGiB: 5, DataMaxGiB: 2000},
	}
}
