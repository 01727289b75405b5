package vpcapi_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"slbcert/localnet"
	"slbcert/server"
	"slbcert/slbcerttest"
)

// clbPortOffset keeps this test's listeners apart from other packages'.
const clbPortOffset = 23000

func slbClient(t *testing.T, srv *slbcerttest.Server) *slb.Client {
	t.Helper()
	c, err := srv.SLBClient(region)
	must(t, err)
	return c
}

// vswitch creates a VPC and a vSwitch of cidr in it.
func vswitch(t *testing.T, c *vpc.Client, vpcCidr, cidr string) (vpcID, vswID string) {
	t.Helper()
	r := vpc.CreateCreateVpcRequest()
	r.CidrBlock = vpcCidr
	v, err := c.CreateVpc(r)
	must(t, err)
	sw := vpc.CreateCreateVSwitchRequest()
	sw.VpcId, sw.ZoneId, sw.CidrBlock = v.VpcId, "cn-hangzhou-k", cidr
	s, err := c.CreateVSwitch(sw)
	must(t, err)
	return v.VpcId, s.VSwitchId
}

func available(t *testing.T, c *vpc.Client, vswID string) int64 {
	t.Helper()
	r := vpc.CreateDescribeVSwitchAttributesRequest()
	r.VSwitchId = vswID
	a, err := c.DescribeVSwitchAttributes(r)
	must(t, err)
	return a.AvailableIpAddressCount
}

// TestLoadBalancerInVSwitch: CreateLoadBalancer with a VSwitchId takes the
// vSwitch's VPC, zone and an address of its block, which the vSwitch
// counts as used until DeleteLoadBalancer, on both stores.
func TestLoadBalancerInVSwitch(t *testing.T) {
	stores(t, func(t *testing.T, srv *slbcerttest.Server) {
		vc, sc := vpcClient(t, srv), slbClient(t, srv)
		vpcID, vswID := vswitch(t, vc, "192.168.0.0/16", "192.168.8.0/29") // .1 to .4

		create := slb.CreateCreateLoadBalancerRequest()
		create.VSwitchId, create.LoadBalancerSpec = vswID, "slb.s2.small"
		lb, err := sc.CreateLoadBalancer(create)
		must(t, err)
		if lb.VpcId != vpcID || lb.VSwitchId != vswID || lb.Address != "192.168.8.1" || lb.NetworkType != "vpc" {
			t.Fatalf("CreateLoadBalancer %+v", lb)
		}
		attr := slb.CreateDescribeLoadBalancerAttributeRequest()
		attr.LoadBalancerId = lb.LoadBalancerId
		got, err := sc.DescribeLoadBalancerAttribute(attr)
		must(t, err)
		if got.Address != "192.168.8.1" || got.VpcId != vpcID || got.VSwitchId != vswID || got.NetworkType != "vpc" ||
			got.AddressType != "intranet" || got.MasterZoneId != "cn-hangzhou-k" {
			t.Errorf("DescribeLoadBalancerAttribute %+v", got)
		}
		list := slb.CreateDescribeLoadBalancersRequest()
		list.VSwitchId = vswID
		if all, err := sc.DescribeLoadBalancers(list); err != nil || all.TotalCount != 1 || all.LoadBalancers.LoadBalancer[0].Address != "192.168.8.1" {
			t.Errorf("DescribeLoadBalancers %+v, %v", all, err)
		}
		if n := available(t, vc, vswID); n != 3 {
			t.Errorf("AvailableIpAddressCount %d with one load balancer, want 3", n)
		}

		// an address asked for
		want := slb.CreateCreateLoadBalancerRequest()
		want.VSwitchId, want.Address = vswID, "192.168.8.4"
		lb4, err := sc.CreateLoadBalancer(want)
		must(t, err)
		if lb4.Address != "192.168.8.4" {
			t.Errorf("wanted address: %s", lb4.Address)
		}
		for _, tc := range []struct {
			name, address, code string
		}{
			{"taken", "192.168.8.4", "InvalidParameter"},
			{"outside", "192.168.9.1", "InvalidParameter"},
			{"reserved", "192.168.8.7", "InvalidParameter"},
			{"not an address", "x", "InvalidParameter"},
		} {
			r := slb.CreateCreateLoadBalancerRequest()
			r.VSwitchId, r.Address = vswID, tc.address
			_, err := sc.CreateLoadBalancer(r)
			wantError(t, err, tc.code, http.StatusBadRequest)
		}
		for i := 0; i < 2; i++ { // .2 and .3
			r := slb.CreateCreateLoadBalancerRequest()
			r.VSwitchId = vswID
			_, err := sc.CreateLoadBalancer(r)
			must(t, err)
		}
		full := slb.CreateCreateLoadBalancerRequest()
		full.VSwitchId = vswID
		_, err = sc.CreateLoadBalancer(full)
		wantError(t, err, "VSwitchAvailableIpNotExist", http.StatusBadRequest)
		if n := available(t, vc, vswID); n != 0 {
			t.Errorf("AvailableIpAddressCount %d of a full vSwitch", n)
		}

		for _, tc := range []struct {
			name string
			edit func(r *slb.CreateLoadBalancerRequest)
			code string
		}{
			{"unknown vSwitch", func(r *slb.CreateLoadBalancerRequest) { r.VSwitchId = "vsw-none" }, "VSwitchNotExist"},
			{"another VPC", func(r *slb.CreateLoadBalancerRequest) { r.VSwitchId, r.VpcId = vswID, "vpc-other" }, "InvalidVpcId.NotExist"},
			{"another zone", func(r *slb.CreateLoadBalancerRequest) { r.VSwitchId, r.MasterZoneId = vswID, "cn-hangzhou-h" }, "InvalidParameter"},
		} {
			r := slb.CreateCreateLoadBalancerRequest()
			tc.edit(r)
			_, err := sc.CreateLoadBalancer(r)
			wantError(t, err, tc.code, http.StatusBadRequest)
		}
		// an internet-facing load balancer in the VPC takes a pool address
		inet := slb.CreateCreateLoadBalancerRequest()
		inet.VSwitchId, inet.AddressType = vswID, "internet"
		pub, err := sc.CreateLoadBalancer(inet)
		must(t, err)
		if a := netip.MustParseAddr(pub.Address); !netip.MustParsePrefix("127.255.0.0/16").Contains(a) || pub.VpcId != vpcID {
			t.Errorf("internet load balancer in a VPC: %+v", pub)
		}

		del := vpc.CreateDeleteVSwitchRequest()
		del.VSwitchId = vswID
		_, err = vc.DeleteVSwitch(del)
		wantError(t, err, "DependencyViolation", http.StatusBadRequest)

		dl := slb.CreateDeleteLoadBalancerRequest()
		dl.LoadBalancerId = lb.LoadBalancerId
		_, err = sc.DeleteLoadBalancer(dl)
		must(t, err)
		if n := available(t, vc, vswID); n != 1 {
			t.Errorf("AvailableIpAddressCount %d after a delete, want 1", n)
		}
		again := slb.CreateCreateLoadBalancerRequest()
		again.VSwitchId = vswID
		reused, err := sc.CreateLoadBalancer(again)
		must(t, err)
		if reused.Address != "192.168.8.1" {
			t.Errorf("a released address is free again: got %s", reused.Address)
		}
	})
}

// TestLoadBalancerInVSwitchServes: a listener of a load balancer in a
// vSwitch is served at its VPC address's local image.
func TestLoadBalancerInVSwitchServes(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello from the VPC") }))
	defer backend.Close()
	host, portText, _ := net.SplitHostPort(backend.Listener.Addr().String())
	port, _ := strconv.Atoi(portText)

	srv := slbcerttest.NewServer(t, slbcerttest.WithConfig(func(c *server.Config) {
		c.LBAddressPool, c.LBPortOffset = "127.77.19.0/24", clbPortOffset
	}))
	vc, sc := vpcClient(t, srv), slbClient(t, srv)
	_, vswID := vswitch(t, vc, "172.16.0.0/12", "172.31.219.0/24")
	create := slb.CreateCreateLoadBalancerRequest()
	create.VSwitchId = vswID
	lb, err := sc.CreateLoadBalancer(create)
	must(t, err)
	if lb.Address != "172.31.219.1" {
		t.Fatalf("address %s", lb.Address)
	}
	add := slb.CreateAddBackendServersRequest()
	add.LoadBalancerId, add.BackendServers = lb.LoadBalancerId, fmt.Sprintf(`[{"ServerId":"i-web","ServerIp":%q,"Weight":100}]`, host)
	_, err = sc.AddBackendServers(add)
	must(t, err)
	l := slb.CreateCreateLoadBalancerHTTPListenerRequest()
	l.LoadBalancerId, l.ListenerPort, l.BackendServerPort = lb.LoadBalancerId, requests.NewInteger(80), requests.NewInteger(port)
	l.Bandwidth, l.StickySession, l.HealthCheck = requests.NewInteger(-1), "off", "off"
	_, err = sc.CreateLoadBalancerHTTPListener(l)
	must(t, err)
	start := slb.CreateStartLoadBalancerListenerRequest()
	start.LoadBalancerId, start.ListenerPort = lb.LoadBalancerId, requests.NewInteger(80)
	_, err = sc.StartLoadBalancerListener(start)
	must(t, err)

	image := localnet.Served(netip.MustParseAddr(lb.Address))
	url := fmt.Sprintf("http://%s/", net.JoinHostPort(image.String(), strconv.Itoa(80+clbPortOffset)))
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "hello from the VPC" {
		t.Errorf("GET %s: %d %q", url, resp.StatusCode, body)
	}
}
