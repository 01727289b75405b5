package vpc

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"slbcert"
)

// checkText applies the rule of names (max 128) and descriptions (max
// 256) on the VPC API pages: 1 to max characters, not starting with
// http:// or https://. "" is "not given" and passes.
func checkText(code, param, text string, max int) error {
	if text == "" {
		return nil
	}
	if n := len([]rune(text)); n > max || strings.HasPrefix(text, "http://") || strings.HasPrefix(text, "https://") {
		return slbcert.Errorf(code, "The specified %s is invalid: 1 to %d characters, not starting with http:// or https://.", param, max)
	}
	return nil
}

// Page bounds of the Describe operations (the API pages: PageSize at most
// 50, 10 by default).
const (
	defaultPageSize = 10
	maxPageSize     = 50
)

// Paging is a Describe call's PageNumber and PageSize; zero means "not
// given".
type Paging struct {
	PageNumber, PageSize int
}

// resolve checks p and fills in the defaults: PageNumber at least 1,
// PageSize 1 to max (InvalidParameter otherwise).
func (p Paging) resolve(def, max int) (Paging, error) {
	if p.PageNumber < 0 {
		return p, slbcert.Errorf(slbcert.EInvalidParameter, "The specified PageNumber %d is invalid: pages start at 1.", p.PageNumber)
	}
	if p.PageSize < 0 || p.PageSize > max {
		return p, slbcert.Errorf(slbcert.EInvalidParameter, "The specified PageSize %d is invalid: 1 to %d.", p.PageSize, max)
	}
	if p.PageNumber == 0 {
		p.PageNumber = 1
	}
	if p.PageSize == 0 {
		p.PageSize = def
	}
	return p, nil
}

// offset is the number of matches before the page.
func (p Paging) offset() int { return (p.PageNumber - 1) * p.PageSize }

// checkClientToken: at most 64 ASCII characters.
func checkClientToken(token string) error {
	for _, r := range token {
		if r > 127 {
			return slbcert.Errorf(slbcert.EInvalidParameter, "The specified ClientToken is invalid: ASCII characters only.")
		}
	}
	if len(token) > 64 {
		return slbcert.Errorf(slbcert.EInvalidParameter, "The specified ClientToken is invalid: at most 64 characters.")
	}
	return nil
}

// errDryRun is the answer to a DryRun=true request whose checks passed.
func errDryRun() error {
	return slbcert.Errorf(EDryRunOperation, "Request validation has been passed with DryRun flag set.")
}

// errIPv6 refuses what would need IPv6, which is not served.
func errIPv6(param string) error {
	return slbcert.Errorf(EUnsupportedIPv6, "The specified %s asks for IPv6, which this endpoint does not serve.", param)
}

// storeError turns a store failure into the API's answer: notFound for
// ErrNotFound when given, an API error as it is, anything else internal.
func storeError(err error, notFound error) error {
	var e *slbcert.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &e):
		return e
	case errors.Is(err, slbcert.ErrNotFound) && notFound != nil:
		return notFound
	default:
		return fmt.Errorf("vpc store: %w", err)
	}
}

func errVPCNotFound(id string) error {
	return slbcert.Errorf(EVpcNotFound, "%s (VpcId %q)", MsgVpcNotFound, id)
}

func errVSwitchNotFound(id string) error {
	return slbcert.Errorf(EVSwitchNotFound, "%s (VSwitchId %q)", MsgVSwitchNotFound, id)
}

// pageToken and parsePageToken make ListTagResources' opaque NextToken.
func pageToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("vpc-tags:" + strconv.Itoa(offset)))
}

func parsePageToken(token string) (int, error) {
	if token == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if digits, ok := strings.CutPrefix(string(raw), "vpc-tags:"); err == nil && ok {
		if n, err := strconv.Atoi(digits); err == nil && n >= 0 {
			return n, nil
		}
	}
	return 0, slbcert.Errorf(slbcert.EInvalidNextToken, "The specified NextToken is invalid.")
}

// lookup is what the single-object operations share: the region checks
// when regionID is given (else the object's own region must be
// authorized), RAM on the object's ARN, then notFound for an unknown
// object or one of another region. get reads the object and its region.
func lookup[T any](ctx context.Context, s *Service, p *slbcert.Principal, action, kind, regionID, id string,
	get func() (T, string, error), notFound error) (T, error) {
	var zero T
	if regionID != "" {
		if _, err := s.region(p, regionID); err != nil {
			return zero, err
		}
	}
	obj, objRegion, err := get()
	found := err == nil && (regionID == "" || objRegion == regionID)
	if err != nil && !errors.Is(err, slbcert.ErrNotFound) {
		return zero, storeError(err, nil)
	}
	arnRegion := regionID
	switch {
	case arnRegion != "":
	case found:
		arnRegion = objRegion
		if err := s.regionAuthorized(p, objRegion); err != nil {
			return zero, err
		}
	default:
		arnRegion = "*"
	}
	if err := s.authorize(p, action, ARN(arnRegion, p.Account.ID, kind, id)); err != nil {
		return zero, err
	}
	if !found {
		return zero, notFound
	}
	return obj, nil
}

// getVPC reads VPC id for action (see lookup).
func (s *Service) getVPC(ctx context.Context, p *slbcert.Principal, action, regionID, id string) (*VPC, error) {
	if id == "" {
		return nil, slbcert.MissingParameter("VpcId")
	}
	return lookup(ctx, s, p, action, kindVPC, regionID, id, func() (*VPC, string, error) {
		v, err := s.Store.GetVPC(ctx, p.Account.ID, id)
		if err != nil {
			return nil, "", err
		}
		return v, v.RegionID, nil
	}, errVPCNotFound(id))
}

// getVSwitch reads vSwitch id for action (see lookup).
func (s *Service) getVSwitch(ctx context.Context, p *slbcert.Principal, action, regionID, id string) (*VSwitch, error) {
	if id == "" {
		return nil, slbcert.MissingParameter("VSwitchId")
	}
	return lookup(ctx, s, p, action, kindVSwitch, regionID, id, func() (*VSwitch, string, error) {
		v, err := s.Store.GetVSwitch(ctx, p.Account.ID, id)
		if err != nil {
			return nil, "", err
		}
		return v, v.RegionID, nil
	}, errVSwitchNotFound(id))
}
