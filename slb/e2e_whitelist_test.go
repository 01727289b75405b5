package slb_test

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
)

// TestLegacyWhitelist: SetListenerAccessControlStatus,
// Add/RemoveListenerWhiteListItem, DescribeListenerAccessControlAttribute,
// and what an open whitelist does to real connections (nothing gets in
// while it is empty).
func TestLegacyWhitelist(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *l4Env) {
		tp, _ := tcpEchoBackend(t, "hi")
		g := e.vserverGroup(t, tp)
		must(t, createTCP(e, 80, func(r *slb.CreateLoadBalancerTCPListenerRequest) { r.VServerGroupId, r.HealthCheckSwitch = g, "off" }))
		e.start(t, 80, "tcp")
		allowed, other := loopbackIP(t), loopbackIP(t)
		describe := func() *slb.DescribeListenerAccessControlAttributeResponse {
			req := slb.CreateDescribeListenerAccessControlAttributeRequest()
			req.LoadBalancerId, req.ListenerPort = e.lb, requests.NewInteger(80)
			resp, err := e.c.DescribeListenerAccessControlAttribute(req)
			must(t, err)
			return resp
		}
		status := func(s string) error {
			req := slb.CreateSetListenerAccessControlStatusRequest()
			req.LoadBalancerId, req.ListenerPort, req.AccessControlStatus = e.lb, requests.NewInteger(80), s
			_, err := e.c.SetListenerAccessControlStatus(req)
			return err
		}
		items := func(add bool, list string) error {
			if add {
				req := slb.CreateAddListenerWhiteListItemRequest()
				req.LoadBalancerId, req.ListenerPort, req.SourceItems = e.lb, requests.NewInteger(80), list
				_, err := e.c.AddListenerWhiteListItem(req)
				return err
			}
			req := slb.CreateRemoveListenerWhiteListItemRequest()
			req.LoadBalancerId, req.ListenerPort, req.SourceItems = e.lb, requests.NewInteger(80), list
			_, err := e.c.RemoveListenerWhiteListItem(req)
			return err
		}
		admitted := func(src string) bool { line, err := greetFrom(src, e.bound(80)); return err == nil && line == "hi" }

		if d := describe(); d.AccessControlStatus != "close" || d.SourceItems != "" {
			t.Fatalf("default %+v", d)
		}
		must(t, items(true, allowed+",10.0.0.0/8"))
		if !admitted(other) {
			t.Fatal("items refuse while the whitelist is closed")
		}
		must(t, status("open_white_list"))
		if d := describe(); d.AccessControlStatus != "open_white_list" || d.SourceItems != allowed+",10.0.0.0/8" {
			t.Fatalf("%+v", d)
		}
		if !admitted(allowed) || admitted(other) {
			t.Fatal("an open whitelist admits its items only")
		}
		must(t, items(false, allowed+",10.0.0.0/8,1.2.3.4"))
		if d := describe(); d.SourceItems != "" {
			t.Fatalf("%+v", d)
		}
		if admitted(allowed) {
			t.Fatal("an open, empty whitelist admits someone")
		}
		for _, c := range []struct {
			name, list string
			code       string
		}{
			{"everyone", "0.0.0.0/0", "InvalidParameter"},
			{"0.0.0.0", "0.0.0.0", "InvalidParameter"},
			{"malformed", "10.0.0.300", "InvalidParameter"},
			{"none", "", "MissingParameter"},
		} {
			t.Run("error/"+c.name, func(t *testing.T) { wantErr(t, items(true, c.list), c.code, 400) })
		}
		wantErr(t, status("open"), "InvalidParameter", 400)
		must(t, status("close"))
		if !admitted(other) {
			t.Fatal("closed again, still refused")
		}
		req := slb.CreateDescribeListenerAccessControlAttributeRequest()
		req.LoadBalancerId, req.ListenerPort = e.lb, requests.NewInteger(81)
		_, err := e.c.DescribeListenerAccessControlAttribute(req)
		wantErr(t, err, "ListenerNotFound", 404)
	})
}
