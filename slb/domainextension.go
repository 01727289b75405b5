package slb

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"slbcert"
)

// domainPattern: labels of letters, digits and '-', the first character a
// letter or digit, or a wildcard "*." before them (CreateDomainExtension:
// https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-createdomainextension).
var domainPattern = regexp.MustCompile(`^(\*\.)?[A-Za-z0-9]([A-Za-z0-9\-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9\-]*[A-Za-z0-9])?)+$`)

// errDomainExtensionNotFound is the answer for an unknown extension id;
// Terraform takes the code for "gone".
func errDomainExtensionNotFound(id string) *slbcert.Error {
	return slbcert.Errorf(EDomainExtensionNotFound, "The specified DomainExtensionId %q does not exist.", id)
}

// extensionCertificate reads the certificate of an extension request:
// ServerCertificateId, else the first CertificateId.N or
// ServerCertificate.N.CertificateId (SDK-only forms).
func extensionCertificate(id string, ids []string, list []ServerCertificateBinding) string {
	if id != "" {
		return id
	}
	for _, id := range ids {
		if id != "" {
			return id
		}
	}
	for _, e := range list {
		if e.CertificateID != "" {
			return e.CertificateID
		}
	}
	return ""
}

// CreateDomainExtensionInput is CreateDomainExtension's request.
type CreateDomainExtensionInput struct {
	// RegionID is required.
	RegionID       string
	LoadBalancerID string
	// ListenerPort (required) is the HTTPS listener's port, 1–65535.
	ListenerPort Param[int]
	// Domain (required) is the name clients ask for by SNI: a domain or a
	// wildcard (*.example.com), compared lower-cased.
	Domain string
	// ServerCertificateID is the server certificate served for Domain;
	// CertificateIDs (CertificateId.N) and ServerCertificates
	// (ServerCertificate.N) are the SDK-only forms, whose first id counts.
	ServerCertificateID string
	CertificateIDs      []string
	ServerCertificates  []ServerCertificateBinding
}

// CreateDomainExtension adds an SNI certificate for Domain to an HTTPS
// listener (running or stopped) of a performance-guaranteed instance
// (RegionId required). A listener holds at most 3 by default, one per
// domain.
func (s *Service) CreateDomainExtension(ctx context.Context, p *slbcert.Principal, in CreateDomainExtensionInput) (*DomainExtension, error) {
	const action = "CreateDomainExtension"
	lb, err := s.loadBalancer(ctx, p, action, in.RegionID, in.LoadBalancerID, regionRequired)
	if err != nil {
		return nil, err
	}
	port, err := readPort("ListenerPort", in.ListenerPort)
	if err != nil {
		return nil, err
	}
	domain := strings.ToLower(in.Domain)
	if domain == "" {
		return nil, slbcert.MissingParameter("Domain")
	}
	if len(domain) > 253 || !domainPattern.MatchString(domain) {
		return nil, errInvalidValue("Domain", in.Domain, "a domain name of letters, digits, '-' and '.', starting with a letter or digit, or a wildcard such as *.example.com")
	}
	cert := extensionCertificate(in.ServerCertificateID, in.CertificateIDs, in.ServerCertificates)
	if cert == "" {
		return nil, slbcert.MissingParameter("ServerCertificateId")
	}
	if err := s.certificateRef(ctx, p, action, lb, "ServerCertificateId", cert, KindServer); err != nil {
		return nil, err
	}
	if lb.Shared() {
		return nil, errSharedInstance("domain extensions")
	}
	found, err := s.LoadBalancers.FindListeners(ctx, ListenerFilter{AccountID: p.Account.ID, LoadBalancerIDs: []string{lb.ID}, Port: port})
	if err != nil {
		return nil, storeError(err, nil)
	}
	if len(found) == 0 {
		return nil, errListenerNotFound(lb.ID, port)
	}
	if found[0].Protocol != ProtocolHTTPS {
		return nil, slbcert.Errorf(EUnsupportedProtocolPort, "Domain extensions belong to HTTPS listeners; the listener on port %d is %s.", port, strings.ToUpper(found[0].Protocol))
	}
	e := &DomainExtension{ID: newDomainExtensionID(lb.RegionID), LoadBalancerID: lb.ID, ListenerPort: port,
		Domain: domain, ServerCertificateID: cert, CreateTime: s.now()}
	limit := p.Account.Quota(QuotaDomainExtensions, DefaultDomainExtensionQuota)
	err = s.LoadBalancers.CreateDomainExtension(ctx, p.Account.ID, e, limit)
	switch {
	case errors.Is(err, slbcert.ErrAlreadyExists):
		return nil, slbcert.Errorf(EDomainExtensionExists, "The listener on port %d already has a domain extension for %q.", port, domain)
	case errors.Is(err, slbcert.ErrQuotaExceeded):
		return nil, slbcert.Errorf(EDomainExtensionOverLimit, "The listener on port %d already has %d domain extensions, its limit.", port, limit)
	case errors.Is(err, slbcert.ErrInvalidReference):
		return nil, errReferenceGone()
	case errors.Is(err, slbcert.ErrNotFound):
		return nil, errListenerNotFound(lb.ID, port)
	case err != nil:
		return nil, storeError(err, nil)
	}
	s.served(ctx, nil)
	return e, nil
}

// DescribeDomainExtensionsInput is DescribeDomainExtensions' request.
type DescribeDomainExtensionsInput struct {
	// RegionID is required.
	RegionID       string
	LoadBalancerID string
	// ListenerPort (required) is the HTTPS listener's port, 1–65535.
	ListenerPort Param[int]
	// DomainExtensionID, when given, selects that extension.
	DomainExtensionID string
}

// DescribeDomainExtensions lists the extensions of a listener, oldest
// first; DomainExtensionId filters (RegionId required).
func (s *Service) DescribeDomainExtensions(ctx context.Context, p *slbcert.Principal, in DescribeDomainExtensionsInput) ([]DomainExtension, error) {
	lb, err := s.loadBalancer(ctx, p, "DescribeDomainExtensions", in.RegionID, in.LoadBalancerID, regionRequired)
	if err != nil {
		return nil, err
	}
	port, err := readPort("ListenerPort", in.ListenerPort)
	if err != nil {
		return nil, err
	}
	list, err := s.LoadBalancers.FindDomainExtensions(ctx, p.Account.ID, lb.ID, port)
	if err != nil {
		return nil, storeError(err, nil)
	}
	if id := in.DomainExtensionID; id != "" {
		out := []DomainExtension{}
		for _, e := range list {
			if e.ID == id {
				out = append(out, e)
			}
		}
		list = out
	}
	return list, nil
}

// DomainExtensionInput names one domain extension: the request of
// DescribeDomainExtensionAttribute and DeleteDomainExtension.
type DomainExtensionInput struct {
	// RegionID is required.
	RegionID          string
	DomainExtensionID string
}

// domainExtension runs the checks of the operations on one extension: the
// region (required), the id, RAM on its load balancer, and existence in
// that region.
func (s *Service) domainExtension(ctx context.Context, p *slbcert.Principal, action, regionID, id string) (*DomainExtension, *LoadBalancer, error) {
	return lbChild(ctx, s, p, action, regionID, "DomainExtensionId", id, LoadBalancerStore.GetDomainExtension,
		func(e *DomainExtension) string { return e.LoadBalancerID },
		func(id string) error { return errDomainExtensionNotFound(id) })
}

// lbChild runs the checks every operation on one object of a load
// balancer (a domain extension, a VServer group) starts with: the region
// (required), the id parameter param, the object's existence (an unknown
// one is authorized on loadbalancer/* and then notFound), RAM on its load
// balancer, and that load balancer in the region asked (else notFound).
func lbChild[T any](ctx context.Context, s *Service, p *slbcert.Principal, action, regionID, param, id string,
	get func(LoadBalancerStore, context.Context, string, string) (T, error),
	lbID func(T) string, notFound func(id string) error) (T, *LoadBalancer, error) {
	var zero T
	store, err := s.lbStore()
	if err != nil {
		return zero, nil, err
	}
	reg, err := s.region(p, regionID)
	if err != nil {
		return zero, nil, err
	}
	if id == "" {
		return zero, nil, slbcert.MissingParameter(param)
	}
	obj, err := get(store, ctx, p.Account.ID, id)
	if errors.Is(err, slbcert.ErrNotFound) {
		if err := s.authorize(p, action, lbARN(reg.ID, p.Account.ID, "*"), nil); err != nil {
			return zero, nil, err
		}
		return zero, nil, notFound(id)
	}
	if err != nil {
		return zero, nil, storeError(err, nil)
	}
	lb, err := s.loadBalancer(ctx, p, action, reg.ID, lbID(obj), regionRequired)
	var apiErr *slbcert.Error
	if errors.As(err, &apiErr) && apiErr.Code == ELoadBalancerNotFound {
		return zero, nil, notFound(id) // of another region
	}
	if err != nil {
		return zero, nil, err
	}
	return obj, lb, nil
}

// DescribeDomainExtensionAttribute returns one extension (RegionId required).
func (s *Service) DescribeDomainExtensionAttribute(ctx context.Context, p *slbcert.Principal, in DomainExtensionInput) (*DomainExtension, error) {
	e, _, err := s.domainExtension(ctx, p, "DescribeDomainExtensionAttribute", in.RegionID, in.DomainExtensionID)
	return e, err
}

// SetDomainExtensionAttributeInput is SetDomainExtensionAttribute's
// request.
type SetDomainExtensionAttributeInput struct {
	// RegionID is required.
	RegionID          string
	DomainExtensionID string
	// ServerCertificateID (required) is the extension's new certificate;
	// CertificateIDs (CertificateId.N) and ServerCertificates
	// (ServerCertificate.N) are the SDK-only forms, whose first id counts.
	ServerCertificateID string
	CertificateIDs      []string
	ServerCertificates  []ServerCertificateBinding
}

// SetDomainExtensionAttribute points an extension at another certificate,
// releasing the old one at once.
func (s *Service) SetDomainExtensionAttribute(ctx context.Context, p *slbcert.Principal, in SetDomainExtensionAttributeInput) error {
	const action = "SetDomainExtensionAttribute"
	e, lb, err := s.domainExtension(ctx, p, action, in.RegionID, in.DomainExtensionID)
	if err != nil {
		return err
	}
	cert := extensionCertificate(in.ServerCertificateID, in.CertificateIDs, in.ServerCertificates)
	if cert == "" {
		return slbcert.MissingParameter("ServerCertificateId")
	}
	if err := s.certificateRef(ctx, p, action, lb, "ServerCertificateId", cert, KindServer); err != nil {
		return err
	}
	err = s.LoadBalancers.SetDomainExtensionCertificate(ctx, p.Account.ID, e.ID, cert)
	if errors.Is(err, slbcert.ErrInvalidReference) {
		return errReferenceGone()
	}
	return s.served(ctx, storeError(err, errDomainExtensionNotFound(e.ID)))
}

// DeleteDomainExtension deletes an extension; it is gone for every reader
// when the call answers (Terraform polls without sleeping).
func (s *Service) DeleteDomainExtension(ctx context.Context, p *slbcert.Principal, in DomainExtensionInput) error {
	e, _, err := s.domainExtension(ctx, p, "DeleteDomainExtension", in.RegionID, in.DomainExtensionID)
	if err != nil {
		return err
	}
	return s.served(ctx, storeError(s.LoadBalancers.DeleteDomainExtension(ctx, p.Account.ID, e.ID), errDomainExtensionNotFound(e.ID)))
}

// CertificateAlgorithms returns the EncryptionAlgorithm (RSA, ECC) of the
// account's certificates ids in a region, for the answers that list them.
func (s *Service) CertificateAlgorithms(ctx context.Context, p *slbcert.Principal, regionID string, ids []string) map[string]string {
	out := map[string]string{}
	if len(ids) == 0 {
		return out
	}
	found, err := s.Store.FindCertificates(ctx, CertificateFilter{AccountID: p.Account.ID, RegionID: regionID, IDs: ids})
	if err != nil {
		return out // the algorithm is informative; the answer stands without it
	}
	for _, c := range found {
		out[c.ID] = c.EncryptionAlgorithm
	}
	return out
}
