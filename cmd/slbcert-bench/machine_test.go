package main

import (
	"testing"
	"time"
)

func TestParseProcStat(t *testing.T) {
	stat := "cpu  100 5 50 1000 20 3 2 10 0 0\ncpu0 50 2 25 500 10 1 1 5 0 0\nintr 12345\n"
	got, err := ParseProcStat(stat)
	if err != nil {
		t.Fatal(err)
	}
	want := CPUStat{Busy: 1600 * time.Millisecond, Steal: 100 * time.Millisecond, Total: 11900 * time.Millisecond}
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for name, bad := range map[string]string{
		"error/no cpu line": "cpu0 1 2 3 4 5 6 7 8\n",
		"error/short":       "cpu 1 2 3\n",
		"error/not numbers": "cpu 1 2 x 4 5 6 7 8\n",
	} {
		if _, err := ParseProcStat(bad); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestOthers(t *testing.T) {
	a := Load{at: time.Unix(0, 0), cpu: CPUStat{Busy: 0}, ours: 0}
	b := Load{at: time.Unix(10, 0), cpu: CPUStat{Busy: 15 * time.Second, Steal: time.Second}, ours: 10 * time.Second}
	if got, want := Others(a, b), "0.50 CPUs busy with other processes on average, 0.10 CPUs stolen by the hypervisor, over 10s"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if Others(Load{}, b) != "unknown" {
		t.Fatal("a missing snapshot must give unknown")
	}
}
