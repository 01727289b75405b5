package policy

import "strings"

// pattern is a compiled wildcard pattern of an Action, Resource or StringLike
// value. It is compiled once, when the policy is parsed, into the shape that
// lets the common cases ("*", a plain name) skip the general matcher.
type pattern struct {
	text string // canonical form: runs of '*' collapsed, folded part lower-cased
	kind patternKind
	// parts is text split at its stars, for patternStars: parts[0] must
	// start the subject, the last part end it, the others come in order.
	parts []string
}

type patternKind uint8

const (
	patternAny     patternKind = iota // only stars: matches everything
	patternLiteral                    // no wildcard: one comparison
	patternStars                      // '*' but no '?': literal parts in order
	patternGlob                       // the general matcher
)

// compilePattern compiles text. Its first fold bytes are lower-cased
// (ASCII only), so that match can compare them with a folded subject.
func compilePattern(text string, fold int) pattern {
	if fold > 0 {
		text = asciiLower(text[:fold]) + text[fold:]
	}
	if strings.Contains(text, "**") {
		var b strings.Builder
		for i := 0; i < len(text); i++ {
			if text[i] == '*' && i > 0 && text[i-1] == '*' {
				continue
			}
			b.WriteByte(text[i])
		}
		text = b.String()
	}
	switch {
	case text == "*":
		return pattern{text: text, kind: patternAny}
	case strings.Contains(text, "?"):
		return pattern{text: text, kind: patternGlob}
	case strings.Contains(text, "*"):
		return pattern{text: text, kind: patternStars, parts: strings.Split(text, "*")}
	default:
		return pattern{text: text, kind: patternLiteral}
	}
}

// match reports whether s matches the pattern. The first fold bytes of s are
// compared as if ASCII letters in them were lower case; the rest exactly.
func (p *pattern) match(s string, fold int) bool {
	switch p.kind {
	case patternAny:
		return true
	case patternLiteral:
		return len(s) == len(p.text) && hasAt(s, 0, p.text, fold)
	case patternStars:
		return starsMatch(p.parts, s, fold)
	}
	return globMatch(p.text, s, fold)
}

// starsMatch matches s against a pattern of literal parts separated by
// stars. Taking the leftmost place for each middle part is always right
// when stars are the only wildcards, so no backtracking is needed.
func starsMatch(parts []string, s string, fold int) bool {
	first, last := parts[0], parts[len(parts)-1]
	if len(s) < len(first)+len(last) || !hasAt(s, 0, first, fold) || !hasAt(s, len(s)-len(last), last, fold) {
		return false
	}
	i, end := len(first), len(s)-len(last)
	for _, part := range parts[1 : len(parts)-1] {
		j := indexFrom(s[:end], i, part, fold)
		if j < 0 {
			return false
		}
		i = j + len(part)
	}
	return true
}

// hasAt reports whether s holds lit at byte offset i, the bytes of s before
// fold compared ASCII-lower-cased (lit is already).
func hasAt(s string, i int, lit string, fold int) bool {
	if i >= fold {
		return s[i:i+len(lit)] == lit
	}
	for k := 0; k < len(lit); k++ {
		if foldedByte(s, i+k, fold) != lit[k] {
			return false
		}
	}
	return true
}

// indexFrom returns the first offset j >= i at which s holds lit (see
// hasAt), or -1.
func indexFrom(s string, i int, lit string, fold int) int {
	for ; i < fold && i+len(lit) <= len(s); i++ {
		if hasAt(s, i, lit, fold) {
			return i
		}
	}
	if i+len(lit) > len(s) {
		return -1
	}
	if j := strings.Index(s[i:], lit); j >= 0 {
		return i + j
	}
	return -1
}

// globMatch matches s against p, in which '*' stands for any run of
// characters and '?' for exactly one (a whole UTF-8 sequence). On a
// mismatch it retries from the last star only, one character further on:
// time is O(len(p)·len(s)) at worst, never exponential, and nothing is
// allocated.
func globMatch(p, s string, fold int) bool {
	px, sx := 0, 0
	starPx, starSx := -1, 0
	for px < len(p) || sx < len(s) {
		if px < len(p) {
			switch c := p[px]; c {
			case '*':
				starPx, starSx = px, sx
				px++
				continue
			case '?':
				if sx < len(s) {
					px++
					sx = nextChar(s, sx)
					continue
				}
			default:
				if sx < len(s) && foldedByte(s, sx, fold) == c {
					px++
					sx++
					continue
				}
			}
		}
		if starPx >= 0 && starSx < len(s) {
			starSx = nextChar(s, starSx)
			px, sx = starPx+1, starSx
			continue
		}
		return false
	}
	return true
}

// nextChar returns the index of the character after the one at i: a UTF-8
// lead byte and its continuation bytes count as one.
func nextChar(s string, i int) int {
	i++
	for i < len(s) && s[i]&0xC0 == 0x80 {
		i++
	}
	return i
}

// foldedByte returns s[i], lower-cased when i < fold and it is an ASCII
// capital.
func foldedByte(s string, i, fold int) byte {
	c := s[i]
	if i < fold && 'A' <= c && c <= 'Z' {
		c += 'a' - 'A'
	}
	return c
}

// asciiLower lower-cases the ASCII capitals of s and leaves every other
// byte alone, so that byte offsets stay valid.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// arnFold returns how many leading bytes of the ARN (or ARN pattern) s are
// compared case-insensitively: everything up to and including its second
// ':' (the "acs" and the service name), or up to its first ':' when it has
// only one, or nothing when it has none.
func arnFold(s string) int {
	first := strings.IndexByte(s, ':')
	if first < 0 {
		return 0
	}
	second := strings.IndexByte(s[first+1:], ':')
	if second < 0 {
		return first + 1
	}
	return first + 1 + second + 1
}
