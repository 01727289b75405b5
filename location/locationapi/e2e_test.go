package locationapi_test

import (
	"errors"
	"testing"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/location"

	"slbcert/slbcerttest"
)

// TestDescribeEndpoints: the official SDK's Location client, as
// Terraform's provider calls it for SLB, gets each product's regional name
// under aliyuncs.com; an unknown region or another endpoint type gets an
// empty list; missing and malformed parameters are refused.
func TestDescribeEndpoints(t *testing.T) {
	srv := slbcerttest.NewServer(t)
	c, err := location.NewClientWithAccessKey("cn-hangzhou", srv.AccessKeyID, srv.AccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = srv.Endpoint
	c.GetConfig().Scheme = srv.Scheme
	c.SetTransport(srv.Transport())

	ask := func(id, code, typ string) (*location.DescribeEndpointsResponse, error) {
		req := location.CreateDescribeEndpointsRequest()
		req.Scheme = srv.Scheme
		req.Id, req.ServiceCode, req.Type = id, code, typ
		return c.DescribeEndpoints(req)
	}
	resp, err := ask("cn-shanghai", "slb", "")
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Success || len(resp.Endpoints.Endpoint) != 1 {
		t.Fatalf("answer: %+v", resp)
	}
	e := resp.Endpoints.Endpoint[0]
	if e.Endpoint != "slb.cn-shanghai.aliyuncs.com" || e.Type != "openAPI" || e.Id != "cn-shanghai" || e.SerivceCode != "slb" || len(e.Protocols.Protocols) != 2 {
		t.Errorf("endpoint: %+v", e)
	}
	for _, tc := range []struct{ id, typ string }{{"mars-1", ""}, {"cn-hangzhou", "innerAPI"}} {
		if resp, err := ask(tc.id, "ecs", tc.typ); err != nil || !resp.Success || len(resp.Endpoints.Endpoint) != 0 {
			t.Errorf("%s/%s: %+v %v, want an empty list", tc.id, tc.typ, resp, err)
		}
	}
	for _, tc := range []struct{ id, code, want string }{
		{"", "slb", "MissingParameter"},
		{"cn-hangzhou", "", "MissingParameter"},
		{"cn-hangzhou", "slb.evil.example", "InvalidParameter"},
	} {
		_, err := ask(tc.id, tc.code, "")
		var se *sdkerrors.ServerError
		if !errors.As(err, &se) || se.ErrorCode() != tc.want || se.HttpStatus() != 400 {
			t.Errorf("Id=%q ServiceCode=%q: %v, want 400 %s", tc.id, tc.code, err, tc.want)
		}
	}
}
