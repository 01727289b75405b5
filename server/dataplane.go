package server

import (
	"context"
	"errors"
	"net"
	"strconv"
	"time"

	"slbcert/dataplane"
	"slbcert/slb"
	"slbcert/slb/slbdataplane"
)

// dataPlaneSyncTimeout bounds how long an API answer waits for the data
// plane to serve its change; past it the answer goes out and the data
// plane catches up on its own.
const dataPlaneSyncTimeout = 5 * time.Second

// dataPlaneDrainTimeout bounds the draining of listeners at shutdown, as
// the API's own requests are bounded.
const dataPlaneDrainTimeout = 30 * time.Second

// dataPlane is the data plane as the server runs it: a runtime fed by
// the store through a Source, which the service waits for (Sync) and
// reads health from (BackendHealth).
type dataPlane struct {
	rt  *dataplane.Runtime
	src *slbdataplane.Source
	// watching ends when the watch is cancelled (ctx) and returns (done).
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	m      *Main
}

// openDataPlane starts the data plane over the load-balancer store: it
// serves what the store holds before Open returns, then follows every
// change. Its metrics are on the server's /metrics.
func (m *Main) openDataPlane(store slbdataplane.Store, svc *slb.Service) error {
	src, err := slbdataplane.New(store, slbdataplane.Translation{Keyring: svc.Keyring, PortOffset: m.Config.LBPortOffset, Instances: &m.instances})
	if err != nil {
		return err
	}
	d := &dataPlane{
		rt:   dataplane.New(dataplane.Options{Log: m.Log, Registerer: m.metrics.Registerer()}),
		src:  src,
		done: make(chan struct{}),
		m:    m,
	}
	d.ctx, d.cancel = context.WithCancel(context.Background())
	// Serve what the store already holds (after a restart) before the
	// server says it is up. A failed read is logged and retried by the
	// watch; the API serves meanwhile. A listener's own problems are in
	// its status and the runtime's log.
	if cfg, err := src.Snapshot(d.ctx); err != nil {
		m.Log.Warn("dataplane: the first configuration is not served yet; retrying", "err", err)
	} else {
		_ = d.rt.Apply(cfg)
	}
	go func() {
		defer close(d.done)
		d.rt.Watch(d.ctx, src, 0)
	}()
	m.dataPlane = d
	svc.LoadBalancing.DataPlane = d
	if svc.LoadBalancing.Health == nil {
		svc.LoadBalancing.Health = d
	}
	return nil
}

// Sync implements slb.DataPlane: it returns once the data plane serves
// what the store holds now, or after dataPlaneSyncTimeout. Its failures
// are logged here; the answer of the write it follows stands.
func (d *dataPlane) Sync(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, dataPlaneSyncTimeout)
	defer cancel()
	stop := context.AfterFunc(d.ctx, cancel) // closing: nobody will answer
	defer stop()
	err := d.rt.Sync(ctx)
	if err != nil && d.ctx.Err() == nil {
		d.m.Log.Warn("dataplane: an API change is not served yet; the data plane keeps following the store", "err", err)
	}
	return err
}

// BackendHealth implements slb.HealthReporter from the data plane's
// status: each backend's health as its checks see it, and every backend
// abnormal while the listener cannot serve (its port did not bind, its
// configuration was refused). No report for listeners not served here.
func (d *dataPlane) BackendHealth(lbID string, port int) (map[slb.BackendKey]string, bool) {
	for _, protocol := range []string{slb.ProtocolHTTPS, slb.ProtocolHTTP} {
		id := slbdataplane.ListenerID(lbID, protocol, port)
		st, ok := d.rt.Status(id)
		if !ok {
			continue
		}
		backends, _ := d.rt.BackendHealth(id)
		out := make(map[slb.BackendKey]string, len(backends))
		for _, b := range backends {
			_, p, err := net.SplitHostPort(b.Address)
			if err != nil {
				continue // no address: abnormal by default
			}
			n, _ := strconv.Atoi(p)
			h := b.Health.String()
			if !st.Serving {
				h = slb.HealthAbnormal
			}
			out[slb.BackendKey{ServerID: b.ServerID, Port: n}] = h
		}
		return out, true
	}
	return nil, false
}

// close stops following the store, then closes every listener's port and
// lets their requests in flight finish (up to dataPlaneDrainTimeout).
func (d *dataPlane) close() error {
	d.cancel()
	<-d.done
	d.src.Close()
	ctx, cancel := context.WithTimeout(context.Background(), dataPlaneDrainTimeout)
	defer cancel()
	if err := d.rt.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}
