package dataplane

import (
	"crypto/tls"

	"github.com/prometheus/client_golang/prometheus"
)

// listenerMetrics are the data plane's Prometheus collectors: those in
// perListener are labelled by listener ID, and a listener's series go with
// it; reloads counts the watcher's snapshots by result.
type listenerMetrics struct {
	up          *prometheus.GaugeVec
	bindErrors  *prometheus.CounterVec
	connections *prometheus.CounterVec
	open        *prometheus.GaugeVec
	handshakes  *prometheus.CounterVec
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	expiry      *prometheus.GaugeVec
	backends    *prometheus.GaugeVec
	refused     *prometheus.CounterVec
	reloads     *prometheus.CounterVec

	perListener []listenerCollector
}

// listenerCollector is a collector with a "listener" label.
type listenerCollector interface {
	prometheus.Collector
	DeletePartialMatch(prometheus.Labels) int
}

func newListenerMetrics(reg prometheus.Registerer) *listenerMetrics {
	m := &listenerMetrics{
		up: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "slbcert_listener_up",
			Help: "1 when the listener is bound and serving, 0 when it could not bind or its configuration is refused.",
		}, []string{"listener"}),
		bindErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "slbcert_listener_bind_errors_total",
			Help: "Failed attempts to bind the listener's address.",
		}, []string{"listener"}),
		connections: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "slbcert_listener_connections_total",
			Help: "Client connections accepted.",
		}, []string{"listener"}),
		open: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "slbcert_listener_connections_open",
			Help: "Client connections open now.",
		}, []string{"listener"}),
		handshakes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "slbcert_listener_tls_handshakes_total",
			Help: "TLS handshakes, by result (ok, error) and negotiated version (\"\" for failures).",
		}, []string{"listener", "result", "version"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "slbcert_listener_requests_total",
			Help: "Requests answered, by HTTP status.",
		}, []string{"listener", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "slbcert_listener_backend_duration_seconds",
			Help:    "Time from a request's arrival to its backend's response headers.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"listener"}),
		expiry: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "slbcert_listener_certificate_expiry_timestamp_seconds",
			Help: "NotAfter of each certificate the listener serves, as a Unix time: the listener's (domain \"\") and its domain extensions'.",
		}, []string{"listener", "domain", "certificate"}),
		backends: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "slbcert_listener_backend_normal",
			Help: "1 when the backend may get traffic (normal, or not checked), 0 when abnormal.",
		}, []string{"listener", "server", "address"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "slbcert_listener_refused_total",
			Help: "Connections (TCP, HTTP, HTTPS) and datagrams (UDP) refused by the listener's access control.",
		}, []string{"listener"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "slbcert_dataplane_snapshots_total",
			Help: "Configuration snapshots read by the data plane's watcher, by result (ok, error).",
		}, []string{"result"}),
	}
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m.perListener = []listenerCollector{m.up, m.bindErrors, m.connections, m.open, m.handshakes, m.requests, m.latency, m.expiry, m.backends, m.refused}
	for _, c := range m.perListener {
		reg.MustRegister(c)
	}
	reg.MustRegister(m.reloads)
	return m
}

func (m *listenerMetrics) handshake(id string, ok bool, version uint16) {
	if ok {
		m.handshakes.WithLabelValues(id, "ok", tls.VersionName(version)).Inc()
	} else {
		m.handshakes.WithLabelValues(id, "error", "").Inc()
	}
}

func (m *listenerMetrics) certificates(id string, st *tlsState) {
	m.expiry.DeletePartialMatch(prometheus.Labels{"listener": id})
	if st == nil {
		return
	}
	for _, c := range st.active {
		m.expiry.WithLabelValues(id, c.domain, c.id).Set(float64(c.notAfter.Unix()))
	}
}

func (m *listenerMetrics) backend(id string, b *backend, h Health) {
	v := 1.0
	if h == Abnormal {
		v = 0
	}
	m.backends.WithLabelValues(id, b.serverID, b.address).Set(v)
}

// forget drops a removed listener's series.
func (m *listenerMetrics) forget(id string) {
	l := prometheus.Labels{"listener": id}
	for _, c := range m.perListener {
		c.DeletePartialMatch(l)
	}
}
