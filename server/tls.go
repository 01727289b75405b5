package server

import (
	"context"
	"crypto/tls"
	"fmt"

	"slbcert/keyring"
)

// tlsConfig returns the HTTPS configuration, or nil to serve plain HTTP,
// and the certificate file clients trust (for the start-up log: they name
// it, or its issuer, in SSL_CERT_FILE). --tls-self-signed serves leaves of
// the local CA (localca.go), one per name asked for under aliyuncs.com;
// DATA/tls/self-signed.crt is the CA's certificate.
func (m *Main) tlsConfig(ctx context.Context, ring *keyring.Keyring) (*tls.Config, string, error) {
	cfg := m.Config
	if cfg.TLSSelfSigned {
		ca, certFile, err := m.openLocalCA(ctx, ring)
		if err != nil {
			return nil, "", fmt.Errorf("local CA: %w", err)
		}
		return &tls.Config{GetCertificate: ca.GetCertificate, MinVersion: tls.VersionTLS12}, certFile, nil
	}
	if cfg.TLSCert == "" {
		return nil, "", nil
	}
	pair, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
	if err != nil {
		return nil, "", fmt.Errorf("TLS certificate: %w", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}, cfg.TLSCert, nil
}
