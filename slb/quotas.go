package slb

// Names of SLB's quotas in the IAM file ("quotas": {"loadBalancersPerRegion": 10}),
// each overriding the default beside it.
const (
	QuotaServerCertificates = "serverCertificatesPerRegion" // DefaultServerCertificateQuota
	QuotaCACertificates     = "caCertificatesPerRegion"     // DefaultCACertificateQuota
	QuotaLoadBalancers      = "loadBalancersPerRegion"      // DefaultLoadBalancerQuota
	QuotaListeners          = "listenersPerLoadBalancer"    // DefaultListenerQuota
	QuotaDomainExtensions   = "domainExtensionsPerListener" // DefaultDomainExtensionQuota
)

// Quotas are the IAM file's quota names SLB enforces.
var Quotas = []string{QuotaServerCertificates, QuotaCACertificates, QuotaLoadBalancers, QuotaListeners, QuotaDomainExtensions}
