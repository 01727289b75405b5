package localdns

import (
	"net"
	"net/netip"
	"strings"

	"github.com/miekg/dns"
)

// ServeDNS answers one query. miekg/dns has already refused what is not a
// query with exactly one question (FORMERR, NOTIMP).
func (s *Server) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	if len(req.Question) != 1 {
		s.reply(w, req, new(dns.Msg).SetRcode(req, dns.RcodeFormatError))
		return
	}
	q := req.Question[0]
	name := strings.ToLower(q.Name)
	addrs, own := s.records[name]
	zone := ""
	if !own {
		zone = s.zoneOf(name)
		own = zone != ""
		addrs = s.cfg.Answer
	}
	if !own {
		s.forward(w, req)
		return
	}
	m := new(dns.Msg).SetReply(req)
	m.Authoritative = true
	m.RecursionAvailable = s.cfg.Upstream != ""
	if q.Qclass != dns.ClassINET && q.Qclass != dns.ClassANY {
		m.Rcode = dns.RcodeRefused
		s.reply(w, req, m)
		return
	}
	switch q.Qtype {
	case dns.TypeA, dns.TypeAAAA, dns.TypeANY:
		for _, a := range addrs {
			if rr := s.addressRR(q.Name, a, q.Qtype); rr != nil {
				m.Answer = append(m.Answer, rr)
			}
		}
	case dns.TypeSOA:
		if soa := s.soa[name]; soa != nil {
			m.Answer = append(m.Answer, dns.Copy(soa))
		}
	}
	if len(m.Answer) == 0 && zone != "" {
		// NODATA: the name exists, not with that type. The zone's SOA
		// tells resolvers how long to remember that (RFC 2308).
		m.Ns = append(m.Ns, dns.Copy(s.soa[zone]))
	}
	s.reply(w, req, m)
}

// addressRR is a's record under name if a answers qtype, else nil.
func (s *Server) addressRR(name string, a netip.Addr, qtype uint16) dns.RR {
	hdr := dns.RR_Header{Name: name, Class: dns.ClassINET, Ttl: s.ttl()}
	a = a.Unmap()
	switch {
	case a.Is4() && (qtype == dns.TypeA || qtype == dns.TypeANY):
		hdr.Rrtype = dns.TypeA
		return &dns.A{Hdr: hdr, A: a.AsSlice()}
	case a.Is6() && (qtype == dns.TypeAAAA || qtype == dns.TypeANY):
		hdr.Rrtype = dns.TypeAAAA
		return &dns.AAAA{Hdr: hdr, AAAA: a.AsSlice()}
	}
	return nil
}

// zoneOf returns the zone name falls in (canonical), or "".
func (s *Server) zoneOf(name string) string {
	for _, z := range s.zones {
		if name == z || strings.HasSuffix(name, "."+z) {
			return z
		}
	}
	return ""
}

// Owns reports whether the server answers name itself (a zone's name or a
// record), rather than forwarding or refusing it.
func (s *Server) Owns(name string) bool {
	name, err := canonical(name)
	if err != nil {
		return false
	}
	_, ok := s.records[name]
	return ok || s.zoneOf(name) != ""
}

// forward relays req to the upstream over the transport it came by, or
// refuses it when there is no upstream.
func (s *Server) forward(w dns.ResponseWriter, req *dns.Msg) {
	if s.cfg.Upstream == "" {
		s.reply(w, req, new(dns.Msg).SetRcode(req, dns.RcodeRefused))
		return
	}
	select {
	case s.forwards <- struct{}{}:
		defer func() { <-s.forwards }()
	default:
		s.reply(w, req, new(dns.Msg).SetRcode(req, dns.RcodeServerFailure))
		return
	}
	network := "udp"
	if isTCP(w) {
		network = "tcp"
	}
	c := &dns.Client{Net: network, Timeout: s.cfg.ForwardTimeout, UDPSize: dns.MaxMsgSize}
	resp, _, err := c.Exchange(req, s.cfg.Upstream)
	if err != nil || resp == nil {
		s.reply(w, req, new(dns.Msg).SetRcode(req, dns.RcodeServerFailure))
		return
	}
	resp.Id = req.Id
	w.WriteMsg(resp)
}

// reply sends m, with an EDNS0 record when the query had one, truncated
// over UDP to what the client can take (TC set: it retries over TCP).
func (s *Server) reply(w dns.ResponseWriter, req, m *dns.Msg) {
	size := dns.MinMsgSize
	if opt := req.IsEdns0(); opt != nil {
		size = max(int(opt.UDPSize()), dns.MinMsgSize)
		m.SetEdns0(dns.DefaultMsgSize, false)
	}
	if !isTCP(w) {
		m.Truncate(size)
	}
	w.WriteMsg(m)
}

// isTCP reports whether the query came over TCP.
func isTCP(w dns.ResponseWriter) bool {
	_, ok := w.RemoteAddr().(*net.TCPAddr)
	return ok
}
