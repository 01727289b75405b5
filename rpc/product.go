package rpc

import (
	"context"
	"fmt"
	"net/url"
	"sort"

	"slbcert"
)

// Product is one Alibaba Cloud API product served on the endpoint: SLB, CAS,
// STS. The gateway parses, authenticates, throttles and renders for every
// product alike; a product only lists its actions. Requests are routed on
// (Version, Action): a Version no product serves is InvalidVersion, a served
// Version without that Action is InvalidAction.NotFound (docs/choices.md,
// "The wire").
type Product struct {
	// Code names the product in the Recommend link of error bodies ("Slb").
	Code string
	// HostID is the HostId of the product's answers ("slb.aliyuncs.com").
	HostID string
	// Statuses gives the HTTP status of the product's codes that are not
	// 400; the gateway's own codes are in its table (status.go).
	Statuses map[string]int
	// Versions maps each API version the product serves to its action table.
	Versions map[string]Actions
}

// Actions is one API version's action table: Action name → handler.
type Actions map[string]Handler

// Handler runs one Action for an authenticated call. It returns a struct
// that embeds Response (rendered as JSON, or as XML under
// <{Action}Response>), or an error, which the gateway renders as the error
// envelope with the status of its code.
type Handler func(ctx context.Context, c *Call) (any, error)

// Call is one authenticated API call.
type Call struct {
	// Principal signed the request (a copy: SourceIP and SecureTransport
	// describe this request).
	Principal *slbcert.Principal
	// Params are the query and form parameters, merged (body wins).
	Params url.Values
	// Action and Version are what the request named.
	Action, Version string
	// ContentType is the media type of the request body ("" without a
	// body), for products that refuse bodies they cannot read.
	ContentType string
}

// Get returns the first value of parameter name, or "".
func (c *Call) Get(name string) string { return c.Params.Get(name) }

// Tags reads prefix.N.Key / prefix.N.Value ("Tag" for SLB, "Tags" for CAS)
// in order of N; an absent key reads "".
func (c *Call) Tags(prefix string) []slbcert.Tag { return tags(c.Params, prefix) }

// List reads prefix.N (ResourceId.N, TagKey.N …) in order of N.
func (c *Call) List(prefix string) []string { return list(c.Params, prefix) }

// Indexed collects prefix.N.suffix parameters by N, then suffix
// (ServerCertificate.N.CertificateId …), ordered by N.
func (c *Call) Indexed(prefix string) []map[string]string {
	m := indexed(c.Params, prefix)
	out := make([]map[string]string, 0, len(m))
	for _, n := range sortedKeys(m) {
		out = append(out, m[n])
	}
	return out
}

// Response is what every answer starts with: the RequestId, filled in by the
// gateway. Products embed it in their response structs.
type Response struct {
	RequestID string `json:"RequestId" xml:"RequestId"`
}

// SetRequestID sets the RequestId; the gateway calls it on every answer.
func (r *Response) SetRequestID(id string) { r.RequestID = id }

func setRequestID(result any, id string) {
	if r, ok := result.(interface{ SetRequestID(string) }); ok {
		r.SetRequestID(id)
	}
}

// route is where a (Version, Action) pair leads.
type route struct {
	product *Product
	actions Actions
}

// router finds the product and handler of a request.
type router struct {
	versions map[string]*route
}

// newRouter indexes products by version; a version served by two products
// is a wiring mistake.
func newRouter(products []*Product) (*router, error) {
	r := &router{versions: map[string]*route{}}
	for _, p := range products {
		for v, actions := range p.Versions {
			if prev, dup := r.versions[v]; dup {
				return nil, fmt.Errorf("rpc: version %s served by both %s and %s", v, prev.product.Code, p.Code)
			}
			r.versions[v] = &route{product: p, actions: actions}
		}
	}
	return r, nil
}

// version returns the route of version, or nil.
func (r *router) version(v string) *route { return r.versions[v] }

// served lists the versions served, for the InvalidVersion message.
func (r *router) served() []string {
	out := make([]string, 0, len(r.versions))
	for v := range r.versions {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// ActionNames returns every "Version/Action" the products implement, sorted.
func ActionNames(products ...*Product) []string {
	var names []string
	for _, p := range products {
		for v, actions := range p.Versions {
			for a := range actions {
				names = append(names, v+"/"+a)
			}
		}
	}
	sort.Strings(names)
	return names
}
