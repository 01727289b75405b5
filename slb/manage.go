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

// SetCertificateName renames a certificate of kind: SetServerCertificateName
// and SetCACertificateName. The name is required and follows the upload rules.
func (s *Service) SetCertificateName(ctx context.Context, p *slbcert.Principal, kind CertificateKind, regionID, id, name string) error {
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

// DeleteCertificate deletes a certificate of kind with its tags:
// DeleteServerCertificate and DeleteCACertificate.
func (s *Service) DeleteCertificate(ctx context.Context, p *slbcert.Principal, kind CertificateKind, regionID, id string) error {
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
	}
	return "", slbcert.Errorf(slbcert.EInvalidParameter, "The specified ResourceType %q is not supported; this server holds resources of type \"certificate\", \"instance\" (load balancers) and \"vservergroup\".", t)
}

func errResourceNotFound(id string) *slbcert.Error {
	return slbcert.Errorf(slbcert.EResourceNotFound, "The specified resource %q does not exist.", id)
}

// MoveResourceGroup moves a certificate (server or CA) to another resource group.
func (s *Service) MoveResourceGroup(ctx context.Context, p *slbcert.Principal, regionID, resourceType, id, group string) error {
	reg, err := s.region(p, regionID)
	if err != nil {
		return err
	}
	kind, err := checkResourceType(resourceType)
	if err != nil {
		return err
	}
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
	}
	return storeError(s.Store.MoveCertificate(ctx, p.Account.ID, reg.ID, id, group), errResourceNotFound(id))
}
