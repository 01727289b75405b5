package main

import (
	"errors"
	"fmt"
	"sync"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
)

// NewSLBClient returns an official SDK client signing with the bench root
// key, pointed at addr over plain HTTP.
func NewSLBClient(addr string) (*slb.Client, error) {
	c, err := slb.NewClientWithAccessKey(benchRegion, benchAccessKeyID, benchAccessKeySecret)
	if err != nil {
		return nil, err
	}
	c.Domain = addr
	return c, nil
}

// errNothingToRead refuses a read phase that has no ids to read.
var errNothingToRead = errors.New("no certificate was uploaded, so there is nothing to read")

// IDs collects the ids of uploaded certificates, safely across workers.
type IDs struct {
	mu  sync.Mutex
	ids []string
}

// Add records an id.
func (s *IDs) Add(id string) {
	s.mu.Lock()
	s.ids = append(s.ids, id)
	s.mu.Unlock()
}

// Snapshot returns the ids recorded so far.
func (s *IDs) Snapshot() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.ids...)
}

// Len is how many ids are recorded.
func (s *IDs) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.ids)
}

// UploadOp returns a worker's UploadServerCertificate op with its own client,
// recording each new id in ids.
func UploadOp(addr string, p *Pair, ids *IDs) func(int) (Op, error) {
	return func(int) (Op, error) {
		c, err := NewSLBClient(addr)
		if err != nil {
			return nil, err
		}
		return func(i int) error {
			req := slb.CreateUploadServerCertificateRequest()
			req.Scheme = "http"
			req.RegionId = benchRegion
			req.ServerCertificate = p.ChainPEM
			req.PrivateKey = p.KeyPEM
			req.ServerCertificateName = fmt.Sprintf("bench-%d", i)
			resp, err := c.UploadServerCertificate(req)
			if err != nil {
				return err
			}
			if resp.ServerCertificateId == "" {
				return fmt.Errorf("upload answered no ServerCertificateId")
			}
			ids.Add(resp.ServerCertificateId)
			return nil
		}, nil
	}
}

// DescribeOp returns a worker's DescribeServerCertificates-by-id op with its
// own client; each request names an id of ids drawn at random.
func DescribeOp(addr string, ids []string) func(int) (Op, error) {
	return func(w int) (Op, error) {
		if len(ids) == 0 {
			return nil, errNothingToRead
		}
		c, err := NewSLBClient(addr)
		if err != nil {
			return nil, err
		}
		rng := newRand(w)
		return func(int) error {
			id := ids[rng.IntN(len(ids))]
			req := slb.CreateDescribeServerCertificatesRequest()
			req.Scheme = "http"
			req.RegionId = benchRegion
			req.ServerCertificateId = id
			resp, err := c.DescribeServerCertificates(req)
			if err != nil {
				return err
			}
			if got := resp.ServerCertificates.ServerCertificate; len(got) != 1 || got[0].ServerCertificateId != id {
				return fmt.Errorf("describe %s answered %d certificates", id, len(got))
			}
			return nil
		}, nil
	}
}
