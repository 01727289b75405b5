package console

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ExpiringWithin is when a certificate's badge turns from valid to
// expiring, as slbcert_certificates_expiring counts it.
const ExpiringWithin = 30 * 24 * time.Hour

// Certificate kinds, as the console's URLs name them.
const (
	kindServer  = "server"
	kindCA      = "ca"
	kindCatalog = "catalog"
)

// pageSize is how many items the console asks for in one page of a
// listing (the API's maximum for DescribeLoadBalancers and
// DescribeLoadBalancerListeners); maxPages bounds the pages it follows.
const (
	pageSize = 100
	maxPages = 50
)

// certificate is one certificate of any kind, as the pages show it.
type certificate struct {
	Kind                 string
	ID, Name, CommonName string
	SANs                 []string
	Fingerprint          string
	Issuer               string
	Created, Expire      time.Time
	Algorithm            string
	KeyLength            int
	ResourceGroupID      string
	// CatalogID is the catalog entry a server certificate was copied
	// from (AliCloudCertificateId).
	CatalogID string
	DaysLeft  int
	// Region is the region the page read it in, kept in its links.
	Region string
	// State is "valid", "expiring" (within ExpiringWithin) or "expired".
	State  string
	UsedBy []use
}

// KindName names the kind for people.
func (c *certificate) KindName() string { return kindNames[c.Kind] }

var kindNames = map[string]string{kindServer: "server certificate", kindCA: "CA certificate", kindCatalog: "catalog certificate"}

// Href is the certificate's page.
func (c *certificate) Href() string {
	return withRegion("/console/certificates/"+c.Kind+"/"+url.PathEscape(c.ID), c.Region)
}

// withRegion adds the region to a console link, before its fragment.
func withRegion(path, region string) string {
	if region == "" {
		return path
	}
	path, frag, hasFrag := strings.Cut(path, "#")
	path += "?region=" + url.QueryEscape(region)
	if hasFrag {
		path += "#" + frag
	}
	return path
}

// use is one thing that references a certificate.
type use struct {
	// What: "listener", "CA of listener", "domain extension", "copy".
	What string
	// Text is how the console names it: lb-id:port, the domain, the
	// server certificate's id.
	Text string
	Href string
	// Status is a listener's (running, stopped), the domain extension's
	// listener's.
	Status string

	LoadBalancerID    string
	Port              int
	DomainExtensionID string
}

func (c *certificate) setExpiry(expire, now time.Time) {
	c.Expire = expire
	c.DaysLeft = int(math.Floor(expire.Sub(now).Hours() / 24))
	switch {
	case !expire.After(now):
		c.State = "expired"
	case expire.Sub(now) < ExpiringWithin:
		c.State = "expiring"
	default:
		c.State = "valid"
	}
}

// inventory is a region's certificates and the listeners and domain
// extensions that reference them, as the principal may read them.
type inventory struct {
	Server, CA, Catalog []*certificate
	Listeners           []listenerAnswer
	// Extensions are each HTTPS listener's domain extensions.
	Extensions map[listenerKey][]domainExtensionAnswer
	// ListenersRead is false when the listings were refused: "used by"
	// is then unknown, not empty.
	ListenersRead bool
	region        string
}

type listenerKey struct {
	LoadBalancerID string
	Port           int
}

func (i *inventory) all() []*certificate {
	var out []*certificate
	out = append(out, i.Server...)
	out = append(out, i.CA...)
	return append(out, i.Catalog...)
}

func (i *inventory) find(kind, id string) *certificate {
	var list []*certificate
	switch kind {
	case kindServer:
		list = i.Server
	case kindCA:
		list = i.CA
	case kindCatalog:
		list = i.Catalog
	}
	for _, c := range list {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// loadInventory reads the region's server and CA certificates, the
// catalog, and what references each: every listener of the region (any
// protocol, running or stopped) and every HTTPS listener's domain
// extensions.
func (p *page) loadInventory() *inventory {
	inv := &inventory{Extensions: map[listenerKey][]domainExtensionAnswer{}}
	p.loadCertificates(inv)
	inv.ListenersRead = p.loadListeners(inv)
	inv.link()
	return inv
}

// loadCertificates reads the region's server and CA certificates and the
// account's catalog, each sorted by expiry; it reports which of the three
// listings the API answered.
func (p *page) loadCertificates(inv *inventory) (read [3]bool) {
	var server describeServerCertificatesAnswer
	if read[0] = p.read(slbVersion, "DescribeServerCertificates", p.regionParams(), &server); read[0] {
		for _, a := range server.ServerCertificates.ServerCertificate {
			c := &certificate{Kind: kindServer, ID: a.ServerCertificateID, Name: a.ServerCertificateName, CommonName: a.CommonName,
				SANs: a.SubjectAlternativeNames.SubjectAlternativeName, Fingerprint: a.Fingerprint,
				Created: time.UnixMilli(a.CreateTimeStamp), Algorithm: a.EncryptionAlgorithm, KeyLength: a.EncryptionKeyLength,
				ResourceGroupID: a.ResourceGroupID}
			if a.IsAliCloudCertificate == 1 {
				c.CatalogID = a.AliCloudCertificateID
			}
			c.setExpiry(time.UnixMilli(a.ExpireTimeStamp), p.Now)
			inv.Server = append(inv.Server, c)
		}
	}
	var ca describeCACertificatesAnswer
	if read[1] = p.read(slbVersion, "DescribeCACertificates", p.regionParams(), &ca); read[1] {
		for _, a := range ca.CACertificates.CACertificate {
			c := &certificate{Kind: kindCA, ID: a.CACertificateID, Name: a.CACertificateName, CommonName: a.CommonName,
				Fingerprint: a.Fingerprint, Created: time.UnixMilli(a.CreateTimeStamp), Algorithm: a.EncryptionAlgorithm,
				KeyLength: a.EncryptionKeyLength, ResourceGroupID: a.ResourceGroupID}
			c.setExpiry(time.UnixMilli(a.ExpireTimeStamp), p.Now)
			inv.CA = append(inv.CA, c)
		}
	}
	inv.Catalog, read[2] = p.loadCatalog()
	for _, list := range [][]*certificate{inv.Server, inv.CA, inv.Catalog} {
		for _, c := range list {
			c.Region = p.Region
		}
		sortByExpiry(list)
	}
	inv.region = p.Region
	return read
}

// loadCatalog reads the account's catalog of uploads: the valid entries
// (Status "") and the expired ones, which the default listing leaves out.
func (p *page) loadCatalog() ([]*certificate, bool) {
	var out []*certificate
	for _, status := range []string{"", "EXPIRED"} {
		for n := 1; n <= maxPages; n++ {
			params := url.Values{"OrderType": {"UPLOAD"}, "CurrentPage": {strconv.Itoa(n)}, "ShowSize": {strconv.Itoa(pageSize)}}
			if status != "" {
				params.Set("Status", status)
			}
			var list listUserCertificateOrderAnswer
			if !p.read(casVersion, "ListUserCertificateOrder", params, &list) {
				return out, false
			}
			for _, a := range list.CertificateOrderList {
				c := &certificate{Kind: kindCatalog, ID: strconv.FormatInt(a.CertificateID, 10), Name: a.Name, CommonName: a.CommonName,
					Fingerprint: a.Fingerprint, Issuer: a.Issuer, ResourceGroupID: a.ResourceGroupID}
				if a.Sans != "" {
					c.SANs = strings.Split(a.Sans, ",")
				}
				// EndDate is a day; the certificate ends within it.
				end, err := time.Parse("2006-01-02", a.EndDate)
				if err == nil {
					c.setExpiry(end.Add(24*time.Hour-time.Second), p.Now)
				}
				if a.Expired {
					c.State = "expired"
				}
				out = append(out, c)
			}
			if len(list.CertificateOrderList) < pageSize {
				break
			}
		}
	}
	return out, true
}

// loadListeners reads every listener of the region, and the domain
// extensions of the HTTPS ones.
func (p *page) loadListeners(inv *inventory) bool {
	if !p.loadListenerList(inv, "") {
		return false
	}
	for _, l := range inv.Listeners {
		if l.ListenerProtocol != "https" {
			continue
		}
		var ext describeDomainExtensionsAnswer
		params := p.regionParams("LoadBalancerId", l.LoadBalancerID, "ListenerPort", strconv.Itoa(l.ListenerPort))
		if p.read(slbVersion, "DescribeDomainExtensions", params, &ext) {
			inv.Extensions[listenerKey{l.LoadBalancerID, l.ListenerPort}] = ext.DomainExtensions.DomainExtension
		}
	}
	return true
}

// listenerHref is a listener's page.
func listenerHref(lbID, protocol string, port int) string {
	return "/console/loadbalancers/" + url.PathEscape(lbID) + "/listeners/" + url.PathEscape(protocol) + "/" + strconv.Itoa(port)
}

// link fills every certificate's UsedBy: listeners as lb-id:port, domain
// extensions by their domain, catalog entries by their SLB copies.
func (i *inventory) link() {
	byServer := map[string]*certificate{}
	for _, c := range i.Server {
		byServer[c.ID] = c
	}
	byCA := map[string]*certificate{}
	for _, c := range i.CA {
		byCA[c.ID] = c
	}
	for _, l := range i.Listeners {
		cfg := l.HTTPSListenerConfig
		if cfg == nil {
			continue
		}
		href := withRegion(listenerHref(l.LoadBalancerID, l.ListenerProtocol, l.ListenerPort), i.region)
		name := l.LoadBalancerID + ":" + strconv.Itoa(l.ListenerPort)
		if c := byServer[cfg.ServerCertificateID]; c != nil {
			c.UsedBy = append(c.UsedBy, use{What: "listener", Text: name, Href: href, Status: l.Status, LoadBalancerID: l.LoadBalancerID, Port: l.ListenerPort})
		}
		if c := byCA[cfg.CACertificateID]; c != nil {
			c.UsedBy = append(c.UsedBy, use{What: "CA of listener", Text: name, Href: href, Status: l.Status, LoadBalancerID: l.LoadBalancerID, Port: l.ListenerPort})
		}
		for _, e := range i.Extensions[listenerKey{l.LoadBalancerID, l.ListenerPort}] {
			if c := byServer[e.ServerCertificateID]; c != nil {
				c.UsedBy = append(c.UsedBy, use{What: "domain extension", Text: e.Domain, Href: withRegion(listenerHref(l.LoadBalancerID, l.ListenerProtocol, l.ListenerPort)+"#ext-"+e.DomainExtensionID, i.region),
					Status: l.Status, LoadBalancerID: l.LoadBalancerID, Port: l.ListenerPort, DomainExtensionID: e.DomainExtensionID})
			}
		}
	}
	byCatalog := map[string]*certificate{}
	for _, c := range i.Catalog {
		byCatalog[c.ID] = c
	}
	for _, s := range i.Server {
		if c := byCatalog[s.CatalogID]; c != nil && s.CatalogID != "" {
			c.UsedBy = append(c.UsedBy, use{What: "copy", Text: s.ID, Href: s.Href()})
		}
	}
}
