package server_test

import (
	"errors"
	"strings"
	"testing"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
	slbsvc "slbcert/slb"
)

// TestSignatureV3 uploads (PEMs in a form body) and describes (GET) through
// darabonba-openapi, and checks a wrong secret is refused.
func TestSignatureV3(t *testing.T) {
	s := e2e.Start(t)
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "v3.example.com", DNSNames: []string{"v3.example.com"}})
	c := s.Darabonba(t, e2e.AccessKeySecret)
	out, err := c.CallApi(e2e.OpenAPIParams(slbsvc.APIVersion, "UploadServerCertificate", "POST"), &openapiutil.OpenApiRequest{
		Query: map[string]*string{"RegionId": dara.String("cn-hangzhou"), "ServerCertificateName": dara.String("v3")},
		Body: map[string]any{
			"ServerCertificate": srv.ChainPEM, "PrivateKey": srv.KeyPEM,
			"Tag": []any{map[string]any{"Key": "via", "Value": "darabonba"}},
		},
	}, &dara.RuntimeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	body := out["body"].(map[string]any)
	id, _ := body["ServerCertificateId"].(string)
	if body["Fingerprint"] != e2e.Fingerprint(srv.Leaf) || body["ServerCertificateName"] != "v3" || id == "" {
		t.Fatalf("upload answered %v", body)
	}
	out, err = c.CallApi(e2e.OpenAPIParams(slbsvc.APIVersion, "DescribeServerCertificates", "GET"), &openapiutil.OpenApiRequest{
		Query: map[string]*string{"RegionId": dara.String("cn-hangzhou"), "ServerCertificateId": dara.String(id)},
	}, &dara.RuntimeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	list := out["body"].(map[string]any)["ServerCertificates"].(map[string]any)["ServerCertificate"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["ServerCertificateId"] != id {
		t.Fatalf("describe answered %v", list)
	}
	tags := list[0].(map[string]any)["Tags"].(map[string]any)["Tag"].([]any)
	if len(tags) != 1 || tags[0].(map[string]any)["TagValue"] != "darabonba" {
		t.Fatalf("tags %v", tags)
	}

	_, err = s.Darabonba(t, "wrong").CallApi(e2e.OpenAPIParams(slbsvc.APIVersion, "DescribeServerCertificates", "POST"), &openapiutil.OpenApiRequest{
		Query: map[string]*string{"RegionId": dara.String("cn-hangzhou")},
	}, &dara.RuntimeOptions{})
	var sdkErr *tea.SDKError
	if !errors.As(err, &sdkErr) || tea.StringValue(sdkErr.Code) != "SignatureDoesNotMatch" || tea.IntValue(sdkErr.StatusCode) != 400 {
		t.Fatalf("wrong secret: %v", err)
	}
	if strings.Contains(s.Log.String(), srv.KeyPEM[40:80]) {
		t.Fatal("key material in the log")
	}
}
