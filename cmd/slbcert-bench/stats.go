package main

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Summary condenses the latencies of one phase.
type Summary struct {
	N                  int           // successful operations
	Errors             int           // failed operations
	FirstErr           string        // the first failure, for the report
	Elapsed            time.Duration // wall time of the phase
	P50, P90, P99, Max time.Duration
}

// Throughput is successful operations per second of wall time.
func (s Summary) Throughput() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.N) / s.Elapsed.Seconds()
}

// Summarize sorts lat in place and condenses it.
func Summarize(lat []time.Duration, errors int, firstErr string, elapsed time.Duration) Summary {
	slices.Sort(lat)
	s := Summary{N: len(lat), Errors: errors, FirstErr: firstErr, Elapsed: elapsed}
	if len(lat) > 0 {
		s.P50 = Percentile(lat, 50)
		s.P90 = Percentile(lat, 90)
		s.P99 = Percentile(lat, 99)
		s.Max = lat[len(lat)-1]
	}
	return s
}

// Percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of
// sorted: the smallest value with at least p% of the values at or below it.
// The median of an even count is thus the lower middle value.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// Median returns the median of ds without reordering it.
func Median(ds []time.Duration) time.Duration {
	c := slices.Clone(ds)
	slices.Sort(c)
	return Percentile(c, 50)
}

// Dur formats d with three significant figures in the unit that suits it.
func Dur(d time.Duration) string {
	us := float64(d) / float64(time.Microsecond)
	switch {
	case d <= 0:
		return "0"
	case us < 10:
		return fmt.Sprintf("%.2f µs", us)
	case us < 1000:
		return fmt.Sprintf("%.0f µs", us)
	case us < 10_000:
		return fmt.Sprintf("%.2f ms", us/1000)
	case us < 1_000_000:
		return fmt.Sprintf("%.1f ms", us/1000)
	default:
		return fmt.Sprintf("%.2f s", us/1e6)
	}
}

// Rate formats operations per second.
func Rate(perSec float64) string {
	if perSec >= 100 {
		return fmt.Sprintf("%.0f/s", perSec)
	}
	return fmt.Sprintf("%.1f/s", perSec)
}

// Ratio formats a/b as "×1.23", or "n/a" when b is zero.
func Ratio(a, b float64) string {
	if b == 0 || math.IsNaN(a/b) {
		return "n/a"
	}
	return fmt.Sprintf("×%.2f", a/b)
}
