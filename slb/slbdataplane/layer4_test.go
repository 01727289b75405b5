package slbdataplane_test

import (
	"net/netip"
	"reflect"
	"testing"
	"time"

	"slbcert/dataplane"
	"slbcert/slb"
	"slbcert/slb/slbdataplane"
)

func TestTranslationLayer4AndAccessControl(t *testing.T) {
	f := newFixture(t)
	for _, a := range []*slb.ACL{
		{ID: "acl-1", Name: "one", Entries: []slb.ACLEntry{{Entry: "10.0.0.1/24"}, {Entry: "192.168.0.9"}}},
		{ID: "acl-2", Name: "two", Entries: []slb.ACLEntry{{Entry: "2001:db8::/32"}}},
		{ID: "acl-empty", Name: "empty"},
	} {
		a.AccountID, a.RegionID, a.AddressIPVersion, a.CreateTime = account, "cn-hangzhou", "ipv4", time.Now()
		if err := f.store.CreateACL(ctx, a, 100); err != nil {
			t.Fatal(err)
		}
	}
	f.listener(&slb.Listener{Port: 80, Protocol: slb.ProtocolTCP, ACLIDs: []string{"acl-1", "acl-2"}, Config: slb.ListenerConfig{
		BackendServerPort: 9000, Scheduler: "sch", PersistenceTimeout: 30, EstablishedTimeout: 100,
		ConnectionDrain: "on", ConnectionDrainTimeout: 20, ProxyProtocolV2Enabled: true,
		HealthCheck: "on", HealthCheckType: "tcp", HealthCheckConnectTimeout: 4, HealthCheckInterval: 3, HealthCheckConnectPort: -520,
		AclStatus: "on", AclType: "black", AclIDs: "acl-1,acl-2"}})
	f.listener(&slb.Listener{Port: 80, Protocol: slb.ProtocolUDP, ACLIDs: []string{"acl-empty"}, Config: slb.ListenerConfig{
		BackendServerPort: 53, Scheduler: "qch", EstablishedTimeout: 100, ConnectionDrain: "off", ConnectionDrainTimeout: 20,
		HealthCheck: "on", HealthCheckReq: "ping", HealthCheckExp: "pong",
		AclStatus: "on", AclType: "white", AclIDs: "acl-empty",
		AccessControlStatus: "open_white_list", SourceItems: "127.0.0.1,10.1.0.0/16"}})
	f.listener(&slb.Listener{Port: 81, Protocol: slb.ProtocolTCP, Config: slb.ListenerConfig{
		BackendServerPort: 9000, HealthCheck: "on", HealthCheckType: "http", HealthCheckURI: "/h", HealthCheckConnectTimeout: 7,
		AccessControlStatus: "open_white_list"}})

	src, err := slbdataplane.New(f.store, slbdataplane.Translation{Keyring: f.ring, PortOffset: 10000})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	cfg, err := src.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := byID(cfg)
	tcp, udp, web := got["lb-1_tcp_80"], got["lb-1_udp_80"], got["lb-1_tcp_81"]
	if tcp.Bind != f.lb.Address+":10080" || udp.Bind != f.lb.Address+":10080" || tcp.Protocol != dataplane.ProtocolTCP || udp.Protocol != dataplane.ProtocolUDP {
		t.Fatalf("binds %q %q", tcp.Bind, udp.Bind)
	}
	if tcp.Refused != "" || udp.Refused != "" || web.Refused != "" {
		t.Fatalf("refused: %q %q %q", tcp.Refused, udp.Refused, web.Refused)
	}
	if tcp.Scheduler != "sch" || tcp.PersistenceTimeout != 30*time.Second || tcp.EstablishedTimeout != 100*time.Second ||
		tcp.ConnectionDrain != 20*time.Second || !tcp.ProxyProtocolV2 || len(tcp.Backends) != 3 || tcp.Backends[0].Address != "127.0.0.5:9000" {
		t.Errorf("tcp %+v", tcp)
	}
	if hc := tcp.HealthCheck; !hc.Enabled || hc.Type != "tcp" || hc.Timeout != 4*time.Second || hc.Interval != 3*time.Second || hc.ConnectPort != 0 {
		t.Errorf("tcp health %+v", hc)
	}
	want := []dataplane.AccessControl{{Type: dataplane.AccessBlack, Entries: []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/24"), netip.MustParsePrefix("192.168.0.9/32"), netip.MustParsePrefix("2001:db8::/32")}}}
	if !reflect.DeepEqual(tcp.AccessControl, want) {
		t.Errorf("tcp access %+v", tcp.AccessControl)
	}
	// The empty ACL filters nothing; the legacy whitelist does.
	want = []dataplane.AccessControl{{Type: dataplane.AccessWhite, Entries: []netip.Prefix{
		netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.1.0.0/16")}}}
	if !reflect.DeepEqual(udp.AccessControl, want) || udp.EstablishedTimeout != 0 || udp.ConnectionDrain != 0 ||
		udp.HealthCheck.UDPRequest != "ping" || udp.HealthCheck.UDPExpect != "pong" || udp.Scheduler != "qch" {
		t.Errorf("udp %+v", udp)
	}
	if hc := web.HealthCheck; hc.Type != "http" || hc.URI != "/h" || hc.Timeout != 7*time.Second {
		t.Errorf("tcp http health %+v", hc)
	}
	if len(web.AccessControl) != 1 || len(web.AccessControl[0].Entries) != 0 {
		t.Errorf("an open whitelist without items admits nobody: %+v", web.AccessControl)
	}
	for _, l := range cfg.Listeners {
		if err := l.Validate(); err != nil {
			t.Errorf("%s: %v", l.ID, err)
		}
	}
}
