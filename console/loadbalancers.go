package console

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// listenerView is a listener with how this process's data plane serves
// it.
type listenerView struct {
	listenerAnswer
	Href string
	// Served is false when the data plane does not run the listener;
	// State is what it says when it does.
	Served bool
	State  ListenerState
	// Certificate is an HTTPS listener's server certificate id.
	Certificate, CACertificate string
	// ForwardPort is an HTTP listener's redirect target, 0 for none.
	ForwardPort int

	hasDataPlane bool
}

// Serving names the data plane's view in one word: "serving", "not
// serving" (running but unbound or refused), "stopped", "unknown" (no
// data plane in this process).
func (l *listenerView) Serving() string {
	switch {
	case l.Status != "running":
		return "stopped"
	case l.Served && l.State.Serving:
		return "serving"
	case l.Served || l.hasDataPlane:
		return "not serving"
	}
	return "unknown"
}

func (p *page) listenerView(l listenerAnswer) *listenerView {
	v := &listenerView{listenerAnswer: l, Href: withRegion(listenerHref(l.LoadBalancerID, l.ListenerProtocol, l.ListenerPort), p.Region)}
	if dp := p.c.dataPlane; dp != nil {
		v.hasDataPlane = true
		v.State, v.Served = dp.Listener(l.LoadBalancerID, l.ListenerProtocol, l.ListenerPort)
	}
	if cfg := l.HTTPSListenerConfig; cfg != nil {
		v.Certificate, v.CACertificate = cfg.ServerCertificateID, cfg.CACertificateID
	}
	if cfg := l.HTTPListenerConfig; cfg != nil && cfg.ListenerForward == "on" {
		v.ForwardPort = cfg.ForwardPort
	}
	return v
}

// loadBalancerView is a load balancer with its listeners.
type loadBalancerView struct {
	loadBalancerAnswer
	Href      string
	Created   time.Time
	Listeners []*listenerView
}

// Running counts its running listeners, NotServing those of them the data
// plane does not serve.
func (lb *loadBalancerView) Running() (n int) {
	for _, l := range lb.Listeners {
		if l.Status == "running" {
			n++
		}
	}
	return n
}

// NotServing counts running listeners the data plane does not serve.
func (lb *loadBalancerView) NotServing() (n int) {
	for _, l := range lb.Listeners {
		if l.Serving() == "not serving" {
			n++
		}
	}
	return n
}

// loadLoadBalancers reads the region's load balancers, every page.
func (p *page) loadLoadBalancers() (list []*loadBalancerView, total int, ok bool) {
	for n := 1; n <= maxPages; n++ {
		var out describeLoadBalancersAnswer
		if !p.read(slbVersion, "DescribeLoadBalancers", p.regionParams("PageSize", strconv.Itoa(pageSize), "PageNumber", strconv.Itoa(n)), &out) {
			return list, total, false
		}
		total = out.TotalCount
		for _, a := range out.LoadBalancers.LoadBalancer {
			list = append(list, &loadBalancerView{loadBalancerAnswer: a, Href: withRegion("/console/loadbalancers/"+url.PathEscape(a.LoadBalancerID), p.Region),
				Created: time.UnixMilli(a.CreateTimeStamp)})
		}
		if len(out.LoadBalancers.LoadBalancer) < pageSize || len(list) >= total {
			break
		}
	}
	sort.SliceStable(list, func(a, b int) bool { return list[a].LoadBalancerID < list[b].LoadBalancerID })
	return list, total, true
}

// attach gives each load balancer its listeners.
func (p *page) attach(lbs []*loadBalancerView, listeners []listenerAnswer) {
	byID := map[string]*loadBalancerView{}
	for _, lb := range lbs {
		byID[lb.LoadBalancerID] = lb
	}
	for _, l := range listeners {
		if lb := byID[l.LoadBalancerID]; lb != nil {
			lb.Listeners = append(lb.Listeners, p.listenerView(l))
		}
	}
}

type loadBalancersData struct {
	*page
	LoadBalancers []*loadBalancerView
	Total         int
}

func (c *Console) loadBalancers(w http.ResponseWriter, r *http.Request, p *page) {
	p.begin("Load balancers", "loadbalancers")
	lbs, total, _ := p.loadLoadBalancers()
	inv := &inventory{Extensions: map[listenerKey][]domainExtensionAnswer{}}
	if len(lbs) > 0 {
		p.loadListenerList(inv, "")
	}
	p.attach(lbs, inv.Listeners)
	p.show(http.StatusOK, "loadbalancers", &loadBalancersData{page: p, LoadBalancers: lbs, Total: total})
}

// healthRow is one row of DescribeHealthStatus.
type healthRow = healthAnswer

// group is a server group of a load balancer with its members.
type group struct {
	ID, Name, Kind string // Kind: "VServer group", "primary/secondary group"
	Members        []backendServerAnswer
}

type loadBalancerData struct {
	*page
	// CertNames names the region's certificates by id.
	CertNames map[string]string
	LB        *loadBalancerView
	Backends  []backendServerAnswer
	Groups    []group
	Health    []healthRow
}

func (c *Console) loadBalancer(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	p.begin("Load balancer "+id, "loadbalancers")
	var attr loadBalancerAttributeAnswer
	if !p.read(slbVersion, "DescribeLoadBalancerAttribute", p.regionParams("LoadBalancerId", id), &attr) {
		p.show(http.StatusNotFound, "loadbalancer", &loadBalancerData{page: p})
		return
	}
	lb := &loadBalancerView{loadBalancerAnswer: attr.loadBalancerAnswer, Href: withRegion("/console/loadbalancers/"+url.PathEscape(id), p.Region),
		Created: time.UnixMilli(attr.CreateTimeStamp)}
	inv := &inventory{}
	p.loadListenerList(inv, id)
	p.attach([]*loadBalancerView{lb}, inv.Listeners)
	d := &loadBalancerData{page: p, LB: lb, Backends: attr.BackendServers.BackendServer, Groups: p.loadGroups(id),
		Health: p.loadHealth(id, 0, ""), CertNames: p.certificateNames()}
	p.show(http.StatusOK, "loadbalancer", d)
}

// loadListenerList reads the listeners of one load balancer, or of the
// region when lbID is "".
func (p *page) loadListenerList(inv *inventory, lbID string) bool {
	token := ""
	for range maxPages {
		params := p.regionParams("MaxResults", strconv.Itoa(pageSize))
		if lbID != "" {
			params.Set("LoadBalancerId.1", lbID)
		}
		if token != "" {
			params.Set("NextToken", token)
		}
		var page describeListenersAnswer
		if !p.read(slbVersion, "DescribeLoadBalancerListeners", params, &page) {
			return false
		}
		inv.Listeners = append(inv.Listeners, page.Listeners...)
		if token = page.NextToken; token == "" {
			break
		}
	}
	sort.SliceStable(inv.Listeners, func(a, b int) bool {
		x, y := inv.Listeners[a], inv.Listeners[b]
		if x.LoadBalancerID != y.LoadBalancerID {
			return x.LoadBalancerID < y.LoadBalancerID
		}
		if x.ListenerPort != y.ListenerPort {
			return x.ListenerPort < y.ListenerPort
		}
		return x.ListenerProtocol < y.ListenerProtocol
	})
	return true
}

// loadGroups reads a load balancer's VServer groups and, where the
// endpoint serves them, its primary/secondary groups, with their members.
func (p *page) loadGroups(lbID string) []group {
	var out []group
	var vs describeVServerGroupsAnswer
	if p.read(slbVersion, "DescribeVServerGroups", p.regionParams("LoadBalancerId", lbID), &vs) {
		for _, g := range vs.VServerGroups.VServerGroup {
			var attr vServerGroupAnswer
			p.read(slbVersion, "DescribeVServerGroupAttribute", p.regionParams("VServerGroupId", g.VServerGroupID), &attr)
			out = append(out, group{ID: g.VServerGroupID, Name: g.VServerGroupName, Kind: "VServer group", Members: attr.BackendServers.BackendServer})
		}
	}
	var ms describeMasterSlaveGroupsAnswer
	if p.read(slbVersion, "DescribeMasterSlaveServerGroups", p.regionParams("LoadBalancerId", lbID), &ms) {
		for _, g := range ms.MasterSlaveServerGroups.MasterSlaveServerGroup {
			var attr masterSlaveGroupAttributeAnswer
			p.read(slbVersion, "DescribeMasterSlaveServerGroupAttribute", p.regionParams("MasterSlaveServerGroupId", g.MasterSlaveServerGroupID), &attr)
			out = append(out, group{ID: g.MasterSlaveServerGroupID, Name: g.MasterSlaveServerGroupName, Kind: "primary/secondary group",
				Members: attr.MasterSlaveBackendServers.MasterSlaveBackendServer})
		}
	}
	return out
}

// loadHealth is DescribeHealthStatus of a load balancer, or of one of its
// listeners.
func (p *page) loadHealth(lbID string, port int, protocol string) []healthRow {
	params := p.regionParams("LoadBalancerId", lbID)
	if port > 0 {
		params.Set("ListenerPort", strconv.Itoa(port))
	}
	if protocol != "" {
		params.Set("ListenerProtocol", protocol)
	}
	var out describeHealthStatusAnswer
	p.read(slbVersion, "DescribeHealthStatus", params, &out)
	rows := out.BackendServers.BackendServer
	sort.SliceStable(rows, func(a, b int) bool {
		if rows[a].ListenerPort != rows[b].ListenerPort {
			return rows[a].ListenerPort < rows[b].ListenerPort
		}
		return rows[a].ServerID < rows[b].ServerID
	})
	return rows
}

// setting is one field of a listener's Describe…Attribute answer.
type setting struct{ Name, Value string }

type listenerData struct {
	*page
	CertNames  map[string]string
	LB         *loadBalancerView
	Listener   *listenerView
	Settings   []setting
	Extensions []domainExtensionAnswer
	Rules      []ruleAnswer
	Backends   []backendRow
	Group      *group
	Health     []healthRow
	Probe      *probeResult
	SNI        string
}

// listener is a listener's page: its settings as its protocol's
// Describe…Attribute answers them, its domain extensions and rules, its
// backends and their health, and the probe.
func (c *Console) listener(w http.ResponseWriter, r *http.Request, p *page) {
	lbID, protocol := r.PathValue("id"), strings.ToLower(r.PathValue("protocol"))
	port, err := strconv.Atoi(r.PathValue("port"))
	if err != nil || port < 1 || port > 65535 {
		c.notFound(w, r)
		return
	}
	p.begin("Listener "+lbID+":"+strconv.Itoa(port), "loadbalancers")
	d := &listenerData{page: p}
	var attr loadBalancerAttributeAnswer
	if !p.read(slbVersion, "DescribeLoadBalancerAttribute", p.regionParams("LoadBalancerId", lbID), &attr) {
		p.show(http.StatusNotFound, "listener", d)
		return
	}
	d.LB = &loadBalancerView{loadBalancerAnswer: attr.loadBalancerAnswer, Href: withRegion("/console/loadbalancers/"+url.PathEscape(lbID), p.Region)}
	params := p.regionParams("LoadBalancerId", lbID, "ListenerPort", strconv.Itoa(port))
	var raw map[string]any
	if !p.read(slbVersion, "DescribeLoadBalancer"+strings.ToUpper(protocol)+"ListenerAttribute", params, &raw) {
		p.show(http.StatusNotFound, "listener", d)
		return
	}
	d.Settings = settingsOf(raw)
	var l listenerAnswer
	remarshal(raw, &l)
	var forward struct {
		ListenerForward string `json:"ListenerForward"`
		ForwardPort     int    `json:"ForwardPort"`
	}
	remarshal(raw, &forward)
	if forward.ListenerForward != "" {
		l.HTTPListenerConfig = &struct {
			ListenerForward string `json:"ListenerForward"`
			ForwardPort     int    `json:"ForwardPort"`
		}{forward.ListenerForward, forward.ForwardPort}
	}
	l.LoadBalancerID, l.ListenerPort, l.ListenerProtocol = lbID, port, protocol
	if protocol == "https" {
		var h struct {
			ServerCertificateID string `json:"ServerCertificateId"`
			CACertificateID     string `json:"CACertificateId"`
			DomainExtensions    struct {
				DomainExtension []domainExtensionAnswer `json:"DomainExtension"`
			} `json:"DomainExtensions"`
		}
		remarshal(raw, &h)
		l.HTTPSListenerConfig = &struct {
			ServerCertificateID string `json:"ServerCertificateId"`
			CACertificateID     string `json:"CACertificateId"`
			TLSCipherPolicy     string `json:"TLSCipherPolicy"`
		}{ServerCertificateID: h.ServerCertificateID, CACertificateID: h.CACertificateID}
		d.Extensions = h.DomainExtensions.DomainExtension
	}
	d.Listener = p.listenerView(l)
	if protocol == "http" || protocol == "https" {
		var rules describeRulesAnswer
		if p.read(slbVersion, "DescribeRules", p.regionParams("LoadBalancerId", lbID, "ListenerPort", strconv.Itoa(port), "ListenerProtocol", protocol), &rules) {
			d.Rules = rules.Rules.Rule
		}
	}
	var ids struct {
		VServerGroupID           string `json:"VServerGroupId"`
		MasterSlaveServerGroupID string `json:"MasterSlaveServerGroupId"`
	}
	remarshal(raw, &ids)
	switch {
	case ids.MasterSlaveServerGroupID != "":
		var g masterSlaveGroupAttributeAnswer
		p.read(slbVersion, "DescribeMasterSlaveServerGroupAttribute", p.regionParams("MasterSlaveServerGroupId", ids.MasterSlaveServerGroupID), &g)
		d.Group = &group{ID: ids.MasterSlaveServerGroupID, Kind: "primary/secondary group", Members: g.MasterSlaveBackendServers.MasterSlaveBackendServer}
	case ids.VServerGroupID != "":
		var g vServerGroupAnswer
		p.read(slbVersion, "DescribeVServerGroupAttribute", p.regionParams("VServerGroupId", ids.VServerGroupID), &g)
		d.Group = &group{ID: ids.VServerGroupID, Name: g.VServerGroupName, Kind: "VServer group", Members: g.BackendServers.BackendServer}
	}
	members := attr.BackendServers.BackendServer
	if d.Group != nil {
		members = d.Group.Members
	}
	d.Health = p.loadHealth(lbID, port, protocol)
	d.Backends = withHealth(members, d.Health, d.Listener.BackendServerPort)
	d.CertNames = p.certificateNames()
	if protocol == "https" {
		d.SNI = strings.TrimSpace(r.FormValue("sni"))
		if r.FormValue("probe") != "" {
			d.Probe = p.probe(d.Listener, d.SNI)
		}
	}
	p.show(http.StatusOK, "listener", d)
}

// settingsOf lists the scalar fields of an attribute answer, by name.
func settingsOf(raw map[string]any) []setting {
	var out []setting
	for k, v := range raw {
		if k == "RequestId" {
			continue
		}
		switch x := v.(type) {
		case string:
			out = append(out, setting{k, x})
		case float64:
			out = append(out, setting{k, strconv.FormatFloat(x, 'f', -1, 64)})
		case bool:
			out = append(out, setting{k, strconv.FormatBool(x)})
		case []any:
			if len(x) > 0 {
				if b, err := json.Marshal(x); err == nil {
					out = append(out, setting{k, string(b)})
				}
			}
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	return out
}

func remarshal(in, out any) {
	if b, err := json.Marshal(in); err == nil {
		json.Unmarshal(b, out)
	}
}

// listenerStatus starts or stops a listener.
func (c *Console) listenerStatus(w http.ResponseWriter, r *http.Request, p *page) {
	lbID, protocol, port, op := r.PathValue("id"), strings.ToLower(r.PathValue("protocol")), r.PathValue("port"), r.PathValue("op")
	action := map[string]string{"start": "StartLoadBalancerListener", "stop": "StopLoadBalancerListener"}[op]
	if action == "" {
		c.notFound(w, r)
		return
	}
	p.chooseRegion()
	back := "/console/loadbalancers/" + url.PathEscape(lbID) + "/listeners/" + url.PathEscape(protocol) + "/" + url.PathEscape(port)
	if r.PostFormValue("back") == "loadbalancer" {
		back = "/console/loadbalancers/" + url.PathEscape(lbID)
	}
	f := &flash{OK: map[string]string{"start": "Started ", "stop": "Stopped "}[op] + lbID + ":" + port + " (" + protocol + ")."}
	if e := p.call(slbVersion, action, p.regionParams("LoadBalancerId", lbID, "ListenerPort", port, "ListenerProtocol", protocol), nil); e != nil {
		f = &flash{Err: e}
	}
	p.redirect(back, f)
}

// backendRow is a listener's backend with its health on that listener.
type backendRow struct {
	backendServerAnswer
	// Health is what DescribeHealthStatus says of it, "" when it says
	// nothing.
	Health string
}

// withHealth pairs members with their health rows, by server and port
// (a default backend's port is the listener's).
func withHealth(members []backendServerAnswer, health []healthRow, listenerPort int) []backendRow {
	out := make([]backendRow, 0, len(members))
	for _, m := range members {
		port := m.Port
		if port == 0 {
			port = listenerPort
		}
		row := backendRow{backendServerAnswer: m}
		for _, h := range health {
			if h.ServerID == m.ServerID && h.Port == port {
				row.Health = h.ServerHealthStatus
			}
		}
		out = append(out, row)
	}
	return out
}

// certificateNames names the region's server and CA certificates by id,
// for pages that show what a listener uses.
func (p *page) certificateNames() map[string]string {
	names := map[string]string{}
	var server describeServerCertificatesAnswer
	if p.read(slbVersion, "DescribeServerCertificates", p.regionParams(), &server) {
		for _, c := range server.ServerCertificates.ServerCertificate {
			names[c.ServerCertificateID] = c.ServerCertificateName
		}
	}
	var ca describeCACertificatesAnswer
	if p.read(slbVersion, "DescribeCACertificates", p.regionParams(), &ca) {
		for _, c := range ca.CACertificates.CACertificate {
			names[c.CACertificateID] = c.CACertificateName
		}
	}
	return names
}
