package slbcert

// Param is an optional parameter of an operation's input as a product's
// wire read it (docs/choices.md, "Typed inputs"). Set says the request
// gave it, not empty ("" reads as not given); Raw is the text as sent,
// which messages quote; Value is what Raw reads as; Err says why it does
// not. The wire never answers an Err itself: the rule does, where the
// operation's order of checks puts that parameter, so that a malformed
// value is answered at the same point as one out of range. Each product
// brings the parsers its API's readings need (slb.ParseInt trims spaces,
// cas.ParseLong does not).
type Param[T any] struct {
	Set   bool
	Raw   string
	Value T // the zero T unless Set and Err is nil
	Err   error
}
