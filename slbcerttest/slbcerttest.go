// Package slbcerttest runs a real slbcert server inside a Go test process:
// the same wiring `slbcert serve` runs (package server), on a free loopback
// port, over a temporary data directory, with the embedded SQLite store. It
// is what moto's in-process server is to Python tests: point the official
// Alibaba Cloud SDKs at it and test the automation that calls SLB.
//
//	srv := slbcerttest.NewServer(t)
//	client, _ := srv.SLBClient("cn-hangzhou")
//	resp, err := client.UploadServerCertificate(req)
//
// Options set what tests need: the region table (WithRegions), tenants and
// RAM policies (WithIAM), the business clock (WithClock), HTTPS (WithTLS).
package slbcerttest

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert"
	"slbcert/ecs"
	"slbcert/iam"
	"slbcert/region"
	"slbcert/server"
)

// Server is a running slbcert server.
type Server struct {
	// Endpoint is host:port, what SDK clients take as their endpoint
	// (slb.Client.Domain, openapi Config.Endpoint).
	Endpoint string
	// URL is the API's URL, http:// or (WithTLS) https://, ending in "/".
	URL string
	// Scheme is "http" or "https": the SDK requests' Scheme.
	Scheme string
	// AccountID is the id of the default account, whose root AccessKey
	// the server was started with (AccessKeyID, AccessKeySecret).
	AccountID       string
	AccessKeyID     string
	AccessKeySecret string
	// DataDir is the server's data directory: the directory given to Start
	// (NewServer's is temporary), unless WithConfig moves it.
	DataDir string
	// CACertPEM is the PEM certificate clients must trust with WithTLS
	// (the server's local CA, DATA/tls/self-signed.crt); empty without TLS.
	CACertPEM string

	main  *server.Main
	roots *x509.CertPool
}

// Option configures a Server.
type Option func(*options) error

type options struct {
	cfg   server.Config
	clock func() time.Time
	files map[string][]byte // file name in the data directory → content
	log   io.Writer
	net   ecs.Network
}

// WithRegions replaces the built-in region table (see README, "regions").
func WithRegions(regions ...region.Region) Option {
	return func(o *options) error {
		data, err := json.Marshal(regions)
		if err != nil {
			return err
		}
		o.files["regions.json"] = data
		o.cfg.RegionsFile = "regions.json"
		return nil
	}
}

// WithIAM declares tenants: accounts, their root AccessKeys, RAM users,
// policies, quotas and authorized regions, as the IAM file does
// (examples/iam.json). The server's own default account stays too.
func WithIAM(f iam.File) Option {
	return func(o *options) error {
		data, err := json.Marshal(f)
		if err != nil {
			return err
		}
		return WithIAMJSON(string(data))(o)
	}
}

// WithIAMJSON is WithIAM with the IAM file's JSON text.
func WithIAMJSON(document string) Option {
	return func(o *options) error {
		o.files["iam.json"] = []byte(document)
		o.cfg.IAMFile = "iam.json"
		return nil
	}
}

// WithClock sets the time the business rules see — certificate expiry
// (a region's rejectExpired), acs:CurrentTime in policies, token lifetimes
// — so tests can move time. Signature timestamps are still judged against
// the wall clock, since the SDKs sign with it.
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		o.clock = now
		return nil
	}
}

// WithTLS serves HTTPS under the server's local CA (--tls-self-signed);
// the Server's clients trust it (CACertPEM holds it for others).
func WithTLS() Option {
	return func(o *options) error {
		o.cfg.TLSSelfSigned = true
		return nil
	}
}

// WithAccount sets the default account's id (16 digits) instead of
// slbcert.DefaultAccountID.
func WithAccount(id string) Option {
	return func(o *options) error {
		o.cfg.AccountID = id
		return nil
	}
}

// WithLog sends the server's JSON log lines to w (default: discarded).
func WithLog(w io.Writer) Option {
	return func(o *options) error {
		o.log = w
		return nil
	}
}

// WithNetwork gives ECS another network than the VPC product to allocate
// instance addresses from (package ecstest has one in memory).
func WithNetwork(n ecs.Network) Option {
	return func(o *options) error {
		o.net = n
		return nil
	}
}

// WithConfig edits the server's configuration directly; relative
// RegionsFile and IAMFile paths are taken in the directory given to Start.
func WithConfig(edit func(*server.Config)) Option {
	return func(o *options) error {
		edit(&o.cfg)
		return nil
	}
}

// NewServer starts a server for the test and stops it when the test ends
// (t.Cleanup). It fails the test if the server cannot start.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := Start(t.TempDir(), opts...)
	if err != nil {
		t.Fatalf("slbcerttest: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("slbcerttest: close: %v", err)
		}
	})
	return s
}

// Start starts a server over dir (which should be empty and is the
// caller's to remove) without a testing.TB; Close stops it.
func Start(dir string, opts ...Option) (*Server, error) {
	o := &options{cfg: server.DefaultConfig(), files: map[string][]byte{}, log: io.Discard}
	o.cfg.Listen = "127.0.0.1:0"
	o.cfg.DataDir = dir
	o.cfg.RateLimit = 0 // tests call as fast as they like
	o.cfg.AccessKeyID = "LTAI" + rand.Text()[:20]
	o.cfg.AccessKeySecret = rand.Text() + rand.Text()[:4]
	for _, opt := range opts {
		if err := opt(o); err != nil {
			return nil, err
		}
	}
	for name, data := range o.files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return nil, err
		}
	}
	for _, p := range []*string{&o.cfg.RegionsFile, &o.cfg.IAMFile} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	if err := o.cfg.Validate(); err != nil {
		return nil, err
	}
	if o.clock != nil {
		o.cfg.Clock = o.clock
	}
	m := server.NewMain(o.cfg, o.log)
	if o.net != nil {
		m.Network = o.net
	}
	if err := m.Open(context.Background()); err != nil {
		m.Close()
		return nil, err
	}
	s := &Server{
		Endpoint:        m.Addr(),
		Scheme:          "http",
		AccountID:       o.cfg.AccountID,
		AccessKeyID:     o.cfg.AccessKeyID,
		AccessKeySecret: o.cfg.AccessKeySecret,
		DataDir:         o.cfg.DataDir,
		main:            m,
	}
	if o.cfg.TLSSelfSigned {
		pem, err := os.ReadFile(filepath.Join(o.cfg.DataDir, "tls", "self-signed.crt"))
		if err != nil {
			m.Close()
			return nil, fmt.Errorf("reading the local CA's certificate: %w", err)
		}
		s.Scheme, s.CACertPEM, s.roots = "https", string(pem), x509.NewCertPool()
		if !s.roots.AppendCertsFromPEM(pem) {
			m.Close()
			return nil, errors.New("the local CA's certificate does not parse")
		}
	}
	s.URL = s.Scheme + "://" + s.Endpoint + "/"
	return s, nil
}

// Close stops the server, letting requests in flight finish. It is safe
// to call more than once, from any goroutine: calls after the first return
// the first's result.
func (s *Server) Close() error { return s.main.Close() }

// Transport returns an HTTP transport that trusts the server's certificate
// (a plain transport without TLS).
func (s *Server) Transport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if s.roots != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: s.roots}
	}
	return tr
}

// SLBClient returns an official Go SDK v1 SLB client for regionID, signing
// with the default account's root key, pointed at the server: requests it
// creates need no Scheme or Domain of their own.
func (s *Server) SLBClient(regionID string) (*slb.Client, error) {
	return s.SLBClientWithKey(regionID, s.AccessKeyID, s.AccessKeySecret)
}

// SLBClientWithKey is SLBClient signing with another AccessKey (a RAM
// user's, another account's).
func (s *Server) SLBClientWithKey(regionID, accessKeyID, accessKeySecret string) (*slb.Client, error) {
	c, err := slb.NewClientWithAccessKey(regionID, accessKeyID, accessKeySecret)
	if err != nil {
		return nil, err
	}
	c.Domain = s.Endpoint
	c.GetConfig().Scheme = s.Scheme
	c.SetTransport(s.Transport())
	return c, nil
}

// OpenAPIConfig returns a darabonba-openapi (signature V3) configuration
// for regionID with the root key, pointed at the server: what
// openapi.NewClient and the generated V3 SDKs take.
func (s *Server) OpenAPIConfig(regionID string) *openapiutil.Config {
	c := &openapiutil.Config{
		AccessKeyId:     dara.String(s.AccessKeyID),
		AccessKeySecret: dara.String(s.AccessKeySecret),
		Endpoint:        dara.String(s.Endpoint),
		Protocol:        dara.String(s.Scheme),
		RegionId:        dara.String(regionID),
	}
	if s.CACertPEM != "" {
		c.Ca = dara.String(s.CACertPEM)
	}
	return c
}

// Main returns the running server, for tests that need more than the API
// (its Config, its Addr).
func (s *Server) Main() *server.Main { return s.main }

// DefaultAccountID is the default account's id when WithAccount is not given.
const DefaultAccountID = slbcert.DefaultAccountID
