package sqlstore

import (
	"strconv"
	"testing"

	"slbcert"
)

func TestRebind(t *testing.T) {
	for _, tc := range []struct {
		numbered bool
		in, want string
	}{
		{false, "SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = ? AND c = ?"},
		{true, "SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2"},
		{true, "SELECT 1", "SELECT 1"},
		{true, "INSERT INTO t VALUES (" + Placeholders(3) + ")", "INSERT INTO t VALUES ($1, $2, $3)"},
	} {
		db := New(nil, nil, Dialect{Numbered: tc.numbered})
		if got := db.rebind(tc.in); got != tc.want {
			t.Errorf("rebind(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSubscribeCoalesces(t *testing.T) {
	db := New(nil, nil, Dialect{})
	c, cancel := db.Subscribe("lb")
	other, cancelOther := db.Subscribe("other")
	defer cancelOther()
	db.broadcast("lb")
	db.broadcast("lb")
	if len(c) != 1 || len(other) != 0 {
		t.Fatalf("pending: lb %d (want 1), other %d (want 0)", len(c), len(other))
	}
	<-c
	cancel()
	db.broadcast("lb")
	if len(c) != 0 {
		t.Fatal("a cancelled subscription still receives")
	}
}

// TestStoredJSONText pins the JSON text kept in TEXT columns: released
// schemas hold rows written so, and every version must read them.
func TestStoredJSONText(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want string
	}{
		{orEmpty([]slbcert.Tag(nil)), `[]`},
		{orEmpty([]slbcert.Tag{{Key: "k", Value: "<v>"}, {Key: "e", Value: ""}}), `[{"Key":"k","Value":"\u003cv\u003e"},{"Key":"e","Value":""}]`},
		{orEmpty([]string(nil)), `[]`},
		{[]chainJSON{{"a", "b", 1, 2}}, `[{"CommonName":"a","IssuerCommonName":"b","NotBefore":1,"NotAfter":2}]`},
	} {
		got, err := jsonText(tc.v)
		if err != nil || got != tc.want {
			t.Errorf("jsonText(%#v) = %s, %v; want %s", tc.v, got, err, tc.want)
		}
	}
	var tags []slbcert.Tag
	if err := fromJSONText("tags", `[{"Key":"k","Value":"v"}]`, &tags); err != nil || len(tags) != 1 || tags[0] != (slbcert.Tag{Key: "k", Value: "v"}) {
		t.Errorf("read back %v, %v", tags, err)
	}
}

func TestInChunks(t *testing.T) {
	var ids []string
	for i := range 1201 {
		ids = append(ids, strconv.Itoa(i), strconv.Itoa(i)) // each twice
	}
	chunks := inChunks(ids)
	if len(chunks) != 3 || len(chunks[0]) != 500 || len(chunks[1]) != 500 || len(chunks[2]) != 201 {
		t.Fatalf("chunk sizes: %d chunks", len(chunks))
	}
	if chunks[1][0] != "500" || chunks[2][200] != "1200" {
		t.Errorf("order: %s … %s", chunks[1][0], chunks[2][200])
	}
	if in, args := inList(chunks[2][:3]); in != "(?, ?, ?)" || len(args) != 3 || args[0] != "1000" {
		t.Errorf("inList = %s %v", in, args)
	}
	if inChunks(nil) != nil {
		t.Error("no ids, no chunks")
	}
}
