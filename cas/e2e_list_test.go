package cas_test

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cas"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
)

// TestCatalogListing: expired entries hidden unless asked for, the
// WILLEXPIRED window, paging newest first, Keyword and ResourceGroupId.
func TestCatalogListing(t *testing.T) {
	s := e2e.Start(t)
	c := s.CASClient(t)
	now := time.Now()
	var valid []int64 // newest first, as listed
	for i := 0; i < 5; i++ {
		p := e2e.NewCatalogPKI(t, "p256", fmt.Sprintf("site%d.example.com", i), []string{fmt.Sprintf("site%d.example.com", i), fmt.Sprintf("alt%d.example.net", i)}, time.Time{}, time.Time{})
		valid = append([]int64{e2e.UploadUserCertificate(t, c, fmt.Sprint("valid-", i), p.CertPEM, p.KeyPEM)}, valid...)
	}
	old := e2e.NewCatalogPKI(t, "p256", "old.example.com", nil, now.AddDate(-2, 0, 0), now.AddDate(-1, 0, 0))
	expired := e2e.UploadUserCertificate(t, c, "expired", old.CertPEM, old.KeyPEM)
	soon := e2e.NewCatalogPKI(t, "p256", "soon.example.com", nil, time.Time{}, now.Add(10*24*time.Hour))
	expiring := e2e.UploadUserCertificate(t, c, "expiring", soon.CertPEM, soon.KeyPEM)

	ids := func(l *cas.ListUserCertificateOrderResponse) []int64 {
		out := []int64{}
		for _, it := range l.CertificateOrderList {
			out = append(out, it.CertificateId)
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		edit   func(*cas.ListUserCertificateOrderRequest)
		want   []int64
		total  int64
		expire bool
	}{
		{"ok/valid ones by default", nil, append([]int64{expiring}, valid...), 6, false},
		{"ok/expired ones asked for", func(r *cas.ListUserCertificateOrderRequest) { r.Status = "EXPIRED" }, []int64{expired}, 1, true},
		{"ok/will expire within 30 days", func(r *cas.ListUserCertificateOrderRequest) { r.Status = "WILLEXPIRED" }, []int64{expiring}, 1, false},
		{"ok/issued, valid beyond 30 days", func(r *cas.ListUserCertificateOrderRequest) { r.Status = "issued" }, valid, 5, false},
		{"ok/a purchase status", func(r *cas.ListUserCertificateOrderRequest) { r.Status = "PAYED" }, []int64{}, 0, false},
		{"ok/keyword in a SAN", func(r *cas.ListUserCertificateOrderRequest) { r.Keyword = "ALT3.example" }, []int64{valid[1]}, 1, false},
		{"ok/keyword is not the name", func(r *cas.ListUserCertificateOrderRequest) { r.Keyword = "valid-3" }, []int64{}, 0, false},
		{"ok/keyword and status", func(r *cas.ListUserCertificateOrderRequest) { r.Keyword, r.Status = "old.", "EXPIRED" }, []int64{expired}, 1, true},
		{"ok/page 2 of 2-entry pages", func(r *cas.ListUserCertificateOrderRequest) { r.ShowSize, r.CurrentPage = "2", "2" }, valid[1:3], 6, false},
		{"ok/the last, short page", func(r *cas.ListUserCertificateOrderRequest) { r.ShowSize, r.CurrentPage = "4", "2" }, valid[3:], 6, false},
		{"ok/past the end", func(r *cas.ListUserCertificateOrderRequest) { r.ShowSize, r.CurrentPage = "4", "9" }, []int64{}, 6, false},
		{"ok/a page number past any catalog", func(r *cas.ListUserCertificateOrderRequest) {
			r.ShowSize, r.CurrentPage = "1000", "9223372036854775807"
		}, []int64{}, 6, false},
		{"ok/another resource group", func(r *cas.ListUserCertificateOrderRequest) { r.ResourceGroupId = "rg-acfmother" }, []int64{}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := listOrders(t, c, tc.edit)
			if got := ids(l); !reflect.DeepEqual(got, tc.want) || l.TotalCount != tc.total {
				t.Fatalf("ids %v (total %d), want %v (total %d)", got, l.TotalCount, tc.want, tc.total)
			}
			for _, it := range l.CertificateOrderList {
				if it.Expired != tc.expire {
					t.Errorf("%d: Expired %v", it.CertificateId, it.Expired)
				}
			}
		})
	}

	// Paging as Terraform's data source does, until a short page.
	var all []int64
	for page := 1; ; page++ {
		l := listOrders(t, c, func(r *cas.ListUserCertificateOrderRequest) {
			r.ShowSize, r.CurrentPage = "2", requests.Integer(fmt.Sprint(page))
		})
		if l.CurrentPage != int64(page) || l.ShowSize != 2 {
			t.Fatalf("page %d answers CurrentPage %d, ShowSize %d", page, l.CurrentPage, l.ShowSize)
		}
		all = append(all, ids(l)...)
		if len(l.CertificateOrderList) < 2 {
			break
		}
	}
	if want := append([]int64{expiring}, valid...); !reflect.DeepEqual(all, want) {
		t.Errorf("paged %v, want %v", all, want)
	}
	if d := e2e.GetUserCertificateDetail(t, c, expired, true); !d.Expired || d.EndDate != siteDate(old.Leaf.NotAfter) {
		t.Errorf("expired entry's detail %+v", d)
	}
}

// TestCatalogKeyForms: a key is parsed whatever its label says and
// returned exactly as uploaded.
func TestCatalogKeyForms(t *testing.T) {
	s := e2e.Start(t)
	c := s.CASClient(t)
	rsaPKI := e2e.NewCatalogPKI(t, "rsa2048", "rsa.example.com", nil, time.Time{}, time.Time{})
	ecPKI := e2e.NewCatalogPKI(t, "p384", "ec.example.com", nil, time.Time{}, time.Time{})
	sec1, err := x509.MarshalECPrivateKey(ecPKI.Key.(*ecdsa.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	block := func(typ string, der []byte) string {
		return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
	}
	for _, tc := range []struct {
		name, cert, key string
	}{
		{"ok/pkcs1", rsaPKI.CertPEM, testpki.PKCS1PEM(rsaPKI.Key.(*rsa.PrivateKey))},
		{"ok/pkcs1 under PRIVATE KEY, as Terraform's test", rsaPKI.CertPEM, e2e.PKCS1UnderPrivateKeyLabel(rsaPKI.Key)},
		{"ok/pkcs8 under RSA PRIVATE KEY", rsaPKI.CertPEM, strings.ReplaceAll(rsaPKI.KeyPEM, "PRIVATE KEY", "RSA PRIVATE KEY")},
		{"ok/sec1", ecPKI.CertPEM, block("EC PRIVATE KEY", sec1)},
		{"ok/sec1 under PRIVATE KEY", ecPKI.CertPEM, block("PRIVATE KEY", sec1)},
		{"ok/pkcs8 ec, CRLF, no final newline", strings.TrimSpace(ecPKI.CertPEM), strings.TrimSpace(strings.ReplaceAll(ecPKI.KeyPEM, "\n", "\r\n"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := e2e.UploadUserCertificate(t, c, tc.name, tc.cert, tc.key)
			if d := e2e.GetUserCertificateDetail(t, c, id, false); d.Cert != tc.cert || d.Key != tc.key {
				t.Errorf("got back\n%q\n%q", d.Cert, d.Key)
			}
		})
	}
}
