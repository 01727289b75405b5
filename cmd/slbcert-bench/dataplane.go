package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"slbcert/dataplane"
	"slbcert/internal/testpki"
)

// benchCert is a chain (leaf + intermediate) and key the data-plane phase
// serves.
type benchCert struct {
	kind             string
	leaf             []byte // DER, to recognise it in a handshake
	chainPEM, keyPEM string
}

func newBenchCert(kind string) *benchCert {
	s := testpki.NewServerWithKey(testpki.NewKey(kind), testpki.Leaf{CommonName: "bench.example.com", DNSNames: []string{"bench.example.com"}})
	return &benchCert{kind: kind, leaf: s.Leaf.Raw, chainPEM: s.ChainPEM, keyPEM: s.KeyPEM}
}

// DPResults are the data-plane phase's figures, nginx's beside slbcert's.
type DPResults struct {
	Handshakes map[string][2]LoadResult // by key kind: [nginx, slbcert]
	HTTP1      [2]LoadResult
	HTTP2      [2]LoadResult
	Swap       [2]Summary
	Failures   []string
	Profiles   []string
	LoadAvg    string
}

// dpSide is one server under test: nginx or slbcert.
type dpSide struct {
	name string
	addr string
	proc *Process
	// serve makes the side serve c (nginx: files + reload; slbcert: the
	// harness's Apply) and returns once that was asked for.
	serve func(ctx context.Context, c *benchCert) error
	// profile, when set, records a CPU profile of the side for d into path.
	profile func(ctx context.Context, d time.Duration, path string) error
}

// RunDataplane is the data-plane phase: nginx and slbcert's data plane
// serve the same certificate, backend and TLS policy on loopback
// addresses of their own; wrk and h2load drive each in turn.
func RunDataplane(ctx context.Context, o Options, args []string) error {
	for _, bin := range []string{o.NginxBin, o.WrkBin, o.H2loadBin} {
		if _, err := exec.LookPath(bin); err != nil {
			return fmt.Errorf("%s not found (Debian: apt-get install -y nginx wrk nghttp2-client): %w", bin, err)
		}
	}
	tmp, err := os.MkdirTemp(o.Dir, "slbcert-bench-dp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	os.Chmod(tmp, 0o755) // nginx's workers drop root

	var r DPResults
	r.LoadAvg = loadAvg()
	logf("load average at the start: %s", r.LoadAvg)
	logf("generating certificates")
	certs := map[string]*benchCert{"rsa2048": newBenchCert("rsa2048"), "p256": newBenchCert("p256")}
	renewed := newBenchCert("rsa2048")

	backendAddr, err := freeAddrOn("127.0.0.1")
	if err != nil {
		return err
	}
	backend, err := startNginx(o.NginxBin, tmp, "backend", backendAddr, BackendConfig(tmp, backendAddr))
	if err != nil {
		return err
	}
	defer backend.Stop()
	if err := waitTCP(ctx, backend, 10*time.Second); err != nil {
		return err
	}

	nginx, err := nginxSide(ctx, o, tmp, backendAddr, certs["rsa2048"])
	if err != nil {
		return err
	}
	defer nginx.proc.Stop()
	slb, err := harnessSide(ctx, tmp, backendAddr, certs["rsa2048"])
	if err != nil {
		return err
	}
	defer slb.proc.Stop()
	sides := [2]*dpSide{nginx, slb}

	secs := int(o.Duration.Round(time.Second) / time.Second)
	if secs < 1 {
		secs = 1
	}
	r.Handshakes = map[string][2]LoadResult{}
	for _, kind := range []string{"rsa2048", "p256"} {
		var pair [2]LoadResult
		for i, s := range sides {
			if err := s.serve(ctx, certs[kind]); err != nil {
				return err
			}
			if err := waitServing(ctx, s.addr, certs[kind].leaf); err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			logf("%s: new TLS handshakes, %s", s.name, kind)
			pair[i], err = r.run(ctx, s, "handshakes-"+kind, o, func() (LoadResult, error) {
				out, err := runTool(ctx, o.WrkBin, "-t1", "-c32", "-d"+strconv.Itoa(secs)+"s", "--latency",
					"-H", "Connection: close", "https://"+s.addr+"/")
				if err != nil {
					return LoadResult{}, err
				}
				return ParseWrk(out)
			})
			if err != nil {
				r.Failures = append(r.Failures, fmt.Sprintf("%s handshakes %s: %v", s.name, kind, err))
			}
		}
		r.Handshakes[kind] = pair
	}
	for i, s := range sides {
		if err := s.serve(ctx, certs["rsa2048"]); err != nil {
			return err
		}
		if err := waitServing(ctx, s.addr, certs["rsa2048"].leaf); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		logf("%s: keep-alive HTTP/1.1", s.name)
		r.HTTP1[i], err = r.run(ctx, s, "http1", o, func() (LoadResult, error) {
			out, err := runTool(ctx, o.WrkBin, "-t1", "-c64", "-d"+strconv.Itoa(secs)+"s", "--latency", "https://"+s.addr+"/")
			if err != nil {
				return LoadResult{}, err
			}
			return ParseWrk(out)
		})
		if err != nil {
			r.Failures = append(r.Failures, fmt.Sprintf("%s HTTP/1.1: %v", s.name, err))
		}
		logf("%s: keep-alive HTTP/2", s.name)
		logFile := filepath.Join(tmp, "h2load-"+s.name+".log")
		r.HTTP2[i], err = r.run(ctx, s, "http2", o, func() (LoadResult, error) {
			out, err := runTool(ctx, o.H2loadBin, "-t1", "-c16", "-m8", "-D", strconv.Itoa(secs), "--log-file="+logFile, "https://"+s.addr+"/")
			if err != nil {
				return LoadResult{}, err
			}
			res, err := ParseH2load(out)
			if err != nil {
				return res, err
			}
			lat, err := ParseH2loadLog(logFile)
			if err != nil {
				return res, err
			}
			sum := Summarize(lat, 0, "", 0)
			res.P50, res.P99 = sum.P50, sum.P99
			return res, nil
		})
		if err != nil {
			r.Failures = append(r.Failures, fmt.Sprintf("%s HTTP/2: %v", s.name, err))
		}
	}
	for i, s := range sides {
		logf("%s: %d certificate swaps", s.name, o.Swaps)
		r.Swap[i], err = measureSwaps(ctx, s, o.Swaps, [2]*benchCert{certs["rsa2048"], renewed})
		if err != nil {
			r.Failures = append(r.Failures, fmt.Sprintf("%s swaps: %v", s.name, err))
		}
	}
	rep := DataplaneReport(o, args, &r)
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
	if len(r.Failures) > 0 {
		return fmt.Errorf("%d measurement(s) failed", len(r.Failures))
	}
	return nil
}

// run measures one load run of side s, with the server's CPU time over
// it, and a CPU profile of slbcert when --profile-dir is set.
func (r *DPResults) run(ctx context.Context, s *dpSide, name string, o Options, load func() (LoadResult, error)) (LoadResult, error) {
	profiled := make(chan error, 1)
	if s.profile != nil && o.ProfileDir != "" {
		path := filepath.Join(o.ProfileDir, "dataplane-"+name+".pprof")
		d := o.Duration - time.Second
		go func() { profiled <- s.profile(ctx, max(d, time.Second), path) }()
		r.Profiles = append(r.Profiles, path)
	} else {
		profiled <- nil
	}
	before := GroupCPU(s.proc.Pid())
	res, err := load()
	res.CPU = GroupCPU(s.proc.Pid()) - before
	if perr := <-profiled; perr != nil && err == nil {
		logf("profile of %s %s: %v", s.name, name, perr)
	}
	return res, err
}

// nginxSide starts nginx as the listener's twin on an address of its own.
func nginxSide(ctx context.Context, o Options, tmp, backendAddr string, c *benchCert) (*dpSide, error) {
	addr, err := freeAddrOn("127.2.0.1")
	if err != nil {
		return nil, err
	}
	certFile, keyFile := filepath.Join(tmp, "proxy-cert.pem"), filepath.Join(tmp, "proxy-key.pem")
	if err := writeCertFiles(certFile, keyFile, c); err != nil {
		return nil, err
	}
	p, err := startNginx(o.NginxBin, tmp, "proxy", addr, ProxyConfig(tmp, addr, backendAddr, certFile, keyFile))
	if err != nil {
		return nil, err
	}
	if err := waitTCP(ctx, p, 10*time.Second); err != nil {
		p.Stop()
		return nil, err
	}
	return &dpSide{name: "nginx", addr: addr, proc: p, serve: func(ctx context.Context, c *benchCert) error {
		if err := writeCertFiles(certFile, keyFile, c); err != nil {
			return err
		}
		return reloadNginx(p)
	}}, nil
}

// harnessSide starts slbcert's data plane in the harness and gives it the
// listener.
func harnessSide(ctx context.Context, tmp, backendAddr string, c *benchCert) (*dpSide, error) {
	addr, err := freeAddrOn("127.3.0.1")
	if err != nil {
		return nil, err
	}
	control, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	// The Go runtime's knobs pass through, for experiments (GOGC=400 …).
	var env []string
	for _, k := range []string{"GOGC", "GOMEMLIMIT", "GOMAXPROCS", "GODEBUG"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	p, err := StartProcess("slbcert data plane", control, filepath.Join(tmp, "harness.log"),
		[]string{self, harnessCommand, "--control", control}, env)
	if err != nil {
		return nil, err
	}
	if _, err := p.WaitHTTP(ctx, "/status", 10*time.Millisecond, 10*time.Second, http.StatusOK); err != nil {
		p.Stop()
		return nil, err
	}
	h := harnessClient{control: control}
	listener := func(c *benchCert) dataplane.Config {
		return dataplane.Config{Listeners: []dataplane.Listener{{
			ID: "lb-bench/https/443", LoadBalancerID: "lb-bench", Address: "127.3.0.1", Bind: addr,
			Protocol: dataplane.ProtocolHTTPS, ListenerPort: 443,
			Certificate:     &dataplane.Certificate{ID: "bench-" + c.kind, Chain: []byte(c.chainPEM), Key: []byte(c.keyPEM)},
			TLSCipherPolicy: benchPolicy, HTTP2: true,
			Backends: []dataplane.Backend{{ServerID: "i-backend", Address: backendAddr, Weight: 100}},
		}}}
	}
	if err := h.apply(ctx, listener(c)); err != nil {
		p.Stop()
		return nil, err
	}
	return &dpSide{name: "slbcert", addr: addr, proc: p,
		serve: func(ctx context.Context, c *benchCert) error { return h.apply(ctx, listener(c)) },
		profile: func(ctx context.Context, d time.Duration, path string) error {
			secs := int(d / time.Second)
			resp, err := http.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", control, secs))
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			if err != nil {
				return err
			}
			return os.WriteFile(path, b, 0o644)
		}}, nil
}

// measureSwaps times n certificate swaps on s, alternating two
// certificates: from the moment the swap is asked for (the harness's
// Apply; nginx: new files, then SIGHUP) to the first new handshake that
// presents the new certificate, handshaking back to back meanwhile.
func measureSwaps(ctx context.Context, s *dpSide, n int, certs [2]*benchCert) (Summary, error) {
	if err := s.serve(ctx, certs[0]); err != nil {
		return Summary{}, err
	}
	if err := waitServing(ctx, s.addr, certs[0].leaf); err != nil {
		return Summary{}, err
	}
	var lat []time.Duration
	start := time.Now()
	for i := range n {
		want := certs[(i+1)%2]
		t0 := time.Now()
		asked := make(chan error, 1)
		go func() { asked <- s.serve(ctx, want) }()
		var seen time.Duration
		for seen == 0 {
			leaf, err := leafOf(s.addr)
			if err == nil && bytes.Equal(leaf, want.leaf) {
				seen = time.Since(t0)
				break
			}
			if time.Since(t0) > 10*time.Second {
				return Summarize(lat, 1, "not seen after 10 s", time.Since(start)), fmt.Errorf("swap %d: the new certificate not served after 10 s", i)
			}
			if ctx.Err() != nil {
				return Summary{}, ctx.Err()
			}
		}
		if err := <-asked; err != nil {
			return Summary{}, err
		}
		lat = append(lat, seen)
		time.Sleep(200 * time.Millisecond) // nginx's old workers leave
	}
	return Summarize(lat, 0, "", time.Since(start)), nil
}

// leafOf makes a fresh full handshake (no session cache) and returns the
// leaf presented.
func leafOf(addr string) ([]byte, error) {
	d := &net.Dialer{Timeout: 2 * time.Second}
	c, err := tls.DialWithDialer(d, "tcp", addr, &tls.Config{InsecureSkipVerify: true, ServerName: "bench.example.com"})
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.ConnectionState().PeerCertificates[0].Raw, nil
}

// waitServing waits until addr presents leaf.
func waitServing(ctx context.Context, addr string, leaf []byte) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		if got, err := leafOf(addr); err == nil && bytes.Equal(got, leaf) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s does not serve the certificate after 10 s", addr)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// waitTCP waits until p accepts connections on its address.
func waitTCP(ctx context.Context, p *Process, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", p.Addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		if !p.Alive() {
			log, _ := os.ReadFile(p.LogPath)
			return fmt.Errorf("%s exited: %s", p.Name, strings.TrimSpace(string(log)))
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not accepting on %s after %v", p.Name, p.Addr, timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// freeAddrOn returns ip with a port that was free a moment ago.
func freeAddrOn(ip string) (string, error) {
	l, err := net.Listen("tcp", ip+":0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// loadAvg is /proc/loadavg's first three figures.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
