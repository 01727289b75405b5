package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"
)

// Scale loads certificates into a fresh slbcert, probing Describe-by-id at
// 1k and at Opts.Scale stored, and reads the server's memory after loading.
func (b *Bench) Scale(ctx context.Context) error {
	o := b.Opts
	p, _, err := Slbcert(ctx, b.Bin, filepath.Join(b.Tmp, "scale"), b.IAMFile)
	if err != nil {
		return err
	}
	defer p.Stop()
	res := &ScaleResult{}
	b.R.Scale = res
	ids := &IDs{}
	upload := UploadOp(p.Addr, b.Pair, ids)
	probe := func() (Phase, error) {
		describe := DescribeOp(p.Addr, ids.Snapshot())
		if err := b.warm(ctx, describe, probeWarmup); err != nil {
			return Phase{}, fmt.Errorf("warm-up: %w", err)
		}
		return Measure(ctx, p.Pid(), 1, Limits{Ops: o.Probes, Duration: o.Duration}, describe)
	}
	deadline := time.Now().Add(o.LoadTimeout)
	load := func(to int) (bool, error) {
		from := ids.Len()
		left := time.Until(deadline)
		if left <= 0 {
			return false, nil
		}
		ph, err := Measure(ctx, p.Pid(), o.LoadWorkers,
			Limits{Ops: to - from, Duration: left, Progress: fmt.Sprintf("loading %d→%d", from, to)}, upload)
		if err != nil {
			return false, err
		}
		if ph.Errors > 0 {
			return false, fmt.Errorf("loading: %d uploads failed, the first: %s", ph.Errors, ph.FirstErr)
		}
		res.Loading = append(res.Loading, Chunk{From: from, To: ids.Len(), Phase: ph})
		return ids.Len() >= to, nil
	}

	small := min(1000, o.Scale)
	logf("scale: loading %d certificates (%d workers)", small, o.LoadWorkers)
	if _, err := load(small); err != nil {
		return err
	}
	res.SmallN = ids.Len()
	logf("scale: Describe by id at %d", res.SmallN)
	if res.Small, err = probe(); err != nil {
		return err
	}
	step := max(o.Scale/10, 1)
	for to := step; to <= o.Scale; to += step {
		if to <= ids.Len() {
			continue
		}
		done, err := load(to)
		if err != nil {
			return err
		}
		if !done {
			res.LoadTimedOut = true
			break
		}
	}
	res.LargeN = ids.Len()
	if res.Memory, err = ReadMemory(p.Pid()); err != nil {
		return err
	}
	logf("scale: Describe by id at %d", res.LargeN)
	res.Large, err = probe()
	return err
}
