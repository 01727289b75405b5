package server

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/testpki"
)

// common sends action with params through the Go SDK's CommonRequest
// (what Terraform's listener resource uses) and returns the answer's JSON,
// decoded loosely, so that tests check the types clients see: numbers are
// float64, strings string, lists []any, objects map[string]any.
func common(t testing.TB, c *slb.Client, method, scheme, action string, params map[string]string) (map[string]any, error) {
	t.Helper()
	req := requests.NewCommonRequest()
	req.Method = method
	req.Scheme = scheme
	req.Domain = c.Domain
	req.Version = "2014-05-15"
	req.ApiName = action
	for k, v := range params {
		req.QueryParams[k] = v
	}
	resp, err := c.ProcessCommonRequest(req)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &out); err != nil {
		t.Fatalf("%s: answer is not JSON: %v\n%s", action, err, resp.GetHttpContentString())
	}
	return out, nil
}

// mustCommon is common for calls that must succeed.
func mustCommon(t testing.TB, c *slb.Client, action string, params map[string]string) map[string]any {
	t.Helper()
	out, err := common(t, c, "POST", "http", action, params)
	if err != nil {
		t.Fatalf("%s %v: %v", action, params, err)
	}
	return out
}

// jsonNumber asserts v is a JSON number equal to want.
func jsonNumber(t testing.TB, what string, v any, want float64) {
	t.Helper()
	f, ok := v.(float64)
	if !ok || f != want {
		t.Errorf("%s = %#v (%T), want the number %v", what, v, v, want)
	}
}

// jsonString asserts v is a JSON string equal to want.
func jsonString(t testing.TB, what string, v any, want string) {
	t.Helper()
	s, ok := v.(string)
	if !ok || s != want {
		t.Errorf("%s = %#v (%T), want the string %q", what, v, v, want)
	}
}

// createLB creates a load balancer through the typed SDK request; edit may
// change the request first.
func createLB(t testing.TB, c *slb.Client, edit ...func(*slb.CreateLoadBalancerRequest)) *slb.CreateLoadBalancerResponse {
	t.Helper()
	req := slb.CreateCreateLoadBalancerRequest()
	req.LoadBalancerSpec = "slb.s2.small"
	for _, e := range edit {
		e(req)
	}
	resp, err := c.CreateLoadBalancer(req)
	if err != nil {
		t.Fatalf("CreateLoadBalancer: %v", err)
	}
	return resp
}

// describeLB returns DescribeLoadBalancerAttribute of id (no RegionId
// override: the client's region is sent).
func describeLB(t testing.TB, c *slb.Client, id string) (*slb.DescribeLoadBalancerAttributeResponse, error) {
	t.Helper()
	req := slb.CreateDescribeLoadBalancerAttributeRequest()
	req.LoadBalancerId = id
	return c.DescribeLoadBalancerAttribute(req)
}

func port(n int) requests.Integer { return requests.NewInteger(n) }

func itoa(n int) string { return fmt.Sprint(n) }

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// newTestServerCert is an RSA 2048 chain for www.example.com.
func newTestServerCert() *testpki.Server {
	return testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "www.example.com", DNSNames: []string{"www.example.com"}})
}
