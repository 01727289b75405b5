package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
)

// Floors are what an upload cannot cost less than, measured in-process in
// the same run: parsing and matching the pair, one durable 4 KiB write, and
// the SDK's round trip to a server that does nothing.
type Floors struct {
	Parse, Fsync, SDK    time.Duration // medians
	ParseN, FsyncN, SDKN int
}

// Sum is the three floors together.
func (f Floors) Sum() time.Duration { return f.Parse + f.Fsync + f.SDK }

// MeasureFloors measures each floor up to n times or for budget, whichever
// ends first. dir is where the fsync file goes: the disk the servers use.
func MeasureFloors(ctx context.Context, p *Pair, dir string, n int, budget time.Duration) (Floors, error) {
	var f Floors
	var err error
	if f.Parse, f.ParseN, err = median(ctx, n, budget, func() error {
		_, err := tls.X509KeyPair([]byte(p.ChainPEM), []byte(p.KeyPEM))
		return err
	}); err != nil {
		return f, fmt.Errorf("parse floor: %w", err)
	}
	if f.Fsync, f.FsyncN, err = fsyncFloor(ctx, dir, n, budget); err != nil {
		return f, fmt.Errorf("fsync floor: %w", err)
	}
	if f.SDK, f.SDKN, err = sdkFloor(ctx, n, budget); err != nil {
		return f, fmt.Errorf("SDK floor: %w", err)
	}
	return f, nil
}

// floorBudget bounds the time of each floor.
const floorBudget = 5 * time.Second

// median times fn up to n times within budget (after 10 untimed calls).
func median(ctx context.Context, n int, budget time.Duration, fn func() error) (time.Duration, int, error) {
	for range 10 {
		if err := fn(); err != nil {
			return 0, 0, err
		}
	}
	lat := make([]time.Duration, 0, n)
	deadline := time.Now().Add(budget)
	for len(lat) < n && ctx.Err() == nil && time.Now().Before(deadline) {
		t := time.Now()
		if err := fn(); err != nil {
			return 0, 0, err
		}
		lat = append(lat, time.Since(t))
	}
	return Median(lat), len(lat), ctx.Err()
}

// fsyncFloor appends 4 KiB to a file and fsyncs it, as a write-ahead log
// does; the file starts over every 256 writes.
func fsyncFloor(ctx context.Context, dir string, n int, budget time.Duration) (time.Duration, int, error) {
	path := filepath.Join(dir, "fsync-floor")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, 0, err
	}
	defer os.Remove(path)
	defer f.Close()
	if err := f.Sync(); err != nil {
		return 0, 0, err
	}
	block := make([]byte, 4096)
	var off int64
	return median(ctx, n, budget, func() error {
		if off >= 256*4096 {
			off = 0
		}
		if _, err := f.WriteAt(block, off); err != nil {
			return err
		}
		off += 4096
		return f.Sync()
	})
}

// sdkFloor is DescribeRegions through the official SDK against a local
// server answering a minimal valid body at once.
func sdkFloor(ctx context.Context, n int, budget time.Duration) (time.Duration, int, error) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.Write([]byte(`{"RequestId":"5B8F4B9E-0000-4000-8000-000000000000","Regions":{"Region":[]}}`))
	}))
	defer srv.Close()
	c, err := NewSLBClient(srv.Listener.Addr().String())
	if err != nil {
		return 0, 0, err
	}
	return median(ctx, n, budget, func() error {
		req := slb.CreateDescribeRegionsRequest()
		req.Scheme = "http"
		_, err := c.DescribeRegions(req)
		return err
	})
}
