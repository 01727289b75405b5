package dataplane

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"sync"
	"sync/atomic"
)

// Schedulers (the listener's Scheduler).
const (
	// SchedulerWRR is weighted round robin, smooth as nginx's: a backend
	// of weight 3 beside one of weight 1 gets 3 requests of every 4,
	// interleaved.
	SchedulerWRR = "wrr"
	// SchedulerRR takes the backends in turn, weights aside (a weight of 0
	// still sends nothing).
	SchedulerRR = "rr"
	// SchedulerWLC sends to the backend with the fewest requests in flight
	// per unit of weight.
	SchedulerWLC = "wlc"
)

// backend is a backend server as the data plane tracks it. It outlives
// configurations that keep it (same ServerID and Address), so its health
// and its requests in flight carry over a reload.
type backend struct {
	serverID, address string // address "": unresolved, never routed to
	// token names the backend in sticky-session cookies.
	token string
	// hash is its own hash in consistent-hash scheduling.
	hash uint64

	active atomic.Int64 // requests in flight
	health atomic.Int32 // a Health value
	// checked is set once a prober has judged the backend: its first
	// result then decides alone.
	checked atomic.Bool
}

func backendKey(b Backend) string { return b.ServerID + "|" + b.Address }

func newBackend(b Backend) *backend {
	sum := sha256.Sum256([]byte(backendKey(b)))
	nb := &backend{serverID: b.ServerID, address: b.Address, token: hex.EncodeToString(sum[:8]), hash: binary.BigEndian.Uint64(sum[8:16])}
	if b.Address == "" {
		nb.health.Store(int32(Abnormal))
	}
	return nb
}

// routable reports whether b may get a request now.
func (b *backend) routable() bool {
	return b.address != "" && Health(b.health.Load()) != Abnormal
}

type member struct {
	b      *backend
	weight int
}

// pool chooses among a listener's backends with its scheduler.
type pool struct {
	scheduler string
	members   []member // weight > 0 only

	next atomic.Uint64 // rr and wlc: where the next search starts

	mu      sync.Mutex
	current []int // wrr: each member's current weight
}

func newPool(scheduler string, members []member) *pool {
	if scheduler == "" {
		scheduler = SchedulerWRR
	}
	p := &pool{scheduler: scheduler}
	for _, m := range members {
		if m.weight > 0 {
			p.members = append(p.members, m)
		}
	}
	p.current = make([]int, len(p.members))
	return p
}

// pick returns the backend for a request, or nil when none is routable.
func (p *pool) pick() *backend {
	n := len(p.members)
	if n == 0 {
		return nil
	}
	switch p.scheduler {
	case SchedulerRR:
		start := int(p.next.Add(1) % uint64(n))
		for i := range n {
			if m := p.members[(start+i)%n]; m.b.routable() {
				return m.b
			}
		}
		return nil
	case SchedulerWLC:
		start := int(p.next.Add(1) % uint64(n))
		var best *member
		var bestActive int64
		for i := range n {
			m := &p.members[(start+i)%n]
			if !m.b.routable() {
				continue
			}
			a := m.b.active.Load()
			if best == nil || a*int64(best.weight) < bestActive*int64(m.weight) {
				best, bestActive = m, a
			}
		}
		if best == nil {
			return nil
		}
		return best.b
	default:
		p.mu.Lock()
		defer p.mu.Unlock()
		total, best := 0, -1
		for i, m := range p.members {
			if !m.b.routable() {
				continue
			}
			p.current[i] += m.weight
			total += m.weight
			if best < 0 || p.current[i] > p.current[best] {
				best = i
			}
		}
		if best < 0 {
			return nil
		}
		p.current[best] -= total
		return p.members[best].b
	}
}

// byToken returns the routable member named by a sticky-session token.
func (p *pool) byToken(token string) *backend {
	for _, m := range p.members {
		if m.b.token == token && m.b.routable() {
			return m.b
		}
	}
	return nil
}
