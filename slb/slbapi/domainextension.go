package slbapi

import (
	"context"

	"slbcert/rpc"
	"slbcert/slb"
)

// domainExtensionInput reads the parameters naming one domain extension.
func domainExtensionInput(c *rpc.Call) slb.DomainExtensionInput {
	return slb.DomainExtensionInput{RegionID: c.Get("RegionId"), DomainExtensionID: c.Get("DomainExtensionId")}
}

type createDomainExtensionResponse struct {
	base
	DomainExtensionID string `json:"DomainExtensionId" xml:"DomainExtensionId"`
	ListenerPort      int    `json:"ListenerPort" xml:"ListenerPort"`
}

func (a *API) createDomainExtension(ctx context.Context, c *rpc.Call) (any, error) {
	e, err := a.Service.CreateDomainExtension(ctx, c.Principal, slb.CreateDomainExtensionInput{
		RegionID: c.Get("RegionId"), LoadBalancerID: c.Get("LoadBalancerId"), ListenerPort: intParam(c, "ListenerPort"),
		Domain: c.Get("Domain"), ServerCertificateID: c.Get("ServerCertificateId"),
		CertificateIDs: c.List("CertificateId"), ServerCertificates: serverCertificates(c),
	})
	if err != nil {
		return nil, err
	}
	return &createDomainExtensionResponse{DomainExtensionID: e.ID, ListenerPort: e.ListenerPort}, nil
}

type extensionCertificate struct {
	CertificateID       string `json:"CertificateId" xml:"CertificateId"`
	EncryptionAlgorithm string `json:"EncryptionAlgorithm" xml:"EncryptionAlgorithm"`
}

type extensionCertificates struct {
	Certificate []extensionCertificate `json:"Certificate" xml:"Certificate"`
}

// domainExtensionFields are what both Describe operations report of an
// extension: its certificate also in the SDK-only lists.
type domainExtensionFields struct {
	DomainExtensionID   string                `json:"DomainExtensionId" xml:"DomainExtensionId"`
	Domain              string                `json:"Domain" xml:"Domain"`
	ServerCertificateID string                `json:"ServerCertificateId" xml:"ServerCertificateId"`
	Certificates        extensionCertificates `json:"Certificates" xml:"Certificates"`
	ServerCertificates  boundCertificates     `json:"ServerCertificates" xml:"ServerCertificates"`
}

func domainExtensionFieldsOf(e *slb.DomainExtension, algorithms map[string]string) domainExtensionFields {
	return domainExtensionFields{
		DomainExtensionID: e.ID, Domain: e.Domain, ServerCertificateID: e.ServerCertificateID,
		Certificates: extensionCertificates{Certificate: []extensionCertificate{{CertificateID: e.ServerCertificateID, EncryptionAlgorithm: algorithms[e.ServerCertificateID]}}},
		ServerCertificates: boundCertificates{ServerCertificate: []boundCertificate{{ServerCertificateID: e.ServerCertificateID,
			CertificateID: e.ServerCertificateID, BindingType: "Server"}}},
	}
}

type domainExtensionList struct {
	DomainExtension []domainExtensionFields `json:"DomainExtension" xml:"DomainExtension"`
}

type describeDomainExtensionsResponse struct {
	base
	DomainExtensions domainExtensionList `json:"DomainExtensions" xml:"DomainExtensions"`
}

func (a *API) describeDomainExtensions(ctx context.Context, c *rpc.Call) (any, error) {
	list, err := a.Service.DescribeDomainExtensions(ctx, c.Principal, slb.DescribeDomainExtensionsInput{
		RegionID: c.Get("RegionId"), LoadBalancerID: c.Get("LoadBalancerId"), ListenerPort: intParam(c, "ListenerPort"),
		DomainExtensionID: c.Get("DomainExtensionId"),
	})
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(list))
	for _, e := range list {
		ids = append(ids, e.ServerCertificateID)
	}
	algorithms := a.Service.CertificateAlgorithms(ctx, c.Principal, c.Get("RegionId"), ids)
	out := &describeDomainExtensionsResponse{DomainExtensions: domainExtensionList{DomainExtension: make([]domainExtensionFields, 0, len(list))}}
	for i := range list {
		out.DomainExtensions.DomainExtension = append(out.DomainExtensions.DomainExtension, domainExtensionFieldsOf(&list[i], algorithms))
	}
	return out, nil
}

type describeDomainExtensionAttributeResponse struct {
	base
	domainExtensionFields
	LoadBalancerID string `json:"LoadBalancerId" xml:"LoadBalancerId"`
	ListenerPort   int    `json:"ListenerPort" xml:"ListenerPort"`
}

func (a *API) describeDomainExtensionAttribute(ctx context.Context, c *rpc.Call) (any, error) {
	e, err := a.Service.DescribeDomainExtensionAttribute(ctx, c.Principal, domainExtensionInput(c))
	if err != nil {
		return nil, err
	}
	algorithms := a.Service.CertificateAlgorithms(ctx, c.Principal, c.Get("RegionId"), []string{e.ServerCertificateID})
	return &describeDomainExtensionAttributeResponse{domainExtensionFields: domainExtensionFieldsOf(e, algorithms),
		LoadBalancerID: e.LoadBalancerID, ListenerPort: e.ListenerPort}, nil
}

func (a *API) setDomainExtensionAttribute(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.SetDomainExtensionAttribute(ctx, c.Principal, slb.SetDomainExtensionAttributeInput{
		RegionID: c.Get("RegionId"), DomainExtensionID: c.Get("DomainExtensionId"), ServerCertificateID: c.Get("ServerCertificateId"),
		CertificateIDs: c.List("CertificateId"), ServerCertificates: serverCertificates(c),
	})
}

func (a *API) deleteDomainExtension(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.DeleteDomainExtension(ctx, c.Principal, domainExtensionInput(c))
}
