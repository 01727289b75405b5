package sts_test

import (
	"encoding/base64"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
	sdksts "github.com/aliyun/alibaba-cloud-sdk-go/services/sts"

	"slbcert/internal/e2e"
	slbsvc "slbcert/slb"
)

// TestSTSAssumeRoleErrors: every AssumeRole code (its page's error codes,
// https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole,
// and docs/choices.md, "STS (temporary credentials)") with its HTTP status,
// through the SDK's CommonRequest (parameters in the query, as the SDK sends
// them) — and the one that needs a raw body.
func TestSTSAssumeRoleErrors(t *testing.T) {
	s, _ := startSTSServer(t)
	c := s.STSClient(t, "AKS-ci", "s-ci", "")
	narrow := `{"Version":"1","Statement":[{"Effect":"Allow","Action":"slb:Describe*","Resource":"*"}]}`
	base := func(kv ...string) map[string]string {
		m := map[string]string{"RoleArn": e2e.STSRoleArn("CertManager"), "RoleSessionName": "errors"}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "<absent>" {
				delete(m, kv[i])
			} else {
				m[kv[i]] = kv[i+1]
			}
		}
		return m
	}
	for _, tc := range []struct {
		name   string
		key    [2]string
		params map[string]string
		code   string
		status int
	}{
		{"error/RoleArn missing", [2]string{}, base("RoleArn", "<absent>"), "MissingParameter", 400},
		{"error/RoleSessionName missing", [2]string{}, base("RoleSessionName", "<absent>"), "MissingParameter", 400},
		{"error/RoleArn of a user", [2]string{}, base("RoleArn", "acs:ram::"+e2e.STSAccountA+":user/ci"), "InvalidParameter.RoleArn", 400},
		{"error/RoleSessionName one char", [2]string{}, base("RoleSessionName", "x"), "InvalidParameter.RoleSessionName", 400},
		{"error/RoleSessionName 65 chars", [2]string{}, base("RoleSessionName", strings.Repeat("s", 65)), "InvalidParameter.RoleSessionName", 400},
		{"error/DurationSeconds under 900", [2]string{}, base("DurationSeconds", "600"), "InvalidParameter.DurationSeconds", 400},
		{"error/DurationSeconds not a number", [2]string{}, base("DurationSeconds", "one hour"), "InvalidParameter.DurationSeconds", 400},
		{"error/Policy grammar", [2]string{}, base("Policy", `{"Version":"1","Statement":[{"Effect":"Allow"}]}`), "InvalidParameter.PolicyGrammar", 400},
		{"error/Policy size", [2]string{}, base("Policy", narrow[:len(narrow)-2]+strings.Repeat(" ", 2100)+"]}"), "InvalidParameter.PolicySize", 400},
		{"error/ExternalId chars", [2]string{}, base("ExternalId", "a b"), "InvalidParameter.ExternalId", 400},
		{"error/SourceIdentity prefix", [2]string{}, base("SourceIdentity", "acs:me"), "InvalidParameter.SourceIdentity", 400},
		{"error/no permission", [2]string{"AKS-intern", "s-intern"}, base(), "NoPermission", 403},
		{"error/role missing", [2]string{}, base("RoleArn", e2e.STSRoleArn("Missing")), "EntityNotExist.Role", 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cl := c
			if tc.key[0] != "" {
				cl = s.STSClient(t, tc.key[0], tc.key[1], "")
			}
			_, err := cl.ProcessCommonRequest(commonSTS("AssumeRole", tc.params))
			se := e2e.ServerError(t, err, tc.code, tc.status)
			if se.HostId() != "sts.aliyuncs.com" || !strings.Contains(se.Recommend(), "product=Sts") {
				t.Fatalf("HostId %q Recommend %q", se.HostId(), se.Recommend())
			}
		})
	}

	// A body neither form nor JSON: InvalidParameter.ContentType.
	q := e2e.SignedQuery("POST", "2015-04-01", "AKS-ci", "s-ci", "", url.Values{"Action": {"AssumeRole"}, "RoleArn": {e2e.STSRoleArn("CertManager")}, "RoleSessionName": {"body"}})
	resp, err := http.Post(s.URL()+"?"+q.Encode(), "text/plain", strings.NewReader("RoleArn=x"))
	if err != nil {
		t.Fatal(err)
	}
	e2e.CheckErrorBody(t, resp, "InvalidParameter.ContentType", 400)
	// An action STS has but this server does not serve.
	_, err = c.ProcessCommonRequest(commonSTS("AssumeRoleWithSAML", nil))
	e2e.ServerError(t, err, "InvalidAction.NotFound", 404)

	// The parameters in a form body, as credentials-go sends them, work.
	form := url.Values{"RoleArn": {e2e.STSRoleArn("CertManager")}, "RoleSessionName": {"form-body"}, "DurationSeconds": {"900"}}
	resp, err = s.SendV1("POST", "2015-04-01", url.Values{"Action": {"AssumeRole"}}, form, "AKS-ci", "s-ci")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("AssumeRole with a form body: %d", resp.StatusCode)
	}
}

// TestSTSTokenErrors: the gateway's checks of temporary credentials on
// another product (SLB), in order: a temporary key without its token, a
// token that is not ours (forged, truncated), a token of another key (also
// with a long-term key), a wrong secret — V1 and V3.
func TestSTSTokenErrors(t *testing.T) {
	s, _ := startSTSServer(t)
	one := s.Assume(t, "AKS-ci", "s-ci", e2e.AssumeRequest("CertManager", "one")).Credentials
	two := s.Assume(t, "AKS-ci", "s-ci", e2e.AssumeRequest("CertManager", "two")).Credentials
	forged := base64.RawURLEncoding.EncodeToString([]byte("\x01\x01" + strings.Repeat("forged token ", 20)))
	describe := url.Values{"Action": {"DescribeRegions"}}
	for _, tc := range []struct {
		name, id, secret, token, code string
	}{
		{"error/no token", one.AccessKeyId, one.AccessKeySecret, "", "MissingSecurityToken"},
		{"error/forged token", one.AccessKeyId, one.AccessKeySecret, forged, "InvalidSecurityToken.Malformed"},
		{"error/real-looking token", one.AccessKeyId, one.AccessKeySecret, "CAIS" + strings.Repeat("x", 200), "InvalidSecurityToken.Malformed"},
		{"error/truncated token", one.AccessKeyId, one.AccessKeySecret, one.SecurityToken[:len(one.SecurityToken)-10], "InvalidSecurityToken.Malformed"},
		{"error/another key's token", one.AccessKeyId, one.AccessKeySecret, two.SecurityToken, "InvalidSecurityToken.MismatchWithAccessKey"},
		{"error/token with a long-term key", "AKS-ci", "s-ci", one.SecurityToken, "InvalidSecurityToken.MismatchWithAccessKey"},
		{"error/garbage with a long-term key", "AKS-ci", "s-ci", "garbage", "InvalidSecurityToken.Malformed"},
		{"error/unknown long-term key first", "AKS-nobody", "x", one.SecurityToken, "InvalidAccessKeyId.NotFound"},
		{"error/wrong secret", one.AccessKeyId, "not-the-secret", one.SecurityToken, "SignatureDoesNotMatch"},
		{"ok/V1 by hand", one.AccessKeyId, one.AccessKeySecret, one.SecurityToken, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := e2e.SignedQuery("GET", slbsvc.APIVersion, tc.id, tc.secret, tc.token, describe)
			resp, err := http.Get(s.URL() + "?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			if tc.code == "" {
				resp.Body.Close()
				if resp.StatusCode != 200 {
					t.Fatalf("status %d", resp.StatusCode)
				}
				return
			}
			status := 400
			if tc.code == "InvalidAccessKeyId.NotFound" {
				status = 404
			}
			e2e.CheckErrorBody(t, resp, tc.code, status)
		})
	}

	// The same through the SDKs: the SLB client with a forged token, and
	// darabonba (V3 header) with a truncated one and with another key's.
	c, _ := slb.NewClientWithStsToken("cn-hangzhou", one.AccessKeyId, one.AccessKeySecret, forged)
	c.Domain = s.Addr()
	_, err := c.DescribeRegions(slb.CreateDescribeRegionsRequest())
	e2e.ServerError(t, err, "InvalidSecurityToken.Malformed", 400)
	for _, tc := range []struct {
		name  string
		token string
		code  string
	}{
		{"V3 truncated", one.SecurityToken[:len(one.SecurityToken)/2], "InvalidSecurityToken.Malformed"},
		{"V3 another key's", two.SecurityToken, "InvalidSecurityToken.MismatchWithAccessKey"},
	} {
		creds := one
		creds.SecurityToken = tc.token
		_, err := darabonbaSTS(t, s, creds).CallApi(e2e.OpenAPIParams(slbsvc.APIVersion, "DescribeRegions", "POST"), &openapiutil.OpenApiRequest{}, &dara.RuntimeOptions{})
		var sdkErr *tea.SDKError
		if !errors.As(err, &sdkErr) || tea.StringValue(sdkErr.Code) != tc.code || tea.IntValue(sdkErr.StatusCode) != 400 {
			t.Fatalf("%s: %v", tc.name, err)
		}
	}
}

// TestSTSExpiry: with the server's clock moved, a 900-second session
// works until its last second and is InvalidSecurityToken.Expired from its
// expiry on, on SLB (V1 and V3) and on STS alike.
func TestSTSExpiry(t *testing.T) {
	s, clock := startSTSServer(t)
	req := e2e.AssumeRequest("CertManager", "short")
	req.DurationSeconds = "900"
	resp := s.Assume(t, "AKS-ci", "s-ci", req)
	creds := resp.Credentials
	exp, _ := time.Parse("2006-01-02T15:04:05Z", creds.Expiration)
	k := sessionCalls(t, s, creds)

	clock.advance(time.Until(exp) - 2*time.Second)
	if _, err := k.Describe(""); err != nil {
		t.Fatalf("two seconds before expiry: %v", err)
	}
	clock.advance(2 * time.Second)
	_, err := k.Describe("")
	e2e.ServerError(t, err, "InvalidSecurityToken.Expired", 400)
	_, err = s.STSClient(t, creds.AccessKeyId, creds.AccessKeySecret, creds.SecurityToken).GetCallerIdentity(stsIdentityRequest())
	e2e.ServerError(t, err, "InvalidSecurityToken.Expired", 400)
	_, err = darabonbaSTS(t, s, creds).CallApi(e2e.OpenAPIParams(slbsvc.APIVersion, "DescribeRegions", "POST"), &openapiutil.OpenApiRequest{}, &dara.RuntimeOptions{})
	var sdkErr *tea.SDKError
	if !errors.As(err, &sdkErr) || tea.StringValue(sdkErr.Code) != "InvalidSecurityToken.Expired" {
		t.Fatalf("V3 after expiry: %v", err)
	}
	// An expired token is still ours: a day later it is Expired, not Malformed.
	clock.advance(24 * time.Hour)
	_, err = k.Describe("")
	e2e.ServerError(t, err, "InvalidSecurityToken.Expired", 400)
}

// TestSTSXML: AssumeRole and GetCallerIdentity answer Format=XML under
// <{Action}Response>, through the SDK's typed requests.
func TestSTSXML(t *testing.T) {
	s, _ := startSTSServer(t)
	req := e2e.AssumeRequest("CertManager", "xml")
	req.AcceptFormat = "XML"
	resp := s.Assume(t, "AKS-ci", "s-ci", req)
	if !strings.HasPrefix(resp.Credentials.AccessKeyId, "STS.") || resp.AssumedRoleUser.Arn == "" || !expirationPattern.MatchString(resp.Credentials.Expiration) {
		t.Fatalf("AssumeRole over XML: %+v", resp)
	}
	var doc struct {
		XMLName     xml.Name
		RequestID   string `xml:"RequestId"`
		Credentials struct {
			SecurityToken string
		}
	}
	if err := xml.Unmarshal(resp.GetHttpContentBytes(), &doc); err != nil || doc.XMLName.Local != "AssumeRoleResponse" || doc.RequestID == "" ||
		doc.Credentials.SecurityToken != resp.Credentials.SecurityToken {
		t.Fatalf("XML body %s: %v", resp.GetHttpContentString(), err)
	}
	if ct := resp.GetHttpHeaders()["Content-Type"]; len(ct) == 0 || ct[0] != "text/xml;charset=utf-8" {
		t.Fatalf("Content-Type %v", ct)
	}
	creds := resp.Credentials
	ireq := sdksts.CreateGetCallerIdentityRequest()
	ireq.AcceptFormat = "XML"
	who, err := s.STSClient(t, creds.AccessKeyId, creds.AccessKeySecret, creds.SecurityToken).GetCallerIdentity(ireq)
	if err != nil || who.IdentityType != "AssumedRoleUser" || !strings.HasPrefix(who.GetHttpContentString(), `<?xml version="1.0" encoding="UTF-8"?>`+"\n<GetCallerIdentityResponse>") {
		t.Fatalf("GetCallerIdentity over XML: %+v %v", who, err)
	}
	// Errors too: <Error> with the code.
	req = e2e.AssumeRequest("Missing", "xml")
	req.AcceptFormat = "XML"
	_, err = s.STSClient(t, "AKS-ci", "s-ci", "").AssumeRole(req)
	if err == nil || !strings.Contains(err.Error(), "<Code>EntityNotExist.Role</Code>") {
		t.Fatalf("XML error: %v", err)
	}
}
