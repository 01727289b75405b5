package policy

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPattern(t *testing.T) {
	for _, c := range []struct {
		name, pattern, s string
		fold             int // -1: the whole subject (actions); -2: arnFold (resources)
		want             bool
	}{
		{"star/matches empty", "*", "", 0, true},
		{"star/matches anything", "*", "acs:slb:cn-hangzhou:1:certificate/x", 0, true},
		{"star/several", "a**b", "ab", 0, true},
		{"star/spans colon and slash", "a*b", "a:/:/b", 0, true},
		{"star/prefix and suffix overlap", "ab*ba", "aba", 0, false},
		{"star/prefix and suffix meet", "ab*ba", "abba", 0, true},
		{"star/middle parts in order", "*a*b*c*", "xxcxbxa", 0, false},
		{"star/middle parts in order ok", "*a*b*c*", "xaxbxc", 0, true},
		{"star/middle must end before the suffix", "*ab*abc", "abc", 0, false},
		{"star/middle then suffix", "*ab*abc", "ababc", 0, true},
		{"star/middle leftmost ok", "*ab*abc", "abxabc", 0, true},
		{"star/suffix", "*.pem", "x.pem", 0, true},
		{"star/suffix mismatch", "*.pem", "x.pe", 0, false},
		{"question/one char", "a?c", "abc", 0, true},
		{"question/not zero", "a?c", "ac", 0, false},
		{"question/not two", "a?c", "abbc", 0, false},
		{"question/multibyte rune", "a?c", "a中c", 0, true},
		{"question/with star", "*?", "", 0, false},
		{"question/with star backtracks", "*a?c*", "aaxcaac", 0, true},
		{"question/star then two", "*??", "中", 0, false},
		{"literal/exact", "slb:x", "slb:x", 0, true},
		{"literal/case-sensitive", "slb:x", "slb:X", 0, false},
		{"fold/action", "slb:DescribeServerCertificates", "SLB:describeservercertificates", -1, true},
		{"fold/action star", "SLB:Describe*", "slb:describeX", -1, true},
		{"fold/action question", "slb:?ESCRIBE*", "slb:Describe", -1, true},
		{"fold/resource prefix", "ACS:SLB:cn-hangzhou:*", "acs:Slb:cn-hangzhou:1:x", -2, true},
		{"fold/resource rest is exact", "acs:slb:CN-hangzhou:*", "acs:slb:cn-hangzhou:1:x", -2, false},
		{"fold/resource id exact", "acs:slb:*:*:certificate/A*", "ACS:SLB:r:1:certificate/a", -2, false},
		{"fold/resource one colon", "ACS:*", "acs:SLB:r:1:x", -2, true},
		{"fold/resource no colon", "*X", "acs:slb:r:1:x", -2, false},
		{"fold/non-ASCII is exact", "slb:É*", "slb:é", -1, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			pfold, sfold := c.fold, c.fold
			switch c.fold {
			case -1:
				pfold, sfold = len(c.pattern), len(c.s)
			case -2:
				pfold, sfold = arnFold(c.pattern), arnFold(c.s)
			}
			p := compilePattern(c.pattern, pfold)
			if got := p.match(c.s, sfold); got != c.want {
				t.Errorf("%q (%d) match %q = %v, want %v", c.pattern, p.kind, c.s, got, c.want)
			}
			if got := globMatch(p.text, c.s, sfold); got != c.want {
				t.Errorf("globMatch(%q, %q) = %v, want %v", p.text, c.s, got, c.want)
			}
		})
	}
}

func TestArnFold(t *testing.T) {
	for s, want := range map[string]int{"": 0, "*": 0, "acs:*": 4, "acs:slb:*": 8, "acs:slb:r:1:x": 8, "::": 2} {
		if got := arnFold(s); got != want {
			t.Errorf("arnFold(%q) = %d, want %d", s, got, want)
		}
	}
}

// globRegexp is the oracle for the pattern matchers: the pattern as a
// regular expression over the ASCII-lower-cased subject.
func globRegexp(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`^(?s:`)
	for _, r := range p {
		switch r {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`)$`)
	return regexp.MustCompile(b.String())
}

// FuzzPattern checks the compiled matchers (literal, stars, general) against
// regular expressions, with and without case folding.
func FuzzPattern(f *testing.F) {
	for _, s := range [][2]string{
		{"*", ""}, {"a*b", "a:/b"}, {"*ab*abc", "ababc"}, {"a?c", "a中c"}, {"*a?c*", "aaxcaac"},
		{"SLB:Describe*", "slb:describeX"}, {"acs:slb:*:*:certificate/*", "acs:slb:cn-hangzhou:1:certificate/x"},
		{"**?*", "ab"}, {"?", "\u212a"},
	} {
		f.Add(s[0], s[1], false)
		f.Add(s[0], s[1], true)
	}
	f.Fuzz(func(t *testing.T, pat, s string, fold bool) {
		if !utf8.ValidString(pat) || !utf8.ValidString(s) || len(pat) > 64 || len(s) > 256 {
			return
		}
		pfold, sfold := 0, 0
		subject := s
		if fold {
			pfold, sfold = len(pat), len(s)
			subject = asciiLower(s)
		}
		p := compilePattern(pat, pfold)
		want := globRegexp(p.text).MatchString(subject)
		if got := p.match(s, sfold); got != want {
			t.Errorf("compilePattern(%q, fold=%v).match(%q) = %v, regexp says %v", pat, fold, s, got, want)
		}
		if got := globMatch(p.text, s, sfold); got != want {
			t.Errorf("globMatch(%q, %q) = %v, regexp says %v", p.text, s, got, want)
		}
	})
}
