package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
)

// buildBinary compiles ./cmd/slbcert once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "slbcert")
	out, err := exec.Command("go", "build", "-o", bin, "slbcert/cmd/slbcert").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestProcessFirstStart runs the real binary as a user would: with no
// credentials it generates a root AccessKey, prints it once, persists it;
// a second start reuses it silently; SIGTERM stops the server cleanly.
func TestProcessFirstStart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "data")

	start := func() (*exec.Cmd, string, *bufio.Reader) {
		cmd := exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--data", data)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		r := bufio.NewReader(stderr)
		var printed strings.Builder
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("server exited: %v\n%s", err, printed.String())
			}
			printed.WriteString(line)
			var entry struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &entry) == nil && entry.Msg == "serving" {
				return cmd, printed.String() + "\naddr=" + entry.Addr, r
			}
		}
		t.Fatal("server did not start")
		return nil, "", nil
	}

	cmd, out, _ := start()
	m := regexp.MustCompile(`AccessKeyId:\s+(\S+)\s+AccessKeySecret:\s+(\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("first start did not print the generated key:\n%s", out)
	}
	addr := out[strings.LastIndex(out, "addr=")+5:]
	c, err := slb.NewClientWithAccessKey("cn-hangzhou", m[1], m[2])
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = addr
	req := slb.CreateDescribeServerCertificatesRequest()
	req.Scheme = "http"
	if _, err := c.DescribeServerCertificates(req); err != nil {
		t.Fatalf("the printed key does not work: %v", err)
	}
	if st, err := os.Stat(filepath.Join(data, "root-access-key.json")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("root key file: %v %v", st, err)
	}
	if st, err := os.Stat(filepath.Join(data, "master.key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("master key file: %v %v", st, err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}

	cmd, out, rest := start()
	if strings.Contains(out, m[2]) {
		t.Fatalf("second start printed the secret again:\n%s", out)
	}
	addr = out[strings.LastIndex(out, "addr=")+5:]
	c.Domain = addr
	req = slb.CreateDescribeServerCertificatesRequest() // a used request keeps its old endpoint
	req.Scheme = "http"
	if _, err := c.DescribeServerCertificates(req); err != nil {
		t.Fatalf("the persisted key does not work: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	hreq, _ := http.NewRequestWithContext(ctx, "GET", "http://"+addr+"/healthz", nil)
	if resp, err := http.DefaultClient.Do(hreq); err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v", err)
	}
	cmd.Process.Signal(syscall.SIGINT)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGINT: %v", err)
	}
	logs, _ := io.ReadAll(rest)
	if strings.Contains(string(logs), m[2]) {
		t.Fatal("the secret reached the log")
	}
}
