package e2e

import (
	"crypto/sha1"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/testpki"
)

// NewServerCert is an RSA 2048 chain for www.example.com.
func NewServerCert() *testpki.Server {
	return testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "www.example.com", DNSNames: []string{"www.example.com"}})
}

// Fingerprint computes the expected Fingerprint independently of the server.
func Fingerprint(c *x509.Certificate) string {
	sum := sha1.Sum(c.Raw)
	h := hex.EncodeToString(sum[:])
	var parts []string
	for i := 0; i < len(h); i += 2 {
		parts = append(parts, h[i:i+2])
	}
	return strings.Join(parts, ":")
}

// UploadRequest is the SDK's UploadServerCertificate request of a chain
// and key in region, over plain HTTP.
func UploadRequest(region, certPEM, keyPEM string) *slb.UploadServerCertificateRequest {
	req := slb.CreateUploadServerCertificateRequest()
	req.Scheme = "http"
	req.RegionId = region
	req.ServerCertificate = certPEM
	req.PrivateKey = keyPEM
	return req
}

// FromCatalog is an UploadServerCertificate request pointing at the catalog.
func FromCatalog(region, id, name string) *slb.UploadServerCertificateRequest {
	req := slb.CreateUploadServerCertificateRequest()
	req.Scheme = "http"
	req.RegionId = region
	req.AliCloudCertificateId = id
	req.AliCloudCertificateName = name
	return req
}

// ServerCertificates lists region's server certificates through the SDK:
// all of them, or the one with id.
func ServerCertificates(t testing.TB, c *slb.Client, region, id string) []slb.ServerCertificate {
	t.Helper()
	req := slb.CreateDescribeServerCertificatesRequest()
	req.Scheme = "http"
	req.RegionId = region
	req.ServerCertificateId = id
	resp, err := c.DescribeServerCertificates(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp.ServerCertificates.ServerCertificate
}

// ServerCertificate is ServerCertificates for one certificate that must be there.
func ServerCertificate(t *testing.T, c *slb.Client, region, id string) slb.ServerCertificate {
	t.Helper()
	l := ServerCertificates(t, c, region, id)
	if len(l) != 1 {
		t.Fatalf("describe %s: %+v", id, l)
	}
	return l[0]
}

// SLBCalls wraps the typed SDK calls the certificate tests repeat; Format
// is "JSON" (or "") or "XML", so each lifecycle can be replayed over XML.
type SLBCalls struct {
	T      *testing.T
	C      *slb.Client
	Region string
	Format string
}

// Calls returns the certificate calls in region, signed with the test
// root key.
func (s *Server) Calls(t *testing.T, region, format string) *SLBCalls {
	if format == "" {
		format = "JSON" // an empty AcceptFormat makes the SDK skip parsing
	}
	return &SLBCalls{T: t, C: s.Client(t, region), Region: region, Format: format}
}

// Upload uploads a server certificate, failing the test on error.
func (k *SLBCalls) Upload(certPEM, keyPEM, name string) *slb.UploadServerCertificateResponse {
	k.T.Helper()
	req := UploadRequest(k.Region, certPEM, keyPEM)
	req.ServerCertificateName = name
	req.AcceptFormat = k.Format
	resp, err := k.C.UploadServerCertificate(req)
	if err != nil {
		k.T.Fatal(err)
	}
	return resp
}

// Describe lists the server certificates of the region, or the one with id.
func (k *SLBCalls) Describe(id string) ([]slb.ServerCertificate, error) {
	req := slb.CreateDescribeServerCertificatesRequest()
	req.AcceptFormat = k.Format
	req.RegionId = k.Region
	req.ServerCertificateId = id
	resp, err := k.C.DescribeServerCertificates(req)
	if err != nil {
		return nil, err
	}
	return resp.ServerCertificates.ServerCertificate, nil
}

// UploadCARequest is the SDK's UploadCACertificate request in k's region
// and format.
func UploadCARequest(k *SLBCalls, certPEM, name string) *slb.UploadCACertificateRequest {
	req := slb.CreateUploadCACertificateRequest()
	req.AcceptFormat = k.Format
	req.RegionId = k.Region
	req.CACertificate = certPEM
	req.CACertificateName = name
	return req
}

// DescribeCA lists CA certificates: the one with id, in group when given.
func (k *SLBCalls) DescribeCA(id, group string) ([]slb.CACertificate, error) {
	req := slb.CreateDescribeCACertificatesRequest()
	req.AcceptFormat = k.Format
	req.CACertificateId = id
	req.ResourceGroupId = group
	resp, err := k.C.DescribeCACertificates(req)
	if err != nil {
		return nil, err
	}
	return resp.CACertificates.CACertificate, nil
}

// ListTags lists the tags of certificates: of ids, or of those carrying
// tags, from the page next names.
func (k *SLBCalls) ListTags(ids []string, tags []slb.ListTagResourcesTag, next string) (*slb.ListTagResourcesResponse, error) {
	req := slb.CreateListTagResourcesRequest()
	req.AcceptFormat = k.Format
	req.ResourceType = "certificate"
	if ids != nil {
		req.ResourceId = &ids
	}
	if tags != nil {
		req.Tag = &tags
	}
	req.NextToken = next
	return k.C.ListTagResources(req)
}

// Tag tags certificates ids with the key, value pairs kv.
func (k *SLBCalls) Tag(ids []string, kv ...string) error {
	req := slb.CreateTagResourcesRequest()
	req.AcceptFormat = k.Format
	req.ResourceType = "certificate"
	req.ResourceId = &ids
	var tags []slb.TagResourcesTag
	for i := 0; i < len(kv); i += 2 {
		tags = append(tags, slb.TagResourcesTag{Key: kv[i], Value: kv[i+1]})
	}
	req.Tag = &tags
	_, err := k.C.TagResources(req)
	return err
}

// Untag removes tag keys (or all, with All) from certificates ids.
func (k *SLBCalls) Untag(ids []string, all bool, keys ...string) error {
	req := slb.CreateUntagResourcesRequest()
	req.AcceptFormat = k.Format
	req.ResourceType = "certificate"
	req.ResourceId = &ids
	if len(keys) > 0 {
		req.TagKey = &keys
	}
	if all {
		req.All = requests.NewBoolean(true)
	}
	_, err := k.C.UntagResources(req)
	return err
}

// Rename sets a server certificate's name.
func (k *SLBCalls) Rename(id, name string) error {
	req := slb.CreateSetServerCertificateNameRequest()
	req.AcceptFormat = k.Format
	req.ServerCertificateId = id
	req.ServerCertificateName = name
	_, err := k.C.SetServerCertificateName(req)
	return err
}

// Delete deletes a server certificate.
func (k *SLBCalls) Delete(id string) error {
	req := slb.CreateDeleteServerCertificateRequest()
	req.AcceptFormat = k.Format
	req.ServerCertificateId = id
	_, err := k.C.DeleteServerCertificate(req)
	return err
}

// Common sends an SLB action with params through the Go SDK's
// CommonRequest (what Terraform's listener resource uses) and returns the
// answer's JSON, decoded loosely, so that tests check the types clients
// see: numbers are float64, strings string, lists []any, objects
// map[string]any.
func Common(t testing.TB, c *slb.Client, method, scheme, action string, params map[string]string) (map[string]any, error) {
	t.Helper()
	req := requests.NewCommonRequest()
	req.Method = method
	req.Scheme = scheme
	req.Domain = c.Domain
	req.Version = "2014-05-15"
	req.ApiName = action
	for k, v := range params {
		req.QueryParams[k] = v
	}
	resp, err := c.ProcessCommonRequest(req)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &out); err != nil {
		t.Fatalf("%s: answer is not JSON: %v\n%s", action, err, resp.GetHttpContentString())
	}
	return out, nil
}

// MustCommon is Common (POST, plain HTTP) for calls that must succeed.
func MustCommon(t testing.TB, c *slb.Client, action string, params map[string]string) map[string]any {
	t.Helper()
	out, err := Common(t, c, "POST", "http", action, params)
	if err != nil {
		t.Fatalf("%s %v: %v", action, params, err)
	}
	return out
}

// CreateLB creates a load balancer (slb.s2.small) through the typed SDK
// request; edit may change the request first.
func CreateLB(t testing.TB, c *slb.Client, edit ...func(*slb.CreateLoadBalancerRequest)) *slb.CreateLoadBalancerResponse {
	t.Helper()
	req := slb.CreateCreateLoadBalancerRequest()
	req.LoadBalancerSpec = "slb.s2.small"
	for _, e := range edit {
		e(req)
	}
	resp, err := c.CreateLoadBalancer(req)
	if err != nil {
		t.Fatalf("CreateLoadBalancer: %v", err)
	}
	return resp
}
