package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// policyCiphers is tls_cipher_policy_1_2_strict_with_1_3's TLS 1.2 suite
// list in OpenSSL's names (Alibaba's TLS security policies:
// https://www.alibabacloud.com/help/en/slb/classic-load-balancer/user-guide/tls-security-policies),
// as nginx takes it; its
// TLS 1.3 suites are OpenSSL's defaults, a superset of Go's. The data-plane
// phase serves both sides under this policy: the only one that takes an
// ECDSA certificate.
const (
	benchPolicy   = "tls_cipher_policy_1_2_strict_with_1_3"
	policyCiphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-SHA256:" +
		"ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:" +
		"ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:" +
		"ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA"
)

// nginxCommon is the top of both nginx configurations: in the foreground,
// everything written under dir.
func nginxCommon(dir, name string, workers string) string {
	p := func(f string) string { return filepath.Join(dir, name+"-"+f) }
	return fmt.Sprintf(`daemon off;
worker_processes %s;
pid %s;
error_log %s warn;
events { worker_connections 16384; }
`, workers, p("nginx.pid"), p("error.log")) + fmt.Sprintf(`http {
  access_log off;
  client_body_temp_path %s;
  proxy_temp_path %s;
  fastcgi_temp_path %s;
  uwsgi_temp_path %s;
  scgi_temp_path %s;
  keepalive_requests 10000000;
`, p("body"), p("proxy"), p("fastcgi"), p("uwsgi"), p("scgi"))
}

// BackendConfig is the backend both proxies forward to: one nginx worker
// answering every request with a short text.
func BackendConfig(dir, addr string) string {
	return nginxCommon(dir, "backend", "1") + fmt.Sprintf(`  keepalive_timeout 120s;
  server {
    listen %s backlog=4096;
    location / { default_type text/plain; return 200 "hello from the backend\n"; }
  }
}
`, addr)
}

// ProxyConfig is nginx configured as the listener is: the certificate, the
// policy, HTTP/2, an idle timeout of 15 s (IdleTimeout's default), the
// backend over pooled HTTP/1.1 connections, X-Forwarded-For appended.
func ProxyConfig(dir, addr, backend, certFile, keyFile string) string {
	return nginxCommon(dir, "proxy", "auto") + fmt.Sprintf(`  keepalive_timeout 15s;
  upstream backend {
    server %s;
    keepalive 256;
  }
  server {
    listen %s ssl http2 backlog=4096;
    ssl_certificate %s;
    ssl_certificate_key %s;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers %s;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout 60s;
    }
  }
}
`, backend, addr, certFile, keyFile, policyCiphers)
}

// startNginx writes conf and starts nginx on it.
func startNginx(bin, dir, name, addr, conf string) (*Process, error) {
	path := filepath.Join(dir, name+".conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		return nil, err
	}
	return StartProcess("nginx "+name, addr, filepath.Join(dir, name+".log"), []string{bin, "-p", dir, "-c", path}, nil)
}

// reloadNginx makes nginx re-read its configuration and certificates
// (SIGHUP): new workers take new connections, old ones finish theirs.
func reloadNginx(p *Process) error {
	return syscall.Kill(p.Pid(), syscall.SIGHUP)
}

// writeCertFiles writes a chain and key where nginx reads them.
func writeCertFiles(certFile, keyFile string, c *benchCert) error {
	if err := os.WriteFile(certFile, []byte(c.chainPEM), 0o600); err != nil {
		return err
	}
	return os.WriteFile(keyFile, []byte(c.keyPEM), 0o600)
}
