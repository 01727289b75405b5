package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"
)

// manyOps leaves a timed phase bounded by its duration alone.
const manyOps = math.MaxInt32

// warmup is how many untimed requests precede each workload, so lazy
// initialisation on either side (connections, moto's backends) is not timed;
// probeWarmup precede each scale probe, after the loading's write burst.
const (
	warmup      = 20
	probeWarmup = 200
)

// Results are the figures of one run.
type Results struct {
	Server string          // the revision built, or the binary given
	Starts []time.Duration // slbcert start to healthy, per fresh start
	Floors Floors

	SeqUpload, ConcUpload, ConcDescribe Phase

	Listeners *ListenerResults // nil: skipped
	Scale     *ScaleResult     // nil: skipped
	Moto      *MotoResult      // nil: skipped
	// Failures name the sections that could not run, and why.
	Failures []string
	// Others tells how busy the machine was with other work during the run.
	Others string
}

// ScaleResult is Describe-by-id at a small and a large store.
type ScaleResult struct {
	SmallN, LargeN int   // certificates stored at each probe
	Small, Large   Phase // sequential Describe-by-id probes
	Loading        []Chunk
	Memory         Memory // the server's, after loading
	LoadTimedOut   bool
}

// Chunk is one stretch of the loading, from From to To certificates stored.
type Chunk struct {
	From, To int
	Phase
}

// MotoResult is the moto side.
type MotoResult struct {
	Start                    time.Duration // 0: not started by the tool
	IAMSeq, IAMConc, IAMRead Phase
	ACMSeq, ACMConc, ACMRead Phase
	Memory                   Memory
}

// Bench is one run in progress.
type Bench struct {
	Opts    Options
	Tmp     string // removed at the end
	Bin     string
	IAMFile string
	Pair    *Pair
	R       Results
}

// logf reports progress on stderr.
func logf(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }

// StartToHealthy times Opts.Starts fresh starts of slbcert, each over a new
// data directory.
func (b *Bench) StartToHealthy(ctx context.Context) error {
	logf("start to healthy: %d fresh starts", b.Opts.Starts)
	for i := range b.Opts.Starts {
		dir := filepath.Join(b.Tmp, fmt.Sprintf("start-%d", i))
		p, healthy, err := Slbcert(ctx, b.Bin, dir, b.IAMFile)
		if err != nil {
			return err
		}
		p.Stop()
		os.RemoveAll(dir)
		b.R.Starts = append(b.R.Starts, healthy)
	}
	return nil
}

// Workloads runs the sequential and N-worker phases on a fresh slbcert.
func (b *Bench) Workloads(ctx context.Context) error {
	p, _, err := Slbcert(ctx, b.Bin, filepath.Join(b.Tmp, "workloads"), b.IAMFile)
	if err != nil {
		return err
	}
	defer p.Stop()
	ids := &IDs{}
	upload := UploadOp(p.Addr, b.Pair, ids)
	if err := b.warm(ctx, upload, warmup); err != nil {
		return fmt.Errorf("slbcert warm-up: %w", err)
	}
	o := b.Opts
	logf("slbcert: sequential uploads (up to %d, %v)", o.Seq, o.Duration)
	if b.R.SeqUpload, err = Measure(ctx, p.Pid(), 1, Limits{Ops: o.Seq, Duration: o.Duration}, upload); err != nil {
		return err
	}
	logf("slbcert: uploads, %d workers, %v", o.Workers, o.Duration)
	if b.R.ConcUpload, err = Measure(ctx, p.Pid(), o.Workers, Limits{Ops: manyOps, Duration: o.Duration}, upload); err != nil {
		return err
	}
	logf("slbcert: Describe by id, %d workers, %v", o.Workers, o.Duration)
	describe := DescribeOp(p.Addr, ids.Snapshot())
	if err := b.warm(ctx, describe, warmup); err != nil {
		return fmt.Errorf("slbcert warm-up: %w", err)
	}
	b.R.ConcDescribe, err = Measure(ctx, p.Pid(), o.Workers, Limits{Ops: manyOps, Duration: o.Duration}, describe)
	return err
}

// warm sends n untimed requests through newOp.
func (b *Bench) warm(ctx context.Context, newOp func(int) (Op, error), n int) error {
	s, err := Run(ctx, 1, Limits{Ops: n, Duration: time.Minute}, newOp)
	if err == nil && s.Errors > 0 {
		err = fmt.Errorf("%d of %d failed, the first: %s", s.Errors, n, s.FirstErr)
	}
	return err
}
