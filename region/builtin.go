package region

import "strings"

// builtin lists the public Alibaba Cloud regions: id, Chinese and English
// names, and the endpoint the SDK's endpoint table gives.
var builtin = []struct{ id, zh, en, endpoint, zones string }{
	{"cn-qingdao", "华北1（青岛）", "China (Qingdao)", "slb.aliyuncs.com", "bc"},
	{"cn-beijing", "华北2（北京）", "China (Beijing)", "slb.aliyuncs.com", "cfghijkl"},
	{"cn-zhangjiakou", "华北3（张家口）", "China (Zhangjiakou)", "slb.cn-zhangjiakou.aliyuncs.com", "abc"},
	{"cn-huhehaote", "华北5（呼和浩特）", "China (Hohhot)", "slb.cn-huhehaote.aliyuncs.com", "ab"},
	{"cn-wulanchabu", "华北6（乌兰察布）", "China (Ulanqab)", "slb.cn-wulanchabu.aliyuncs.com", "ab"},
	{"cn-hangzhou", "华东1（杭州）", "China (Hangzhou)", "slb.aliyuncs.com", "bghijk"},
	{"cn-shanghai", "华东2（上海）", "China (Shanghai)", "slb.aliyuncs.com", "befglmn"},
	{"cn-nanjing", "华东5（南京-本地地域）", "China (Nanjing - Local Region)", "slb.cn-nanjing.aliyuncs.com", "ab"},
	{"cn-fuzhou", "华东6（福州-本地地域）", "China (Fuzhou - Local Region)", "slb.cn-fuzhou.aliyuncs.com", "ab"},
	{"cn-shenzhen", "华南1（深圳）", "China (Shenzhen)", "slb.aliyuncs.com", "acdef"},
	{"cn-heyuan", "华南2（河源）", "China (Heyuan)", "slb.cn-heyuan.aliyuncs.com", "ab"},
	{"cn-guangzhou", "华南3（广州）", "China (Guangzhou)", "slb.cn-guangzhou.aliyuncs.com", "ab"},
	{"cn-chengdu", "西南1（成都）", "China (Chengdu)", "slb.cn-chengdu.aliyuncs.com", "ab"},
	{"cn-hongkong", "中国香港", "China (Hong Kong)", "slb.aliyuncs.com", "bcd"},
	{"ap-northeast-1", "日本（东京）", "Japan (Tokyo)", "slb.ap-northeast-1.aliyuncs.com", "abc"},
	{"ap-northeast-2", "韩国（首尔）", "South Korea (Seoul)", "slb.ap-northeast-2.aliyuncs.com", "ab"},
	{"ap-southeast-1", "新加坡", "Singapore", "slb.aliyuncs.com", "abc"},
	{"ap-southeast-3", "马来西亚（吉隆坡）", "Malaysia (Kuala Lumpur)", "slb.ap-southeast-3.aliyuncs.com", "ab"},
	{"ap-southeast-5", "印度尼西亚（雅加达）", "Indonesia (Jakarta)", "slb.ap-southeast-5.aliyuncs.com", "ab"},
	{"ap-southeast-6", "菲律宾（马尼拉）", "Philippines (Manila)", "slb.ap-southeast-6.aliyuncs.com", "ab"},
	{"ap-southeast-7", "泰国（曼谷）", "Thailand (Bangkok)", "slb.ap-southeast-7.aliyuncs.com", "ab"},
	{"us-east-1", "美国（弗吉尼亚）", "US (Virginia)", "slb.aliyuncs.com", "ab"},
	{"us-west-1", "美国（硅谷）", "US (Silicon Valley)", "slb.aliyuncs.com", "ab"},
	{"eu-west-1", "英国（伦敦）", "UK (London)", "slb.eu-west-1.aliyuncs.com", "ab"},
	{"eu-central-1", "德国（法兰克福）", "Germany (Frankfurt)", "slb.eu-central-1.aliyuncs.com", "abc"},
	{"me-east-1", "阿联酋（迪拜）", "UAE (Dubai)", "slb.me-east-1.aliyuncs.com", "ab"},
	{"me-central-1", "沙特（利雅得）", "Saudi Arabia (Riyadh)", "slb.me-central-1.aliyuncs.com", "ab"},
}

// builtin's zone letters ("bghijk": cn-hangzhou-b …) follow the zones
// Alibaba Cloud lists per region; regions not listed there get a and b.

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
			Zones:              zonesOf(b.id, b.zh, b.en, b.zones),
		})
	}
	t, err := New(regions)
	if err != nil {
		panic(err) // the built-in list is constant; a test covers it
	}
	return t
}

// zonesOf names a region's zones from their letters: cn-hangzhou-h is
// "华东1 可用区 H" and "Hangzhou Zone H", as the console names them.
func zonesOf(id, zh, en, letters string) []Zone {
	place := en
	if open, close := strings.Index(en, "("), strings.LastIndex(en, ")"); open >= 0 && close > open {
		place = en[open+1 : close]
	}
	zhPlace, _, _ := strings.Cut(zh, "（")
	zones := make([]Zone, 0, len(letters))
	for _, l := range letters {
		up := strings.ToUpper(string(l))
		zones = append(zones, Zone{ID: id + "-" + string(l), LocalName: map[string]string{
			"zh-CN": zhPlace + " 可用区 " + up, "en-US": place + " Zone " + up, "ja": place + " Zone " + up}})
	}
	return zones
}
