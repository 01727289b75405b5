package console

import (
	"context"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"net"
	"strconv"
	"strings"
	"time"
)

// ProbeTimeout bounds the probe's connection and handshake.
const ProbeTimeout = 5 * time.Second

// probeResult is what a TLS handshake with a listener showed.
type probeResult struct {
	Addr, SNI string
	// Version, Cipher and ALPN are the handshake's, when it completed.
	Version, Cipher, ALPN string
	// Chain is what the listener sent, leaf first: seen even when the
	// handshake then failed (a listener that wants a client
	// certificate).
	Chain    []probeCert
	Err      string
	Duration time.Duration
	At       time.Time
}

// probeCert is one certificate of the chain a listener sent.
type probeCert struct {
	Subject, Issuer     string
	DNSNames            []string
	NotBefore, NotAfter time.Time
	// Fingerprint is SHA-1 of the DER, as the API's Fingerprint is
	// written.
	Fingerprint string
	// Known is the server certificate of the region it is, if any.
	Known *certificate
}

// probe makes a real TLS handshake with the listener, on the address the
// data plane bound, asking for sni, and reports the chain it was sent.
// The listener was read through the API first, as the principal: the
// console probes only what the principal may describe. Nothing is
// verified (the question is which certificate is served, not whether to
// trust it), and nothing is sent after the handshake.
func (p *page) probe(l *listenerView, sni string) *probeResult {
	res := &probeResult{SNI: sni, At: p.Now}
	if !l.hasDataPlane {
		res.Err = "This process runs no data plane."
		return res
	}
	if !l.Served || l.State.Addr == "" {
		res.Err = "The data plane does not serve this listener (" + l.Serving() + ")."
		if l.State.Err != "" {
			res.Err += " " + l.State.Err
		}
		return res
	}
	res.Addr = l.State.Addr
	start := time.Now()
	*res = handshake(p.r.Context(), res.Addr, sni, *res)
	res.Duration = time.Since(start)
	known := map[string]*certificate{}
	for _, c := range p.probeCandidates() {
		known[strings.ToLower(c.Fingerprint)] = c
	}
	for i := range res.Chain {
		res.Chain[i].Known = known[res.Chain[i].Fingerprint]
	}
	p.c.log.Info("console: probe", "principal", p.s.principal, "account", p.s.accountID, "listener", l.LoadBalancerID+":"+strconv.Itoa(l.ListenerPort),
		"addr", res.Addr, "sni", sni, "certificates", len(res.Chain), "err", res.Err)
	return res
}

// probeCandidates are the certificates a served chain is matched
// against: the region's server certificates.
func (p *page) probeCandidates() []*certificate {
	var out describeServerCertificatesAnswer
	if !p.read(slbVersion, "DescribeServerCertificates", p.regionParams(), &out) {
		return nil
	}
	var list []*certificate
	for _, a := range out.ServerCertificates.ServerCertificate {
		c := &certificate{Kind: kindServer, ID: a.ServerCertificateID, Name: a.ServerCertificateName, Fingerprint: a.Fingerprint}
		c.setExpiry(time.UnixMilli(a.ExpireTimeStamp), p.Now)
		list = append(list, c)
	}
	return list
}

func handshake(ctx context.Context, addr, sni string, res probeResult) probeResult {
	ctx, cancel := context.WithTimeout(ctx, ProbeTimeout)
	defer cancel()
	var seen []*x509.Certificate
	cfg := &tls.Config{
		ServerName:         sni,
		InsecureSkipVerify: true, // the probe reports what is served; it trusts nothing
		NextProtos:         []string{"h2", "http/1.1"},
		VerifyConnection: func(cs tls.ConnectionState) error {
			seen = cs.PeerCertificates
			return nil
		},
	}
	d := tls.Dialer{NetDialer: &net.Dialer{Timeout: ProbeTimeout}, Config: cfg}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		res.Err = err.Error()
	} else {
		cs := conn.(*tls.Conn).ConnectionState()
		seen = cs.PeerCertificates
		res.Version = tls.VersionName(cs.Version)
		res.Cipher = tls.CipherSuiteName(cs.CipherSuite)
		res.ALPN = cs.NegotiatedProtocol
		conn.Close()
	}
	for _, c := range seen {
		sum := sha1.Sum(c.Raw)
		res.Chain = append(res.Chain, probeCert{Subject: c.Subject.String(), Issuer: c.Issuer.String(), DNSNames: c.DNSNames,
			NotBefore: c.NotBefore, NotAfter: c.NotAfter, Fingerprint: colonHex(sum[:])})
	}
	return res
}

// colonHex writes b as lowercase hex pairs joined by ':', as the API's
// Fingerprint is.
func colonHex(b []byte) string {
	h := hex.EncodeToString(b)
	var sb strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			sb.WriteByte(':')
		}
		sb.WriteString(h[i : i+2])
	}
	return sb.String()
}
