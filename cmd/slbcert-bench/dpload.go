package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// LoadResult is what one load-tool run measured.
type LoadResult struct {
	Rate     float64       // successful requests per second
	P50, P99 time.Duration // latency (0 when the run does not measure it)
	Requests int           // requests completed
	Errors   int           // socket errors, non-2xx answers, failed streams
	CPU      time.Duration // the server's CPU time over the run
}

// PerRequest is the server's CPU time per request.
func (r LoadResult) PerRequest() time.Duration {
	if r.Requests == 0 {
		return 0
	}
	return r.CPU / time.Duration(r.Requests)
}

var (
	wrkRate    = regexp.MustCompile(`(?m)^Requests/sec:\s+([0-9.]+)`)
	wrkTotal   = regexp.MustCompile(`(?m)^\s*(\d+) requests in `)
	wrkLatency = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	wrkSocket  = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkNon2xx  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
)

// ParseWrk reads wrk's report (run with --latency).
func ParseWrk(out string) (LoadResult, error) {
	var r LoadResult
	m := wrkRate.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("wrk: no Requests/sec in %q", out)
	}
	r.Rate, _ = strconv.ParseFloat(m[1], 64)
	if m := wrkTotal.FindStringSubmatch(out); m != nil {
		r.Requests, _ = strconv.Atoi(m[1])
	}
	for _, m := range wrkLatency.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[m[3]]
		d := time.Duration(v * float64(unit))
		if m[1] == "50" {
			r.P50 = d
		} else {
			r.P99 = d
		}
	}
	if m := wrkSocket.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.Atoi(s)
			r.Errors += n
		}
	}
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		n, _ := strconv.Atoi(m[1])
		r.Errors += n
		// wrk's rate counts every answer; only successes count here.
		if r.Requests > 0 {
			r.Rate *= float64(r.Requests-n) / float64(r.Requests)
			r.Requests -= n
		}
	}
	return r, nil
}

var (
	h2Finished = regexp.MustCompile(`finished in [0-9.]+\w+, ([0-9.]+) req/s`)
	h2Requests = regexp.MustCompile(`requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout`)
	h2Status   = regexp.MustCompile(`status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx`)
)

// ParseH2load reads h2load's report.
func ParseH2load(out string) (LoadResult, error) {
	var r LoadResult
	m := h2Finished.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("h2load: no req/s in %q", out)
	}
	r.Rate, _ = strconv.ParseFloat(m[1], 64)
	if m := h2Requests.FindStringSubmatch(out); m != nil {
		r.Requests, _ = strconv.Atoi(m[1])
		for _, s := range m[2:] {
			n, _ := strconv.Atoi(s)
			r.Errors += n
		}
	}
	if m := h2Status.FindStringSubmatch(out); m != nil {
		for _, s := range m[2:] {
			n, _ := strconv.Atoi(s)
			r.Errors += n
		}
	}
	return r, nil
}

// ParseH2loadLog reads h2load's --log-file (start µs, status, duration µs
// per line) into the latencies of the 2xx answers.
func ParseH2loadLog(path string) ([]time.Duration, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lat []time.Duration
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 || !strings.HasPrefix(fields[1], "2") {
			continue
		}
		us, err := strconv.ParseInt(fields[2], 10, 64)
		if err != nil {
			continue
		}
		lat = append(lat, time.Duration(us)*time.Microsecond)
	}
	return lat, sc.Err()
}

// runTool runs a load tool to completion and returns its output.
func runTool(ctx context.Context, argv ...string) (string, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return string(out), fmt.Errorf("%s: %v: %s", argv[0], err, strings.TrimSpace(string(out)))
		}
		return string(out), err
	}
	return string(out), nil
}
