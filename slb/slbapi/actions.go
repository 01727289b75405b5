// Package slbapi is the SLB product (2014-05-15) on the RPC wire: its action
// table and response shapes. Business rules live in package slb.
package slbapi

import (
	"time"

	"slbcert"
	"slbcert/rpc"
	"slbcert/slb"
)

// API is the SLB product's wire: its action table and the shapes of its
// answers, as the official SDK's structs name them. The rules live in
// service; this package only translates.
type API struct {
	Service *slb.Service
}

// Product returns SLB's action table for the gateway: version 2014-05-15.
func (a *API) Product() *rpc.Product {
	return &rpc.Product{Code: "Slb", HostID: "slb.aliyuncs.com", Statuses: slb.Statuses, Versions: map[string]rpc.Actions{
		slb.APIVersion: {
			"UploadServerCertificate":    a.uploadServerCertificate,
			"DescribeServerCertificates": a.describeServerCertificates,
			"SetServerCertificateName":   a.setServerCertificateName,
			"DeleteServerCertificate":    a.deleteServerCertificate,
			"UploadCACertificate":        a.uploadCACertificate,
			"DescribeCACertificates":     a.describeCACertificates,
			"SetCACertificateName":       a.setCACertificateName,
			"DeleteCACertificate":        a.deleteCACertificate,
			"TagResources":               a.tagResources,
			"UntagResources":             a.untagResources,
			"ListTagResources":           a.listTagResources,
			"MoveResourceGroup":          a.moveResourceGroup,
			"DescribeRegions":            a.describeRegions,

			"CreateLoadBalancer":                    a.createLoadBalancer,
			"DescribeLoadBalancers":                 a.describeLoadBalancers,
			"DescribeLoadBalancerAttribute":         a.describeLoadBalancerAttribute,
			"DeleteLoadBalancer":                    a.deleteLoadBalancer,
			"SetLoadBalancerName":                   a.setLoadBalancerName,
			"SetLoadBalancerStatus":                 a.setLoadBalancerStatus,
			"SetLoadBalancerDeleteProtection":       a.setLoadBalancerDeleteProtection,
			"SetLoadBalancerModificationProtection": a.setLoadBalancerModificationProtection,
			"ModifyLoadBalancerInstanceSpec":        a.modifyLoadBalancerInstanceSpec,
			"ModifyLoadBalancerInternetSpec":        a.modifyLoadBalancerInternetSpec,
			"ModifyLoadBalancerInstanceChargeType":  a.modifyLoadBalancerInstanceChargeType,
			"ModifyLoadBalancerPayType":             a.modifyLoadBalancerPayType,

			"CreateLoadBalancerHTTPSListener":            a.createListener(slb.ProtocolHTTPS),
			"CreateLoadBalancerHTTPListener":             a.createListener(slb.ProtocolHTTP),
			"DescribeLoadBalancerHTTPSListenerAttribute": a.describeHTTPSListener,
			"DescribeLoadBalancerHTTPListenerAttribute":  a.describeHTTPListener,
			"SetLoadBalancerHTTPSListenerAttribute":      a.setListener(slb.ProtocolHTTPS),
			"SetLoadBalancerHTTPListenerAttribute":       a.setListener(slb.ProtocolHTTP),
			"CreateLoadBalancerTCPListener":              a.createL4Listener(slb.ProtocolTCP),
			"CreateLoadBalancerUDPListener":              a.createL4Listener(slb.ProtocolUDP),
			"DescribeLoadBalancerTCPListenerAttribute":   a.describeTCPListener,
			"DescribeLoadBalancerUDPListenerAttribute":   a.describeUDPListener,
			"SetLoadBalancerTCPListenerAttribute":        a.setL4Listener(slb.ProtocolTCP),
			"SetLoadBalancerUDPListenerAttribute":        a.setL4Listener(slb.ProtocolUDP),
			"StartLoadBalancerListener":                  a.startListener,
			"StopLoadBalancerListener":                   a.stopListener,
			"DeleteLoadBalancerListener":                 a.deleteListener,
			"DescribeLoadBalancerListeners":              a.describeLoadBalancerListeners,

			"CreateDomainExtension":            a.createDomainExtension,
			"DescribeDomainExtensions":         a.describeDomainExtensions,
			"DescribeDomainExtensionAttribute": a.describeDomainExtensionAttribute,
			"SetDomainExtensionAttribute":      a.setDomainExtensionAttribute,
			"DeleteDomainExtension":            a.deleteDomainExtension,

			"CreateVServerGroup":               a.createVServerGroup,
			"DescribeVServerGroups":            a.describeVServerGroups,
			"DescribeVServerGroupAttribute":    a.describeVServerGroupAttribute,
			"AddVServerGroupBackendServers":    a.addVServerGroupBackendServers,
			"RemoveVServerGroupBackendServers": a.removeVServerGroupBackendServers,
			"ModifyVServerGroupBackendServers": a.modifyVServerGroupBackendServers,
			"SetVServerGroupAttribute":         a.setVServerGroupAttribute,
			"DeleteVServerGroup":               a.deleteVServerGroup,
			"AddBackendServers":                a.defaultBackends(a.Service.AddBackendServers),
			"RemoveBackendServers":             a.defaultBackends(a.Service.RemoveBackendServers),
			"SetBackendServers":                a.defaultBackends(a.Service.SetBackendServers),

			"CreateTLSCipherPolicy":       a.createTLSCipherPolicy,
			"ListTLSCipherPolicies":       a.listTLSCipherPolicies,
			"SetTLSCipherPolicyAttribute": a.setTLSCipherPolicyAttribute,
			"DeleteTLSCipherPolicy":       a.deleteTLSCipherPolicy,

			"DescribeHealthStatus": a.describeHealthStatus,

			"CreateAccessControlList":                a.createAccessControlList,
			"DeleteAccessControlList":                a.deleteAccessControlList,
			"DescribeAccessControlLists":             a.describeAccessControlLists,
			"DescribeAccessControlListAttribute":     a.describeAccessControlListAttribute,
			"SetAccessControlListAttribute":          a.setAccessControlListAttribute,
			"AddAccessControlListEntry":              a.addAccessControlListEntry,
			"RemoveAccessControlListEntry":           a.removeAccessControlListEntry,
			"SetListenerAccessControlStatus":         a.setListenerAccessControlStatus,
			"AddListenerWhiteListItem":               a.addListenerWhiteListItem,
			"RemoveListenerWhiteListItem":            a.removeListenerWhiteListItem,
			"DescribeListenerAccessControlAttribute": a.describeListenerAccessControlAttribute,
		},
	}}
}

// base carries the RequestId every answer starts with.
type base = rpc.Response

// timeLayout is the API's time format, UTC to the second.
const timeLayout = slbcert.TimeLayout

func apiTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// apiTimeStamp is milliseconds since the epoch at whole seconds, as
// CreateTimeStamp is CreateTime truncated to the second.
func apiTimeStamp(t time.Time) int64 { return t.Truncate(time.Second).UnixMilli() }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// subjectAlternativeNames nests the SAN list as the SDK expects.
type subjectAlternativeNames struct {
	SubjectAlternativeName []string `json:"SubjectAlternativeName" xml:"SubjectAlternativeName"`
}

func sans(c *slb.Certificate) subjectAlternativeNames {
	names := c.SubjectAlternativeNames
	if names == nil {
		names = []string{}
	}
	return subjectAlternativeNames{SubjectAlternativeName: names}
}

type tagItem struct {
	TagKey   string `json:"TagKey" xml:"TagKey"`
	TagValue string `json:"TagValue" xml:"TagValue"`
}

type tagList struct {
	Tag []tagItem `json:"Tag" xml:"Tag"`
}

func tagsOf(c *slb.Certificate) tagList {
	l := tagList{Tag: make([]tagItem, 0, len(c.Tags))}
	for _, t := range c.Tags {
		l.Tag = append(l.Tag, tagItem{TagKey: t.Key, TagValue: t.Value})
	}
	return l
}
