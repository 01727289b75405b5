package policy

import (
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// valueType is what the values of a condition operator are compared as.
type valueType uint8

const (
	typeString valueType = iota
	typeStringFold
	typeStringLike
	typeNumeric
	typeDate
	typeBool
	typeIP
)

// comparison is how a context value is compared with a policy value of an
// ordered type (numbers and dates).
type comparison uint8

const (
	equal comparison = iota
	less
	lessOrEqual
	greater
	greaterOrEqual
)

// operator is a condition operator: the negated ones (StringNotEquals,
// NotIpAddress, …) are their positive counterpart with negate set.
type operator struct {
	typ    valueType
	cmp    comparison
	negate bool
}

// operators are the condition operators a policy may use, by their exact name.
var operators = map[string]operator{
	"StringEquals":              {typ: typeString},
	"StringNotEquals":           {typ: typeString, negate: true},
	"StringEqualsIgnoreCase":    {typ: typeStringFold},
	"StringNotEqualsIgnoreCase": {typ: typeStringFold, negate: true},
	"StringLike":                {typ: typeStringLike},
	"StringNotLike":             {typ: typeStringLike, negate: true},

	"NumericEquals":            {typ: typeNumeric},
	"NumericNotEquals":         {typ: typeNumeric, negate: true},
	"NumericLessThan":          {typ: typeNumeric, cmp: less},
	"NumericLessThanEquals":    {typ: typeNumeric, cmp: lessOrEqual},
	"NumericGreaterThan":       {typ: typeNumeric, cmp: greater},
	"NumericGreaterThanEquals": {typ: typeNumeric, cmp: greaterOrEqual},

	"DateEquals":            {typ: typeDate},
	"DateNotEquals":         {typ: typeDate, negate: true},
	"DateLessThan":          {typ: typeDate, cmp: less},
	"DateLessThanEquals":    {typ: typeDate, cmp: lessOrEqual},
	"DateGreaterThan":       {typ: typeDate, cmp: greater},
	"DateGreaterThanEquals": {typ: typeDate, cmp: greaterOrEqual},

	"Bool": {typ: typeBool},

	"IpAddress":    {typ: typeIP},
	"NotIpAddress": {typ: typeIP, negate: true},
}

// condition is one key under one operator, with the policy's values for it
// already converted to the operator's type.
type condition struct {
	op  operator
	key string // canonical: lower case

	strs     []string       // typeString, typeStringFold
	patterns []pattern      // typeStringLike
	nums     []float64      // typeNumeric
	times    []time.Time    // typeDate
	bools    []bool         // typeBool
	prefixes []netip.Prefix // typeIP
}

// newCondition converts the policy's values for key under op. The error
// names the value that does not fit and says what would.
func newCondition(op operator, key string, values []string) (condition, error) {
	c := condition{op: op, key: strings.ToLower(key)}
	for _, v := range values {
		switch op.typ {
		case typeString, typeStringFold:
			c.strs = append(c.strs, v)
		case typeStringLike:
			c.patterns = append(c.patterns, compilePattern(v, 0))
		case typeNumeric:
			n, ok := parseNumber(v)
			if !ok {
				return c, fmt.Errorf("%q is not a finite number", v)
			}
			c.nums = append(c.nums, n)
		case typeDate:
			t, ok := parseTime(v)
			if !ok {
				return c, fmt.Errorf("%q is not a date: use ISO 8601 with a zone (2026-01-02T15:04:05Z, 2026-01-02T23:04:05+08:00), a day (2026-01-02, UTC) or Unix seconds", v)
			}
			c.times = append(c.times, t)
		case typeBool:
			b, ok := parseBool(v)
			if !ok {
				return c, fmt.Errorf("%q is not \"true\" or \"false\"", v)
			}
			c.bools = append(c.bools, b)
		case typeIP:
			p, ok := parsePrefix(v)
			if !ok {
				return c, fmt.Errorf("%q is not an IP address or CIDR block", v)
			}
			c.prefixes = append(c.prefixes, p)
		}
	}
	return c, nil
}

// anyMatches reports whether one of the context values matches one of the
// policy's values under the positive form of the operator.
func (c *condition) anyMatches(values []string) bool {
	for _, v := range values {
		if c.matches(v) {
			return true
		}
	}
	return false
}

// matches reports whether the context value v matches one of the policy's
// values under the positive form of the operator. A value that cannot be
// read as the operator's type matches nothing.
func (c *condition) matches(v string) bool {
	switch c.op.typ {
	case typeString:
		return slices.Contains(c.strs, v)
	case typeStringFold:
		for _, s := range c.strs {
			if strings.EqualFold(v, s) {
				return true
			}
		}
	case typeStringLike:
		for i := range c.patterns {
			if c.patterns[i].match(v, 0) {
				return true
			}
		}
	case typeNumeric:
		n, ok := parseNumber(v)
		if !ok {
			return false
		}
		for _, w := range c.nums {
			if c.op.cmp.holds(compareFloat(n, w)) {
				return true
			}
		}
	case typeDate:
		t, ok := parseTime(v)
		if !ok {
			return false
		}
		for _, w := range c.times {
			if c.op.cmp.holds(t.Compare(w)) {
				return true
			}
		}
	case typeBool:
		b, ok := parseBool(v)
		return ok && slices.Contains(c.bools, b)
	case typeIP:
		a, err := netip.ParseAddr(v)
		if err != nil {
			return false
		}
		a = a.WithZone("").Unmap()
		for _, p := range c.prefixes {
			if p.Contains(a) {
				return true
			}
		}
	}
	return false
}

// holds reports whether the result of comparing a context value with a
// policy value (-1, 0, +1) satisfies the comparison.
func (c comparison) holds(r int) bool {
	switch c {
	case less:
		return r < 0
	case lessOrEqual:
		return r <= 0
	case greater:
		return r > 0
	case greaterOrEqual:
		return r >= 0
	}
	return r == 0
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// parseNumber reads a decimal (or Go hexadecimal) floating-point number;
// NaN and the infinities are refused, since nothing compares with them.
func parseNumber(s string) (float64, bool) {
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, false
	}
	return n, true
}

// timeLayouts are the ISO 8601 forms a date may take; each names its zone,
// since a time without one would mean something else on every server.
var timeLayouts = []string{
	time.RFC3339Nano,           // 2026-01-02T15:04:05.999Z, …+08:00; also without fraction
	"2006-01-02T15:04Z07:00",   // no seconds
	"2006-01-02T15:04:05Z0700", // zone without colon
	"2006-01-02T15:04Z0700",
}

// parseTime reads an ISO 8601 date-time with a zone, a bare day (midnight
// UTC) or Unix seconds.
func parseTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if allDigits(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		return time.Unix(n, 0).UTC(), true
	}
	if len(s) == len("2006-01-02") {
		t, err := time.Parse(time.DateOnly, s)
		return t, err == nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseBool reads "true" or "false" in any case.
func parseBool(s string) (bool, bool) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

// parsePrefix reads an IP address (IPv4 or IPv6, a block of one) or a CIDR
// block. Host bits set in a block are cleared, an IPv4-mapped IPv6 block
// becomes the IPv4 block it maps, so that both compare with the unmapped
// client address.
func parsePrefix(s string) (netip.Prefix, bool) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return netip.Prefix{}, false
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked(), true
}
