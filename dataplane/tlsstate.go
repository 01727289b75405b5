package dataplane

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"slices"
	"sync"
	"time"
)

// tlsState is what an HTTPS listener presents, swapped whole and
// atomically: each handshake loads the current one (GetConfigForClient),
// connections already up keep theirs.
type tlsState struct {
	config *tls.Config
	// http1, when HTTP/2 is on, is config offering only http/1.1, for
	// clients that could not speak HTTP/2 over what they share with the
	// policy (TLS below 1.2, no AEAD suite: RFC 9113 §9.2) but ask for it
	// all the same.
	http1  *tls.Config
	policy Policy
	// active are the certificates served, for the expiry metric.
	active []activeCertificate
	// pairs are the parsed certificates served, kept in the cache while
	// the listener's configuration stays unchanged.
	pairs []*keyPair
	// warning is a configuration that serves but fails some handshakes.
	warning string

	mu      sync.Mutex
	keys    [][32]byte
	rotated time.Time
}

type activeCertificate struct {
	id, domain string
	notAfter   time.Time
}

// Session tickets: each state has keys of its own, so a change of
// certificate or client CA also ends resumption of the sessions made under
// the previous state (which would otherwise skip the new client-CA check),
// as an nginx reload does. Keys rotate daily and a ticket lives a week, as
// Go's automatic keys do.
const (
	ticketRotation = 24 * time.Hour
	ticketKeysKept = 7
)

// buildTLS returns the TLS state of an HTTPS listener.
func buildTLS(l *Listener, pairs *keyPairs, now time.Time) (*tlsState, error) {
	policy := Policies[policyName(l.TLSCipherPolicy)]
	if l.Policy != nil {
		policy = *l.Policy
	}
	p, err := pairs.get(l.Certificate)
	if err != nil {
		return nil, err
	}
	def := p.cert
	s := &sni{def: def}
	st := &tlsState{active: []activeCertificate{{id: l.Certificate.ID, notAfter: def.Leaf.NotAfter}}, pairs: []*keyPair{p}}
	ecdsaCert := isECDSA(def)
	for _, d := range l.DomainExtensions {
		key, wildcard, err := domainKey(d.Domain)
		if err != nil {
			return nil, err
		}
		p, err := pairs.get(&d.Certificate)
		if err != nil {
			return nil, fmt.Errorf("domain %s: %w", d.Domain, err)
		}
		st.pairs = append(st.pairs, p)
		c := p.cert
		m := &s.exact
		if wildcard {
			m = &s.wildcard
		}
		if *m == nil {
			*m = map[string]*tls.Certificate{}
		}
		(*m)[key] = c
		ecdsaCert = ecdsaCert || isECDSA(c)
		st.active = append(st.active, activeCertificate{id: d.Certificate.ID, domain: d.Domain, notAfter: c.Leaf.NotAfter})
	}
	if ecdsaCert && !policy.hasECDSASuite() {
		st.warning = fmt.Sprintf("an ECDSA certificate under %s, which has no ECDSA suite: its handshakes fail", policyName(l.TLSCipherPolicy))
	}
	cfg := &tls.Config{
		MinVersion:   policy.MinVersion,
		MaxVersion:   policy.MaxVersion,
		CipherSuites: policy.CipherSuites,
		NextProtos:   []string{"http/1.1"},
	}
	if len(s.exact) == 0 && len(s.wildcard) == 0 {
		cfg.Certificates = []tls.Certificate{*def}
	} else {
		cfg.GetCertificate = s.certificate
	}
	if l.HTTP2 {
		cfg.NextProtos = []string{"h2", "http/1.1"}
	}
	if len(l.ClientCAs) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(l.ClientCAs) {
			return nil, fmt.Errorf("client CA: no certificate in the PEM")
		}
		cfg.ClientCAs = pool
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	st.config, st.policy = cfg, policy
	if l.HTTP2 {
		st.http1 = cfg.Clone()
		st.http1.NextProtos = []string{"http/1.1"}
	}
	st.rotate(now)
	return st, nil
}

// forClient returns the configuration for a ClientHello.
func (st *tlsState) forClient(hello *tls.ClientHelloInfo) *tls.Config {
	if st.http1 == nil || st.http2Capable(hello) {
		return st.config
	}
	return st.http1
}

// http2Capable reports whether the handshake with hello can end in a
// connection HTTP/2 accepts: TLS 1.3, or TLS 1.2 with an ECDHE AEAD suite
// of the policy that the client offers.
func (st *tlsState) http2Capable(hello *tls.ClientHelloInfo) bool {
	var top uint16
	for _, v := range hello.SupportedVersions {
		top = max(top, v)
	}
	if top >= tls.VersionTLS13 && st.policy.MaxVersion >= tls.VersionTLS13 {
		return true
	}
	if top < tls.VersionTLS12 {
		return false
	}
	for _, c := range hello.CipherSuites {
		if http2Suites[c] && slices.Contains(st.policy.CipherSuites, c) {
			return true
		}
	}
	return false
}

// http2Suites are the TLS 1.2 suites HTTP/2 accepts (RFC 9113 §9.2.2).
var http2Suites = map[uint16]bool{
	tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:         true,
	tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:         true,
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:       true,
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:       true,
	tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256:   true,
	tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: true,
}

func isECDSA(c *tls.Certificate) bool {
	_, ok := c.Leaf.PublicKey.(*ecdsa.PublicKey)
	return ok
}

// rotate adds a fresh session ticket key when the newest is a rotation old.
func (st *tlsState) rotate(now time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.keys) > 0 && now.Sub(st.rotated) < ticketRotation {
		return
	}
	var k [32]byte
	rand.Read(k[:])
	st.keys = append([][32]byte{k}, st.keys...)
	if len(st.keys) > ticketKeysKept {
		st.keys = st.keys[:ticketKeysKept]
	}
	st.rotated = now
	st.config.SetSessionTicketKeys(st.keys)
	if st.http1 != nil {
		st.http1.SetSessionTicketKeys(st.keys)
	}
}
