package server

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/testpki"
)

func uploadCARequest(k *sdkCalls, certPEM, name string) *slb.UploadCACertificateRequest {
	req := slb.CreateUploadCACertificateRequest()
	req.AcceptFormat = k.format
	req.RegionId = k.region
	req.CACertificate = certPEM
	req.CACertificateName = name
	return req
}

func uploadCA(t *testing.T, k *sdkCalls, cert *x509.Certificate, name string) string {
	t.Helper()
	resp, err := k.c.UploadCACertificate(uploadCARequest(k, testpki.ChainPEM(cert), name))
	if err != nil {
		t.Fatal(err)
	}
	return resp.CACertificateId
}

func (k *sdkCalls) describeCA(id, group string) ([]slb.CACertificate, error) {
	req := slb.CreateDescribeCACertificatesRequest()
	req.AcceptFormat = k.format
	req.CACertificateId = id
	req.ResourceGroupId = group
	resp, err := k.c.DescribeCACertificates(req)
	if err != nil {
		return nil, err
	}
	return resp.CACertificates.CACertificate, nil
}

// TestCACertificates runs the CA lifecycle in JSON and XML.
func TestCACertificates(t *testing.T) {
	for _, format := range []string{"JSON", "XML"} {
		t.Run(format, func(t *testing.T) {
			s := startServer(t)
			k := s.calls(t, "cn-beijing", format)
			root := testpki.NewRoot("client root", testpki.NewKey("rsa2048"))
			resp, err := k.c.UploadCACertificate(uploadCARequest(k, testpki.ChainPEM(root.Cert), "clients"))
			if err != nil {
				t.Fatal(err)
			}
			if !idPattern.MatchString(resp.CACertificateId) || resp.Fingerprint != fingerprint(root.Cert) ||
				resp.CommonName != "client root" || resp.CACertificateName != "clients" ||
				resp.ExpireTime != root.Cert.NotAfter.UTC().Format("2006-01-02T15:04:05Z") || resp.ResourceGroupId == "" {
				t.Fatalf("upload answered %+v", resp)
			}
			list, err := k.describeCA(resp.CACertificateId, "")
			if err != nil || len(list) != 1 {
				t.Fatalf("describe: %+v %v", list, err)
			}
			got := list[0]
			if got.CACertificateId != resp.CACertificateId || got.RegionId != "cn-beijing" || got.EncryptionAlgorithm != "RSA" ||
				got.EncryptionKeyLength != 2048 || got.CreateTimeStamp != resp.CreateTimeStamp || got.Fingerprint != resp.Fingerprint {
				t.Fatalf("described %+v", got)
			}
			// CA certificates are not server certificates.
			if l, err := k.describe(resp.CACertificateId); err != nil || len(l) != 0 {
				t.Fatalf("a CA certificate listed as a server certificate: %v %v", l, err)
			}
			rename := slb.CreateSetCACertificateNameRequest()
			rename.AcceptFormat = format
			rename.CACertificateId, rename.CACertificateName = resp.CACertificateId, "clients-2"
			if _, err := k.c.SetCACertificateName(rename); err != nil {
				t.Fatal(err)
			}
			if l, _ := k.describeCA(resp.CACertificateId, ""); len(l) != 1 || l[0].CACertificateName != "clients-2" {
				t.Fatalf("after rename: %+v", l)
			}
			del := slb.CreateDeleteCACertificateRequest()
			del.AcceptFormat = format
			del.CACertificateId = resp.CACertificateId
			if _, err := k.c.DeleteCACertificate(del); err != nil {
				t.Fatal(err)
			}
			if l, err := k.describeCA(resp.CACertificateId, ""); err != nil || len(l) != 0 {
				t.Fatalf("after delete: %+v %v", l, err)
			}
			del = slb.CreateDeleteCACertificateRequest()
			del.CACertificateId = resp.CACertificateId
			_, err = k.c.DeleteCACertificate(del)
			if format == "JSON" {
				serverError(t, err, "CACertificateId.NotFound", 400)
			} else if err == nil {
				t.Fatal("second delete succeeded")
			}
		})
	}
}

func TestCACertificateErrors(t *testing.T) {
	s := startServer(t)
	k := s.calls(t, "cn-beijing", "")
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
			_, err := k.c.UploadCACertificate(uploadCARequest(k, tc.pem, tc.certName))
			serverError(t, err, tc.code, 400)
		})
	}
	// A certificate without the CA flag is accepted, as the contract says,
	// and so is an expired one (refusing it is a region's opt-in, see
	// TestRejectExpiredRegion).
	uploadCA(t, k, leaf, "")
	uploadCA(t, k, expired, "")
	rename := slb.CreateSetCACertificateNameRequest()
	rename.CACertificateId, rename.CACertificateName = "1000000000000001_1_1_1", "x"
	_, err := k.c.SetCACertificateName(rename)
	serverError(t, err, "CACertificateId.NotFound", 400)
}

// TestCAQuota: CA certificates have a quota of their own.
func TestCAQuota(t *testing.T) {
	s := startServer(t)
	k := s.calls(t, "cn-beijing", "")
	root := testpki.NewRoot("quota root", testpki.Key("p256"))
	for i := 0; i < 100; i++ {
		uploadCA(t, k, root.Cert, "")
	}
	_, err := k.c.UploadCACertificate(uploadCARequest(k, testpki.ChainPEM(root.Cert), ""))
	serverError(t, err, "OverQuota", 400)
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "still.example.com"})
	k.upload(srv.ChainPEM, srv.KeyPEM, "") // server certificates are counted apart
}

func TestMoveResourceGroup(t *testing.T) {
	s := startServer(t)
	k := s.calls(t, "cn-hangzhou", "")
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "move.example.com"})
	id := k.upload(srv.ChainPEM, srv.KeyPEM, "").ServerCertificateId
	ca := uploadCA(t, k, testpki.NewRoot("move root", testpki.Key("p256")).Cert, "")
	move := func(id, typ, group string) error {
		req := slb.CreateMoveResourceGroupRequest()
		req.ResourceId, req.ResourceType, req.NewResourceGroupId = id, typ, group
		_, err := k.c.MoveResourceGroup(req)
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
		resp, err := k.c.DescribeServerCertificates(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp.ServerCertificates.ServerCertificate
	}
	if l := describeIn("rg-team2"); len(l) != 1 || l[0].ResourceGroupId != "rg-team2" {
		t.Fatalf("in the new group: %+v", l)
	}
	if l, err := k.describeCA(ca, "rg-team2"); err != nil || len(l) != 1 {
		t.Fatalf("CA in the new group: %+v %v", l, err)
	}
	_, err := k.describeCA(ca, "rg-other")
	serverError(t, err, "Abs.CACertificateIdAndResourceGroupId.MissMatch", 400)
	req := slb.CreateDescribeServerCertificatesRequest()
	req.ServerCertificateId, req.ResourceGroupId = id, "rg-other"
	_, err = k.c.DescribeServerCertificates(req)
	serverError(t, err, "Abs.ServerCertificateIdAndResourceGroupId.MissMatch", 400)
	serverError(t, move(id, "certificate", "Team"), "InvalidParameter.ResourceGroupId", 400)
	serverError(t, move(id, "acl", "rg-x"), "InvalidParameter", 400)
	serverError(t, move(id, "loadbalancer", "rg-x"), "ResourceNotFound", 400) // a certificate is no load balancer
	serverError(t, move("1000000000000001_1_1_1", "certificate", "rg-x"), "ResourceNotFound", 400)
	serverError(t, move(id, "certificate", ""), "MissingParameter", 400)
}

func TestDescribeRegions(t *testing.T) {
	s := startServer(t)
	c := s.client(t, "cn-hangzhou")
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
	noRegion, _ := slb.NewClientWithAccessKey("", testAccessKeyID, testAccessKeySecret)
	noRegion.Domain = s.Addr()
	if _, err := noRegion.DescribeRegions(slb.CreateDescribeRegionsRequest()); err != nil {
		t.Fatal(err)
	}
}
