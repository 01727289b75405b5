package slb_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
)

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
			s := e2e.Start(t)
			k := s.Calls(t, "cn-hangzhou", format)
			srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "tf.example.com"})
			up := k.Upload(srv.ChainPEM, srv.KeyPEM, "tf-cert")
			id := up.ServerCertificateId

			lt, err := k.ListTags([]string{id}, nil, "")
			if err != nil || len(lt.TagResources.TagResource) != 0 || lt.NextToken != "" {
				t.Fatalf("list tags of a new certificate: %+v %v", lt, err)
			}
			if err := k.Tag([]string{id}, "Created", "TF", "For", "test"); err != nil {
				t.Fatal(err)
			}
			list, err := k.Describe(id)
			if err != nil || len(list) != 1 || len(list[0].Tags.Tag) != 2 || list[0].ServerCertificateName != "tf-cert" {
				t.Fatalf("describe by id: %+v %v", list, err)
			}
			if err := k.Rename(id, "tf-cert-renamed"); err != nil {
				t.Fatal(err)
			}
			if err := k.Untag([]string{id}, false, "For"); err != nil {
				t.Fatal(err)
			}
			list, err = k.Describe(id)
			if err != nil || len(list) != 1 || list[0].ServerCertificateName != "tf-cert-renamed" ||
				len(list[0].Tags.Tag) != 1 || list[0].Tags.Tag[0].TagKey != "Created" {
				t.Fatalf("after rename and untag: %+v %v", list, err)
			}
			if err := k.Delete(id); err != nil {
				t.Fatal(err)
			}
			list, err = k.Describe(id)
			if err != nil || len(list) != 0 {
				t.Fatalf("describe after delete: %+v %v", list, err)
			}
			if format == "JSON" {
				e2e.ServerError(t, k.Delete(id), "ServerCertificateId.NotFound", 400)
				e2e.ServerError(t, k.Rename(id, "x"), "ServerCertificateId.NotFound", 400)
			} else if k.Delete(id) == nil {
				t.Fatal("second delete succeeded")
			}
		})
	}
}

func TestServerCertificateManageErrors(t *testing.T) {
	s := e2e.Start(t)
	k := s.Calls(t, "cn-hangzhou", "")
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "m.example.com"})
	id := k.Upload(srv.ChainPEM, srv.KeyPEM, "").ServerCertificateId
	e2e.ServerError(t, k.Rename(id, "9bad"), "InvalidParameter.ServerCertificateName", 400)
	e2e.ServerError(t, k.Rename(id, ""), "MissingParameter", 400)
	e2e.ServerError(t, k.Rename("", "ok"), "MissingParameter", 400)
	e2e.ServerError(t, k.Delete(""), "MissingParameter", 400)
	// Another region holds nothing of this id.
	other := s.Calls(t, "cn-shanghai", "")
	e2e.ServerError(t, other.Delete(id), "ServerCertificateId.NotFound", 400)
	// Describe checks the region first, like every region-scoped call.
	bad := s.Calls(t, "xx-nowhere-1", "")
	_, err := bad.Describe("")
	e2e.ServerError(t, err, "InvalidRegionId.NotFound", 404)
}

func TestTags(t *testing.T) {
	s := e2e.Start(t)
	k := s.Calls(t, "cn-hangzhou", "")
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "tags.example.com"})
	var ids []string
	for i := 0; i < 3; i++ {
		ids = append(ids, k.Upload(srv.ChainPEM, srv.KeyPEM, "").ServerCertificateId)
	}
	ca := uploadCA(t, k, testpki.NewRoot("tag root", testpki.Key("p256")).Cert, "")
	// 20 tags each on the three server certificates: 60 rows, two pages.
	var kv []string
	for i := 0; i < 20; i++ {
		kv = append(kv, fmt.Sprintf("k%02d", i), fmt.Sprintf("v%d", i))
	}
	if err := k.Tag(ids, kv...); err != nil {
		t.Fatal(err)
	}
	e2e.ServerError(t, k.Tag(ids[:1], "one", "more"), "TagCountLimit", 400)
	e2e.ServerError(t, k.Tag([]string{ids[0], "1000000000000001_1_1_1"}, "x", "y"), "ResourceNotFound", 400)
	e2e.ServerError(t, k.Tag(ids[:1], "aliyun:x", "y"), "InvalidParam.TagKey", 400)
	e2e.ServerError(t, k.Tag(ids[:1], "", "y"), "MissingParam.TagKey", 400)
	if err := k.Tag([]string{ca}, "env", "prod"); err != nil {
		t.Fatalf("tagging a CA certificate: %v", err)
	}
	// Request-size limits: 20 of each at most.
	var many []string
	for i := 0; i < 21; i++ {
		many = append(many, fmt.Sprintf("x%d", i), "v")
	}
	e2e.ServerError(t, k.Tag(ids[:1], many...), "SizeLimitExceeded.Tag", 400)
	manyIDs := make([]string, 21)
	for i := range manyIDs {
		manyIDs[i] = fmt.Sprintf("1000000000000001_1_1_%d", i)
	}
	e2e.ServerError(t, k.Tag(manyIDs, "x", "y"), "SizeLimitExceeded.ResourceId", 400)
	manyKeys := make([]string, 21)
	for i := range manyKeys {
		manyKeys[i] = fmt.Sprintf("k%d", i)
	}
	e2e.ServerError(t, k.Untag(ids[:1], false, manyKeys...), "SizeLimitExceeded.TagKey", 400)
	_, err := k.ListTags(nil, []slb.ListTagResourcesTag{{Value: "v"}}, "")
	e2e.ServerError(t, err, "MissingParam.TagKey", 400)

	first, err := k.ListTags(ids, nil, "")
	if err != nil || len(first.TagResources.TagResource) != 50 || first.NextToken == "" {
		t.Fatalf("first page: %d rows, token %q, %v", len(first.TagResources.TagResource), first.NextToken, err)
	}
	second, err := k.ListTags(ids, nil, first.NextToken)
	if err != nil || len(second.TagResources.TagResource) != 10 || second.NextToken != "" {
		t.Fatalf("second page: %d rows, token %q, %v", len(second.TagResources.TagResource), second.NextToken, err)
	}
	rows := append(first.TagResources.TagResource, second.TagResources.TagResource...)
	if rows[0].ResourceId != ids[0] || rows[0].TagKey != "k00" || rows[59].ResourceId != ids[2] || rows[59].TagKey != "k19" || rows[0].ResourceType != "certificate" {
		t.Fatalf("rows out of order: %v … %v", rows[0], rows[59])
	}
	_, err = k.ListTags(ids, nil, "garbage")
	e2e.ServerError(t, err, "InvalidParameter.NextToken", 400)
	_, err = k.ListTags(nil, nil, "")
	e2e.ServerError(t, err, "MissingParameter", 400)

	// Tag filters: a key alone matches any value; pairs must all match.
	byTag, err := k.ListTags(nil, []slb.ListTagResourcesTag{{Key: "env"}}, "")
	if err != nil || !slices.Equal(tagPairs(byTag.TagResources.TagResource), []string{"certificate/" + ca[len(ca)-6:] + ":env=prod"}) {
		t.Fatalf("filter by key: %v %v", tagPairs(byTag.TagResources.TagResource), err)
	}
	byTag, err = k.ListTags(nil, []slb.ListTagResourcesTag{{Key: "k01", Value: "v1"}, {Key: "k02", Value: "nope"}}, "")
	if err != nil || len(byTag.TagResources.TagResource) != 0 {
		t.Fatalf("mismatched pairs: %v %v", byTag.TagResources.TagResource, err)
	}

	// Untag some keys everywhere, then all of one resource.
	if err := k.Untag(ids, false, "k00", "k01"); err != nil {
		t.Fatal(err)
	}
	if err := k.Untag(ids[1:2], true); err != nil {
		t.Fatal(err)
	}
	e2e.ServerError(t, k.Untag(ids[:1], false), "MissingParameter", 400)
	all, err := k.ListTags(ids, nil, "")
	if err != nil || len(all.TagResources.TagResource) != 36 {
		t.Fatalf("after untag: %d rows, %v", len(all.TagResources.TagResource), err)
	}
	// A deleted certificate takes its tags along.
	if err := k.Delete(ids[0]); err != nil {
		t.Fatal(err)
	}
	all, err = k.ListTags(ids, nil, "")
	if err != nil || len(all.TagResources.TagResource) != 18 {
		t.Fatalf("after delete: %d rows, %v", len(all.TagResources.TagResource), err)
	}
}
