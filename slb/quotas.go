package slb

// Names of SLB's quotas in the IAM file ("quotas": {"loadBalancersPerRegion": 10}),
// each overriding the default beside it.
const (
	QuotaServerCertificates = "serverCertificatesPerRegion" // DefaultServerCertificateQuota
	QuotaCACertificates     = "caCertificatesPerRegion"     // DefaultCACertificateQuota
	QuotaLoadBalancers      = "loadBalancersPerRegion"      // DefaultLoadBalancerQuota
	QuotaListeners          = "listenersPerLoadBalancer"    // DefaultListenerQuota
	QuotaDomainExtensions   = "domainExtensionsPerListener" // DefaultDomainExtensionQuota
	QuotaACLs               = "aclsPerRegion"               // DefaultACLQuota
	QuotaACLEntries         = "entriesPerACL"               // DefaultACLEntryQuota
)

// Defaults of the ACL quotas (docs/choices.md, "Access control lists").
const (
	DefaultACLQuota      = 50
	DefaultACLEntryQuota = 300
)

// Quotas are the IAM file's quota names SLB enforces.
var Quotas = []string{QuotaServerCertificates, QuotaCACertificates, QuotaLoadBalancers, QuotaListeners, QuotaDomainExtensions, QuotaACLs, QuotaACLEntries}
