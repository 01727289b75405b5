package main

import (
	"fmt"
	"time"
)

// Target is one of the targets, judged on this run's figures.
type Target struct {
	Name     string
	Rule     string
	Measured string
	Limit    string
	// Status is "met", "MISSED" or "not measured".
	Status string
}

func judge(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

// Targets judges the run against the targets of issue 6.
func Targets(r *Results, workers int) []Target {
	var ts []Target

	limit := r.Floors.Sum() + 100*time.Microsecond
	t := Target{Name: "validated upload p50, sequential, one SDK client",
		Rule: "≤ parse+match + fsync + SDK round trip + 0.1 ms", Limit: Dur(limit), Status: "not measured"}
	if r.SeqUpload.N > 0 && r.Floors.Parse > 0 {
		t.Measured = Dur(r.SeqUpload.P50)
		t.Status = judge(r.SeqUpload.P50 <= limit)
	}
	ts = append(ts, t)

	cpuLimit := r.Floors.Parse * 3 / 2
	t = Target{Name: fmt.Sprintf("server CPU per upload, %d concurrent clients", workers),
		Rule: "≤ 1.5 × parse+match floor", Limit: Dur(cpuLimit), Status: "not measured"}
	if r.ConcUpload.N > 0 && r.ConcUpload.ServerCPU > 0 {
		t.Measured = Dur(r.ConcUpload.ServerCPUPerOp())
		t.Status = judge(r.ConcUpload.ServerCPUPerOp() <= cpuLimit)
	}
	ts = append(ts, t)

	t = Target{Name: "Describe-by-id p99 at scale vs 1k", Rule: "p99(large) ≤ 2 × p99(1k)", Status: "not measured"}
	if s := r.Scale; s != nil && s.Small.N > 0 && s.Large.N > 0 {
		t.Name = fmt.Sprintf("Describe-by-id p99 at %s vs %s", count(s.LargeN), count(s.SmallN))
		t.Measured = fmt.Sprintf("%s vs %s (%s)", Dur(s.Large.P99), Dur(s.Small.P99), Ratio(float64(s.Large.P99), float64(s.Small.P99)))
		t.Limit = Dur(2 * s.Small.P99)
		t.Status = judge(s.Large.P99 <= 2*s.Small.P99)
		if s.LargeN < 100_000 {
			t.Status += fmt.Sprintf(" (at %s, not 100k)", count(s.LargeN))
		}
	}
	ts = append(ts, t)

	t = Target{Name: "start to healthy", Rule: "median of fresh starts ≤ 100 ms", Limit: "100 ms", Status: "not measured"}
	if len(r.Starts) > 0 {
		med := Median(r.Starts)
		t.Measured = fmt.Sprintf("%s (best %s)", Dur(med), Dur(minDur(r.Starts)))
		t.Status = judge(med <= 100*time.Millisecond)
	}
	return append(ts, t)
}

func minDur(ds []time.Duration) time.Duration {
	m := ds[0]
	for _, d := range ds[1:] {
		m = min(m, d)
	}
	return m
}

// count formats a certificate count: 1000 as "1k", 100000 as "100k".
func count(n int) string {
	if n >= 1000 && n%1000 == 0 {
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}
