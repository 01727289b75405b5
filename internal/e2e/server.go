// Package e2e holds what the end-to-end tests of every product share: a
// server started through slbcerttest with a fixed root key and its log
// kept, the official SDK clients pointed at it, the calls and assertions
// the tests repeat, certificate fixtures, PostgreSQL replicas, and the
// search for private keys at rest. The tests themselves live with what
// they exercise: slb/, cas/, sts/ (e2e_*_test.go) and server/.
//
// A helper belongs here once two packages' tests use it (its siblings come
// along: every SLBCalls method, MustCommon beside Common); what one
// product's tests alone need stays beside them, in e2e_helpers_test.go.
package e2e

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/server"
	"slbcert/slbcerttest"
)

// The default account's root key in every test server.
const (
	AccessKeyID     = "LTAI5tTestRootKey0001"
	AccessKeySecret = "testRootSecret0123456789abcdef"
)

// LogBuffer collects the server's log so tests can search it.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p; the server's logger calls it from many goroutines.
func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String returns everything written so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Server is a real server on a free port with its own data directory.
type Server struct {
	*server.Main
	// Log is everything the server logged.
	Log *LogBuffer
}

// Start runs a server through slbcerttest — on 127.0.0.1:0, over a fresh
// data directory (or the one edit sets), with AccessKeyID as the default
// account's root key and throttling off — and stops it when the test ends.
func Start(t testing.TB, edit ...func(*server.Config)) *Server {
	t.Helper()
	return StartWith(t, nil, edit...)
}

// StartWith is Start with slbcerttest's options too (WithNetwork …).
func StartWith(t testing.TB, opts []slbcerttest.Option, edit ...func(*server.Config)) *Server {
	t.Helper()
	log := &LogBuffer{}
	srv := slbcerttest.NewServer(t, append(opts, slbcerttest.WithLog(log), slbcerttest.WithConfig(func(c *server.Config) {
		c.AccessKeyID, c.AccessKeySecret = AccessKeyID, AccessKeySecret
		for _, e := range edit {
			e(c)
		}
	}))...)
	return &Server{Main: srv.Main(), Log: log}
}

// StartWithIAM starts a server with doc as its IAM file and returns the
// file's path, which a test may rewrite before ReloadIAM.
func StartWithIAM(t *testing.T, doc string) (*Server, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "iam.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return Start(t, func(c *server.Config) { c.IAMFile = path }), path
}

// OpenAndClose opens a server over dir with the test root key and edit's
// changes, closes it, and returns what Open said: for start-up refusals.
func OpenAndClose(dir string, edit func(*server.Config)) error {
	srv, err := slbcerttest.Start(dir, slbcerttest.WithConfig(func(c *server.Config) {
		c.AccessKeyID, c.AccessKeySecret = AccessKeyID, AccessKeySecret
		edit(c)
	}))
	if err != nil {
		return err
	}
	return srv.Close()
}

// RunCommand runs an slbcert command (backup, restore, rotate-master-key)
// with an empty environment and returns its stdout and stderr together.
func RunCommand(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := server.Run(args, func(string) string { return "" }, &out, &errOut)
	return out.String() + errOut.String(), err
}

// Client returns an official SDK client for region, signing with the given
// key (the test root key when none is given), pointed at the server with
// the SDK's defaults: plain HTTP unless a request says otherwise.
func (s *Server) Client(t testing.TB, region string, key ...string) *slb.Client {
	t.Helper()
	id, secret := AccessKeyID, AccessKeySecret
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

// URL is the API's plain-HTTP URL, ending in "/".
func (s *Server) URL() string { return "http://" + s.Addr() + "/" }

// Get fetches path from the server with plain HTTP.
func (s *Server) Get(t testing.TB, path string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + s.Addr() + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
