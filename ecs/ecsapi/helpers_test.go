package ecsapi_test

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"testing"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	sdk "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"slbcert/ecs/ecstest"
	"slbcert/internal/pgtest"
	"slbcert/server"
	"slbcert/slbcerttest"
)

// The network every fixture has: the default account's VPC in cn-hangzhou
// with two vSwitches in zones h and i, and a second VPC.
const (
	region  = "cn-hangzhou"
	vpcID   = "vpc-bp1test0000000000001"
	vswH    = "vsw-bp1test00000000000h1"
	vswI    = "vsw-bp1test00000000000i1"
	vpc2    = "vpc-bp1test0000000000002"
	vsw2    = "vsw-bp1test00000000000h2"
	tinyVSw = "vsw-bp1test0000000000tiny"
	zoneH   = "cn-hangzhou-h"
	zoneI   = "cn-hangzhou-i"
	imageID = "aliyun_3_x64_20G_alibase_20240528.vhd"
	typeID  = "ecs.g6.large"
)

// A second tenant, declared by the tests that need one.
const (
	tenantID     = "1000000000000077"
	tenantKey    = "LTAItenant77"
	tenantSecret = "tenant-secret-77"
)

// fixture is a running server with an in-memory VPC product.
type fixture struct {
	t   *testing.T
	srv *slbcerttest.Server
	net *ecstest.Network
}

// newFixture starts a server on SQLite whose ECS allocates from a fake
// VPC product holding the network above.
func newFixture(t *testing.T, opts ...slbcerttest.Option) *fixture {
	t.Helper()
	return newFixtureIn(t, "", opts...)
}

// newFixtureIn is newFixture over the data directory dir ("": a new one),
// which a second fixture may reopen.
func newFixtureIn(t *testing.T, dir string, opts ...slbcerttest.Option) *fixture {
	t.Helper()
	net := &ecstest.Network{}
	acct := slbcerttest.DefaultAccountID
	net.AddVSwitch(acct, region, vpcID, zoneH, vswH, "192.168.0.0/24")
	net.AddVSwitch(acct, region, vpcID, zoneI, vswI, "192.168.1.0/24")
	net.AddVSwitch(acct, region, vpc2, zoneH, vsw2, "10.0.0.0/24")
	net.AddVSwitch(acct, region, vpcID, zoneH, tinyVSw, "192.168.9.0/29") // four usable addresses
	opts = append([]slbcerttest.Option{slbcerttest.WithNetwork(net)}, opts...)
	if dir == "" {
		return &fixture{t: t, srv: slbcerttest.NewServer(t, opts...), net: net}
	}
	srv, err := slbcerttest.Start(dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return &fixture{t: t, srv: srv, net: net}
}

// onBothStores runs body on a SQLite server and on a PostgreSQL one (a
// loud skip, or a failure under CI, when PostgreSQL is unreachable).
func onBothStores(t *testing.T, body func(t *testing.T, opts ...slbcerttest.Option)) {
	t.Run("sqlite", func(t *testing.T) { body(t) })
	t.Run("postgres", func(t *testing.T) {
		schema := pgtest.Schema(t, "slbcert_ecs_")
		url := pgtest.InSchema(t, pgtest.URL(), schema)
		key := make([]byte, 32)
		rand.Read(key)
		body(t, slbcerttest.WithConfig(func(c *server.Config) {
			c.DatabaseURL, c.MasterKey = url, base64.StdEncoding.EncodeToString(key)
		}))
	})
}

// client returns an official SDK ECS client of the default account.
func (f *fixture) client() *sdk.Client {
	f.t.Helper()
	return f.clientWithKey(f.srv.AccessKeyID, f.srv.AccessKeySecret)
}

func (f *fixture) clientWithKey(id, secret string) *sdk.Client {
	f.t.Helper()
	c, err := sdk.NewClientWithAccessKey(region, id, secret)
	if err != nil {
		f.t.Fatal(err)
	}
	c.Domain = f.srv.Endpoint
	c.GetConfig().Scheme = f.srv.Scheme
	c.SetTransport(f.srv.Transport())
	return c
}

// wantError requires err to be the server's answer code with status.
func wantError(t *testing.T, what string, err error, code string, status int) {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Errorf("%s: %v, want %s (%d)", what, err, code, status)
		return
	}
	if se.ErrorCode() != code || se.HttpStatus() != status {
		t.Errorf("%s: %s (%d) %q, want %s (%d)", what, se.ErrorCode(), se.HttpStatus(), se.Message(), code, status)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// group creates a security group in vpc and returns its id.
func (f *fixture) group(c *sdk.Client, vpc string) string {
	f.t.Helper()
	req := sdk.CreateCreateSecurityGroupRequest()
	req.RegionId, req.VpcId, req.SecurityGroupName = region, vpc, "web"
	resp, err := c.CreateSecurityGroup(req)
	must(f.t, err)
	return resp.SecurityGroupId
}

// run creates one instance in vswitch and group and returns its id.
func (f *fixture) run(c *sdk.Client, vswitch, group string, edit ...func(*sdk.RunInstancesRequest)) string {
	f.t.Helper()
	req := runRequest(vswitch, group)
	for _, e := range edit {
		e(req)
	}
	resp, err := c.RunInstances(req)
	must(f.t, err)
	if len(resp.InstanceIdSets.InstanceIdSet) != 1 {
		f.t.Fatalf("RunInstances answered %v", resp.InstanceIdSets.InstanceIdSet)
	}
	return resp.InstanceIdSets.InstanceIdSet[0]
}

func runRequest(vswitch, group string) *sdk.RunInstancesRequest {
	req := sdk.CreateRunInstancesRequest()
	req.RegionId, req.InstanceType, req.ImageId, req.VSwitchId = region, typeID, imageID, vswitch
	req.SecurityGroupId = group
	return req
}

// describe returns the instance id as DescribeInstances answers it, or nil.
func (f *fixture) describe(c *sdk.Client, id string) *sdk.Instance {
	f.t.Helper()
	req := sdk.CreateDescribeInstancesRequest()
	req.RegionId, req.InstanceIds = region, `["`+id+`"]`
	resp, err := c.DescribeInstances(req)
	must(f.t, err)
	if len(resp.Instances.Instance) == 0 {
		return nil
	}
	return &resp.Instances.Instance[0]
}

func integer(n int) requests.Integer { return requests.NewInteger(n) }
