package slb_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/server"
	slbsvc "slbcert/slb"
)

// reportedHealth stands in for a data plane's health checks: it reports
// one listener's backends.
type reportedHealth struct {
	lb     string
	port   int
	status map[slbsvc.BackendKey]string
}

func (r *reportedHealth) BackendHealth(lbID string, port int) (map[slbsvc.BackendKey]string, bool) {
	if lbID != r.lb || port != r.port {
		return nil, false
	}
	return r.status, true
}

func healthRows(t *testing.T, c *slb.Client, lb string, listenerPort int) map[string]slb.BackendServer {
	t.Helper()
	req := slb.CreateDescribeHealthStatusRequest()
	req.LoadBalancerId = lb
	if listenerPort != 0 {
		req.ListenerPort = port(listenerPort)
	}
	resp, err := c.DescribeHealthStatus(req)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]slb.BackendServer{}
	for _, b := range resp.BackendServers.BackendServer {
		out[b.ServerId+"@"+itoa(b.ListenerPort)] = b
	}
	return out
}

func TestDescribeHealthStatus(t *testing.T) {
	dir := t.TempDir()
	instances := filepath.Join(dir, "instances.json")
	os.WriteFile(instances, []byte(`{"i-mapped": {"ip": "127.0.0.7"}}`), 0o600)
	f := newLBFixture(t, func(c *server.Config) { c.InstancesFile = instances })
	e2e.MustCommon(t, f.c, "AddBackendServers", map[string]string{"LoadBalancerId": f.lb,
		"BackendServers": `[{"ServerId":"i-mapped"},{"ServerId":"i-ip","ServerIp":"127.0.0.8"},{"ServerId":"i-unknown"}]`})
	e2e.MustCommon(t, f.c, "CreateLoadBalancerHTTPSListener", f.terraformHTTPSCreate(f.lb, 443))

	rows := healthRows(t, f.c, f.lb, 0)
	if len(rows) != 3 {
		t.Fatalf("rows %v", rows)
	}
	for id, ip := range map[string]string{"i-mapped": "127.0.0.7", "i-ip": "127.0.0.8", "i-unknown": ""} {
		b := rows[id+"@443"]
		if b.ServerIp != ip || b.ServerHealthStatus != "unavailable" || b.Port != 80 || b.Protocol != "https" || b.Type != "ecs" {
			t.Errorf("%s on a stopped listener: %+v", id, b)
		}
	}
	if err := startListener(t, f.c, f.lb, 443, "https"); err != nil {
		t.Fatal(err)
	}
	// Nothing listens on the backends' port 80: the data plane's first
	// probes find them dead (the one without an address is abnormal at once).
	eventually(t, 5*time.Second, "every backend abnormal", func() bool {
		rows := healthRows(t, f.c, f.lb, 443)
		if len(rows) != 3 {
			t.Fatalf("rows %v", rows)
		}
		for _, b := range rows {
			if b.ServerHealthStatus != "abnormal" {
				return false
			}
		}
		return true
	})
	// SIGHUP reloads the instance map; a bad file keeps the old one.
	os.WriteFile(instances, []byte(`{"i-unknown": {"ip": "127.0.0.9"}}`), 0o600)
	if err := f.s.ReloadInstances(); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(instances, []byte(`{"i-unknown": {"ip": "not an ip"}}`), 0o600)
	if err := f.s.ReloadInstances(); err == nil {
		t.Error("a bad instances file loaded")
	}
	rows = healthRows(t, f.c, f.lb, 443)
	if rows["i-unknown@443"].ServerIp != "127.0.0.9" || rows["i-mapped@443"].ServerIp != "" {
		t.Errorf("after reload: %+v", rows)
	}
}

func TestDescribeHealthStatusReported(t *testing.T) {
	// The reporter is wired through Main.Health before Open.
	health := &reportedHealth{port: 443}
	cfg := server.DefaultConfig()
	cfg.Listen, cfg.DataDir, cfg.RateLimit = "127.0.0.1:0", t.TempDir(), 0
	cfg.AccessKeyID, cfg.AccessKeySecret = e2e.AccessKeyID, e2e.AccessKeySecret
	m := server.NewMain(cfg, &e2e.LogBuffer{})
	m.Health = health
	if err := m.Open(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ts := &e2e.Server{Main: m, Log: &e2e.LogBuffer{}}
	c := ts.Client(t, "cn-hangzhou")
	k := ts.Calls(t, "cn-hangzhou", "")
	srv := e2e.NewServerCert()
	f := &lbFixture{s: ts, c: c, k: k, cert: k.Upload(srv.ChainPEM, srv.KeyPEM, "a").ServerCertificateId}
	f.ca = uploadCA(t, k, srv.Intermediate, "ca")
	f.lb = e2e.CreateLB(t, c).LoadBalancerId
	health.lb = f.lb
	health.status = map[slbsvc.BackendKey]string{{ServerID: "i-1", Port: 8080}: "normal"}
	g := slb.CreateCreateVServerGroupRequest()
	g.LoadBalancerId, g.BackendServers = f.lb, `[{"ServerId":"i-1","Port":8080,"ServerIp":"127.0.0.1"},{"ServerId":"i-2","Port":8081,"ServerIp":"127.0.0.1"}]`
	group, err := c.CreateVServerGroup(g)
	if err != nil {
		t.Fatal(err)
	}
	l := f.terraformHTTPSCreate(f.lb, 443)
	l["VServerGroupId"] = group.VServerGroupId
	e2e.MustCommon(t, c, "CreateLoadBalancerHTTPSListener", l)
	rows := healthRows(t, c, f.lb, 443)
	if rows["i-1@443"].ServerHealthStatus != "normal" || rows["i-1@443"].Port != 8080 {
		t.Errorf("reported: %+v", rows["i-1@443"])
	}
	if rows["i-2@443"].ServerHealthStatus != "unavailable" {
		t.Errorf("not in the report, listener stopped: %+v", rows["i-2@443"])
	}
}
