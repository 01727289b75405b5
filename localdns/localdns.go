// Package localdns is slbcert's DNS server: it answers A and AAAA queries
// for the zones it is given (aliyuncs.com and every name under it) with the
// API's address, so that clients which hard-code Alibaba Cloud's endpoints
// (slb.aliyuncs.com, sts.cn-hangzhou.aliyuncs.com, …) reach slbcert
// unchanged; it answers names given one (a load balancer's, say) with their
// addresses; and it forwards every other query to an upstream resolver, or
// refuses it when there is none. It serves UDP and TCP on one port.
//
// The package knows nothing of the API: it is handed addresses and names.
package localdns

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// DefaultTTL is the TTL of the answers the server makes itself: short, so a
// changed address reaches clients soon.
const DefaultTTL = 60 * time.Second

// maxForwards bounds the queries being forwarded at once: a flood of
// queries for other names gets SERVFAIL rather than unbounded goroutines
// waiting on the upstream.
const maxForwards = 256

// Config is what the server answers.
type Config struct {
	// Zones are the domains answered with Answer, each with every name
	// under it ("aliyuncs.com").
	Zones []string
	// Answer holds the addresses of the zones' names: the IPv4 ones answer
	// A queries, the IPv6 ones AAAA queries.
	Answer []netip.Addr
	// Records are names answered with addresses of their own (exact names,
	// not zones); they win over Zones.
	Records map[string][]netip.Addr
	// Upstream is the resolver other names are forwarded to (host:port);
	// empty: they are refused.
	Upstream string
	// TTL of the answers made here; zero means DefaultTTL.
	TTL time.Duration
	// ForwardTimeout bounds one forwarded query; zero means 3 seconds.
	ForwardTimeout time.Duration
}

// Server is a running DNS server. Its zero value is not usable: call Listen.
type Server struct {
	cfg     Config
	zones   []string                // canonical: lower case, with the final dot
	records map[string][]netip.Addr // canonical names
	soa     map[string]*dns.SOA     // per zone

	udp, tcp *dns.Server
	done     chan error
	forwards chan struct{}
	addr     string

	closeOnce sync.Once
	closeErr  error
}

// Listen starts serving cfg on addr over UDP and TCP (the same port; with
// port 0, one the system picks free for both). It returns once both
// sockets are bound.
func Listen(addr string, cfg Config) (*Server, error) {
	s, err := newServer(cfg)
	if err != nil {
		return nil, err
	}
	pc, l, err := listenBoth(addr)
	if err != nil {
		return nil, err
	}
	s.addr = pc.LocalAddr().String()
	s.udp = &dns.Server{PacketConn: pc, Handler: s, UDPSize: dns.DefaultMsgSize}
	s.tcp = &dns.Server{Listener: l, Handler: s}
	s.done = make(chan error, 2)
	for _, srv := range []*dns.Server{s.udp, s.tcp} {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		go func() { s.done <- srv.ActivateAndServe() }()
		select {
		case <-started:
		case err := <-s.done:
			pc.Close()
			l.Close()
			return nil, err
		}
	}
	return s, nil
}

// newServer checks cfg and builds what queries are matched against.
func newServer(cfg Config) (*Server, error) {
	s := &Server{cfg: cfg, records: map[string][]netip.Addr{}, soa: map[string]*dns.SOA{}, forwards: make(chan struct{}, maxForwards)}
	if s.cfg.TTL <= 0 {
		s.cfg.TTL = DefaultTTL
	}
	if s.cfg.ForwardTimeout <= 0 {
		s.cfg.ForwardTimeout = 3 * time.Second
	}
	for _, z := range cfg.Zones {
		name, err := canonical(z)
		if err != nil {
			return nil, fmt.Errorf("zone %q: %w", z, err)
		}
		s.zones = append(s.zones, name)
		s.soa[name] = &dns.SOA{
			Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: s.ttl()},
			Ns:  "ns." + name, Mbox: "hostmaster." + name,
			Serial: 1, Refresh: 3600, Retry: 600, Expire: 86400, Minttl: s.ttl(),
		}
	}
	for n, addrs := range cfg.Records {
		name, err := canonical(n)
		if err != nil {
			return nil, fmt.Errorf("record %q: %w", n, err)
		}
		s.records[name] = append(s.records[name], addrs...)
	}
	for _, a := range cfg.Answer {
		if !a.IsValid() {
			return nil, errors.New("an answer address is not valid")
		}
	}
	if cfg.Upstream != "" {
		if _, _, err := net.SplitHostPort(cfg.Upstream); err != nil {
			return nil, fmt.Errorf("upstream %q is not host:port", cfg.Upstream)
		}
	}
	return s, nil
}

// listenBoth binds UDP and TCP on the same address; with port 0 it retries
// until the port the system picked for UDP is free for TCP too.
func listenBoth(addr string) (net.PacketConn, net.Listener, error) {
	var lastErr error
	for range 10 {
		pc, err := net.ListenPacket("udp", addr)
		if err != nil {
			return nil, nil, err
		}
		l, err := net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			return pc, l, nil
		}
		pc.Close()
		lastErr = err
		if _, port, _ := net.SplitHostPort(addr); port != "0" {
			break
		}
	}
	return nil, nil, lastErr
}

// Addr returns the address served (UDP and TCP alike).
func (s *Server) Addr() string { return s.addr }

// Close stops serving; queries being answered finish first.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.closeErr = errors.Join(s.udp.ShutdownContext(ctx), s.tcp.ShutdownContext(ctx))
		for range 2 {
			<-s.done
		}
	})
	return s.closeErr
}

func (s *Server) ttl() uint32 { return uint32(s.cfg.TTL / time.Second) }

// CheckName reports why name cannot be a zone or a record, or nil.
func CheckName(name string) error {
	_, err := canonical(name)
	return err
}

// canonical returns name in lower case with its final dot, or an error when
// it is not a domain name.
func canonical(name string) (string, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" || name == "." {
		return "", errors.New("empty name")
	}
	fq := dns.Fqdn(name)
	if len(fq) > 254 {
		return "", errors.New("longer than 253 characters")
	}
	for _, label := range strings.Split(strings.TrimSuffix(fq, "."), ".") {
		if !hostLabel(label) {
			return "", fmt.Errorf("label %q is not letters, digits, '-' and '_' (1 to 63, no '-' at either end)", label)
		}
	}
	return fq, nil
}

// hostLabel reports whether l is a host name label (letters, digits and
// hyphens, RFC 1123; underscores too, as service names use them).
func hostLabel(l string) bool {
	if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
