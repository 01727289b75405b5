package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Op performs one request of a phase; i numbers the phase's requests from 0.
type Op func(i int) error

// Limits bound a phase: it ends at whichever comes first.
type Limits struct {
	Ops      int           // requests started, at most
	Duration time.Duration // wall time, at most
	// Progress, when set, names the phase in a line on stderr every 2 s.
	Progress string
}

// maxErrors ends a phase early: past it the figures would mean nothing.
const maxErrors = 100

// Run drives a phase with workers goroutines; newOp gives each its own Op
// (and so its own client: SDK clients are not safe for concurrent use).
// Only successful requests count in the latencies.
func Run(ctx context.Context, workers int, lim Limits, newOp func(w int) (Op, error)) (Summary, error) {
	ops := make([]Op, workers)
	for w := range ops {
		op, err := newOp(w)
		if err != nil {
			return Summary{}, err
		}
		ops[w] = op
	}
	var (
		next, done, failed atomic.Int64
		firstErr           atomic.Pointer[string]
		wg                 sync.WaitGroup
		lats               = make([][]time.Duration, workers)
	)
	start := time.Now()
	deadline := start.Add(lim.Duration)
	stopProgress := progress(lim.Progress, lim.Ops, &done, start)
	for w := range workers {
		wg.Go(func() {
			for ctx.Err() == nil && failed.Load() < maxErrors && time.Now().Before(deadline) {
				i := int(next.Add(1) - 1)
				if i >= lim.Ops {
					return
				}
				t := time.Now()
				if err := ops[w](i); err != nil {
					failed.Add(1)
					msg := err.Error()
					firstErr.CompareAndSwap(nil, &msg)
					continue
				}
				lats[w] = append(lats[w], time.Since(t))
				done.Add(1)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	stopProgress()
	var all []time.Duration
	for _, l := range lats {
		all = append(all, l...)
	}
	first := ""
	if p := firstErr.Load(); p != nil {
		first = *p
	}
	return Summarize(all, int(failed.Load()), first, elapsed), ctx.Err()
}

// progress prints label's count and rate on stderr every 2 s until the
// returned function is called.
func progress(label string, total int, done *atomic.Int64, start time.Time) func() {
	if label == "" {
		return func() {}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(2 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				n := done.Load()
				fmt.Fprintf(os.Stderr, "  %s: %d/%d (%s)\n", label, n, total, Rate(float64(n)/time.Since(start).Seconds()))
			}
		}
	})
	return func() { close(stop); wg.Wait() }
}

// Measure runs Run and the process pid's CPU time around it (pid 0: none).
func Measure(ctx context.Context, pid, workers int, lim Limits, newOp func(w int) (Op, error)) (Phase, error) {
	var before, selfBefore time.Duration
	if pid > 0 {
		before, _ = CPUTime(pid)
	}
	selfBefore, _ = CPUTime(os.Getpid())
	s, err := Run(ctx, workers, lim, newOp)
	ph := Phase{Summary: s, Workers: workers}
	if pid > 0 {
		if after, e := CPUTime(pid); e == nil {
			ph.ServerCPU = after - before
		}
	}
	if selfAfter, e := CPUTime(os.Getpid()); e == nil {
		ph.ClientCPU = selfAfter - selfBefore
	}
	return ph, err
}

// Phase is a measured workload: its latencies and the CPU it cost.
type Phase struct {
	Summary
	Workers   int
	ServerCPU time.Duration // the server process, whole phase (0: unknown)
	ClientCPU time.Duration // this tool, whole phase
}

// ServerCPUPerOp is the server's CPU time per successful request.
func (p Phase) ServerCPUPerOp() time.Duration {
	if p.N == 0 {
		return 0
	}
	return p.ServerCPU / time.Duration(p.N)
}

// ClientCPUPerOp is this tool's CPU time per successful request.
func (p Phase) ClientCPUPerOp() time.Duration {
	if p.N == 0 {
		return 0
	}
	return p.ClientCPU / time.Duration(p.N)
}
