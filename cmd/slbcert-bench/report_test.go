package main

import (
	"strings"
	"testing"
	"time"
)

func TestReportRenders(t *testing.T) {
	r := &Results{
		Starts:     []time.Duration{20 * time.Millisecond, 10 * time.Millisecond, 30 * time.Millisecond},
		Floors:     Floors{Parse: 150 * time.Microsecond, Fsync: 150 * time.Microsecond, SDK: 100 * time.Microsecond},
		SeqUpload:  Phase{Summary: Summary{N: 10, P50: 300 * time.Microsecond, Elapsed: time.Second}, Workers: 1},
		ConcUpload: Phase{Summary: Summary{N: 100, Elapsed: time.Second}, Workers: 8, ServerCPU: 50 * time.Millisecond},
		Scale: &ScaleResult{SmallN: 1000, LargeN: 100000,
			Small: Phase{Summary: Summary{N: 5, P99: time.Millisecond}}, Large: Phase{Summary: Summary{N: 5, P99: 3 * time.Millisecond}}},
	}
	ts := Targets(r, 8)
	want := []string{"met", "MISSED", "MISSED", "met"} // 300 µs ≤ 500 µs; 500 µs > 225 µs; ×3; 20 ms
	for i, tg := range ts {
		if tg.Status != want[i] {
			t.Errorf("target %q: %s, want %s", tg.Name, tg.Status, want[i])
		}
	}
	rep := BuildReport(Options{Workers: 8}, nil, r, t.TempDir())
	var text, md strings.Builder
	rep.Text(&text)
	rep.Markdown(&md)
	for _, s := range []string{"Describe-by-id p99 at 100k vs 1k", "slbcert", "MISSED"} {
		if !strings.Contains(text.String(), s) || !strings.Contains(md.String(), s) {
			t.Errorf("report lacks %q", s)
		}
	}
	if !strings.Contains(md.String(), "| --- |") {
		t.Error("no Markdown table")
	}
}
