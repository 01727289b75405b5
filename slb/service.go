// Package slb is the SLB product (Classic Load Balancer, Slb 2014-05-15):
// its nouns (Certificate, LoadBalancer, Listener, DomainExtension,
// VServerGroup, TLSCipherPolicy), its error codes and their HTTP statuses,
// the store interfaces it needs (CertificateStore, LoadBalancerStore), and
// its rules (Service): it validates requests in the order the API
// documents, parses and checks certificates, seals private keys, authorizes
// slb:* actions, and asks its store to keep the result. Nothing below it
// validates; nothing above it decides. Its wire is package slbapi; package
// slbdataplane turns what it stores into what the data plane serves.
package slb

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"slbcert"
	"slbcert/keyring"
	"slbcert/region"
)

// Service implements the certificate operations for authenticated principals.
type Service struct {
	Store   CertificateStore
	Regions *region.Table
	Keyring *keyring.Keyring
	// Catalog is where AliCloudCertificateId points; nil: every id is unknown.
	Catalog Catalog
	// Now is the clock; tests inject one.
	Now func() time.Time

	// LoadBalancers keeps load balancers and listeners (loadbalancer.go);
	// nil leaves those operations unavailable.
	LoadBalancers LoadBalancerStore
	// LoadBalancing configures them: the address pool, instance addresses,
	// health reports.
	LoadBalancing LoadBalancing
}

// New returns a service over store, regions and keyring, on the wall clock.
func New(store CertificateStore, regions *region.Table, ring *keyring.Keyring) *Service {
	return &Service{Store: store, Regions: regions, Keyring: ring, Now: time.Now}
}

// region runs the checks every region-scoped operation starts with:
// MissingParameter, InvalidRegionId.NotFound, UnauthorizedRegion.
func (s *Service) region(p *slbcert.Principal, id string) (*region.Region, error) {
	if id == "" {
		return nil, slbcert.MissingParameter("RegionId")
	}
	r := s.Regions.Lookup(id)
	if r == nil {
		return nil, slbcert.Errorf(slbcert.ERegionNotFound, "The specified RegionId %q does not exist.", id)
	}
	if !p.Account.RegionAuthorized(id) {
		return nil, slbcert.Errorf(slbcert.EUnauthorizedRegion, "The account is not authorized to use region %q.", id)
	}
	return r, nil
}

// namePattern: a letter (ASCII or CJK) first, then letters, digits, '.',
// '_', '-' — certificate and load balancer names, protection reasons.
var namePattern = regexp.MustCompile(`^[A-Za-z\p{Han}][A-Za-z0-9\p{Han}._\-]*$`)

// validName checks a certificate name: 1–80 characters of namePattern.
func validName(name string) bool {
	n := len([]rune(name))
	return n >= 1 && n <= 80 && namePattern.MatchString(name)
}

// newCertificateID returns {accountId}_{hex(ms)}_{int31}_{int32}, the shape
// Alibaba Cloud gives certificate ids; the last part may be negative.
func newCertificateID(accountID string, created time.Time) (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	a := int32(binary.BigEndian.Uint32(b[:4]) & 0x7fffffff)
	c := int32(binary.BigEndian.Uint32(b[4:]))
	return fmt.Sprintf("%s_%x_%d_%d", accountID, created.UnixMilli(), a, c), nil
}

// now returns the clock's time in UTC at millisecond precision, as stored.
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Millisecond) }

// splitIDs splits a comma-separated id list, dropping empty parts.
func splitIDs(s string) []string {
	var ids []string
	for _, id := range strings.Split(s, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// storeError turns a store failure into the API's answer: the store's
// sentinels become the operation's codes, anything else stays an internal error.
func storeError(err error, notFound *slbcert.Error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, slbcert.ErrNotFound) && notFound != nil:
		return notFound
	default:
		return fmt.Errorf("store: %w", err)
	}
}

// errInvalidName is the answer to a certificate name that breaks the rules.
func errInvalidName(kind CertificateKind) error {
	code, param := EInvalidServerCertName, "ServerCertificateName"
	if kind == KindCA {
		code, param = EInvalidCACertName, "CACertificateName"
	}
	return slbcert.Errorf(code, "The specified %s is invalid: 1 to 80 characters, starting with a letter, then letters, digits, '.', '_' or '-'.", param)
}

// keyringAAD binds a sealed key to its certificate record.
func keyringAAD(c *Certificate) []byte { return keyring.AAD(c.AccountID, c.ID) }
