package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
)

// L4Results are the layer-4 phase's figures: for each measurement, the
// best of the rounds of each side, [nginx, slbcert].
type L4Results struct {
	Conns, Stream, UDP [2]l4Result
	// ACL is slbcert's connection rate without and with a white list of
	// 300 entries on the listener, best of the rounds each; ACLCPU the
	// least CPU per connection of the rounds each.
	ACL      [2]l4Result
	ACLCPU   [2]time.Duration
	LoadAvg  [2]string // at the start and at the end
	Server   string
	Failures []string
}

// Listener ports of the layer-4 phase, as the API knows them: greet and
// the UDP echo share a port (a TCP and a UDP listener may).
const (
	l4GreetPort  = 1000
	l4StreamPort = 1001
	l4UDPPort    = 1000
)

// RunLayer4 is the layer-4 phase: slbcert's TCP and UDP listeners beside
// nginx's stream module, forwarding to the same backends (a subprocess of
// the tool): new connections per second, relay throughput, UDP datagrams
// per second, then slbcert's connection rate under an ACL of 300 entries.
// Each measurement alternates the sides for --l4-rounds rounds and keeps
// each side's best, so that a burst of another workload on the shared
// cores does not decide it.
func RunLayer4(ctx context.Context, o Options, args []string) error {
	if _, err := os.Stat(nginxStreamModule); err != nil {
		return fmt.Errorf("nginx's stream module is missing (Debian: apt-get install -y nginx libnginx-mod-stream): %w", err)
	}
	tmp, err := os.MkdirTemp(o.Dir, "slbcert-bench-l4-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	os.Chmod(tmp, 0o755) // nginx's workers drop root
	r := L4Results{}
	r.LoadAvg[0] = loadAvg()
	logf("load average at the start: %s", r.LoadAvg[0])

	// The backends.
	greet, err := freeAddrOn("127.0.0.1")
	if err != nil {
		return err
	}
	stream, err := freeAddrOn("127.0.0.1")
	if err != nil {
		return err
	}
	udp, err := freeUDPAddrOn("127.0.0.1")
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	backend, err := StartProcess("layer-4 backend", greet, filepath.Join(tmp, "backend.log"), []string{self},
		[]string{l4BackendEnv + "=greet=" + greet + ",stream=" + stream + ",udp=" + udp})
	if err != nil {
		return err
	}
	defer backend.Stop()
	if err := waitTCP(ctx, backend, 10*time.Second); err != nil {
		return err
	}

	// nginx's stream proxy on 127.2.0.1.
	ng, err := l4Ports("127.2.0.1")
	if err != nil {
		return err
	}
	conf := L4NginxConfig(tmp, ng, greet, stream, udp)
	nginx, err := startNginx(o.NginxBin, tmp, "stream", ng.addr(0), conf)
	if err != nil {
		return err
	}
	defer nginx.Stop()
	if err := waitTCP(ctx, nginx, 10*time.Second); err != nil {
		return err
	}

	// slbcert on 127.3.0.1, configured through the SDK.
	bin, revision := o.ServerBin, "the binary "+o.ServerBin
	if bin == "" {
		logf("building ./cmd/slbcert")
		if bin, revision, err = BuildServer(ctx, tmp); err != nil {
			return err
		}
	}
	r.Server = revision
	ours, err := l4Ports("127.3.0.1")
	if err != nil {
		return err
	}
	iamFile := filepath.Join(tmp, "iam.json")
	if err := WriteIAMFile(iamFile, 100); err != nil {
		return err
	}
	proc, _, err := Slbcert(ctx, bin, filepath.Join(tmp, "slbcert-serve"), iamFile,
		"--lb-address-pool", "127.3.0.0/24", "--lb-port-offset", strconv.Itoa(ours.base-l4GreetPort))
	if err != nil {
		return err
	}
	defer proc.Stop()
	lc, err := configureL4(proc.Addr, greet, stream, udp)
	if err != nil {
		return err
	}
	if lc.address != "127.3.0.1" {
		return fmt.Errorf("the load balancer got %s, not the pool's first address", lc.address)
	}
	sides := [2]struct {
		name  string
		ports l4PortSet
		pid   int
	}{{"nginx", ng, nginx.Pid()}, {"slbcert", ours, proc.Pid()}}
	for _, s := range sides {
		if err := waitDial(ctx, s.ports.addr(0)); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}

	d := o.Duration
	measure := func(what string, run func(addr string, ports l4PortSet) l4Result) [2]l4Result {
		var best [2]l4Result
		for round := range o.L4Rounds {
			for i, s := range sides {
				logf("%s: %s, round %d", s.name, what, round+1)
				before := GroupCPU(s.pid)
				res := run(s.ports.host, s.ports)
				res.CPU = GroupCPU(s.pid) - before
				if res.Rate > best[i].Rate {
					best[i] = res
				}
				time.Sleep(500 * time.Millisecond) // sockets in TIME_WAIT and flows wind down
			}
		}
		return best
	}
	r.Conns = measure("new TCP connections", func(_ string, p l4PortSet) l4Result {
		return loadConnections(ctx, p.addr(0), 32, d)
	})
	r.Stream = measure("TCP relay throughput", func(_ string, p l4PortSet) l4Result {
		return loadStream(ctx, p.addr(1), 4, d)
	})
	r.UDP = measure("UDP datagrams", func(_ string, p l4PortSet) l4Result {
		return loadDatagrams(ctx, p.udpAddr(), 32, 64, d)
	})

	logf("slbcert: an ACL of 300 entries on the TCP listener")
	acl, err := lc.createACL(300)
	if err != nil {
		return err
	}
	for round := range o.L4Rounds {
		for i, on := range []bool{false, true} {
			if err := lc.setACL(acl, on); err != nil {
				return err
			}
			logf("slbcert: new TCP connections, ACL on %v, round %d", on, round+1)
			before := GroupCPU(proc.Pid())
			res := loadConnections(ctx, ours.addr(0), 32, d)
			res.CPU = GroupCPU(proc.Pid()) - before
			if res.Rate > r.ACL[i].Rate {
				r.ACL[i] = res
			}
			if c := res.PerOp(); c > 0 && (r.ACLCPU[i] == 0 || c < r.ACLCPU[i]) {
				r.ACLCPU[i] = c
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
	r.LoadAvg[1] = loadAvg()

	rep := Layer4Report(o, args, &r)
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

// nginxStreamModule is where Debian's libnginx-mod-stream puts the module.
const nginxStreamModule = "/usr/lib/nginx/modules/ngx_stream_module.so"

// l4PortSet is where one side listens: greet and UDP on base, stream on
// base+1, all on host.
type l4PortSet struct {
	host string
	base int
}

func (p l4PortSet) addr(i int) string { return net.JoinHostPort(p.host, strconv.Itoa(p.base+i)) }

func (p l4PortSet) udpAddr() string { return p.addr(0) }

// l4Ports finds a base port on host whose TCP base and base+1 and UDP base
// are free.
func l4Ports(host string) (l4PortSet, error) {
	for range 100 {
		a, err := freeAddrOn(host)
		if err != nil {
			return l4PortSet{}, err
		}
		_, ps, _ := net.SplitHostPort(a)
		base, _ := strconv.Atoi(ps)
		if base > 65000 {
			continue
		}
		ok := true
		for _, probe := range []func() (func(), error){
			func() (func(), error) {
				l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(base+1)))
				return closer(l), err
			},
			func() (func(), error) {
				l, err := net.ListenPacket("udp", net.JoinHostPort(host, strconv.Itoa(base)))
				return closer(l), err
			},
		} {
			c, err := probe()
			if err != nil {
				ok = false
				break
			}
			c()
		}
		if ok {
			return l4PortSet{host: host, base: base}, nil
		}
	}
	return l4PortSet{}, fmt.Errorf("no free ports on %s", host)
}

func closer(c interface{ Close() error }) func() {
	return func() {
		if c != nil {
			c.Close()
		}
	}
}

// freeUDPAddrOn is a free UDP host:port on host.
func freeUDPAddrOn(host string) (string, error) {
	c, err := net.ListenPacket("udp", host+":0")
	if err != nil {
		return "", err
	}
	defer c.Close()
	return c.LocalAddr().String(), nil
}

// waitDial waits until addr accepts a TCP connection.
func waitDial(ctx context.Context, addr string) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not accepting after 10 s: %w", addr, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// L4NginxConfig is nginx's stream module configured as slbcert's
// listeners are: a TCP proxy to greet on the base port, one to stream on
// base+1, a UDP proxy to udp on the base port; no access log.
func L4NginxConfig(dir string, p l4PortSet, greet, stream, udp string) string {
	f := func(n string) string { return filepath.Join(dir, "stream-"+n) }
	return fmt.Sprintf(`load_module %s;
daemon off;
worker_processes auto;
pid %s;
error_log %s warn;
events { worker_connections 16384; }
stream {
  server {
    listen %s backlog=4096;
    proxy_pass %s;
  }
  server {
    listen %s;
    proxy_pass %s;
  }
  server {
    listen %s udp reuseport;
    proxy_pass %s;
    proxy_timeout 60s;
  }
}
`, nginxStreamModule, f("nginx.pid"), f("error.log"), p.addr(0), greet, p.addr(1), stream, p.udpAddr(), udp)
}

// l4Config is what the layer-4 phase configured in slbcert.
type l4Config struct {
	c       *slb.Client
	lb      string
	address string
}

// configureL4 configures, through the SDK as a user would, a load
// balancer with three VServer groups (greet, stream, UDP echo), a TCP
// listener on each TCP backend and a UDP listener sharing the first's
// port, health checks off (nginx's stream proxy checks nothing), and
// starts them.
func configureL4(api, greet, stream, udp string) (*l4Config, error) {
	c, err := NewSLBClient(api)
	if err != nil {
		return nil, err
	}
	lbReq := slb.CreateCreateLoadBalancerRequest()
	lbReq.Scheme, lbReq.RegionId, lbReq.LoadBalancerName, lbReq.LoadBalancerSpec = "http", dpRegion, "bench-l4", "slb.s2.small"
	lb, err := c.CreateLoadBalancer(lbReq)
	if err != nil {
		return nil, fmt.Errorf("CreateLoadBalancer: %w", err)
	}
	l := &l4Config{c: c, lb: lb.LoadBalancerId, address: lb.Address}
	group := func(name, backend string) (string, error) {
		host, port, _ := net.SplitHostPort(backend)
		g := slb.CreateCreateVServerGroupRequest()
		g.Scheme, g.RegionId, g.LoadBalancerId, g.VServerGroupName = "http", dpRegion, l.lb, name
		g.BackendServers = fmt.Sprintf(`[{"ServerId":"i-%s","ServerIp":%q,"Port":%s,"Weight":100}]`, name, host, port)
		resp, err := c.CreateVServerGroup(g)
		if err != nil {
			return "", fmt.Errorf("CreateVServerGroup %s: %w", name, err)
		}
		return resp.VServerGroupId, nil
	}
	for _, t := range []struct {
		port    int
		backend string
		udp     bool
	}{{l4GreetPort, greet, false}, {l4StreamPort, stream, false}, {l4UDPPort, udp, true}} {
		g, err := group(strconv.Itoa(t.port)+map[bool]string{false: "tcp", true: "udp"}[t.udp], t.backend)
		if err != nil {
			return nil, err
		}
		protocol := "tcp"
		if t.udp {
			protocol = "udp"
			req := slb.CreateCreateLoadBalancerUDPListenerRequest()
			req.Scheme, req.RegionId, req.LoadBalancerId, req.ListenerPort = "http", dpRegion, l.lb, requests.NewInteger(t.port)
			req.VServerGroupId, req.Bandwidth, req.HealthCheckSwitch = g, requests.NewInteger(-1), "off"
			if _, err := c.CreateLoadBalancerUDPListener(req); err != nil {
				return nil, fmt.Errorf("CreateLoadBalancerUDPListener: %w", err)
			}
		} else {
			req := slb.CreateCreateLoadBalancerTCPListenerRequest()
			req.Scheme, req.RegionId, req.LoadBalancerId, req.ListenerPort = "http", dpRegion, l.lb, requests.NewInteger(t.port)
			req.VServerGroupId, req.Bandwidth, req.HealthCheckSwitch = g, requests.NewInteger(-1), "off"
			if _, err := c.CreateLoadBalancerTCPListener(req); err != nil {
				return nil, fmt.Errorf("CreateLoadBalancerTCPListener: %w", err)
			}
		}
		start := slb.CreateStartLoadBalancerListenerRequest()
		start.Scheme, start.RegionId, start.LoadBalancerId, start.ListenerPort = "http", dpRegion, l.lb, requests.NewInteger(t.port)
		start.ListenerProtocol = protocol
		if _, err := c.StartLoadBalancerListener(start); err != nil {
			return nil, fmt.Errorf("StartLoadBalancerListener %s %d: %w", protocol, t.port, err)
		}
	}
	return l, nil
}

// createACL creates an ACL of n entries: n-1 networks of 10/8 and
// 127.0.0.1, where the load comes from.
func (l *l4Config) createACL(n int) (string, error) {
	req := slb.CreateCreateAccessControlListRequest()
	req.Scheme, req.RegionId, req.AclName = "http", dpRegion, "bench-300"
	resp, err := l.c.CreateAccessControlList(req)
	if err != nil {
		return "", fmt.Errorf("CreateAccessControlList: %w", err)
	}
	type entry struct {
		Entry   string `json:"entry"`
		Comment string `json:"comment"`
	}
	var entries []entry
	for i := range n - 1 {
		entries = append(entries, entry{Entry: fmt.Sprintf("10.%d.%d.0/24", i/250, i%250), Comment: "bench"})
	}
	entries = append(entries, entry{Entry: "127.0.0.1/32", Comment: "the load"})
	for len(entries) > 0 {
		k := min(50, len(entries))
		b, _ := json.Marshal(entries[:k])
		add := slb.CreateAddAccessControlListEntryRequest()
		add.Scheme, add.RegionId, add.AclId, add.AclEntrys = "http", dpRegion, resp.AclId, string(b)
		if _, err := l.c.AddAccessControlListEntry(add); err != nil {
			return "", fmt.Errorf("AddAccessControlListEntry: %w", err)
		}
		entries = entries[k:]
	}
	return resp.AclId, nil
}

// setACL turns the white list acl on or off on the greet listener; the
// answer comes once the data plane serves the change.
func (l *l4Config) setACL(acl string, on bool) error {
	req := slb.CreateSetLoadBalancerTCPListenerAttributeRequest()
	req.Scheme, req.RegionId, req.LoadBalancerId, req.ListenerPort = "http", dpRegion, l.lb, requests.NewInteger(l4GreetPort)
	req.AclStatus = "off"
	if on {
		req.AclStatus, req.AclType, req.AclId = "on", "white", acl
	}
	_, err := l.c.SetLoadBalancerTCPListenerAttribute(req)
	return err
}
