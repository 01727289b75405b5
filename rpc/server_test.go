package rpc

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestUnknownPath: a request for a path other than / (a ROA-style API, a
// typo) gets the gateway's JSON envelope, 404 InvalidAction.NotFound, with
// a RequestId — never Go's plain-text 404, which clients fail to parse.
func TestUnknownPath(t *testing.T) {
	s := &Server{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	for _, path := range []string{"/pop/v1/sam/namespace/describeNamespaceList", "/api/v1/apps", "/x?Action=DescribeRegions"} {
		resp, err := http.Post(srv.URL+path, "application/json", nil)
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]string
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusNotFound || body["Code"] != "InvalidAction.NotFound" ||
			body["RequestId"] == "" || body["RequestId"] != resp.Header.Get("x-acs-request-id") {
			t.Errorf("%s: %d %v %v", path, resp.StatusCode, body, err)
		}
	}
	if resp, err := http.Get(srv.URL + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz: %v %v", resp, err)
	}
}
