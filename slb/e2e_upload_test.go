//go:debug rsa1024min=0
package slb_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert"
	"slbcert/certs"
	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
	"slbcert/server"
	slbsvc "slbcert/slb"
)

var idPattern = regexp.MustCompile(`^1000000000000001_([0-9a-f]+)_[0-9]+_-?[0-9]+$`)

func TestUploadServerCertificate(t *testing.T) {
	s := e2e.Start(t)
	c := s.Client(t, "cn-hangzhou")
	srv := testpki.NewServer("rsa2048", testpki.Leaf{
		CommonName: "www.example.com",
		DNSNames:   []string{"www.example.com", "api.example.com", "*.example.org"},
		NotAfter:   time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC),
	})
	req := e2e.UploadRequest("cn-hangzhou", srv.ChainPEM, srv.KeyPEM)
	req.ServerCertificateName = "web-cert_1.prod"
	req.Tag = &[]slb.UploadServerCertificateTag{{Key: "env", Value: "prod"}, {Key: "team", Value: ""}}
	before := time.Now().Truncate(time.Second)
	resp, err := c.UploadServerCertificate(req)
	if err != nil {
		t.Fatal(err)
	}
	after := time.Now()

	m := idPattern.FindStringSubmatch(resp.ServerCertificateId)
	if m == nil {
		t.Fatalf("ServerCertificateId %q has the wrong shape", resp.ServerCertificateId)
	}
	idMillis, _ := strconv.ParseInt(m[1], 16, 64)
	created, err := time.Parse("2006-01-02T15:04:05Z", resp.CreateTime)
	if err != nil {
		t.Fatalf("CreateTime %q: %v", resp.CreateTime, err)
	}
	if created.Before(before) || created.After(after) {
		t.Errorf("CreateTime %s not within [%s, %s]", created, before, after)
	}
	if resp.CreateTimeStamp != created.UnixMilli() {
		t.Errorf("CreateTimeStamp %d, want %d (CreateTime to the second)", resp.CreateTimeStamp, created.UnixMilli())
	}
	if idMillis/1000 != created.Unix() {
		t.Errorf("id time %d ms does not match CreateTime %s", idMillis, resp.CreateTime)
	}
	want := map[string][2]any{
		"ServerCertificateName":   {resp.ServerCertificateName, "web-cert_1.prod"},
		"Fingerprint":             {resp.Fingerprint, e2e.Fingerprint(srv.Leaf)},
		"CommonName":              {resp.CommonName, "www.example.com"},
		"ExpireTime":              {resp.ExpireTime, "2031-03-04T05:06:07Z"},
		"ExpireTimeStamp":         {resp.ExpireTimeStamp, time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC).UnixMilli()},
		"RegionId":                {resp.RegionId, "cn-hangzhou"},
		"RegionIdAlias":           {resp.RegionIdAlias, "cn-hangzhou"},
		"ResourceGroupId":         {resp.ResourceGroupId, slbcert.DefaultResourceGroupID("1000000000000001")},
		"AliCloudCertificateId":   {resp.AliCloudCertificateId, ""},
		"AliCloudCertificateName": {resp.AliCloudCertificateName, ""},
		"IsAliCloudCertificate":   {resp.IsAliCloudCertificate, 0},
	}
	for name, gw := range want {
		if gw[0] != gw[1] {
			t.Errorf("%s = %v, want %v", name, gw[0], gw[1])
		}
	}
	if !regexp.MustCompile(`^rg-[a-z0-9]{15}$`).MatchString(resp.ResourceGroupId) {
		t.Errorf("default resource group %q", resp.ResourceGroupId)
	}
	if !slices.Equal(resp.SubjectAlternativeNames.SubjectAlternativeName, srv.Leaf.DNSNames) {
		t.Errorf("SANs %v, want %v", resp.SubjectAlternativeNames.SubjectAlternativeName, srv.Leaf.DNSNames)
	}
	if !regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$`).MatchString(resp.RequestId) {
		t.Errorf("RequestId %q is not an uppercase UUID", resp.RequestId)
	}
	if got := resp.GetHttpHeaders()["X-Acs-Request-Id"]; len(got) != 1 || got[0] != resp.RequestId {
		t.Errorf("x-acs-request-id header %v, RequestId %s", got, resp.RequestId)
	}

	// Read it back.
	dreq := slb.CreateDescribeServerCertificatesRequest()
	dreq.Scheme = "http"
	dreq.RegionId = "cn-hangzhou"
	dreq.ServerCertificateId = resp.ServerCertificateId
	dresp, err := c.DescribeServerCertificates(dreq)
	if err != nil {
		t.Fatal(err)
	}
	list := dresp.ServerCertificates.ServerCertificate
	if len(list) != 1 {
		t.Fatalf("describe by id: %d certificates", len(list))
	}
	got := list[0]
	if got.ServerCertificateId != resp.ServerCertificateId || got.Fingerprint != resp.Fingerprint ||
		got.CreateTime != resp.CreateTime || got.CreateTimeStamp != resp.CreateTimeStamp ||
		got.ExpireTimeStamp != resp.ExpireTimeStamp || got.CommonName != resp.CommonName ||
		got.ServerCertificateName != resp.ServerCertificateName || got.ResourceGroupId != resp.ResourceGroupId ||
		got.RegionIdAlias != "cn-hangzhou" || got.EncryptionAlgorithm != "RSA" || got.EncryptionKeyLength != 2048 {
		t.Errorf("described %+v\nuploaded %+v", got, resp)
	}
	if !slices.Equal(got.SubjectAlternativeNames.SubjectAlternativeName, srv.Leaf.DNSNames) {
		t.Errorf("described SANs %v", got.SubjectAlternativeNames.SubjectAlternativeName)
	}
	wantTags := []slb.Tag{{TagKey: "env", TagValue: "prod"}, {TagKey: "team", TagValue: ""}}
	if !slices.Equal(got.Tags.Tag, wantTags) {
		t.Errorf("tags %+v, want %+v", got.Tags.Tag, wantTags)
	}

	// Other regions do not see it; an unknown id is an empty list.
	for _, tc := range []struct{ region, id string }{{"cn-shanghai", resp.ServerCertificateId}, {"cn-hangzhou", "1000000000000001_1_2_3"}} {
		dreq := slb.CreateDescribeServerCertificatesRequest()
		dreq.Scheme = "http"
		dreq.RegionId = tc.region
		dreq.ServerCertificateId = tc.id
		dresp, err := c.DescribeServerCertificates(dreq)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(dresp.ServerCertificates.ServerCertificate); n != 0 {
			t.Errorf("%s/%s: %d certificates, want none", tc.region, tc.id, n)
		}
	}
}

// TestUploadKeyTypes uploads each accepted key type and format.
func TestUploadKeyTypes(t *testing.T) {
	s := e2e.Start(t)
	for _, tc := range []struct {
		name, kind, region, algorithm string
		bits                          int
		keyPEM                        func(k any) string
	}{
		{"rsa1024 pkcs1", "rsa1024", "cn-hangzhou", "RSA", 1024, func(k any) string { return testpki.PKCS1PEM(k.(*rsa.PrivateKey)) }},
		{"rsa2048 pkcs8", "rsa2048", "cn-hangzhou", "RSA", 2048, nil},
		{"rsa4096 pkcs1", "rsa4096", "cn-beijing", "RSA", 4096, func(k any) string { return testpki.PKCS1PEM(k.(*rsa.PrivateKey)) }},
		{"p256 sec1", "p256", "eu-west-1", "ECC", 256, func(k any) string { return testpki.SEC1PEM(k.(*ecdsa.PrivateKey)) }},
		{"p384 pkcs8", "p384", "eu-west-1", "ECC", 384, nil},
		{"p521 pkcs8", "p521", "eu-west-1", "ECC", 521, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := testpki.NewServer(tc.kind, testpki.Leaf{CommonName: tc.name})
			keyPEM := srv.KeyPEM
			if tc.keyPEM != nil {
				keyPEM = tc.keyPEM(srv.Key)
			}
			c := s.Client(t, tc.region)
			resp, err := c.UploadServerCertificate(e2e.UploadRequest(tc.region, srv.ChainPEM, keyPEM))
			if err != nil {
				t.Fatal(err)
			}
			d := e2e.ServerCertificates(t, c, tc.region, resp.ServerCertificateId)
			if len(d) != 1 || d[0].EncryptionAlgorithm != tc.algorithm || d[0].EncryptionKeyLength != tc.bits {
				t.Fatalf("described %+v", d)
			}
		})
	}
}

// TestUploadErrors checks every row of docs/choices.md's table ("Certificate
// checks") through the SDK, by code and HTTP status, and that no failed call
// stores anything.
func TestUploadErrors(t *testing.T) {
	regionsFile := filepath.Join(t.TempDir(), "regions.json")
	os.WriteFile(regionsFile, []byte(`[
		{"id":"cn-hangzhou","serverCertificates":true},
		{"id":"eu-west-1","serverCertificates":true,"ecc":true},
		{"id":"lab-strict-1","serverCertificates":true,"rejectExpired":true},
		{"id":"cn-nocert-1","serverCertificates":false}]`), 0o600)
	s := e2e.Start(t, func(c *server.Config) { c.RegionsFile = regionsFile })

	good := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "good.example.com"})
	other := testpki.NewServerWithKey(testpki.NewKey("rsa2048"), testpki.Leaf{CommonName: "other.example.com"})
	expired := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "old", NotBefore: time.Now().AddDate(-2, 0, 0), NotAfter: time.Now().AddDate(-1, 0, 0)})
	rsa3072 := testpki.NewServer("rsa3072", testpki.Leaf{CommonName: "odd size"})
	p256 := testpki.NewServer("p256", testpki.Leaf{CommonName: "ecc"})

	root := testpki.NewRoot("root", testpki.Key("p256"))
	weak, _ := rsa.GenerateKey(rand.Reader, 512)
	rsa512 := testpki.ChainPEM(root.Issue(testpki.Leaf{CommonName: "weak"}, weak.Public()))
	edPub, edKey, _ := ed25519.GenerateKey(rand.Reader)
	ed := testpki.ChainPEM(root.Issue(testpki.Leaf{CommonName: "ed"}, edPub))
	p224Key, _ := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	p224 := testpki.ChainPEM(root.Issue(testpki.Leaf{CommonName: "p224"}, p224Key.Public()))

	legacyEncrypted := func() string {
		//lint:ignore SA1019 the legacy format is what users upload and we must detect
		b, err := x509.EncryptPEMBlock(rand.Reader, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(good.Key.(*rsa.PrivateKey)), []byte("pw"), x509.PEMCipherAES256)
		if err != nil {
			t.Fatal(err)
		}
		return string(pem.EncodeToMemory(b))
	}()
	pkcs8Encrypted := string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{0x30, 0x03, 0x02, 0x01, 0x00}}))
	big := strings.Repeat("A", 64<<10+1)
	tag := func(kv ...string) *[]slb.UploadServerCertificateTag {
		var tags []slb.UploadServerCertificateTag
		for i := 0; i < len(kv); i += 2 {
			tags = append(tags, slb.UploadServerCertificateTag{Key: kv[i], Value: kv[i+1]})
		}
		return &tags
	}
	manyTags := func(n int) *[]slb.UploadServerCertificateTag {
		var kv []string
		for i := 0; i < n; i++ {
			kv = append(kv, fmt.Sprintf("k%d", i), "v")
		}
		return tag(kv...)
	}

	for _, tc := range []struct {
		name    string
		region  string // client and request region
		edit    func(r *slb.UploadServerCertificateRequest)
		code    string
		status  int
		message string
	}{
		{"missing region", "", nil, "MissingParameter", 400, "RegionId"},
		{"unknown region", "xx-nowhere-1", nil, "InvalidRegionId.NotFound", 404, ""},
		{"region without server certificates", "cn-nocert-1", nil, "ServerCertificate.NotSupport", 400, ""},
		{"tag value without key", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.Tag = tag("", "v") }, "MissingParam.TagKey", 400, ""},
		{"tag key too long", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.Tag = tag(strings.Repeat("k", 65), "v") }, "InvalidParam.TagKey", 400, ""},
		{"tag key aliyun", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.Tag = tag("aliyun-x", "v") }, "InvalidParam.TagKey", 400, ""},
		{"tag key acs:", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.Tag = tag("acs:x", "v") }, "InvalidParam.TagKey", 400, ""},
		{"tag key url", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.Tag = tag("see http://x", "v") }, "InvalidParam.TagKey", 400, ""},
		{"tag value too long", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.Tag = tag("k", strings.Repeat("v", 129)) }, "InvalidParam.TagValue", 400, ""},
		{"tag value https", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.Tag = tag("k", "https://x") }, "InvalidParam.TagValue", 400, ""},
		{"21 tags", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.Tag = manyTags(21) }, "SizeLimitExceeded.Tag", 400, ""},
		{"name starts with digit", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.ServerCertificateName = "1cert" }, "InvalidParameter.ServerCertificateName", 400, ""},
		{"name too long", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.ServerCertificateName = "a" + strings.Repeat("b", 80) }, "InvalidParameter.ServerCertificateName", 400, ""},
		{"name with space", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.ServerCertificateName = "my cert" }, "InvalidParameter.ServerCertificateName", 400, ""},
		{"resource group malformed", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.ResourceGroupId = "group-1" }, "InvalidParameter.ResourceGroupId", 400, ""},
		{"resource group uppercase", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.ResourceGroupId = "rg-ABC" }, "InvalidParameter.ResourceGroupId", 400, ""},
		{"alicloud certificate unknown", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) {
			r.ServerCertificate, r.PrivateKey = "", ""
			r.AliCloudCertificateId, r.AliCloudCertificateName, r.AliCloudCertificateRegionId = "123", "cas", "cn-hangzhou"
		}, "InvalidParameter.AliCloudCertificateId", 400, ""},
		{"nothing to upload", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.ServerCertificate, r.PrivateKey = "", "" }, "MissingParameter", 400, "ServerCertificate"},
		{"key without certificate", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.ServerCertificate = "" }, "MissingParameter", 400, "ServerCertificate"},
		{"certificate without key", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.PrivateKey = "" }, "MissingParameter", 400, "PrivateKey"},
		{"certificate over 64 KiB", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.ServerCertificate = big }, "InvalidParameter", 400, ""},
		{"key over 64 KiB", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.PrivateKey = big }, "InvalidParameter", 400, ""},
		{"certificate not PEM", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.ServerCertificate = "hello" }, "CertificateFormatInvalid", 400, ""},
		{"certificate block garbage", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) {
			r.ServerCertificate = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("not der")}))
		}, "CertificateFormatInvalid", 400, ""},
		{"blank line between certificates", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) {
			r.ServerCertificate = testpki.ChainPEM(good.Leaf) + "\n" + testpki.ChainPEM(good.Intermediate)
		}, "CertificateFormatInvalid", 400, "has an empty line at line "},
		{"expired where the region refuses expired certificates", "lab-strict-1", func(r *slb.UploadServerCertificateRequest) {
			r.ServerCertificate, r.PrivateKey = expired.ChainPEM, expired.KeyPEM
		}, "IllegalParam.ServerCertificate", 400, "has expired"},
		{"chain out of order", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) {
			r.ServerCertificate = testpki.ChainPEM(good.Intermediate, good.Leaf)
		}, "IllegalParam.ServerCertificate", 400, ""},
		{"chain of strangers", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) {
			r.ServerCertificate = testpki.ChainPEM(good.Leaf, other.Intermediate)
		}, "IllegalParam.ServerCertificate", 400, ""},
		{"ed25519", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) {
			r.ServerCertificate, r.PrivateKey = ed, testpki.KeyPEM(edKey)
		}, "IllegalParam.ServerCertificate", 400, ""},
		{"rsa 512", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) {
			r.ServerCertificate, r.PrivateKey = rsa512, testpki.PKCS1PEM(weak)
		}, "OperationDenied.IllegalKeyLength", 400, ""},
		{"rsa 3072", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) {
			r.ServerCertificate, r.PrivateKey = rsa3072.ChainPEM, rsa3072.KeyPEM
		}, "OperationDenied.IllegalKeyLength", 400, ""},
		{"ecc outside eu-west-1", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) {
			r.ServerCertificate, r.PrivateKey = p256.ChainPEM, p256.KeyPEM
		}, "EccCertificateNotSupport", 400, ""},
		{"p224", "eu-west-1", func(r *slb.UploadServerCertificateRequest) {
			r.ServerCertificate, r.PrivateKey = p224, testpki.KeyPEM(p224Key)
		}, "EccCertificateNotSupport", 400, ""},
		{"key encrypted legacy", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.PrivateKey = legacyEncrypted }, "PrivateKeyEncryption", 400, ""},
		{"key encrypted pkcs8", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.PrivateKey = pkcs8Encrypted }, "PrivateKeyEncryption", 400, ""},
		{"key garbage", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) {
			r.PrivateKey = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
		}, "InvalidParameter", 400, ""},
		{"key not pem", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.PrivateKey = "secret" }, "InvalidParameter", 400, ""},
		{"key mismatch", "cn-hangzhou", func(r *slb.UploadServerCertificateRequest) { r.PrivateKey = other.KeyPEM }, "InvalidParameter", 400, certs.MsgKeyMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := e2e.UploadRequest(tc.region, good.ChainPEM, good.KeyPEM)
			if tc.edit != nil {
				tc.edit(req)
			}
			_, err := s.Client(t, tc.region).UploadServerCertificate(req)
			se := e2e.ServerError(t, err, tc.code, tc.status)
			if !strings.Contains(se.Message(), tc.message) {
				t.Errorf("message %q does not mention %q", se.Message(), tc.message)
			}
			for _, line := range strings.Split(req.PrivateKey+req.ServerCertificate, "\n") {
				if len(line) >= 16 && strings.Contains(se.Message(), line) {
					t.Errorf("message leaks PEM text: %q", se.Message())
				}
			}
		})
	}
	for _, region := range []string{"cn-hangzhou", "eu-west-1", "lab-strict-1"} {
		if n := len(e2e.ServerCertificates(t, s.Client(t, region), region, "")); n != 0 {
			t.Errorf("%s: %d certificates stored by failed uploads", region, n)
		}
	}
	keyLine := strings.Split(good.KeyPEM, "\n")[1]
	if strings.Contains(s.Log.String(), keyLine) || strings.Contains(s.Log.String(), e2e.AccessKeySecret) {
		t.Error("the log holds a private key or the AccessKeySecret")
	}
}

// TestUploadQuota fills the default quota of 100 in a region: the next
// upload is OverQuota, other regions are unaffected.
func TestUploadQuota(t *testing.T) {
	s := e2e.Start(t)
	srv := testpki.NewServer("p256", testpki.Leaf{CommonName: "quota"})
	rsaSrv := testpki.NewServer("rsa1024", testpki.Leaf{CommonName: "quota"})
	c := s.Client(t, "eu-west-1")
	for i := 0; i < slbsvc.DefaultServerCertificateQuota; i++ {
		if _, err := c.UploadServerCertificate(e2e.UploadRequest("eu-west-1", srv.ChainPEM, srv.KeyPEM)); err != nil {
			t.Fatalf("upload %d: %v", i+1, err)
		}
	}
	_, err := c.UploadServerCertificate(e2e.UploadRequest("eu-west-1", srv.ChainPEM, srv.KeyPEM))
	e2e.ServerError(t, err, "OverQuota", http.StatusBadRequest)
	if n := len(e2e.ServerCertificates(t, c, "eu-west-1", "")); n != slbsvc.DefaultServerCertificateQuota {
		t.Errorf("%d certificates stored, want %d", n, slbsvc.DefaultServerCertificateQuota)
	}
	if _, err := s.Client(t, "cn-hangzhou").UploadServerCertificate(e2e.UploadRequest("cn-hangzhou", rsaSrv.ChainPEM, rsaSrv.KeyPEM)); err != nil {
		t.Fatalf("other region: %v", err)
	}
}
