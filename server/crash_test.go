package server_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
	"slbcert/keyring"
)

// crashIAM gives the account the crash test uploads to a quota no run reaches.
const crashIAM = `{"accounts": [
 {"id": "1000000000000005",
  "accessKeys": [{"id": "AKC-root", "secret": "c-root"}],
  "quotas": {"serverCertificatesPerRegion": 100000}}
]}`

// crashChain is one of the chains the crash test uploads, and where.
type crashChain struct {
	region string
	srv    *testpki.Server
}

// crashAttempt is an upload the crash test sent, by the unique name it gave it.
type crashAttempt struct {
	chain *crashChain
	round int
}

// process is the real binary, serving.
type process struct {
	cmd      *exec.Cmd
	addr     string
	logMu    sync.Mutex
	log      *bytes.Buffer // its stderr, whole once done is closed
	stopping atomic.Bool   // set before the test kills or stops it
	done     chan struct{} // closed when stderr reaches EOF
}

// startProcess runs `bin serve` on a free port and returns once it serves.
// Its stderr is drained for as long as it runs (it logs every request, and a
// full pipe would stall it).
func startProcess(t *testing.T, bin string, env []string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)...)
	cmd.Env = env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, log: &bytes.Buffer{}, done: make(chan struct{})}
	t.Cleanup(func() {
		if !p.stopping.Load() { // else kill9 or stop waited for it
			cmd.Process.Kill()
			<-p.done
			cmd.Wait()
		}
	})
	r := bufio.NewReader(stderr)
	addr := make(chan string, 1)
	go func() {
		defer close(p.done)
		for {
			line, err := r.ReadString('\n')
			p.logMu.Lock()
			p.log.WriteString(line)
			p.logMu.Unlock()
			var entry struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &entry) == nil && entry.Msg == "serving" {
				addr <- entry.Addr
			}
			if err != nil {
				return
			}
		}
	}()
	select {
	case p.addr = <-addr:
		return p
	case <-p.done:
		t.Fatalf("server exited before serving:\n%s", p.stderr())
	case <-time.After(15 * time.Second):
		t.Fatalf("server did not start:\n%s", p.stderr())
	}
	return nil
}

// stderr returns the end of what the process wrote on stderr: it logs
// every request, so the whole would bury the start of a failure message.
func (p *process) stderr() string {
	p.logMu.Lock()
	defer p.logMu.Unlock()
	b := p.log.Bytes()
	if len(b) > 4096 {
		b = b[len(b)-4096:]
	}
	return string(b)
}

// kill9 kills the process with SIGKILL: no handler, no shutdown, no flush.
func (p *process) kill9(t *testing.T) {
	t.Helper()
	p.stopping.Store(true)
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.done
	err := p.cmd.Wait()
	if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the server was not killed by SIGKILL but ended with %v:\n%s", err, p.stderr())
	}
}

// stop ends the process with SIGTERM and expects a clean exit.
func (p *process) stop(t *testing.T) {
	t.Helper()
	p.stopping.Store(true)
	p.cmd.Process.Signal(syscall.SIGTERM)
	<-p.done
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, p.stderr())
	}
}

// TestCrashKill9 kills the real binary with SIGKILL while 8 clients upload
// through the official SDK, three times over, restarting it on the same data
// directory each time. Every upload that was answered 200 must be there after
// the restart, with the certificate, name and tags it was sent with; nothing
// half written may be there: every stored certificate is one the test sent,
// complete, and its sealed key opens to the key that was sent.
func TestCrashKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it under load")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	iamFile := filepath.Join(dir, "iam.json")
	if err := os.WriteFile(iamFile, []byte(crashIAM), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=" + os.Getenv("PATH"),
		"SLBCERT_ACCESS_KEY_ID=" + e2e.AccessKeyID, "SLBCERT_ACCESS_KEY_SECRET=" + e2e.AccessKeySecret}
	// No throttling: 8 clients make some 500 uploads a second, with one key.
	args := []string{"--data", data, "--iam", iamFile, "--rate-limit", "0"}

	// Chains with distinct leaves, so a record carrying another upload's
	// certificate shows; P-256 only where the built-in table allows ECC.
	var chains []*crashChain
	for i, kind := range []string{"rsa2048", "rsa2048", "rsa2048", "p256", "p256", "p256"} {
		region := []string{"cn-hangzhou", "cn-shanghai", "eu-west-1"}[i%3]
		if kind == "p256" {
			region = "eu-west-1"
		}
		chains = append(chains, &crashChain{region, testpki.NewServer(kind, testpki.Leaf{
			CommonName: fmt.Sprintf("crash%d.example.com", i), DNSNames: []string{fmt.Sprintf("crash%d.example.com", i)}})})
	}
	regions := []string{"cn-hangzhou", "cn-shanghai", "eu-west-1"}

	var (
		mu       sync.Mutex
		attempts = map[string]crashAttempt{} // by name
		acked    = map[string]string{}       // id → name
		seen     = map[string]bool{}         // ids stored at the last check
	)

	// check verifies the store of a freshly restarted server.
	check := func(p *process, after int) {
		t.Helper()
		stored := map[string]slb.ServerCertificate{}
		for _, region := range regions {
			c, err := slb.NewClientWithAccessKey(region, "AKC-root", "c-root")
			if err != nil {
				t.Fatal(err)
			}
			c.Domain = p.addr
			for _, sc := range e2e.ServerCertificates(t, c, region, "") {
				if sc.RegionId != region {
					t.Errorf("%s listed in %s has RegionId %q", sc.ServerCertificateId, region, sc.RegionId)
				}
				stored[sc.ServerCertificateId] = sc
			}
		}
		mu.Lock()
		defer mu.Unlock()
		for id, name := range acked {
			sc, ok := stored[id]
			if !ok {
				t.Errorf("after kill %d: acknowledged upload %s (%s) is lost", after, id, name)
			} else if sc.ServerCertificateName != name {
				t.Errorf("after kill %d: acknowledged %s was named %s, is stored as %q", after, id, name, sc.ServerCertificateName)
			}
		}
		for id := range seen {
			if _, ok := stored[id]; !ok {
				t.Errorf("after kill %d: %s, stored at the previous restart, is gone", after, id)
			}
		}
		for id, sc := range stored {
			a, ok := attempts[sc.ServerCertificateName]
			if !ok {
				t.Errorf("after kill %d: stored %s has a name no upload gave: %+v", after, id, sc)
				continue
			}
			want := a.chain.srv.Leaf
			wantTags := []slb.Tag{{TagKey: "crash", TagValue: "yes"}, {TagKey: "round", TagValue: fmt.Sprint(a.round)}}
			if sc.Fingerprint != e2e.Fingerprint(want) || sc.CommonName != want.Subject.CommonName ||
				sc.ExpireTimeStamp != want.NotAfter.UnixMilli() || sc.ExpireTime != want.NotAfter.UTC().Format("2006-01-02T15:04:05Z") ||
				sc.CreateTime == "" || sc.CreateTimeStamp == 0 || sc.EncryptionAlgorithm == "" || sc.EncryptionKeyLength == 0 ||
				sc.ResourceGroupId == "" || sc.RegionId != a.chain.region ||
				!slices.Equal(sc.SubjectAlternativeNames.SubjectAlternativeName, want.DNSNames) ||
				!slices.Equal(sc.Tags.Tag, wantTags) {
				t.Errorf("after kill %d: stored %s is not what was uploaded as %s (%s, tags %v):\n%+v",
					after, id, sc.ServerCertificateName, e2e.Fingerprint(want), wantTags, sc)
			}
			seen[id] = true
		}
		if len(stored) < len(acked) || len(stored) > len(attempts) {
			t.Errorf("after kill %d: %d stored, %d acknowledged, %d sent", after, len(stored), len(acked), len(attempts))
		}
		t.Logf("after kill %d: %d uploads sent, %d acknowledged, %d stored", after, len(attempts), len(acked), len(stored))
		if t.Failed() {
			t.FailNow()
		}
	}

	const kills, workers = 3, 8
	for round := 0; round < kills; round++ {
		p := startProcess(t, bin, env, args...)
		if round > 0 {
			check(p, round)
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var failures []string
		ackedBefore := len(acked)
		for w := range workers {
			clients := map[string]*slb.Client{}
			for _, region := range regions {
				c, err := slb.NewClientWithAccessKey(region, "AKC-root", "c-root")
				if err != nil {
					t.Fatal(err)
				}
				c.Domain = p.addr
				clients[region] = c
			}
			wg.Go(func() {
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					ch := chains[(w+n)%len(chains)]
					name := fmt.Sprintf("crash-r%d-w%d-n%d", round, w, n)
					req := e2e.UploadRequest(ch.region, ch.srv.ChainPEM, ch.srv.KeyPEM)
					req.ServerCertificateName = name
					req.Tag = &[]slb.UploadServerCertificateTag{{Key: "crash", Value: "yes"}, {Key: "round", Value: fmt.Sprint(round)}}
					mu.Lock()
					attempts[name] = crashAttempt{ch, round}
					mu.Unlock()
					resp, err := clients[ch.region].UploadServerCertificate(req)
					killed := p.stopping.Load()
					mu.Lock()
					switch {
					case err == nil && resp.Fingerprint == e2e.Fingerprint(ch.srv.Leaf) && resp.ServerCertificateId != "":
						acked[resp.ServerCertificateId] = name
					case err == nil:
						failures = append(failures, fmt.Sprintf("%s answered %+v", name, resp))
					case !killed:
						failures = append(failures, fmt.Sprintf("%s failed before the kill: %v", name, err))
					}
					mu.Unlock()
					if err != nil && killed {
						return
					}
				}
			})
		}
		time.Sleep(time.Duration(300+rand.IntN(500)) * time.Millisecond)
		p.kill9(t)
		close(stop)
		wg.Wait()
		if len(failures) > 0 {
			t.Fatalf("round %d: %s\n%s", round, strings.Join(failures, "\n"), p.stderr())
		}
		if len(acked) == ackedBefore {
			t.Fatalf("round %d: no upload was acknowledged before the kill:\n%s", round, p.stderr())
		}
	}

	p := startProcess(t, bin, env, args...)
	check(p, kills)
	p.stop(t)
	checkSealedRows(t, data, attempts)
}

// checkSealedRows opens the stopped server's database directly: it must be
// intact, and every row's sealed key must open, under the master key and the
// row's own owner and id, to the key uploaded with that row's certificate.
func checkSealedRows(t *testing.T, data string, attempts map[string]crashAttempt) {
	t.Helper()
	ring := e2e.DataKeyring(t, data)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "slbcert.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	var integrity string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("integrity_check: %q %v", integrity, err)
	}
	rows, err := db.QueryContext(ctx, "SELECT id, account_id, name, fingerprint, sealed_private_key FROM certificates")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, account, name, fp string
		var sealed []byte
		if err := rows.Scan(&id, &account, &name, &fp, &sealed); err != nil {
			t.Fatal(err)
		}
		n++
		a, ok := attempts[name]
		if !ok {
			t.Errorf("row %s: unknown name %q", id, name)
			continue
		}
		plain, err := ring.Open(sealed, keyring.AAD(account, id))
		if err != nil {
			t.Errorf("row %s: sealed key does not open: %v", id, err)
			continue
		}
		if strings.TrimSpace(string(plain)) != strings.TrimSpace(a.chain.srv.KeyPEM) || fp != e2e.Fingerprint(a.chain.srv.Leaf) {
			t.Errorf("row %s (%s): the sealed key or the fingerprint is not the one uploaded", id, name)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no rows in the database")
	}
}
