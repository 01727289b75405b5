package ecs

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
)

// Catalogue is what ECS sells: the instance types, images and disk
// categories every zone of every region offers, unless a zone's entry
// narrows it (docs/choices.md, "The ECS catalogue"). It is read-only once
// built.
type Catalogue struct {
	InstanceTypes  []InstanceType
	Images         []Image
	DiskCategories []DiskCategory
	// Zones narrow what a zone offers, by zone id; a zone without an
	// entry offers the whole catalogue.
	Zones map[string]ZoneOffer
}

// InstanceType is one instance type, as DescribeInstanceTypes reports it.
type InstanceType struct {
	ID                 string  `json:"id"`
	Family             string  `json:"family"`
	Generation         string  `json:"generation"`
	CPU                int     `json:"cpu"`
	MemoryGiB          float64 `json:"memoryGiB"`
	ENIs               int     `json:"enis"`
	IPsPerENI          int     `json:"ipsPerEni"`
	IPv6PerENI         int     `json:"ipv6PerEni"`
	Level              string  `json:"level"`    // EntryLevel, EnterpriseLevel, CreditEntryLevel
	Category           string  `json:"category"` // General-purpose, Compute-optimized, …
	Architecture       string  `json:"architecture"`
	GPUAmount          int     `json:"gpuAmount"`
	GPUSpec            string  `json:"gpuSpec"`
	InitialCredit      int     `json:"initialCredit"`
	BaselineCredit     int     `json:"baselineCredit"`
	BandwidthRxKbps    int     `json:"bandwidthRxKbps"`
	BandwidthTxKbps    int     `json:"bandwidthTxKbps"`
	PPSRx              int64   `json:"ppsRx"`
	PPSTx              int64   `json:"ppsTx"`
	ProcessorModel     string  `json:"processorModel"`
	CPUSpeedGHz        float64 `json:"cpuSpeedGHz"`
	CPUTurboGHz        float64 `json:"cpuTurboGHz"`
	EssdEntryAvailable bool    `json:"essdEntry"` // the only types cloud_essd_entry disks fit
}

// Image is one public image, as DescribeImages reports it: a system image
// (ImageOwnerAlias "system") whose name is its id.
type Image struct {
	ID           string    `json:"id"`
	OSName       string    `json:"osName"`   // zh-CN, as the API answers by default
	OSNameEn     string    `json:"osNameEn"` // en-US
	Platform     string    `json:"platform"`
	Family       string    `json:"family"`
	OSType       string    `json:"osType"`       // linux, windows
	Architecture string    `json:"architecture"` // x86_64, arm64
	SizeGiB      int       `json:"sizeGiB"`
	CreationTime time.Time `json:"creationTime"`
	Description  string    `json:"description"`
}

// DiskCategory is one disk category and the sizes its disks may have.
type DiskCategory struct {
	ID string `json:"id"`
	// MinGiB and MaxGiB bound a system disk of the category; zero: the
	// category is for data disks only.
	MinGiB int `json:"minGiB"`
	MaxGiB int `json:"maxGiB"`
	// DataMinGiB and DataMaxGiB bound a data disk (DescribeAvailableResource
	// DataDisk; data disks are not served).
	DataMinGiB int `json:"dataMinGiB"`
	DataMaxGiB int `json:"dataMaxGiB"`
	// PerformanceLevels are the levels an ESSD takes (PL0 … PL3), the
	// default first; none for other categories.
	PerformanceLevels []string `json:"performanceLevels"`
}

// ZoneOffer narrows what one zone offers.
type ZoneOffer struct {
	// InstanceTypes, when given, are the only types the zone offers.
	InstanceTypes []string `json:"instanceTypes"`
	// SoldOut types are offered but out of stock: DescribeAvailableResource
	// says SoldOut and RunInstances answers OperationDenied.NoStock.
	SoldOut []string `json:"soldOut"`
	// Closed zones offer nothing: every resource is SoldOut.
	Closed bool `json:"closed"`
}

// InstanceType returns the type with id, or nil.
func (c *Catalogue) InstanceType(id string) *InstanceType {
	for i := range c.InstanceTypes {
		if c.InstanceTypes[i].ID == id {
			return &c.InstanceTypes[i]
		}
	}
	return nil
}

// Image returns the image with id, or nil.
func (c *Catalogue) Image(id string) *Image {
	for i := range c.Images {
		if c.Images[i].ID == id {
			return &c.Images[i]
		}
	}
	return nil
}

// SystemDisk reports whether a system disk may be of the category.
func (d *DiskCategory) SystemDisk() bool { return d.MaxGiB > 0 }

// DiskCategory returns the category with id, or nil.
func (c *Catalogue) DiskCategory(id string) *DiskCategory {
	for i := range c.DiskCategories {
		if c.DiskCategories[i].ID == id {
			return &c.DiskCategories[i]
		}
	}
	return nil
}

// Stock says whether zone offers type id: offered (listed at all) and,
// if so, in stock.
func (c *Catalogue) Stock(zoneID, typeID string) (offered, inStock bool) {
	if c.InstanceType(typeID) == nil {
		return false, false
	}
	z, ok := c.Zones[zoneID]
	if !ok {
		return true, true
	}
	if len(z.InstanceTypes) > 0 && !slices.Contains(z.InstanceTypes, typeID) {
		return false, false
	}
	return true, !z.Closed && !slices.Contains(z.SoldOut, typeID)
}

// ZoneTypes returns the types zone offers, in catalogue order, and whether
// each is in stock.
func (c *Catalogue) ZoneTypes(zoneID string) (types []*InstanceType, inStock []bool) {
	for i := range c.InstanceTypes {
		if offered, stock := c.Stock(zoneID, c.InstanceTypes[i].ID); offered {
			types = append(types, &c.InstanceTypes[i])
			inStock = append(inStock, stock)
		}
	}
	return types, inStock
}

// ZoneOpen reports whether zone sells anything at all.
func (c *Catalogue) ZoneOpen(zoneID string) bool {
	_, stock := c.ZoneTypes(zoneID)
	return slices.Contains(stock, true)
}

// ImageFits reports whether image can boot instance type: the same
// architecture (x86_64 images on X86 types, arm64 on ARM).
func ImageFits(img *Image, t *InstanceType) bool {
	arch := "x86_64"
	if strings.EqualFold(t.Architecture, "ARM") {
		arch = "arm64"
	}
	return strings.EqualFold(img.Architecture, arch)
}

// catalogueFile is the --ecs-catalogue file: any list given replaces the
// built-in one; zones narrows zones.
type catalogueFile struct {
	InstanceTypes  []InstanceType       `json:"instanceTypes"`
	Images         []Image              `json:"images"`
	DiskCategories []DiskCategory       `json:"diskCategories"`
	Zones          map[string]ZoneOffer `json:"zones"`
}

// LoadCatalogue reads a catalogue file (JSON, strict): the built-in
// catalogue with each list the file gives replaced, and its zone entries.
func LoadCatalogue(path string) (*Catalogue, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f catalogueFile
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("ECS catalogue %s: %w", path, err)
	}
	c := Builtin()
	if f.InstanceTypes != nil {
		c.InstanceTypes = f.InstanceTypes
	}
	if f.Images != nil {
		c.Images = f.Images
	}
	if f.DiskCategories != nil {
		c.DiskCategories = f.DiskCategories
	}
	c.Zones = f.Zones
	if err := c.check(); err != nil {
		return nil, fmt.Errorf("ECS catalogue %s: %w", path, err)
	}
	return c, nil
}

// check refuses a catalogue clients could not use: missing or repeated
// ids, a type without CPU or memory, an image without size, a zone entry
// naming a type that does not exist.
func (c *Catalogue) check() error {
	seen := map[string]bool{}
	for _, t := range c.InstanceTypes {
		switch {
		case t.ID == "" || t.Family == "":
			return fmt.Errorf("an instance type needs an id and a family")
		case seen["t/"+t.ID]:
			return fmt.Errorf("instance type %s listed twice", t.ID)
		case t.CPU <= 0 || t.MemoryGiB <= 0:
			return fmt.Errorf("instance type %s: cpu and memoryGiB must be positive", t.ID)
		case t.Architecture != "X86" && t.Architecture != "ARM":
			return fmt.Errorf("instance type %s: architecture must be X86 or ARM", t.ID)
		}
		seen["t/"+t.ID] = true
	}
	for _, img := range c.Images {
		switch {
		case img.ID == "":
			return fmt.Errorf("an image needs an id")
		case seen["i/"+img.ID]:
			return fmt.Errorf("image %s listed twice", img.ID)
		case img.SizeGiB <= 0:
			return fmt.Errorf("image %s: sizeGiB must be positive", img.ID)
		case img.Architecture != "x86_64" && img.Architecture != "arm64" && img.Architecture != "i386":
			return fmt.Errorf("image %s: architecture must be x86_64, arm64 or i386", img.ID)
		}
		seen["i/"+img.ID] = true
	}
	for _, d := range c.DiskCategories {
		if d.ID == "" || seen["d/"+d.ID] || d.MinGiB < 0 || d.MaxGiB < d.MinGiB || d.DataMinGiB < 0 || d.DataMaxGiB < d.DataMinGiB {
			return fmt.Errorf("disk category %q: an id of its own, 0 ≤ minGiB ≤ maxGiB and 0 ≤ dataMinGiB ≤ dataMaxGiB", d.ID)
		}
		seen["d/"+d.ID] = true
	}
	for zone, z := range c.Zones {
		for _, id := range slices.Concat(z.InstanceTypes, z.SoldOut) {
			if !seen["t/"+id] {
				return fmt.Errorf("zone %s names instance type %s, which the catalogue does not list", zone, id)
			}
		}
	}
	return nil
}
