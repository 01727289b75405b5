package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// BuildReport lays the results out as tables.
func BuildReport(o Options, args []string, r *Results, tmp string) *Report {
	rep := &Report{Title: "slbcert-bench report"}
	rep.Preamble = []string{
		"run: " + time.Now().UTC().Format("2006-01-02 15:04 UTC") + ", `slbcert-bench " + strings.Join(args, " ") + "`",
		fmt.Sprintf("machine: %s, %d CPUs, %s; %s, data on %s", cpuModel(), runtime.NumCPU(), kernel(), runtime.Version(), fsType(tmp)),
		"server: " + r.Server,
		"client and servers share the machine: the tool's own CPU per request is shown beside the server's",
		"other load during the run: " + r.Others,
		"slbcert runs with throttling off (SLBCERT_RATE_LIMIT=0), a quota of 100M certificates per region from its IAM file, logs to a file",
	}

	t := Table{Title: "Start to healthy (process start → first 200 from /healthz, polled every 1 ms, fresh data directory)",
		Head: []string{"server", "best", "median", "runs"}}
	if len(r.Starts) > 0 {
		t.Add("slbcert", Dur(minDur(r.Starts)), Dur(Median(r.Starts)), durs(r.Starts))
	}
	if m := r.Moto; m != nil && m.Start > 0 {
		t.Add("moto_server", Dur(m.Start), Dur(m.Start), "1 (first answer from /moto-api/data.json)")
	}
	rep.Sections = append(rep.Sections, t)

	f := r.Floors
	t = Table{Title: "Floors (in-process, this run)", Head: []string{"floor", "median", "samples"}}
	t.Add("parse+match: tls.X509KeyPair on the uploaded pair", Dur(f.Parse), fmt.Sprint(f.ParseN))
	t.Add("one 4 KiB append + fsync in the data directory's file system", Dur(f.Fsync), fmt.Sprint(f.FsyncN))
	t.Add("SDK round trip: DescribeRegions to a do-nothing httptest server", Dur(f.SDK), fmt.Sprint(f.SDKN))
	t.Add("sum", Dur(f.Sum()), "")
	rep.Sections = append(rep.Sections, t)

	t = phaseTable("slbcert through the official Go SDK (RSA 2048 leaf + intermediate)")
	addPhase(&t, "UploadServerCertificate, sequential", r.SeqUpload)
	addPhase(&t, "UploadServerCertificate, N workers", r.ConcUpload)
	addPhase(&t, "DescribeServerCertificates by id, N workers", r.ConcDescribe)
	t.Notes = []string{"CPU/req: process CPU time (utime+stime from /proc/PID/stat, 10 ms ticks) over the phase ÷ successful requests"}
	rep.Sections = append(rep.Sections, t)

	if l := r.Listeners; l != nil {
		t = phaseTable("Listener configuration through the official Go SDK (one load balancer, HTTPS listeners)")
		addPhase(&t, "CreateLoadBalancerHTTPSListener (Terraform's parameters), N workers", l.Create)
		addPhase(&t, fmt.Sprintf("SetLoadBalancerHTTPSListenerAttribute, certificate swap over %d listeners, N workers", l.Listeners), l.Set)
		addPhase(&t, fmt.Sprintf("DescribeLoadBalancerHTTPSListenerAttribute over %d listeners, N workers", l.Listeners), l.Describe)
		t.Notes = []string{
			"stopped listeners: the workload creates them and never starts them, so these are the API's figures with nothing served",
			"each write is one transaction, fsynced, serialised per load balancer; every write here goes to the same one",
		}
		rep.Sections = append(rep.Sections, t)
	}

	if s := r.Scale; s != nil {
		t = phaseTable("Scale: a fresh slbcert loaded through the API")
		addPhase(&t, fmt.Sprintf("Describe by id, sequential, %s stored", count(s.SmallN)), s.Small)
		for _, c := range s.Loading {
			addPhase(&t, fmt.Sprintf("loading %s → %s", count(c.From), count(c.To)), c.Phase)
		}
		addPhase(&t, fmt.Sprintf("Describe by id, sequential, %s stored", count(s.LargeN)), s.Large)
		t.Notes = append(t.Notes, fmt.Sprintf("server memory after loading %s certificates: VmRSS %s, VmHWM (peak) %s", count(s.LargeN), MiB(s.Memory.RSS), MiB(s.Memory.Peak)))
		if s.Small.N > 0 && s.Large.N > 0 {
			t.Notes = append(t.Notes, fmt.Sprintf("Describe-by-id p99 %s ÷ %s: %s; p50: %s", count(s.LargeN), count(s.SmallN),
				Ratio(float64(s.Large.P99), float64(s.Small.P99)), Ratio(float64(s.Large.P50), float64(s.Small.P50))))
		}
		if s.LoadTimedOut {
			t.Notes = append(t.Notes, fmt.Sprintf("the loading stopped at --load-timeout %v", o.LoadTimeout))
		}
		rep.Sections = append(rep.Sections, t)
	}

	if m := r.Moto; m != nil {
		t = phaseTable("moto_server, the same shapes (plain net/http, SigV4-shaped Authorization)")
		addPhase(&t, "IAM UploadServerCertificate, sequential", m.IAMSeq)
		addPhase(&t, "IAM UploadServerCertificate, N workers", m.IAMConc)
		addPhase(&t, "IAM GetServerCertificate, N workers", m.IAMRead)
		addPhase(&t, "ACM ImportCertificate, sequential", m.ACMSeq)
		addPhase(&t, "ACM ImportCertificate, N workers", m.ACMConc)
		addPhase(&t, "ACM DescribeCertificate, N workers", m.ACMRead)
		if m.Memory.RSS > 0 {
			t.Notes = append(t.Notes, fmt.Sprintf("moto_server memory at the end: VmRSS %s", MiB(m.Memory.RSS)))
		}
		rep.Sections = append(rep.Sections, t, sideBySide(r))
	}

	t = Table{Title: "Targets (issue 6)", Head: []string{"target", "rule", "measured", "limit", "status"}}
	for _, tg := range Targets(r, o.Workers) {
		t.Add(tg.Name, tg.Rule, tg.Measured, tg.Limit, tg.Status)
	}
	t.Notes = r.Failures
	rep.Sections = append(rep.Sections, t)
	return rep
}

func phaseTable(title string) Table {
	return Table{Title: title, Head: []string{"workload", "clients", "requests", "errors", "throughput",
		"p50", "p90", "p99", "max", "server CPU/req", "tool CPU/req"}}
}

func addPhase(t *Table, name string, p Phase) {
	if p.N == 0 && p.Errors == 0 {
		t.Add(name, "", "not run")
		return
	}
	server := "n/a"
	if p.ServerCPU > 0 {
		server = Dur(p.ServerCPUPerOp())
	}
	t.Add(name, fmt.Sprint(p.Workers), fmt.Sprint(p.N), fmt.Sprint(p.Errors), Rate(p.Throughput()),
		Dur(p.P50), Dur(p.P90), Dur(p.P99), Dur(p.Max), server, Dur(p.ClientCPUPerOp()))
	if p.FirstErr != "" {
		t.Notes = append(t.Notes, fmt.Sprintf("%s: first error: %.300s", name, p.FirstErr))
	}
}

// sideBySide sets each slbcert workload beside moto's IAM and ACM ones.
func sideBySide(r *Results) Table {
	m := r.Moto
	t := Table{Title: "Side by side, same run: throughput (p50)",
		Head: []string{"shape", "slbcert", "moto IAM", "moto ACM", "slbcert ÷ IAM", "slbcert ÷ ACM"}}
	row := func(shape string, s, iam, acm Phase) {
		t.Add(shape,
			fmt.Sprintf("%s (%s)", Rate(s.Throughput()), Dur(s.P50)),
			fmt.Sprintf("%s (%s)", Rate(iam.Throughput()), Dur(iam.P50)),
			fmt.Sprintf("%s (%s)", Rate(acm.Throughput()), Dur(acm.P50)),
			Ratio(s.Throughput(), iam.Throughput()), Ratio(s.Throughput(), acm.Throughput()))
	}
	row("upload, sequential", r.SeqUpload, m.IAMSeq, m.ACMSeq)
	row("upload, N workers", r.ConcUpload, m.IAMConc, m.ACMConc)
	row("read by id, N workers", r.ConcDescribe, m.IAMRead, m.ACMRead)
	t.Notes = []string{
		"ratios are of throughput: above ×1 slbcert does more per second",
		"slbcert validates the chain and key, seals the key and fsyncs before answering; moto keeps everything in memory, its IAM checks nothing and its ACM parses the certificate",
		"reads: slbcert DescribeServerCertificates by id; IAM GetServerCertificate by name; ACM DescribeCertificate by ARN",
	}
	return t
}

func durs(ds []time.Duration) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = Dur(d)
	}
	return strings.Join(s, ", ")
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for line := range strings.Lines(string(b)) {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func kernel() string {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return runtime.GOOS
	}
	return "Linux " + strings.TrimSpace(string(b))
}

// fsType names the file system of dir by its statfs magic number.
func fsType(dir string) string {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return "an unknown file system"
	}
	names := map[int64]string{0xEF53: "ext4", 0x01021994: "tmpfs", 0x58465342: "xfs", 0x9123683E: "btrfs", 0x794C7630: "overlayfs", 0x2FC12FC1: "zfs"}
	if n, ok := names[int64(st.Type)]; ok {
		return n
	}
	return fmt.Sprintf("file system 0x%x", st.Type)
}
