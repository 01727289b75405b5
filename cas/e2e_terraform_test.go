package cas_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert"
	cassvc "slbcert/cas"
	"slbcert/internal/e2e"
	slbsvc "slbcert/slb"
)

// tfTags reads Tags as Terraform's tagsToMap does: a flat array of
// {TagKey, TagValue}.
func tfTags(t *testing.T, body map[string]any) map[string]any {
	t.Helper()
	out := map[string]any{}
	list, ok := body["Tags"].([]any)
	if !ok {
		t.Fatalf("Tags is %T, want a flat array", body["Tags"])
	}
	for _, item := range list {
		m := item.(map[string]any)
		out[m["TagKey"].(string)] = m["TagValue"]
	}
	return out
}

// TestTerraformCatalogSequence replays what terraform-provider-alicloud 1.289.0
// sends for alicloud_ssl_certificates_service_certificate (create, read,
// update of name, group and tags, import, delete), its data source, and an
// alicloud_slb_server_certificate taking its alicloud_certificate_id
// (the provider's resource_alicloud_ssl_certificates_service_certificate.go
// and data_source_alicloud_ssl_certificates_service_certificates.go), in
// Terraform's transport: tea-rpc form bodies with a V1
// signature and Format=json for CAS, the Go SDK for SLB. Each read-back is
// compared with the configuration, which is what keeps a second plan empty.
func TestTerraformCatalogSequence(t *testing.T) {
	s := e2e.Start(t)
	pki := e2e.NewCatalogPKI(t, "rsa2048", "1688.example.com", []string{"1688.example.com"}, time.Time{}, time.Time{})
	// What the acceptance test's heredocs hold: text ending in a newline,
	// and a PKCS#1 key under a "PRIVATE KEY" label.
	cert, key := pki.CertPEM, e2e.PKCS1UnderPrivateKeyLabel(pki.Key)
	const name = "tf-testacccn-hangzhousslcertificatesservicecertificate12345"
	group := "rg-acfmtfgroup1"

	// Create, then Read.
	created := teaRPCJSON(t, s, cassvc.Version, "UploadUserCertificate", map[string]string{
		"Name": name, "Cert": cert, "Key": key, "ResourceGroupId": group,
		"Tags.1.Key": "Created", "Tags.1.Value": "TF", "Tags.2.Key": "For", "Tags.2.Value": "Test",
	})
	id := fmt.Sprint(created["CertId"]) // d.SetId(fmt.Sprint(response["CertId"]))
	if len(id) != 8 || strings.ContainsAny(id, ".e+") {
		t.Fatalf("resource id %q from %v", id, created)
	}
	read := func() map[string]any {
		t.Helper()
		return teaRPCJSON(t, s, cassvc.Version, "GetUserCertificateDetail", map[string]string{"CertId": id})
	}
	state := read()
	for k, want := range map[string]any{"Cert": cert, "Key": key, "Name": name, "ResourceGroupId": group,
		"EncryptCert": "", "EncryptPrivateKey": "", "SignCert": "", "SignPrivateKey": ""} {
		if state[k] != want {
			t.Errorf("read %s = %q, want %q", k, state[k], want)
		}
	}
	if tags := tfTags(t, state); !reflect.DeepEqual(tags, map[string]any{"Created": "TF", "For": "Test"}) {
		t.Errorf("tags %v", tags)
	}

	// Updates: CreateCertificateName (2018-08-13) with only what changed.
	update := func(params map[string]string) map[string]any {
		t.Helper()
		params["CertificateId"], params["RegionId"] = id, "cn-hangzhou"
		teaRPCJSON(t, s, cassvc.RenameVersion, "CreateCertificateName", params)
		return read()
	}
	if st := update(map[string]string{"Name": name + "-update"}); st["Name"] != name+"-update" {
		t.Errorf("after rename %v", st["Name"])
	}
	if st := update(map[string]string{"ResourceGroupId": "rg-acfmtfgroup2"}); st["ResourceGroupId"] != "rg-acfmtfgroup2" || st["Name"] != name+"-update" {
		t.Errorf("after move %v %v", st["ResourceGroupId"], st["Name"])
	}
	st := update(map[string]string{"Tags.1.Key": "Created", "Tags.1.Value": "TF-update", "Tags.2.Key": "For", "Tags.2.Value": "Test-update"})
	if tags := tfTags(t, st); !reflect.DeepEqual(tags, map[string]any{"Created": "TF-update", "For": "Test-update"}) {
		t.Errorf("after retag %v", tags)
	}
	st = update(map[string]string{"Tags.1.Key": "", "Tags.1.Value": ""}) // every tag removed
	if tags := tfTags(t, st); len(tags) != 0 {
		t.Errorf("after removing every tag %v", tags)
	}
	// Import: a fresh read must equal the state (ImportStateVerify).
	if imported := read(); !reflect.DeepEqual(imported, withRequestID(st, imported)) {
		t.Errorf("import differs:\n%v\n%v", imported, st)
	}

	// The data source: pages of CERT orders, then the 2018-07-13 detail.
	page := teaRPCJSON(t, s, cassvc.Version, "ListUserCertificateOrder", map[string]string{
		"OrderType": "CERT", "ShowSize": "50", "CurrentPage": "1", "Keyword": "1688"})
	items, _ := page["CertificateOrderList"].([]any)
	if len(items) != 1 || fmt.Sprint(items[0].(map[string]any)["CertificateId"]) != id {
		t.Fatalf("data source page %v", page)
	}
	detail := teaRPCJSON(t, s, cassvc.LegacyVersion, "DescribeUserCertificateDetail", map[string]string{"RegionId": "cn-hangzhou", "CertId": id})
	if _, ok := detail["Id"]; !ok || detail["Cert"] != cert || detail["Key"] != key || detail["BuyInAliyun"] != false {
		t.Errorf("enable_details %v", detail)
	}
	if gone := teaRPCJSON(t, s, cassvc.LegacyVersion, "DescribeUserCertificateDetail", map[string]string{"RegionId": "cn-hangzhou", "CertId": "1"}); gone["Id"] != nil {
		t.Errorf("an unknown id's legacy detail has an Id: %v", gone)
	}

	// alicloud_slb_server_certificate with alicloud_certificate_id.
	hz := s.Client(t, "cn-hangzhou")
	req := slb.CreateUploadServerCertificateRequest()
	req.Scheme, req.RegionId = "http", "cn-hangzhou"
	req.ServerCertificateName = "tf-testAccSlbServerCertificate"
	req.AliCloudCertificateId, req.AliCloudCertificateName = id, name+"-update"
	req.ResourceGroupId = slbcert.DefaultResourceGroupID(slbcert.DefaultAccountID)
	up, err := hz.UploadServerCertificate(req)
	if err != nil {
		t.Fatal(err)
	}
	tag := slb.CreateTagResourcesRequest()
	tag.Scheme, tag.RegionId, tag.ResourceType = "http", "cn-hangzhou", "certificate"
	tag.ResourceId = &[]string{up.ServerCertificateId}
	tag.Tag = &[]slb.TagResourcesTag{{Key: "Created", Value: "TF"}, {Key: "For", Value: "acceptance test123"}}
	if _, err := hz.TagResources(tag); err != nil {
		t.Fatal(err)
	}
	tags := teaRPCJSON(t, s, slbsvc.APIVersion, "ListTagResources", map[string]string{
		"RegionId": "cn-hangzhou", "ResourceType": "certificate", "ResourceId.1": up.ServerCertificateId})
	if !strings.Contains(fmt.Sprint(tags), "acceptance test123") {
		t.Errorf("ListTagResources %v", tags)
	}
	sc := e2e.ServerCertificate(t, hz, "cn-hangzhou", up.ServerCertificateId)
	// Read sets name, and alicloud_certificate_id/_name when non-empty:
	// equal to the configuration, so nothing is replaced.
	if sc.ServerCertificateName != "tf-testAccSlbServerCertificate" || sc.AliCloudCertificateId != id ||
		sc.AliCloudCertificateName != name+"-update" || sc.ResourceGroupId != req.ResourceGroupId {
		t.Errorf("slb read %+v", sc)
	}
	del := slb.CreateDeleteServerCertificateRequest()
	del.Scheme, del.RegionId, del.ServerCertificateId = "http", "cn-hangzhou", up.ServerCertificateId
	if _, err := hz.DeleteServerCertificate(del); err != nil {
		t.Fatal(err)
	}

	// Delete, the destroy check, and a second delete that counts as done.
	teaRPCJSON(t, s, cassvc.Version, "DeleteUserCertificate", map[string]string{"CertId": id})
	for _, action := range []string{"GetUserCertificateDetail", "DeleteUserCertificate"} {
		resp := teaRPC(t, s, cassvc.Version, action, map[string]string{"CertId": id})
		body := e2e.CheckErrorBody(t, resp, "NotFound", 404)
		if !strings.Contains(fmt.Sprint(body), "NotFound") {
			t.Errorf("%s: %v", action, body)
		}
	}
}

// withRequestID is want with got's RequestId, for comparing two reads.
func withRequestID(want, got map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range want {
		out[k] = v
	}
	out["RequestId"] = got["RequestId"]
	return out
}
