package localdns

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func start(t *testing.T, cfg Config) *Server {
	t.Helper()
	s, err := Listen("127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

// query asks s over network ("udp" or "tcp") for name's qtype records.
func query(t *testing.T, s *Server, network, name string, qtype uint16, edit ...func(*dns.Msg)) *dns.Msg {
	t.Helper()
	m := new(dns.Msg).SetQuestion(dns.Fqdn(name), qtype)
	for _, e := range edit {
		e(m)
	}
	c := &dns.Client{Net: network, Timeout: 5 * time.Second}
	r, _, err := c.Exchange(m, s.Addr())
	if err != nil {
		t.Fatalf("%s %s %s: %v", network, name, dns.TypeToString[qtype], err)
	}
	return r
}

// addrs returns the A/AAAA answers of r as strings.
func addrs(r *dns.Msg) []string {
	var out []string
	for _, rr := range r.Answer {
		switch rr := rr.(type) {
		case *dns.A:
			out = append(out, rr.A.String())
		case *dns.AAAA:
			out = append(out, rr.AAAA.String())
		}
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

var aliyun = Config{
	Zones:  []string{"aliyuncs.com"},
	Answer: []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1")},
}

func TestZoneAnswers(t *testing.T) {
	s := start(t, aliyun)
	cases := []struct {
		name    string
		network string
		qname   string
		qtype   uint16
		want    []string
	}{
		{"A/global endpoint", "udp", "slb.aliyuncs.com", dns.TypeA, []string{"127.0.0.1"}},
		{"A/regional endpoint", "udp", "slb.cn-hangzhou.aliyuncs.com", dns.TypeA, []string{"127.0.0.1"}},
		{"A/vpc endpoint", "tcp", "slb-vpc.cn-hangzhou.aliyuncs.com", dns.TypeA, []string{"127.0.0.1"}},
		{"A/apex", "udp", "aliyuncs.com", dns.TypeA, []string{"127.0.0.1"}},
		{"A/any case", "udp", "STS.AliyunCS.COM", dns.TypeA, []string{"127.0.0.1"}},
		{"AAAA", "tcp", "cas.aliyuncs.com", dns.TypeAAAA, []string{"::1"}},
		{"ANY", "tcp", "ecs.aliyuncs.com", dns.TypeANY, []string{"127.0.0.1", "::1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := query(t, s, c.network, c.qname, c.qtype)
			if r.Rcode != dns.RcodeSuccess || !r.Authoritative {
				t.Fatalf("rcode %s, aa %v", dns.RcodeToString[r.Rcode], r.Authoritative)
			}
			if got := addrs(r); !equal(got, c.want) {
				t.Fatalf("answers %v, want %v", got, c.want)
			}
			for _, rr := range r.Answer {
				if rr.Header().Name != dns.Fqdn(c.qname) || rr.Header().Ttl != 60 {
					t.Fatalf("answer %v: name or TTL", rr)
				}
			}
		})
	}
}

func TestNoData(t *testing.T) {
	s := start(t, Config{Zones: []string{"aliyuncs.com."}, Answer: []netip.Addr{netip.MustParseAddr("10.0.0.5")}})
	for _, qtype := range []uint16{dns.TypeAAAA, dns.TypeMX, dns.TypeTXT, dns.TypeNS} {
		r := query(t, s, "udp", "slb.aliyuncs.com", qtype)
		if r.Rcode != dns.RcodeSuccess || len(r.Answer) != 0 {
			t.Fatalf("%s: rcode %s answers %v", dns.TypeToString[qtype], dns.RcodeToString[r.Rcode], r.Answer)
		}
		if len(r.Ns) != 1 || r.Ns[0].Header().Rrtype != dns.TypeSOA || r.Ns[0].Header().Name != "aliyuncs.com." {
			t.Fatalf("%s: authority %v, want the zone's SOA", dns.TypeToString[qtype], r.Ns)
		}
	}
	r := query(t, s, "udp", "aliyuncs.com", dns.TypeSOA)
	if len(r.Answer) != 1 || r.Answer[0].Header().Rrtype != dns.TypeSOA {
		t.Fatalf("SOA at the apex: %v", r.Answer)
	}
	r = query(t, s, "udp", "slb.aliyuncs.com", dns.TypeA, func(m *dns.Msg) { m.Question[0].Qclass = dns.ClassCHAOS })
	if r.Rcode != dns.RcodeRefused {
		t.Fatalf("class CH: %s", dns.RcodeToString[r.Rcode])
	}
}

func TestOtherNamesRefused(t *testing.T) {
	s := start(t, aliyun)
	for _, name := range []string{"example.com", "notaliyuncs.com", "aliyuncs.com.evil.example", "localhost", "com"} {
		for _, network := range []string{"udp", "tcp"} {
			r := query(t, s, network, name, dns.TypeA)
			if r.Rcode != dns.RcodeRefused || len(r.Answer) != 0 {
				t.Fatalf("%s over %s: rcode %s, answers %v", name, network, dns.RcodeToString[r.Rcode], r.Answer)
			}
		}
	}
	if s.Owns("example.com") || !s.Owns("SLB.aliyuncs.com.") || s.Owns("") {
		t.Fatal("Owns")
	}
}

func TestForward(t *testing.T) {
	upstream := start(t, Config{Zones: []string{"example.com"}, Answer: []netip.Addr{netip.MustParseAddr("192.0.2.7")}})
	s := start(t, Config{
		Zones:    aliyun.Zones,
		Answer:   aliyun.Answer,
		Upstream: upstream.Addr(),
		Records:  map[string][]netip.Addr{"WWW.example.com": {netip.MustParseAddr("127.1.0.1")}},
	})
	for _, network := range []string{"udp", "tcp"} {
		r := query(t, s, network, "api.example.com", dns.TypeA)
		if r.Rcode != dns.RcodeSuccess || !equal(addrs(r), []string{"192.0.2.7"}) {
			t.Fatalf("forwarded over %s: rcode %s answers %v", network, dns.RcodeToString[r.Rcode], addrs(r))
		}
		// What the upstream refuses reaches the client as it said it.
		if r := query(t, s, network, "other.test", dns.TypeA); r.Rcode != dns.RcodeRefused {
			t.Fatalf("upstream's refusal over %s: %s", network, dns.RcodeToString[r.Rcode])
		}
	}
	// A name given a record is answered here, not upstream.
	if r := query(t, s, "udp", "www.example.com", dns.TypeA); !equal(addrs(r), []string{"127.1.0.1"}) || !r.Authoritative {
		t.Fatalf("record: %v", addrs(r))
	}
	if r := query(t, s, "udp", "slb.aliyuncs.com", dns.TypeA); !r.RecursionAvailable || !equal(addrs(r), []string{"127.0.0.1"}) {
		t.Fatalf("zone with an upstream: ra %v, %v", r.RecursionAvailable, addrs(r))
	}
	// EDNS0 passes through to the upstream and back.
	r := query(t, s, "udp", "api.example.com", dns.TypeA, func(m *dns.Msg) { m.SetEdns0(1232, false) })
	if r.IsEdns0() == nil {
		t.Fatal("EDNS0 lost on the way")
	}
}

func TestUpstreamDown(t *testing.T) {
	// A port nobody answers on: UDP queries time out, TCP ones are refused.
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	s := start(t, Config{Zones: aliyun.Zones, Answer: aliyun.Answer, Upstream: pc.LocalAddr().String(), ForwardTimeout: 300 * time.Millisecond})
	for _, network := range []string{"udp", "tcp"} {
		if r := query(t, s, network, "example.com", dns.TypeA); r.Rcode != dns.RcodeServerFailure {
			t.Fatalf("%s: %s", network, dns.RcodeToString[r.Rcode])
		}
	}
}

// TestHostileInput: garbage, answers posing as queries and several
// questions never stop the server, which keeps answering.
func TestHostileInput(t *testing.T) {
	s := start(t, aliyun)
	conn, err := net.Dial("udp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	two := new(dns.Msg).SetQuestion("a.aliyuncs.com.", dns.TypeA)
	two.Question = append(two.Question, dns.Question{Name: "b.aliyuncs.com.", Qtype: dns.TypeA, Qclass: dns.ClassINET})
	twoWire, _ := two.Pack()
	answer := new(dns.Msg).SetQuestion("a.aliyuncs.com.", dns.TypeA)
	answer.Response = true
	answerWire, _ := answer.Pack()
	for _, pkt := range [][]byte{{}, {0}, []byte("GET / HTTP/1.1\r\n\r\n"), make([]byte, 12), twoWire, answerWire, twoWire[:20]} {
		conn.Write(pkt)
	}
	c := &dns.Client{Timeout: 2 * time.Second}
	r, _, err := c.Exchange(two, s.Addr())
	if err != nil || r.Rcode != dns.RcodeFormatError {
		t.Fatalf("two questions: %v %v", r, err)
	}
	// A TCP client that sends half a message and goes away.
	tc, err := net.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	tc.Write([]byte{0, 200, 1, 2, 3})
	tc.Close()
	for _, network := range []string{"udp", "tcp"} {
		if r := query(t, s, network, "slb.aliyuncs.com", dns.TypeA); !equal(addrs(r), []string{"127.0.0.1"}) {
			t.Fatalf("after the garbage, over %s: %v", network, addrs(r))
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for name, cfg := range map[string]Config{
		"empty zone":       {Zones: []string{""}},
		"bad zone":         {Zones: []string{"a..b"}},
		"bad record":       {Records: map[string][]netip.Addr{"-": {netip.MustParseAddr("127.0.0.1")}}},
		"upstream no port": {Upstream: "192.0.2.1"},
		"invalid answer":   {Answer: []netip.Addr{{}}},
	} {
		if s, err := Listen("127.0.0.1:0", cfg); err == nil {
			s.Close()
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestListenBusy(t *testing.T) {
	s := start(t, aliyun)
	if _, err := Listen(s.Addr(), aliyun); err == nil {
		t.Fatal("a second server bound the same address")
	}
}
