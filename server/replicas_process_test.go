package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
)

// processReplicaIAM is the IAM file of TestProcessReplicas; KEY is replaced to
// rotate the account's key with SIGHUP.
const processReplicaIAM = `{"accounts": [{"id": "1000000000000007",
  "accessKeys": [{"id": "KEY", "secret": "r-secret"}],
  "quotas": {"serverCertificatesPerRegion": 10}}]}`

// TestProcessReplicas runs two real server processes on one PostgreSQL
// schema — nothing shared but the database — and checks that uploads racing
// through both respect the quota exactly, and that each process reloads the
// IAM file on SIGHUP.
func TestProcessReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	schema := e2e.FreshPGSchema(t)
	bin := buildBinary(t)
	iamFile := filepath.Join(t.TempDir(), "iam.json")
	os.WriteFile(iamFile, []byte(strings.Replace(processReplicaIAM, "KEY", "AKR-one", 1)), 0o600)
	env := []string{"PATH=" + os.Getenv("PATH"), "SLBCERT_MASTER_KEY=" + e2e.NewMasterKey(), "SLBCERT_DATABASE_URL=" + schema.URL, "SLBCERT_RATE_LIMIT=0"}
	replicas := []*process{
		startProcess(t, bin, env, "--data", t.TempDir(), "--iam", iamFile),
		startProcess(t, bin, env, "--data", t.TempDir(), "--iam", iamFile),
	}
	client := func(p *process, key string) *slb.Client {
		c, err := slb.NewClientWithAccessKey("cn-hangzhou", key, "r-secret")
		if err != nil {
			t.Fatal(err)
		}
		c.Domain = p.addr
		return c
	}
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "replica.example.com"})

	var mu sync.Mutex
	var ok, over int
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < 24; i++ {
		wg.Add(1)
		go func(c *slb.Client) {
			defer wg.Done()
			<-start
			_, err := c.UploadServerCertificate(e2e.UploadRequest("cn-hangzhou", srv.ChainPEM, srv.KeyPEM))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case strings.Contains(err.Error(), "OverQuota"):
				over++
			default:
				t.Errorf("upload: %v", err)
			}
		}(client(replicas[i%2], "AKR-one"))
	}
	close(start)
	wg.Wait()
	if ok != 10 || over != 14 {
		t.Fatalf("%d uploads accepted and %d over quota, want 10 and 14", ok, over)
	}
	for _, p := range replicas {
		req := slb.CreateDescribeServerCertificatesRequest()
		resp, err := client(p, "AKR-one").DescribeServerCertificates(req)
		if err != nil || len(resp.ServerCertificates.ServerCertificate) != 10 {
			t.Fatalf("%s lists %v, %v", p.addr, resp, err)
		}
	}

	// Rotate the account's key in the file; SIGHUP each process.
	os.WriteFile(iamFile, []byte(strings.Replace(processReplicaIAM, "KEY", "AKR-two", 1)), 0o600)
	for _, p := range replicas {
		p.cmd.Process.Signal(syscall.SIGHUP)
	}
	for _, p := range replicas {
		deadline := time.Now().Add(5 * time.Second)
		for {
			_, err := client(p, "AKR-two").DescribeRegions(slb.CreateDescribeRegionsRequest())
			if err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s did not reload on SIGHUP: %v\n%s", p.addr, err, p.stderr())
			}
			time.Sleep(20 * time.Millisecond)
		}
		_, err := client(p, "AKR-one").DescribeRegions(slb.CreateDescribeRegionsRequest())
		if err == nil || !strings.Contains(err.Error(), "InvalidAccessKeyId.NotFound") {
			t.Fatalf("%s still accepts the removed key: %v", p.addr, err)
		}
	}
	for _, p := range replicas {
		p.stop(t)
	}
}
