package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
)

// StartMoto runs `motoBin -H 127.0.0.1 -p PORT` with its log in dir and
// waits for its first answer, polling every millisecond.
func StartMoto(ctx context.Context, motoBin, dir string) (*Process, time.Duration, error) {
	addr, err := FreeAddr()
	if err != nil {
		return nil, 0, err
	}
	p, err := StartProcess("moto_server", addr, filepath.Join(dir, "moto.log"),
		[]string{motoBin, "-H", "127.0.0.1", "-p", Port(addr)}, nil)
	if err != nil {
		return nil, 0, err
	}
	healthy, err := p.WaitHTTP(ctx, "/moto-api/data.json", time.Millisecond, 60*time.Second, 200)
	if err != nil {
		p.Stop()
		return nil, 0, err
	}
	return p, healthy, nil
}

// Moto speaks to a moto_server's IAM (Query API) and ACM (JSON 1.1) with
// plain net/http. moto checks no signature, but routes a request to a
// service and region by the credential scope of a SigV4-shaped
// Authorization header, so every request carries one.
type Moto struct {
	Base   string // http://127.0.0.1:PORT
	client *http.Client
}

// NewMoto returns a client for the moto_server at addr (host:port) keeping
// up to conns connections open.
func NewMoto(addr string, conns int) *Moto {
	return &Moto{
		Base: "http://" + addr,
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
			MaxIdleConns: conns, MaxIdleConnsPerHost: conns,
		}},
	}
}

func (m *Moto) post(service, target, contentType string, body []byte) ([]byte, error) {
	req, err := http.NewRequest("POST", m.Base+"/", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Amz-Date", now.Format("20060102T150405Z"))
	req.Header.Set("Authorization", fmt.Sprintf(
		"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/%s/us-east-1/%s/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=%064d",
		now.Format("20060102"), service, 0))
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	resp, err := m.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s: HTTP %d: %.200s", service, target, resp.StatusCode, b)
	}
	return b, nil
}

func (m *Moto) iam(params url.Values) ([]byte, error) {
	params.Set("Version", "2010-05-08")
	return m.post("iam", "", "application/x-www-form-urlencoded; charset=utf-8", []byte(params.Encode()))
}

func (m *Moto) acm(action string, in any) ([]byte, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	return m.post("acm", "CertificateManager."+action, "application/x-amz-json-1.1", body)
}

// IAMUpload is IAM UploadServerCertificate of p under name.
func (m *Moto) IAMUpload(p *Pair, name string) error {
	_, err := m.iam(url.Values{
		"Action":                {"UploadServerCertificate"},
		"ServerCertificateName": {name},
		"CertificateBody":       {p.LeafPEM},
		"CertificateChain":      {p.IntermediatePEM},
		"PrivateKey":            {p.KeyPEM},
	})
	return err
}

// IAMGet is IAM GetServerCertificate of name.
func (m *Moto) IAMGet(name string) error {
	b, err := m.iam(url.Values{"Action": {"GetServerCertificate"}, "ServerCertificateName": {name}})
	if err == nil && !bytes.Contains(b, []byte(name)) {
		err = fmt.Errorf("GetServerCertificate %s: the answer does not name it", name)
	}
	return err
}

// ACMImport is ACM ImportCertificate of p; blobs travel base64-encoded, as
// the JSON protocol carries them. It returns the new certificate's ARN.
func (m *Moto) ACMImport(p *Pair) (string, error) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	b, err := m.acm("ImportCertificate", map[string]string{
		"Certificate":      b64(p.LeafPEM),
		"CertificateChain": b64(p.IntermediatePEM),
		"PrivateKey":       b64(p.KeyPEM),
	})
	if err != nil {
		return "", err
	}
	var out struct{ CertificateArn string }
	if err := json.Unmarshal(b, &out); err != nil || !strings.HasPrefix(out.CertificateArn, "arn:") {
		return "", fmt.Errorf("ImportCertificate answered %.200s", b)
	}
	return out.CertificateArn, nil
}

// ACMDescribe is ACM DescribeCertificate of arn.
func (m *Moto) ACMDescribe(arn string) error {
	b, err := m.acm("DescribeCertificate", map[string]string{"CertificateArn": arn})
	if err == nil && !bytes.Contains(b, []byte(arn)) {
		err = fmt.Errorf("DescribeCertificate %s: the answer does not name it", arn)
	}
	return err
}

// MotoUploadOp returns IAM uploads under names prefix-N, N counting every
// upload of every phase it serves (IAM names are unique), recording each name.
func MotoUploadOp(m *Moto, p *Pair, prefix string, names *IDs) func(int) (Op, error) {
	var n atomic.Int64
	return func(int) (Op, error) {
		return func(int) error {
			name := fmt.Sprintf("%s-%d", prefix, n.Add(1))
			if err := m.IAMUpload(p, name); err != nil {
				return err
			}
			names.Add(name)
			return nil
		}, nil
	}
}

// MotoGetOp returns IAM GetServerCertificate of names drawn at random.
func MotoGetOp(m *Moto, names []string) func(int) (Op, error) {
	return func(w int) (Op, error) {
		if len(names) == 0 {
			return nil, errNothingToRead
		}
		rng := newRand(w)
		return func(int) error { return m.IAMGet(names[rng.IntN(len(names))]) }, nil
	}
}

// ACMImportOp returns ACM imports, recording each ARN.
func ACMImportOp(m *Moto, p *Pair, arns *IDs) func(int) (Op, error) {
	return func(int) (Op, error) {
		return func(int) error {
			arn, err := m.ACMImport(p)
			if err == nil {
				arns.Add(arn)
			}
			return err
		}, nil
	}
}

// ACMDescribeOp returns ACM DescribeCertificate of ARNs drawn at random.
func ACMDescribeOp(m *Moto, arns []string) func(int) (Op, error) {
	return func(w int) (Op, error) {
		if len(arns) == 0 {
			return nil, errNothingToRead
		}
		rng := newRand(w)
		return func(int) error { return m.ACMDescribe(arns[rng.IntN(len(arns))]) }, nil
	}
}
