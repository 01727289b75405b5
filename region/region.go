// Package region holds the table of regions the server knows, shared by
// every product: each region's names, its zones, and what SLB supports
// there (server certificates, ECC certificates, RSA key sizes, whether
// expired certificates are refused). A built-in table lists the public
// Alibaba Cloud regions with their zones; an operator can replace it from
// a JSON file.
package region

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
)

// DefaultRSABits are the RSA modulus sizes CLB accepts unless a region says otherwise.
var DefaultRSABits = []int{1024, 2048, 4096}

// Region is one region and its capabilities.
type Region struct {
	ID string `json:"id"`
	// LocalName maps a language (zh-CN, en-US, ja) to the region's display name.
	LocalName map[string]string `json:"localName"`
	// Endpoint is the SLB API host Alibaba Cloud serves the region from.
	Endpoint string `json:"endpoint"`
	// ServerCertificates is false for a region that cannot hold server certificates.
	ServerCertificates bool `json:"serverCertificates"`
	// ECC allows ECDSA server certificates.
	ECC bool `json:"ecc"`
	// RSABits lists the allowed RSA modulus sizes.
	RSABits []int `json:"rsaBits"`
	// RejectExpired refuses expired server and CA certificates. Alibaba Cloud
	// accepts them, so it is false in every built-in region; an operator
	// may opt in.
	RejectExpired bool `json:"rejectExpired"`
	// Zones are the region's availability zones, in display order
	// ("cn-hangzhou-h"); a file that gives none gets zones a and b.
	Zones []Zone `json:"zones"`
}

// Zone is one availability zone of a region.
type Zone struct {
	ID string `json:"id"`
	// LocalName maps a language (zh-CN, en-US, ja) to the zone's display name.
	LocalName map[string]string `json:"localName"`
}

// Name returns the zone's display name in language lang, falling back to
// Chinese and then to the id.
func (z *Zone) Name(lang string) string {
	for _, l := range []string{lang, "zh-CN", "en-US"} {
		if n := z.LocalName[l]; n != "" {
			return n
		}
	}
	return z.ID
}

// Zone returns the region's zone with id, or nil.
func (r *Region) Zone(id string) *Zone {
	for i := range r.Zones {
		if r.Zones[i].ID == id {
			return &r.Zones[i]
		}
	}
	return nil
}

// Name returns the region's display name in language lang, falling back to
// Chinese (the API's default language) and then to the id.
func (r *Region) Name(lang string) string {
	for _, l := range []string{lang, "zh-CN", "en-US"} {
		if n := r.LocalName[l]; n != "" {
			return n
		}
	}
	return r.ID
}

// Table is an immutable set of regions, in display order.
type Table struct {
	list []*Region
	byID map[string]*Region
}

// New builds a table from regions, checking ids are present and unique.
// Absent endpoints and RSA sizes get their defaults.
func New(regions []Region) (*Table, error) {
	t := &Table{byID: make(map[string]*Region, len(regions))}
	for i := range regions {
		r := regions[i]
		if r.ID == "" {
			return nil, fmt.Errorf("region %d: missing id", i+1)
		}
		if _, dup := t.byID[r.ID]; dup {
			return nil, fmt.Errorf("region %s: listed twice", r.ID)
		}
		if r.Endpoint == "" {
			r.Endpoint = "slb." + r.ID + ".aliyuncs.com"
		}
		if len(r.RSABits) == 0 {
			r.RSABits = slices.Clone(DefaultRSABits)
		}
		sort.Ints(r.RSABits)
		if len(r.Zones) == 0 {
			r.Zones = zonesOf(r.ID, r.LocalName["zh-CN"], r.LocalName["en-US"], "ab")
		}
		for _, z := range r.Zones {
			if !strings.HasPrefix(z.ID, r.ID+"-") {
				return nil, fmt.Errorf("region %s: zone %q is not named %s-…", r.ID, z.ID, r.ID)
			}
		}
		t.list = append(t.list, &r)
		t.byID[r.ID] = &r
	}
	if len(t.list) == 0 {
		return nil, fmt.Errorf("the region table is empty")
	}
	return t, nil
}

// Lookup returns the region with id, or nil.
func (t *Table) Lookup(id string) *Region { return t.byID[id] }

// All returns the regions in display order. The slice must not be modified.
func (t *Table) All() []*Region { return t.list }

// Load reads a table from a JSON file: an array of Region objects. Fields
// left out take the defaults of New; "serverCertificates" must be given as
// true for a region to hold server certificates.
func Load(path string) (*Table, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var regions []Region
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&regions); err != nil {
		return nil, fmt.Errorf("region file %s: %w", path, err)
	}
	t, err := New(regions)
	if err != nil {
		return nil, fmt.Errorf("region file %s: %w", path, err)
	}
	return t, nil
}
