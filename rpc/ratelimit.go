package rpc

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter is a token bucket per AccessKey: a tight client loop (Terraform
// polls without sleeping) slows down itself, not the server or other keys.
// Buckets exist only for authenticated keys, so their number is bounded by
// the IAM directory.
type Limiter struct {
	limit rate.Limit
	burst int

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

// NewLimiter allows each AccessKey perSecond requests on average, in bursts
// of up to burst.
func NewLimiter(perSecond float64, burst int) *Limiter {
	return &Limiter{limit: rate.Limit(perSecond), burst: burst, buckets: map[string]*rate.Limiter{}}
}

// Allow takes a token for key; if there is none it answers how long until
// there will be one.
func (l *Limiter) Allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	b, ok := l.buckets[key]
	if !ok {
		b = rate.NewLimiter(l.limit, l.burst)
		l.buckets[key] = b
	}
	l.mu.Unlock()
	r := b.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// PerSecond returns the average rate allowed per key.
func (l *Limiter) PerSecond() int { return int(math.Round(float64(l.limit))) }
