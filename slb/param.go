package slb

import (
	"strconv"
	"strings"

	"slbcert"
)

// Param is an optional parameter of an operation's input as the wire read
// it (docs/choices.md, "Typed inputs"). Set says the request gave it, not
// empty ("" reads as not given); Raw is the text as sent, which messages
// quote; Value is what Raw reads as; Err says why it does not. The wire
// never answers an Err itself: the rule does, where the operation's order
// of checks puts that parameter, so that a malformed value is answered at
// the same point as one out of range.
type Param[T any] struct {
	Set   bool
	Raw   string
	Value T // the zero T unless Set and Err is nil
	Err   error
}

// ParseInt reads an integer parameter, spaces around it allowed.
func ParseInt(raw string) Param[int] {
	if raw == "" {
		return Param[int]{}
	}
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil {
		return Param[int]{Set: true, Raw: raw, Err: err}
	}
	return Param[int]{Set: true, Raw: raw, Value: n}
}

// ParseBool reads a Boolean parameter: true or false in strconv.ParseBool's
// spellings (1, t, TRUE, false …).
func ParseBool(raw string) Param[bool] {
	if raw == "" {
		return Param[bool]{}
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		return Param[bool]{Set: true, Raw: raw, Err: err}
	}
	return Param[bool]{Set: true, Raw: raw, Value: b}
}

// intIn returns p's value if p reads as an integer within [lo, hi], else
// InvalidParameter quoting p as sent; p must be Set.
func intIn(name string, p Param[int], lo, hi int) (int, error) {
	if p.Err != nil || p.Value < lo || p.Value > hi {
		return 0, errInvalidValue(name, p.Raw, "an integer from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
	}
	return p.Value, nil
}

// optionalInt returns def when p is not given, else intIn's reading.
func optionalInt(name string, p Param[int], lo, hi, def int) (int, error) {
	if !p.Set {
		return def, nil
	}
	return intIn(name, p, lo, hi)
}

// readPort reads a port, 1–65535: MissingParameter when not given. A port
// is read as sent, without the spaces other integers may carry.
func readPort(name string, p Param[int]) (int, error) {
	if !p.Set {
		return 0, slbcert.MissingParameter(name)
	}
	if p.Raw != strings.TrimSpace(p.Raw) {
		p.Err = strconv.ErrSyntax
	}
	return intIn(name, p, 1, 65535)
}

// checkBool refuses a Boolean parameter given as neither true nor false.
func checkBool(name string, p Param[bool]) error {
	if p.Set && p.Err != nil {
		return errInvalidValue(name, p.Raw, "true or false")
	}
	return nil
}

// includes reports whether an Include… flag (IncludeListener) asks for
// more: true, in any case. The other spellings ParseBool accepts (1, t)
// are valid and include nothing, as these operations have always read them.
func includes(p Param[bool]) bool { return strings.EqualFold(p.Raw, "true") }
