package storetest

import (
	"slbcert/cas"
	"strings"
	"testing"
	"time"
)

func testCatalogFind(t *testing.T, open catalogOpener) {
	s := open(t)
	a := userCert(t, s, "alpha", 1)
	a.CommonName, a.Sans, a.InstanceID = "shop.example.com", []string{"shop.example.com", "Pay.Example.COM"}, "cas-upload-aaaaaa"
	a.NotAfter = t0.Add(10 * 24 * time.Hour)
	b := userCert(t, s, "beta", 2)
	b.CommonName, b.Sans, b.InstanceID = "api.example.net", []string{"api.example.net"}, "cas-upload-bbbbbb"
	b.NotAfter = t0.Add(-time.Hour) // expired at t0
	b.ResourceGroupID = otherRG
	c := userCert(t, s, "gamma", 3)
	c.CommonName, c.Sans, c.InstanceID = "a%b_c.example.org", []string{}, "cas-upload-cccccc"
	c.NotAfter = t0.AddDate(1, 0, 0)
	foreign := userCert(t, s, "alpha", 4)
	foreign.AccountID, foreign.CommonName = otherAccount, "shop.example.com"
	for _, x := range []*cas.UserCertificate{a, b, c, foreign} {
		createUserCert(t, s, x)
	}

	for _, tc := range []struct {
		name  string
		f     cas.UserCertificateFilter
		want  []*cas.UserCertificate
		total int
	}{
		{"ok/all of the account, newest first", cas.UserCertificateFilter{}, []*cas.UserCertificate{c, b, a}, 3},
		{"ok/page 1 of 2", cas.UserCertificateFilter{Limit: 2}, []*cas.UserCertificate{c, b}, 3},
		{"ok/page 2 of 2", cas.UserCertificateFilter{Limit: 2, Offset: 2}, []*cas.UserCertificate{a}, 3},
		{"ok/offset past the end", cas.UserCertificateFilter{Limit: 2, Offset: 6}, nil, 3},
		{"ok/offset without limit", cas.UserCertificateFilter{Offset: 1}, []*cas.UserCertificate{b, a}, 3},
		{"ok/name exact", cas.UserCertificateFilter{Name: "beta"}, []*cas.UserCertificate{b}, 1},
		{"ok/name not a substring", cas.UserCertificateFilter{Name: "bet"}, nil, 0},
		{"ok/keyword in the common name", cas.UserCertificateFilter{Keyword: "shop"}, []*cas.UserCertificate{a}, 1},
		{"ok/keyword in a SAN, any case", cas.UserCertificateFilter{Keyword: "pay.EXAMPLE"}, []*cas.UserCertificate{a}, 1},
		{"ok/keyword in the instance id", cas.UserCertificateFilter{Keyword: "upload-bbb"}, []*cas.UserCertificate{b}, 1},
		{"ok/keyword common to several", cas.UserCertificateFilter{Keyword: "example"}, []*cas.UserCertificate{c, b, a}, 3},
		{"ok/keyword never matches the name", cas.UserCertificateFilter{Keyword: "gamma"}, nil, 0},
		{"ok/keyword percent is literal", cas.UserCertificateFilter{Keyword: "a%b"}, []*cas.UserCertificate{c}, 1},
		{"ok/keyword underscore is literal", cas.UserCertificateFilter{Keyword: "b_c"}, []*cas.UserCertificate{c}, 1},
		{"ok/keyword percent alone", cas.UserCertificateFilter{Keyword: "%"}, []*cas.UserCertificate{c}, 1},
		{"ok/keyword across two names does not match", cas.UserCertificateFilter{Keyword: "com\npay"}, nil, 0},
		{"ok/keyword longer than any name matches nothing", cas.UserCertificateFilter{Keyword: strings.Repeat("é", 70000)}, nil, 0},
		{"ok/keyword of 4096 bytes is searched", cas.UserCertificateFilter{Keyword: strings.Repeat("%", 4096)}, nil, 0},
		{"ok/resource group", cas.UserCertificateFilter{ResourceGroupID: otherRG}, []*cas.UserCertificate{b}, 1},
		{"ok/valid at t0", cas.UserCertificateFilter{NotAfterFrom: t0}, []*cas.UserCertificate{c, a}, 2},
		{"ok/expired at t0", cas.UserCertificateFilter{NotAfterBefore: t0}, []*cas.UserCertificate{b}, 1},
		{"ok/expiring within 30 days", cas.UserCertificateFilter{NotAfterFrom: t0, NotAfterBefore: t0.AddDate(0, 0, 30)}, []*cas.UserCertificate{a}, 1},
		{"ok/NotAfterFrom is inclusive", cas.UserCertificateFilter{NotAfterFrom: a.NotAfter, NotAfterBefore: a.NotAfter.Add(time.Millisecond)}, []*cas.UserCertificate{a}, 1},
		{"ok/paged and filtered", cas.UserCertificateFilter{NotAfterFrom: t0, Limit: 1, Offset: 1}, []*cas.UserCertificate{a}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.f
			f.AccountID = account
			got, total := findUserCerts(t, s, f)
			wantCatalogIDs(t, tc.name, got, tc.want...)
			if total != tc.total {
				t.Errorf("total %d, want %d", total, tc.total)
			}
		})
	}

	t.Run("ok/entries come back whole", func(t *testing.T) {
		got, _ := findUserCerts(t, s, cas.UserCertificateFilter{AccountID: account, Name: "alpha"})
		if len(got) != 1 {
			t.Fatalf("%d entries", len(got))
		}
		wantUserCert(t, got[0], a)
	})

	t.Run("ok/another account sees only its own", func(t *testing.T) {
		got, total := findUserCerts(t, s, cas.UserCertificateFilter{AccountID: otherAccount})
		wantCatalogIDs(t, "other account", got, foreign)
		if total != 1 {
			t.Errorf("total %d, want 1", total)
		}
	})

	t.Run("ok/an account with none", func(t *testing.T) {
		got, total := findUserCerts(t, s, cas.UserCertificateFilter{AccountID: "1000000000000009"})
		if len(got) != 0 || total != 0 {
			t.Errorf("got %d entries, total %d", len(got), total)
		}
	})
}
