package server

import (
	"fmt"
	"slices"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/testpki"
)

// sdkCalls wraps the typed SDK calls the family tests repeat; format is
// "JSON" (or "") or "XML", so each lifecycle can be replayed over XML.
type sdkCalls struct {
	t      *testing.T
	c      *slb.Client
	region string
	format string
}

func (s *testServer) calls(t *testing.T, region, format string) *sdkCalls {
	if format == "" {
		format = "JSON" // an empty AcceptFormat makes the SDK skip parsing
	}
	return &sdkCalls{t: t, c: s.client(t, region), region: region, format: format}
}

func (k *sdkCalls) upload(certPEM, keyPEM, name string) *slb.UploadServerCertificateResponse {
	k.t.Helper()
	req := uploadRequest(k.region, certPEM, keyPEM)
	req.ServerCertificateName = name
	req.AcceptFormat = k.format
	resp, err := k.c.UploadServerCertificate(req)
	if err != nil {
		k.t.Fatal(err)
	}
	return resp
}

func (k *sdkCalls) describe(id string) ([]slb.ServerCertificate, error) {
	req := slb.CreateDescribeServerCertificatesRequest()
	req.AcceptFormat = k.format
	req.RegionId = k.region
	req.ServerCertificateId = id
	resp, err := k.c.DescribeServerCertificates(req)
	if err != nil {
		return nil, err
	}
	return resp.ServerCertificates.ServerCertificate, nil
}

func (k *sdkCalls) listTags(ids []string, tags []slb.ListTagResourcesTag, next string) (*slb.ListTagResourcesResponse, error) {
	req := slb.CreateListTagResourcesRequest()
	req.AcceptFormat = k.format
	req.ResourceType = "certificate"
	if ids != nil {
		req.ResourceId = &ids
	}
	if tags != nil {
		req.Tag = &tags
	}
	req.NextToken = next
	return k.c.ListTagResources(req)
}

func (k *sdkCalls) tag(ids []string, kv ...string) error {
	req := slb.CreateTagResourcesRequest()
	req.AcceptFormat = k.format
	req.ResourceType = "certificate"
	req.ResourceId = &ids
	var tags []slb.TagResourcesTag
	for i := 0; i < len(kv); i += 2 {
		tags = append(tags, slb.TagResourcesTag{Key: kv[i], Value: kv[i+1]})
	}
	req.Tag = &tags
	_, err := k.c.TagResources(req)
	return err
}

func (k *sdkCalls) untag(ids []string, all bool, keys ...string) error {
	req := slb.CreateUntagResourcesRequest()
	req.AcceptFormat = k.format
	req.ResourceType = "certificate"
	req.ResourceId = &ids
	if len(keys) > 0 {
		req.TagKey = &keys
	}
	if all {
		req.All = requests.NewBoolean(true)
	}
	_, err := k.c.UntagResources(req)
	return err
}

func (k *sdkCalls) rename(id, name string) error {
	req := slb.CreateSetServerCertificateNameRequest()
	req.AcceptFormat = k.format
	req.ServerCertificateId = id
	req.ServerCertificateName = name
	_, err := k.c.SetServerCertificateName(req)
	return err
}

func (k *sdkCalls) delete(id string) error {
	req := slb.CreateDeleteServerCertificateRequest()
	req.AcceptFormat = k.format
	req.ServerCertificateId = id
	_, err := k.c.DeleteServerCertificate(req)
	return err
}

func tagPairs(rows []slb.TagResource) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.ResourceType+"/"+r.ResourceId[len(r.ResourceId)-6:]+":"+r.TagKey+"="+r.TagValue)
	}
	return out
}

// TestTerraformSequence plays what alicloud_slb_server_certificate does
// over its life, in JSON and again in XML.
func TestTerraformSequence(t *testing.T) {
	for _, format := range []string{"JSON", "XML"} {
		t.Run(format, func(t *testing.T) {
			s := startServer(t)
			k := s.calls(t, "cn-hangzhou", format)
			srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "tf.example.com"})
			up := k.upload(srv.ChainPEM, srv.KeyPEM, "tf-cert")
			id := up.ServerCertificateId

			lt, err := k.listTags([]string{id}, nil, "")
			if err != nil || len(lt.TagResources.TagResource) != 0 || lt.NextToken != "" {
				t.Fatalf("list tags of a new certificate: %+v %v", lt, err)
			}
			if err := k.tag([]string{id}, "Created", "TF", "For", "test"); err != nil {
				t.Fatal(err)
			}
			list, err := k.describe(id)
			if err != nil || len(list) != 1 || len(list[0].Tags.Tag) != 2 || list[0].ServerCertificateName != "tf-cert" {
				t.Fatalf("describe by id: %+v %v", list, err)
			}
			if err := k.rename(id, "tf-cert-renamed"); err != nil {
				t.Fatal(err)
			}
			if err := k.untag([]string{id}, false, "For"); err != nil {
				t.Fatal(err)
			}
			list, err = k.describe(id)
			if err != nil || len(list) != 1 || list[0].ServerCertificateName != "tf-cert-renamed" ||
				len(list[0].Tags.Tag) != 1 || list[0].Tags.Tag[0].TagKey != "Created" {
				t.Fatalf("after rename and untag: %+v %v", list, err)
			}
			if err := k.delete(id); err != nil {
				t.Fatal(err)
			}
			list, err = k.describe(id)
			if err != nil || len(list) != 0 {
				t.Fatalf("describe after delete: %+v %v", list, err)
			}
			if format == "JSON" {
				serverError(t, k.delete(id), "ServerCertificateId.NotFound", 400)
				serverError(t, k.rename(id, "x"), "ServerCertificateId.NotFound", 400)
			} else if k.delete(id) == nil {
				t.Fatal("second delete succeeded")
			}
		})
	}
}

func TestServerCertificateManageErrors(t *testing.T) {
	s := startServer(t)
	k := s.calls(t, "cn-hangzhou", "")
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "m.example.com"})
	id := k.upload(srv.ChainPEM, srv.KeyPEM, "").ServerCertificateId
	serverError(t, k.rename(id, "9bad"), "InvalidParameter.ServerCertificateName", 400)
	serverError(t, k.rename(id, ""), "MissingParameter", 400)
	serverError(t, k.rename("", "ok"), "MissingParameter", 400)
	serverError(t, k.delete(""), "MissingParameter", 400)
	// Another region holds nothing of this id.
	other := s.calls(t, "cn-shanghai", "")
	serverError(t, other.delete(id), "ServerCertificateId.NotFound", 400)
	// Describe checks the region first, like every region-scoped call.
	bad := s.calls(t, "xx-nowhere-1", "")
	_, err := bad.describe("")
	serverError(t, err, "InvalidRegionId.NotFound", 404)
}

func TestTags(t *testing.T) {
	s := startServer(t)
	k := s.calls(t, "cn-hangzhou", "")
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "tags.example.com"})
	var ids []string
	for i := 0; i < 3; i++ {
		ids = append(ids, k.upload(srv.ChainPEM, srv.KeyPEM, "").ServerCertificateId)
	}
	ca := uploadCA(t, k, testpki.NewRoot("tag root", testpki.Key("p256")).Cert, "")
	// 20 tags each on the three server certificates: 60 rows, two pages.
	var kv []string
	for i := 0; i < 20; i++ {
		kv = append(kv, fmt.Sprintf("k%02d", i), fmt.Sprintf("v%d", i))
	}
	if err := k.tag(ids, kv...); err != nil {
		t.Fatal(err)
	}
	serverError(t, k.tag(ids[:1], "one", "more"), "TagCountLimit", 400)
	serverError(t, k.tag([]string{ids[0], "1000000000000001_1_1_1"}, "x", "y"), "ResourceNotFound", 400)
	serverError(t, k.tag(ids[:1], "aliyun:x", "y"), "InvalidParam.TagKey", 400)
	serverError(t, k.tag(ids[:1], "", "y"), "MissingParam.TagKey", 400)
	if err := k.tag([]string{ca}, "env", "prod"); err != nil {
		t.Fatalf("tagging a CA certificate: %v", err)
	}
	// Request-size limits: 20 of each at most.
	var many []string
	for i := 0; i < 21; i++ {
		many = append(many, fmt.Sprintf("x%d", i), "v")
	}
	serverError(t, k.tag(ids[:1], many...), "SizeLimitExceeded.Tag", 400)
	manyIDs := make([]string, 21)
	for i := range manyIDs {
		manyIDs[i] = fmt.Sprintf("1000000000000001_1_1_%d", i)
	}
	serverError(t, k.tag(manyIDs, "x", "y"), "SizeLimitExceeded.ResourceId", 400)
	manyKeys := make([]string, 21)
	for i := range manyKeys {
		manyKeys[i] = fmt.Sprintf("k%d", i)
	}
	serverError(t, k.untag(ids[:1], false, manyKeys...), "SizeLimitExceeded.TagKey", 400)
	_, err := k.listTags(nil, []slb.ListTagResourcesTag{{Value: "v"}}, "")
	serverError(t, err, "MissingParam.TagKey", 400)

	first, err := k.listTags(ids, nil, "")
	if err != nil || len(first.TagResources.TagResource) != 50 || first.NextToken == "" {
		t.Fatalf("first page: %d rows, token %q, %v", len(first.TagResources.TagResource), first.NextToken, err)
	}
	second, err := k.listTags(ids, nil, first.NextToken)
	if err != nil || len(second.TagResources.TagResource) != 10 || second.NextToken != "" {
		t.Fatalf("second page: %d rows, token %q, %v", len(second.TagResources.TagResource), second.NextToken, err)
	}
	rows := append(first.TagResources.TagResource, second.TagResources.TagResource...)
	if rows[0].ResourceId != ids[0] || rows[0].TagKey != "k00" || rows[59].ResourceId != ids[2] || rows[59].TagKey != "k19" || rows[0].ResourceType != "certificate" {
		t.Fatalf("rows out of order: %v … %v", rows[0], rows[59])
	}
	_, err = k.listTags(ids, nil, "garbage")
	serverError(t, err, "InvalidParameter.NextToken", 400)
	_, err = k.listTags(nil, nil, "")
	serverError(t, err, "MissingParameter", 400)

	// Tag filters: a key alone matches any value; pairs must all match.
	byTag, err := k.listTags(nil, []slb.ListTagResourcesTag{{Key: "env"}}, "")
	if err != nil || !slices.Equal(tagPairs(byTag.TagResources.TagResource), []string{"certificate/" + ca[len(ca)-6:] + ":env=prod"}) {
		t.Fatalf("filter by key: %v %v", tagPairs(byTag.TagResources.TagResource), err)
	}
	byTag, err = k.listTags(nil, []slb.ListTagResourcesTag{{Key: "k01", Value: "v1"}, {Key: "k02", Value: "nope"}}, "")
	if err != nil || len(byTag.TagResources.TagResource) != 0 {
		t.Fatalf("mismatched pairs: %v %v", byTag.TagResources.TagResource, err)
	}

	// Untag some keys everywhere, then all of one resource.
	if err := k.untag(ids, false, "k00", "k01"); err != nil {
		t.Fatal(err)
	}
	if err := k.untag(ids[1:2], true); err != nil {
		t.Fatal(err)
	}
	serverError(t, k.untag(ids[:1], false), "MissingParameter", 400)
	all, err := k.listTags(ids, nil, "")
	if err != nil || len(all.TagResources.TagResource) != 36 {
		t.Fatalf("after untag: %d rows, %v", len(all.TagResources.TagResource), err)
	}
	// A deleted certificate takes its tags along.
	if err := k.delete(ids[0]); err != nil {
		t.Fatal(err)
	}
	all, err = k.listTags(ids, nil, "")
	if err != nil || len(all.TagResources.TagResource) != 18 {
		t.Fatalf("after delete: %d rows, %v", len(all.TagResources.TagResource), err)
	}
}
