package slb

import (
	"reflect"
	"testing"

	"slbcert"
)

func TestParseBackendServers(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in       string
		withPort bool
		want     []BackendServer
		code     string
	}{
		{"ok/terraform single quotes, quoted numbers", `[{'ServerId':'i-1','Port':'80','Weight':'100', 'Type': 'ecs'}]`, true,
			[]BackendServer{{ServerID: "i-1", Port: 80, Weight: 100, Type: "ecs"}}, ""},
		{"ok/json, numbers", `[{"ServerId":"i-1","Port":80,"Weight":0},{"ServerId":"eni-2","Port":"8080","Type":"ENI","ServerIp":"10.0.0.2","Description":"a/b.c_d-e"}]`, true,
			[]BackendServer{{ServerID: "i-1", Port: 80, Weight: 0, Type: "ecs"}, {ServerID: "eni-2", Port: 8080, Weight: 100, Type: "eni", ServerIP: "10.0.0.2", Description: "a/b.c_d-e"}}, ""},
		{"ok/default list ignores Port", `[{"ServerId":"i-1","Port":"x"}]`, false,
			[]BackendServer{{ServerID: "i-1", Weight: 100, Type: "ecs"}}, ""},
		{"ok/quotes inside strings", `[{'ServerId':'i-1','Port':80,'Description':'it\'s \"x\"'}]`, true,
			[]BackendServer{{ServerID: "i-1", Port: 80, Weight: 100, Type: "ecs", Description: `it's "x"`}}, ""},
		{"ok/empty list", `[]`, true, []BackendServer{}, ""},
		{"ok/unknown keys ignored", `[{"ServerId":"i-1","Port":80,"VpcId":"vpc-1","ServerRegionId":"cn-hangzhou"}]`, true,
			[]BackendServer{{ServerID: "i-1", Port: 80, Weight: 100, Type: "ecs"}}, ""},
		{"error/not json", `ServerId=i-1`, true, nil, slbcert.EInvalidParameter},
		{"error/unterminated", `[{'ServerId':'i-1}]`, true, nil, slbcert.EInvalidParameter},
		{"error/an object, not a list", `{"ServerId":"i-1"}`, true, nil, slbcert.EInvalidParameter},
		{"error/trailing text", `[] []`, true, nil, slbcert.EInvalidParameter},
		{"error/no server id", `[{"Port":80}]`, true, nil, slbcert.EInvalidParameter},
		{"error/no port in a group", `[{"ServerId":"i-1"}]`, true, nil, slbcert.EInvalidParameter},
		{"error/port out of range", `[{"ServerId":"i-1","Port":70000}]`, true, nil, slbcert.EInvalidParameter},
		{"error/weight out of range", `[{"ServerId":"i-1","Port":80,"Weight":"101"}]`, true, nil, slbcert.EInvalidParameter},
		{"error/weight not a number", `[{"ServerId":"i-1","Port":80,"Weight":true}]`, true, nil, slbcert.EInvalidParameter},
		{"error/bad type", `[{"ServerId":"i-1","Port":80,"Type":"ip"}]`, true, nil, slbcert.EInvalidParameter},
		{"error/eni without ip", `[{"ServerId":"eni-1","Port":80,"Type":"eni"}]`, true, nil, slbcert.EInvalidParameter},
		{"error/bad ip", `[{"ServerId":"i-1","Port":80,"ServerIp":"10.0.0.300"}]`, true, nil, slbcert.EInvalidParameter},
		{"error/more than 20", `[` + repeatEntries(21) + `]`, true, nil, ETooManyBackendServers},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseBackendServers("BackendServers", tc.in, tc.withPort)
			if code := slbcert.ErrorCode(err); code != tc.code {
				t.Fatalf("code %q (%v), want %q", code, err, tc.code)
			}
			if tc.code == "" && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func repeatEntries(n int) string {
	s := ""
	for i := 0; i < n; i++ {
		if i > 0 {
			s += ","
		}
		s += `{"ServerId":"i-1","Port":80}`
	}
	return s
}

func TestBackendListChanges(t *testing.T) {
	a := BackendServer{ServerID: "i-1", Port: 80, Weight: 100, Type: "ecs"}
	b := BackendServer{ServerID: "i-1", Port: 81, Weight: 100, Type: "ecs"}
	a50 := a
	a50.Weight = 50
	list := mergeBackends([]BackendServer{a}, []BackendServer{b, a50})
	if !reflect.DeepEqual(list, []BackendServer{a50, b}) {
		t.Errorf("merge: %+v", list)
	}
	if got := removeBackends(list, []BackendServer{a, {ServerID: "i-9", Port: 80}}); !reflect.DeepEqual(got, []BackendServer{b}) {
		t.Errorf("remove: %+v", got)
	}
	if _, err := updateBackends("BackendServers", list, []BackendServer{{ServerID: "i-9", Port: 80}}); slbcert.ErrorCode(err) != slbcert.EInvalidParameter {
		t.Errorf("update of a non-member: %v", err)
	}
	if got, err := updateBackends("BackendServers", list, []BackendServer{a}); err != nil || got[0].Weight != 100 {
		t.Errorf("update: %+v %v", got, err)
	}
}
