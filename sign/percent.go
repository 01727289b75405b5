package sign

const upperHex = "0123456789ABCDEF"

// unreserved reports whether RFC 3986 leaves c as is: A-Z a-z 0-9 - _ . ~
func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// PercentEncode is the RFC 3986 encoding Alibaba Cloud signs with: every byte
// except A-Z a-z 0-9 - _ . ~ becomes %XX with uppercase hex, so a space is
// %20 (never +), * is %2A and ~ stays. It is what the SDKs get from
// url.QueryEscape followed by + → %20, * → %2A, %7E → ~.
func PercentEncode(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	return string(appendEncoded(make([]byte, 0, len(s)+2*n), s))
}

// appendEncoded appends PercentEncode(s) to dst.
func appendEncoded(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	return dst
}

// appendEncodedTwice appends PercentEncode(PercentEncode(s)) to dst in one
// pass: the first encoding leaves unreserved bytes alone and turns the others
// into %XX, whose % the second one turns into %25.
func appendEncodedTwice(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', '2', '5', upperHex[c>>4], upperHex[c&15])
		}
	}
	return dst
}
