package slb

import (
	"context"
	"errors"
	"strings"

	"slbcert"
)

// kindNames gives the parameter names and not-found code of each kind.
var kindNames = map[CertificateKind]struct{ id, name, notFound, describe, rename, delete string }{
	KindServer: {"ServerCertificateId", "ServerCertificateName", EServerCertNotFound,
		"DescribeServerCertificates", "SetServerCertificateName", "DeleteServerCertificate"},
	KindCA: {"CACertificateId", "CACertificateName", ECACertNotFound,
		"DescribeCACertificates", "SetCACertificateName", "DeleteCACertificate"},
}

func errNotFound(kind CertificateKind, id string) *slbcert.Error {
	k := kindNames[kind]
	return slbcert.Errorf(k.notFound, "The specified %s %q does not exist.", k.id, id)
}

// SetServerCertificateNameInput is SetServerCertificateName's request.
type SetServerCertificateNameInput struct {
	// RegionID and ServerCertificateID are required.
	RegionID            string
	ServerCertificateID string
	// ServerCertificateName (required) follows the upload's rules.
	ServerCertificateName string
}

// SetServerCertificateName renames a server certificate.
func (s *Service) SetServerCertificateName(ctx context.Context, p *slbcert.Principal, in SetServerCertificateNameInput) error {
	return s.setCertificateName(ctx, p, KindServer, in.RegionID, in.ServerCertificateID, in.ServerCertificateName)
}

// SetCACertificateNameInput is SetCACertificateName's request.
type SetCACertificateNameInput struct {
	// RegionID and CACertificateID are required.
	RegionID        string
	CACertificateID string
	// CACertificateName (required) follows the upload's rules.
	CACertificateName string
}

// SetCACertificateName renames a CA certificate.
func (s *Service) SetCACertificateName(ctx context.Context, p *slbcert.Principal, in SetCACertificateNameInput) error {
	return s.setCertificateName(ctx, p, KindCA, in.RegionID, in.CACertificateID, in.CACertificateName)
}

// setCertificateName renames a certificate of kind. The name is required
// and follows the upload rules.
func (s *Service) setCertificateName(ctx context.Context, p *slbcert.Principal, kind CertificateKind, regionID, id, name string) error {
	reg, err := s.region(p, regionID)
	if err != nil {
		return err
	}
	k := kindNames[kind]
	if id == "" {
		return slbcert.MissingParameter(k.id)
	}
	if err := s.authorizeEach(ctx, p, k.rename, reg.ID, []string{id}); err != nil {
		return err
	}
	if name == "" {
		return slbcert.MissingParameter(k.name)
	}
	if !validName(name) {
		return errInvalidName(kind)
	}
	return storeError(s.Store.RenameCertificate(ctx, p.Account.ID, reg.ID, kind, id, name), errNotFound(kind, id))
}

// DeleteServerCertificateInput is DeleteServerCertificate's request.
type DeleteServerCertificateInput struct {
	// RegionID and ServerCertificateID are required.
	RegionID            string
	ServerCertificateID string
}

// DeleteServerCertificate deletes a server certificate with its tags.
func (s *Service) DeleteServerCertificate(ctx context.Context, p *slbcert.Principal, in DeleteServerCertificateInput) error {
	return s.deleteCertificate(ctx, p, KindServer, in.RegionID, in.ServerCertificateID)
}

// DeleteCACertificateInput is DeleteCACertificate's request.
type DeleteCACertificateInput struct {
	// RegionID and CACertificateID are required.
	RegionID        string
	CACertificateID string
}

// DeleteCACertificate deletes a CA certificate with its tags.
func (s *Service) DeleteCACertificate(ctx context.Context, p *slbcert.Principal, in DeleteCACertificateInput) error {
	return s.deleteCertificate(ctx, p, KindCA, in.RegionID, in.CACertificateID)
}

// deleteCertificate deletes a certificate of kind with its tags; one a
// listener or domain extension references stays.
func (s *Service) deleteCertificate(ctx context.Context, p *slbcert.Principal, kind CertificateKind, regionID, id string) error {
	reg, err := s.region(p, regionID)
	if err != nil {
		return err
	}
	if id == "" {
		return slbcert.MissingParameter(kindNames[kind].id)
	}
	if err := s.authorizeEach(ctx, p, kindNames[kind].delete, reg.ID, []string{id}); err != nil {
		return err
	}
	err = s.Store.DeleteCertificate(ctx, p.Account.ID, reg.ID, kind, id)
	if errors.Is(err, slbcert.ErrInUse) {
		return errCertificateInUse(id)
	}
	return storeError(err, errNotFound(kind, id))
}

// errCertificateInUse is the answer to deleting a certificate a listener or
// domain extension references (server and CA certificates alike).
func errCertificateInUse(id string) error {
	return slbcert.Errorf(ECertificateInUse, "The specified certificate is bound to listeners. You cannot delete it: %s is referenced by a listener or a domain extension.", id)
}

// ResourceTypeCertificate is the ResourceType of server and CA certificates
// in the tag and resource-group operations.
const ResourceTypeCertificate = "certificate"

// ResourceTypeInstance is the ResourceType of load balancers in the tag
// operations; MoveResourceGroup also knows them as "loadbalancer".
const ResourceTypeInstance = "instance"

// ResourceTypeVServerGroup is the ResourceType of VServer groups in the tag
// operations.
const ResourceTypeVServerGroup = "vservergroup"

// checkResourceType returns the resource type named (matched
// case-insensitively, as Alibaba Cloud's gateway does): certificate, or
// instance for load balancers.
func checkResourceType(t string) (string, error) {
	switch {
	case t == "":
		return "", slbcert.MissingParameter("ResourceType")
	case strings.EqualFold(t, ResourceTypeCertificate):
		return ResourceTypeCertificate, nil
	case strings.EqualFold(t, ResourceTypeInstance), strings.EqualFold(t, "loadbalancer"):
		return ResourceTypeInstance, nil
	case strings.EqualFold(t, ResourceTypeVServerGroup):
		return ResourceTypeVServerGroup, nil
	case strings.EqualFold(t, ResourceTypeACL):
		return ResourceTypeACL, nil
	}
	return "", slbcert.Errorf(slbcert.EInvalidParameter, "The specified ResourceType %q is not supported; this server holds resources of type \"certificate\", \"instance\" (load balancers), \"vservergroup\" and \"acl\".", t)
}

func errResourceNotFound(id string) *slbcert.Error {
	return slbcert.Errorf(slbcert.EResourceNotFound, "The specified resource %q does not exist.", id)
}

// MoveResourceGroupInput is MoveResourceGroup's request; every field is
// required.
type MoveResourceGroupInput struct {
	RegionID string
	// ResourceType is certificate (server or CA), instance or
	// loadbalancer (a load balancer), any case.
	ResourceType       string
	ResourceID         string
	NewResourceGroupID string
}

// MoveResourceGroup moves a certificate (server or CA) or a load balancer
// to another resource group.
func (s *Service) MoveResourceGroup(ctx context.Context, p *slbcert.Principal, in MoveResourceGroupInput) error {
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return err
	}
	kind, err := checkResourceType(in.ResourceType)
	if err != nil {
		return err
	}
	id, group := in.ResourceID, in.NewResourceGroupID
	if id == "" {
		return slbcert.MissingParameter("ResourceId")
	}
	if err := s.authorizeResources(ctx, p, kind, "MoveResourceGroup", reg.ID, []string{id}); err != nil {
		return err
	}
	if group == "" {
		return slbcert.MissingParameter("NewResourceGroupId")
	}
	if err := slbcert.CheckResourceGroupID("NewResourceGroupId", group); err != nil {
		return err
	}
	switch kind {
	case ResourceTypeInstance:
		return s.moveLoadBalancer(ctx, p, reg.ID, id, group)
	case ResourceTypeVServerGroup:
		return slbcert.Errorf(slbcert.EInvalidParameter, "VServer groups belong to their load balancer's resource group; move the load balancer.")
	case ResourceTypeACL:
		return s.moveACL(ctx, p, reg.ID, id, group)
	}
	return storeError(s.Store.MoveCertificate(ctx, p.Account.ID, reg.ID, id, group), errResourceNotFound(id))
}
