package slbapi

import (
	"context"

	"slbcert/rpc"
	"slbcert/slb"
)

func domainExtensionInput(c *rpc.Call) slb.DomainExtensionInput {
	return slb.DomainExtensionInput{Params: c, CertificateIDs: c.List("CertificateId"), ServerCertificates: c.Indexed("ServerCertificate")}
}

type createDomainExtensionResponse struct {
	base
	DomainExtensionID string `json:"DomainExtensionId" xml:"DomainExtensionId"`
	ListenerPort      int    `json:"ListenerPort" xml:"ListenerPort"`
}

func (a *API) createDomainExtension(ctx context.Context, c *rpc.Call) (any, error) {
	e, err := a.Service.CreateDomainExtension(ctx, c.Principal, domainExtensionInput(c))
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
	list, err := a.Service.DescribeDomainExtensions(ctx, c.Principal, c)
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
	e, err := a.Service.DescribeDomainExtensionAttribute(ctx, c.Principal, c)
	if err != nil {
		return nil, err
	}
	algorithms := a.Service.CertificateAlgorithms(ctx, c.Principal, c.Get("RegionId"), []string{e.ServerCertificateID})
	return &describeDomainExtensionAttributeResponse{domainExtensionFields: domainExtensionFieldsOf(e, algorithms),
		LoadBalancerID: e.LoadBalancerID, ListenerPort: e.ListenerPort}, nil
}

func (a *API) setDomainExtensionAttribute(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.SetDomainExtensionAttribute(ctx, c.Principal, domainExtensionInput(c))
}

func (a *API) deleteDomainExtension(ctx context.Context, c *rpc.Call) (any, error) {
	return &base{}, a.Service.DeleteDomainExtension(ctx, c.Principal, c)
}
