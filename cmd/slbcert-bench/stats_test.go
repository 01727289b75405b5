package main

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		ds := make([]time.Duration, len(ns))
		for i, n := range ns {
			ds[i] = time.Duration(n) * time.Millisecond
		}
		return ds
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value", ms(7), 99, 7 * time.Millisecond},
		{"median of odd count", ms(1, 2, 3), 50, 2 * time.Millisecond},
		{"median of even count is the lower middle", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"p99 of 100", ms(hundred...), 99, 99 * time.Millisecond},
		{"p90 of 100", ms(hundred...), 90, 90 * time.Millisecond},
		{"p99 of 10 is the max", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
		{"p100 is the max", ms(1, 2, 3), 100, 3 * time.Millisecond},
		{"tiny p is the min", ms(1, 2, 3), 0.001, time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("Percentile(%v, %v) = %v, want %v", tt.sorted, tt.p, got, tt.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	lat := []time.Duration{5, 1, 4, 2, 3}
	s := Summarize(lat, 2, "boom", 2*time.Second)
	if s.N != 5 || s.Errors != 2 || s.FirstErr != "boom" {
		t.Fatalf("counts: %+v", s)
	}
	if s.P50 != 3 || s.P90 != 5 || s.P99 != 5 || s.Max != 5 {
		t.Fatalf("percentiles: %+v", s)
	}
	if s.Throughput() != 2.5 {
		t.Fatalf("throughput %v, want 2.5", s.Throughput())
	}
	if (Summary{}).Throughput() != 0 {
		t.Fatal("a phase without time has no throughput")
	}
}

func TestMedianKeepsOrder(t *testing.T) {
	ds := []time.Duration{3, 1, 2}
	if m := Median(ds); m != 2 {
		t.Fatalf("median %v", m)
	}
	if ds[0] != 3 || ds[1] != 1 {
		t.Fatal("Median reordered its argument")
	}
}

func TestDur(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                        "0",
		1500:                     "1.50 µs",
		149 * time.Microsecond:   "149 µs",
		2430 * time.Microsecond:  "2.43 ms",
		14100 * time.Microsecond: "14.1 ms",
		1500 * time.Millisecond:  "1.50 s",
	} {
		if got := Dur(d); got != want {
			t.Errorf("Dur(%v) = %q, want %q", d, got, want)
		}
	}
}
