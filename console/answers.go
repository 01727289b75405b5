package console

// The parts of the API's answers the console reads, by their JSON names
// as the official SDKs read them (SLB 2014-05-15, CAS 2020-04-07). Fields
// a product adds later are ignored; fields it lacks read as zero.

type serverCertificateAnswer struct {
	ServerCertificateID     string `json:"ServerCertificateId"`
	ServerCertificateName   string `json:"ServerCertificateName"`
	Fingerprint             string `json:"Fingerprint"`
	CommonName              string `json:"CommonName"`
	SubjectAlternativeNames struct {
		SubjectAlternativeName []string `json:"SubjectAlternativeName"`
	} `json:"SubjectAlternativeNames"`
	CreateTimeStamp       int64  `json:"CreateTimeStamp"`
	ExpireTimeStamp       int64  `json:"ExpireTimeStamp"`
	EncryptionAlgorithm   string `json:"EncryptionAlgorithm"`
	EncryptionKeyLength   int    `json:"EncryptionKeyLength"`
	ResourceGroupID       string `json:"ResourceGroupId"`
	AliCloudCertificateID string `json:"AliCloudCertificateId"`
	IsAliCloudCertificate int    `json:"IsAliCloudCertificate"`
}

type describeServerCertificatesAnswer struct {
	ServerCertificates struct {
		ServerCertificate []serverCertificateAnswer `json:"ServerCertificate"`
	} `json:"ServerCertificates"`
}

type caCertificateAnswer struct {
	CACertificateID     string `json:"CACertificateId"`
	CACertificateName   string `json:"CACertificateName"`
	Fingerprint         string `json:"Fingerprint"`
	CommonName          string `json:"CommonName"`
	CreateTimeStamp     int64  `json:"CreateTimeStamp"`
	ExpireTimeStamp     int64  `json:"ExpireTimeStamp"`
	EncryptionAlgorithm string `json:"EncryptionAlgorithm"`
	EncryptionKeyLength int    `json:"EncryptionKeyLength"`
	ResourceGroupID     string `json:"ResourceGroupId"`
}

type describeCACertificatesAnswer struct {
	CACertificates struct {
		CACertificate []caCertificateAnswer `json:"CACertificate"`
	} `json:"CACertificates"`
}

type catalogEntryAnswer struct {
	CertificateID   int64  `json:"CertificateId"`
	Name            string `json:"Name"`
	CommonName      string `json:"CommonName"`
	Sans            string `json:"Sans"`
	Fingerprint     string `json:"Fingerprint"`
	Issuer          string `json:"Issuer"`
	Expired         bool   `json:"Expired"`
	StartDate       string `json:"StartDate"`
	EndDate         string `json:"EndDate"`
	ResourceGroupID string `json:"ResourceGroupId"`
}

type listUserCertificateOrderAnswer struct {
	TotalCount           int64                `json:"TotalCount"`
	CertificateOrderList []catalogEntryAnswer `json:"CertificateOrderList"`
}

type catalogDetailAnswer struct {
	ID          int64  `json:"Id"`
	Name        string `json:"Name"`
	Common      string `json:"Common"`
	Sans        string `json:"Sans"`
	Fingerprint string `json:"Fingerprint"`
	Issuer      string `json:"Issuer"`
	NotBefore   int64  `json:"NotBefore"`
	NotAfter    int64  `json:"NotAfter"`
	Algorithm   string `json:"Algorithm"`
}

type loadBalancerAnswer struct {
	LoadBalancerID     string `json:"LoadBalancerId"`
	LoadBalancerName   string `json:"LoadBalancerName"`
	LoadBalancerStatus string `json:"LoadBalancerStatus"`
	Address            string `json:"Address"`
	AddressType        string `json:"AddressType"`
	NetworkType        string `json:"NetworkType"`
	LoadBalancerSpec   string `json:"LoadBalancerSpec"`
	VpcID              string `json:"VpcId"`
	VSwitchID          string `json:"VSwitchId"`
	CreateTimeStamp    int64  `json:"CreateTimeStamp"`
}

type describeLoadBalancersAnswer struct {
	TotalCount    int `json:"TotalCount"`
	LoadBalancers struct {
		LoadBalancer []loadBalancerAnswer `json:"LoadBalancer"`
	} `json:"LoadBalancers"`
}

type backendServerAnswer struct {
	ServerID    string `json:"ServerId"`
	ServerIP    string `json:"ServerIp"`
	Port        int    `json:"Port"`
	Weight      int    `json:"Weight"`
	Type        string `json:"Type"`
	Description string `json:"Description"`
	// ServerType is a primary/secondary group member's role (Master,
	// Slave).
	ServerType string `json:"ServerType"`
}

type loadBalancerAttributeAnswer struct {
	loadBalancerAnswer
	BackendServers struct {
		BackendServer []backendServerAnswer `json:"BackendServer"`
	} `json:"BackendServers"`
}

// listenerAnswer is a DescribeLoadBalancerListeners item, whatever its
// protocol: the protocol's own settings stay in the fields the console
// does not read.
type listenerAnswer struct {
	LoadBalancerID      string `json:"LoadBalancerId"`
	ListenerPort        int    `json:"ListenerPort"`
	ListenerProtocol    string `json:"ListenerProtocol"`
	Status              string `json:"Status"`
	VServerGroupID      string `json:"VServerGroupId"`
	BackendServerPort   int    `json:"BackendServerPort"`
	Description         string `json:"Description"`
	Scheduler           string `json:"Scheduler"`
	HTTPSListenerConfig *struct {
		ServerCertificateID string `json:"ServerCertificateId"`
		CACertificateID     string `json:"CACertificateId"`
		TLSCipherPolicy     string `json:"TLSCipherPolicy"`
	} `json:"HTTPSListenerConfig"`
	HTTPListenerConfig *struct {
		ListenerForward string `json:"ListenerForward"`
		ForwardPort     int    `json:"ForwardPort"`
	} `json:"HTTPListenerConfig"`
}

type describeListenersAnswer struct {
	NextToken string           `json:"NextToken"`
	Listeners []listenerAnswer `json:"Listeners"`
}

type domainExtensionAnswer struct {
	DomainExtensionID   string `json:"DomainExtensionId"`
	Domain              string `json:"Domain"`
	ServerCertificateID string `json:"ServerCertificateId"`
}

type describeDomainExtensionsAnswer struct {
	DomainExtensions struct {
		DomainExtension []domainExtensionAnswer `json:"DomainExtension"`
	} `json:"DomainExtensions"`
}

type healthAnswer struct {
	ServerID           string `json:"ServerId"`
	ServerIP           string `json:"ServerIp"`
	Port               int    `json:"Port"`
	ListenerPort       int    `json:"ListenerPort"`
	Protocol           string `json:"Protocol"`
	ServerHealthStatus string `json:"ServerHealthStatus"`
}

type describeHealthStatusAnswer struct {
	BackendServers struct {
		BackendServer []healthAnswer `json:"BackendServer"`
	} `json:"BackendServers"`
}

type vServerGroupAnswer struct {
	VServerGroupID   string `json:"VServerGroupId"`
	VServerGroupName string `json:"VServerGroupName"`
	BackendServers   struct {
		BackendServer []backendServerAnswer `json:"BackendServer"`
	} `json:"BackendServers"`
}

type describeVServerGroupsAnswer struct {
	VServerGroups struct {
		VServerGroup []vServerGroupAnswer `json:"VServerGroup"`
	} `json:"VServerGroups"`
}

type masterSlaveGroupAnswer struct {
	MasterSlaveServerGroupID   string `json:"MasterSlaveServerGroupId"`
	MasterSlaveServerGroupName string `json:"MasterSlaveServerGroupName"`
}

type describeMasterSlaveGroupsAnswer struct {
	MasterSlaveServerGroups struct {
		MasterSlaveServerGroup []masterSlaveGroupAnswer `json:"MasterSlaveServerGroup"`
	} `json:"MasterSlaveServerGroups"`
}

type masterSlaveGroupAttributeAnswer struct {
	MasterSlaveBackendServers struct {
		MasterSlaveBackendServer []backendServerAnswer `json:"MasterSlaveBackendServer"`
	} `json:"MasterSlaveBackendServers"`
}

type ruleAnswer struct {
	RuleID         string `json:"RuleId"`
	RuleName       string `json:"RuleName"`
	Domain         string `json:"Domain"`
	URL            string `json:"Url"`
	VServerGroupID string `json:"VServerGroupId"`
}

type describeRulesAnswer struct {
	Rules struct {
		Rule []ruleAnswer `json:"Rule"`
	} `json:"Rules"`
}

// totalCountAnswer reads the TotalCount of any paged listing (VPC's
// DescribeVpcs, ECS's DescribeInstances) for the overview's counts.
type totalCountAnswer struct {
	TotalCount int `json:"TotalCount"`
}
