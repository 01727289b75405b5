package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// Process is a server the tool started. It runs in its own process group,
// which Stop signals whole, and dies with the tool (Pdeathsig) should the
// tool itself be killed before it can clean up.
type Process struct {
	Name    string
	Addr    string // 127.0.0.1:PORT
	LogPath string // where its stdout and stderr go
	Started time.Time

	cmd  *exec.Cmd
	log  *os.File
	done chan struct{} // closed once the process has exited
	err  error         // Wait's result, set before done closes
}

// StartProcess runs argv with env (PATH is added) and both outputs going to
// logPath.
func StartProcess(name, addr, logPath string, argv, env []string) (*Process, error) {
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	p := &Process{Name: name, Addr: addr, LogPath: logPath, cmd: cmd, log: log, done: make(chan struct{})}
	p.Started = time.Now()
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Pid is the process id (also its process group id).
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// WaitHTTP polls http://Addr+path every interval until any answer with one
// of the given statuses, and returns how long after the start it came.
// It gives up when the process exits, ctx ends or timeout passes.
func (p *Process) WaitHTTP(ctx context.Context, path string, interval, timeout time.Duration, statuses ...int) (time.Duration, error) {
	client := &http.Client{
		Timeout:   time.Second,
		Transport: &http.Transport{DisableKeepAlives: true},
	}
	url := "http://" + p.Addr + path
	deadline := p.Started.Add(timeout)
	for {
		resp, err := client.Get(url)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			for _, s := range statuses {
				if resp.StatusCode == s {
					return time.Since(p.Started), nil
				}
			}
		}
		select {
		case <-p.done:
			return 0, fmt.Errorf("%s exited before it was healthy (%v); its log: %s", p.Name, p.err, p.LogPath)
		case <-ctx.Done():
			return 0, ctx.Err()
		default:
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("%s not healthy after %v; its log: %s", p.Name, timeout, p.LogPath)
		}
		time.Sleep(interval)
	}
}

// Alive reports whether the process is still running.
func (p *Process) Alive() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// Stop asks the process group to terminate, and kills it after 5 s.
// Calling it again is harmless.
func (p *Process) Stop() {
	if p.Alive() {
		syscall.Kill(-p.Pid(), syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(5 * time.Second):
			syscall.Kill(-p.Pid(), syscall.SIGKILL)
			<-p.done
		}
	}
	p.log.Close()
}

// FreeAddr returns a loopback address with a port that was free a moment ago.
func FreeAddr() (string, error) { return freeAddrOn("127.0.0.1") }

// freeAddrOn returns ip with a port that was free a moment ago.
func freeAddrOn(ip string) (string, error) {
	l, err := net.Listen("tcp", ip+":0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// Port returns the port of a host:port address.
func Port(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return port
}

// checkLoopback refuses a target that is not this machine's loopback.
func checkLoopback(host string) error {
	h, port, err := net.SplitHostPort(host)
	if err != nil {
		return err
	}
	if _, err := strconv.Atoi(port); err != nil {
		return fmt.Errorf("port %q", port)
	}
	if ip := net.ParseIP(h); h != "localhost" && (ip == nil || !ip.Equal(net.IPv4(127, 0, 0, 1))) {
		return errors.New("only 127.0.0.1 targets are allowed")
	}
	return nil
}
