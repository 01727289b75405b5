package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"

	"slbcert/dataplane"
)

// harnessCommand is the hidden first argument that makes the tool the
// data plane's harness: the package dataplane's Runtime in a process of
// its own, configured through a control port, as the API will configure
// it in-process. The data-plane phase starts it as slbcert's side until
// the listener API exists.
const harnessCommand = "dataplane-harness"

// runHarness serves until SIGTERM: POST /apply with a JSON
// dataplane.Config applies it and answers 204 once it is served (the
// API's synchronous answer), GET /status returns the listeners' statuses.
func runHarness(args []string) error {
	fs := flag.NewFlagSet(harnessCommand, flag.ContinueOnError)
	control := fs.String("control", "", "host:port of the control endpoint")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *control == "" {
		return errors.New("--control is required")
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	rt := dataplane.New(dataplane.Options{Log: log})
	mux := http.NewServeMux()
	mux.HandleFunc("POST /apply", func(w http.ResponseWriter, r *http.Request) {
		var cfg dataplane.Config
		if err := json.NewDecoder(r.Body).Decode(&cfg); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := rt.Apply(cfg); err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(rt.Statuses())
	})
	ln, err := net.Listen("tcp", *control)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	<-ctx.Done()
	srv.Close()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return rt.Shutdown(sctx)
}

// harnessClient configures a harness through its control port.
type harnessClient struct{ control string }

func (h harnessClient) apply(ctx context.Context, cfg dataplane.Config) error {
	body, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+h.control+"/apply", bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		msg := make([]byte, 512)
		n, _ := resp.Body.Read(msg)
		return fmt.Errorf("harness apply: %s: %s", resp.Status, msg[:n])
	}
	return nil
}
