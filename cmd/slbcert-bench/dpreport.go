package main

import (
	"fmt"
	"runtime"
	"strings"
	"time"
)

// Targets of the data plane (issue 13).
const (
	handshakeTarget = 0.8 // × nginx's handshakes per second
	keepAliveTarget = 1.0 // × nginx's requests per second, p99 no worse
	swapTarget      = time.Second
)

// DataplaneReport lays the data-plane figures out, targets judged.
func DataplaneReport(o Options, args []string, r *DPResults) *Report {
	rep := &Report{Title: "slbcert-bench data-plane report"}
	rep.Preamble = []string{
		"run: " + time.Now().UTC().Format("2006-01-02 15:04 UTC") + ", `slbcert-bench " + strings.Join(args, " ") + "`",
		fmt.Sprintf("machine: %s, %d CPUs, %s; %s", cpuModel(), runtime.NumCPU(), kernel(), runtime.Version()),
		"load average at the start (1, 5, 15 min): " + r.LoadAvg,
		"slbcert: `slbcert serve` at " + shortRevision(r.Server) + ", configured through the SDK (UploadServerCertificate, CreateLoadBalancer, CreateVServerGroup, CreateLoadBalancerHTTPSListener, StartLoadBalancerListener), GOMAXPROCS = CPUs; nginx: `worker_processes auto`",
		"both: policy " + benchPolicy + ", HTTP/2 on, gzip and health checks off, the same nginx backend (1 worker, `return 200`) over pooled HTTP/1.1, X-Forwarded-For appended, no access log",
		"wrk, h2load, both servers and the backend share the machine",
	}
	ratio := func(s, n float64) string { return Ratio(s, n) }
	t := Table{Title: "slbcert's listener beside nginx", Head: []string{"measurement", "nginx", "slbcert", "slbcert ÷ nginx", "target", "verdict"}}
	for _, kind := range []string{"rsa2048", "p256"} {
		h := r.Handshakes[kind]
		name := map[string]string{"rsa2048": "RSA 2048", "p256": "ECDSA P-256"}[kind]
		t.Add("new TLS handshakes/s, "+name+" (wrk -c32, Connection: close)", rate(h[0]), rate(h[1]), ratio(h[1].Rate, h[0].Rate),
			fmt.Sprintf("≥ %.1f×", handshakeTarget), judge(h[0].Rate > 0 && h[1].Rate >= handshakeTarget*h[0].Rate))
	}
	for _, k := range []struct {
		name string
		v    [2]LoadResult
	}{{"keep-alive HTTP/1.1 requests/s (wrk -c64)", r.HTTP1}, {"keep-alive HTTP/2 requests/s (h2load -c16 -m8)", r.HTTP2}} {
		t.Add(k.name, rate(k.v[0]), rate(k.v[1]), ratio(k.v[1].Rate, k.v[0].Rate),
			fmt.Sprintf("≥ %.1f×", keepAliveTarget), judge(k.v[0].Rate > 0 && k.v[1].Rate >= keepAliveTarget*k.v[0].Rate))
		t.Add("  p99 latency", Dur(k.v[0].P99), Dur(k.v[1].P99), ratio(float64(k.v[1].P99), float64(k.v[0].P99)),
			"no worse", judge(k.v[1].P99 > 0 && k.v[1].P99 <= k.v[0].P99))
	}
	t.Add(fmt.Sprintf("certificate swap → first handshake with it, p50 (%d swaps)", r.Swap[1].N), Dur(r.Swap[0].P50), Dur(r.Swap[1].P50), "", "", "")
	t.Add("  p99", Dur(r.Swap[0].P99), Dur(r.Swap[1].P99), "", "≤ "+Dur(swapTarget), judge(r.Swap[1].N > 0 && r.Swap[1].P99 <= swapTarget))
	t.Notes = []string{
		"handshakes: every request on a new connection (Connection: close), so each is a full TLS handshake (wrk keeps no session) plus one proxied request",
		"swap: nginx = new certificate files, then SIGHUP (reload); slbcert = SetLoadBalancerHTTPSListenerAttribute through the SDK (it answers once the new certificate is served); measured from the request to the first fresh handshake presenting the new certificate, handshaking back to back",
	}
	rep.Sections = append(rep.Sections, t)

	c := Table{Title: "Server CPU per request (all processes of each server)",
		Head: []string{"measurement", "nginx", "slbcert", "errors nginx / slbcert", "other processes' CPUs during the runs, nginx / slbcert"}}
	row := func(name, run string, v [2]LoadResult) {
		others := func(side string) string {
			if v, ok := r.Others[side+" "+run]; ok {
				return fmt.Sprintf("%.2f", v)
			}
			return "—"
		}
		c.Add(name, Dur(v[0].PerRequest()), Dur(v[1].PerRequest()), fmt.Sprintf("%d / %d", v[0].Errors, v[1].Errors),
			others("nginx")+" / "+others("slbcert"))
	}
	row("handshake, RSA 2048", "handshakes-rsa2048", r.Handshakes["rsa2048"])
	row("handshake, ECDSA P-256", "handshakes-p256", r.Handshakes["p256"])
	row("keep-alive HTTP/1.1", "http1", r.HTTP1)
	row("keep-alive HTTP/2", "http2", r.HTTP2)
	c.Notes = append(c.Notes, "other processes: the machine's busy time during the run less the tool's, wrk's or h2load's and the three servers' — above ~0.1 CPU, another workload shared the cores and the run's figures are low")
	if len(r.Profiles) > 0 {
		c.Notes = append(c.Notes, "CPU profiles of slbcert: "+strings.Join(r.Profiles, ", "))
	}
	for _, f := range r.Failures {
		c.Notes = append(c.Notes, "FAILED: "+f)
	}
	rep.Sections = append(rep.Sections, c)
	return rep
}

func rate(r LoadResult) string {
	if r.Rate == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f", r.Rate)
}

// shortRevision is a revision as gitRevision gives it, without the
// commit's subject.
func shortRevision(rev string) string {
	f := strings.Fields(rev)
	if len(f) == 0 || strings.HasPrefix(rev, "the binary") || strings.HasPrefix(rev, "unknown") {
		return rev
	}
	if strings.HasSuffix(rev, "+ uncommitted changes") {
		return f[0] + " + uncommitted changes"
	}
	return f[0]
}
