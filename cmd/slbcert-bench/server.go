package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// The root AccessKey every slbcert the tool starts accepts.
const (
	benchAccessKeyID     = "LTAI5tBenchRootKey001"
	benchAccessKeySecret = "benchRootSecret0123456789abcdef"
	benchAccountID       = "1000000000000001"
	benchRegion          = "cn-hangzhou"
)

// BuildServer compiles ./cmd/slbcert of the module the tool runs in into dir.
// It returns the binary and the revision built: the commit, and whether the
// work tree differed from it.
func BuildServer(ctx context.Context, dir string) (bin, revision string, err error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", "", fmt.Errorf("not inside the slbcert module; give --server-bin")
	}
	root := filepath.Dir(gomod)
	revision = gitRevision(ctx, root)
	bin = filepath.Join(dir, "slbcert")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/slbcert")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("go build ./cmd/slbcert: %w\n%s", err, out)
	}
	return bin, revision, nil
}

// gitRevision names the commit checked out in root, and says so when the
// server's sources (anything but this tool) differ from it.
func gitRevision(ctx context.Context, root string) string {
	out, err := exec.CommandContext(ctx, "git", "-C", root, "log", "-1", "--format=%h %s").Output()
	if err != nil {
		return "unknown (not a git work tree)"
	}
	rev := strings.TrimSpace(string(out))
	dirty, err := exec.CommandContext(ctx, "git", "-C", root, "status", "--porcelain", "--", ".", ":!cmd/slbcert-bench", ":!BENCHMARKS.md").Output()
	if err == nil && len(strings.TrimSpace(string(dirty))) > 0 {
		rev += " + uncommitted changes"
	}
	return rev
}

// WriteIAMFile writes an IAM file that lifts the default account's quota to
// quota server certificates per region; the root key comes from the
// environment.
func WriteIAMFile(path string, quota int) error {
	f := map[string]any{"accounts": []any{map[string]any{
		"id":     benchAccountID,
		"quotas": map[string]int{"serverCertificatesPerRegion": quota, "listenersPerLoadBalancer": maxListenerPorts},
	}}}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

// Slbcert starts `bin serve` on a free port over a new data directory dir,
// with args added to its command line, and waits until /healthz answers
// 200, polling every millisecond. Process.Started..healthy is the
// start-to-healthy time. Throttling is off (SLBCERT_RATE_LIMIT=0): the
// tool measures the server, not its limiter. The Go runtime's knobs in the
// tool's environment (GOGC, GOMEMLIMIT, GOMAXPROCS, GODEBUG) pass through,
// for experiments (GOGC=400 …).
func Slbcert(ctx context.Context, bin, dir, iamFile string, args ...string) (*Process, time.Duration, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, 0, err
	}
	addr, err := FreeAddr()
	if err != nil {
		return nil, 0, err
	}
	env := []string{"SLBCERT_ACCESS_KEY_ID=" + benchAccessKeyID, "SLBCERT_ACCESS_KEY_SECRET=" + benchAccessKeySecret,
		"SLBCERT_ACCOUNT_ID=" + benchAccountID, "SLBCERT_RATE_LIMIT=0"}
	for _, k := range []string{"GOGC", "GOMEMLIMIT", "GOMAXPROCS", "GODEBUG"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	argv := append([]string{bin, "serve", "--listen", addr, "--data", filepath.Join(dir, "data"), "--iam", iamFile}, args...)
	p, err := StartProcess("slbcert", addr, filepath.Join(dir, "server.log"), argv, env)
	if err != nil {
		return nil, 0, err
	}
	healthy, err := p.WaitHTTP(ctx, "/healthz", time.Millisecond, 30*time.Second, 200)
	if err != nil {
		p.Stop()
		return nil, 0, err
	}
	return p, healthy, nil
}
