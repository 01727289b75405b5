package rpc

import (
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"slbcert"
	"slbcert/sign"
)

// MaxBodyBytes bounds a request body. Two 64 KiB PEMs, form-encoded (up to
// three bytes per character), fit with room to spare.
const MaxBodyBytes = 1 << 20

// MaxHeaderBytes bounds the request line and headers, which carry the query
// string: the Go SDK sends every parameter, PEMs included, in the query.
const MaxHeaderBytes = 1 << 20

// readParams merges the query string and a form-encoded body as
// sign.MergeParams does, body first: for a key given in both, the body's
// value is the one the server acts on and the one the signature covers, as
// the Go SDK signs it. It returns the raw body too, for the V3 content
// hash, and its media type (see bodyType).
func readParams(w http.ResponseWriter, r *http.Request) (values url.Values, body []byte, mediaType string, err error) {
	values, err = url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, nil, "", slbcert.Errorf(slbcert.EInvalidParameter, "The query string is malformed: %v.", err)
	}
	body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		return nil, nil, "", slbcert.Errorf(slbcert.ERequestTooLarge, "The request body exceeds %d bytes.", MaxBodyBytes)
	}
	mediaType = bodyType(r, body)
	if mediaType == "application/x-www-form-urlencoded" {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, nil, "", slbcert.Errorf(slbcert.EInvalidParameter, "The form body is malformed: %v.", err)
		}
		values = sign.MergeParams(form, values)
	}
	if err := checkText(values); err != nil {
		return nil, nil, "", err
	}
	return values, body, mediaType, nil
}

// checkText refuses names and values that are not UTF-8 or hold NUL
// (docs/choices.md, "Operation"), before any product sees them.
func checkText(values url.Values) error {
	for k, vs := range values {
		if !cleanText(k) {
			return invalidText(k)
		}
		for _, v := range vs {
			if !cleanText(v) {
				return invalidText(k)
			}
		}
	}
	return nil
}

func invalidText(k string) error {
	return slbcert.Errorf(slbcert.EInvalidParameter, "The parameter %q holds invalid characters: values must be UTF-8 without NUL.", printable(k))
}

// cleanText reports whether s is UTF-8 without NUL: what every store can
// keep and every parameter may hold.
func cleanText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// printable makes a parameter name safe to quote in a message.
func printable(s string) string {
	if !cleanText(s) {
		return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "?")
	}
	return s
}

// bodyType returns the media type of a non-empty body: "" without a body,
// application/octet-stream when none is named, the raw header when it does
// not parse.
func bodyType(r *http.Request, body []byte) string {
	if len(body) == 0 {
		return ""
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return "application/octet-stream"
	}
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		return mt
	}
	return ct
}

// indexed collects the parameters prefix.N(.suffix) for positive integers N,
// ordered by N. Malformed indexes are unknown parameters, and ignored.
func indexed(params url.Values, prefix string) map[int]map[string]string {
	out := map[int]map[string]string{}
	for k, vs := range params {
		rest, ok := strings.CutPrefix(k, prefix+".")
		if !ok {
			continue
		}
		num, suffix, _ := strings.Cut(rest, ".")
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 || strconv.Itoa(n) != num {
			continue
		}
		if out[n] == nil {
			out[n] = map[string]string{}
		}
		out[n][suffix] = vs[0]
	}
	return out
}

func sortedKeys(m map[int]map[string]string) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys
}

// tags reads prefix.N.Key / prefix.N.Value in order of N; an absent key reads "".
func tags(params url.Values, prefix string) []slbcert.Tag {
	m := indexed(params, prefix)
	var out []slbcert.Tag
	for _, n := range sortedKeys(m) {
		kv := m[n]
		if _, hasKey := kv["Key"]; !hasKey {
			if _, hasValue := kv["Value"]; !hasValue {
				continue
			}
		}
		out = append(out, slbcert.Tag{Key: kv["Key"], Value: kv["Value"]})
	}
	return out
}

// list reads prefix.N in order of N.
func list(params url.Values, prefix string) []string {
	m := indexed(params, prefix)
	var out []string
	for _, n := range sortedKeys(m) {
		if v, ok := m[n][""]; ok {
			out = append(out, v)
		}
	}
	return out
}
