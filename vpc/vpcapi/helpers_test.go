package vpcapi_test

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/resourcemanager"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"slbcert/internal/pgtest"
	"slbcert/server"
	"slbcert/slbcerttest"
)

const region = "cn-hangzhou"

// stores runs fn against a server on each store: embedded SQLite and
// PostgreSQL (a throwaway schema; skipped, loudly, when PostgreSQL is not
// reachable, except under CI).
func stores(t *testing.T, fn func(t *testing.T, srv *slbcerttest.Server), opts ...slbcerttest.Option) {
	t.Run("sqlite", func(t *testing.T) { fn(t, slbcerttest.NewServer(t, opts...)) })
	t.Run("postgres", func(t *testing.T) { fn(t, pgServer(t, opts...)) })
}

// pgServer starts a server on PostgreSQL, in a schema of its own.
func pgServer(t *testing.T, opts ...slbcerttest.Option) *slbcerttest.Server {
	t.Helper()
	schema := pgtest.Schema(t, "slbcert_vpc_")
	key := make([]byte, 32)
	rand.Read(key)
	opts = append(opts, slbcerttest.WithConfig(func(c *server.Config) {
		c.DatabaseURL = pgtest.InSchema(t, pgtest.URL(), schema)
		c.MasterKey = base64.StdEncoding.EncodeToString(key)
	}))
	return slbcerttest.NewServer(t, opts...)
}

// vpcClient is the official Go SDK's VPC client for the server's root key
// (or another key).
func vpcClient(t *testing.T, srv *slbcerttest.Server, key ...string) *vpc.Client {
	t.Helper()
	id, secret := srv.AccessKeyID, srv.AccessKeySecret
	if len(key) == 2 {
		id, secret = key[0], key[1]
	}
	c, err := vpc.NewClientWithAccessKey(region, id, secret)
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = srv.Endpoint
	c.GetConfig().Scheme = srv.Scheme
	c.SetTransport(srv.Transport())
	return c
}

func rmClient(t *testing.T, srv *slbcerttest.Server, key ...string) *resourcemanager.Client {
	t.Helper()
	id, secret := srv.AccessKeyID, srv.AccessKeySecret
	if len(key) == 2 {
		id, secret = key[0], key[1]
	}
	c, err := resourcemanager.NewClientWithAccessKey(region, id, secret)
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = srv.Endpoint
	c.GetConfig().Scheme = srv.Scheme
	c.SetTransport(srv.Transport())
	return c
}

// wantError checks that err is the server's answer code with status.
func wantError(t *testing.T, err error, code string, status int) {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want %s (%d)", err, code, status)
	}
	if se.ErrorCode() != code || se.HttpStatus() != status {
		t.Fatalf("got %s (%d): %s; want %s (%d)", se.ErrorCode(), se.HttpStatus(), se.Message(), code, status)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// common sends a CommonRequest (form parameters, as Terraform sends them)
// for action of version with the VPC client's signer, returning the HTTP
// status and the decoded body.
func common(t *testing.T, srv *slbcerttest.Server, c *vpc.Client, version, action string, params map[string]string) (int, map[string]any) {
	t.Helper()
	r := requests.NewCommonRequest()
	r.Scheme, r.Domain, r.Version, r.ApiName, r.Method = srv.Scheme, srv.Endpoint, version, action, requests.POST
	for k, v := range params {
		r.FormParams[k] = v
	}
	resp, err := c.ProcessCommonRequest(r)
	var se *sdkerrors.ServerError
	switch {
	case errors.As(err, &se):
		return se.HttpStatus(), map[string]any{"Code": se.ErrorCode(), "Message": se.Message()}
	case err != nil:
		t.Fatalf("%s: %v", action, err)
	}
	var body map[string]any
	dec := json.NewDecoder(strings.NewReader(resp.GetHttpContentString()))
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil {
		t.Fatalf("%s: %v in %s", action, err, resp.GetHttpContentString())
	}
	return resp.GetHttpStatus(), body
}
