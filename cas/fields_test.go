package cas

import (
	"crypto/x509"
	"math/big"
	"regexp"
	"testing"
	"time"

	"slbcert"
)

func TestInstanceID(t *testing.T) {
	pattern := regexp.MustCompile(`^cas-upload-[a-z0-9]{6}$`)
	seen := map[string]int64{}
	// A run of consecutive ids, and ids far apart, never share one.
	for _, start := range []int64{FirstUserCertificateID, 2176782336 - 50_000, 123_456_789} {
		for id := start; id < start+50_000; id++ {
			got := instanceID(id)
			if !pattern.MatchString(got) {
				t.Fatalf("instanceID(%d) = %q", id, got)
			}
			if prev, dup := seen[got]; dup {
				t.Fatalf("instanceID(%d) = instanceID(%d) = %q", id, prev, got)
			}
			seen[got] = id
		}
	}
}

func TestDatesAndExpiry(t *testing.T) {
	// 2025-09-21 20:00 UTC is already the 22nd in UTC+8.
	notAfter := time.Date(2025, 9, 21, 20, 0, 0, 0, time.UTC)
	if got := Date(notAfter); got != "2025-09-22" {
		t.Errorf("Date = %s, want 2025-09-22", got)
	}
	for _, tc := range []struct {
		name    string
		now     time.Time
		expired bool
		remain  int
	}{
		{"ok/a day and a bit before", notAfter.Add(-25 * time.Hour), false, 1},
		{"ok/just before", notAfter.Add(-time.Millisecond), false, 0},
		{"ok/at NotAfter: still valid", notAfter, false, 0},
		{"ok/just after", notAfter.Add(time.Millisecond), true, 0},
		{"ok/long after", notAfter.AddDate(1, 0, 0), true, 0},
	} {
		if got := Expired(notAfter, tc.now); got != tc.expired {
			t.Errorf("%s: Expired = %v", tc.name, got)
		}
		if got := RemainDay(notAfter, tc.now); got != tc.remain {
			t.Errorf("%s: RemainDay = %d, want %d", tc.name, got, tc.remain)
		}
	}
}

func TestSerialNo(t *testing.T) {
	for _, tc := range []struct {
		serial *big.Int
		want   string
	}{
		{big.NewInt(0x06ea48), "06ea48"},
		{big.NewInt(0x8a), "8a"},
		{big.NewInt(0), "00"},
		{nil, "00"},
	} {
		if got := SerialNo(&x509.Certificate{SerialNumber: tc.serial}); got != tc.want {
			t.Errorf("SerialNo(%v) = %s, want %s", tc.serial, got, tc.want)
		}
	}
}

func TestCertID(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		code string
	}{
		{"10000001", 10000001, ""},
		{"0", 0, ""},
		{"", 0, slbcert.EMissingParameter},
		{"12a", 0, slbcert.EInvalidParameter},
		{"1.5", 0, slbcert.EInvalidParameter},
		{"99999999999999999999", 0, slbcert.EInvalidParameter},
	} {
		got, err := certID("CertId", ParseLong(tc.in))
		if slbcert.ErrorCode(err) != tc.code || got != tc.want {
			t.Errorf("certID(%q) = %d, %v; want %d, %s", tc.in, got, err, tc.want, tc.code)
		}
	}
}
