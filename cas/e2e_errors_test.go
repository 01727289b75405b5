package cas_test

import (
	"encoding/pem"
	"fmt"
	"strings"
	"testing"
	"time"

	cassvc "slbcert/cas"
	"slbcert/internal/e2e"
)

// TestCatalogUploadErrors drives every refusal of UploadUserCertificate
// through the SDK and checks its code, status and that nothing was stored.
func TestCatalogUploadErrors(t *testing.T) {
	s := e2e.Start(t)
	c := s.CASClient(t)
	pki := e2e.NewCatalogPKI(t, "rsa2048", "err.example.com", []string{"err.example.com"}, time.Time{}, time.Time{})
	other := e2e.NewCatalogPKI(t, "rsa2048", "other.example.com", nil, time.Time{}, time.Time{})
	e2e.UploadUserCertificate(t, c, "taken", pki.CertPEM, pki.KeyPEM)

	encrypted := string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte("whatever, detection is by type")}))
	base := func() map[string]string {
		return map[string]string{"Name": "fresh", "Cert": pki.CertPEM, "Key": pki.KeyPEM}
	}
	with := func(edit func(map[string]string)) map[string]string {
		p := base()
		edit(p)
		return p
	}
	tags := func(n int) func(map[string]string) {
		return func(p map[string]string) {
			for i := 1; i <= n; i++ {
				p[fmt.Sprintf("Tags.%d.Key", i)] = fmt.Sprint("k", i)
				p[fmt.Sprintf("Tags.%d.Value", i)] = "v"
			}
		}
	}
	for _, tc := range []struct {
		name   string
		params map[string]string
		code   string
		msg    string
	}{
		{"error/name missing", with(func(p map[string]string) { delete(p, "Name") }), "MissingParameter", "Name"},
		{"error/name empty", with(func(p map[string]string) { p["Name"] = "" }), "MissingParameter", "Name"},
		{"error/name over 64 characters", with(func(p map[string]string) { p["Name"] = strings.Repeat("名", 65) }), "InvalidParameter", "Name"},
		{"error/name taken", with(func(p map[string]string) { p["Name"] = "taken" }), "InvalidParameter.Name", "The certificate name already exists."},
		{"error/nothing to upload", with(func(p map[string]string) { delete(p, "Cert"); delete(p, "Key") }), "MissingParameter", "Cert"},
		{"error/cert without key", with(func(p map[string]string) { delete(p, "Key") }), "MissingParameter", "Key"},
		{"error/key without cert", with(func(p map[string]string) { delete(p, "Cert") }), "MissingParameter", "Cert"},
		{"error/half an SM set", with(func(p map[string]string) {
			delete(p, "Cert")
			delete(p, "Key")
			p["EncryptCert"], p["SignCert"] = "x", "y"
		}), "MissingParameter", "EncryptPrivateKey"},
		{"error/an SM set alone", with(func(p map[string]string) {
			delete(p, "Cert")
			delete(p, "Key")
			p["EncryptCert"], p["EncryptPrivateKey"], p["SignCert"], p["SignPrivateKey"] = "a", "b", "c", "d"
		}), "InvalidParameter", "SM2"},
		{"error/cert not PEM", with(func(p map[string]string) { p["Cert"] = "hello" }), "CertificateFormatInvalid", "Cert"},
		{"error/cert a key", with(func(p map[string]string) { p["Cert"] = pki.KeyPEM }), "CertificateFormatInvalid", "Cert"},
		{"error/cert over 64 KiB", with(func(p map[string]string) { p["Cert"] = pki.CertPEM + strings.Repeat(" ", 64<<10) }), "InvalidParameter", "too large"},
		{"error/key encrypted", with(func(p map[string]string) { p["Key"] = encrypted }), "PrivateKeyEncryption", "Key"},
		{"error/key garbage", with(func(p map[string]string) {
			p["Key"] = "-----BEGIN PRIVATE KEY-----\nZ2FyYmFnZQ==\n-----END PRIVATE KEY-----\n"
		}), "InvalidParameter", "Key"},
		{"error/key of another certificate", with(func(p map[string]string) { p["Key"] = other.KeyPEM }), "InvalidParameter", "The certificate and private key do not match."},
		{"error/an SM field over 64 KiB", with(func(p map[string]string) { p["SignCert"] = strings.Repeat("x", 64<<10+1) }), "InvalidParameter", "SignCert"},
		{"error/resource group malformed", with(func(p map[string]string) { p["ResourceGroupId"] = "group-1" }), "InvalidParameter.ResourceGroupId", "ResourceGroupId"},
		{"error/tag value without key", with(func(p map[string]string) { p["Tags.1.Value"] = "v" }), "MissingParam.TagKey", "Tags.N.Key"},
		{"error/tag key reserved", with(func(p map[string]string) { p["Tags.1.Key"], p["Tags.1.Value"] = "aliyun:x", "v" }), "InvalidParam.TagKey", "aliyun"},
		{"error/tag value with a URL", with(func(p map[string]string) { p["Tags.1.Key"], p["Tags.1.Value"] = "k", "see https://x" }), "InvalidParam.TagValue", "https"},
		{"error/21 tags", with(tags(21)), "SizeLimitExceeded.Tag", "20"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CASCall(t, c, cassvc.Version, "UploadUserCertificate", tc.params)
			se := e2e.ServerError(t, err, tc.code, 400)
			if !strings.Contains(se.Message(), tc.msg) {
				t.Errorf("message %q, want it to contain %q", se.Message(), tc.msg)
			}
			if se.HostId() != "cas.aliyuncs.com" || !strings.Contains(se.Recommend(), "product=Cas") {
				t.Errorf("HostId %q, Recommend %q", se.HostId(), se.Recommend())
			}
		})
	}
	if l := listOrders(t, c, nil); l.TotalCount != 1 {
		t.Errorf("refused uploads stored something: %d entries", l.TotalCount)
	}
	// 20 tags are fine, the key of a PKCS#8 key is its own business.
	if _, err := s.CASCall(t, c, cassvc.Version, "UploadUserCertificate", with(tags(20))); err != nil {
		t.Errorf("20 tags: %v", err)
	}
}

// TestCatalogQuota: the IAM file's catalogCertificates caps an account's
// catalog, all regions together; a delete frees a place.
func TestCatalogQuota(t *testing.T) {
	s, _ := e2e.StartWithIAM(t, `{"accounts": [{"id": "1000000000000002",
		"accessKeys": [{"id": "AKQ", "secret": "q"}], "quotas": {"catalogCertificates": 2}}]}`)
	c := s.CASClient(t, "AKQ", "q")
	pki := e2e.NewCatalogPKI(t, "p256", "quota.example.com", nil, time.Time{}, time.Time{})
	first := e2e.UploadUserCertificate(t, c, "one", pki.CertPEM, pki.KeyPEM)
	e2e.UploadUserCertificate(t, c, "two", pki.CertPEM, pki.KeyPEM)
	_, err := s.CASCall(t, c, cassvc.Version, "UploadUserCertificate", map[string]string{"Name": "three", "Cert": pki.CertPEM, "Key": pki.KeyPEM})
	se := e2e.ServerError(t, err, "OverQuota", 400)
	if !strings.Contains(se.Message(), "2 certificates") {
		t.Errorf("message %q", se.Message())
	}
	// The default account is not limited by it.
	root := s.CASClient(t)
	for i := 0; i < 3; i++ {
		e2e.UploadUserCertificate(t, root, fmt.Sprint("root-", i), pki.CertPEM, pki.KeyPEM)
	}
	if _, err := s.CASCall(t, c, cassvc.Version, "DeleteUserCertificate", map[string]string{"CertId": fmt.Sprint(first)}); err != nil {
		t.Fatal(err)
	}
	e2e.UploadUserCertificate(t, c, "three", pki.CertPEM, pki.KeyPEM)
}

// TestCatalogOtherErrors covers the other operations' refusals, and the
// gateway's routing between versions.
func TestCatalogOtherErrors(t *testing.T) {
	s := e2e.Start(t)
	c := s.CASClient(t)
	pki := e2e.NewCatalogPKI(t, "rsa2048", "x.example.com", nil, time.Time{}, time.Time{})
	id := fmt.Sprint(e2e.UploadUserCertificate(t, c, "x", pki.CertPEM, pki.KeyPEM))
	e2e.UploadUserCertificate(t, c, "y", pki.CertPEM, pki.KeyPEM)

	for _, tc := range []struct {
		name, version, action string
		params                map[string]string
		code                  string
		status                int
	}{
		{"error/detail without CertId", cassvc.Version, "GetUserCertificateDetail", nil, "MissingParameter", 400},
		{"error/detail of a non-numeric CertId", cassvc.Version, "GetUserCertificateDetail", map[string]string{"CertId": "abc"}, "InvalidParameter", 400},
		{"error/detail of an unknown CertId", cassvc.Version, "GetUserCertificateDetail", map[string]string{"CertId": "99999999"}, "NotFound", 404},
		{"error/detail of CertId 0", cassvc.Version, "GetUserCertificateDetail", map[string]string{"CertId": "0"}, "NotFound", 404},
		{"error/detail with CertFilter neither true nor false", cassvc.Version, "GetUserCertificateDetail", map[string]string{"CertId": id, "CertFilter": "yes"}, "InvalidParameter", 400},
		{"error/delete without CertId", cassvc.Version, "DeleteUserCertificate", nil, "MissingParameter", 400},
		{"error/delete of a non-numeric CertId", cassvc.Version, "DeleteUserCertificate", map[string]string{"CertId": id + "x"}, "InvalidParameter", 400},
		{"error/delete of an unknown CertId", cassvc.Version, "DeleteUserCertificate", map[string]string{"CertId": "12"}, "NotFound", 404},
		{"error/list of an unknown OrderType", cassvc.Version, "ListUserCertificateOrder", map[string]string{"OrderType": "GIFT"}, "InvalidParameter", 400},
		{"error/list of an unknown Status", cassvc.Version, "ListUserCertificateOrder", map[string]string{"OrderType": "CERT", "Status": "LOST"}, "InvalidParameter", 400},
		{"error/list with ShowSize 0", cassvc.Version, "ListUserCertificateOrder", map[string]string{"ShowSize": "0"}, "InvalidParameter", 400},
		{"error/list with a non-numeric CurrentPage", cassvc.Version, "ListUserCertificateOrder", map[string]string{"CurrentPage": "one"}, "InvalidParameter", 400},
		{"error/list with a malformed group", cassvc.Version, "ListUserCertificateOrder", map[string]string{"ResourceGroupId": "RG"}, "InvalidParameter.ResourceGroupId", 400},
		{"error/rename without CertificateId", cassvc.RenameVersion, "CreateCertificateName", map[string]string{"Name": "z"}, "MissingParameter", 400},
		{"error/rename with nothing to change", cassvc.RenameVersion, "CreateCertificateName", map[string]string{"CertificateId": id}, "MissingParameter", 400},
		{"error/rename of an unknown entry", cassvc.RenameVersion, "CreateCertificateName", map[string]string{"CertificateId": "10", "Name": "z"}, "NotFound", 404},
		{"error/rename to a taken name", cassvc.RenameVersion, "CreateCertificateName", map[string]string{"CertificateId": id, "Name": "y"}, "InvalidParameter.Name", 400},
		{"error/rename to a long name", cassvc.RenameVersion, "CreateCertificateName", map[string]string{"CertificateId": id, "Name": strings.Repeat("n", 129)}, "InvalidParameter", 400},
		{"error/retag with a reserved key", cassvc.RenameVersion, "CreateCertificateName", map[string]string{"CertificateId": id, "Tags.1.Key": "acs:x", "Tags.1.Value": "v"}, "InvalidParam.TagKey", 400},
		{"error/move to a malformed group", cassvc.RenameVersion, "CreateCertificateName", map[string]string{"CertificateId": id, "ResourceGroupId": "x"}, "InvalidParameter.ResourceGroupId", 400},
		{"error/a version no product serves", "2019-01-01", "GetUserCertificateDetail", map[string]string{"CertId": id}, "InvalidVersion", 400},
		{"error/an action of another CAS version", cassvc.Version, "CreateCertificateName", map[string]string{"CertificateId": id, "Name": "z"}, "InvalidAction.NotFound", 404},
		{"error/an action CAS does not have", cassvc.Version, "DescribeServerCertificates", nil, "InvalidAction.NotFound", 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CASCall(t, c, tc.version, tc.action, tc.params)
			e2e.ServerError(t, err, tc.code, tc.status)
		})
	}
	if d := e2e.GetUserCertificateDetail(t, c, mustInt(t, id), true); d.Name != "x" {
		t.Errorf("refused renames changed the name to %q", d.Name)
	}
}

// TestCatalogErrorBodies: an error body always carries a non-empty string
// Code (Terraform treats an empty one as "not found"), in the gateway's
// envelope, also for Terraform's form-body requests.
func TestCatalogErrorBodies(t *testing.T) {
	s := e2e.Start(t)
	for _, tc := range []struct {
		version, action string
		body            map[string]string
		code            string
		status          int
	}{
		{cassvc.Version, "GetUserCertificateDetail", map[string]string{"CertId": "5"}, "NotFound", 404},
		{cassvc.Version, "DeleteUserCertificate", map[string]string{"CertId": "x"}, "InvalidParameter", 400},
		{cassvc.Version, "UploadUserCertificate", map[string]string{"Name": "n"}, "MissingParameter", 400},
		{cassvc.RenameVersion, "CreateCertificateName", map[string]string{"CertificateId": "5", "Name": "n"}, "NotFound", 404},
	} {
		body := e2e.CheckErrorBody(t, teaRPC(t, s, tc.version, tc.action, tc.body), tc.code, tc.status)
		if body["HostId"] != "cas.aliyuncs.com" {
			t.Errorf("%s: HostId %v", tc.action, body["HostId"])
		}
	}
}

func mustInt(t testing.TB, s string) int64 {
	t.Helper()
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}
