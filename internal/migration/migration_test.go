package migration

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoad(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files []string
		want  string // error fragment; "" for success
	}{
		{"ok/two", []string{"0001_init.sql", "0002_more.sql"}, ""},
		{"error/gap", []string{"0001_init.sql", "0003_more.sql"}, "want version 2"},
		{"error/not numbered", []string{"init.sql"}, "NNNN_name.sql"},
		{"error/short number", []string{"1_init.sql"}, "NNNN_name.sql"},
		{"error/no name", []string{"0001_.sql"}, "NNNN_name.sql"},
		{"error/empty", nil, "no migrations"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"m": {Mode: fs.ModeDir | 0o755}}
			for _, f := range tc.files {
				fsys["m/"+f] = &fstest.MapFile{Data: []byte("-- " + f)}
			}
			ms, err := Load(fsys, "m")
			if tc.want == "" {
				if err != nil || len(ms) != 2 || ms[1].Version != 2 || ms[1].Name != "more" || ms[1].SQL != "-- 0002_more.sql" {
					t.Fatalf("Load = %+v, %v", ms, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
