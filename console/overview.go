package console

import (
	"net/http"
	"sort"
	"strconv"
)

// count is one number of the overview.
type count struct {
	Product, What string
	N             int
	Href          string
	// Scope says when a count is not the region's (the catalog is the
	// account's).
	Scope string
}

// problem is a listener of the overview's "not serving" list.
type problem struct {
	Listener *listenerView
	Why      string
}

type overviewData struct {
	*page
	Counts   []count
	Expiring []*certificate
	Problems []problem
	// Health is false when the data plane is not in this process: only
	// DescribeHealthStatus speaks then.
	DataPlane bool
}

// overview: counts per product in the region, certificates expiring
// within ExpiringWithin (expired ones too), and running listeners that
// do not serve — their port did not bind, their configuration was
// refused, or a backend is abnormal.
func (c *Console) overview(w http.ResponseWriter, r *http.Request, p *page) {
	p.begin("Overview", "overview")
	d := &overviewData{page: p, DataPlane: c.dataPlane != nil}
	inv := &inventory{Extensions: map[listenerKey][]domainExtensionAnswer{}}
	full := p.loadCertificates(inv)
	listenersRead := p.loadListeners(inv)
	inv.link()
	lbs, total, lbsRead := p.loadLoadBalancers()
	p.attach(lbs, inv.Listeners)
	if full[0] {
		d.Counts = append(d.Counts, count{Product: "SLB", What: "server certificates", N: len(inv.Server), Href: p.URL("/console/certificates") + "#server"})
	}
	if full[1] {
		d.Counts = append(d.Counts, count{Product: "SLB", What: "CA certificates", N: len(inv.CA), Href: p.URL("/console/certificates") + "#ca"})
	}
	if lbsRead {
		d.Counts = append(d.Counts, count{Product: "SLB", What: "load balancers", N: total, Href: p.URL("/console/loadbalancers")})
	}
	if listenersRead {
		running := 0
		for _, l := range inv.Listeners {
			if l.Status == "running" {
				running++
			}
		}
		d.Counts = append(d.Counts, count{Product: "SLB", What: "listeners (" + strconv.Itoa(running) + " running)", N: len(inv.Listeners), Href: p.URL("/console/loadbalancers")})
	}
	if full[2] {
		d.Counts = append(d.Counts, count{Product: "CAS", What: "catalog certificates", N: len(inv.Catalog), Href: p.URL("/console/certificates") + "#catalog", Scope: "account"})
	}
	// Products the endpoint may serve as they land: absent ones are left
	// out (InvalidVersion).
	var vpcs totalCountAnswer
	if p.read(vpcVersion, "DescribeVpcs", p.regionParams("PageSize", "1"), &vpcs) {
		d.Counts = append(d.Counts, count{Product: "VPC", What: "VPCs", N: vpcs.TotalCount})
	}
	var instances totalCountAnswer
	if p.read(ecsVersion, "DescribeInstances", p.regionParams("PageSize", "1"), &instances) {
		d.Counts = append(d.Counts, count{Product: "ECS", What: "instances", N: instances.TotalCount})
	}
	for _, cert := range inv.all() {
		if cert.State != "valid" {
			d.Expiring = append(d.Expiring, cert)
		}
	}
	sortByExpiry(d.Expiring)
	for _, lb := range lbs {
		unhealthy := map[string]int{} // listener → abnormal backends
		if lb.Running() > 0 && lb.LoadBalancerStatus == "active" {
			for _, h := range p.loadHealth(lb.LoadBalancerID, 0, "") {
				if h.ServerHealthStatus == "abnormal" {
					unhealthy[h.Protocol+"/"+strconv.Itoa(h.ListenerPort)]++
				}
			}
		}
		for _, l := range lb.Listeners {
			if l.Status != "running" {
				continue
			}
			switch {
			case l.Served && !l.State.Serving:
				d.Problems = append(d.Problems, problem{Listener: l, Why: "not serving: " + l.State.Err})
			case l.hasDataPlane && !l.Served && lb.LoadBalancerStatus == "active":
				d.Problems = append(d.Problems, problem{Listener: l, Why: "not served by this process's data plane"})
			case l.State.Warning != "":
				d.Problems = append(d.Problems, problem{Listener: l, Why: "served with a warning: " + l.State.Warning})
			}
			if n := unhealthy[l.ListenerProtocol+"/"+strconv.Itoa(l.ListenerPort)]; n > 0 {
				d.Problems = append(d.Problems, problem{Listener: l, Why: strconv.Itoa(n) + " abnormal backend(s)"})
			}
		}
	}
	p.show(http.StatusOK, "overview", d)
}

func sortByExpiry(list []*certificate) {
	sort.SliceStable(list, func(a, b int) bool { return list[a].Expire.Before(list[b].Expire) })
}
