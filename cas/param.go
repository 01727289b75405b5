package cas

import (
	"errors"
	"strconv"
	"strings"
)

// Param is an optional parameter of an operation's input as the wire read
// it, as in every product (docs/choices.md, "Typed inputs"): Set says the
// request gave it, not empty; Raw is the text as sent, which messages
// quote; Value is what Raw reads as; Err says why it does not. The rules
// answer Err where their order of checks puts the parameter.
type Param[T any] struct {
	Set   bool
	Raw   string
	Value T // the zero T unless Set and Err is nil
	Err   error
}

// ParseLong reads an API Long: a decimal integer, as sent.
func ParseLong(raw string) Param[int64] {
	if raw == "" {
		return Param[int64]{}
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return Param[int64]{Set: true, Raw: raw, Err: err}
	}
	return Param[int64]{Set: true, Raw: raw, Value: n}
}

// errNotBoolean is the parse failure of a Boolean that is neither true nor
// false.
var errNotBoolean = errors.New("neither true nor false")

// ParseBool reads an API Boolean: true or false, in any case.
func ParseBool(raw string) Param[bool] {
	switch {
	case raw == "":
		return Param[bool]{}
	case strings.EqualFold(raw, "true"):
		return Param[bool]{Set: true, Raw: raw, Value: true}
	case strings.EqualFold(raw, "false"):
		return Param[bool]{Set: true, Raw: raw}
	}
	return Param[bool]{Set: true, Raw: raw, Err: errNotBoolean}
}
