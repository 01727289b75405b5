package cas

import (
	"context"

	"slbcert"
)

// Entry is a catalog entry as an operation reports it: the stored record,
// and what depends on the time of the call.
type Entry struct {
	*UserCertificate
	Expired bool
	// RemainDays has, for each Chain entry, the whole days left until its
	// NotAfter (0 once passed).
	RemainDays []int
}

// view reports c at the service's now.
func (s *Service) view(c *UserCertificate) Entry {
	now := s.Now()
	e := Entry{UserCertificate: c, Expired: Expired(c.NotAfter, now), RemainDays: make([]int, len(c.Chain))}
	for i, ch := range c.Chain {
		e.RemainDays[i] = RemainDay(ch.NotAfter, now)
	}
	return e
}

// Detail is GetUserCertificateDetail's answer: the entry and, unless
// filtered out, its PEM texts.
type Detail struct {
	Entry
	// Keys are nil when CertFilter left the PEM fields out.
	Keys *Keys
}

// GetInput is the request of GetUserCertificateDetail and
// DescribeUserCertificateDetail.
type GetInput struct {
	// CertID (CertId, required) is the entry's id.
	CertID Param[int64]
	// CertFilter true (GetUserCertificateDetail only) leaves the PEM texts
	// out; false by default.
	CertFilter Param[bool]
}

// Get returns p's entry in.CertID (GetUserCertificateDetail with action
// "GetUserCertificateDetail", DescribeUserCertificateDetail with its own).
// CertFilter true leaves the keys sealed.
//
// Errors: CertFilter neither true nor false: InvalidParameter; 403
// NoPermission; CertId missing: MissingParameter; not an integer:
// InvalidParameter; unknown, deleted or another account's: 404 NotFound.
func (s *Service) Get(ctx context.Context, p *slbcert.Principal, action string, in GetInput) (*Detail, error) {
	if in.CertFilter.Err != nil {
		return nil, slbcert.Errorf(slbcert.EInvalidParameter, "The specified parameter %s is invalid: %q is neither true nor false.", "CertFilter", in.CertFilter.Raw)
	}
	c, err := s.get(ctx, p, action, "CertId", in.CertID)
	if err != nil {
		return nil, err
	}
	d := &Detail{Entry: s.view(c)}
	if !in.CertFilter.Value {
		k, err := s.open(c)
		if err != nil {
			return nil, err
		}
		d.Keys = &k
	}
	return d, nil
}

// DeleteInput is DeleteUserCertificate's request.
type DeleteInput struct {
	// CertID (CertId, required) is the entry's id.
	CertID Param[int64]
}

// Delete removes p's entry in.CertID (DeleteUserCertificate). SLB server
// certificates copied from it stay. Errors as for Get.
func (s *Service) Delete(ctx context.Context, p *slbcert.Principal, in DeleteInput) error {
	if err := s.authorize(p, "DeleteUserCertificate"); err != nil {
		return err
	}
	id, err := certID("CertId", in.CertID)
	if err != nil {
		return err
	}
	return storeError(s.Store.DeleteUserCertificate(ctx, p.Account.ID, id))
}

// UpdateInput carries CreateCertificateName's parameters (2018-08-13), as
// Terraform's update sends them: only what changed.
type UpdateInput struct {
	// CertificateID (CertificateId, required) is the entry's id.
	CertificateID Param[int64]
	// Name renames the entry; "" keeps its name.
	Name string
	// Tags, when TagsGiven, replace the entry's tags; the single pair with
	// an empty key and value clears them.
	Tags      []slbcert.Tag
	TagsGiven bool
	// ResourceGroupID moves the entry; "" keeps its group.
	ResourceGroupID string
}

// Update renames, retags and moves p's entry (CreateCertificateName). The
// checks, in order, the first failure answering and nothing changed on
// failure: RAM yundun-cert:CreateCertificateName; CertificateId missing or
// not an integer; nothing to change (MissingParameter Name); Name over 128
// characters (InvalidParameter); ResourceGroupId malformed; tag rules; the
// entry unknown (404 NotFound); the name another entry's
// (InvalidParameter.Name).
func (s *Service) Update(ctx context.Context, p *slbcert.Principal, in UpdateInput) error {
	if err := s.authorize(p, "CreateCertificateName"); err != nil {
		return err
	}
	id, err := certID("CertificateId", in.CertificateID)
	if err != nil {
		return err
	}
	var u UserCertificateUpdate
	if in.Name == "" && !in.TagsGiven && in.ResourceGroupID == "" {
		return slbcert.MissingParameter("Name")
	}
	if in.Name != "" {
		if n := len([]rune(in.Name)); n > MaxRenameLength {
			return slbcert.Errorf(slbcert.EInvalidParameter, "The specified parameter Name is too long: %d characters, at most %d.", n, MaxRenameLength)
		}
		u.Name = &in.Name
	}
	if in.ResourceGroupID != "" {
		group, err := p.Account.ResourceGroup(in.ResourceGroupID)
		if err != nil {
			return err
		}
		u.ResourceGroupID = &group
	}
	if in.TagsGiven {
		tags := in.Tags
		if len(tags) == 1 && tags[0] == (slbcert.Tag{}) {
			tags = nil // Terraform's way of removing every tag
		}
		if err := slbcert.CheckTagsToWrite(tags, "Tags"); err != nil {
			return err
		}
		tags = slbcert.DedupeTags(tags)
		u.Tags = &tags
	}
	// An unknown (or another account's) entry is the store's ErrNotFound,
	// answered before a name could clash.
	return storeError(s.Store.UpdateUserCertificate(ctx, p.Account.ID, id, u))
}
