package slbcerttest_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/iam"
	"slbcert/region"
	"slbcert/slbcerttest"
)

func serverError(t *testing.T, err error, code string, status int) {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) || se.ErrorCode() != code || se.HttpStatus() != status {
		t.Fatalf("want %s (%d), got %v", code, status, err)
	}
}

func TestNewServerDefaults(t *testing.T) {
	srv := slbcerttest.NewServer(t)
	if srv.AccountID != slbcerttest.DefaultAccountID || srv.AccessKeyID == "" || srv.AccessKeySecret == "" {
		t.Fatalf("credentials: %+v", srv)
	}
	if srv.Scheme != "http" || srv.URL != "http://"+srv.Endpoint+"/" {
		t.Fatalf("endpoint: %s %s", srv.Scheme, srv.URL)
	}
	resp, err := http.Get("http://" + srv.Endpoint + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()

	// Two servers in one test are apart: their own ports, keys and data.
	other := slbcerttest.NewServer(t)
	if other.Endpoint == srv.Endpoint || other.AccessKeyID == srv.AccessKeyID || other.DataDir == srv.DataDir {
		t.Fatal("two servers share an endpoint, a key or a data directory")
	}
	c, err := other.SLBClientWithKey("cn-hangzhou", srv.AccessKeyID, srv.AccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeServerCertificates(slb.CreateDescribeServerCertificatesRequest())
	serverError(t, err, "InvalidAccessKeyId.NotFound", 404)
}

func TestWithRegions(t *testing.T) {
	srv := slbcerttest.NewServer(t, slbcerttest.WithRegions(
		region.Region{ID: "lab-1", ServerCertificates: true, LocalName: map[string]string{"en-US": "Lab one"}},
	))
	c, err := srv.SLBClient("lab-1")
	if err != nil {
		t.Fatal(err)
	}
	req := slb.CreateDescribeRegionsRequest()
	req.AcceptLanguage = "en-US"
	resp, err := c.DescribeRegions(req)
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Regions.Region; len(got) != 1 || got[0].RegionId != "lab-1" || got[0].LocalName != "Lab one" {
		t.Fatalf("regions = %+v", got)
	}
	other, _ := srv.SLBClient("cn-hangzhou")
	_, err = other.DescribeServerCertificates(slb.CreateDescribeServerCertificatesRequest())
	serverError(t, err, "InvalidRegionId.NotFound", 404)
}

// policyUntil allows the certificate operations until a date.
func policyUntil(date string) json.RawMessage {
	return json.RawMessage(`{"Version":"1","Statement":[{"Effect":"Allow","Action":"slb:*","Resource":"*",
		"Condition":{"DateLessThan":{"acs:CurrentTime":"` + date + `"}}}]}`)
}

func TestWithIAMAndClock(t *testing.T) {
	var now time.Time
	doc := iam.File{Accounts: []iam.FileAccount{{
		ID:         "1000000000000009",
		AccessKeys: []iam.FileKey{{ID: "LTAI4TeamRoot00000001", Secret: "team-root-secret"}},
		Policies:   []iam.FilePolicy{{Name: "Until2030", Document: policyUntil("2030-01-01T00:00:00Z")}},
		Users: []iam.FileUser{{Name: "ci", Policies: []string{"Until2030"},
			AccessKeys: []iam.FileKey{{ID: "LTAI4TeamCi0000000001", Secret: "ci-secret"}}}},
	}}}
	srv := slbcerttest.NewServer(t, slbcerttest.WithIAM(doc), slbcerttest.WithClock(func() time.Time { return now }))
	user, err := srv.SLBClientWithKey("cn-hangzhou", "LTAI4TeamCi0000000001", "ci-secret")
	if err != nil {
		t.Fatal(err)
	}
	// The business clock decides acs:CurrentTime; the SDK signs with the
	// wall clock and is still accepted.
	now = time.Date(2029, 12, 31, 0, 0, 0, 0, time.UTC)
	if _, err := user.DescribeServerCertificates(slb.CreateDescribeServerCertificatesRequest()); err != nil {
		t.Fatalf("before the date: %v", err)
	}
	now = time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC)
	_, err = user.DescribeServerCertificates(slb.CreateDescribeServerCertificatesRequest())
	serverError(t, err, "NoPermission", 403)

	// The IAM account is there beside the server's default account.
	root, _ := srv.SLBClientWithKey("cn-hangzhou", "LTAI4TeamRoot00000001", "team-root-secret")
	if _, err := root.DescribeServerCertificates(slb.CreateDescribeServerCertificatesRequest()); err != nil {
		t.Fatal(err)
	}
	def, _ := srv.SLBClient("cn-hangzhou")
	if _, err := def.DescribeServerCertificates(slb.CreateDescribeServerCertificatesRequest()); err != nil {
		t.Fatal(err)
	}
}

func TestWithTLS(t *testing.T) {
	srv := slbcerttest.NewServer(t, slbcerttest.WithTLS())
	if srv.Scheme != "https" || srv.CACertPEM == "" {
		t.Fatalf("scheme %q, CA %d bytes", srv.Scheme, len(srv.CACertPEM))
	}
	c, err := srv.SLBClient("cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.DescribeRegions(slb.CreateDescribeRegionsRequest()); err != nil {
		t.Fatalf("SDK v1 over HTTPS: %v", err)
	}

	v3, err := openapi.NewClient(srv.OpenAPIConfig("cn-hangzhou"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := v3.CallApi(&openapiutil.Params{
		Action: dara.String("DescribeRegions"), Version: dara.String("2014-05-15"), Protocol: dara.String("HTTPS"),
		Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"),
		Style: dara.String("RPC"), ReqBodyType: dara.String("formData"), BodyType: dara.String("json"),
	}, &openapiutil.OpenApiRequest{}, &dara.RuntimeOptions{})
	if err != nil {
		t.Fatalf("darabonba over HTTPS: %v", err)
	}
	body, _ := out["body"].(map[string]any)
	if id, _ := body["RequestId"].(string); id == "" {
		t.Fatalf("no RequestId: %v", out)
	}

	// A client that does not trust the certificate is refused.
	plain := &http.Client{Timeout: 5 * time.Second}
	if _, err := plain.Get(srv.URL); err == nil {
		t.Fatal("an untrusting client got through")
	}
}

func TestStartFailsCleanly(t *testing.T) {
	_, err := slbcerttest.Start(t.TempDir(), slbcerttest.WithIAMJSON(`{"accounts":[{"id":"not-an-id"}]}`))
	if err == nil {
		t.Fatal("a bad IAM document started a server")
	}
	srv, err := slbcerttest.Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
	if _, err := http.Get(srv.URL + "healthz"); err == nil {
		t.Fatal("the server still answers after Close")
	}
}

// WithClock drives certificate expiry: in a region that refuses expired
// certificates, the same upload passes before NotAfter and fails after.
func TestWithClockExpiry(t *testing.T) {
	now := time.Date(2029, 6, 1, 0, 0, 0, 0, time.UTC)
	srv := slbcerttest.NewServer(t,
		slbcerttest.WithRegions(region.Region{ID: "lab-1", ServerCertificates: true, RejectExpired: true}),
		slbcerttest.WithClock(func() time.Time { return now }))
	c, err := srv.SLBClient("lab-1")
	if err != nil {
		t.Fatal(err)
	}
	certPEM, keyPEM := selfSigned("renew.example.com", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	req := slb.CreateUploadServerCertificateRequest()
	req.ServerCertificate, req.PrivateKey = certPEM, keyPEM
	if _, err := c.UploadServerCertificate(req); err != nil {
		t.Fatalf("before NotAfter: %v", err)
	}
	now = time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC)
	_, err = c.UploadServerCertificate(req)
	serverError(t, err, "IllegalParam.ServerCertificate", 400)
}
