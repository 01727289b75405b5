package slb_test

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
)

func uploadCA(t *testing.T, k *e2e.SLBCalls, cert *x509.Certificate, name string) string {
	t.Helper()
	resp, err := k.C.UploadCACertificate(e2e.UploadCARequest(k, testpki.ChainPEM(cert), name))
	if err != nil {
		t.Fatal(err)
	}
	return resp.CACertificateId
}

// TestCACertificates runs the CA lifecycle in JSON and XML.
func TestCACertificates(t *testing.T) {
	for _, format := range []string{"JSON", "XML"} {
		t.Run(format, func(t *testing.T) {
			s := e2e.Start(t)
			k := s.Calls(t, "cn-beijing", format)
			root := testpki.NewRoot("client root", testpki.NewKey("rsa2048"))
			resp, err := k.C.UploadCACertificate(e2e.UploadCARequest(k, testpki.ChainPEM(root.Cert), "clients"))
			if err != nil {
				t.Fatal(err)
			}
			if !idPattern.MatchString(resp.CACertificateId) || resp.Fingerprint != e2e.Fingerprint(root.Cert) ||
				resp.CommonName != "client root" || resp.CACertificateName != "clients" ||
				resp.ExpireTime != root.Cert.NotAfter.UTC().Format("2006-01-02T15:04:05Z") || resp.ResourceGroupId == "" {
				t.Fatalf("upload answered %+v", resp)
			}
			list, err := k.DescribeCA(resp.CACertificateId, "")
			if err != nil || len(list) != 1 {
				t.Fatalf("describe: %+v %v", list, err)
			}
			got := list[0]
			if got.CACertificateId != resp.CACertificateId || got.RegionId != "cn-beijing" || got.EncryptionAlgorithm != "RSA" ||
				got.EncryptionKeyLength != 2048 || got.CreateTimeStamp != resp.CreateTimeStamp || got.Fingerprint != resp.Fingerprint {
				t.Fatalf("described %+v", got)
			}
			// CA certificates are not server certificates.
			if l, err := k.Describe(resp.CACertificateId); err != nil || len(l) != 0 {
				t.Fatalf("a CA certificate listed as a server certificate: %v %v", l, err)
			}
			rename := slb.CreateSetCACertificateNameRequest()
			rename.AcceptFormat = format
			rename.CACertificateId, rename.CACertificateName = resp.CACertificateId, "clients-2"
			if _, err := k.C.SetCACertificateName(rename); err != nil {
				t.Fatal(err)
			}
			if l, _ := k.DescribeCA(resp.CACertificateId, ""); len(l) != 1 || l[0].CACertificateName != "clients-2" {
				t.Fatalf("after rename: %+v", l)
			}
			del := slb.CreateDeleteCACertificateRequest()
			del.AcceptFormat = format
			del.CACertificateId = resp.CACertificateId
			if _, err := k.C.DeleteCACertificate(del); err != nil {
				t.Fatal(err)
			}
			if l, err := k.DescribeCA(resp.CACertificateId, ""); err != nil || len(l) != 0 {
				t.Fatalf("after delete: %+v %v", l, err)
			}
			del = slb.CreateDeleteCACertificateRequest()
			del.CACertificateId = resp.CACertificateId
			_, err = k.C.DeleteCACertificate(del)
			if format == "JSON" {
				e2e.ServerError(t, err, "CACertificateId.NotFound", 400)
			} else if err == nil {
				t.Fatal("second delete succeeded")
			}
		})
	}
}

func TestCACertificateErrors(t *testing.T) {
	s := e2e.Start(t)
	k := s.Calls(t, "cn-beijing", "")
	root := testpki.NewRoot("client root", testpki.Key("p256"))
	expired := root.Issue(testpki.Leaf{CommonName: "old", NotBefore: time.Now().AddDate(-2, 0, 0), NotAfter: time.Now().AddDate(-1, 0, 0)}, testpki.Key("p256").Public())
	leaf := root.Issue(testpki.Leaf{CommonName: "not a ca"}, testpki.Key("p256").Public())
	for _, tc := range []struct {
		name, pem, certName, code string
	}{
		{"missing", "", "", "MissingParameter"},
		{"not pem", "hello", "", "CertificateFormatInvalid"},
		{"bad name", testpki.ChainPEM(root.Cert), "-x", "InvalidParameter.CACertificateName"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := k.C.UploadCACertificate(e2e.UploadCARequest(k, tc.pem, tc.certName))
			e2e.ServerError(t, err, tc.code, 400)
		})
	}
	// A certificate without the CA flag is accepted (docs/choices.md,
	// "Certificate checks": the CA flag is not checked), and so is an expired
	// one (refusing it is a region's opt-in, see TestRejectExpiredRegion).
	uploadCA(t, k, leaf, "")
	uploadCA(t, k, expired, "")
	rename := slb.CreateSetCACertificateNameRequest()
	rename.CACertificateId, rename.CACertificateName = "1000000000000001_1_1_1", "x"
	_, err := k.C.SetCACertificateName(rename)
	e2e.ServerError(t, err, "CACertificateId.NotFound", 400)
}

// TestCAQuota: CA certificates have a quota of their own.
func TestCAQuota(t *testing.T) {
	s := e2e.Start(t)
	k := s.Calls(t, "cn-beijing", "")
	root := testpki.NewRoot("quota root", testpki.Key("p256"))
	for i := 0; i < 100; i++ {
		uploadCA(t, k, root.Cert, "")
	}
	_, err := k.C.UploadCACertificate(e2e.UploadCARequest(k, testpki.ChainPEM(root.Cert), ""))
	e2e.ServerError(t, err, "OverQuota", 400)
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "still.example.com"})
	k.Upload(srv.ChainPEM, srv.KeyPEM, "") // server certificates are counted apart
}

func TestMoveResourceGroup(t *testing.T) {
	s := e2e.Start(t)
	k := s.Calls(t, "cn-hangzhou", "")
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "move.example.com"})
	id := k.Upload(srv.ChainPEM, srv.KeyPEM, "").ServerCertificateId
	ca := uploadCA(t, k, testpki.NewRoot("move root", testpki.Key("p256")).Cert, "")
	move := func(id, typ, group string) error {
		req := slb.CreateMoveResourceGroupRequest()
		req.ResourceId, req.ResourceType, req.NewResourceGroupId = id, typ, group
		_, err := k.C.MoveResourceGroup(req)
		return err
	}
	for _, rid := range []string{id, ca} {
		if err := move(rid, "certificate", "rg-team2"); err != nil {
			t.Fatal(err)
		}
	}
	describeIn := func(group string) []slb.ServerCertificate {
		req := slb.CreateDescribeServerCertificatesRequest()
		req.ResourceGroupId = group
		resp, err := k.C.DescribeServerCertificates(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp.ServerCertificates.ServerCertificate
	}
	if l := describeIn("rg-team2"); len(l) != 1 || l[0].ResourceGroupId != "rg-team2" {
		t.Fatalf("in the new group: %+v", l)
	}
	if l, err := k.DescribeCA(ca, "rg-team2"); err != nil || len(l) != 1 {
		t.Fatalf("CA in the new group: %+v %v", l, err)
	}
	_, err := k.DescribeCA(ca, "rg-other")
	e2e.ServerError(t, err, "Abs.CACertificateIdAndResourceGroupId.MissMatch", 400)
	req := slb.CreateDescribeServerCertificatesRequest()
	req.ServerCertificateId, req.ResourceGroupId = id, "rg-other"
	_, err = k.C.DescribeServerCertificates(req)
	e2e.ServerError(t, err, "Abs.ServerCertificateIdAndResourceGroupId.MissMatch", 400)
	e2e.ServerError(t, move(id, "certificate", "Team"), "InvalidParameter.ResourceGroupId", 400)
	e2e.ServerError(t, move(id, "bucket", "rg-x"), "InvalidParameter", 400)
	e2e.ServerError(t, move(id, "acl", "rg-x"), "ResourceNotFound", 400)          // a certificate is no ACL
	e2e.ServerError(t, move(id, "loadbalancer", "rg-x"), "ResourceNotFound", 400) // a certificate is no load balancer
	e2e.ServerError(t, move("1000000000000001_1_1_1", "certificate", "rg-x"), "ResourceNotFound", 400)
	e2e.ServerError(t, move(id, "certificate", ""), "MissingParameter", 400)
}

func TestDescribeRegions(t *testing.T) {
	s := e2e.Start(t)
	c := s.Client(t, "cn-hangzhou")
	for _, tc := range []struct{ lang, qingdao string }{{"", "华北1（青岛）"}, {"zh-CN", "华北1（青岛）"}, {"en-US", "China (Qingdao)"}} {
		for _, format := range []string{"JSON", "XML"} {
			req := slb.CreateDescribeRegionsRequest()
			req.AcceptLanguage = tc.lang
			req.AcceptFormat = format
			resp, err := c.DescribeRegions(req)
			if err != nil {
				t.Fatal(err)
			}
			regions := resp.Regions.Region
			if len(regions) < 27 || regions[0].RegionId != "cn-qingdao" || regions[0].LocalName != tc.qingdao || regions[0].RegionEndpoint != "slb.aliyuncs.com" {
				t.Fatalf("%s %s: %d regions, first %+v", tc.lang, format, len(regions), regions[0])
			}
			found := false
			for _, r := range regions {
				if r.RegionId == "eu-central-1" && r.RegionEndpoint == "slb.eu-central-1.aliyuncs.com" {
					found = true
				}
			}
			if !found {
				t.Fatalf("eu-central-1 missing or wrong endpoint")
			}
		}
	}
	// DescribeRegions needs no RegionId.
	noRegion, _ := slb.NewClientWithAccessKey("", e2e.AccessKeyID, e2e.AccessKeySecret)
	noRegion.Domain = s.Addr()
	if _, err := noRegion.DescribeRegions(slb.CreateDescribeRegionsRequest()); err != nil {
		t.Fatal(err)
	}
}
