package slb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"slbcert"
)

// maxBackendServersPerCall bounds the BackendServers list of one request
// (CreateVServerGroup:
// https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-createvservergroup).
const maxBackendServersPerCall = 20

// errBackendServers is the answer to a BackendServers parameter that does
// not read.
func errBackendServers(param, format string, args ...any) error {
	return slbcert.Errorf(slbcert.EInvalidParameter, "The specified %s is invalid: %s.", param, fmt.Sprintf(format, args...))
}

// ParseBackendServers reads a BackendServers-like parameter named param
// (BackendServers, OldBackendServers, NewBackendServers) as the wire hands
// it to the rules; its Err is the API's answer (see parseBackendServers).
func ParseBackendServers(param, raw string, withPort bool) Param[[]BackendServer] {
	if raw == "" {
		return Param[[]BackendServer]{}
	}
	list, err := parseBackendServers(param, raw, withPort)
	if err != nil {
		return Param[[]BackendServer]{Set: true, Raw: raw, Err: err}
	}
	return Param[[]BackendServer]{Set: true, Raw: raw, Value: list}
}

// parseBackendServers reads a BackendServers parameter as clients write
// it: a JSON list of objects — or Terraform's variant of it with single
// quotes, [{'ServerId':'i-1','Port':'80','Weight':'100'}] — where numbers
// may be quoted or not. Port is required (1–65535) when withPort, and
// ignored otherwise (the default server list has none); Weight is 0–100
// (default 100); Type ecs (default), eni or eci, the latter two with a
// ServerIp. Unknown keys are ignored. At most 20 entries.
func parseBackendServers(param, v string, withPort bool) ([]BackendServer, error) {
	text, err := doubleQuoted(v)
	if err != nil {
		return nil, errBackendServers(param, "%v", err)
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var raw []map[string]any
	if err := dec.Decode(&raw); err != nil || dec.More() {
		return nil, errBackendServers(param, "not a JSON list of objects")
	}
	if len(raw) > maxBackendServersPerCall {
		return nil, slbcert.Errorf(ETooManyBackendServers, "At most %d backend servers may be given in one request; got %d.", maxBackendServersPerCall, len(raw))
	}
	out := make([]BackendServer, 0, len(raw))
	for i, m := range raw {
		b, err := backendServer(m, withPort)
		if err != nil {
			return nil, errBackendServers(param, "entry %d: %v", i+1, err)
		}
		out = append(out, b)
	}
	return out, nil
}

// backendServer reads one entry.
func backendServer(m map[string]any, withPort bool) (BackendServer, error) {
	b := BackendServer{Weight: 100, Type: "ecs"}
	var err error
	if b.ServerID, err = textField(m, "ServerId"); err != nil {
		return b, err
	}
	if b.ServerID == "" {
		return b, fmt.Errorf("ServerId is required")
	}
	if withPort {
		if b.Port, err = intField(m, "Port", 1, 65535, 0); err != nil {
			return b, err
		}
		if b.Port == 0 {
			return b, fmt.Errorf("Port is required")
		}
	}
	if b.Weight, err = intField(m, "Weight", 0, 100, 100); err != nil {
		return b, err
	}
	if t, err := textField(m, "Type"); err != nil {
		return b, err
	} else if t != "" {
		if b.Type, err = choice("Type", t, "ecs", "eni", "eci"); err != nil {
			return b, fmt.Errorf("Type %q is not ecs, eni or eci", t)
		}
	}
	if b.ServerIP, err = textField(m, "ServerIp"); err != nil {
		return b, err
	}
	if b.ServerIP != "" {
		a, err := netip.ParseAddr(b.ServerIP)
		if err != nil {
			return b, fmt.Errorf("ServerIp %q is not an IP address", b.ServerIP)
		}
		b.ServerIP = a.String()
	} else if b.Type != "ecs" {
		return b, fmt.Errorf("a backend of type %s needs a ServerIp", b.Type)
	}
	if b.Description, err = textField(m, "Description"); err != nil {
		return b, err
	}
	if utf8.RuneCountInString(b.Description) > 80 {
		return b, fmt.Errorf("Description is longer than 80 characters")
	}
	return b, nil
}

// textField reads a string (or a number, as text) from an entry.
func textField(m map[string]any, key string) (string, error) {
	switch v := m[key].(type) {
	case nil:
		return "", nil
	case string:
		return strings.TrimSpace(v), nil
	case json.Number:
		return v.String(), nil
	}
	return "", fmt.Errorf("%s is not a string", key)
}

// intField reads an integer (a number or a quoted number) within [lo, hi];
// absent or empty gives def.
func intField(m map[string]any, key string, lo, hi, def int) (int, error) {
	var s string
	switch v := m[key].(type) {
	case nil:
		return def, nil
	case json.Number:
		s = v.String()
	case string:
		if s = strings.TrimSpace(v); s == "" {
			return def, nil
		}
	default:
		return 0, fmt.Errorf("%s is not a number", key)
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s %q is not an integer from %d to %d", key, s, lo, hi)
	}
	return n, nil
}

// doubleQuoted rewrites single-quoted strings as JSON strings, leaving
// double-quoted ones and everything else as they are.
func doubleQuoted(v string) (string, error) {
	var b bytes.Buffer
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '"':
			j := i + 1
			for ; j < len(v) && v[j] != '"'; j++ {
				if v[j] == '\\' {
					j++
				}
			}
			if j >= len(v) {
				return "", fmt.Errorf("an unterminated string")
			}
			b.WriteString(v[i : j+1])
			i = j
		case '\'':
			var s strings.Builder
			j := i + 1
			for ; j < len(v) && v[j] != '\''; j++ {
				if v[j] == '\\' && j+1 < len(v) {
					j++
				}
				s.WriteByte(v[j])
			}
			if j >= len(v) {
				return "", fmt.Errorf("an unterminated string")
			}
			q, _ := json.Marshal(s.String())
			b.Write(q)
			i = j
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// backendKey names a member: its server and, in a group, its port.
func backendKey(b BackendServer) BackendKey {
	return BackendKey{ServerID: b.ServerID, Port: b.Port}
}

// mergeBackends adds or replaces (by server and port) members.
func mergeBackends(list, add []BackendServer) []BackendServer {
	out := append([]BackendServer{}, list...)
	for _, a := range add {
		replaced := false
		for i := range out {
			if backendKey(out[i]) == backendKey(a) {
				out[i], replaced = a, true
			}
		}
		if !replaced {
			out = append(out, a)
		}
	}
	return out
}

// removeBackends removes the members named (absent ones are ignored).
func removeBackends(list, remove []BackendServer) []BackendServer {
	gone := map[BackendKey]bool{}
	for _, r := range remove {
		gone[backendKey(r)] = true
	}
	out := []BackendServer{}
	for _, b := range list {
		if !gone[backendKey(b)] {
			out = append(out, b)
		}
	}
	return out
}

// updateBackends changes the weight, type, address and description of
// existing members; naming one that is not there is an error.
func updateBackends(param string, list, set []BackendServer) ([]BackendServer, error) {
	out := append([]BackendServer{}, list...)
	for _, s := range set {
		found := false
		for i := range out {
			if backendKey(out[i]) == backendKey(s) {
				out[i], found = s, true
			}
		}
		if !found {
			return nil, errBackendServers(param, "server %s (port %d) is not a member", s.ServerID, s.Port)
		}
	}
	return out, nil
}

// checkBackendCount refuses lists longer than a load balancer may hold.
func checkBackendCount(list []BackendServer) error {
	if len(list) > MaxBackendServersPerLoadBalancer {
		return slbcert.Errorf(ETooManyBackendServers, "A server list may hold at most %d backend servers.", MaxBackendServersPerLoadBalancer)
	}
	return nil
}

// ecsARN names a backend instance as RAM policies see it.
func ecsARN(regionID, accountID, id string) string {
	return "acs:ecs:" + regionID + ":" + accountID + ":instance/" + id
}

// authorizeBackends checks action on each backend instance too.
func (s *Service) authorizeBackends(p *slbcert.Principal, action, regionID string, list []BackendServer) error {
	for _, b := range list {
		if err := s.authorize(p, action, ecsARN(regionID, p.Account.ID, b.ServerID), nil); err != nil {
			return err
		}
	}
	return nil
}
