// Package cas is the certificate catalog — its nouns, codes, store
// interface and rules: the part of Alibaba Cloud's Certificate Management
// Service (CAS) that keeps an account's uploaded certificates for SLB to
// use (its 2020-04-07 API:
// https://www.alibabacloud.com/help/en/ssl-certificate/developer-reference/api-cas-2020-04-07-uploadusercertificate
// and the pages beside it). It validates in the order docs/choices.md
// gives ("Certificate catalog (CAS)"), derives what the catalog reports,
// seals private keys, authorizes yundun-cert:* actions and asks the store
// to keep the result. Its wire is package casapi.
package cas

import (
	"context"
	"errors"
	"fmt"
	"time"

	"slbcert"
	"slbcert/keyring"
)

// Service implements the catalog's operations for authenticated principals.
type Service struct {
	Store   Store
	Keyring *keyring.Keyring
	// Now is the clock of the rules (expiry, RemainDay, acs:CurrentTime).
	Now func() time.Time
}

// New returns a catalog over store and keyring, on the wall clock.
func New(store Store, ring *keyring.Keyring) *Service {
	return &Service{Store: store, Keyring: ring, Now: time.Now}
}

// ramService prefixes the catalog's RAM actions: Alibaba names them after
// the RAM service code yundun-cert, not the API's product code cas.
const ramService = "yundun-cert:"

// authorize asks whether p may perform action. Every catalog action is
// account-level: there is no resource ARN, so policies must grant
// Resource "*" (every operation's RAM table on Alibaba's pages says "All
// Resources"; docs/choices.md, "Certificate catalog (CAS)": RAM).
func (s *Service) authorize(p *slbcert.Principal, action string) error {
	return p.Authorize(slbcert.AccessRequest{
		Action:   ramService + action,
		Resource: "*",
		Context:  p.ConditionContext(s.Now()),
	})
}

// certID checks a CertId-like parameter (an API Long): MissingParameter
// when absent or empty, InvalidParameter when not a decimal integer.
func certID(param string, id Param[int64]) (int64, error) {
	if !id.Set {
		return 0, slbcert.MissingParameter(param)
	}
	if id.Err != nil {
		return 0, slbcert.Errorf(slbcert.EInvalidParameter, "The specified parameter %s is invalid: %q is not an integer.", param, id.Raw)
	}
	return id.Value, nil
}

// errNotFound is the answer to an unknown, deleted or foreign CertId.
func errNotFound() error {
	return slbcert.Errorf(ENotFound, MsgUserCertificateNotFound)
}

// storeError turns a store failure into the API's answer.
func storeError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, slbcert.ErrNotFound):
		return errNotFound()
	case errors.Is(err, ErrNameTaken):
		return errNameTaken()
	default:
		return fmt.Errorf("catalog store: %w", err)
	}
}

// now is the clock in UTC at millisecond precision, as stored.
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Millisecond) }

// get returns p's entry id, authorized for action.
func (s *Service) get(ctx context.Context, p *slbcert.Principal, action, param string, idParam Param[int64]) (*UserCertificate, error) {
	if err := s.authorize(p, action); err != nil {
		return nil, err
	}
	id, err := certID(param, idParam)
	if err != nil {
		return nil, err
	}
	c, err := s.Store.GetUserCertificate(ctx, p.Account.ID, id)
	return c, storeError(err)
}
