package slb

import (
	"context"
	"strings"

	"slbcert"
)

// RAM actions are "slb:" and the API name.
const actionPrefix = "slb:"

// arn names a certificate (id "*" for the collection) as RAM policies see it.
func arn(regionID, accountID, id string) string {
	return "acs:slb:" + regionID + ":" + accountID + ":certificate/" + id
}

// requestContext returns the condition keys of a request: the common ones
// (acs:CurrentTime, acs:SecureTransport, acs:SourceIp) and slb:tag/<key>.
func (s *Service) requestContext(p *slbcert.Principal, tags []slbcert.Tag) map[string][]string {
	ctx := p.ConditionContext(s.Now())
	for _, t := range tags {
		k := "slb:tag/" + strings.ToLower(t.Key)
		ctx[k] = append(ctx[k], t.Value)
	}
	return ctx
}

// authorize asks p's policies whether it may perform action on resource;
// tags are the slb:tag/<key> condition values (the resource's, or for a
// collection the tags the request names). An account's root key may do
// everything in its own account.
func (s *Service) authorize(p *slbcert.Principal, action, resource string, tags []slbcert.Tag) error {
	if p.Permissions == nil {
		return nil
	}
	return p.Authorize(slbcert.AccessRequest{
		Action:   actionPrefix + action,
		Resource: resource,
		Context:  s.requestContext(p, tags),
	})
}

// authorizeCollection authorizes an operation on the region's certificates
// as a whole (certificate/*): uploads, listings.
func (s *Service) authorizeCollection(p *slbcert.Principal, action, regionID string, tags []slbcert.Tag) error {
	return s.authorize(p, action, arn(regionID, p.Account.ID, "*"), tags)
}

// authorizeEach authorizes an operation on each certificate of ids, with
// its own tags as slb:tag conditions. Ids that do not exist are authorized
// without tags, so that the operation can answer NotFound to those allowed.
func (s *Service) authorizeEach(ctx context.Context, p *slbcert.Principal, action, regionID string, ids []string) error {
	if p.Permissions == nil {
		return nil
	}
	found, err := s.Store.FindCertificates(ctx, CertificateFilter{AccountID: p.Account.ID, RegionID: regionID, IDs: ids})
	if err != nil {
		return storeError(err, nil)
	}
	tags := make(map[string][]slbcert.Tag, len(found))
	for _, c := range found {
		tags[c.ID] = c.Tags
	}
	for _, id := range ids {
		if err := s.authorize(p, action, arn(regionID, p.Account.ID, id), tags[id]); err != nil {
			return err
		}
	}
	return nil
}
