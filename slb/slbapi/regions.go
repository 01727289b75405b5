package slbapi

import (
	"context"

	"slbcert/rpc"
)

type regionItem struct {
	RegionID       string `json:"RegionId" xml:"RegionId"`
	LocalName      string `json:"LocalName" xml:"LocalName"`
	RegionEndpoint string `json:"RegionEndpoint" xml:"RegionEndpoint"`
}

type regionList struct {
	Region []regionItem `json:"Region" xml:"Region"`
}

type describeRegionsResponse struct {
	base
	Regions regionList `json:"Regions" xml:"Regions"`
}

// describeRegions lists the region table, names in AcceptLanguage (zh-CN by default).
func (a *API) describeRegions(ctx context.Context, c *rpc.Call) (any, error) {
	regions, err := a.Service.DescribeRegions(ctx, c.Principal)
	if err != nil {
		return nil, err
	}
	lang := c.Get("AcceptLanguage")
	out := &describeRegionsResponse{Regions: regionList{Region: make([]regionItem, 0, len(regions))}}
	for _, r := range regions {
		out.Regions.Region = append(out.Regions.Region, regionItem{RegionID: r.ID, LocalName: r.Name(lang), RegionEndpoint: r.Endpoint})
	}
	return out, nil
}
