package slb_test

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/pgtest"
	"slbcert/server"
	"slbcert/slbcerttest"
)

// l4Env is a real server (the same wiring as serve) with its data plane on
// an address pool and port offset of its own, the SDK pointed at it, and
// one load balancer.
type l4Env struct {
	srv    *slbcerttest.Server
	c      *slb.Client
	lb     string
	addr   string // the load balancer's address
	offset int    // --lb-port-offset
}

// storeKinds are the stores every API test runs on.
var storeKinds = []string{"sqlite", "postgres"}

// forEachStore runs fn on a fresh server over each store.
func forEachStore(t *testing.T, fn func(t *testing.T, e *l4Env)) {
	for _, kind := range storeKinds {
		t.Run(kind, func(t *testing.T) { fn(t, newL4Env(t, kind)) })
	}
}

var poolSeq atomic.Int64

// newL4Env starts a server over kind ("sqlite", "postgres"; PostgreSQL in
// a throwaway schema, skipped loudly when unreachable outside CI).
func newL4Env(t *testing.T, kind string, opts ...slbcerttest.Option) *l4Env {
	t.Helper()
	n, _ := rand.Int(rand.Reader, big.NewInt(200))
	pool := fmt.Sprintf("127.%d.%d.0/24", 150+n.Int64()%50, poolSeq.Add(1)%250)
	o, _ := rand.Int(rand.Reader, big.NewInt(20000))
	offset := 20000 + int(o.Int64())
	opts = append([]slbcerttest.Option{slbcerttest.WithConfig(func(c *server.Config) {
		c.LBAddressPool, c.LBPortOffset = pool, offset
		if kind == "postgres" {
			schema := pgtest.Schema(t, "slbcert_l4_")
			c.DatabaseURL = pgtest.InSchema(t, pgtest.URL(), schema)
			key := make([]byte, 32)
			rand.Read(key)
			c.MasterKey = base64.StdEncoding.EncodeToString(key)
		}
	})}, opts...)
	srv := slbcerttest.NewServer(t, opts...)
	c, err := srv.SLBClient("cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	e := &l4Env{srv: srv, c: c, offset: offset}
	req := slb.CreateCreateLoadBalancerRequest()
	req.LoadBalancerName, req.LoadBalancerSpec = "l4", "slb.s2.small"
	resp, err := c.CreateLoadBalancer(req)
	if err != nil {
		t.Fatal(err)
	}
	e.lb, e.addr = resp.LoadBalancerId, resp.Address
	return e
}

// bound is where the data plane serves listener port p.
func (e *l4Env) bound(p int) string { return net.JoinHostPort(e.addr, strconv.Itoa(p+e.offset)) }

// wantErr fails unless err is the server's code with the HTTP status.
func wantErr(t *testing.T, err error, code string, status int) {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) || se.ErrorCode() != code || se.HttpStatus() != status {
		t.Fatalf("want %s (%d), got %v", code, status, err)
	}
}

// wantMessage fails unless err's message holds part.
func wantMessage(t *testing.T, err error, part string) {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) || !strings.Contains(se.Message(), part) {
		t.Fatalf("want a message with %q, got %v", part, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// call sends action with params as the CLI and Terraform's CommonRequest
// do (GET over the client's scheme) and decodes the answer.
func (e *l4Env) call(t *testing.T, action string, params map[string]string) (map[string]any, error) {
	t.Helper()
	req := requests.NewCommonRequest()
	req.Method, req.Scheme, req.Domain, req.Version, req.ApiName = "POST", e.srv.Scheme, e.srv.Endpoint, "2014-05-15", action
	for k, v := range params {
		req.QueryParams[k] = v
	}
	if _, ok := params["RegionId"]; !ok {
		req.QueryParams["RegionId"] = "cn-hangzhou"
	}
	resp, err := e.c.ProcessCommonRequest(req)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &out); err != nil {
		t.Fatalf("%s: not JSON: %v", action, err)
	}
	return out, nil
}

func (e *l4Env) mustCall(t *testing.T, action string, params map[string]string) map[string]any {
	t.Helper()
	out, err := e.call(t, action, params)
	if err != nil {
		t.Fatalf("%s %v: %v", action, params, err)
	}
	return out
}

// checkJSONTypes fails unless raw has each key with its JSON type ("n"
// number, "s" string, "b" bool, "o" object).
func checkJSONTypes(t *testing.T, what string, raw map[string]any, keys map[string]string) {
	t.Helper()
	for k, kind := range keys {
		v, ok := raw[k]
		if !ok {
			t.Errorf("%s: %s missing", what, k)
			continue
		}
		switch kind {
		case "n":
			_, ok = v.(float64)
		case "s":
			_, ok = v.(string)
		case "b":
			_, ok = v.(bool)
		case "o":
			_, ok = v.(map[string]any)
		}
		if !ok {
			t.Errorf("%s: %s is %T (%v), want %s", what, k, v, v, kind)
		}
	}
}

// tcpEchoBackend is a TCP backend on 127.0.0.1 that echoes, half-closing
// after its client does; greet writes a line first.
func tcpEchoBackend(t *testing.T, greet string) (port int, stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				if greet != "" {
					io.WriteString(c, greet+"\n")
				}
				io.Copy(c, c)
				c.(*net.TCPConn).CloseWrite()
				io.Copy(io.Discard, c)
			}()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().(*net.TCPAddr).Port, func() { ln.Close() }
}

// udpEchoBackend answers each datagram with prefix and the datagram.
func udpEchoBackend(t *testing.T, prefix string) int {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		buf := make([]byte, 65536)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if string(buf[:n]) == "ping" {
				pc.WriteTo([]byte("pong"), from)
				continue
			}
			pc.WriteTo(append([]byte(prefix), buf[:n]...), from)
		}
	}()
	t.Cleanup(func() { pc.Close() })
	return pc.LocalAddr().(*net.UDPAddr).Port
}

// greetFrom connects from src ("" any) and returns the first line.
func greetFrom(src, addr string) (string, error) {
	d := &net.Dialer{Timeout: 3 * time.Second}
	if src != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(src)}
	}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(3 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	return strings.TrimSpace(line), err
}

// udpFrom sends payload from src and returns the reply ("" on timeout).
func udpFrom(src, addr, payload string) string {
	d := &net.Dialer{}
	if src != "" {
		d.LocalAddr = &net.UDPAddr{IP: net.ParseIP(src)}
	}
	c, err := d.Dial("udp", addr)
	if err != nil {
		return ""
	}
	defer c.Close()
	c.Write([]byte(payload))
	c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	buf := make([]byte, 65536)
	n, err := c.Read(buf)
	if err != nil {
		return ""
	}
	return string(buf[:n])
}

// addBackend adds 127.0.0.1 to the load balancer's default servers.
func (e *l4Env) addBackend(t *testing.T, id string) {
	t.Helper()
	req := slb.CreateAddBackendServersRequest()
	req.LoadBalancerId = e.lb
	req.BackendServers = `[{"ServerId":"` + id + `","ServerIp":"127.0.0.1","Weight":100}]`
	_, err := e.c.AddBackendServers(req)
	must(t, err)
}

// vserverGroup creates a group of 127.0.0.1 members on ports.
func (e *l4Env) vserverGroup(t *testing.T, ports ...int) string {
	t.Helper()
	var members []string
	for i, p := range ports {
		members = append(members, fmt.Sprintf(`{"ServerId":"i-m%d","ServerIp":"127.0.0.1","Port":%d,"Weight":100}`, i, p))
	}
	req := slb.CreateCreateVServerGroupRequest()
	req.LoadBalancerId, req.VServerGroupName, req.BackendServers = e.lb, "g", "["+strings.Join(members, ",")+"]"
	resp, err := e.c.CreateVServerGroup(req)
	must(t, err)
	return resp.VServerGroupId
}

func (e *l4Env) start(t *testing.T, port int, protocol string) {
	t.Helper()
	req := slb.CreateStartLoadBalancerListenerRequest()
	req.LoadBalancerId, req.ListenerPort, req.ListenerProtocol = e.lb, requests.NewInteger(port), protocol
	_, err := e.c.StartLoadBalancerListener(req)
	must(t, err)
}

// loopbackIP returns a loopback address of its own for a test: 127/8 is
// all loopback here.
func loopbackIP(t *testing.T) string {
	t.Helper()
	for range 100 {
		n, _ := rand.Int(rand.Reader, big.NewInt(250*250))
		ip := fmt.Sprintf("127.%d.%d.%d", 120+n.Int64()%20, 1+(n.Int64()/250)%250, 1+n.Int64()%250)
		if ln, err := net.Listen("tcp", ip+":0"); err == nil {
			ln.Close()
			return ip
		}
	}
	t.Fatal("no loopback address")
	return ""
}
