package server_test

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/server"
)

func TestLoadBalancerConfig(t *testing.T) {
	cfg, err := server.LoadConfig(nil, func(string) string { return "" }, io.Discard)
	if err != nil || cfg.LBAddressPool != "127.255.0.0/16" || cfg.LBPortOffset != 0 || cfg.InstancesFile != "" {
		t.Fatalf("defaults: %+v %v", cfg, err)
	}
	file := filepath.Join(t.TempDir(), "c.json")
	os.WriteFile(file, []byte(`{"lbAddressPool": "10.1.0.0/24", "lbPortOffset": 10000, "instances": "/from/file"}`), 0o600)
	env := map[string]string{"SLBCERT_CONFIG": file, "SLBCERT_LB_PORT_OFFSET": "20000", "SLBCERT_INSTANCES_FILE": "/from/env"}
	cfg, err = server.LoadConfig([]string{"--lb-address-pool", "127.9.0.0/16"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil || cfg.LBAddressPool != "127.9.0.0/16" || cfg.LBPortOffset != 20000 || cfg.InstancesFile != "/from/env" {
		t.Fatalf("precedence: %+v %v", cfg, err)
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"error/pool not a CIDR", nil, []string{"--lb-address-pool", "127.1.0.1"}, "not a CIDR"},
		{"error/negative offset", nil, []string{"--lb-port-offset", "-1"}, "0 to 65534"},
		{"error/offset not a number", map[string]string{"SLBCERT_LB_PORT_OFFSET": "high"}, nil, "not an integer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := server.LoadConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	// A server takes its addresses from the pool; a bad instances file
	// stops it at start.
	s := e2e.Start(t, func(c *server.Config) { c.LBAddressPool = "127.3.4.0/30" })
	c := s.Client(t, "cn-hangzhou")
	if a := e2e.CreateLB(t, c).Address; a != "127.3.4.1" {
		t.Errorf("first address %s", a)
	}
	e2e.CreateLB(t, c)
	_, err = c.CreateLoadBalancer(slb.CreateCreateLoadBalancerRequest())
	e2e.ServerError(t, err, "OperationFailed.AddressPoolExhausted", 400)
	bad := filepath.Join(t.TempDir(), "instances.json")
	os.WriteFile(bad, []byte(`{"i-1": {"address": "x"}}`), 0o600)
	cfg = server.DefaultConfig()
	cfg.Listen, cfg.DataDir, cfg.InstancesFile = "127.0.0.1:0", t.TempDir(), bad
	cfg.AccessKeyID, cfg.AccessKeySecret = e2e.AccessKeyID, e2e.AccessKeySecret
	m := server.NewMain(cfg, io.Discard)
	if err := m.Open(t.Context()); err == nil || !strings.Contains(err.Error(), "instances file") {
		t.Errorf("a bad instances file: %v", err)
	}
	m.Close()
}
