// Command slbcert-bench measures slbcert the way users meet it: it starts
// the server as a subprocess on a loopback port, times its start, measures
// the floors an upload cannot beat, drives uploads and describes through
// the official Go SDK sequentially and with N workers, loads 100k
// certificates to see Describe-by-id and memory at scale, runs the same
// shapes against moto_server (IAM and ACM), and prints a report with the
// targets of issue 6 judged.
//
//	go run ./cmd/slbcert-bench [--duration 10s] [--scale 100000] [--markdown FILE]
//
// With --dataplane it measures the data plane instead: a listener of
// slbcert's beside nginx, serving the same certificate, backend and TLS
// policy, driven by wrk and h2load (handshakes per second with RSA 2048
// and P-256 certificates, keep-alive requests per second and p99 over
// HTTP/1.1 and HTTP/2, the time a certificate swap takes to be seen).
//
// With --layer4 it measures TCP and UDP listeners beside nginx's stream
// module (new connections per second, relay throughput, UDP datagrams per
// second) and the cost of an ACL of 300 entries.
//
// Every phase is bounded in time and count; only 127.0.0.1 is ever
// targeted; subprocesses are stopped and the temporary directory removed
// on every exit, interrupts included.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if spec := os.Getenv(l4BackendEnv); spec != "" {
		// The layer-4 phase's backend, started by the tool itself.
		if err := runL4Backend(spec); err != nil {
			fmt.Fprintln(os.Stderr, "slbcert-bench backend:", err)
			os.Exit(1)
		}
		return
	}
	opts, err := ParseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "slbcert-bench:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	go func() { <-ctx.Done(); stop() }() // a second interrupt kills at once
	if opts.Layer4 {
		err = RunLayer4(ctx, opts, os.Args[1:])
	} else if opts.Dataplane {
		err = RunDataplane(ctx, opts, os.Args[1:])
	} else {
		err = run(ctx, opts, os.Args[1:])
	}
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "slbcert-bench:", err)
		os.Exit(1)
	}
}

// iamQuota is the bench account's quota of server certificates per region:
// far above anything a run loads.
const iamQuota = 100_000_000

func run(ctx context.Context, o Options, args []string) error {
	tmp, err := os.MkdirTemp(o.Dir, "slbcert-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	b := &Bench{Opts: o, Tmp: tmp, Bin: o.ServerBin, IAMFile: tmp + "/iam.json"}
	b.R.Server = "the binary " + o.ServerBin
	if b.Bin == "" {
		logf("building ./cmd/slbcert")
		if b.Bin, b.R.Server, err = BuildServer(ctx, tmp); err != nil {
			return err
		}
	}
	if err := WriteIAMFile(b.IAMFile, iamQuota); err != nil {
		return err
	}
	load := SnapLoad()
	logf("generating the RSA 2048 chain")
	if b.Pair, err = NewPair(); err != nil {
		return err
	}
	if err := b.StartToHealthy(ctx); err != nil {
		return err
	}
	logf("floors")
	if b.R.Floors, err = MeasureFloors(ctx, b.Pair, tmp, o.FloorN, floorBudget); err != nil {
		return err
	}
	sections := []struct {
		name string
		skip bool
		run  func(context.Context) error
	}{
		{"slbcert workloads", false, b.Workloads},
		{"listener workloads", !o.Listeners, b.Listeners},
		{"scale", o.Scale == 0, b.Scale},
		{"moto", !o.Moto, b.Moto},
	}
	for _, s := range sections {
		if s.skip {
			continue
		}
		if err := s.run(ctx); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("interrupted during %s", s.name)
			}
			logf("%s failed: %v", s.name, err)
			b.R.Failures = append(b.R.Failures, fmt.Sprintf("%s failed: %v", s.name, err))
		}
	}
	b.R.Others = Others(load, SnapLoad())
	rep := BuildReport(o, args, &b.R, tmp)
	rep.Text(os.Stdout)
	if o.Markdown != "" {
		f, err := os.Create(o.Markdown)
		if err != nil {
			return err
		}
		rep.Markdown(f)
		if err := f.Close(); err != nil {
			return err
		}
	}
	if len(b.R.Failures) > 0 {
		return fmt.Errorf("%d section(s) failed", len(b.R.Failures))
	}
	return nil
}
