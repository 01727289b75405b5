package dataplane

import (
	"crypto/tls"
	"fmt"
	"strings"
)

// sni chooses a listener's certificate by the ClientHello's server name
// (docs/choices.md, "Data plane (listeners that serve)": SNI): an exact
// domain, else the wildcard of the name's parent, else the listener's own
// certificate. A wildcard covers exactly one label, so at most one wildcard can match a name, and a narrower
// wildcard ("*.a.example.com") is the one that matches its names, before
// a wider one ("*.example.com") could. Configured domains decide, not the
// certificates' SANs.
type sni struct {
	def      *tls.Certificate
	exact    map[string]*tls.Certificate
	wildcard map[string]*tls.Certificate // by the parent domain: "example.com" for "*.example.com"
}

// certificate returns the certificate for a ClientHello.
func (s *sni) certificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	return s.lookup(hello.ServerName), nil
}

func (s *sni) lookup(serverName string) *tls.Certificate {
	if serverName == "" || (len(s.exact) == 0 && len(s.wildcard) == 0) {
		return s.def
	}
	name := strings.TrimSuffix(strings.ToLower(serverName), ".")
	if c, ok := s.exact[name]; ok {
		return c
	}
	if i := strings.IndexByte(name, '.'); i > 0 {
		if c, ok := s.wildcard[name[i+1:]]; ok {
			return c
		}
	}
	return s.def
}

// domainKey returns a domain extension's lookup key: the lowercase name,
// or for a wildcard its parent domain.
func domainKey(domain string) (key string, wildcard bool, err error) {
	d := strings.TrimSuffix(strings.ToLower(domain), ".")
	if rest, ok := strings.CutPrefix(d, "*."); ok {
		if rest == "" || strings.Contains(rest, "*") {
			return "", false, fmt.Errorf("domain %q: a wildcard is one leading label", domain)
		}
		return rest, true, nil
	}
	if d == "" || strings.Contains(d, "*") {
		return "", false, fmt.Errorf("domain %q: a wildcard is one leading label", domain)
	}
	return d, false, nil
}
