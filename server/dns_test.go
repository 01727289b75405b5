package server_test

import (
	"io"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"slbcert/internal/e2e"
	"slbcert/localdns"
	"slbcert/server"
)

// lookup asks the DNS server at addr for name's qtype records and returns
// the rcode and the addresses answered.
func lookup(t *testing.T, addr, network, name string, qtype uint16) (int, []string) {
	t.Helper()
	c := &dns.Client{Net: network, Timeout: 5 * time.Second}
	r, _, err := c.Exchange(new(dns.Msg).SetQuestion(dns.Fqdn(name), qtype), addr)
	if err != nil {
		t.Fatalf("%s %s: %v", network, name, err)
	}
	var out []string
	for _, rr := range r.Answer {
		switch rr := rr.(type) {
		case *dns.A:
			out = append(out, rr.A.String())
		case *dns.AAAA:
			out = append(out, rr.AAAA.String())
		}
	}
	return r.Rcode, out
}

// TestDNSServe: --dns answers aliyuncs.com names with the API's address,
// the --dns-record names with theirs, forwards the rest to the upstream;
// the start-up log says where it serves.
func TestDNSServe(t *testing.T) {
	upstream, err := localdns.Listen("127.0.0.1:0", localdns.Config{Zones: []string{"example.org"}, Answer: []netip.Addr{netip.MustParseAddr("192.0.2.44")}})
	if err != nil {
		t.Fatal(err)
	}
	defer upstream.Close()
	s := e2e.Start(t, func(c *server.Config) {
		c.Listen = "127.0.0.3:0"
		c.DNS = "127.0.0.1:0"
		c.DNSUpstream = upstream.Addr()
		c.DNSRecords = []string{"www.example.com=127.1.0.9", "WWW.example.com.=::1"}
	})
	addr := s.DNSAddr()
	if !strings.Contains(s.Log.String(), `"dns":"`+addr+`"`) {
		t.Fatalf("the log does not say where DNS is served:\n%s", s.Log)
	}
	for _, network := range []string{"udp", "tcp"} {
		for _, c := range []struct {
			name  string
			qtype uint16
			rcode int
			want  string
		}{
			{"slb.aliyuncs.com", dns.TypeA, dns.RcodeSuccess, "127.0.0.3"},
			{"sts.cn-hangzhou.aliyuncs.com", dns.TypeA, dns.RcodeSuccess, "127.0.0.3"},
			{"slb.aliyuncs.com", dns.TypeAAAA, dns.RcodeSuccess, ""},
			{"www.example.com", dns.TypeA, dns.RcodeSuccess, "127.1.0.9"},
			{"www.example.com", dns.TypeAAAA, dns.RcodeSuccess, "::1"},
			{"api.example.org", dns.TypeA, dns.RcodeSuccess, "192.0.2.44"},
			{"elsewhere.test", dns.TypeA, dns.RcodeRefused, ""},
		} {
			rcode, got := lookup(t, addr, network, c.name, c.qtype)
			if rcode != c.rcode || strings.Join(got, ",") != c.want {
				t.Errorf("%s %s %s: %s %v, want %s %q", network, c.name, dns.TypeToString[c.qtype], dns.RcodeToString[rcode], got, dns.RcodeToString[c.rcode], c.want)
			}
		}
	}
	s.Close()
	if _, _, err := (&dns.Client{Timeout: 300 * time.Millisecond, Net: "tcp"}).Exchange(new(dns.Msg).SetQuestion("slb.aliyuncs.com.", dns.TypeA), addr); err == nil {
		t.Fatal("DNS still answers after Close")
	}
}

func TestDNSAnswer(t *testing.T) {
	s := e2e.Start(t, func(c *server.Config) {
		c.Listen = "0.0.0.0:0"
		c.DNS = "127.0.0.1:0"
		c.DNSAnswer = "10.9.8.7, fd00::7"
	})
	if _, got := lookup(t, s.DNSAddr(), "udp", "slb.aliyuncs.com", dns.TypeA); strings.Join(got, ",") != "10.9.8.7" {
		t.Fatalf("A %v", got)
	}
	if _, got := lookup(t, s.DNSAddr(), "udp", "slb.aliyuncs.com", dns.TypeAAAA); strings.Join(got, ",") != "fd00::7" {
		t.Fatalf("AAAA %v", got)
	}
	// No upstream: refused.
	if rcode, _ := lookup(t, s.DNSAddr(), "udp", "example.com", dns.TypeA); rcode != dns.RcodeRefused {
		t.Fatalf("example.com: %s", dns.RcodeToString[rcode])
	}
}

func TestDNSConfig(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*server.Config)
		want string
	}{
		{"answer without dns", func(c *server.Config) { c.DNSAnswer = "127.0.0.1" }, "need --dns"},
		{"record without dns", func(c *server.Config) { c.DNSRecords = []string{"a.example=127.0.0.1"} }, "need --dns"},
		{"dns not host:port", func(c *server.Config) { c.DNS = "127.0.0.1" }, "not host:port"},
		{"unspecified listen", func(c *server.Config) { c.DNS = ":53"; c.Listen = "0.0.0.0:443" }, "--dns-answer"},
		{"listen by name", func(c *server.Config) { c.DNS = ":53"; c.Listen = "api.internal:443" }, "--dns-answer"},
		{"unspecified answer", func(c *server.Config) { c.DNS = ":53"; c.DNSAnswer = "0.0.0.0" }, "not an IP address"},
		{"answer not an IP", func(c *server.Config) { c.DNS = ":53"; c.DNSAnswer = "slb.example" }, "not an IP address"},
		{"upstream is itself", func(c *server.Config) { c.DNS = "127.0.0.1:53"; c.DNSUpstream = "127.0.0.1" }, "loop"},
		{"upstream without host", func(c *server.Config) { c.DNS = ":53"; c.DNSUpstream = ":53" }, "no host"},
		{"record without IP", func(c *server.Config) { c.DNS = ":53"; c.DNSRecords = []string{"www.example.com"} }, "NAME=IP"},
		{"record with a bad IP", func(c *server.Config) { c.DNS = ":53"; c.DNSRecords = []string{"www.example.com=1.2.3"} }, "NAME=IP"},
		{"record with a bad name", func(c *server.Config) { c.DNS = ":53"; c.DNSRecords = []string{"www..example.com=127.0.0.1"} }, "--dns-record"},
	} {
		cfg := server.DefaultConfig()
		c.edit(&cfg)
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	ok := server.DefaultConfig()
	ok.DNS, ok.Listen, ok.DNSUpstream = "127.0.0.1:5353", "localhost:8443", "[2001:db8::1]"
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	conf, _ := ok.DNSConfig(nil)
	if conf.Upstream != "[2001:db8::1]:53" || len(conf.Answer) != 1 || conf.Answer[0].String() != "127.0.0.1" {
		t.Fatalf("%+v", conf)
	}
}

// TestDNSFlags: environment, then flags; --dns-record replaces the
// environment's list and then adds to it.
func TestDNSFlags(t *testing.T) {
	env := map[string]string{"SLBCERT_DNS": "127.0.0.1:5353", "SLBCERT_DNS_UPSTREAM": "192.0.2.53", "SLBCERT_DNS_RECORDS": "a.example=127.1.0.1,b.example=127.1.0.2"}
	getenv := func(k string) string { return env[k] }
	cfg, err := server.LoadConfig(nil, getenv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DNS != "127.0.0.1:5353" || cfg.DNSUpstream != "192.0.2.53" || strings.Join(cfg.DNSRecords, " ") != "a.example=127.1.0.1 b.example=127.1.0.2" {
		t.Fatalf("from the environment: %+v", cfg)
	}
	cfg, err = server.LoadConfig([]string{"--dns-record", "c.example=127.1.0.3", "--dns-record=d.example=127.1.0.4", "--dns-answer", "10.0.0.1"}, getenv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cfg.DNSRecords, " ") != "c.example=127.1.0.3 d.example=127.1.0.4" || cfg.DNSAnswer != "10.0.0.1" {
		t.Fatalf("flags: %+v", cfg)
	}
}

// TestDNSPortBusy: a DNS address that cannot be bound stops the start,
// saying which flag.
func TestDNSPortBusy(t *testing.T) {
	taken, err := localdns.Listen("127.0.0.1:0", localdns.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	err = e2e.OpenAndClose(t.TempDir(), func(c *server.Config) { c.DNS = taken.Addr() })
	if err == nil || !strings.Contains(err.Error(), "--dns") {
		t.Fatalf("%v", err)
	}
}
