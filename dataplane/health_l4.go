package dataplane

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Probe kinds.
const (
	probeHTTP = "http"
	probeTCP  = "tcp"
	probeUDP  = "udp"
)

// udpDefaultProbe is what a UDP probe without HealthCheckReq sends.
const udpDefaultProbe = "slbcert-health-check\n"

// settingsFor is a listener's probe settings: its HealthCheck with the
// defaults filled in, and the kind of probe its protocol sends.
func settingsFor(c *Listener) probeSettings {
	s := settingsOf(c.HealthCheck)
	switch {
	case c.Protocol == ProtocolUDP:
		s.kind, s.udpRequest, s.udpExpect = probeUDP, c.HealthCheck.UDPRequest, c.HealthCheck.UDPExpect
	case c.Protocol == ProtocolTCP && !strings.EqualFold(c.HealthCheck.Type, "http"):
		s.kind = probeTCP
	default:
		s.kind = probeHTTP
	}
	return s
}

// check sends one probe of the prober's kind.
func (p *prober) check() bool {
	switch p.s.kind {
	case probeTCP:
		return p.probeTCP()
	case probeUDP:
		return p.probeUDP()
	}
	return p.probe()
}

// target is where a probe goes: the backend's address, on the health
// check's port when it has one.
func (p *prober) target() (string, bool) {
	host, port, err := net.SplitHostPort(p.b.address)
	if err != nil {
		return "", false
	}
	if p.s.port > 0 {
		port = strconv.Itoa(p.s.port)
	}
	return net.JoinHostPort(host, port), true
}

// probeContext is one probe's context: its timeout, ended early when the
// prober halts.
func (p *prober) probeContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.Background(), p.s.timeout)
	go func() {
		select {
		case <-p.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// probeTCP opens a connection within the timeout, then resets it, as
// Alibaba's TCP check does (a SYN, its SYN-ACK, a reset).
func (p *prober) probeTCP() bool {
	addr, ok := p.target()
	if !ok {
		return false
	}
	ctx, cancel := p.probeContext()
	defer cancel()
	c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	c.(*net.TCPConn).SetLinger(0)
	c.Close()
	return true
}

// probeUDP sends UDPRequest (or a few bytes) to the backend. With
// UDPExpect, only that answer in time is healthy; without, a port
// unreachable in time is abnormal and silence (or any answer) normal.
func (p *prober) probeUDP() bool {
	addr, ok := p.target()
	if !ok {
		return false
	}
	ctx, cancel := p.probeContext()
	defer cancel()
	c, err := (&net.Dialer{}).DialContext(ctx, "udp", addr)
	if err != nil {
		return false
	}
	defer c.Close()
	go func() { <-ctx.Done(); c.SetReadDeadline(time.Now()) }()
	req := p.s.udpRequest
	if req == "" {
		req = udpDefaultProbe
	}
	if _, err := c.Write([]byte(req)); err != nil {
		return !errors.Is(err, syscall.ECONNREFUSED)
	}
	buf := make([]byte, 512)
	for {
		n, err := c.Read(buf)
		switch {
		case err == nil:
			if p.s.udpExpect == "" || bytes.Equal(buf[:n], []byte(p.s.udpExpect)) {
				return true
			}
			// Another answer: wait for the expected one until the timeout.
		case errors.Is(err, syscall.ECONNREFUSED):
			return false
		case errors.Is(err, os.ErrDeadlineExceeded):
			// Silence: normal unless an answer was expected, or the prober
			// is halting (then the result is not used).
			return p.s.udpExpect == "" && ctx.Err() == context.DeadlineExceeded
		default:
			return false
		}
	}
}
