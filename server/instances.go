package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"sync/atomic"
)

// Instances is the operator's map from backend server ids (i-…, eni-…) to
// the addresses traffic for them goes to: the --instances file, JSON
// {"i-…": {"ip": "127.0.0.1"}}. It is replaced whole on reload, so readers
// never see half a file.
type Instances struct {
	m atomic.Pointer[map[string]string]
}

// InstanceIP implements slb.InstanceAddresses.
func (in *Instances) InstanceIP(id string) (string, bool) {
	m := in.m.Load()
	if m == nil {
		return "", false
	}
	ip, ok := (*m)[id]
	return ip, ok
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
