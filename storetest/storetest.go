// Package storetest is the conformance suites every store must pass, one
// per product's store interface — SLB's certificates (RunCertificates) and
// load balancers (RunLoadBalancers), the certificate catalog (RunCatalog),
// the gateway's nonces (RunNonces) — and one for what the server itself
// needs of a store (RunLifecycle), so that the SQLite and PostgreSQL stores
// (and any test double) cannot drift apart. A store's own tests call each
// Run; nothing here knows which database is underneath.
//
// Besides every sentence of the interfaces' doc comments, the certificate
// suite pins down what those comments leave open, so that all stores
// answer alike:
//
//   - Times come back in UTC, truncated to the millisecond.
//   - SubjectAlternativeNames and Tags come back non-nil, empty when there are
//     none (a nil and an empty slice are stored alike); a nil
//     SealedPrivateKey comes back nil, any other key byte for byte.
//   - Tags come back in the order their keys were first set: on create, the
//     order of Certificate.Tags; UpdateTags replaces the value of an existing
//     key in place and appends new keys in the order of set, so a key removed
//     and set again in one call moves to the end. Tag keys are unique per
//     certificate: a create that repeats a key fails.
//   - Certificate IDs are unique in the whole store, not only per account.
//   - Certificates with the same CreateTime are ordered by ID byte-wise (a
//     PostgreSQL store needs COLLATE "C" for that).
//   - A TagFilter matches any value only when its Value is empty and
//     MatchAnyValue is set; otherwise the value must be equal (an empty Value
//     matches only the empty value).
//   - A limit of 0 admits nothing; deleted certificates no longer count.
//   - Rename and Move to the current value succeed (they match, not change).
//   - UpdateTags with no ids does nothing; a repeated id counts once; a key
//     given twice in set ends with the last value; every certificate's final
//     count is checked against max, even if the call did not add to it.
//   - Stores keep no reference to the values passed in or handed out.
//
// The nonce suite pins down that a record whose expires is not after the
// wall clock (time.Now) has expired: an expires in the past is remembered
// for no time at all. The lifecycle suite, that Close may be called twice
// (open's cleanup may find the store closed) and that Ping fails after it.
package storetest

import (
	"context"
	"fmt"
	"reflect"
	"slbcert/slb"
	"testing"
	"time"

	"slbcert"
)

// CertificateStore is what RunCertificates tests: SLB's certificate store
// with the key resealing and the counts that go with it.
type CertificateStore interface {
	slb.CertificateStore
	slb.KeyResealer
	slb.StatsReader
}

// RunCertificates runs the certificate suite against the stores open
// makes. Every subtest calls open once for a fresh, empty store; open
// registers the store's cleanup with t.Cleanup (closing it, removing its
// files or schema). Subtests run one after another, never in parallel.
func RunCertificates(t *testing.T, open func(t *testing.T) CertificateStore) {
	t.Helper()
	groups := []struct {
		name string
		run  func(*testing.T, opener)
	}{
		{"Create", testCreate},
		{"Quota", testQuota},
		{"Find", testFind},
		{"Rename", testRename},
		{"Delete", testDelete},
		{"Move", testMove},
		{"UpdateTags", testUpdateTags},
		{"SealedKeys", testSealedKeys},
		{"Stats", testStats},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) { g.run(t, open) })
	}
}

type opener = func(t *testing.T) CertificateStore

// The owners the suite plays with; everything is created by account in
// region unless a test says otherwise.
const (
	account      = "1000000000000001"
	otherAccount = "1000000000000002"
	region       = "cn-hangzhou"
	otherRegion  = "cn-shanghai"
	rg           = "rg-acfmabc123"
	otherRG      = "rg-acfmxyz789"
	noLimit      = 1 << 30
)

// t0 is deliberately not in UTC: stores must hand times back in UTC.
var t0 = time.Date(2025, 3, 14, 15, 9, 26, 535_000_000, time.FixedZone("UTC+8", 8*3600))

// serverCert returns a server certificate of account in region with every
// field set and distinct, created i minutes after t0.
func serverCert(id string, i int) *slb.Certificate {
	key := make([]byte, 48)
	for j := range key {
		key[j] = byte(i*31 + j*7 + len(id))
	}
	return &slb.Certificate{
		ID:                          id,
		Kind:                        slb.KindServer,
		AccountID:                   account,
		RegionID:                    region,
		Name:                        "name-" + id,
		ResourceGroupID:             rg,
		Fingerprint:                 fmt.Sprintf("ab:cd:%02x:%s", i%256, id),
		CommonName:                  id + ".example.com",
		SubjectAlternativeNames:     []string{"www." + id + ".example.com", id + ".example.com", "*." + id + ".example.net"},
		EncryptionAlgorithm:         "RSA",
		EncryptionKeyLength:         2048,
		CreateTime:                  t0.Add(time.Duration(i) * time.Minute),
		ExpireTime:                  t0.AddDate(1, 0, i),
		AliCloudCertificateID:       "cas-" + id,
		AliCloudCertificateName:     "cas-name-" + id,
		AliCloudCertificateRegionID: "cn-hangzhou",
		IsAliCloudCertificate:       true,
		StandardType:                "cn",
		CertificatePEM:              "-----BEGIN CERTIFICATE-----\nMIIB" + id + "\n-----END CERTIFICATE-----\n",
		SealedPrivateKey:            key,
		Tags:                        []slbcert.Tag{{Key: "env", Value: "prod"}, {Key: "app", Value: id}},
	}
}

// caCert returns a CA certificate (no key, no SANs, no tags) of account in
// region, created i minutes after t0.
func caCert(id string, i int) *slb.Certificate {
	c := serverCert(id, i)
	c.Kind = slb.KindCA
	c.EncryptionAlgorithm = "ECC"
	c.EncryptionKeyLength = 256
	c.AliCloudCertificateID, c.AliCloudCertificateName, c.AliCloudCertificateRegionID = "", "", ""
	c.IsAliCloudCertificate = false
	c.StandardType = ""
	c.SubjectAlternativeNames = nil
	c.SealedPrivateKey = nil
	c.Tags = nil
	return c
}

// clone returns a deep copy of c, so that a test's expectation cannot be
// changed by a store that keeps references.
func clone(c *slb.Certificate) *slb.Certificate {
	d := *c
	if c.SubjectAlternativeNames != nil {
		d.SubjectAlternativeNames = append([]string{}, c.SubjectAlternativeNames...)
	}
	if c.SealedPrivateKey != nil {
		d.SealedPrivateKey = append([]byte{}, c.SealedPrivateKey...)
	}
	if c.Tags != nil {
		d.Tags = append([]slbcert.Tag{}, c.Tags...)
	}
	return &d
}

// stored returns what a store must hand back for c.
func stored(c *slb.Certificate) *slb.Certificate {
	d := clone(c)
	d.CreateTime = c.CreateTime.Truncate(time.Millisecond).UTC()
	d.ExpireTime = c.ExpireTime.Truncate(time.Millisecond).UTC()
	if d.SubjectAlternativeNames == nil {
		d.SubjectAlternativeNames = []string{}
	}
	if d.Tags == nil {
		d.Tags = []slbcert.Tag{}
	}
	return d
}

func create(t *testing.T, s slb.CertificateStore, cs ...*slb.Certificate) {
	t.Helper()
	for _, c := range cs {
		if err := s.CreateCertificate(context.Background(), clone(c), noLimit); err != nil {
			t.Fatalf("CreateCertificate(%s): %v", c.ID, err)
		}
	}
}

func find(t *testing.T, s slb.CertificateStore, f slb.CertificateFilter) []*slb.Certificate {
	t.Helper()
	got, err := s.FindCertificates(context.Background(), f)
	if err != nil {
		t.Fatalf("FindCertificates(%+v): %v", f, err)
	}
	if got == nil {
		t.Fatalf("FindCertificates(%+v) = nil, want a non-nil slice", f)
	}
	return got
}

// all returns every certificate of account in region.
func all(t *testing.T, s slb.CertificateStore) []*slb.Certificate {
	t.Helper()
	return find(t, s, slb.CertificateFilter{AccountID: account, RegionID: region})
}

// get returns the certificate id of account in region, or nil.
func get(t *testing.T, s slb.CertificateStore, id string) *slb.Certificate {
	t.Helper()
	got := find(t, s, slb.CertificateFilter{AccountID: account, RegionID: region, IDs: []string{id}})
	switch len(got) {
	case 0:
		return nil
	case 1:
		return got[0]
	}
	t.Fatalf("FindCertificates(IDs: [%s]) returned %d certificates", id, len(got))
	return nil
}

// mustGet is get for a certificate that has to exist.
func mustGet(t *testing.T, s slb.CertificateStore, id string) *slb.Certificate {
	t.Helper()
	c := get(t, s, id)
	if c == nil {
		t.Fatalf("certificate %s not found", id)
	}
	return c
}

func ids(cs []*slb.Certificate) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func wantIDs(t *testing.T, what string, got []*slb.Certificate, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if g := ids(got); !reflect.DeepEqual(g, want) {
		t.Errorf("%s: got IDs %q, want %q", what, g, want)
	}
}

// wantCert reports every field in which got differs from stored(want).
func wantCert(t *testing.T, got, want *slb.Certificate) {
	t.Helper()
	if got == nil {
		t.Fatalf("certificate %s: got nil", want.ID)
	}
	w := stored(want)
	g := clone(got)
	for _, tm := range []struct {
		name      string
		got, want time.Time
	}{{"CreateTime", g.CreateTime, w.CreateTime}, {"ExpireTime", g.ExpireTime, w.ExpireTime}} {
		if !tm.got.Equal(tm.want) {
			t.Errorf("certificate %s: %s = %v, want %v", want.ID, tm.name, tm.got, tm.want)
		}
		if tm.got.Location() != time.UTC {
			t.Errorf("certificate %s: %s in %v, want UTC", want.ID, tm.name, tm.got.Location())
		}
	}
	g.CreateTime, g.ExpireTime, w.CreateTime, w.ExpireTime = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	gv, wv := reflect.ValueOf(g).Elem(), reflect.ValueOf(w).Elem()
	for i := 0; i < gv.NumField(); i++ {
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			t.Errorf("certificate %s: %s = %#v, want %#v", want.ID, gv.Type().Field(i).Name,
				gv.Field(i).Interface(), wv.Field(i).Interface())
		}
	}
}

func wantTags(t *testing.T, s slb.CertificateStore, id string, want ...slbcert.Tag) {
	t.Helper()
	if want == nil {
		want = []slbcert.Tag{}
	}
	got := mustGet(t, s, id).Tags
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tags of %s = %v, want %v", id, got, want)
	}
}

func tags(kv ...string) []slbcert.Tag {
	out := []slbcert.Tag{}
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, slbcert.Tag{Key: kv[i], Value: kv[i+1]})
	}
	return out
}
