package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// CPUStat is the machine's CPU time from the "cpu" line of /proc/stat.
type CPUStat struct {
	Busy, Steal, Total time.Duration // summed over all CPUs
}

// ParseProcStat reads the aggregate "cpu" line of /proc/stat. Busy is
// user+nice+system+irq+softirq (guest time is inside user); idle, iowait
// and steal are not busy, and steal is also reported alone.
func ParseProcStat(stat string) (CPUStat, error) {
	for line := range strings.Lines(stat) {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] != "cpu" {
			continue
		}
		if len(f) < 9 {
			return CPUStat{}, fmt.Errorf("/proc/stat: short cpu line %q", strings.TrimSpace(line))
		}
		var v [8]int64
		for i := range v {
			n, err := strconv.ParseInt(f[i+1], 10, 64)
			if err != nil {
				return CPUStat{}, fmt.Errorf("/proc/stat: %w", err)
			}
			v[i] = n
		}
		tick := func(n int64) time.Duration { return time.Duration(n) * time.Second / userHZ }
		user, nice, system, idle, iowait, irq, softirq, steal := v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]
		return CPUStat{
			Busy:  tick(user + nice + system + irq + softirq),
			Steal: tick(steal),
			Total: tick(user + nice + system + idle + iowait + irq + softirq + steal),
		}, nil
	}
	return CPUStat{}, errors.New("/proc/stat: no cpu line")
}

// Load is a snapshot to tell how much of the machine others used during
// the run: its busy time less this tool's and its reaped children's.
type Load struct {
	at   time.Time
	cpu  CPUStat
	ours time.Duration
}

// SnapLoad takes a snapshot (zero on failure: the figure is then omitted).
func SnapLoad() Load {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return Load{}
	}
	st, err := ParseProcStat(string(b))
	if err != nil {
		return Load{}
	}
	var self, children syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return Load{at: time.Now(), cpu: st,
		ours: tv(self.Utime) + tv(self.Stime) + tv(children.Utime) + tv(children.Stime)}
}

// Others describes the CPU used between a and b by processes other than the
// tool and the servers it started and stopped, and the steal time, both in
// CPUs on average. Servers still running at b would count as others.
func Others(a, b Load) string {
	wall := b.at.Sub(a.at)
	if a.at.IsZero() || b.at.IsZero() || wall <= 0 {
		return "unknown"
	}
	others := max(b.cpu.Busy-a.cpu.Busy-(b.ours-a.ours), 0)
	return fmt.Sprintf("%.2f CPUs busy with other processes on average, %.2f CPUs stolen by the hypervisor, over %v",
		others.Seconds()/wall.Seconds(), (b.cpu.Steal-a.cpu.Steal).Seconds()/wall.Seconds(), wall.Round(time.Second))
}
