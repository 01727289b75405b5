package slb

import (
	"context"

	"slbcert"
	"slbcert/region"
)

// DescribeRegions lists the regions of the region table, in table order.
func (s *Service) DescribeRegions(ctx context.Context, p *slbcert.Principal) ([]*region.Region, error) {
	if err := s.authorize(p, "DescribeRegions", "acs:slb:*:"+p.Account.ID+":*", nil); err != nil {
		return nil, err
	}
	return s.Regions.All(), nil
}
