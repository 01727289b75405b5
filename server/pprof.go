package server

import (
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// servePprof serves Go's profiler on Config.Pprof, when set: on an address
// of its own, never the API's, so that it is reachable only where the
// operator chose (the load tool profiles the data plane through it).
func (m *Main) servePprof() error {
	if m.Config.Pprof == "" {
		return nil
	}
	ln, err := net.Listen("tcp", m.Config.Pprof)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	m.pprof = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go m.pprof.Serve(ln)
	m.Log.Warn("serving Go's profiler; do not expose it", "addr", ln.Addr().String())
	return nil
}
