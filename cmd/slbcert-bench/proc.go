package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// userHZ is the unit of the CPU times in /proc/PID/stat. The kernel reports
// them in USER_HZ, which is 100 on every Linux architecture Go supports.
const userHZ = 100

// CPUTime returns the user plus system CPU time the process pid has used,
// all its threads included.
func CPUTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return ParseStatCPU(string(b))
}

// ParseStatCPU reads utime+stime (fields 14 and 15) from the text of
// /proc/PID/stat.
func ParseStatCPU(stat string) (time.Duration, error) {
	f, err := statFields(stat)
	if err != nil {
		return 0, err
	}
	return statTicks(f, 14)
}

// GroupCPU sums the CPU time of every process in the process group pgid —
// nginx's master and workers, or slbcert — with that of the children they
// reaped: the workers an nginx reload retired keep counting after they
// exit.
func GroupCPU(pgid int) time.Duration {
	entries, _ := os.ReadDir("/proc")
	var total time.Duration
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		if d, ok := groupStatCPU(string(b), pgid); ok {
			total += d
		}
	}
	return total
}

// groupStatCPU returns utime+stime+cutime+cstime of a /proc/PID/stat text
// whose process is in the process group pgid (field 5), or false. The
// figures that do not parse count as 0.
func groupStatCPU(stat string, pgid int) (time.Duration, bool) {
	f, err := statFields(stat)
	if err != nil || len(f) < 3 || f[2] != strconv.Itoa(pgid) {
		return 0, false
	}
	own, _ := statTicks(f, 14)
	children, _ := statTicks(f, 16)
	return own + children, true
}

// statFields returns the fields of a /proc/PID/stat text after the command
// name, the first being field 3 (state). The name (field 2) is in
// parentheses and may hold spaces and parentheses itself, so fields are
// counted after the last ')'.
func statFields(stat string) ([]string, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return nil, errors.New("/proc stat: no command name")
	}
	return strings.Fields(stat[i+1:]), nil
}

// statTicks sums the CPU times of fields from and from+1, numbered as in
// proc(5) (14 utime, 15 stime; 16 cutime, 17 cstime: the children the
// process waited for), of f, statFields' answer.
func statTicks(f []string, from int) (time.Duration, error) {
	first := from - 3 // f[0] is field 3
	if len(f) < first+2 {
		return 0, fmt.Errorf("/proc stat: %d fields after the name, want at least %d", len(f), first+2)
	}
	var ticks int64
	for _, s := range f[first : first+2] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("/proc stat: CPU time %q", s)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}

// Memory is a process's resident set: now and at its peak.
type Memory struct {
	RSS, Peak int64 // bytes
}

// ReadMemory returns VmRSS and VmHWM of the process pid.
func ReadMemory(pid int) (Memory, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return Memory{}, err
	}
	return ParseStatus(string(b))
}

// ParseStatus reads VmRSS and VmHWM (in kB) from the text of /proc/PID/status.
func ParseStatus(status string) (Memory, error) {
	var m Memory
	found := 0
	for line := range strings.Lines(status) {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		var dst *int64
		switch name {
		case "VmRSS":
			dst = &m.RSS
		case "VmHWM":
			dst = &m.Peak
		default:
			continue
		}
		f := strings.Fields(value)
		if len(f) != 2 || f[1] != "kB" {
			return Memory{}, fmt.Errorf("/proc status: %s: %q", name, strings.TrimSpace(value))
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return Memory{}, fmt.Errorf("/proc status: %s: %w", name, err)
		}
		*dst = kb * 1024
		found++
	}
	if m.RSS == 0 && found == 0 {
		return Memory{}, errors.New("/proc status: no VmRSS")
	}
	return m, nil
}

// MiB formats a byte count in mebibytes.
func MiB(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
