package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"

	"slbcert/iam"
)

// DecodeJSON decodes a JSON object, numbers as json.Number so that int64
// ids stay exact.
func DecodeJSON(t testing.TB, body string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("body %q: %v", body, err)
	}
	return m
}

// NoPermission asserts err is the 403 NoPermission refusing action to RAM
// user of account 1000000000000002, with kind (ImplicitDeny,
// ExplicitDeny) in its AccessDeniedDetail.
func NoPermission(t *testing.T, err error, action, user, kind string) {
	t.Helper()
	se := ServerError(t, err, "NoPermission", 403)
	d := se.AccessDeniedDetail()
	if d["AuthAction"] != action || d["AuthPrincipalDisplayName"] != iam.UserID("1000000000000002", user) || d["NoPermissionType"] != kind ||
		d["AuthPrincipalType"] != "SubUser" || d["AuthPrincipalOwnerId"] != "1000000000000002" || d["PolicyType"] == "" {
		t.Fatalf("AccessDeniedDetail %v, want %s by %s (%s)", d, action, user, kind)
	}
}

// JSONNumber asserts v is a JSON number equal to want.
func JSONNumber(t testing.TB, what string, v any, want float64) {
	t.Helper()
	f, ok := v.(float64)
	if !ok || f != want {
		t.Errorf("%s = %#v (%T), want the number %v", what, v, v, want)
	}
}

// JSONString asserts v is a JSON string equal to want.
func JSONString(t testing.TB, what string, v any, want string) {
	t.Helper()
	s, ok := v.(string)
	if !ok || s != want {
		t.Errorf("%s = %#v (%T), want the string %q", what, v, v, want)
	}
}

// ServerError asserts err is the SDK's ServerError with code and status.
func ServerError(t testing.TB, err error, code string, status int) *sdkerrors.ServerError {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("want server error %s (%d), got %v", code, status, err)
	}
	if se.ErrorCode() != code || se.HttpStatus() != status {
		t.Fatalf("got %s (%d) %q, want %s (%d)", se.ErrorCode(), se.HttpStatus(), se.Message(), code, status)
	}
	if se.RequestId() == "" || se.HostId() == "" {
		t.Fatalf("error without RequestId/HostId: %v", se)
	}
	return se
}

// GrepLines returns the lines of s that contain sub.
func GrepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// CheckErrorBody asserts a raw error response has the gateway envelope.
func CheckErrorBody(t *testing.T, resp *http.Response, code string, status int) map[string]any {
	t.Helper()
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != status || body["Code"] != code {
		t.Fatalf("got %d %v, want %d %s", resp.StatusCode, body, status, code)
	}
	for _, k := range []string{"RequestId", "HostId", "Code", "Message", "Recommend"} {
		if _, ok := body[k].(string); !ok {
			t.Errorf("%s is %T, want a string", k, body[k])
		}
	}
	if resp.Header.Get("x-acs-request-id") != body["RequestId"] {
		t.Errorf("header request id %q, body %q", resp.Header.Get("x-acs-request-id"), body["RequestId"])
	}
	return body
}
