// Package location is the part of Alibaba Cloud's Location service
// (Location 2015-06-12) that clients ask before they call a product whose
// endpoint they do not know: DescribeEndpoints. Terraform's provider asks
// it for SLB (which has no endpoint rule of its own) when its provider
// block names no endpoint, and the aliyun CLI before each call. Every
// product's endpoint is a name under aliyuncs.com, which slbcert's DNS
// answers with the API's address (docs/choices.md, "DNS and the local
// CA"), so the answer is the product's regional name, and the call it
// leads to reaches this server.
package location

import (
	"regexp"

	"slbcert"
	"slbcert/region"
)

// Version is the Location API's version.
const Version = "2015-06-12"

// EndpointTypeOpenAPI is the type of every endpoint answered: the API's
// ("openAPI"; clients look for it among the types).
const EndpointTypeOpenAPI = "openAPI"

// Endpoint is where a product is served in a region.
type Endpoint struct {
	// Host is the product's name for the region: "{code}.{region}.aliyuncs.com".
	Host string
	// RegionID and ServiceCode are what was asked.
	RegionID, ServiceCode string
	// Type is EndpointTypeOpenAPI.
	Type string
}

// Service answers DescribeEndpoints from the region table.
type Service struct {
	Regions *region.Table
}

// DescribeEndpointsInput is DescribeEndpoints' request.
type DescribeEndpointsInput struct {
	// ID (the API's Id, required) is the region.
	ID string
	// ServiceCode (required) is the product's code, as Terraform sends it
	// (slb, vpc, ecs …): a DNS label.
	ServiceCode string
	// Type, when given, must be openAPI: no other kind of endpoint is served.
	Type string
}

var serviceCode = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// DescribeEndpoints returns the product's endpoint in the region: none for
// a region the table does not hold or a Type other than openAPI (an empty
// answer, as Location gives for what it does not know), 400
// MissingParameter without Id or ServiceCode, 400 InvalidParameter for a
// ServiceCode that is no DNS label. Any authenticated caller may ask: the
// answer is the same for everyone and names no resource.
func (s *Service) DescribeEndpoints(in DescribeEndpointsInput) ([]Endpoint, error) {
	if in.ID == "" {
		return nil, slbcert.MissingParameter("Id")
	}
	if in.ServiceCode == "" {
		return nil, slbcert.MissingParameter("ServiceCode")
	}
	if !serviceCode.MatchString(in.ServiceCode) {
		return nil, slbcert.Errorf(slbcert.EInvalidParameter, "The specified ServiceCode %q is invalid: a product code such as slb.", in.ServiceCode)
	}
	if s.Regions.Lookup(in.ID) == nil || (in.Type != "" && in.Type != EndpointTypeOpenAPI) {
		return []Endpoint{}, nil
	}
	return []Endpoint{{Host: in.ServiceCode + "." + in.ID + ".aliyuncs.com", RegionID: in.ID, ServiceCode: in.ServiceCode, Type: EndpointTypeOpenAPI}}, nil
}
