package main

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The layer-4 backend runs as a subprocess of the tool (its own CPU, as
// nginx's backend is for the HTTPS phase): the tool starts itself with
// l4BackendEnv set to "greet=ADDR,stream=ADDR,udp=ADDR".
const l4BackendEnv = "SLBCERT_BENCH_L4_BACKEND"

// runL4Backend serves the layer-4 phase's backends until killed: greet
// writes one byte to each connection and closes it (a new connection is
// the whole exchange), stream writes 64 KiB buffers until the client goes,
// udp echoes every datagram.
func runL4Backend(spec string) error {
	addrs := map[string]string{}
	for _, kv := range strings.Split(spec, ",") {
		k, v, _ := strings.Cut(kv, "=")
		addrs[k] = v
	}
	greet, err := net.Listen("tcp", addrs["greet"])
	if err != nil {
		return err
	}
	stream, err := net.Listen("tcp", addrs["stream"])
	if err != nil {
		return err
	}
	udp, err := net.ListenPacket("udp", addrs["udp"])
	if err != nil {
		return err
	}
	go func() {
		for {
			c, err := greet.Accept()
			if err != nil {
				return
			}
			go func() {
				c.Write([]byte{'x'})
				c.Close()
			}()
		}
	}()
	go func() {
		buf := make([]byte, 64<<10)
		for {
			c, err := stream.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				for {
					if _, err := c.Write(buf); err != nil {
						return
					}
				}
			}()
		}
	}()
	for range 2 {
		go func() {
			buf := make([]byte, 65536)
			for {
				n, from, err := udp.ReadFrom(buf)
				if err != nil {
					return
				}
				udp.WriteTo(buf[:n], from)
			}
		}()
	}
	select {}
}

// l4Result is one layer-4 load run.
type l4Result struct {
	Rate   float64 // connections, bytes or datagrams per second
	N      int64   // connections, bytes or datagrams in all
	Errors int64
	CPU    time.Duration // the proxy's CPU time over the run
}

// PerOp is the proxy's CPU time per unit of N.
func (r l4Result) PerOp() time.Duration {
	if r.N == 0 {
		return 0
	}
	return r.CPU / time.Duration(r.N)
}

// loadConnections opens connections to addr from c workers for d, each
// reading the backend's byte and closing: new connections per second.
func loadConnections(ctx context.Context, addr string, c int, d time.Duration) l4Result {
	var n, errs atomic.Int64
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 1)
			dialer := &net.Dialer{Timeout: 2 * time.Second}
			for ctx.Err() == nil {
				conn, err := dialer.Dial("tcp", addr)
				if err != nil {
					errs.Add(1)
					continue
				}
				conn.SetDeadline(time.Now().Add(2 * time.Second))
				if _, err := io.ReadFull(conn, buf); err != nil {
					errs.Add(1)
				} else {
					n.Add(1)
				}
				// A reset rather than a FIN: the client side would
				// otherwise pile up TIME_WAIT sockets and run out of ports.
				conn.(*net.TCPConn).SetLinger(0)
				conn.Close()
			}
		}()
	}
	wg.Wait()
	el := time.Since(start).Seconds()
	return l4Result{Rate: float64(n.Load()) / el, N: n.Load(), Errors: errs.Load()}
}

// loadStream reads the stream backend through addr on c connections for
// d: bytes per second.
func loadStream(ctx context.Context, addr string, c int, d time.Duration) l4Result {
	var n, errs atomic.Int64
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
			if err != nil {
				errs.Add(1)
				return
			}
			defer conn.Close()
			conn.SetReadDeadline(deadline)
			buf := make([]byte, 256<<10)
			for {
				k, err := conn.Read(buf)
				n.Add(int64(k))
				if err != nil {
					if !errors.Is(err, os.ErrDeadlineExceeded) {
						errs.Add(1)
					}
					return
				}
			}
		}()
	}
	wg.Wait()
	el := time.Since(start).Seconds()
	return l4Result{Rate: float64(n.Load()) / el, N: n.Load(), Errors: errs.Load()}
}

// loadDatagrams sends datagrams of size bytes to addr from c clients for
// d, each waiting for its echo before the next (a lost one times out
// after 200 ms): echoed datagrams per second.
func loadDatagrams(ctx context.Context, addr string, c, size int, d time.Duration) l4Result {
	var n, errs atomic.Int64
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := net.Dial("udp", addr)
			if err != nil {
				errs.Add(1)
				return
			}
			defer conn.Close()
			out, in := make([]byte, size), make([]byte, 65536)
			for ctx.Err() == nil {
				if _, err := conn.Write(out); err != nil {
					errs.Add(1)
					time.Sleep(time.Millisecond)
					continue
				}
				conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
				if k, err := conn.Read(in); err != nil || k != size {
					errs.Add(1)
					continue
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	el := time.Since(start).Seconds()
	return l4Result{Rate: float64(n.Load()) / el, N: n.Load(), Errors: errs.Load()}
}
