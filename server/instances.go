package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"slbcert"
	"slbcert/localnet"
)

// Instances says where traffic for a backend server id (i-…, eni-…) goes:
// the operator's map first — the --instances file, JSON
// {"i-…": {"ip": "127.0.0.1"}}, replaced whole on reload, so readers never
// see half a file — and then, for an id it does not name, the account's
// ECS instance of that id, at its private address as this machine serves
// it (localnet.Served: 192.168.0.10 → 127.168.0.10; docs/choices.md,
// "ECS instances as backends").
type Instances struct {
	m atomic.Pointer[map[string]string]
	// ECS, when set, finds the account's instances; Log says, once per
	// instance and address, where its backend must listen.
	ECS interface {
		PrivateAddress(ctx context.Context, accountID, instanceID string) (netip.Addr, error)
	}
	Log    *slog.Logger
	logged sync.Map // accountID/id/address → struct{}
}

// ecsLookupTimeout bounds one instance lookup of the data plane or of
// DescribeHealthStatus.
const ecsLookupTimeout = 5 * time.Second

// InstanceIP implements slb.InstanceAddresses.
func (in *Instances) InstanceIP(accountID, id string) (string, bool) {
	if m := in.m.Load(); m != nil {
		if ip, ok := (*m)[id]; ok {
			return ip, true
		}
	}
	if in.ECS == nil || !strings.HasPrefix(id, "i-") {
		return "", false
	}
	ctx, cancel := context.WithTimeout(context.Background(), ecsLookupTimeout)
	defer cancel()
	addr, err := in.ECS.PrivateAddress(ctx, accountID, id)
	if err != nil {
		if !errors.Is(err, slbcert.ErrNotFound) && in.Log != nil {
			in.Log.Warn("backend: looking up the ECS instance failed", "instance", id, "account", accountID, "err", err)
		}
		return "", false
	}
	served := localnet.Served(addr)
	if _, seen := in.logged.LoadOrStore(accountID+"/"+id+"/"+addr.String(), struct{}{}); !seen && in.Log != nil {
		in.Log.Info("backend: ECS instance served on this machine: run its backend bound to the served address",
			"instance", id, "account", accountID, "private_ip", addr.String(), "served_ip", served.String())
	}
	return served.String(), true
}

// Load reads path (none: an empty map) and, if it is valid, puts it in
// force. A file that does not load leaves the previous map in force.
func (in *Instances) Load(path string) error {
	m := map[string]string{}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("instances file: %w", err)
		}
		var f map[string]struct {
			IP string `json:"ip"`
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			return fmt.Errorf("instances file %s: %w", path, err)
		}
		for id, v := range f {
			a, err := netip.ParseAddr(v.IP)
			if err != nil {
				return fmt.Errorf("instances file %s: %s: ip %q is not an IP address", path, id, v.IP)
			}
			m[id] = a.String()
		}
	}
	in.m.Store(&m)
	return nil
}
