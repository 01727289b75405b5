// Command slbcert serves the Alibaba Cloud SLB certificate API.
//
//	slbcert serve [--listen ADDR] [--data DIR] [--regions FILE] [--master-key-file FILE]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"slbcert"
	"slbcert/iam"
	"slbcert/keyring"
	"slbcert/postgres"
	"slbcert/region"
	"slbcert/rpc"
	"slbcert/service"
	"slbcert/sqlite"
)

func main() {
	if err := run(os.Args[1:], os.Getenv, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "slbcert:", err)
		}
		os.Exit(2)
	}
}

const usage = `usage: slbcert serve [flags]   (slbcert serve -h lists the flags)`

func run(args []string, getenv func(string) string, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "serve":
		cfg, err := LoadConfig(args[1:], getenv, stderr)
		if err != nil {
			return err
		}
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
		defer stop()
		m := NewMain(cfg, stderr)
		if err := m.Open(ctx); err != nil {
			m.Close()
			return err
		}
		hup := make(chan os.Signal, 1)
		signal.Notify(hup, syscall.SIGHUP)
		defer signal.Stop(hup)
		for {
			select {
			case <-hup:
				m.ReloadIAM()
			case <-ctx.Done():
				m.Log.Info("shutting down")
				return m.Close()
			}
		}
	case "-h", "--help", "help":
		fmt.Fprintln(stderr, usage)
		return nil
	default:
		return fmt.Errorf("unknown command %q\n%s", args[0], usage)
	}
}

// Main is the wired server: what `serve` runs and what end-to-end tests start.
type Main struct {
	Config Config
	Log    *slog.Logger
	stderr io.Writer

	store    slbcert.Store
	regions  *region.Table
	keys     *iam.Live
	root     *iam.Root
	listener net.Listener
	http     *http.Server
	served   chan error

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
	ring, err := m.openKeyring()
	if err != nil {
		return err
	}
	if m.root, err = m.rootKey(); err != nil {
		return err
	}
	dir, err := m.loadIAM()
	if err != nil {
		return err
	}
	m.keys = iam.NewLive(dir)
	if cfg.DatabaseURL != "" {
		m.store, err = postgres.Open(ctx, cfg.DatabaseURL)
	} else {
		m.store, err = sqlite.Open(ctx, filepath.Join(cfg.DataDir, "slbcert.db"))
	}
	if err != nil {
		return fmt.Errorf("opening the database: %w", err)
	}
	svc := service.New(m.store, m.regions, ring)
	api := &rpc.Server{Service: svc, Keys: m.keys, Nonces: m.store, Ready: m.store.Ping, Log: m.Log, Now: time.Now}

	m.listener, err = net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	m.http = &http.Server{
		Handler:           api.Handler(),
		MaxHeaderBytes:    rpc.MaxHeaderBytes,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(m.Log.Handler(), slog.LevelWarn),
	}
	m.served = make(chan error, 1)
	go func() { m.served <- m.http.Serve(m.listener) }()
	m.Log.Info("serving", "addr", m.Addr(), "data", cfg.DataDir, "account", cfg.AccountID)
	return nil
}

// Addr returns the address the server listens on.
func (m *Main) Addr() string { return m.listener.Addr().String() }

// Close stops accepting requests, lets those in flight finish (up to 30 s),
// then closes the store. Calls after the first return the first's result.
func (m *Main) Close() error {
	m.closeOnce.Do(func() { m.closeErr = m.close() })
	return m.closeErr
}

func (m *Main) close() error {
	var errs []error
	if m.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		errs = append(errs, m.http.Shutdown(ctx))
		if err := <-m.served; !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	}
	if m.store != nil {
		errs = append(errs, m.store.Close())
	}
	return errors.Join(errs...)
}

// openKeyring loads the master key: inline, from its file, or generated
// into the data directory on first start.
func (m *Main) openKeyring() (*keyring.Keyring, error) {
	cfg := m.Config
	var key []byte
	var err error
	switch {
	case cfg.MasterKey != "":
		key, err = keyring.ParseKey(cfg.MasterKey)
		if err != nil {
			err = fmt.Errorf("SLBCERT_MASTER_KEY: %w", err)
		}
	case cfg.MasterKeyFile != "":
		var data []byte
		if data, err = os.ReadFile(cfg.MasterKeyFile); err == nil {
			key, err = keyring.ParseKey(string(data))
		}
		if err != nil {
			err = fmt.Errorf("master key file: %w", err)
		}
	default:
		var created bool
		path := filepath.Join(cfg.DataDir, "master.key")
		key, created, err = keyring.LoadOrCreateFile(path)
		if created {
			m.Log.Warn("generated a master key; back it up: without it no private key can be opened", "path", path)
		}
	}
	if err != nil {
		return nil, err
	}
	return keyring.New(key)
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
	return iam.Build(f, m.root, func(id string) bool { return m.regions.Lookup(id) != nil })
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
