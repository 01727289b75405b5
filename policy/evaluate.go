package policy

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Request is what a principal asks to do, as the policies see it.
type Request struct {
	// Action is "<service>:<ApiName>", e.g. "slb:UploadServerCertificate".
	Action string
	// Resource is the ARN of the one resource acted on, e.g.
	// "acs:slb:cn-hangzhou:1000000000000001:certificate/*".
	Resource string
	// Context maps condition keys to their values in this request (see
	// KeySourceIP and the other Key constants). Keys are matched without
	// regard to case, fastest when all are lower case as the constants are.
	Context map[string][]string
}

// Decision is the outcome of evaluating policies. The zero Decision is
// ImplicitDeny, so that a forgotten evaluation denies.
type Decision int

// The decisions. ImplicitDeny and ExplicitDeny are spelt as the
// NoPermissionType of Alibaba Cloud's AccessDeniedDetail.
const (
	ImplicitDeny Decision = iota // no Allow statement applies
	Allow                        // an Allow statement applies, no Deny statement does
	ExplicitDeny                 // a Deny statement applies
)

// String returns "Allow", "ImplicitDeny" or "ExplicitDeny".
func (d Decision) String() string {
	switch d {
	case ImplicitDeny:
		return "ImplicitDeny"
	case Allow:
		return "Allow"
	case ExplicitDeny:
		return "ExplicitDeny"
	}
	return "Decision(" + strconv.Itoa(int(d)) + ")"
}

// Result is a decision and the statement that made it.
type Result struct {
	Decision Decision
	// Policy is the index, in the slice given to EvaluateDetail, of the
	// policy holding the deciding statement: the Deny statement for
	// ExplicitDeny, the first applicable Allow statement for Allow. It and
	// Statement are -1 for ImplicitDeny, which no statement decides.
	Policy int
	// Statement is the index of the deciding statement in that policy's
	// Statement array.
	Statement int
}

// Evaluate decides whether policies let req through: ExplicitDeny when a
// Deny statement applies to it, else Allow when an Allow statement does,
// else ImplicitDeny. A statement applies when its Action (or NotAction)
// matches the action, its Resource (or NotResource) matches the resource
// and every condition holds. Nil policies are skipped.
//
// It allocates nothing (except to lower-case a resource whose "acs:service:"
// prefix has capitals, or to read a context value that is not well formed).
// For a request on several resources, call it once per resource.
func Evaluate(policies []*Policy, req Request) Decision {
	return EvaluateDetail(policies, req).Decision
}

// EvaluateDetail is Evaluate, also telling which statement decided.
func EvaluateDetail(policies []*Policy, req Request) Result {
	e := evaluation{req: &req, resourceFold: arnFold(req.Resource)}
	return e.decide(policies)
}

// decide runs the evaluation over policies: the first Deny that applies
// decides; else the first Allow; else ImplicitDeny.
func (e *evaluation) decide(policies []*Policy) Result {
	res := Result{Decision: ImplicitDeny, Policy: -1, Statement: -1}
	for pi, p := range policies {
		if p == nil || (res.Decision == Allow && !p.hasDeny) {
			continue
		}
		for si := range p.statements {
			s := &p.statements[si]
			if !s.deny && res.Decision == Allow {
				continue // one Allow is enough; only a Deny can change it now
			}
			if !e.applies(s) {
				continue
			}
			if s.deny {
				return Result{Decision: ExplicitDeny, Policy: pi, Statement: si}
			}
			res = Result{Decision: Allow, Policy: pi, Statement: si}
		}
	}
	return res
}

// evaluation is the state of one EvaluateDetail call.
type evaluation struct {
	req          *Request
	resourceFold int // leading bytes of the resource compared without case
	// caller is who asks, for a trust policy's statements (which name
	// principals instead of resources); nil for identity policies.
	caller *Caller
	// contextKeys is 0 until the first condition needs the context, then
	// canonicalKeys if every key is lower case (one map access finds a key)
	// or mixedKeys if not (a key is found by comparing it with every key).
	contextKeys uint8
}

const (
	canonicalKeys = 1 + iota
	mixedKeys
)

func (e *evaluation) applies(s *statement) bool {
	if matchAny(s.actions, e.req.Action, len(e.req.Action)) == s.notAction {
		return false
	}
	if s.principals != nil {
		if e.caller == nil || !s.principals.matches(e.caller) {
			return false
		}
	} else if matchAny(s.resources, e.req.Resource, e.resourceFold) == s.notResource {
		return false
	}
	for i := range s.conditions {
		if !e.holds(&s.conditions[i]) {
			return false
		}
	}
	return true
}

func matchAny(patterns []pattern, s string, fold int) bool {
	for i := range patterns {
		if patterns[i].match(s, fold) {
			return true
		}
	}
	return false
}

// holds reports whether condition c is met: for a positive operator, some
// context value of its key matches some of its values; for a negated one,
// none does (so also when the key is absent). Context keys that differ only
// in case are one key: their values are pooled.
func (e *evaluation) holds(c *condition) bool {
	ctx := e.req.Context
	if e.contextKeys == 0 {
		e.contextKeys = canonicalKeys
		for k := range ctx {
			if !isLower(k) {
				e.contextKeys = mixedKeys
				break
			}
		}
	}
	var matched bool
	if e.contextKeys == canonicalKeys {
		matched = c.anyMatches(ctx[c.key])
	} else {
		for k, values := range ctx {
			if sameKey(k, c.key) && c.anyMatches(values) {
				matched = true
				break
			}
		}
	}
	return matched != c.op.negate
}

// isLower reports whether strings.ToLower(s) == s, without allocating. It
// runs once per evaluation over every context key, so ASCII is checked
// eight bytes at a time.
func isLower(s string) bool {
	const (
		high  = 0x8080808080808080
		fromA = 0x3f3f3f3f3f3f3f3f // + this sets the high bit of bytes >= 'A'
		pastZ = 0x2525252525252525 // + this sets the high bit of bytes > 'Z'
	)
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if w&high != 0 || ((w+fromA)^(w+pastZ))&high != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			return false
		}
		if c >= utf8.RuneSelf {
			for _, r := range s[i:] {
				if unicode.ToLower(r) != r {
					return false
				}
			}
			return utf8.ValidString(s[i:])
		}
	}
	return true
}

// sameKey reports whether strings.ToLower(k) == lower, without allocating.
func sameKey(k, lower string) bool {
	if asciiOnly(k) { // the common case; lower, being lower case, is ASCII too if equal
		return len(k) == len(lower) && strings.EqualFold(k, lower)
	}
	for _, r := range k {
		if lower == "" {
			return false
		}
		l, size := utf8.DecodeRuneInString(lower)
		if unicode.ToLower(r) != l {
			return false
		}
		lower = lower[size:]
	}
	return lower == ""
}

func asciiOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Condition keys the server provides. They are in canonical (lower-case)
// form: a Context whose keys are all canonical is searched with one map
// access per condition. Policies may spell them in any case.
const (
	// KeySourceIP is the client's IP address (acs:SourceIp).
	KeySourceIP = "acs:sourceip"
	// KeyCurrentTime is the time of the request, RFC 3339 (acs:CurrentTime).
	KeyCurrentTime = "acs:currenttime"
	// KeySecureTransport is "true" for a request over HTTPS (acs:SecureTransport).
	KeySecureTransport = "acs:securetransport"
	// KeyTagPrefix starts the key of a tag of the resource (slb:tag/<key>);
	// see TagKey.
	KeyTagPrefix = "slb:tag/"
)

// TagKey returns the canonical condition key of the resource tag named key.
// Tag keys differing only in case are one condition key; give all their
// values under it.
func TagKey(key string) string { return KeyTagPrefix + CanonicalKey(key) }

// CanonicalKey returns the canonical (lower-case) form of a condition key.
func CanonicalKey(key string) string { return strings.ToLower(key) }
