package server

import (
	"net"
	"net/http"
	"testing"
)

// TestPprof: --pprof serves the profiler on its own address, and only
// there.
func TestPprof(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := startServer(t, func(c *Config) { c.Pprof = addr })
	resp, err := http.Get("http://" + addr + "/debug/pprof/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("profiler: %d", resp.StatusCode)
	}
	if code, _ := s.get(t, "/debug/pprof/"); code == 200 {
		t.Fatal("the API port serves the profiler")
	}
}
