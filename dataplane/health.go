package dataplane

import (
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Health is a backend's health as DescribeHealthStatus reports it.
type Health int32

// Health values.
const (
	// Normal backends get traffic: they passed their checks, or are not
	// checked yet (a new backend is trusted until its first probe).
	Normal Health = iota
	// Abnormal backends get none: they failed their checks, or have no
	// address.
	Abnormal
	// Unavailable backends are not checked (HealthCheck off) and get
	// traffic.
	Unavailable
)

// String returns the API's spelling: normal, abnormal, unavailable.
func (h Health) String() string {
	switch h {
	case Abnormal:
		return "abnormal"
	case Unavailable:
		return "unavailable"
	}
	return "normal"
}

// Health check defaults (Terraform's, which are the console's).
const (
	defaultHealthInterval  = 2 * time.Second
	defaultHealthTimeout   = 5 * time.Second
	defaultHealthThreshold = 3
	// healthBodyLimit is what a GET probe reads of a body before closing.
	healthBodyLimit = 4 << 10
)

var httpCodeClasses = map[string]int{"http_2xx": 2, "http_3xx": 3, "http_4xx": 4, "http_5xx": 5}

// probeSettings is a HealthCheck with its defaults filled in.
type probeSettings struct {
	uri, domain, method string
	port                int
	interval, timeout   time.Duration
	healthy, unhealthy  int
	classes             [6]bool
	// kind is probeHTTP, probeTCP or probeUDP (settingsFor); a UDP probe
	// sends udpRequest and expects udpExpect.
	kind                  string
	udpRequest, udpExpect string
}

func settingsOf(hc HealthCheck) probeSettings {
	s := probeSettings{uri: hc.URI, domain: hc.Domain, method: http.MethodHead, port: hc.ConnectPort,
		interval: hc.Interval, timeout: hc.Timeout, healthy: hc.HealthyThreshold, unhealthy: hc.UnhealthyThreshold}
	if s.uri == "" {
		s.uri = "/"
	}
	if s.domain == "$_ip" {
		s.domain = ""
	}
	if strings.EqualFold(hc.Method, "get") {
		s.method = http.MethodGet
	}
	if s.interval <= 0 {
		s.interval = defaultHealthInterval
	}
	if s.timeout <= 0 {
		s.timeout = defaultHealthTimeout
	}
	// The API documents that a timeout below the interval is replaced by
	// the interval.
	if s.timeout < s.interval {
		s.timeout = s.interval
	}
	if s.healthy <= 0 {
		s.healthy = defaultHealthThreshold
	}
	if s.unhealthy <= 0 {
		s.unhealthy = defaultHealthThreshold
	}
	codes := hc.HTTPCodes
	if len(codes) == 0 {
		codes = []string{"http_2xx"}
	}
	for _, c := range codes {
		s.classes[httpCodeClasses[c]] = true
	}
	return s
}

// prober checks one backend until stopped, setting its health.
type prober struct {
	b        *backend
	s        probeSettings
	client   *http.Client
	onChange func(b *backend, h Health)
	stop     chan struct{}
	done     chan struct{}
}

func startProber(b *backend, s probeSettings, client *http.Client, onChange func(*backend, Health)) *prober {
	p := &prober{b: b, s: s, client: client, onChange: onChange, stop: make(chan struct{}), done: make(chan struct{})}
	go p.run()
	return p
}

// halt stops the prober, cancelling a probe in flight, and waits for it.
func (p *prober) halt() {
	close(p.stop)
	<-p.done
}

func (p *prober) run() {
	defer close(p.done)
	ok, failed := 0, 0
	first := !p.b.checked.Load()
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
		}
		good := p.check()
		select {
		case <-p.stop:
			return
		default:
		}
		cur := Health(p.b.health.Load())
		next := cur
		switch {
		case first:
			// A backend's first result decides at once, so that a dead
			// backend is not given traffic for thresholds × interval.
			next, first = Abnormal, false
			if good {
				next = Normal
			}
			p.b.checked.Store(true)
		case good:
			ok, failed = ok+1, 0
			if cur != Normal && ok >= p.s.healthy {
				next = Normal
			}
		default:
			ok, failed = 0, failed+1
			if cur != Abnormal && failed >= p.s.unhealthy {
				next = Abnormal
			}
		}
		if next != cur {
			p.b.health.Store(int32(next))
			p.onChange(p.b, next)
		}
		t.Reset(p.s.interval)
	}
}

// probe sends one check and reports whether the backend answered with a
// healthy status class in time.
func (p *prober) probe() bool {
	host, port, err := net.SplitHostPort(p.b.address)
	if err != nil {
		return false
	}
	if p.s.port != 0 {
		port = strconv.Itoa(p.s.port)
	}
	ctx, cancel := context.WithTimeout(context.Background(), p.s.timeout)
	defer cancel()
	go func() {
		select {
		case <-p.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	req, err := http.NewRequestWithContext(ctx, p.s.method, "http://"+net.JoinHostPort(host, port)+p.s.uri, nil)
	if err != nil {
		return false
	}
	if p.s.domain != "" {
		req.Host = p.s.domain
	}
	req.Header.Set("User-Agent", "slbcert-health-check")
	resp, err := p.client.Do(req)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, healthBodyLimit))
	resp.Body.Close()
	class := resp.StatusCode / 100
	return class >= 2 && class <= 5 && p.s.classes[class]
}

// newProbeClient returns the client of every probe: a new connection per
// probe (a pooled one would hide a backend that stopped accepting), no
// redirects followed (3xx is a class of its own), no proxy.
func newProbeClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil, MaxResponseHeaderBytes: 64 << 10},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
