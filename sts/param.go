package sts

import "strconv"

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

// ParseInt reads an API Integer: a decimal integer, as sent.
func ParseInt(raw string) Param[int] {
	if raw == "" {
		return Param[int]{}
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return Param[int]{Set: true, Raw: raw, Err: err}
	}
	return Param[int]{Set: true, Raw: raw, Value: n}
}
