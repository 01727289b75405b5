package slb_test

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"slbcert"
	"slbcert/certs"
	"slbcert/internal/testpki"
	"slbcert/keyring"
	"slbcert/region"
	"slbcert/slb"
	"slbcert/sqlite"
)

func newService(t *testing.T) (*slb.Service, *keyring.Keyring) {
	t.Helper()
	store, err := sqlite.Open(context.Background(), t.TempDir()+"/test.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	key := make([]byte, keyring.KeySize)
	rand.Read(key)
	ring, err := keyring.New(key)
	if err != nil {
		t.Fatal(err)
	}
	return slb.New(store, region.Default(), ring), ring
}

func principal(id string, edit ...func(*slbcert.Account)) *slbcert.Principal {
	a := &slbcert.Account{ID: id}
	for _, e := range edit {
		e(a)
	}
	return &slbcert.Principal{Account: a, AccessKeyID: "LTAI" + id}
}

func code(err error) string { return slbcert.ErrorCode(err) }

var pair = testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "svc.example.com", DNSNames: []string{"svc.example.com"}})

func upload(region string) slb.UploadServerCertificateInput {
	return slb.UploadServerCertificateInput{RegionID: region, ServerCertificate: pair.ChainPEM, PrivateKey: pair.KeyPEM}
}

func TestUnauthorizedRegion(t *testing.T) {
	svc, _ := newService(t)
	p := principal("1000000000000002", func(a *slbcert.Account) { a.AuthorizedRegions = []string{"cn-shanghai"} })
	ctx := context.Background()
	if _, err := svc.UploadServerCertificate(ctx, p, upload("cn-hangzhou")); code(err) != slbcert.EUnauthorizedRegion {
		t.Fatalf("upload outside authorized regions: %v", err)
	}
	// An unknown region is reported as unknown, not as unauthorized.
	if _, err := svc.UploadServerCertificate(ctx, p, upload("xx-nowhere-1")); code(err) != slbcert.ERegionNotFound {
		t.Fatalf("unknown region: %v", err)
	}
	if _, err := svc.DescribeServerCertificates(ctx, p, slb.DescribeServerCertificatesInput{RegionID: "cn-hangzhou"}); code(err) != slbcert.EUnauthorizedRegion {
		t.Fatalf("describe outside authorized regions: %v", err)
	}
	if _, err := svc.UploadServerCertificate(ctx, p, upload("cn-shanghai")); err != nil {
		t.Fatal(err)
	}
}

func TestAccountQuotaAndIsolation(t *testing.T) {
	svc, ring := newService(t)
	ctx := context.Background()
	a := principal("1000000000000002", func(a *slbcert.Account) { a.Quotas = map[string]int{slb.QuotaServerCertificates: 2} })
	b := principal("1000000000000003")
	var ids []string
	for i := 0; i < 2; i++ {
		c, err := svc.UploadServerCertificate(ctx, a, upload("cn-hangzhou"))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
		if !strings.HasPrefix(c.ID, "1000000000000002_") {
			t.Errorf("id %q does not start with the owner's account id", c.ID)
		}
		// The stored key is sealed to this record and opens to the upload.
		plain, err := ring.Open(c.SealedPrivateKey, keyring.AAD(a.Account.ID, c.ID))
		if err != nil || strings.TrimSpace(string(plain)) != strings.TrimSpace(pair.KeyPEM) {
			t.Fatalf("sealed key: %v", err)
		}
	}
	if _, err := svc.UploadServerCertificate(ctx, a, upload("cn-hangzhou")); code(err) != slbcert.EOverQuota {
		t.Fatalf("third upload: %v", err)
	}
	// Another account neither sees nor counts a's certificates.
	if _, err := svc.UploadServerCertificate(ctx, b, upload("cn-hangzhou")); err != nil {
		t.Fatal(err)
	}
	got, err := svc.DescribeServerCertificates(ctx, b, slb.DescribeServerCertificatesInput{RegionID: "cn-hangzhou", ServerCertificateID: ids[0]})
	if err != nil || len(got) != 0 {
		t.Fatalf("b sees a's certificate: %v %v", got, err)
	}
	got, err = svc.DescribeServerCertificates(ctx, a, slb.DescribeServerCertificatesInput{RegionID: "cn-hangzhou", ServerCertificateID: ids[0] + "," + ids[1]})
	if err != nil || len(got) != 2 {
		t.Fatalf("a describes %d of its 2 by id list: %v", len(got), err)
	}
}

func TestDescribeResourceGroup(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	p := principal("1000000000000002")
	in := upload("cn-hangzhou")
	in.ResourceGroupID = "rg-blue"
	c, err := svc.UploadServerCertificate(ctx, p, in)
	if err != nil {
		t.Fatal(err)
	}
	other, err := svc.UploadServerCertificate(ctx, p, upload("cn-hangzhou"))
	if err != nil {
		t.Fatal(err)
	}
	if other.ResourceGroupID != slbcert.DefaultResourceGroupID(p.Account.ID) {
		t.Errorf("default group %q", other.ResourceGroupID)
	}
	for _, tc := range []struct {
		name, id, group string
		want            int
		code            string
	}{
		{"ok/group filter", "", "rg-blue", 1, ""},
		{"ok/id in its group", c.ID, "rg-blue", 1, ""},
		{"ok/unknown id", "1000000000000002_1_1_1", "rg-blue", 0, ""},
		{"error/id in another group", other.ID, "rg-blue", 0, slb.EServerCertRGMismatch},
		{"error/malformed group", "", "blue", 0, slbcert.EInvalidResourceGroupID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := svc.DescribeServerCertificates(ctx, p, slb.DescribeServerCertificatesInput{RegionID: "cn-hangzhou", ServerCertificateID: tc.id, ResourceGroupID: tc.group})
			if code(err) != tc.code || len(got) != tc.want {
				t.Fatalf("got %d, %v; want %d, %q", len(got), err, tc.want, tc.code)
			}
		})
	}
}

func TestNamesAndTags(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	p := principal("1000000000000002")
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"a", true}, {"证书-1.prod_x", true}, {"Z" + strings.Repeat("9", 79), true},
		{"Z" + strings.Repeat("9", 80), false}, {"_x", false}, {"-x", false}, {"x y", false}, {"x/y", false}, {"1x", false},
	} {
		in := upload("cn-hangzhou")
		in.ServerCertificateName = tc.name
		_, err := svc.UploadServerCertificate(ctx, p, in)
		if (err == nil) != tc.ok || (err != nil && code(err) != slb.EInvalidServerCertName) {
			t.Errorf("name %q: %v", tc.name, err)
		}
	}
	// A key given twice keeps its first position and its last value.
	in := upload("cn-hangzhou")
	in.Tags = []slbcert.Tag{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}, {Key: "a", Value: "3"}}
	c, err := svc.UploadServerCertificate(ctx, p, in)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := svc.DescribeServerCertificates(ctx, p, slb.DescribeServerCertificatesInput{RegionID: "cn-hangzhou", ServerCertificateID: c.ID})
	if len(got) != 1 || len(got[0].Tags) != 2 || got[0].Tags[0] != (slbcert.Tag{Key: "a", Value: "3"}) {
		t.Fatalf("tags %+v", got)
	}
	// Filtering by tags: every pair must match.
	for _, tc := range []struct {
		tags []slbcert.Tag
		want int
	}{
		{[]slbcert.Tag{{Key: "a", Value: "3"}}, 1},
		{[]slbcert.Tag{{Key: "a", Value: "3"}, {Key: "b", Value: "2"}}, 1},
		{[]slbcert.Tag{{Key: "a", Value: "3"}, {Key: "b", Value: "x"}}, 0},
	} {
		got, err := svc.DescribeServerCertificates(ctx, p, slb.DescribeServerCertificatesInput{RegionID: "cn-hangzhou", Tags: tc.tags})
		if err != nil || len(got) != tc.want {
			t.Errorf("tags %v: %d, %v", tc.tags, len(got), err)
		}
	}
}

// TestExpiry: expired certificates are accepted, unless the region refuses
// them; the service judges expiry by its injected clock, for server and CA
// certificates alike.
func TestExpiry(t *testing.T) {
	svc, _ := newService(t)
	strict, err := region.New([]region.Region{
		{ID: "cn-hangzhou", ServerCertificates: true},
		{ID: "lab-strict-1", ServerCertificates: true, RejectExpired: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	svc.Regions = strict
	ctx := context.Background()
	p := principal("1000000000000002")
	root := testpki.NewRoot("svc root", testpki.Key("p256"))
	ca := func(region string) slb.UploadCACertificateInput {
		return slb.UploadCACertificateInput{RegionID: region, CACertificate: testpki.ChainPEM(root.Cert)}
	}
	for _, tc := range []struct {
		name   string
		now    time.Time
		region string
		server string // code of the server upload, "" for success
		caCode string // code of the CA upload
	}{
		{"ok/valid where expired ones are refused", time.Now(), "lab-strict-1", "", ""},
		{"ok/expired by default", root.Cert.NotAfter.Add(time.Second), "cn-hangzhou", "", ""},
		{"ok/last second where expired ones are refused", pair.Leaf.NotAfter, "lab-strict-1", "", ""},
		{"error/server expired where refused", pair.Leaf.NotAfter.Add(time.Second), "lab-strict-1", certs.EIllegalServerCertificate, ""},
		{"error/both expired where refused", root.Cert.NotAfter.Add(time.Second), "lab-strict-1", certs.EIllegalServerCertificate, certs.EIllegalCACertificate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc.Now = func() time.Time { return tc.now }
			c, err := svc.UploadServerCertificate(ctx, p, upload(tc.region))
			if code(err) != tc.server {
				t.Fatalf("server upload: %v, want %q", err, tc.server)
			}
			if err == nil && !c.ExpireTime.Equal(pair.Leaf.NotAfter) {
				t.Errorf("ExpireTime %v, want NotAfter %v", c.ExpireTime, pair.Leaf.NotAfter)
			}
			var e *slbcert.Error
			if err != nil && !errors.As(err, &e) {
				t.Fatal("not an API error")
			}
			c, err = svc.UploadCACertificate(ctx, p, ca(tc.region))
			if code(err) != tc.caCode {
				t.Fatalf("CA upload: %v, want %q", err, tc.caCode)
			}
			if err == nil && !c.ExpireTime.Equal(root.Cert.NotAfter) {
				t.Errorf("CA ExpireTime %v, want NotAfter %v", c.ExpireTime, root.Cert.NotAfter)
			}
		})
	}
}
