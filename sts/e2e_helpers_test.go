package sts_test

import (
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
	sdksts "github.com/aliyun/alibaba-cloud-sdk-go/services/sts"

	"slbcert/internal/e2e"
	"slbcert/server"
)

// testClock is the server's injectable clock: the wall clock plus an
// offset the test moves.
type testClock struct{ offset atomic.Int64 }

func (c *testClock) now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

func (c *testClock) advance(d time.Duration) { c.offset.Add(int64(d)) }

// startSTSServer starts a server with e2e.STSIAM and a clock the test moves.
func startSTSServer(t *testing.T, edit ...func(*server.Config)) (*e2e.Server, *testClock) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "iam.json")
	if err := os.WriteFile(path, []byte(e2e.STSIAM), 0o600); err != nil {
		t.Fatal(err)
	}
	clock := &testClock{}
	edits := append([]func(*server.Config){func(c *server.Config) { c.IAMFile = path; c.Clock = clock.now }}, edit...)
	return e2e.Start(t, edits...), clock
}

// sessionCalls returns the SLB test calls signed with an STS credential set.
func sessionCalls(t *testing.T, s *e2e.Server, creds sdksts.Credentials) *e2e.SLBCalls {
	t.Helper()
	c, err := slb.NewClientWithStsToken("cn-hangzhou", creds.AccessKeyId, creds.AccessKeySecret, creds.SecurityToken)
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = s.Addr()
	return &e2e.SLBCalls{T: t, C: c, Region: "cn-hangzhou", Format: "JSON"}
}

// darabonbaSTS is a darabonba-openapi client (signature V3) with temporary
// credentials.
func darabonbaSTS(t *testing.T, s *e2e.Server, creds sdksts.Credentials) *openapi.Client {
	t.Helper()
	c, err := openapi.NewClient(&openapiutil.Config{
		AccessKeyId:     dara.String(creds.AccessKeyId),
		AccessKeySecret: dara.String(creds.AccessKeySecret),
		SecurityToken:   dara.String(creds.SecurityToken),
		Endpoint:        dara.String(s.Addr()),
		Protocol:        dara.String("http"),
		RegionId:        dara.String("cn-hangzhou"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// commonSTS is an SDK CommonRequest for an STS action, with parameters in
// the query (as the SDK's typed requests send them).
func commonSTS(action string, params map[string]string) *requests.CommonRequest {
	req := requests.NewCommonRequest()
	req.Product, req.Version, req.ApiName = "Sts", "2015-04-01", action
	req.Method = "POST"
	for k, v := range params {
		req.QueryParams[k] = v
	}
	return req
}
