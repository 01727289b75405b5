package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const wrkOut = `Running 2s test @ https://127.3.0.1:40000/
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.10ms    2.01ms  29.20ms   80.01%
    Req/Sec    15.73k     1.20k   17.00k    70.00%
  Latency Distribution
     50%    3.71ms
     75%    4.80ms
     90%    6.20ms
     99%   12.50ms
  31300 requests in 2.00s, 4.90MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 300
Requests/sec:  15650.00
Transfer/sec:      2.45MB
`

func TestParseWrk(t *testing.T) {
	r, err := ParseWrk(wrkOut)
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 31000 || r.Errors != 303 || r.P50 != 3710*time.Microsecond || r.P99 != 12500*time.Microsecond {
		t.Fatalf("%+v", r)
	}
	if want := 15650.0 * 31000 / 31300; r.Rate < want-0.01 || r.Rate > want+0.01 {
		t.Fatalf("rate %v, want %v (successes only)", r.Rate, want)
	}
	if _, err := ParseWrk("unable to connect to 127.0.0.1:1 Connection refused"); err == nil {
		t.Fatal("no error without a rate")
	}
}

const h2loadOut = `starting benchmark...
spawning thread #0: 16 total client(s). Timing-based test with 0s of warm-up time and 2s of main duration for measurements.
Main benchmark duration is started for thread #0.
finished in 2.00s, 9316.50 req/s, 1.10MB/s
requests: 18633 total, 18761 started, 18633 done, 18630 succeeded, 3 failed, 0 errored, 0 timeout
status codes: 18630 2xx, 0 3xx, 0 4xx, 2 5xx
traffic: 2.20MB (2306543) total, 150.00KB (153600) headers (space savings 90.00%), 400.00KB (409600) data
`

func TestParseH2load(t *testing.T) {
	r, err := ParseH2load(h2loadOut)
	if err != nil {
		t.Fatal(err)
	}
	if r.Rate != 9316.5 || r.Requests != 18630 || r.Errors != 5 {
		t.Fatalf("%+v", r)
	}
	log := filepath.Join(t.TempDir(), "h2load.log")
	os.WriteFile(log, []byte("1700000000000000\t200\t1500\n1700000000000100\t503\t90000\n1700000000000200\t200\t2500\n"), 0o600)
	lat, err := ParseH2loadLog(log)
	if err != nil {
		t.Fatal(err)
	}
	if len(lat) != 2 || lat[0] != 1500*time.Microsecond || lat[1] != 2500*time.Microsecond {
		t.Fatalf("%v", lat)
	}
}

func TestProxyConfigNamesThePolicy(t *testing.T) {
	c := ProxyConfig("/tmp/x", "127.2.0.1:443", "127.0.0.1:80", "/tmp/x/c.pem", "/tmp/x/k.pem")
	for _, want := range []string{"listen 127.2.0.1:443 ssl http2", "server 127.0.0.1:80;", "ssl_protocols TLSv1.2 TLSv1.3;", "ECDHE-ECDSA-AES128-GCM-SHA256:", "ssl_certificate /tmp/x/c.pem;"} {
		if !strings.Contains(c, want) {
			t.Errorf("no %q in\n%s", want, c)
		}
	}
}
