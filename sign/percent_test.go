package sign_test

import (
	"math/rand/v2"
	"testing"

	"github.com/alibabacloud-go/tea/dara"

	"slbcert/sign"
)

func TestPercentEncode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"AZaz09-_.~", "AZaz09-_.~"},
		{"a b", "a%20b"},
		{"*", "%2A"},
		{"+", "%2B"},
		{"/", "%2F"},
		{"=", "%3D"},
		{"&", "%26"},
		{"%", "%25"},
		{"%7E", "%257E"},
		{",", "%2C"},
		{":", "%3A"},
		{"\n", "%0A"},
		{"é", "%C3%A9"},
		{"证书", "%E8%AF%81%E4%B9%A6"},
		{"\xff", "%FF"}, // invalid UTF-8 is encoded byte by byte
		{"-----BEGIN CERTIFICATE-----\nMII+/=", "-----BEGIN%20CERTIFICATE-----%0AMII%2B%2F%3D"},
	}
	for _, tt := range tests {
		if got := sign.PercentEncode(tt.in); got != tt.want {
			t.Errorf("PercentEncode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestPercentEncode_MatchesSDK compares with the SDKs' own recipe
// (url.QueryEscape then + → %20, * → %2A, %7E → ~) on every byte and on
// random strings.
func TestPercentEncode_MatchesSDK(t *testing.T) {
	for c := 0; c < 256; c++ {
		s := string([]byte{byte(c)})
		if got, want := sign.PercentEncode(s), dara.PercentEncode(s); got != want {
			t.Errorf("byte %#x: %q, SDK %q", c, got, want)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("aZ09-_.~ *+/=&%?#\n\t'\"证书é😀")
	for range 2000 {
		r := make([]rune, rng.IntN(24))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		s := string(r)
		if got, want := sign.PercentEncode(s), dara.PercentEncode(s); got != want {
			t.Fatalf("PercentEncode(%q) = %q, SDK %q", s, got, want)
		}
	}
}
