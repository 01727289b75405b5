package server

import (
	"bytes"
	"context"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"slbcert/postgres"
	"slbcert/server/internal/timedgen"
	"slbcert/sqlite"
)

// Both stores keep everything the server hands out.
var (
	_ Store = (*sqlite.Store)(nil)
	_ Store = (*postgres.Store)(nil)
)

// TestTimedStoreIsGenerated fails when store_timed.go is not what
// go generate writes from Store: a method added, removed or changed since.
func TestTimedStoreIsGenerated(t *testing.T) {
	want, err := timedgen.Generate(timedgen.ServerStore)
	if err != nil {
		t.Fatalf("generating: %v", err)
	}
	got, err := os.ReadFile("store_timed.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("store_timed.go is stale: run go generate ./server")
	}
}

// countingTimer counts the calls timed under one method's name.
type countingTimer struct {
	method string
	calls  map[string]int
}

func (c countingTimer) Since(time.Time) { c.calls[c.method]++ }

// absentStore is a Store with nothing behind it: every call panics.
type absentStore struct{ Store }

// TestEveryStoreCallIsTimed calls every method of Store on a timedStore
// (over a store whose calls panic: the timer runs as the panic unwinds)
// and checks that each was timed once, under its own name.
func TestEveryStoreCallIsTimed(t *testing.T) {
	calls := map[string]int{}
	ts := reflect.ValueOf(newTimedStore(absentStore{}, func(method string) storeTimer {
		return countingTimer{method, calls}
	}))
	st := reflect.TypeFor[Store]()
	for i := range st.NumMethod() {
		m := st.Method(i)
		args := make([]reflect.Value, m.Type.NumIn())
		for j := range args {
			args[j] = reflect.Zero(m.Type.In(j))
		}
		func() {
			defer func() { recover() }()
			ts.MethodByName(m.Name).Call(args)
		}()
		if calls[m.Name] != 1 {
			t.Errorf("%s: timed %d times, want 1", m.Name, calls[m.Name])
		}
	}
	if len(calls) != st.NumMethod() {
		t.Errorf("%d methods timed, Store has %d", len(calls), st.NumMethod())
	}
}

// TestStoreOps: every method has an op label of its own; the certificate
// operations keep the labels they had before every product was timed.
func TestStoreOps(t *testing.T) {
	for method, want := range map[string]string{
		"CreateCertificate": "create", "FindCertificates": "find", "RenameCertificate": "rename",
		"DeleteCertificate": "delete", "MoveCertificate": "move", "UpdateTags": "update_tags",
		"UseNonce": "use_nonce", "Ping": "ping",
		"CreateLoadBalancer": "create_load_balancer", "NextUserCertificateID": "next_user_certificate_id",
		"CreateTLSCipherPolicy": "create_tls_cipher_policy", "DataPlaneSnapshot": "data_plane_snapshot",
		"FindVServerGroups": "find_vserver_groups", "SealedUserCertificateKeys": "sealed_user_certificate_keys",
	} {
		if got := storeOp(method); got != want {
			t.Errorf("storeOp(%s) = %s, want %s", method, got, want)
		}
	}
	st := reflect.TypeFor[Store]()
	seen := map[string]string{}
	for i := range st.NumMethod() {
		name := st.Method(i).Name
		op := storeOp(name)
		if other, ok := seen[op]; ok {
			t.Errorf("%s and %s share op %q", other, name, op)
		}
		seen[op] = name
		if op != strings.ToLower(op) || strings.Contains(op, "__") {
			t.Errorf("storeOp(%s) = %q", name, op)
		}
	}
}

// TestTimedStoreForwards: a call through the timed store reaches the
// store, and its answer comes back.
func TestTimedStoreForwards(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, t.TempDir()+"/slbcert.db")
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string]int{}
	ts := newTimedStore(s, func(method string) storeTimer { return countingTimer{method, calls} })
	defer ts.Close()
	expires := time.Now().Add(time.Hour)
	if ok, err := ts.UseNonce(ctx, "key", "n", expires); !ok || err != nil {
		t.Fatalf("first use: %v %v", ok, err)
	}
	if ok, err := ts.UseNonce(ctx, "key", "n", expires); ok || err != nil {
		t.Fatalf("replay: %v %v", ok, err)
	}
	if id, err := ts.NextUserCertificateID(ctx); err != nil || id <= 0 {
		t.Fatalf("NextUserCertificateID = %d, %v", id, err)
	}
	if calls["UseNonce"] != 2 || calls["NextUserCertificateID"] != 1 {
		t.Errorf("timed %v", calls)
	}
}
