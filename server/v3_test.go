package server

import (
	"errors"
	"strings"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"

	"slbcert/internal/testpki"
	"slbcert/slb"
)

// darabonba returns a darabonba-openapi v2 client (signature V3), as the
// generated SDKs and Terraform use, pointed at the server.
func (s *testServer) darabonba(t *testing.T, secret string) *openapi.Client {
	t.Helper()
	c, err := openapi.NewClient(&openapiutil.Config{
		AccessKeyId:     dara.String(testAccessKeyID),
		AccessKeySecret: dara.String(secret),
		Endpoint:        dara.String(s.Addr()),
		Protocol:        dara.String("http"),
		RegionId:        dara.String("cn-hangzhou"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// openAPIParams is a darabonba-openapi RPC call of action in version, as
// the generated SDKs make it (over plain HTTP).
func openAPIParams(version, action, method string) *openapiutil.Params {
	return &openapiutil.Params{
		Action: dara.String(action), Version: dara.String(version), Protocol: dara.String("HTTP"),
		Pathname: dara.String("/"), Method: dara.String(method), AuthType: dara.String("AK"),
		Style: dara.String("RPC"), ReqBodyType: dara.String("formData"), BodyType: dara.String("json"),
	}
}

// TestSignatureV3 uploads (PEMs in a form body) and describes (GET) through
// darabonba-openapi, and checks a wrong secret is refused.
func TestSignatureV3(t *testing.T) {
	s := startServer(t)
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "v3.example.com", DNSNames: []string{"v3.example.com"}})
	c := s.darabonba(t, testAccessKeySecret)
	out, err := c.CallApi(openAPIParams(slb.APIVersion, "UploadServerCertificate", "POST"), &openapiutil.OpenApiRequest{
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
	if body["Fingerprint"] != fingerprint(srv.Leaf) || body["ServerCertificateName"] != "v3" || id == "" {
		t.Fatalf("upload answered %v", body)
	}
	out, err = c.CallApi(openAPIParams(slb.APIVersion, "DescribeServerCertificates", "GET"), &openapiutil.OpenApiRequest{
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

	_, err = s.darabonba(t, "wrong").CallApi(openAPIParams(slb.APIVersion, "DescribeServerCertificates", "POST"), &openapiutil.OpenApiRequest{
		Query: map[string]*string{"RegionId": dara.String("cn-hangzhou")},
	}, &dara.RuntimeOptions{})
	var sdkErr *tea.SDKError
	if !errors.As(err, &sdkErr) || tea.StringValue(sdkErr.Code) != "SignatureDoesNotMatch" || tea.IntValue(sdkErr.StatusCode) != 400 {
		t.Fatalf("wrong secret: %v", err)
	}
	if strings.Contains(s.log.String(), srv.KeyPEM[40:80]) {
		t.Fatal("key material in the log")
	}
}
