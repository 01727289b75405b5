package region

// builtin lists the public Alibaba Cloud regions: id, Chinese and English
// names, and the endpoint the SDK's endpoint table gives.
var builtin = []struct{ id, zh, en, endpoint string }{
	{"cn-qingdao", "华北1（青岛）", "China (Qingdao)", "slb.aliyuncs.com"},
	{"cn-beijing", "华北2（北京）", "China (Beijing)", "slb.aliyuncs.com"},
	{"cn-zhangjiakou", "华北3（张家口）", "China (Zhangjiakou)", "slb.cn-zhangjiakou.aliyuncs.com"},
	{"cn-huhehaote", "华北5（呼和浩特）", "China (Hohhot)", "slb.cn-huhehaote.aliyuncs.com"},
	{"cn-wulanchabu", "华北6（乌兰察布）", "China (Ulanqab)", "slb.cn-wulanchabu.aliyuncs.com"},
	{"cn-hangzhou", "华东1（杭州）", "China (Hangzhou)", "slb.aliyuncs.com"},
	{"cn-shanghai", "华东2（上海）", "China (Shanghai)", "slb.aliyuncs.com"},
	{"cn-nanjing", "华东5（南京-本地地域）", "China (Nanjing - Local Region)", "slb.cn-nanjing.aliyuncs.com"},
	{"cn-fuzhou", "华东6（福州-本地地域）", "China (Fuzhou - Local Region)", "slb.cn-fuzhou.aliyuncs.com"},
	{"cn-shenzhen", "华南1（深圳）", "China (Shenzhen)", "slb.aliyuncs.com"},
	{"cn-heyuan", "华南2（河源）", "China (Heyuan)", "slb.cn-heyuan.aliyuncs.com"},
	{"cn-guangzhou", "华南3（广州）", "China (Guangzhou)", "slb.cn-guangzhou.aliyuncs.com"},
	{"cn-chengdu", "西南1（成都）", "China (Chengdu)", "slb.cn-chengdu.aliyuncs.com"},
	{"cn-hongkong", "中国香港", "China (Hong Kong)", "slb.aliyuncs.com"},
	{"ap-northeast-1", "日本（东京）", "Japan (Tokyo)", "slb.ap-northeast-1.aliyuncs.com"},
	{"ap-northeast-2", "韩国（首尔）", "South Korea (Seoul)", "slb.ap-northeast-2.aliyuncs.com"},
	{"ap-southeast-1", "新加坡", "Singapore", "slb.aliyuncs.com"},
	{"ap-southeast-3", "马来西亚（吉隆坡）", "Malaysia (Kuala Lumpur)", "slb.ap-southeast-3.aliyuncs.com"},
	{"ap-southeast-5", "印度尼西亚（雅加达）", "Indonesia (Jakarta)", "slb.ap-southeast-5.aliyuncs.com"},
	{"ap-southeast-6", "菲律宾（马尼拉）", "Philippines (Manila)", "slb.ap-southeast-6.aliyuncs.com"},
	{"ap-southeast-7", "泰国（曼谷）", "Thailand (Bangkok)", "slb.ap-southeast-7.aliyuncs.com"},
	{"us-east-1", "美国（弗吉尼亚）", "US (Virginia)", "slb.aliyuncs.com"},
	{"us-west-1", "美国（硅谷）", "US (Silicon Valley)", "slb.aliyuncs.com"},
	{"eu-west-1", "英国（伦敦）", "UK (London)", "slb.eu-west-1.aliyuncs.com"},
	{"eu-central-1", "德国（法兰克福）", "Germany (Frankfurt)", "slb.eu-central-1.aliyuncs.com"},
	{"me-east-1", "阿联酋（迪拜）", "UAE (Dubai)", "slb.me-east-1.aliyuncs.com"},
	{"me-central-1", "沙特（利雅得）", "Saudi Arabia (Riyadh)", "slb.me-central-1.aliyuncs.com"},
}

// Default returns the built-in table: every region holds server
// certificates with RSA 1024/2048/4096 and accepts expired certificates;
// only eu-west-1 accepts ECC, as the CLB documentation says.
func Default() *Table {
	regions := make([]Region, 0, len(builtin))
	for _, b := range builtin {
		regions = append(regions, Region{
			ID:                 b.id,
			LocalName:          map[string]string{"zh-CN": b.zh, "en-US": b.en, "ja": b.en},
			Endpoint:           b.endpoint,
			ServerCertificates: true,
			ECC:                b.id == "eu-west-1",
		})
	}
	t, err := New(regions)
	if err != nil {
		panic(err) // the built-in list is constant; a test covers it
	}
	return t
}
