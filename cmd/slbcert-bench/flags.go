package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"time"
)

// Options are the tool's flags.
type Options struct {
	ServerBin   string        // slbcert binary; empty: build ./cmd/slbcert
	Workers     int           // concurrent clients of the N-worker phases
	Duration    time.Duration // length of each timed phase, at most
	Seq         int           // requests of a sequential phase, at most
	Starts      int           // fresh starts timed for start-to-healthy
	FloorN      int           // samples of each floor, at most
	Scale       int           // certificates to load for the scale phase; 0 skips it
	LoadWorkers int           // clients loading certificates
	LoadTimeout time.Duration // the loading's time, at most
	Probes      int           // Describe-by-id requests at each scale point, at most
	Listeners   bool          // run the listener-configuration workload
	Moto        bool          // run the moto side
	MotoURL     string        // a running moto_server; empty: start one
	MotoBin     string        // the moto_server command
	Markdown    string        // also write the report as Markdown here
	Dir         string        // where the temporary directory goes

	Dataplane  bool   // run the data-plane phase only
	NginxBin   string // nginx, the data plane's twin and the backend
	WrkBin     string // wrk, the HTTP/1.1 load
	H2loadBin  string // h2load, the HTTP/2 load
	Swaps      int    // certificate swaps timed
	ProfileDir string // where CPU profiles of the data plane go; empty: none

	Layer4   bool // run the layer-4 phase only
	L4Rounds int  // rounds of each layer-4 measurement, sides alternating
}

// ParseFlags reads the command line.
func ParseFlags(args []string, stderr io.Writer) (Options, error) {
	var o Options
	fs := flag.NewFlagSet("slbcert-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./cmd/slbcert-bench [flags]\n\nStarts slbcert (and moto_server) on loopback ports, drives them, prints a report.")
		fs.PrintDefaults()
	}
	fs.StringVar(&o.ServerBin, "server-bin", "", "slbcert binary to start (default: go build ./cmd/slbcert into the temporary directory)")
	fs.IntVar(&o.Workers, "workers", 8, "concurrent clients in the N-worker phases")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "length of each timed phase, at most")
	fs.IntVar(&o.Seq, "seq", 2000, "requests of each sequential phase, at most (also bounded by --duration)")
	fs.IntVar(&o.Starts, "starts", 5, "fresh starts timed for start-to-healthy")
	fs.IntVar(&o.FloorN, "floor-samples", 1000, "samples of each floor, at most (each floor also stops after 5 s)")
	fs.IntVar(&o.Scale, "scale", 100000, "certificates to load for Describe-by-id at scale and RSS; 0 skips the phase")
	fs.IntVar(&o.LoadWorkers, "load-workers", 16, "clients loading the scale phase's certificates")
	fs.DurationVar(&o.LoadTimeout, "load-timeout", 7*time.Minute, "the scale phase's loading stops after this")
	fs.IntVar(&o.Probes, "probes", 3000, "Describe-by-id requests at each scale point, at most (also bounded by --duration)")
	fs.BoolVar(&o.Listeners, "listeners", true, "run the listener-configuration workload (create, certificate swap, describe)")
	fs.BoolVar(&o.Moto, "moto", true, "run the same workloads against moto_server (IAM and ACM)")
	fs.StringVar(&o.MotoURL, "moto-url", "", "a running moto_server, http://127.0.0.1:PORT (default: start one)")
	fs.StringVar(&o.MotoBin, "moto-bin", "moto_server", "the moto_server command")
	fs.StringVar(&o.Markdown, "markdown", "", "also write the report as Markdown to this file")
	fs.StringVar(&o.Dir, "dir", "", "parent of the temporary directory holding data, logs and the fsync floor (default: the system's)")
	fs.BoolVar(&o.Dataplane, "dataplane", false, "run only the data-plane phase: slbcert's listener beside nginx (same certificate, backend, TLS policy), driven by wrk and h2load")
	fs.StringVar(&o.NginxBin, "nginx-bin", "nginx", "the nginx command (--dataplane)")
	fs.StringVar(&o.WrkBin, "wrk-bin", "wrk", "the wrk command (--dataplane)")
	fs.StringVar(&o.H2loadBin, "h2load-bin", "h2load", "the h2load command (--dataplane)")
	fs.IntVar(&o.Swaps, "swaps", 40, "certificate swaps timed (--dataplane)")
	fs.StringVar(&o.ProfileDir, "profile-dir", "", "write CPU profiles of slbcert's data plane during each load here (--dataplane)")
	fs.BoolVar(&o.Layer4, "layer4", false, "run only the layer-4 phase: slbcert's TCP and UDP listeners beside nginx's stream module (new connections/s, relay throughput, UDP datagrams/s), and an ACL of 300 entries")
	fs.IntVar(&o.L4Rounds, "l4-rounds", 3, "rounds of each layer-4 measurement, the sides alternating; each side's best is reported (--layer4)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return o, o.Validate()
}

// Validate reports the first flag out of range.
func (o *Options) Validate() error {
	switch {
	case o.Workers < 1 || o.Workers > 256:
		return errors.New("--workers must be 1..256")
	case o.LoadWorkers < 1 || o.LoadWorkers > 256:
		return errors.New("--load-workers must be 1..256")
	case o.Duration < 100*time.Millisecond || o.Duration > 10*time.Minute:
		return errors.New("--duration must be 100ms..10m")
	case o.Seq < 1 || o.Probes < 1 || o.FloorN < 1:
		return errors.New("--seq, --probes and --floor-samples must be positive")
	case o.Starts < 1 || o.Starts > 100:
		return errors.New("--starts must be 1..100")
	case o.Scale < 0 || o.Scale > 10_000_000:
		return errors.New("--scale must be 0..10000000")
	case o.LoadTimeout <= 0 || o.LoadTimeout > time.Hour:
		return errors.New("--load-timeout must be positive and at most 1h")
	case o.Swaps < 1 || o.Swaps > 10000:
		return errors.New("--swaps must be 1..10000")
	case o.L4Rounds < 1 || o.L4Rounds > 20:
		return errors.New("--l4-rounds must be 1..20")
	}
	if o.MotoURL != "" {
		u, err := url.Parse(o.MotoURL)
		if err != nil || u.Scheme != "http" {
			return fmt.Errorf("--moto-url %q: want http://127.0.0.1:PORT", o.MotoURL)
		}
		if err := checkLoopback(u.Host); err != nil {
			return fmt.Errorf("--moto-url: %w", err)
		}
	}
	return nil
}
