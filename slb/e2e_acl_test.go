package slb_test

import (
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/server"
)

func createACL(t *testing.T, e *l4Env, name string, edit ...func(*slb.CreateAccessControlListRequest)) string {
	t.Helper()
	req := slb.CreateCreateAccessControlListRequest()
	req.AclName = name
	for _, f := range edit {
		f(req)
	}
	resp, err := e.c.CreateAccessControlList(req)
	must(t, err)
	if !strings.HasPrefix(resp.AclId, "acl-") {
		t.Fatalf("AclId %q", resp.AclId)
	}
	return resp.AclId
}

// entries is an AclEntrys parameter: pairs of entry and comment.
func entries(kv ...string) string {
	var list []map[string]string
	for i := 0; i < len(kv); i += 2 {
		m := map[string]string{"entry": kv[i]}
		if kv[i+1] != "" {
			m["comment"] = kv[i+1]
		}
		list = append(list, m)
	}
	b, _ := json.Marshal(list)
	return string(b)
}

func addEntries(e *l4Env, acl, list string) error {
	req := slb.CreateAddAccessControlListEntryRequest()
	req.AclId, req.AclEntrys = acl, list
	_, err := e.c.AddAccessControlListEntry(req)
	return err
}

func removeEntries(e *l4Env, acl, list string) error {
	req := slb.CreateRemoveAccessControlListEntryRequest()
	req.AclId, req.AclEntrys = acl, list
	_, err := e.c.RemoveAccessControlListEntry(req)
	return err
}

func aclAttribute(e *l4Env, acl string, edit ...func(*slb.DescribeAccessControlListAttributeRequest)) (*slb.DescribeAccessControlListAttributeResponse, error) {
	req := slb.CreateDescribeAccessControlListAttributeRequest()
	req.AclId = acl
	for _, f := range edit {
		f(req)
	}
	return e.c.DescribeAccessControlListAttribute(req)
}

func TestACLAPI(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *l4Env) {
		acl := createACL(t, e, "office", func(r *slb.CreateAccessControlListRequest) {
			r.Tag = &[]slb.CreateAccessControlListTag{{Key: "team", Value: "net"}}
		})
		v6 := createACL(t, e, "office-v6", func(r *slb.CreateAccessControlListRequest) { r.AddressIPVersion = "ipv6" })

		t.Run("ok/entries added in order, verbatim, duplicates in one call once", func(t *testing.T) {
			must(t, addEntries(e, acl, entries("10.0.0.0/24", "lan", "192.168.1.7", "", "10.0.1.0/24", "wan", "10.0.1.0/24", "again")))
			// Terraform's single quotes.
			must(t, addEntries(e, acl, `[{'entry':'172.16.0.0/12','comment':'tf'}]`))
			must(t, addEntries(e, v6, entries("1082:0:0:7::a/128", "v6", "2001:db8::/32", "")))
			a, err := aclAttribute(e, acl)
			must(t, err)
			var got []string
			for _, x := range a.AclEntrys.AclEntry {
				got = append(got, x.AclEntryIP+"|"+x.AclEntryComment)
			}
			want := "10.0.0.0/24|lan 192.168.1.7| 10.0.1.0/24|wan 172.16.0.0/12|tf"
			if strings.Join(got, " ") != want || a.TotalAclEntry != 4 || a.AclName != "office" || a.AddressIPVersion != "ipv4" ||
				len(a.Tags.Tag) != 1 || a.ResourceGroupId == "" || a.CreateTime == "" {
				t.Fatalf("%+v\nentries %v", a, got)
			}
		})
		t.Run("ok/paging and the comment filter", func(t *testing.T) {
			a, err := aclAttribute(e, acl, func(r *slb.DescribeAccessControlListAttributeRequest) {
				r.Page, r.PageSize = requests.NewInteger(2), requests.NewInteger(3)
			})
			must(t, err)
			if len(a.AclEntrys.AclEntry) != 1 || a.AclEntrys.AclEntry[0].AclEntryIP != "172.16.0.0/12" || a.TotalAclEntry != 4 {
				t.Fatalf("page 2 of 3: %+v", a.AclEntrys)
			}
			a, err = aclAttribute(e, acl, func(r *slb.DescribeAccessControlListAttributeRequest) { r.AclEntryComment = "wan" })
			must(t, err)
			if len(a.AclEntrys.AclEntry) != 1 || a.AclEntrys.AclEntry[0].AclEntryIP != "10.0.1.0/24" {
				t.Fatalf("comment filter: %+v", a.AclEntrys)
			}
		})
		t.Run("error/entries", func(t *testing.T) {
			for _, c := range []struct {
				name, acl, list string
				code            string
			}{
				{"already there", acl, entries("10.0.0.0/24", ""), "InvalidParam.AclEntryExists"},
				{"malformed", acl, entries("10.0.0.300/24", ""), "AclEntryIllegal"},
				{"not an address", acl, entries("office", ""), "AclEntryIllegal"},
				{"v6 in a v4 list", acl, entries("2001:db8::/48", ""), "IllegalEntry"},
				{"v4 in a v6 list", v6, entries("10.9.0.0/16", ""), "IllegalEntry"},
				{"not JSON", acl, "10.0.0.0/8", "InvalidParameter"},
				{"a comment too long", acl, entries("10.9.9.0/24", strings.Repeat("c", 257)), "InvalidParameter"},
				{"over 50 in a call", acl, manyEntries(51, 1), "InvalidParameter"},
				{"empty", acl, "[]", "MissingParameter"},
			} {
				t.Run(c.name, func(t *testing.T) { wantErr(t, addEntries(e, c.acl, c.list), c.code, 400) })
			}
			wantErr(t, addEntries(e, "acl-nope", entries("10.9.0.0/16", "")), "AclNotExist", 400)
			if a, _ := aclAttribute(e, acl); a.TotalAclEntry != 4 {
				t.Fatalf("refused adds changed the list: %d", a.TotalAclEntry)
			}
		})
		t.Run("ok/the per-ACL limit", func(t *testing.T) {
			big := createACL(t, e, "big")
			for i := range 6 {
				must(t, addEntries(e, big, manyEntries(50, i*50)))
			}
			wantErr(t, addEntries(e, big, entries("11.0.0.0/8", "")), "AclEntryExceedLimit", 400)
			if a, _ := aclAttribute(e, big); a.TotalAclEntry != 300 || len(a.AclEntrys.AclEntry) != 300 {
				t.Fatalf("without paging every entry: %d / %d", a.TotalAclEntry, len(a.AclEntrys.AclEntry))
			}
		})
		t.Run("ok/remove: absent entries ignored; an empty list refused", func(t *testing.T) {
			must(t, removeEntries(e, acl, `[{"entry":"192.168.1.7"},{"entry":"8.8.8.8/32"}]`))
			a, _ := aclAttribute(e, acl)
			if a.TotalAclEntry != 3 {
				t.Fatalf("%d entries", a.TotalAclEntry)
			}
			empty := createACL(t, e, "empty")
			wantErr(t, removeEntries(e, empty, entries("10.0.0.0/8", "")), "AclEntryEmpty", 400)
		})
		t.Run("ok/rename, list, filters, paging", func(t *testing.T) {
			set := slb.CreateSetAccessControlListAttributeRequest()
			set.AclId, set.AclName = acl, "office-renamed"
			_, err := e.c.SetAccessControlListAttribute(set)
			must(t, err)
			set.AclId, set.AclName = v6, "office-renamed"
			_, err = e.c.SetAccessControlListAttribute(set)
			wantErr(t, err, "InvalidParameter.AclName", 400)
			set.AclName = "bad name!"
			_, err = e.c.SetAccessControlListAttribute(set)
			wantErr(t, err, "InvalidParameter", 400)

			lists := func(edit func(*slb.DescribeAccessControlListsRequest)) (*slb.DescribeAccessControlListsResponse, error) {
				// A fresh request each time: the SDK keeps a request's
				// earlier parameters.
				req := slb.CreateDescribeAccessControlListsRequest()
				edit(req)
				return e.c.DescribeAccessControlLists(req)
			}
			resp, err := lists(func(*slb.DescribeAccessControlListsRequest) {})
			must(t, err)
			if resp.TotalCount != 4 || resp.PageNumber != 1 || resp.PageSize != 10 || len(resp.Acls.Acl) != 4 || resp.Acls.Acl[0].AclId != acl ||
				resp.Acls.Acl[0].AclName != "office-renamed" || len(resp.Acls.Acl[0].Tags.Tag) != 1 {
				t.Fatalf("%+v", resp)
			}
			resp, _ = lists(func(r *slb.DescribeAccessControlListsRequest) { r.AclName = "office" })
			if resp.TotalCount != 2 {
				t.Fatalf("AclName matches a part: %d", resp.TotalCount)
			}
			resp, _ = lists(func(r *slb.DescribeAccessControlListsRequest) { r.AddressIPVersion = "ipv6" })
			if resp.TotalCount != 1 || resp.Acls.Acl[0].AclId != v6 {
				t.Fatalf("AddressIPVersion: %+v", resp.Acls)
			}
			resp, _ = lists(func(r *slb.DescribeAccessControlListsRequest) {
				r.Tag = &[]slb.DescribeAccessControlListsTag{{Key: "team", Value: "net"}}
			})
			if resp.TotalCount != 1 || resp.Acls.Acl[0].AclId != acl {
				t.Fatalf("Tag filter: %+v", resp.Acls)
			}
			resp, _ = lists(func(r *slb.DescribeAccessControlListsRequest) {
				r.PageSize, r.PageNumber = requests.NewInteger(3), requests.NewInteger(2)
			})
			if resp.TotalCount != 4 || resp.Count != 1 || len(resp.Acls.Acl) != 1 {
				t.Fatalf("page 2 of 3: %+v", resp)
			}
			_, err = lists(func(r *slb.DescribeAccessControlListsRequest) { r.PageSize = requests.NewInteger(51) })
			wantErr(t, err, "InvalidParameter", 400)
		})
		t.Run("ok/tags and resource groups", func(t *testing.T) {
			tag := slb.CreateTagResourcesRequest()
			tag.ResourceType, tag.ResourceId = "acl", &[]string{v6}
			tag.Tag = &[]slb.TagResourcesTag{{Key: "k", Value: "v"}}
			_, err := e.c.TagResources(tag)
			must(t, err)
			lt := slb.CreateListTagResourcesRequest()
			lt.ResourceType, lt.ResourceId = "acl", &[]string{v6, "acl-gone"}
			got, err := e.c.ListTagResources(lt)
			must(t, err)
			if len(got.TagResources.TagResource) != 1 || got.TagResources.TagResource[0].ResourceType != "acl" {
				t.Fatalf("%+v", got.TagResources)
			}
			lt.ResourceId = &[]string{"acl-gone"}
			got, err = e.c.ListTagResources(lt)
			must(t, err)
			if len(got.TagResources.TagResource) != 0 {
				t.Fatalf("an unknown ACL's tags: %+v", got.TagResources)
			}
			_, err = e.call(t, "MoveResourceGroup", map[string]string{"ResourceType": "acl", "ResourceId": v6, "NewResourceGroupId": "rg-acl"})
			must(t, err)
			if a, _ := aclAttribute(e, v6); a.ResourceGroupId != "rg-acl" || len(a.Tags.Tag) != 1 {
				t.Fatalf("%+v", a)
			}
			list := slb.CreateDescribeAccessControlListsRequest()
			list.ResourceGroupId = "rg-acl"
			resp, _ := e.c.DescribeAccessControlLists(list)
			if resp.TotalCount != 1 {
				t.Fatalf("ResourceGroupId filter: %d", resp.TotalCount)
			}
		})
		t.Run("ok/a listener's ACL: related listeners; in use, not deleted", func(t *testing.T) {
			must(t, createTCP(e, 80, func(r *slb.CreateLoadBalancerTCPListenerRequest) {
				r.BackendServerPort, r.AclStatus, r.AclType, r.AclId = requests.NewInteger(80), "on", "white", acl
			}))
			a, _ := aclAttribute(e, acl)
			if len(a.RelatedListeners.RelatedListener) != 1 || a.RelatedListeners.RelatedListener[0].Protocol != "tcp" ||
				a.RelatedListeners.RelatedListener[0].AclType != "white" || a.RelatedListeners.RelatedListener[0].ListenerPort != 80 {
				t.Fatalf("%+v", a.RelatedListeners)
			}
			d, _ := describeTCP(e, 80)
			if d.AclStatus != "on" || d.AclType != "white" || d.AclId != acl || len(d.AclIds.AclId) != 1 {
				t.Fatalf("%+v", d)
			}
			del := slb.CreateDeleteAccessControlListRequest()
			del.AclId = acl
			_, err := e.c.DeleteAccessControlList(del)
			wantErr(t, err, "OperationFailed.AclBindedWithVip", 400)
			// A v6 ACL on this IPv4 load balancer is refused; so are four.
			wantErr(t, setTCP(e, 80, func(r *slb.SetLoadBalancerTCPListenerAttributeRequest) { r.AclId = v6 }), "InvalidParameter", 400)
			four := acl + "," + createACL(t, e, "b1") + "," + createACL(t, e, "b2") + "," + createACL(t, e, "b3")
			wantErr(t, setTCP(e, 80, func(r *slb.SetLoadBalancerTCPListenerAttributeRequest) { r.AclId = four }), "InvalidParameter", 400)
			// Off keeps the ids and the reference.
			must(t, setTCP(e, 80, func(r *slb.SetLoadBalancerTCPListenerAttributeRequest) { r.AclStatus = "off" }))
			if d, _ := describeTCP(e, 80); d.AclStatus != "off" || d.AclId != acl {
				t.Fatalf("%+v", d)
			}
			_, err = e.c.DeleteAccessControlList(del)
			wantErr(t, err, "OperationFailed.AclBindedWithVip", 400)
			dl := slb.CreateDeleteLoadBalancerListenerRequest()
			dl.LoadBalancerId, dl.ListenerPort = e.lb, requests.NewInteger(80)
			_, err = e.c.DeleteLoadBalancerListener(dl)
			must(t, err)
			_, err = e.c.DeleteAccessControlList(del)
			must(t, err)
			_, err = e.c.DeleteAccessControlList(del)
			wantErr(t, err, "AclNotExist", 400)
			_, err = aclAttribute(e, acl)
			wantErr(t, err, "AclNotExist", 400)
		})
		t.Run("error/create", func(t *testing.T) {
			for _, c := range []struct {
				name string
				edit func(*slb.CreateAccessControlListRequest)
				code string
			}{
				{"no name", func(r *slb.CreateAccessControlListRequest) { r.AclName = "" }, "MissingParameter"},
				{"a name too long", func(r *slb.CreateAccessControlListRequest) { r.AclName = strings.Repeat("n", 81) }, "InvalidParameter"},
				{"a name taken", func(r *slb.CreateAccessControlListRequest) { r.AclName = "office-v6" }, "InvalidParameter.AclName"},
				{"an IP version", func(r *slb.CreateAccessControlListRequest) { r.AddressIPVersion = "ipv5" }, "InvalidParameter"},
				{"a reserved tag key", func(r *slb.CreateAccessControlListRequest) {
					r.Tag = &[]slb.CreateAccessControlListTag{{Key: "aliyun-x", Value: "v"}}
				}, "InvalidParam.TagKey"},
			} {
				t.Run(c.name, func(t *testing.T) {
					req := slb.CreateCreateAccessControlListRequest()
					req.AclName = "fresh"
					c.edit(req)
					_, err := e.c.CreateAccessControlList(req)
					wantErr(t, err, c.code, 400)
				})
			}
		})
	})
}

// manyEntries is an AclEntrys of n distinct /24s of 10/8 from the
// start-th.
func manyEntries(n, start int) string {
	var kv []string
	for i := start; i < start+n; i++ {
		kv = append(kv, fmt.Sprintf("10.%d.%d.0/24", i/250, i%250), "")
	}
	return entries(kv...)
}

// TestACLEnforced admits and refuses real connections and datagrams from
// two loopback source addresses through a TCP and a UDP listener sharing a
// port, and changes the list under the running listeners: each change is
// served within a second of the API's answer.
func TestACLEnforced(t *testing.T) {
	for _, kind := range storeKinds {
		t.Run(kind, func(t *testing.T) {
			e := newL4Env(t, kind)
			tp, _ := tcpEchoBackend(t, "tcp")
			up := udpEchoBackend(t, "udp:")
			allowed, other := loopbackIP(t), loopbackIP(t)
			acl := createACL(t, e, "clients")
			must(t, addEntries(e, acl, entries(allowed+"/32", "the allowed client")))
			tg, ug := e.vserverGroup(t, tp), e.vserverGroup(t, up)
			must(t, createTCP(e, 80, func(r *slb.CreateLoadBalancerTCPListenerRequest) {
				r.VServerGroupId, r.AclStatus, r.AclType, r.AclId, r.HealthCheckSwitch = tg, "on", "white", acl, "off"
			}))
			must(t, createUDP(e, 80, func(r *slb.CreateLoadBalancerUDPListenerRequest) {
				r.VServerGroupId, r.AclStatus, r.AclType, r.AclId, r.HealthCheckSwitch = ug, "on", "white", acl, "off"
			}))
			e.start(t, 80, "tcp")
			e.start(t, 80, "udp")
			admits := func(src string) (tcp, udp bool) {
				line, err := greetFrom(src, e.bound(80))
				return err == nil && line == "tcp", udpFrom(src, e.bound(80), "x") == "udp:x"
			}
			expect := func(src string, want bool) {
				t.Helper()
				if tcp, udp := admits(src); tcp != want || udp != want {
					t.Fatalf("from %s: tcp %v udp %v, want %v", src, tcp, udp, want)
				}
			}
			expect(allowed, true)
			expect(other, false)

			// A live change: the other address added; served within 1 s.
			must(t, addEntries(e, acl, entries(other+"/32", "")))
			answered := time.Now()
			eventually(t, time.Second, "the added entry served", func() bool { tcp, udp := admits(other); return tcp && udp })
			t.Logf("%s: the added entry served %v after the answer", kind, time.Since(answered))
			// Black: the list now refuses both.
			must(t, setTCP(e, 80, func(r *slb.SetLoadBalancerTCPListenerAttributeRequest) { r.AclType = "black" }))
			_, err := e.call(t, "SetLoadBalancerUDPListenerAttribute", map[string]string{"LoadBalancerId": e.lb, "ListenerPort": "80", "AclType": "black"})
			must(t, err)
			expect(allowed, false)
			expect(other, false)
			third := loopbackIP(t)
			expect(third, true)
			must(t, removeEntries(e, acl, entries(other+"/32", "")))
			answered = time.Now()
			eventually(t, time.Second, "the removed entry served", func() bool { tcp, udp := admits(other); return tcp && udp })
			t.Logf("%s: the removed entry served %v after the answer", kind, time.Since(answered))
			// An ACL emptied filters nothing, white or black.
			must(t, removeEntries(e, acl, entries(allowed+"/32", "")))
			expect(allowed, true)
		})
	}
}

// TestACLChangeReachesReplicas: two replicas on one PostgreSQL serve a
// TCP listener with a white list; an entry added through one reaches the
// other's running listener within a second (PostgreSQL NOTIFY).
func TestACLChangeReachesReplicas(t *testing.T) {
	schema := e2e.FreshPGSchema(t)
	key, pool := e2e.NewMasterKey(), testAddressPool()
	replica := func(offset int) func(*server.Config) {
		return func(c *server.Config) {
			c.DatabaseURL, c.MasterKey = schema.URL, key
			c.LBAddressPool, c.LBPortOffset = pool, offset
		}
	}
	// The second replica serves on its own port offset; nothing is asked of it.
	a, _ := e2e.Start(t, replica(21000)), e2e.Start(t, replica(31000))
	e := &l4Env{c: a.Client(t, "cn-hangzhou")}
	req := slb.CreateCreateLoadBalancerRequest()
	req.LoadBalancerSpec = "slb.s2.small"
	lb, err := e.c.CreateLoadBalancer(req)
	must(t, err)
	e.lb, e.addr = lb.LoadBalancerId, lb.Address
	tp, _ := tcpEchoBackend(t, "tcp")
	allowed, other := loopbackIP(t), loopbackIP(t)
	aclReq := slb.CreateCreateAccessControlListRequest()
	aclReq.AclName = "clients"
	created, err := e.c.CreateAccessControlList(aclReq)
	must(t, err)
	acl := created.AclId
	must(t, addEntries(e, acl, entries(allowed+"/32", "")))
	g := e.vserverGroup(t, tp)
	must(t, createTCP(e, 80, func(r *slb.CreateLoadBalancerTCPListenerRequest) {
		r.VServerGroupId, r.AclStatus, r.AclType, r.AclId, r.HealthCheckSwitch = g, "on", "white", acl, "off"
	}))
	e.start(t, 80, "tcp")
	onB := net.JoinHostPort(e.addr, "31080")
	admits := func(src string) bool { line, err := greetFrom(src, onB); return err == nil && line == "tcp" }
	eventually(t, time.Second, "the other replica serves the listener", func() bool { return admits(allowed) })
	if admits(other) {
		t.Fatal("the other replica admits an address the list does not hold")
	}
	must(t, addEntries(e, acl, entries(other+"/32", "")))
	answered := time.Now()
	eventually(t, time.Second, "the other replica serves the added entry", func() bool { return admits(other) })
	t.Logf("the other replica served the added entry %v after the answer", time.Since(answered))
}
