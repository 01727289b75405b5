package slb

import (
	"crypto/rand"
	"crypto/sha256"
)

// regionIDPrefixes are the three characters Alibaba Cloud starts the ids
// of a region's instances with (lb-bp1…, rsp-…, de-bp1…, tls-bp1…).
var regionIDPrefixes = map[string]string{
	"cn-hangzhou": "bp1", "cn-beijing": "2ze", "cn-shanghai": "uf6", "cn-shenzhen": "wz9",
	"cn-qingdao": "m5e", "cn-zhangjiakou": "8vb", "cn-huhehaote": "hp3", "cn-wulanchabu": "0jl",
	"cn-chengdu": "2vc", "cn-hongkong": "j6c", "cn-guangzhou": "7xv", "cn-heyuan": "f8z",
	"ap-southeast-1": "t4n", "ap-southeast-3": "8ps", "ap-southeast-5": "k1a", "ap-northeast-1": "6we",
	"us-east-1": "0xi", "us-west-1": "rj9", "eu-central-1": "gw8", "eu-west-1": "d7o", "me-east-1": "eb3",
}

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// regionIDPrefix returns the region's prefix, or three characters derived
// from its id for regions without a known one.
func regionIDPrefix(regionID string) string {
	if p, ok := regionIDPrefixes[regionID]; ok {
		return p
	}
	sum := sha256.Sum256([]byte(regionID))
	return string([]byte{idAlphabet[int(sum[0])%len(idAlphabet)], idAlphabet[int(sum[1])%len(idAlphabet)], idAlphabet[int(sum[2])%len(idAlphabet)]})
}

// randomText returns n random lowercase letters and digits.
func randomText(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand)
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b)
}

// newLoadBalancerID returns lb- and 22 characters, the region's prefix first.
func newLoadBalancerID(regionID string) string {
	return "lb-" + regionIDPrefix(regionID) + randomText(19)
}

// newVServerGroupID returns rsp- and 14 characters.
func newVServerGroupID() string { return "rsp-" + randomText(14) }

// newDomainExtensionID returns de- and the region's prefix and 12 characters.
func newDomainExtensionID(regionID string) string {
	return "de-" + regionIDPrefix(regionID) + randomText(12)
}

// newTLSCipherPolicyID returns tls- and the region's prefix and 21 characters.
func newTLSCipherPolicyID(regionID string) string {
	return "tls-" + regionIDPrefix(regionID) + randomText(21)
}
