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

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

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
	Server     string // the slbcert revision measured
	// Others is, by run (side and measurement), the CPUs other processes
	// kept busy on average meanwhile: what disturbed that run.
	Others map[string]float64
	// servers are the process groups the tool started and keeps running
	// (backend, nginx, slbcert), whose CPU is not the others'.
	servers []int
}

// dpSide is one server under test: nginx or slbcert.
type dpSide struct {
	name string
	addr string
	proc *Process
	// serve makes the side serve c (nginx: files + reload; slbcert:
	// SetLoadBalancerHTTPSListenerAttribute) and returns once that was
	// asked for (slbcert: once it is served).
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

	r := DPResults{Others: map[string]float64{}}
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
	r.servers = append(r.servers, backend.Pid())
	if err := waitTCP(ctx, backend, 10*time.Second); err != nil {
		return err
	}

	nginx, err := nginxSide(ctx, o, tmp, backendAddr, certs["rsa2048"])
	if err != nil {
		return err
	}
	defer nginx.proc.Stop()
	ours, revision, err := slbcertSide(ctx, o, tmp, backendAddr, []*benchCert{certs["rsa2048"], certs["p256"], renewed})
	if err != nil {
		return err
	}
	defer ours.proc.Stop()
	r.Server = revision
	r.servers = append(r.servers, nginx.proc.Pid(), ours.proc.Pid())
	sides := [2]*dpSide{nginx, ours}

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
	machine, servers := SnapLoad(), r.serversCPU()
	res, err := load()
	res.CPU = GroupCPU(s.proc.Pid()) - before
	if after := SnapLoad(); !machine.at.IsZero() && !after.at.IsZero() {
		// The machine's busy time less the tool's, its reaped children's
		// (wrk, h2load) and the servers'.
		busy := after.cpu.Busy - machine.cpu.Busy - (after.ours - machine.ours) - (r.serversCPU() - servers)
		r.Others[s.name+" "+name] = max(busy, 0).Seconds() / after.at.Sub(machine.at).Seconds()
	}
	if perr := <-profiled; perr != nil && err == nil {
		logf("profile of %s %s: %v", s.name, name, perr)
	}
	return res, err
}

// serversCPU is the CPU time of the servers the tool keeps running.
func (r *DPResults) serversCPU() time.Duration {
	var t time.Duration
	for _, pid := range r.servers {
		t += GroupCPU(pid)
	}
	return t
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

// dpRegion is where the data-plane phase configures slbcert: a region that
// takes ECC certificates (the built-in table's eu-west-1), for the P-256
// handshakes.
const dpRegion = "eu-west-1"

// slbcertSide starts `slbcert serve` with its data plane's address pool on
// 127.3.0.0/24 and a port offset that puts listener port 443 on a free
// port, then configures the listener through the SDK as a user would:
// upload the certificates, a load balancer, a VServer group with the
// backend (ServerIp), an HTTPS listener (HTTP/2 on, the bench policy, gzip
// and health checks off as on the nginx side), Start. Its serve is
// SetLoadBalancerHTTPSListenerAttribute, which answers once served.
func slbcertSide(ctx context.Context, o Options, tmp, backendAddr string, certs []*benchCert) (*dpSide, string, error) {
	bin, revision := o.ServerBin, "the binary "+o.ServerBin
	if bin == "" {
		var err error
		logf("building ./cmd/slbcert")
		if bin, revision, err = BuildServer(ctx, tmp); err != nil {
			return nil, "", err
		}
	}
	addr, err := freeAddrOn("127.3.0.1") // the pool's first address: the load balancer's
	if err != nil {
		return nil, "", err
	}
	_, p, _ := net.SplitHostPort(addr)
	bound, _ := strconv.Atoi(p)
	pprofAddr, err := FreeAddr()
	if err != nil {
		return nil, "", err
	}
	iamFile := filepath.Join(tmp, "iam.json")
	if err := WriteIAMFile(iamFile, 100); err != nil {
		return nil, "", err
	}
	proc, _, err := Slbcert(ctx, bin, filepath.Join(tmp, "slbcert-serve"), iamFile, "--pprof", pprofAddr,
		"--lb-address-pool", "127.3.0.0/24", "--lb-port-offset", strconv.Itoa(bound-443))
	if err != nil {
		return nil, "", err
	}
	lc, err := configureListener(proc.Addr, backendAddr, certs)
	if err != nil {
		proc.Stop()
		return nil, "", err
	}
	if lc.address != "127.3.0.1" {
		proc.Stop()
		return nil, "", fmt.Errorf("the load balancer got %s, not the pool's first address", lc.address)
	}
	return &dpSide{name: "slbcert", addr: addr, proc: proc,
		serve: func(ctx context.Context, c *benchCert) error { return lc.swap(c) },
		profile: func(ctx context.Context, d time.Duration, path string) error {
			secs := int(d / time.Second)
			resp, err := http.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", pprofAddr, secs))
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			if err != nil {
				return err
			}
			return os.WriteFile(path, b, 0o644)
		}}, revision, nil
}

// benchListener is the listener the data-plane phase configured.
type benchListener struct {
	c       *slb.Client
	lb      string
	address string
	ids     map[*benchCert]string // ServerCertificateId of each certificate
}

// configureListener configures slbcert at api through the SDK; the
// listener serves certs[0] when it returns.
func configureListener(api, backendAddr string, certs []*benchCert) (*benchListener, error) {
	c, err := NewSLBClient(api)
	if err != nil {
		return nil, err
	}
	l := &benchListener{c: c, ids: map[*benchCert]string{}}
	for _, cert := range certs {
		req := slb.CreateUploadServerCertificateRequest()
		req.Scheme, req.RegionId, req.ServerCertificateName = "http", dpRegion, "bench-"+cert.kind
		req.ServerCertificate, req.PrivateKey = cert.chainPEM, cert.keyPEM
		resp, err := c.UploadServerCertificate(req)
		if err != nil {
			return nil, fmt.Errorf("UploadServerCertificate %s: %w", cert.kind, err)
		}
		l.ids[cert] = resp.ServerCertificateId
	}
	lbReq := slb.CreateCreateLoadBalancerRequest()
	lbReq.Scheme, lbReq.RegionId, lbReq.LoadBalancerName, lbReq.LoadBalancerSpec = "http", dpRegion, "bench", "slb.s2.small"
	lb, err := c.CreateLoadBalancer(lbReq)
	if err != nil {
		return nil, fmt.Errorf("CreateLoadBalancer: %w", err)
	}
	l.lb, l.address = lb.LoadBalancerId, lb.Address
	host, port, _ := net.SplitHostPort(backendAddr)
	g := slb.CreateCreateVServerGroupRequest()
	g.Scheme, g.RegionId, g.LoadBalancerId, g.VServerGroupName = "http", dpRegion, l.lb, "backend"
	g.BackendServers = fmt.Sprintf(`[{"ServerId":"i-backend","ServerIp":%q,"Port":%s,"Weight":100}]`, host, port)
	group, err := c.CreateVServerGroup(g)
	if err != nil {
		return nil, fmt.Errorf("CreateVServerGroup: %w", err)
	}
	req := slb.CreateCreateLoadBalancerHTTPSListenerRequest()
	req.Scheme, req.RegionId, req.LoadBalancerId, req.ListenerPort = "http", dpRegion, l.lb, requests.NewInteger(443)
	req.VServerGroupId, req.ServerCertificateId, req.Bandwidth = group.VServerGroupId, l.ids[certs[0]], requests.NewInteger(-1)
	req.StickySession, req.HealthCheck, req.Gzip, req.EnableHttp2, req.TLSCipherPolicy = "off", "off", "off", "on", benchPolicy
	if _, err := c.CreateLoadBalancerHTTPSListener(req); err != nil {
		return nil, fmt.Errorf("CreateLoadBalancerHTTPSListener: %w", err)
	}
	start := slb.CreateStartLoadBalancerListenerRequest()
	start.Scheme, start.RegionId, start.LoadBalancerId, start.ListenerPort = "http", dpRegion, l.lb, requests.NewInteger(443)
	if _, err := c.StartLoadBalancerListener(start); err != nil {
		return nil, fmt.Errorf("StartLoadBalancerListener: %w", err)
	}
	return l, nil
}

// swap points the listener at cert's certificate, as renewal tools do.
func (l *benchListener) swap(cert *benchCert) error {
	req := slb.CreateSetLoadBalancerHTTPSListenerAttributeRequest()
	req.Scheme, req.RegionId, req.LoadBalancerId, req.ListenerPort = "http", dpRegion, l.lb, requests.NewInteger(443)
	req.ServerCertificateId = l.ids[cert]
	_, err := l.c.SetLoadBalancerHTTPSListenerAttribute(req)
	return err
}

// measureSwaps times n certificate swaps on s, alternating two
// certificates: from the moment the swap is asked for (slbcert:
// SetLoadBalancerHTTPSListenerAttribute through the SDK; nginx: new
// files, then SIGHUP) to the first new handshake that presents the new
// certificate, handshaking back to back meanwhile.
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
