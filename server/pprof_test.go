package server_test

import (
	"net"
	"net/http"
	"testing"

	"slbcert/internal/e2e"
	"slbcert/server"
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
	s := e2e.Start(t, func(c *server.Config) { c.Pprof = addr })
	resp, err := http.Get("http://" + addr + "/debug/pprof/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("profiler: %d", resp.StatusCode)
	}
	if code, _ := s.Get(t, "/debug/pprof/"); code == 200 {
		t.Fatal("the API port serves the profiler")
	}
}
