package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
)

// maxListenerPorts bounds the create phase: one load balancer has this
// many ports.
const maxListenerPorts = 65535

// ListenerResults are the listener-configuration workload's figures: the
// requests Terraform and renewal tools send most.
type ListenerResults struct {
	Create, Set, Describe Phase
	Listeners             int // listeners the set and describe phases spread over
}

// Listeners runs the listener-configuration workload on a fresh slbcert:
// N workers create HTTPS listeners (Terraform's parameter set) on one load
// balancer, then swap the listeners' certificates (the renewal tools' Set),
// then describe them — each request on a listener drawn at random.
func (b *Bench) Listeners(ctx context.Context) error {
	p, _, err := Slbcert(ctx, b.Bin, filepath.Join(b.Tmp, "listeners"), b.IAMFile)
	if err != nil {
		return err
	}
	defer p.Stop()
	c, err := NewSLBClient(p.Addr)
	if err != nil {
		return err
	}
	var certs [2]string
	for i := range certs {
		req := slb.CreateUploadServerCertificateRequest()
		req.Scheme, req.RegionId, req.ServerCertificate, req.PrivateKey = "http", benchRegion, b.Pair.ChainPEM, b.Pair.KeyPEM
		resp, err := c.UploadServerCertificate(req)
		if err != nil {
			return err
		}
		certs[i] = resp.ServerCertificateId
	}
	lbReq := slb.CreateCreateLoadBalancerRequest()
	lbReq.Scheme, lbReq.RegionId, lbReq.LoadBalancerSpec = "http", benchRegion, "slb.s2.small"
	lb, err := c.CreateLoadBalancer(lbReq)
	if err != nil {
		return err
	}
	o := b.Opts
	r := &ListenerResults{}
	b.R.Listeners = r
	logf("slbcert: CreateLoadBalancerHTTPSListener, %d workers, %v", o.Workers, o.Duration)
	if r.Create, err = Measure(ctx, p.Pid(), o.Workers, Limits{Ops: maxListenerPorts, Duration: o.Duration},
		CreateListenerOp(p.Addr, lb.LoadBalancerId, certs[0])); err != nil {
		return err
	}
	if r.Listeners = r.Create.N; r.Listeners == 0 {
		return fmt.Errorf("no listener was created: %s", r.Create.FirstErr)
	}
	logf("slbcert: SetLoadBalancerHTTPSListenerAttribute (certificate swap), %d workers, %v", o.Workers, o.Duration)
	if r.Set, err = Measure(ctx, p.Pid(), o.Workers, Limits{Ops: manyOps, Duration: o.Duration},
		SetListenerOp(p.Addr, lb.LoadBalancerId, r.Listeners, certs)); err != nil {
		return err
	}
	logf("slbcert: DescribeLoadBalancerHTTPSListenerAttribute, %d workers, %v", o.Workers, o.Duration)
	r.Describe, err = Measure(ctx, p.Pid(), o.Workers, Limits{Ops: manyOps, Duration: o.Duration},
		DescribeListenerOp(p.Addr, lb.LoadBalancerId, r.Listeners))
	return err
}

// CreateListenerOp creates the HTTPS listener on port i+1 with the
// parameters Terraform's alicloud_slb_listener sends.
func CreateListenerOp(addr, lb, cert string) func(int) (Op, error) {
	return func(int) (Op, error) {
		c, err := NewSLBClient(addr)
		if err != nil {
			return nil, err
		}
		return func(i int) error {
			req := slb.CreateCreateLoadBalancerHTTPSListenerRequest()
			req.Scheme, req.RegionId, req.LoadBalancerId = "http", benchRegion, lb
			req.ListenerPort, req.BackendServerPort, req.Bandwidth = requests.NewInteger(i+1), requests.NewInteger(80), requests.NewInteger(-1)
			req.AclStatus, req.Scheduler, req.StickySession, req.HealthCheck = "off", "wrr", "off", "on"
			req.RequestTimeout, req.IdleTimeout, req.HealthCheckURI = requests.NewInteger(60), requests.NewInteger(15), "/"
			req.HealthyThreshold, req.UnhealthyThreshold = requests.NewInteger(3), requests.NewInteger(3)
			req.HealthCheckTimeout, req.HealthCheckInterval, req.HealthCheckHttpCode = requests.NewInteger(5), requests.NewInteger(2), "http_2xx"
			req.ServerCertificateId = cert
			_, err := c.CreateLoadBalancerHTTPSListener(req)
			return err
		}, nil
	}
}

// SetListenerOp points a random listener (of ports 1..n) at one of certs.
func SetListenerOp(addr, lb string, n int, certs [2]string) func(int) (Op, error) {
	return func(w int) (Op, error) {
		c, err := NewSLBClient(addr)
		if err != nil {
			return nil, err
		}
		rng := newRand(w)
		return func(i int) error {
			req := slb.CreateSetLoadBalancerHTTPSListenerAttributeRequest()
			req.Scheme, req.RegionId, req.LoadBalancerId = "http", benchRegion, lb
			req.ListenerPort = requests.NewInteger(1 + rng.IntN(n))
			req.ServerCertificateId = certs[i%2]
			_, err := c.SetLoadBalancerHTTPSListenerAttribute(req)
			return err
		}, nil
	}
}

// DescribeListenerOp describes a random listener (of ports 1..n).
func DescribeListenerOp(addr, lb string, n int) func(int) (Op, error) {
	return func(w int) (Op, error) {
		c, err := NewSLBClient(addr)
		if err != nil {
			return nil, err
		}
		rng := newRand(w)
		return func(int) error {
			port := 1 + rng.IntN(n)
			req := slb.CreateDescribeLoadBalancerHTTPSListenerAttributeRequest()
			req.Scheme, req.RegionId, req.LoadBalancerId = "http", benchRegion, lb
			req.ListenerPort = requests.NewInteger(port)
			resp, err := c.DescribeLoadBalancerHTTPSListenerAttribute(req)
			if err != nil {
				return err
			}
			if resp.ListenerPort != port || resp.ServerCertificateId == "" {
				return fmt.Errorf("describe port %d answered port %d, certificate %q", port, resp.ListenerPort, resp.ServerCertificateId)
			}
			return nil
		}, nil
	}
}
