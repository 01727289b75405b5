package server

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"slbcert/localdns"
)

// serveDNS starts the DNS server when --dns asks for one: clients that
// hard-code Alibaba Cloud's endpoints resolve them to the API.
func (m *Main) serveDNS() error {
	if m.Config.DNS == "" {
		return nil
	}
	var api net.IP
	if a, ok := m.listener.Addr().(*net.TCPAddr); ok {
		api = a.IP
	}
	conf, err := m.Config.dnsConfig(api)
	if err != nil {
		return err
	}
	if m.dns, err = localdns.Listen(m.Config.DNS, conf); err != nil {
		return fmt.Errorf("--dns %s: %w", m.Config.DNS, err)
	}
	return nil
}

// dnsConfig checks the --dns flags and builds the DNS server's
// configuration; api is the address the API listens on (nil when only
// checking, before it listens).
func (c *Config) dnsConfig(api net.IP) (localdns.Config, error) {
	conf := localdns.Config{Zones: caZones, Records: map[string][]netip.Addr{}}
	if c.DNS == "" {
		if c.DNSAnswer != "" || c.DNSUpstream != "" || len(c.DNSRecords) > 0 {
			return conf, errors.New("--dns-answer, --dns-upstream and --dns-record need --dns")
		}
		return conf, nil
	}
	if _, _, err := net.SplitHostPort(c.DNS); err != nil {
		return conf, fmt.Errorf("--dns %q is not host:port (127.0.0.1:53)", c.DNS)
	}
	for _, a := range strings.Split(c.DNSAnswer, ",") {
		if a = strings.TrimSpace(a); a == "" {
			continue
		}
		ip, err := netip.ParseAddr(a)
		if err != nil || ip.IsUnspecified() || ip.Zone() != "" {
			return conf, fmt.Errorf("--dns-answer %q is not an IP address clients can reach", a)
		}
		conf.Answer = append(conf.Answer, ip.Unmap())
	}
	if len(conf.Answer) == 0 {
		ip, err := listenAnswer(c.Listen, api)
		if err != nil {
			return conf, err
		}
		if ip.IsValid() {
			conf.Answer = append(conf.Answer, ip)
		}
	}
	if u := c.DNSUpstream; u != "" {
		if _, _, err := net.SplitHostPort(u); err != nil {
			u = net.JoinHostPort(strings.Trim(u, "[]"), "53")
		}
		host, _, _ := net.SplitHostPort(u)
		if host == "" {
			return conf, fmt.Errorf("--dns-upstream %q names no host", c.DNSUpstream)
		}
		if u == c.DNS {
			return conf, errors.New("--dns-upstream is --dns itself: other names would loop")
		}
		conf.Upstream = u
	}
	for _, r := range c.DNSRecords {
		name, addr, ok := strings.Cut(strings.TrimSpace(r), "=")
		ip, err := netip.ParseAddr(strings.TrimSpace(addr))
		if !ok || err != nil {
			return conf, fmt.Errorf("--dns-record %q is not NAME=IP", r)
		}
		if err := localdns.CheckName(name); err != nil {
			return conf, fmt.Errorf("--dns-record %q: %w", r, err)
		}
		key := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(name), "."))
		conf.Records[key] = append(conf.Records[key], ip.Unmap())
	}
	return conf, nil
}

// listenAnswer is the address --dns answers with by default: the one the
// API listens on, which must be one a client can reach (not 0.0.0.0).
func listenAnswer(listen string, api net.IP) (netip.Addr, error) {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("--listen %q is not host:port", listen)
	}
	if api != nil && !api.IsUnspecified() {
		ip, _ := netip.AddrFromSlice(api)
		return ip.Unmap(), nil
	}
	if host == "localhost" {
		return netip.MustParseAddr("127.0.0.1"), nil
	}
	if ip, err := netip.ParseAddr(host); err == nil && !ip.IsUnspecified() {
		return ip.Unmap(), nil
	}
	return netip.Addr{}, fmt.Errorf("--dns needs --dns-answer IP: the API listens on %q, which is no address to give clients", listen)
}

// DNSAddr returns the address DNS is served on, or "" without --dns.
func (m *Main) DNSAddr() string {
	if m.dns == nil {
		return ""
	}
	return m.dns.Addr()
}
