package region

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDefaultTable(t *testing.T) {
	tab := Default()
	want := []string{"cn-qingdao", "cn-beijing", "cn-zhangjiakou", "cn-huhehaote", "cn-wulanchabu",
		"cn-hangzhou", "cn-shanghai", "cn-nanjing", "cn-fuzhou", "cn-shenzhen", "cn-heyuan",
		"cn-guangzhou", "cn-chengdu", "cn-hongkong", "ap-northeast-1", "ap-northeast-2",
		"ap-southeast-1", "ap-southeast-3", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
		"us-east-1", "us-west-1", "eu-west-1", "eu-central-1", "me-east-1", "me-central-1"}
	for _, id := range want {
		r := tab.Lookup(id)
		if r == nil {
			t.Fatalf("region %s missing", id)
		}
		if !r.ServerCertificates || !slices.Equal(r.RSABits, []int{1024, 2048, 4096}) {
			t.Errorf("%s: capabilities %+v", id, r)
		}
		if r.ECC != (id == "eu-west-1") {
			t.Errorf("%s: ECC = %v", id, r.ECC)
		}
		if r.RejectExpired {
			t.Errorf("%s: refuses expired certificates; Alibaba Cloud accepts them", id)
		}
	}
	if tab.Lookup("xx-nowhere-1") != nil {
		t.Error("unknown region found")
	}
	if got := tab.Lookup("cn-qingdao").Name("zh-CN"); got != "华北1（青岛）" {
		t.Errorf("zh name %q", got)
	}
	if got := tab.Lookup("cn-qingdao").Name("en-US"); got != "China (Qingdao)" {
		t.Errorf("en name %q", got)
	}
	if got := tab.Lookup("cn-qingdao").Name("fr"); got != "华北1（青岛）" {
		t.Errorf("fallback name %q", got)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, body string
		ok         bool
	}{
		{"ok/minimal", `[{"id":"lab-1","serverCertificates":true,"ecc":true,"rsaBits":[2048]}]`, true},
		{"ok/reject expired", `[{"id":"lab-1","serverCertificates":true,"ecc":true,"rsaBits":[2048],"rejectExpired":true}]`, true},
		{"error/reject expired not a bool", `[{"id":"lab-1","rejectExpired":"yes"}]`, false},
		{"error/empty", `[]`, false},
		{"error/duplicate", `[{"id":"a"},{"id":"a"}]`, false},
		{"error/no id", `[{"ecc":true}]`, false},
		{"error/unknown field", `[{"id":"a","colour":"red"}]`, false},
		{"error/not json", `{`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, "regions.json")
			if err := os.WriteFile(p, []byte(tc.body), 0o600); err != nil {
				t.Fatal(err)
			}
			tab, err := Load(p)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if tc.ok {
				r := tab.Lookup("lab-1")
				if r == nil || !r.ECC || !slices.Equal(r.RSABits, []int{2048}) || r.Endpoint != "slb.lab-1.aliyuncs.com" {
					t.Fatalf("loaded %+v", r)
				}
				if want := strings.Contains(tc.body, `"rejectExpired":true`); r.RejectExpired != want {
					t.Fatalf("RejectExpired = %v, want %v", r.RejectExpired, want)
				}
			}
		})
	}
}

func TestZones(t *testing.T) {
	hz := Default().Lookup("cn-hangzhou")
	if len(hz.Zones) != 6 || hz.Zones[0].ID != "cn-hangzhou-b" || hz.Zone("cn-hangzhou-h") == nil || hz.Zone("cn-hangzhou-a") != nil {
		t.Fatalf("cn-hangzhou zones = %+v", hz.Zones)
	}
	if got := hz.Zone("cn-hangzhou-h").Name("en-US"); got != "Hangzhou Zone H" {
		t.Errorf("en-US name = %q", got)
	}
	if got := hz.Zone("cn-hangzhou-h").Name("zh-CN"); got != "华东1 可用区 H" {
		t.Errorf("zh-CN name = %q", got)
	}
	for _, r := range Default().All() {
		if len(r.Zones) < 2 {
			t.Errorf("%s has %d zones", r.ID, len(r.Zones))
		}
	}
	tab, err := New([]Region{{ID: "xx-test-1", LocalName: map[string]string{"en-US": "Test (Somewhere)"}}})
	if err != nil || len(tab.Lookup("xx-test-1").Zones) != 2 || tab.Lookup("xx-test-1").Zones[1].ID != "xx-test-1-b" {
		t.Fatalf("default zones: %v %+v", err, tab)
	}
	if _, err := New([]Region{{ID: "xx-test-1", Zones: []Zone{{ID: "yy-1-a"}}}}); err == nil {
		t.Error("a zone of another region was accepted")
	}
}
