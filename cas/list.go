package cas

import (
	"context"
	"math"
	"strings"

	"slbcert"
)

// Defaults of ListUserCertificateOrder's paging.
const (
	DefaultShowSize    = 50
	DefaultCurrentPage = 1
)

// ListInput carries ListUserCertificateOrder's parameters.
type ListInput struct {
	OrderType, Status, Keyword, ResourceGroupID string
	// CurrentPage (from 1, default 1) and ShowSize (from 1, default 50)
	// page the listing.
	CurrentPage, ShowSize Param[int64]
}

// Page is one page of a listing.
type Page struct {
	Entries               []Entry
	TotalCount            int64
	CurrentPage, ShowSize int64
}

// The order statuses of purchased certificates: a Status an upload never
// has, so a listing of uploads filtered by one is empty.
var orderStatuses = map[string]bool{
	"PAYED": true, "CHECKING": true, "CHECKED_FAIL": true, "NOTACTIVATED": true, "REVOKED": true,
}

// List pages through p's catalog (ListUserCertificateOrder), newest first.
//
// OrderType UPLOAD or CERT lists the catalog (every entry is an upload);
// CPACK (the default) and BUY list purchase orders, of which there are
// none. Status "" lists valid certificates only (ISSUED and WILLEXPIRED:
// expired ones are hidden unless asked for), ISSUED those valid for more
// than 30 days, WILLEXPIRED those expiring within 30 days, EXPIRED those
// past their NotAfter; the purchase statuses match nothing. Keyword is a
// case-insensitive substring of the CommonName, a SAN or the InstanceId,
// never the Name.
//
// Errors: 403 NoPermission; an OrderType or Status not in Alibaba's lists,
// CurrentPage or ShowSize not a positive integer: InvalidParameter;
// ResourceGroupId malformed: InvalidParameter.ResourceGroupId.
func (s *Service) List(ctx context.Context, p *slbcert.Principal, in ListInput) (*Page, error) {
	if err := s.authorize(p, "ListUserCertificateOrder"); err != nil {
		return nil, err
	}
	page, err := positiveLong("CurrentPage", in.CurrentPage, DefaultCurrentPage)
	if err != nil {
		return nil, err
	}
	size, err := positiveLong("ShowSize", in.ShowSize, DefaultShowSize)
	if err != nil {
		return nil, err
	}
	out := &Page{Entries: []Entry{}, CurrentPage: page, ShowSize: size}
	orderType := strings.ToUpper(in.OrderType)
	switch orderType {
	case "", "CPACK", "BUY", "UPLOAD", "CERT":
	default:
		return nil, slbcert.Errorf(slbcert.EInvalidParameter, "The specified OrderType %q is invalid: use CPACK, BUY, UPLOAD or CERT.", in.OrderType)
	}
	if err := slbcert.CheckResourceGroupID("ResourceGroupId", in.ResourceGroupID); err != nil {
		return nil, err
	}
	f := UserCertificateFilter{AccountID: p.Account.ID, Keyword: in.Keyword, ResourceGroupID: in.ResourceGroupID}
	now := s.Now()
	status := strings.ToUpper(in.Status)
	switch {
	case status == "":
		f.NotAfterFrom = now
	case status == "ISSUED":
		f.NotAfterFrom = now.Add(willExpireWithin)
	case status == "WILLEXPIRED":
		f.NotAfterFrom, f.NotAfterBefore = now, now.Add(willExpireWithin)
	case status == "EXPIRED":
		f.NotAfterBefore = now
	case orderStatuses[status]:
		return out, nil
	default:
		return nil, slbcert.Errorf(slbcert.EInvalidParameter, "The specified Status %q is invalid: use ISSUED, WILLEXPIRED or EXPIRED for uploaded certificates.", in.Status)
	}
	if orderType != "UPLOAD" && orderType != "CERT" {
		return out, nil // no purchase orders here
	}
	f.Limit = int(min(size, math.MaxInt32))
	if page-1 > math.MaxInt32/size {
		f.Offset = math.MaxInt32 // past any catalog
	} else {
		f.Offset = int((page - 1) * size)
	}
	list, total, err := s.Store.FindUserCertificates(ctx, f)
	if err != nil {
		return nil, storeError(err)
	}
	out.TotalCount = int64(total)
	for _, c := range list {
		out.Entries = append(out.Entries, s.view(c))
	}
	return out, nil
}

// positiveLong checks an optional Long parameter that must be at least 1;
// def when not given.
func positiveLong(param string, p Param[int64], def int64) (int64, error) {
	if !p.Set {
		return def, nil
	}
	if p.Err != nil || p.Value < 1 {
		return 0, slbcert.Errorf(slbcert.EInvalidParameter, "The specified parameter %s is invalid: %q is not a positive integer.", param, p.Raw)
	}
	return p.Value, nil
}
