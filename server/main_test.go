package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/ecs"
)

// Test credentials of the default account's root key.
const (
	testAccessKeyID     = "LTAI5tTestRootKey0001"
	testAccessKeySecret = "testRootSecret0123456789abcdef"
)

// logBuffer collects the server's log so tests can search it.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// testServer is a real server on a free port with its own data directory.
type testServer struct {
	*Main
	log *logBuffer
}

// startServer runs the server on 127.0.0.1:0 over a fresh data directory
// (or dir, when given) and stops it when the test ends.
func startServer(t testing.TB, edit ...func(*Config)) *testServer {
	t.Helper()
	return startServerNet(t, nil, edit...)
}

// startServerNet is startServer with net as ECS's VPC product.
func startServerNet(t testing.TB, net ecs.Network, edit ...func(*Config)) *testServer {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Listen = "127.0.0.1:0"
	cfg.DataDir = t.TempDir()
	cfg.AccessKeyID, cfg.AccessKeySecret = testAccessKeyID, testAccessKeySecret
	cfg.RateLimit = 0 // tests hammer the server on purpose; TestThrottling turns it on
	for _, e := range edit {
		e(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	log := &logBuffer{}
	m := NewMain(cfg, log)
	m.Network = net
	if err := m.Open(context.Background()); err != nil {
		m.Close()
		t.Fatalf("open: %v\n%s", err, log)
	}
	s := &testServer{Main: m, log: log}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

var testPools atomic.Int64

// testAddressPool returns a load-balancer address pool of its own for a
// test server, 127.100.1.0/24 onwards: the data plane binds its listeners
// there, and test servers running in parallel must not take each other's
// ports (the others keep the default pool and run one at a time).
func testAddressPool() string {
	n := testPools.Add(1)
	return fmt.Sprintf("127.%d.%d.0/24", 100+n/250, 1+n%250)
}

// client returns an official SDK client for region, signing with the given
// key (the test root key when none is given), pointed at the server.
func (s *testServer) client(t testing.TB, region string, key ...string) *slb.Client {
	t.Helper()
	id, secret := testAccessKeyID, testAccessKeySecret
	if len(key) == 2 {
		id, secret = key[0], key[1]
	}
	c, err := slb.NewClientWithAccessKey(region, id, secret)
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = s.Addr()
	return c
}

func (s *testServer) url() string { return "http://" + s.Addr() + "/" }

// serverError asserts err is the SDK's ServerError with code and status.
func serverError(t testing.TB, err error, code string, status int) *sdkerrors.ServerError {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("want server error %s (%d), got %v", code, status, err)
	}
	if se.ErrorCode() != code || se.HttpStatus() != status {
		t.Fatalf("got %s (%d) %q, want %s (%d)", se.ErrorCode(), se.HttpStatus(), se.Message(), code, status)
	}
	if se.RequestId() == "" || se.HostId() == "" {
		t.Fatalf("error without RequestId/HostId: %v", se)
	}
	return se
}

// get fetches path from the server with plain HTTP.
func (s *testServer) get(t testing.TB, path string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + s.Addr() + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// openAndClose opens a server over dir with the test root key and edit's
// changes, closes it, and returns what Open said: for start-up refusals.
func openAndClose(dir string, edit func(*Config)) error {
	cfg := DefaultConfig()
	cfg.Listen, cfg.DataDir = "127.0.0.1:0", dir
	cfg.AccessKeyID, cfg.AccessKeySecret = testAccessKeyID, testAccessKeySecret
	edit(&cfg)
	m := NewMain(cfg, &logBuffer{})
	err := m.Open(context.Background())
	m.Close()
	return err
}
