// Package server wires slbcert together: configuration, stores, keys, the
// products and the gateway. Main is what `slbcert serve` runs, what the
// end-to-end tests start, and what package slbcerttest starts inside a Go
// test process — one wiring for all three.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"slbcert"
	"slbcert/cas"
	"slbcert/cas/casapi"
	"slbcert/ecs"
	"slbcert/ecs/ecsapi"
	"slbcert/iam"
	"slbcert/keyring"
	"slbcert/localdns"
	"slbcert/location"
	"slbcert/location/locationapi"
	"slbcert/metrics"
	"slbcert/postgres"
	"slbcert/region"
	"slbcert/rpc"
	"slbcert/slb"
	"slbcert/slb/slbapi"
	"slbcert/sqlite"
	"slbcert/sts"
	"slbcert/sts/stsapi"
	"slbcert/vpc"
)

// Main is the wired server: what `serve` runs and what end-to-end tests start.
type Main struct {
	Config Config
	Log    *slog.Logger
	// Health, when set before Open, is how a data plane reports backend
	// health to DescribeHealthStatus.
	Health slb.HealthReporter
	// Network, when set before Open, replaces the VPC product as the
	// network ECS allocates instance addresses from (tests set a fake one).
	Network ecs.Network
	stderr  io.Writer

	// store is every product's store, timed (store.go); each product is
	// handed its part of it.
	store     Store
	regions   *region.Table
	metrics   *metrics.Metrics
	api       *rpc.Server
	keys      *iam.Live
	root      *iam.Root
	instances Instances
	dataPlane *dataPlane
	dns       *localdns.Server
	listener  net.Listener
	http      *http.Server
	served    chan error
	pprof     *http.Server

	closeOnce sync.Once
	closeErr  error
}

// NewMain returns a server for cfg that logs JSON to stderr.
func NewMain(cfg Config, stderr io.Writer) *Main {
	return &Main{Config: cfg, stderr: stderr, Log: slog.New(slog.NewJSONHandler(stderr, nil))}
}

// Open builds every part, opens the store and starts serving; it returns
// once the listener accepts connections.
func (m *Main) Open(ctx context.Context) error {
	cfg := m.Config
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	m.regions = region.Default()
	if cfg.RegionsFile != "" {
		var err error
		if m.regions, err = region.Load(cfg.RegionsFile); err != nil {
			return err
		}
	}
	var err error
	if m.root, err = m.rootKey(); err != nil {
		return err
	}
	dir, err := m.loadIAM()
	if err != nil {
		return err
	}
	m.keys = iam.NewLive(dir)
	store, err := OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	m.metrics = metrics.New()
	m.store = newTimedStore(store, func(method string) storeTimer { return m.metrics.StoreOp(storeOp(method)) })
	ring, err := m.OpenKeyring(ctx, m.store)
	if err != nil {
		return err
	}
	m.metrics.WatchCertificates(m.store)
	now := cfg.Clock
	if now == nil {
		now = time.Now
	}
	svc := slb.New(m.store, m.regions, ring)
	svc.Now = now
	cas := cas.New(m.store, ring)
	cas.Now = now
	svc.Catalog = cas
	network, more, err := m.openVPC(now)
	if err != nil {
		return err
	}
	compute, err := m.openECS(now, network)
	if err != nil {
		return err
	}
	m.instances.ECS, m.instances.Log = compute, m.Log // backends naming instances
	if err := m.openLoadBalancing(svc); err != nil {
		return err
	}
	if m.dataPlane != nil {
		compute.AddressesChanged = func(ctx context.Context) { _ = m.dataPlane.Sync(ctx) } // it logs its own failures
	}
	slb := &slbapi.API{Service: svc}
	sessions := sts.New(m.keys, ring, now)
	stsAPI := &stsapi.API{STS: sessions}
	products := []*rpc.Product{slb.Product(), (&casapi.API{Catalog: cas}).Product(), stsAPI.Product(), (&ecsapi.API{ECS: compute}).Product()}
	svc.LoadBalancing.Network = network // load balancers in vSwitches (slb.Network)
	products = append(products, more...)
	products = append(products, (&locationapi.API{Location: &location.Service{Regions: m.regions}}).Product())
	m.api = &rpc.Server{Products: products, Keys: m.keys, Sessions: sessions,
		Nonces: m.store, Ready: m.store.Ping, Log: m.Log, Now: now, Observer: m.metrics, Metrics: m.metrics.Handler()}
	if cfg.RateLimit > 0 {
		m.api.Limiter = rpc.NewLimiter(cfg.RateLimit, cfg.RateBurst)
	}
	m.openConsole(now)
	tlsConfig, certFile, err := m.tlsConfig(ctx, ring)
	if err != nil {
		return err
	}

	m.listener, err = net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	m.http = &http.Server{
		Handler:           m.api.Handler(),
		TLSConfig:         tlsConfig,
		MaxHeaderBytes:    rpc.MaxHeaderBytes,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(m.Log.Handler(), slog.LevelWarn),
	}
	if err := m.servePprof(); err != nil {
		return err
	}
	m.served = make(chan error, 1)
	served := m.listener
	if tlsConfig != nil {
		// TLS and plain HTTP on the one port (sniff.go): Terraform's
		// listener resource calls over HTTPS whatever its protocol says.
		tlsConfig.NextProtos = []string{"h2", "http/1.1"}
		served = newSniffListener(m.listener, tlsConfig)
	}
	go func() { m.served <- m.http.Serve(served) }()
	if err := m.serveDNS(); err != nil { // after Serve: Close then shuts the API down
		return err
	}
	attrs := []any{"addr", m.Addr(), "tls", tlsConfig != nil, "data", cfg.DataDir, "database", databaseKind(cfg), "account", cfg.AccountID}
	if m.dns != nil {
		attrs = append(attrs, "dns", m.dns.Addr())
	}
	if certFile != "" {
		// Clients that assume roles call STS over HTTPS only: this is the
		// file their SSL_CERT_FILE must name (README, "Temporary credentials"),
		// absolute so that it can be pasted from the log.
		if abs, err := filepath.Abs(certFile); err == nil {
			certFile = abs
		}
		attrs = append(attrs, "ssl_cert_file", certFile)
	}
	m.Log.Info("serving", attrs...)
	return nil
}

// OpenStore opens PostgreSQL when the configuration names it, else the
// embedded SQLite database in the data directory.
func OpenStore(ctx context.Context, cfg Config) (Store, error) {
	var store Store
	var err error
	if cfg.DatabaseURL != "" {
		store, err = postgres.Open(ctx, cfg.DatabaseURL)
	} else {
		store, err = sqlite.Open(ctx, filepath.Join(cfg.DataDir, "slbcert.db"))
	}
	if err != nil {
		return nil, fmt.Errorf("opening the database: %w", err)
	}
	return store, nil
}

// databaseKind names the store in the start-up log, without the URL's password.
func databaseKind(cfg Config) string {
	if cfg.DatabaseURL != "" {
		return "postgres"
	}
	return "sqlite"
}

// Addr returns the address the server listens on.
func (m *Main) Addr() string { return m.listener.Addr().String() }

// Close stops accepting requests, on the API and on the data plane's
// listeners, lets those in flight finish (up to 30 s), then closes the
// store. Calls after the first return the first's result.
func (m *Main) Close() error {
	m.closeOnce.Do(func() { m.closeErr = m.close() })
	return m.closeErr
}

func (m *Main) close() error {
	var errs []error
	if m.api != nil {
		m.api.Drain()
	}
	dataPlaneClosed := make(chan error, 1)
	go func() {
		if m.dataPlane != nil {
			dataPlaneClosed <- m.dataPlane.close()
			return
		}
		dataPlaneClosed <- nil
	}()
	if m.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		errs = append(errs, m.http.Shutdown(ctx))
		if err := <-m.served; !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	}
	errs = append(errs, <-dataPlaneClosed)
	if m.pprof != nil {
		m.pprof.Close()
	}
	if m.dns != nil {
		errs = append(errs, m.dns.Close())
	}
	if m.store != nil {
		errs = append(errs, m.store.Close())
	}
	return errors.Join(errs...)
}

// MasterKeys loads the master keys, the primary first: inline, from their
// file, or from DATA/master.key — generated there on the first start of an
// embedded store, but never over a database that already holds sealed keys.
func (m *Main) MasterKeys(ctx context.Context, store KeyStores) (keys [][]byte, path string, err error) {
	cfg := m.Config
	switch {
	case cfg.MasterKey != "":
		keys, err = keyring.ParseKeys(cfg.MasterKey)
		if err != nil {
			err = fmt.Errorf("SLBCERT_MASTER_KEY: %w", err)
		}
		return keys, "", err
	case cfg.MasterKeyFile != "":
		keys, err = keyring.ReadKeyFile(cfg.MasterKeyFile)
		return keys, cfg.MasterKeyFile, err
	}
	path = filepath.Join(cfg.DataDir, "master.key")
	keys, err = keyring.ReadKeyFile(path)
	if !errors.Is(err, os.ErrNotExist) {
		return keys, path, err
	}
	if first, err := firstSealedKey(ctx, store); err != nil || first != nil {
		if err == nil {
			err = fmt.Errorf("the master key file %s is missing, but the database holds sealed private keys: restore the key file (or give --master-key-file) — a new key could not open them", path)
		}
		return nil, path, err
	}
	keys, created, err := keyring.LoadOrCreateFile(path)
	if created {
		m.Log.Warn("generated a master key; back it up with the database: without it no private key can be opened", "path", path)
	}
	return keys, path, err
}

// OpenKeyring builds the keyring and proves it opens what the store holds:
// a wrong master key stops the server at start, rather than sealing new
// keys under one key while the old ones are lost to another.
func (m *Main) OpenKeyring(ctx context.Context, store KeyStores) (*keyring.Keyring, error) {
	keys, _, err := m.MasterKeys(ctx, store)
	if err != nil {
		return nil, err
	}
	ring, err := keyring.New(keys[0], keys[1:]...)
	if err != nil {
		return nil, err
	}
	first, err := firstSealedKey(ctx, store)
	if err != nil {
		return nil, err
	}
	if first != nil {
		if _, err := ring.Open(first.Blob, keyring.AAD(first.AccountID, first.ID)); err != nil {
			return nil, fmt.Errorf("the master key does not open the stored private keys (%v): start with the key they were sealed with", err)
		}
	}
	return ring, nil
}

// firstSealedKey returns one stored sealed key (of a server certificate or
// a catalog entry), or nil when there is none.
func firstSealedKey(ctx context.Context, store KeyStores) (*slbcert.SealedKey, error) {
	for _, r := range sealedKeySources(store) {
		keys, err := r.SealedKeys(ctx, "", 1)
		if err != nil {
			return nil, err
		}
		if len(keys) > 0 {
			return &keys[0], nil
		}
	}
	return nil, nil
}

// rootKey returns the default account's root AccessKey: from the
// environment or, when none is set, one generated on first start, kept in
// the data directory and printed once.
func (m *Main) rootKey() (*iam.Root, error) {
	cfg := m.Config
	root := &iam.Root{AccountID: cfg.AccountID, Key: iam.RootKey{AccessKeyID: cfg.AccessKeyID, AccessKeySecret: cfg.AccessKeySecret}}
	if root.Key.AccessKeyID != "" {
		return root, nil
	}
	if cfg.DatabaseURL != "" {
		return nil, nil // replicas take their keys from the IAM file (Validate saw to it)
	}
	path := filepath.Join(cfg.DataDir, "root-access-key.json")
	key, created, err := iam.LoadOrCreateRootKey(path)
	if err != nil {
		return nil, err
	}
	root.Key = key
	if created {
		fmt.Fprintf(m.stderr, "slbcert: generated the root AccessKey of account %s (kept in %s; shown only this once):\n  AccessKeyId:     %s\n  AccessKeySecret: %s\n", cfg.AccountID, path, key.AccessKeyID, key.AccessKeySecret)
	}
	return root, nil
}

// loadIAM builds the directory of AccessKeys from the IAM file (if any)
// and the root key.
func (m *Main) loadIAM() (*iam.Directory, error) {
	var f *iam.File
	if m.Config.IAMFile != "" {
		var err error
		if f, err = iam.ReadFile(m.Config.IAMFile); err != nil {
			return nil, err
		}
	}
	return iam.Build(f, m.root, iam.Vocabulary{KnownRegion: func(id string) bool { return m.regions.Lookup(id) != nil }, Quotas: slices.Concat(slb.Quotas, cas.Quotas, vpc.Quotas, ecs.Quotas)})
}

// ReloadIAM re-reads the IAM file. A file that does not load leaves the
// current directory in force; requests in flight are never interrupted.
func (m *Main) ReloadIAM() error {
	dir, err := m.loadIAM()
	if err != nil {
		m.Log.Error("IAM reload failed; keeping the previous accounts and keys", "file", m.Config.IAMFile, "err", err)
		return err
	}
	m.keys.Replace(dir)
	m.Log.Info("IAM reloaded", "file", m.Config.IAMFile)
	return nil
}

// openLoadBalancing gives the service the load-balancer store and its
// configuration, and starts the data plane over the same store.
func (m *Main) openLoadBalancing(svc *slb.Service) error {
	pool, err := m.Config.AddressPool()
	if err != nil {
		return err
	}
	if err := m.instances.Load(m.Config.InstancesFile); err != nil {
		return err
	}
	svc.LoadBalancing = slb.LoadBalancing{AddressPool: pool, Instances: &m.instances, Health: m.Health}
	svc.LoadBalancers = m.store
	return m.openDataPlane(m.store, svc)
}

// ReloadInstances re-reads the instances file; one that does not load
// leaves the previous map in force.
func (m *Main) ReloadInstances() error {
	if err := m.instances.Load(m.Config.InstancesFile); err != nil {
		m.Log.Error("instances reload failed; keeping the previous map", "file", m.Config.InstancesFile, "err", err)
		return err
	}
	m.Log.Info("instances reloaded", "file", m.Config.InstancesFile)
	if m.dataPlane != nil {
		m.dataPlane.Sync(context.Background()) // new addresses for the backends they name
	}
	return nil
}
