package main

import (
	"fmt"
	"runtime"
	"strings"
	"time"
)

// Targets of the layer-4 data plane (issue 17).
const (
	l4ConnTarget   = 0.9  // × nginx's new connections per second
	l4StreamTarget = 0.9  // × nginx's relay throughput
	l4UDPTarget    = 0.8  // × nginx's datagrams per second
	l4ACLTarget    = 0.05 // at most this share of the connection rate lost to an ACL of 300 entries
)

// Layer4Report lays the layer-4 figures out, targets judged.
func Layer4Report(o Options, args []string, r *L4Results) *Report {
	rep := &Report{Title: "slbcert-bench layer-4 report"}
	rep.Preamble = []string{
		"run: " + time.Now().UTC().Format("2006-01-02 15:04 UTC") + ", `slbcert-bench " + strings.Join(args, " ") + "`",
		fmt.Sprintf("machine: %s, %d CPUs, %s; %s", cpuModel(), runtime.NumCPU(), kernel(), runtime.Version()),
		"load average (1, 5, 15 min) at the start: " + r.LoadAvg[0] + "; at the end: " + r.LoadAvg[1],
		"slbcert: `slbcert serve` at " + shortRevision(r.Server) + ", TCP and UDP listeners configured through the SDK (CreateLoadBalancer, CreateVServerGroup, CreateLoadBalancer{TCP,UDP}Listener, StartLoadBalancerListener; health checks off), GOMAXPROCS = CPUs; nginx: its stream module, `worker_processes auto`, UDP with `reuseport`",
		"both forward to the same backends, a subprocess of the tool: greet (one byte, then close), stream (64 KiB writes), UDP echo; the load is the tool's own goroutines; all share the machine",
		fmt.Sprintf("each figure is the best of %d rounds of %v, the sides alternating", o.L4Rounds, o.Duration),
	}
	t := Table{Title: "slbcert's TCP and UDP listeners beside nginx's stream module",
		Head: []string{"measurement", "nginx", "slbcert", "slbcert ÷ nginx", "target", "verdict"}}
	row := func(name string, v [2]l4Result, unit func(float64) string, target float64) {
		ok := v[0].Rate > 0 && v[1].Rate >= target*v[0].Rate
		t.Add(name, unit(v[0].Rate), unit(v[1].Rate), Ratio(v[1].Rate, v[0].Rate), fmt.Sprintf("≥ %.1f×", target), judge(ok))
	}
	perSec := func(v float64) string {
		if v == 0 {
			return "—"
		}
		return fmt.Sprintf("%.0f/s", v)
	}
	mibs := func(v float64) string {
		if v == 0 {
			return "—"
		}
		return fmt.Sprintf("%.0f MiB/s", v/(1<<20))
	}
	row("new TCP connections (32 clients: connect, read a byte, close)", r.Conns, perSec, l4ConnTarget)
	row("TCP relay throughput (4 connections reading the stream)", r.Stream, mibs, l4StreamTarget)
	row("UDP datagrams echoed (32 clients, 64 bytes, one in flight each)", r.UDP, perSec, l4UDPTarget)
	rateCost, cpuCost := 0.0, 0.0
	if r.ACL[0].Rate > 0 {
		rateCost = 1 - r.ACL[1].Rate/r.ACL[0].Rate
	}
	if off := r.ACLCPU[0]; off > 0 {
		cpuCost = float64(r.ACLCPU[1])/float64(off) - 1
	}
	t.Add("slbcert's new TCP connections: without an ACL / with a white list of 300 entries",
		perSec(r.ACL[0].Rate), perSec(r.ACL[1].Rate), fmt.Sprintf("%+.1f %%", -100*rateCost), "", "")
	t.Add("  slbcert's CPU per connection, least of the rounds: without / with the ACL",
		Dur(r.ACLCPU[0]), Dur(r.ACLCPU[1]), fmt.Sprintf("%+.1f %%", 100*cpuCost),
		fmt.Sprintf("cost < %.0f %%", 100*l4ACLTarget), judge(r.ACL[0].N > 0 && cpuCost < l4ACLTarget))
	t.Notes = []string{
		"the ACL rows compare slbcert with itself (nginx's stream `allow`/`deny` is not the same mechanism): the white list holds 299 networks of 10/8 and 127.0.0.1, where the load comes from, set with SetLoadBalancerTCPListenerAttribute; rounds alternate off and on",
		"the ACL's cost is judged on the server's CPU per connection: the rate of one run moves by more than 5 % with whatever else shares the two cores, the CPU a connection takes much less",
	}
	rep.Sections = append(rep.Sections, t)

	c := Table{Title: "Proxy CPU per unit (all processes of each proxy)", Head: []string{"measurement", "nginx", "slbcert", "errors nginx / slbcert"}}
	cpu := func(name string, v [2]l4Result, per string, scale float64) {
		f := func(x l4Result) string {
			if x.N == 0 {
				return "—"
			}
			return Dur(time.Duration(float64(x.CPU) / float64(x.N) * scale))
		}
		c.Add(name+" ("+per+")", f(v[0]), f(v[1]), fmt.Sprintf("%d / %d", v[0].Errors, v[1].Errors))
	}
	cpu("new TCP connection", r.Conns, "per connection", 1)
	cpu("TCP relay", r.Stream, "per MiB", 1<<20)
	cpu("UDP datagram echoed", r.UDP, "per datagram", 1)
	c.Notes = []string{"errors: failed connects or reads, UDP echoes not back within 200 ms"}
	for _, f := range r.Failures {
		c.Notes = append(c.Notes, "FAILED: "+f)
	}
	rep.Sections = append(rep.Sections, c)
	return rep
}
