package slb_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
)

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
