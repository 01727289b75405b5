package sts

import (
	"strconv"

	"slbcert"
)

// Param is the kernel's slbcert.Param, the wire's reading of an optional
// parameter (docs/choices.md, "Typed inputs").
type Param[T any] = slbcert.Param[T]

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
