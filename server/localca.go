package server

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"slbcert"
	"slbcert/keyring"
	"slbcert/localca"
)

// caZones are the names the local CA mints leaves for and the DNS server
// answers: every Alibaba Cloud API endpoint is under aliyuncs.com.
var caZones = []string{"aliyuncs.com"}

// caAAD binds the CA's sealed key to its record, apart from every
// certificate's (whose account ids are never empty).
var caAAD = keyring.AAD("", localca.RecordID)

// caCertFile is the file clients trust: the name --tls-self-signed always
// used, now holding the local CA's certificate.
func caCertFile(dataDir string) string { return filepath.Join(dataDir, "tls", "self-signed.crt") }

// caOptions are the CA's zones and the hosts every leaf carries: loopback
// and the listen host, as the self-signed certificate always had.
func caOptions(listen string, now func() time.Time) localca.Options {
	hosts := []string{"localhost", "127.0.0.1", "::1"}
	if host, _, err := net.SplitHostPort(listen); err == nil && host != "" && host != "localhost" {
		if ip := net.ParseIP(host); ip == nil || !ip.IsUnspecified() && !ip.IsLoopback() {
			hosts = append(hosts, host)
		}
	}
	return localca.Options{Zones: caZones, Hosts: hosts, Now: now}
}

// openLocalCA opens the store's CA (generating it on the first start of
// any replica), and writes its certificate to DATA/tls/self-signed.crt.
func (m *Main) openLocalCA(ctx context.Context, ring *keyring.Keyring) (*localca.CA, string, error) {
	store := m.store
	opts := caOptions(m.Config.Listen, m.Config.Clock)
	ca, created, err := localca.Open(ctx, store, ring, caAAD, opts)
	if err != nil {
		return nil, "", err
	}
	file := caCertFile(m.Config.DataDir)
	if err := writeCACertFile(file, ca.CertificatePEM(), m.Log); err != nil {
		return nil, "", err
	}
	if abs, err := filepath.Abs(file); err == nil {
		file = abs
	}
	m.Log.Info("local CA", "subject", ca.Cert.Subject.CommonName, "not_after", ca.Cert.NotAfter.UTC().Format(time.RFC3339), "created", created, "ssl_cert_file", file)
	for _, h := range opts.Hosts {
		if net.ParseIP(h) == nil && !ca.Permits(h) {
			m.Log.Warn("the local CA was made before the API listened on this host name and cannot vouch for it; reach the API by IP or an aliyuncs.com name, or rotate the CA (slbcert ca --rotate --listen ADDR)", "host", h)
		}
	}
	if now := time.Now(); ca.Cert.NotAfter.Before(now.AddDate(1, 0, 0)) {
		m.Log.Warn("the local CA expires within a year; rotate it (slbcert ca --rotate) and have clients trust the new certificate", "not_after", ca.Cert.NotAfter)
	}
	return ca, file, nil
}

// writeCACertFile puts certPEM in file unless it holds it already. A
// self-signed certificate left there by an older slbcert (and its key
// beside it) is replaced: the CA now vouches for the API.
func writeCACertFile(file string, certPEM []byte, log *slog.Logger) error {
	old, err := os.ReadFile(file)
	if err == nil && bytes.Equal(old, certPEM) {
		return nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err == nil {
		log.Warn("replacing the certificate clients trust with the local CA's: clients holding a copy of the old one must take the new", "file", file)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return err
	}
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, certPEM, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, file); err != nil {
		return err
	}
	// The self-signed certificate's key: the CA's is sealed in the database.
	if err := os.Remove(filepath.Join(filepath.Dir(file), "self-signed.key")); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// localCAKeys shows the CA's sealed key as a slbcert.KeyResealer, so that
// rotate-master-key re-wraps it and the start-up check tries it like any
// certificate's key.
type localCAKeys struct {
	s localca.Store
}

func (k localCAKeys) SealedKeys(ctx context.Context, afterID string, limit int) ([]slbcert.SealedKey, error) {
	if afterID != "" || limit < 1 {
		return nil, nil
	}
	rec, ok, err := k.s.LocalCA(ctx)
	if err != nil || !ok {
		return nil, err
	}
	return []slbcert.SealedKey{{ID: localca.RecordID, Blob: rec.SealedKey}}, nil
}

func (k localCAKeys) ResealKey(ctx context.Context, id string, old, new []byte) error {
	if id != localca.RecordID {
		return slbcert.ErrNotFound
	}
	ok, err := k.s.ResealLocalCAKey(ctx, old, new)
	if err == nil && !ok {
		err = slbcert.ErrNotFound
	}
	return err
}

// printCA is `slbcert ca`: the local CA's certificate on stdout, generated
// first if the store has none; --rotate replaces it.
func printCA(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var rotate bool
	var listen string
	cfg, rest, err := storeFlags("ca", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&rotate, "rotate", false, "replace the CA with a new one (restart the servers; clients must trust the new certificate)")
		fs.StringVar(&listen, "listen", "", "the API's listen address, whose host name a new CA may vouch for (env SLBCERT_LISTEN)")
	})
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("ca: unexpected arguments %q", rest)
	}
	if listen != "" {
		cfg.Listen = listen
	}
	m := NewMain(cfg, stderr)
	m.Log = slog.New(slog.NewTextHandler(stderr, nil))
	if m.store, err = OpenStore(ctx, cfg); err != nil {
		return err
	}
	defer m.store.Close()
	store := m.store
	rec, found, err := store.LocalCA(ctx)
	if err != nil {
		return err
	}
	certPEM := rec.CertPEM
	if !found || rotate {
		if cfg.DatabaseURL != "" && cfg.MasterKey == "" && cfg.MasterKeyFile == "" {
			// A key generated here would seal the CA under a key no replica holds.
			return errors.New("with --database, give the master key (SLBCERT_MASTER_KEY or --master-key-file) to create or rotate the CA: every replica must open it")
		}
		ring, err := m.OpenKeyring(ctx, m.store)
		if err != nil {
			return err
		}
		opts := caOptions(cfg.Listen, nil)
		var ca *localca.CA
		if rotate {
			ca, err = localca.Rotate(ctx, store, ring, caAAD, opts)
		} else {
			ca, _, err = localca.Open(ctx, store, ring, caAAD, opts)
		}
		if err != nil {
			return err
		}
		certPEM = ca.CertificatePEM()
		if rotate {
			fmt.Fprintln(stderr, "rotated the local CA: restart the servers, and have clients trust the new certificate")
		}
	}
	if _, err := localca.ParseCertificate(certPEM); err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return err
	}
	if err := writeCACertFile(caCertFile(cfg.DataDir), certPEM, m.Log); err != nil {
		return err
	}
	_, err = stdout.Write(certPEM)
	return err
}
