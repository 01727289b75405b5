package main

import (
	"os"
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	tests := []struct {
		name    string
		stat    string
		want    time.Duration
		wantErr bool
	}{
		{"plain", "12248 (cat) R 12245 12245 5976 0 -1 4194304 103 0 0 0 7 3 0 0 20 0 1 0 238618 3133440 409", 100 * time.Millisecond, false},
		{"name with spaces and parentheses", "77 (my (odd) name) S 1 77 77 0 -1 4194560 10 0 0 0 250 50 0 0 20 0 4 0 1 2 3", 3 * time.Second, false},
		{"error/truncated", "77 (x) S 1 77 77", 0, true},
		{"error/no name", "77 x S 1 2 3 4 5 6 7 8 9 10 11 12 13", 0, true},
		{"error/not a number", "77 (x) S 1 77 77 0 -1 4194560 10 0 0 0 ab 50 0", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseStatCPU(tt.stat)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("ParseStatCPU = %v, %v; want %v, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseStatus(t *testing.T) {
	status := "Name:\tslbcert\nVmPeak:\t 1300000 kB\nVmHWM:\t   40000 kB\nVmRSS:\t   30000 kB\nThreads:\t7\n"
	m, err := ParseStatus(status)
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS != 30000*1024 || m.Peak != 40000*1024 {
		t.Fatalf("got %+v", m)
	}
	for name, bad := range map[string]string{
		"error/no VmRSS": "Name:\tx\nThreads:\t1\n",
		"error/unit":     "VmRSS:\t 12 MB\n",
		"error/number":   "VmRSS:\t 1x2 kB\n",
	} {
		if _, err := ParseStatus(bad); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestOwnProcess reads this test's own /proc files: the formats the parsers
// expect are the ones this kernel writes.
func TestOwnProcess(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	if _, err := CPUTime(os.Getpid()); err != nil {
		t.Fatal(err)
	}
	m, err := ReadMemory(os.Getpid())
	if err != nil || m.RSS <= 0 || m.Peak < m.RSS {
		t.Fatalf("memory %+v, %v", m, err)
	}
}

func TestParseStatChildrenCPU(t *testing.T) {
	childrenCPU := func(stat string) (time.Duration, error) {
		f, err := statFields(stat)
		if err != nil {
			return 0, err
		}
		return statTicks(f, 16)
	}
	// cutime 30, cstime 20 ticks: fields 16 and 17.
	got, err := childrenCPU("12248 (nginx) S 1 12248 12248 0 -1 4194304 103 0 0 0 7 3 30 20 20 0 1 0 238618 3133440 409")
	if err != nil || got != 500*time.Millisecond {
		t.Fatalf("got %v, %v", got, err)
	}
	if _, err := childrenCPU("77 (x) S 1 77 77 0 -1 4194560 10 0 0 0 250 50"); err == nil {
		t.Fatal("a truncated line parsed")
	}
}

func TestGroupStatCPU(t *testing.T) {
	// A worker of the nginx whose master is 12248: its own 7+3 ticks and
	// its children's 30+20.
	const worker = "12250 (nginx) S 12248 12248 12248 0 -1 4194304 103 0 0 0 7 3 30 20 20 0 1 0 238618 3133440 409"
	tests := []struct {
		name   string
		stat   string
		pgid   int
		want   time.Duration
		inside bool
	}{
		{"ok/in the group", worker, 12248, 600 * time.Millisecond, true},
		{"ok/name with spaces and parentheses", "77 (my (odd) name) S 1 12248 77 0 -1 4194560 10 0 0 0 250 50 0 0 20 0 4 0 1 2 3", 12248, 3 * time.Second, true},
		{"ok/children cut off", "77 (x) S 1 12248 77 0 -1 4194560 10 0 0 0 250 50", 12248, 3 * time.Second, true},
		{"error/another group", worker, 12249, 0, false},
		{"error/no name", "12250 nginx S 12248 12248 12248 0 -1 4194304 103 0 0 0 7 3 30 20", 12248, 0, false},
		{"error/truncated", "77 (x) S", 77, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, inside := groupStatCPU(tt.stat, tt.pgid)
			if got != tt.want || inside != tt.inside {
				t.Fatalf("groupStatCPU = %v, %v; want %v, %v", got, inside, tt.want, tt.inside)
			}
		})
	}
}
