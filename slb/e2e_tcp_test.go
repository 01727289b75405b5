package slb_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"io"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
)

func createTCP(e *l4Env, port int, edit ...func(*slb.CreateLoadBalancerTCPListenerRequest)) error {
	req := slb.CreateCreateLoadBalancerTCPListenerRequest()
	req.LoadBalancerId, req.ListenerPort = e.lb, requests.NewInteger(port)
	for _, f := range edit {
		f(req)
	}
	_, err := e.c.CreateLoadBalancerTCPListener(req)
	return err
}

func describeTCP(e *l4Env, port int) (*slb.DescribeLoadBalancerTCPListenerAttributeResponse, error) {
	req := slb.CreateDescribeLoadBalancerTCPListenerAttributeRequest()
	req.LoadBalancerId, req.ListenerPort = e.lb, requests.NewInteger(port)
	return e.c.DescribeLoadBalancerTCPListenerAttribute(req)
}

func setTCP(e *l4Env, port int, edit func(*slb.SetLoadBalancerTCPListenerAttributeRequest)) error {
	req := slb.CreateSetLoadBalancerTCPListenerAttributeRequest()
	req.LoadBalancerId, req.ListenerPort = e.lb, requests.NewInteger(port)
	edit(req)
	_, err := e.c.SetLoadBalancerTCPListenerAttribute(req)
	return err
}

// terraformTCPKeys are the keys Terraform's listener Read copies from a
// TCP listener, by the JSON type it asserts.
var terraformTCPKeys = map[string]string{
	"BackendServerPort": "n", "ListenerPort": "n", "Bandwidth": "n", "PersistenceTimeout": "n", "EstablishedTimeout": "n",
	"HealthCheckConnectPort": "n", "HealthyThreshold": "n", "UnhealthyThreshold": "n", "HealthCheckConnectTimeout": "n",
	"HealthCheckInterval": "n", "Scheduler": "s", "VServerGroupId": "s", "MasterSlaveServerGroupId": "s", "AclStatus": "s",
	"AclType": "s", "AclId": "s", "HealthCheck": "s", "HealthCheckType": "s", "HealthCheckDomain": "s",
	"HealthCheckMethod": "s", "HealthCheckURI": "s", "HealthCheckHttpCode": "s", "Description": "s", "AclIds": "o",
	"ProxyProtocolV2Enabled": "b", "Status": "s", "ConnectionDrain": "s", "ConnectionDrainTimeout": "n", "Tags": "o",
}

func TestTCPListenerAPI(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *l4Env) {
		must(t, createTCP(e, 80, func(r *slb.CreateLoadBalancerTCPListenerRequest) { r.BackendServerPort = requests.NewInteger(8080) }))
		t.Run("ok/defaults as Describe echoes them", func(t *testing.T) {
			d, err := describeTCP(e, 80)
			must(t, err)
			if d.Status != "stopped" || d.Bandwidth != -1 || d.Scheduler != "wrr" || d.EstablishedTimeout != 900 ||
				d.PersistenceTimeout != 0 || d.HealthCheck != "on" || d.HealthCheckType != "tcp" || d.HealthCheckConnectTimeout != 5 ||
				d.HealthCheckInterval != 2 || d.HealthyThreshold != 3 || d.UnhealthyThreshold != 3 || d.ConnectionDrain != "off" ||
				d.AclStatus != "off" || d.BackendServerPort != 8080 || d.ProxyProtocolV2Enabled || d.ListenerPort != 80 {
				t.Fatalf("%+v", d)
			}
			raw := e.mustCall(t, "DescribeLoadBalancerTCPListenerAttribute", map[string]string{"LoadBalancerId": e.lb, "ListenerPort": "80"})
			checkJSONTypes(t, "TCP attribute", raw, terraformTCPKeys)
			for _, k := range []string{"StickySession", "Gzip", "CookieTimeout", "XForwardedFor", "RequestTimeout"} {
				if _, ok := raw[k]; ok {
					t.Errorf("an HTTP-only key in a TCP answer: %s", k)
				}
			}
		})
		t.Run("ok/every parameter, both casings of healthCheckInterval", func(t *testing.T) {
			g := e.vserverGroup(t, 9001)
			must(t, createTCP(e, 81, func(r *slb.CreateLoadBalancerTCPListenerRequest) {
				r.VServerGroupId, r.Bandwidth, r.Scheduler = g, requests.NewInteger(50), "tch"
				r.PersistenceTimeout, r.EstablishedTimeout = requests.NewInteger(60), requests.NewInteger(120)
				r.ConnectionDrain, r.ConnectionDrainTimeout = "on", requests.NewInteger(30)
				r.ProxyProtocolV2Enabled, r.HealthCheckSwitch, r.HealthCheckType = requests.NewBoolean(true), "on", "http"
				r.HealthCheckURI, r.HealthCheckDomain, r.HealthCheckHttpCode = "/health", "$_ip", "http_2xx,http_3xx"
				r.HealthCheckConnectPort, r.HealthCheckConnectTimeout = requests.NewInteger(9100), requests.NewInteger(8)
				r.HealthCheckInterval, r.HealthyThreshold, r.UnhealthyThreshold = requests.NewInteger(7), requests.NewInteger(4), requests.NewInteger(5)
				r.Description = "tcp one"
				r.Tag = &[]slb.CreateLoadBalancerTCPListenerTag{{Key: "env", Value: "test"}}
			}))
			d, err := describeTCP(e, 81)
			must(t, err)
			if d.VServerGroupId != g || d.Bandwidth != 50 || d.Scheduler != "tch" || d.PersistenceTimeout != 60 || d.EstablishedTimeout != 120 ||
				d.ConnectionDrain != "on" || d.ConnectionDrainTimeout != 30 || !d.ProxyProtocolV2Enabled || d.HealthCheckType != "http" ||
				d.HealthCheckURI != "/health" || d.HealthCheckHttpCode != "http_2xx,http_3xx" || d.HealthCheckConnectPort != 9100 ||
				d.HealthCheckConnectTimeout != 8 || d.HealthCheckInterval != 7 || d.HealthyThreshold != 4 || d.UnhealthyThreshold != 5 ||
				d.Description != "tcp one" || len(d.Tags.Tag) != 1 || d.Tags.Tag[0].TagKey != "env" {
				t.Fatalf("%+v", d)
			}
			must(t, setTCP(e, 81, func(r *slb.SetLoadBalancerTCPListenerAttributeRequest) {
				r.HealthCheckInterval = requests.NewInteger(9) // HealthCheckInterval, upper camel in Set
				r.Description = "renamed"
			}))
			if d, _ := describeTCP(e, 81); d.HealthCheckInterval != 9 || d.Description != "renamed" || d.Scheduler != "tch" || d.EstablishedTimeout != 120 {
				t.Fatalf("a partial Set: %+v", d)
			}
			// The lower-camel spelling is accepted on Set too.
			e.mustCall(t, "SetLoadBalancerTCPListenerAttribute", map[string]string{"LoadBalancerId": e.lb, "ListenerPort": "81", "healthCheckInterval": "11"})
			if d, _ := describeTCP(e, 81); d.HealthCheckInterval != 11 {
				t.Fatalf("healthCheckInterval on Set: %d", d.HealthCheckInterval)
			}
		})
		t.Run("ok/Terraform's first Set: HTTP-only parameters ignored, the group re-set", func(t *testing.T) {
			g := e.vserverGroup(t, 9002)
			must(t, createTCP(e, 82, func(r *slb.CreateLoadBalancerTCPListenerRequest) {
				r.VServerGroupId = g
				r.AclStatus, r.Scheduler = "off", "wrr"
			}))
			e.mustCall(t, "SetLoadBalancerTCPListenerAttribute", map[string]string{"LoadBalancerId": e.lb, "ListenerPort": "82",
				"StickySession": "off", "HealthCheck": "on", "RequestTimeout": "0", "IdleTimeout": "0", "Gzip": "on",
				"UnhealthyThreshold": "3", "HealthyThreshold": "3", "HealthCheckConnectTimeout": "5", "HealthCheckInterval": "2",
				"HealthCheckType": "tcp", "EstablishedTimeout": "900", "VServerGroup": "on", "VServerGroupId": g,
				"Bandwidth": "-1", "AclStatus": "off", "Scheduler": "wrr", "HealthCheckURI": "/", "HealthCheckConnectPort": "-520"})
			if d, _ := describeTCP(e, 82); d.VServerGroupId != g || d.HealthCheckConnectPort != -520 {
				t.Fatalf("%+v", d)
			}
		})
		t.Run("error/create", func(t *testing.T) {
			shared := slb.CreateCreateLoadBalancerRequest()
			lb2, err := e.c.CreateLoadBalancer(shared)
			must(t, err)
			for _, c := range []struct {
				name   string
				edit   func(*slb.CreateLoadBalancerTCPListenerRequest)
				code   string
				status int
			}{
				{"unknown load balancer", func(r *slb.CreateLoadBalancerTCPListenerRequest) { r.LoadBalancerId = "lb-nope" }, "InvalidLoadBalancerId.NotFound", 404},
				{"no backend port", func(r *slb.CreateLoadBalancerTCPListenerRequest) { r.BackendServerPort = "" }, "MissingParameter", 400},
				{"port taken in the family", func(r *slb.CreateLoadBalancerTCPListenerRequest) { r.ListenerPort = "80" }, "ListenerAlreadyExists", 400},
				{"qch is UDP's", func(r *slb.CreateLoadBalancerTCPListenerRequest) { r.Scheduler = "qch" }, "InvalidParameter", 400},
				{"an unknown scheduler", func(r *slb.CreateLoadBalancerTCPListenerRequest) { r.Scheduler = "lc" }, "InvalidParameter", 400},
				{"established timeout out of range", func(r *slb.CreateLoadBalancerTCPListenerRequest) { r.EstablishedTimeout = "5" }, "InvalidParameter", 400},
				{"persistence out of range", func(r *slb.CreateLoadBalancerTCPListenerRequest) { r.PersistenceTimeout = "3601" }, "InvalidParameter", 400},
				{"drain without its timeout", func(r *slb.CreateLoadBalancerTCPListenerRequest) { r.ConnectionDrain = "on" }, "MissingParameter", 400},
				{"drain timeout out of range", func(r *slb.CreateLoadBalancerTCPListenerRequest) {
					r.ConnectionDrain, r.ConnectionDrainTimeout = "on", "901"
				}, "InvalidParameter", 400},
				{"health check type", func(r *slb.CreateLoadBalancerTCPListenerRequest) { r.HealthCheckType = "udp" }, "InvalidParameter", 400},
				{"unknown VServer group", func(r *slb.CreateLoadBalancerTCPListenerRequest) { r.VServerGroupId = "rsp-nope" }, "InvalidParameter", 404},
				{"unknown master-slave group", func(r *slb.CreateLoadBalancerTCPListenerRequest) { r.MasterSlaveServerGroupId = "rsp-nope" }, "InvalidParameter", 404},
				{"both groups", func(r *slb.CreateLoadBalancerTCPListenerRequest) {
					r.VServerGroupId, r.MasterSlaveServerGroupId = "rsp-a", "rsp-b"
				}, "Abs.VServerGroupIdAndMasterSlaveServerGroupId.MissMatch", 400},
				{"ACL on without an id", func(r *slb.CreateLoadBalancerTCPListenerRequest) { r.AclStatus, r.AclType = "on", "white" }, "MissingParameter", 400},
				{"unknown ACL", func(r *slb.CreateLoadBalancerTCPListenerRequest) {
					r.AclStatus, r.AclType, r.AclId = "on", "white", "acl-nope"
				}, "AclNotExist", 400},
				{"a hash scheduler on a shared-resource instance", func(r *slb.CreateLoadBalancerTCPListenerRequest) {
					r.LoadBalancerId, r.Scheduler = lb2.LoadBalancerId, "sch"
				}, "OperationDenied.SharedInstanceNotSupport", 400},
				{"a port range", func(r *slb.CreateLoadBalancerTCPListenerRequest) {
					r.PortRange = &[]slb.CreateLoadBalancerTCPListenerPortRange{{StartPort: "100", EndPort: "200"}}
				}, "InvalidParameter", 400},
			} {
				t.Run(c.name, func(t *testing.T) {
					err := createTCP(e, 90, func(r *slb.CreateLoadBalancerTCPListenerRequest) {
						r.BackendServerPort = requests.NewInteger(80)
						c.edit(r)
					})
					wantErr(t, err, c.code, c.status)
				})
			}
			err = createTCP(e, 90, func(r *slb.CreateLoadBalancerTCPListenerRequest) {
				r.BackendServerPort, r.MasterSlaveServerGroupId = requests.NewInteger(80), "rsp-nope"
			})
			wantMessage(t, err, "The specified MasterSlaveGroupId does not exist.")
			if _, err := describeTCP(e, 90); err == nil {
				t.Fatal("a refused create left a listener")
			}
		})
		t.Run("error/describe and set", func(t *testing.T) {
			_, err := describeTCP(e, 99)
			wantErr(t, err, "InvalidParameter", 400)
			wantMessage(t, err, "The specified resource does not exist")
			wantErr(t, setTCP(e, 99, func(*slb.SetLoadBalancerTCPListenerAttributeRequest) {}), "InvalidParameter", 400)
			wantErr(t, setTCP(e, 80, func(r *slb.SetLoadBalancerTCPListenerAttributeRequest) { r.Scheduler = "sch" }), "InvalidParameter", 400)
			wantErr(t, setTCP(e, 80, func(r *slb.SetLoadBalancerTCPListenerAttributeRequest) { r.EstablishedTimeout = "1000" }), "InvalidParameter", 400)
			wantErr(t, setTCP(e, 80, func(r *slb.SetLoadBalancerTCPListenerAttributeRequest) {
				r.VServerGroup, r.MasterSlaveServerGroup = "on", "on"
			}), "Abs.VServerGroupIdAndMasterSlaveServerGroupId.MissMatch", 400)
			wantErr(t, setTCP(e, 80, func(r *slb.SetLoadBalancerTCPListenerAttributeRequest) {
				r.VServerGroupId, r.VServerGroup = "rsp-nope", "on"
			}), "InvalidParameter", 404)
			if d, _ := describeTCP(e, 80); d.Scheduler != "wrr" || d.EstablishedTimeout != 900 {
				t.Fatalf("refused Sets changed %+v", d)
			}
			// An HTTP listener is not a TCP one, for Describe nor Set.
			http := slb.CreateCreateLoadBalancerHTTPListenerRequest()
			http.LoadBalancerId, http.ListenerPort, http.BackendServerPort, http.Bandwidth = e.lb, requests.NewInteger(8000), requests.NewInteger(80), requests.NewInteger(-1)
			http.StickySession, http.HealthCheck = "off", "off"
			_, err = e.c.CreateLoadBalancerHTTPListener(http)
			must(t, err)
			_, err = describeTCP(e, 8000)
			wantErr(t, err, "InvalidParameter", 400)
			wantErr(t, setTCP(e, 8000, func(*slb.SetLoadBalancerTCPListenerAttributeRequest) {}), "UnsupportedOperationonfixedprotocalport", 400)
		})
	})
}

// TestListenerPortFamilies: a UDP listener may share a port with a TCP or
// HTTP one; two of the TCP family may not; Start/Stop/Delete then need
// ListenerProtocol.
func TestListenerPortFamilies(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *l4Env) {
		must(t, createTCP(e, 53, func(r *slb.CreateLoadBalancerTCPListenerRequest) { r.BackendServerPort = requests.NewInteger(53) }))
		must(t, createUDP(e, 53, func(r *slb.CreateLoadBalancerUDPListenerRequest) { r.BackendServerPort = requests.NewInteger(53) }))
		wantErr(t, createUDP(e, 53, func(r *slb.CreateLoadBalancerUDPListenerRequest) { r.BackendServerPort = requests.NewInteger(53) }), "ListenerAlreadyExists", 400)
		http := slb.CreateCreateLoadBalancerHTTPListenerRequest()
		http.LoadBalancerId, http.ListenerPort, http.BackendServerPort, http.Bandwidth = e.lb, requests.NewInteger(53), requests.NewInteger(80), requests.NewInteger(-1)
		http.StickySession, http.HealthCheck = "off", "off"
		_, err := e.c.CreateLoadBalancerHTTPListener(http)
		wantErr(t, err, "ListenerAlreadyExists", 400)

		start := slb.CreateStartLoadBalancerListenerRequest()
		start.LoadBalancerId, start.ListenerPort = e.lb, requests.NewInteger(53)
		_, err = e.c.StartLoadBalancerListener(start)
		wantErr(t, err, "MissingParameter", 400)
		wantMessage(t, err, "ListenerProtocol")
		start.ListenerProtocol = "https"
		_, err = e.c.StartLoadBalancerListener(start)
		wantErr(t, err, "ListenerNotFound", 404)
		e.start(t, 53, "udp")
		if d, _ := describeTCP(e, 53); d.Status != "stopped" {
			t.Fatalf("starting the UDP listener started the TCP one: %s", d.Status)
		}
		if d, _ := describeUDP(e, 53); d.Status != "running" {
			t.Fatalf("UDP %s", d.Status)
		}

		attr := slb.CreateDescribeLoadBalancerAttributeRequest()
		attr.LoadBalancerId = e.lb
		a, err := e.c.DescribeLoadBalancerAttribute(attr)
		must(t, err)
		got := map[string]bool{}
		for _, p := range a.ListenerPortsAndProtocol.ListenerPortAndProtocol {
			got[p.ListenerProtocol+"/"+strconv.Itoa(p.ListenerPort)] = true
		}
		if !got["tcp/53"] || !got["udp/53"] || len(a.ListenerPorts.ListenerPort) != 1 {
			t.Fatalf("ListenerPortsAndProtocol %+v, ListenerPorts %v", a.ListenerPortsAndProtocol, a.ListenerPorts)
		}

		list := slb.CreateDescribeLoadBalancerListenersRequest()
		list.LoadBalancerId = &[]string{e.lb}
		list.ListenerProtocol = "udp"
		ls, err := e.c.DescribeLoadBalancerListeners(list)
		must(t, err)
		if len(ls.Listeners) != 1 || ls.Listeners[0].ListenerProtocol != "udp" || ls.Listeners[0].UDPListenerConfig.HealthCheckSwitch != "on" ||
			ls.Listeners[0].UDPListenerConfig.ProxyProtocolV2Enabled != "false" {
			t.Fatalf("%+v", ls.Listeners)
		}
		list.ListenerProtocol = "tcp"
		ls, err = e.c.DescribeLoadBalancerListeners(list)
		must(t, err)
		if len(ls.Listeners) != 1 || ls.Listeners[0].TCPListenerConfig.EstablishedTimeout != 900 || ls.Listeners[0].Status != "stopped" {
			t.Fatalf("%+v", ls.Listeners)
		}

		del := slb.CreateDeleteLoadBalancerListenerRequest()
		del.LoadBalancerId, del.ListenerPort = e.lb, requests.NewInteger(53)
		_, err = e.c.DeleteLoadBalancerListener(del)
		wantErr(t, err, "MissingParameter", 400)
		del.ListenerProtocol = "udp"
		_, err = e.c.DeleteLoadBalancerListener(del)
		must(t, err)
		_, err = e.c.DeleteLoadBalancerListener(del)
		wantErr(t, err, "ListenerNotFound", 404)
		if _, err := describeTCP(e, 53); err != nil {
			t.Fatalf("deleting the UDP listener took the TCP one: %v", err)
		}
		// Alone on its port, a listener needs no ListenerProtocol.
		e.start(t, 53, "")
		stop := slb.CreateStopLoadBalancerListenerRequest()
		stop.LoadBalancerId, stop.ListenerPort = e.lb, requests.NewInteger(53)
		_, err = e.c.StopLoadBalancerListener(stop)
		must(t, err)
	})
}

// TestTCPListenerTraffic relays real connections through a running TCP
// listener: a large transfer both ways, a half-close, a backend going
// away, DescribeHealthStatus.
func TestTCPListenerTraffic(t *testing.T) {
	e := newL4Env(t, "sqlite")
	p1, stop1 := tcpEchoBackend(t, "")
	p2, _ := tcpEchoBackend(t, "")
	g := e.vserverGroup(t, p1, p2)
	must(t, createTCP(e, 80, func(r *slb.CreateLoadBalancerTCPListenerRequest) {
		r.VServerGroupId, r.Scheduler, r.HealthCheckInterval = g, "rr", requests.NewInteger(1)
		r.HealthCheckConnectTimeout, r.HealthyThreshold, r.UnhealthyThreshold = requests.NewInteger(1), requests.NewInteger(2), requests.NewInteger(2)
	}))
	e.start(t, 80, "tcp")
	addr := e.bound(80)

	t.Run("ok/32 MiB both ways", func(t *testing.T) {
		c, err := net.Dial("tcp", addr)
		must(t, err)
		defer c.Close()
		const size = 32 << 20
		sent := sha256.New()
		go func() {
			buf := make([]byte, 1<<20)
			for n := 0; n < size; n += len(buf) {
				rand.Read(buf)
				sent.Write(buf)
				c.Write(buf)
			}
			c.(*net.TCPConn).CloseWrite()
		}()
		got := sha256.New()
		c.SetDeadline(time.Now().Add(60 * time.Second))
		n, err := io.Copy(got, c)
		if err != nil || n != size || !bytes.Equal(got.Sum(nil), sent.Sum(nil)) {
			t.Fatalf("%d of %d bytes, %v", n, size, err)
		}
	})
	t.Run("ok/half-close", func(t *testing.T) {
		c, err := net.Dial("tcp", addr)
		must(t, err)
		defer c.Close()
		io.WriteString(c, "half")
		c.(*net.TCPConn).CloseWrite()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		if b, err := io.ReadAll(c); string(b) != "half" {
			t.Fatalf("%q %v", b, err)
		}
	})
	t.Run("ok/a backend going away turns abnormal and gets nothing", func(t *testing.T) {
		health := func() map[string]string {
			req := slb.CreateDescribeHealthStatusRequest()
			req.LoadBalancerId = e.lb
			resp, err := e.c.DescribeHealthStatus(req)
			must(t, err)
			m := map[string]string{}
			for _, b := range resp.BackendServers.BackendServer {
				if b.Protocol != "tcp" || b.ListenerPort != 80 {
					t.Fatalf("row %+v", b)
				}
				m[strconv.Itoa(b.Port)] = b.ServerHealthStatus
			}
			return m
		}
		eventually(t, 5*time.Second, "both normal", func() bool {
			h := health()
			return h[strconv.Itoa(p1)] == "normal" && h[strconv.Itoa(p2)] == "normal"
		})
		stop1()
		eventually(t, 10*time.Second, "the stopped backend abnormal", func() bool { return health()[strconv.Itoa(p1)] == "abnormal" })
		for range 6 {
			c, err := net.Dial("tcp", addr)
			must(t, err)
			io.WriteString(c, "x")
			c.(*net.TCPConn).CloseWrite()
			c.SetDeadline(time.Now().Add(5 * time.Second))
			if b, _ := io.ReadAll(c); string(b) != "x" {
				t.Fatalf("a connection went to the dead backend: %q", b)
			}
			c.Close()
		}
	})
	t.Run("ok/stopped: the port closes", func(t *testing.T) {
		stop := slb.CreateStopLoadBalancerListenerRequest()
		stop.LoadBalancerId, stop.ListenerPort, stop.ListenerProtocol = e.lb, requests.NewInteger(80), "tcp"
		_, err := e.c.StopLoadBalancerListener(stop)
		must(t, err)
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			t.Fatal("a stopped listener accepts")
		}
	})
}
