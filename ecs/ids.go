package ecs

import (
	"crypto/rand"
	"crypto/sha256"
	"fmt"
)

// regionIDPrefixes are the three characters Alibaba Cloud starts the ids
// of a region's resources with (i-bp1…, sg-bp1…).
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

// newID returns prefix-, the region's three characters and n more: the
// shape of i-bp67acfmxazb4ph****, sg-…, eni-…, d-….
func newID(prefix, regionID string, n int) string {
	return prefix + "-" + regionIDPrefix(regionID) + randomText(n)
}

func newInstanceID(regionID string) string      { return newID("i", regionID, 17) }
func newSecurityGroupID(regionID string) string { return newID("sg", regionID, 17) }
func newENIID(regionID string) string           { return newID("eni", regionID, 17) }
func newDiskID(regionID string) string          { return newID("d", regionID, 17) }
func newRuleID(regionID string) string          { return newID("sgr", regionID, 17) }

// macAddress derives an instance NIC's MAC from its network interface id:
// Alibaba's 00:16:3e prefix, then three bytes of a hash, so that every
// replica reports the same one.
func macAddress(eniID string) string {
	sum := sha256.Sum256([]byte("slbcert/mac/" + eniID))
	return fmt.Sprintf("00:16:3e:%02x:%02x:%02x", sum[0], sum[1], sum[2])
}
