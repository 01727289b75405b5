// Package metrics exposes slbcert to Prometheus: requests by action and
// code, latencies, store latencies by operation, and what the store holds.
// The rpc package reports through a small interface and the server's timed
// store through StoreOp, so only this package knows Prometheus.
package metrics

import (
	"context"
	"net/http"
	"slbcert/slb"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// ExpiryHorizon is how far ahead slbcert_certificates_expiring looks.
const ExpiryHorizon = 30 * 24 * time.Hour

// Metrics holds the server's collectors in a registry of its own.
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	store    *prometheus.HistogramVec
}

// New returns metrics registered with a fresh registry, with the Go
// runtime and process collectors (process_cpu_seconds_total, RSS, …).
func New() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "slbcert_requests_total",
			Help: "API requests answered, by Action and error code (\"\" for success).",
		}, []string{"action", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "slbcert_request_duration_seconds",
			Help:    "Time to answer an API request, by Action.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"action"}),
		store: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "slbcert_store_duration_seconds",
			Help:    "Time the store took, by operation.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .5},
		}, []string{"op"}),
	}
	m.registry.MustRegister(m.requests, m.latency, m.store,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registerer is the server's registry, for parts that bring collectors
// of their own (the data plane's per-listener metrics).
func (m *Metrics) Registerer() prometheus.Registerer { return m.registry }

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// ObserveRequest counts one answered request. An unknown or absent Action
// is counted as "" so that clients cannot grow the label set at will.
func (m *Metrics) ObserveRequest(action, code string, known bool, d time.Duration) {
	if !known {
		action = ""
	}
	m.requests.WithLabelValues(action, code).Inc()
	m.latency.WithLabelValues(action).Observe(d.Seconds())
}

// WatchCertificates exports what stats reads (at most every 10 s):
// slbcert_certificates{kind} and slbcert_certificates_expiring (within
// ExpiryHorizon, those already expired included).
func (m *Metrics) WatchCertificates(stats slb.StatsReader) {
	m.registry.MustRegister(&certificateCollector{stats: stats})
}

var (
	certificatesDesc = prometheus.NewDesc("slbcert_certificates", "Certificates stored, by kind (server, ca).", []string{"kind"}, nil)
	expiringDesc     = prometheus.NewDesc("slbcert_certificates_expiring", "Certificates whose expiry is within 30 days, those already expired included.", nil, nil)
)

// statsTTL is how long a count is reused: counting scans every certificate,
// and scrapes from several Prometheus servers need not each pay for it.
const statsTTL = 10 * time.Second

type certificateCollector struct {
	stats slb.StatsReader

	mu   sync.Mutex
	last slb.CertificateStats
	at   time.Time
}

// read returns the counts, at most statsTTL old.
func (c *certificateCollector) read() (slb.CertificateStats, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && time.Since(c.at) < statsTTL {
		return c.last, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := c.stats.CertificateStats(ctx, time.Now().Add(ExpiryHorizon))
	if err != nil {
		return st, err
	}
	c.last, c.at = st, time.Now()
	return st, nil
}

func (c *certificateCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- certificatesDesc
	ch <- expiringDesc
}

func (c *certificateCollector) Collect(ch chan<- prometheus.Metric) {
	st, err := c.read()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(certificatesDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(certificatesDesc, prometheus.GaugeValue, float64(st.Server), "server")
	ch <- prometheus.MustNewConstMetric(certificatesDesc, prometheus.GaugeValue, float64(st.CA), "ca")
	ch <- prometheus.MustNewConstMetric(expiringDesc, prometheus.GaugeValue, float64(st.ExpiringSoon))
}
