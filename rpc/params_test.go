package rpc

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"slbcert"
)

func TestTagsAndLists(t *testing.T) {
	p := url.Values{
		"Tag.10.Key": {"ten"}, "Tag.10.Value": {"10"},
		"Tag.2.Key": {"two"}, "Tag.2.Value": {"2"},
		"Tag.3.Value": {"no key"},
		"Tag.0.Key":   {"zero"}, "Tag.01.Key": {"leading zero"}, "Tag.x.Key": {"x"}, "Tag.4": {"no suffix"},
		"ResourceId.2": {"b"}, "ResourceId.1": {"a"}, "ResourceId.11": {"c"}, "ResourceId.1.x": {"ignored"},
	}
	want := []slbcert.Tag{{Key: "two", Value: "2"}, {Key: "", Value: "no key"}, {Key: "ten", Value: "10"}}
	if got := tags(p, "Tag"); !slices.Equal(got, want) {
		t.Errorf("tags = %+v, want %+v", got, want)
	}
	if got := list(p, "ResourceId"); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("list = %v", got)
	}
	if got := tags(url.Values{}, "Tag"); got != nil {
		t.Errorf("no tags = %v", got)
	}
}

func TestReadParams(t *testing.T) {
	for _, tc := range []struct {
		name, query, body, contentType string
		want                           map[string]string
		code                           string
	}{
		{"ok/query only", "A=1&B=2", "", "", map[string]string{"A": "1", "B": "2"}, ""},
		{"ok/body wins over query", "A=query", "A=body&C=3", "application/x-www-form-urlencoded", map[string]string{"A": "body", "C": "3"}, ""},
		{"ok/non-form body is not parameters", "A=1", "A=2", "application/json", map[string]string{"A": "1"}, ""},
		{"ok/form with charset", "", "A=%E8%AF%81", "application/x-www-form-urlencoded; charset=UTF-8", map[string]string{"A": "证"}, ""},
		{"error/bad escape in query", "A=%zz", "", "", nil, slbcert.EInvalidParameter},
		{"error/NUL", "A=%00", "", "", nil, slbcert.EInvalidParameter},
		{"error/invalid UTF-8 in body", "", "A=%ff", "application/x-www-form-urlencoded", nil, slbcert.EInvalidParameter},
		{"error/NUL in a name", "A%00=1", "", "", nil, slbcert.EInvalidParameter},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/?"+tc.query, strings.NewReader(tc.body))
			if tc.contentType != "" {
				r.Header.Set("Content-Type", tc.contentType)
			}
			got, body, _, err := readParams(httptest.NewRecorder(), r)
			if slbcert.ErrorCode(err) != tc.code {
				t.Fatalf("err = %v, want %q", err, tc.code)
			}
			if err != nil {
				return
			}
			if string(body) != tc.body {
				t.Errorf("raw body %q", body)
			}
			for k, v := range tc.want {
				if got.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, got.Get(k), v)
				}
			}
		})
	}
}

func TestStatus(t *testing.T) {
	for code, want := range map[string]int{
		slbcert.EMissingParameter: 400, slbcert.EAccessKeyNotFound: 404, slbcert.ERegionNotFound: 404,
		slbcert.EUnauthorizedRegion: 403, slbcert.ENoPermission: 403, slbcert.EInternal: 500,
		slbcert.EThrottlingUser: 400, slbcert.EInvalidActionNotFound: 404, "Anything.Else": 400,
	} {
		if got := Status(code); got != want {
			t.Errorf("Status(%s) = %d, want %d", code, got, want)
		}
	}
}
